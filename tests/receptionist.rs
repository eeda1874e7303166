//! The receptionist, spoken end to end: a simulated Twilio caller speaks with the natural voice
//! over a real websocket; the server screens, answers, books, moves and cancels with real
//! whisper, the real voice and real SQLite. The clock is Tuesday 2026-11-24, 19:30 in Boston.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{said, spawn_app, TestApp};
use frontdesk::store::NewAppointment;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Books `start` for someone in the test's database, as an earlier call would have.
async fn seed(app: &TestApp, start: &str, name: &str, number: &str) -> String {
    let start = at(start);
    app.services
        .store
        .book(
            &NewAppointment {
                start,
                end: start + Duration::minutes(30),
                caller_name: Some(name.into()),
                caller_number: Some(number.into()),
                purpose: Some("quarterly review".into()),
                call_sid: None,
            },
            Utc::now(),
        )
        .await
        .unwrap()
}

/// Places a call from `from` with `script`; returns the stored call once it is closed.
async fn call_from(app: &TestApp, from: &str, script: &str) -> serde_json::Value {
    let report = app.call_with(script, |o| o.from = from.to_string()).await;
    app.stored_call(&report.call_sid).await
}

async fn appointments(app: &TestApp) -> Vec<serde_json::Value> {
    let (status, list) = app.api("/api/appointments").await;
    assert_eq!(status, 200);
    list.as_array().cloned().unwrap_or_default()
}

fn events(call: &serde_json::Value, kind: &str) -> Vec<String> {
    call["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["kind"] == kind)
        .map(|e| e["detail"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_books_a_meeting_by_voice() {
    let app = spawn_app().await;
    let call = call_from(
        &app,
        "+16175550111",
        "Hi, this is Jordan Lee. I'd like to book a meeting with Alex about the budget.\n\
         Tomorrow at 2 pm.\n\
         Yes, please.\n\
         No, that's all. Thank you.\n",
    )
    .await;
    let agent = said(&call, "agent");
    assert!(
        agent.contains("wednesday, november 25th at 2 pm"),
        "{agent}"
    );
    assert_eq!(call["outcome"], "booked", "{call}");
    let list = appointments(&app).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let a = &list[0];
    assert_eq!(a["start"], "2026-11-25T14:00:00-05:00");
    assert_eq!(a["end"], "2026-11-25T14:30:00-05:00");
    assert_eq!(a["status"], "booked");
    assert_eq!(a["caller_number"], "+16175550111");
    assert_eq!(a["call_sid"], call["call_sid"]);
    assert!(
        a["caller_name"].as_str().unwrap_or("").contains("Jordan"),
        "{a}"
    );
    assert!(
        a["purpose"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .contains("budget"),
        "{a}"
    );
    let summary = call["summary"].as_str().unwrap_or("");
    assert!(
        summary.contains("Booked a meeting for Wednesday, November 25th at 2 PM"),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_slot_gets_alternatives_and_the_caller_picks_one() {
    let app = spawn_app().await;
    seed(
        &app,
        "2026-11-25T14:00:00-05:00",
        "Someone Else",
        "+16175550999",
    )
    .await;
    let call = call_from(
        &app,
        "+16175550111",
        "This is Jordan Lee. I'd like to book a meeting about the lease.\n\
         Tomorrow at 2 pm.\n\
         The second one, please.\n\
         Yes.\n\
         No, that's all.\n",
    )
    .await;
    let agent = said(&call, "agent");
    assert!(agent.contains("already booked"), "{agent}");
    assert!(agent.contains("1:30 pm or 2:30 pm"), "{agent}");
    let list = appointments(&app).await;
    let mine: Vec<_> = list
        .iter()
        .filter(|a| a["caller_number"] == "+16175550111")
        .collect();
    assert_eq!(mine.len(), 1, "{list:?}");
    assert_eq!(mine[0]["start"], "2026-11-25T14:30:00-05:00");
    assert_eq!(call["outcome"], "booked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_moves_their_meeting() {
    let app = spawn_app().await;
    let id = seed(
        &app,
        "2026-11-25T10:00:00-05:00",
        "Jordan Lee",
        "+16175550111",
    )
    .await;
    let call = call_from(
        &app,
        "+16175550111",
        "Hi, I need to reschedule my appointment.\n\
         Friday at 3 pm.\n\
         Yes.\n\
         No, that's all.\n",
    )
    .await;
    let agent = said(&call, "agent");
    assert!(
        agent.contains("wednesday, november 25th at 10 am"),
        "{agent}"
    );
    assert_eq!(call["outcome"], "rescheduled", "{call}");
    let list = appointments(&app).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["start"], "2026-11-27T15:00:00-05:00");
    assert_eq!(list[0]["status"], "booked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_cancels_their_meeting() {
    let app = spawn_app().await;
    seed(
        &app,
        "2026-11-30T11:00:00-05:00",
        "Jordan Lee",
        "+16175550111",
    )
    .await;
    let call = call_from(
        &app,
        "+16175550111",
        "I have to cancel my appointment.\n\
         Yes, please cancel it.\n\
         No, that's all.\n",
    )
    .await;
    assert!(said(&call, "agent").contains("is cancelled"), "{call}");
    assert_eq!(call["outcome"], "cancelled");
    let list = appointments(&app).await;
    assert_eq!(list[0]["status"], "cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_is_answered_from_the_faq() {
    let app = spawn_app().await;
    let call = call_from(
        &app,
        "+16175550111",
        "Hi, where can I park when I visit the office?\n\
         No, that's all. Thanks.\n",
    )
    .await;
    let agent = said(&call, "agent");
    assert!(agent.contains("visitor garage on pier road"), "{agent}");
    assert!(agent.contains("anything else"), "{agent}");
    assert_eq!(call["outcome"], "faq");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sales_caller_is_declined_a_meeting_and_leaves_details() {
    let app = spawn_app().await;
    let call = call_from(
        &app,
        "+13125550100",
        "Hi, this is Chad from Growth Company. I'd love to show Alex a quick demo of our platform. Can we book a meeting?\n\
         Yes.\n\
         Please call me back about our special offer.\n\
         Yes.\n",
    )
    .await;
    assert!(
        said(&call, "agent").contains("doesn't take sales meetings"),
        "{call}"
    );
    assert_eq!(call["category"], "sales");
    assert_eq!(call["outcome"], "message");
    assert!(appointments(&app).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_number_is_turned_away() {
    let app = spawn_app().await;
    let report = app
        .call_with("@wait 15\n", |o| o.from = "+19005550100".into())
        .await;
    assert!(report.server_hung_up, "the agent ends the call");
    let call = app.stored_call(&report.call_sid).await;
    assert!(
        said(&call, "agent").contains("can't take your call"),
        "{call}"
    );
    assert_eq!(call["category"], "blocked");
    assert_eq!(call["outcome"], "blocked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_and_a_vip_are_escalated() {
    let app = spawn_app().await;
    let call = call_from(
        &app,
        "+16175550111",
        "This is Jordan Lee. There's an emergency, our servers are down right now.\n\
         Yes.\n\
         Please call me right away, the whole site is offline.\n\
         Yes.\n",
    )
    .await;
    assert!(
        said(&call, "agent").contains("alerting jamie chen"),
        "{call}"
    );
    assert_eq!(call["urgency"], "emergency");
    assert_eq!(call["outcome"], "escalated");
    assert!(
        call["escalation_reason"]
            .as_str()
            .unwrap_or("")
            .contains("emergency"),
        "{call}"
    );
    assert_eq!(events(&call, "escalation").len(), 1, "{call}");

    let call = call_from(
        &app,
        "+16175550199",
        "Hi, please have Alex call me about the board vote.\n\
         The vote moved to tomorrow morning.\n\
         Yes.\n",
    )
    .await;
    assert_eq!(call["category"], "vip", "{call}");
    assert_eq!(call["caller"]["name"], "Taylor Brooks");
    assert_eq!(call["outcome"], "escalated");
    assert!(
        call["escalation_reason"]
            .as_str()
            .unwrap_or("")
            .contains("vip"),
        "{call}"
    );
}
