//! Escalations and messages reach a human: signed webhooks, Slack messages and email (to a real
//! SMTP server on loopback) from the transactional outbox, with retries through a receiver that
//! is down, delivery after the server is killed, and the morning digest.

mod common;
#[path = "support/smtp.rs"]
mod smtp;

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use common::{said, spawn_app_with, TestApp};
use frontdesk::config::EmailConfig;
use frontdesk::sim::SimReport;
use frontdesk::store::{CallLog, CallStatus, NewNotification, Outbox, SqliteStore, Store};
use hmac::{Hmac, Mac};
use smtp::SmtpSink;
use tokio::net::TcpListener;

const SECRET: &str = "webhook-test-secret";

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Got {
    signature: String,
    idempotency_key: String,
    body: String,
    at: Instant,
    answered: u16,
}

#[derive(Clone, Default)]
struct Hook {
    got: Arc<Mutex<Vec<Got>>>,
    /// What the receiver answers (200 when up).
    status: Arc<AtomicU16>,
}

async fn hook(State(h): State<Hook>, headers: HeaderMap, body: String) -> StatusCode {
    let answered = h.status.load(Ordering::SeqCst);
    let header = |k: &str| {
        headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    h.got.lock().unwrap().push(Got {
        signature: header("x-frontdesk-signature"),
        idempotency_key: header("idempotency-key"),
        body,
        at: Instant::now(),
        answered,
    });
    StatusCode::from_u16(answered).unwrap()
}

/// A webhook receiver on `listener`, answering 200.
fn receiver(listener: TcpListener) -> Hook {
    let h = Hook::default();
    h.status.store(200, Ordering::SeqCst);
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(h.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    h
}

impl Hook {
    fn delivered(&self) -> Vec<Got> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|g| (200..300).contains(&g.answered))
            .cloned()
            .collect()
    }

    async fn wait_delivered(&self, within: Duration) -> Vec<Got> {
        let end = Instant::now() + within;
        while Instant::now() < end {
            let d = self.delivered();
            if !d.is_empty() {
                return d;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.delivered()
    }
}

fn expected_signature(body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// The one delivery the webhook got within 5 s: its signature checked, its body parsed.
async fn one_signed_delivery(hook: &Hook) -> serde_json::Value {
    let got = hook.wait_delivered(Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1, "one delivery within 5 s of hang-up");
    assert_eq!(got[0].signature, expected_signature(&got[0].body));
    serde_json::from_str(&got[0].body).unwrap()
}

/// The stored call once every notification on it is recorded delivered. The receiver gets the
/// request before the server hears its answer and records it, so a test that has just seen the
/// delivery arrive waits here (up to 10 s) rather than racing the bookkeeping.
async fn recorded_delivered(app: &TestApp, call_sid: &str) -> serde_json::Value {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let call = app.stored_call(call_sid).await;
        let notes = call["notifications"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if !notes.is_empty() && notes.iter().all(|n| n["status"] == "delivered") {
            return call;
        }
        assert!(Instant::now() < end, "not all recorded delivered: {call}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn app_with_webhook(url: &str) -> TestApp {
    let url = url.to_string();
    spawn_app_with(move |c| {
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
        c.delivery.backoff_base_ms = 100;
        c.delivery.backoff_max_secs = 1;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_urgent_call_outside_the_on_call_window_reaches_the_webhook_signed_with_its_transcript()
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let hook = receiver(listener);
    // Transfers are configured, but it is 23:30: Jamie Chen is on call until 23:00.
    let (rest_base, rest) = twilio_rest(200).await;
    let app = spawn_app_with(move |c| {
        c.twilio_account_sid = Some("ACtest".into());
        c.twilio_auth_token = Some("twilio-token".into());
        c.twilio_api_base = rest_base;
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
        c.now = Some(chrono::DateTime::parse_from_rfc3339("2026-11-24T23:30:00-05:00").unwrap());
    })
    .await;
    let report = app
        .call_with(URGENT, |o| {
            o.from = "+16175550111".into();
            o.auth_token = Some("twilio-token".into());
        })
        .await;
    let hung_up = Instant::now();
    assert!(rest.got.lock().unwrap().is_empty(), "no transfer off hours");
    let got = hook.wait_delivered(Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1, "one delivery within 5 s of hang-up");
    let g = &got[0];
    match g.at.checked_duration_since(hung_up) {
        Some(d) => println!(
            "webhook arrived {} ms after the caller's side closed",
            d.as_millis()
        ),
        None => println!("webhook arrived before the caller's side had even closed"),
    }
    assert_eq!(g.signature, expected_signature(&g.body));
    assert!(g.idempotency_key.starts_with("ntf_"));
    let body: serde_json::Value = serde_json::from_str(&g.body).unwrap();
    assert_eq!(body["event"], "escalation");
    assert_eq!(body["call_sid"], report.call_sid.as_str());
    assert_eq!(body["urgency"], "emergency");
    assert!(body["reason"].as_str().unwrap().contains("emergency"));
    assert!(
        body["caller"]["name"]
            .as_str()
            .unwrap_or("")
            .contains("Jordan"),
        "{body}"
    );
    assert_eq!(body["caller"]["number"], "+16175550111");
    assert!(body["summary"]
        .as_str()
        .unwrap()
        .contains("Escalated to Jamie Chen"));
    let transcript = body["transcript"].as_array().unwrap();
    assert!(transcript.len() >= 6, "{body}");
    assert!(transcript
        .iter()
        .all(|t| t["speaker"].is_string() && t["at"].is_string()));
    assert!(transcript.iter().any(|t| t["speaker"] == "caller"
        && t["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("emergency")));
    assert!(body["call_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/api/calls/{}", report.call_sid)));
    // The caller was told what happens next.
    let call = app.stored_call(&report.call_sid).await;
    assert!(
        said(&call, "agent").contains("alerting jamie chen"),
        "{call}"
    );
    // The call log shows it delivered.
    let call = recorded_delivered(&app, &report.call_sid).await;
    let n = &call["notifications"][0];
    assert_eq!(n["channel"], "webhook");
    assert_eq!(n["attempts"], 1);
    assert!(n["delivered_at"].is_string());
}

/// Puts a closed call with a pending routine message for `channel` straight into the store,
/// due now or, for the digest, at `digest_at`.
async fn queue(
    store: &dyn Store,
    call_sid: &str,
    channel: &str,
    digest_at: Option<DateTime<Utc>>,
    payload: serde_json::Value,
) -> String {
    store
        .begin_call(
            call_sid,
            Some("+16175550111"),
            Some("+16175550100"),
            Utc::now(),
        )
        .await
        .unwrap();
    let id = format!("ntf_test_{call_sid}_{channel}");
    let note = NewNotification {
        id: id.clone(),
        channel: channel.parse().unwrap(),
        event: frontdesk::logic::domain::NotifyEvent::Message,
        reason: None,
        urgency: Some(frontdesk::logic::domain::Urgency::Routine),
        payload: payload.to_string(),
        digest_at,
    };
    store
        .end_call_notifying(
            call_sid,
            CallStatus::Completed,
            Utc::now(),
            &[note],
            Utc::now(),
        )
        .await
        .unwrap();
    id
}

/// A pending routine webhook notification, due now.
async fn queue_one(store: &dyn Store, call_sid: &str) -> String {
    let payload = serde_json::json!({"event": "message", "call_sid": call_sid});
    queue(store, call_sid, "webhook", None, payload).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_was_down_gets_the_notification_exactly_once() {
    // The receiver's port is known but nothing listens on it: connections are refused.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = app_with_webhook(&format!("http://127.0.0.1:{port}/hook")).await;
    let id = queue_one(app.services.store.as_ref(), "CAdown1").await;
    app.services.outbox.notify_one();
    // Down for a while: several attempts fail and are recorded.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (_, call) = app.api("/api/calls/CAdown1").await;
    let n = &call["notifications"][0];
    assert_eq!(n["status"], "pending", "{call}");
    assert!(n["attempts"].as_i64().unwrap() >= 2, "{call}");
    assert!(
        n["last_error"].as_str().unwrap().contains("unreachable"),
        "{call}"
    );
    // Back up: it arrives, once.
    let hook = receiver(TcpListener::bind(("127.0.0.1", port)).await.unwrap());
    let got = hook.wait_delivered(Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].idempotency_key, id);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(hook.got.lock().unwrap().len(), 1, "nothing sent twice");
    let (_, call) = app.api("/api/calls/CAdown1").await;
    assert_eq!(call["notifications"][0]["status"], "delivered");
}

/// Queues one notification for `call_sid` to a webhook at `url` with fast retries, and waits
/// until it is marked failed after `max_attempts`; never delivered meanwhile.
async fn until_failed(
    url: &str,
    max_attempts: u32,
    call_sid: &str,
) -> (TestApp, serde_json::Value) {
    let url = url.to_string();
    let app = spawn_app_with(move |c| {
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
        c.delivery.backoff_base_ms = 50;
        c.delivery.backoff_max_secs = 1;
        c.delivery.max_attempts = max_attempts;
    })
    .await;
    queue_one(app.services.store.as_ref(), call_sid).await;
    app.services.outbox.notify_one();
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, call) = app.api(&format!("/api/calls/{call_sid}")).await;
        let n = call["notifications"][0].clone();
        if n["status"] == "failed" {
            return (app, n);
        }
        assert_ne!(n["status"], "delivered", "{call}");
        assert!(Instant::now() < end, "never marked failed: {call}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_keeps_failing_is_marked_failed_not_dropped() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let hook = receiver(listener);
    hook.status.store(500, Ordering::SeqCst);
    let (app, n) = until_failed(&url, 3, "CAfail1").await;
    assert_eq!(n["attempts"], 3);
    assert!(
        n["last_error"].as_str().unwrap().contains("HTTP 500"),
        "{n}"
    );
    assert_eq!(hook.got.lock().unwrap().len(), 3);
    // The reviewer's list of failures shows it, with the call it belongs to.
    let (status, failed) = app.api("/api/notifications?status=failed").await;
    assert_eq!(status, 200);
    let failed = failed.as_array().unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["call_sid"], "CAfail1");
    assert_eq!(failed[0]["attempts"], 3);
    let (_, delivered) = app.api("/api/notifications?status=delivered").await;
    assert_eq!(delivered, serde_json::json!([]));
    let (status, _) = app.api("/api/notifications?status=lost").await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_pending_when_the_server_is_killed_is_delivered_after_a_restart() {
    common::require_setup();
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/frontdesk.db", dir.path().display());
    let store = SqliteStore::open(&db).await.unwrap();
    let id = queue_one(&store, "CAkill1").await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let serve = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("serve")
            .current_dir(common::root())
            .env("FRONTDESK_LISTEN", "127.0.0.1:0")
            .env("FRONTDESK_DATABASE_URL", &db)
            .env("FRONTDESK_RECORDINGS", dir.path().join("rec"))
            .env("FRONTDESK_TTS", "espeak")
            .env("FRONTDESK_API_TOKEN", "x")
            .env(
                "FRONTDESK_WEBHOOK_URL",
                format!("http://127.0.0.1:{port}/hook"),
            )
            .env("FRONTDESK_WEBHOOK_SECRET", SECRET)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("frontdesk serve starts")
    };
    // The receiver is down; the server tries, fails, and is killed mid-retry.
    let mut first = serve();
    let end = Instant::now() + Duration::from_secs(60);
    loop {
        let n = &store.notifications_for("CAkill1").await.unwrap()[0];
        if n.attempts >= 1 {
            assert_eq!(n.status, "pending");
            break;
        }
        assert!(Instant::now() < end, "the first server never tried");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    // The receiver comes up; a new server delivers what the killed one left.
    let hook = receiver(TcpListener::bind(("127.0.0.1", port)).await.unwrap());
    let mut second = serve();
    let got = hook.wait_delivered(Duration::from_secs(60)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].idempotency_key, id);
    assert_eq!(got[0].signature, expected_signature(&got[0].body));
    // The new server records the delivery right after the receiver's answer.
    let end = Instant::now() + Duration::from_secs(10);
    while store.notifications_for("CAkill1").await.unwrap()[0].status != "delivered" {
        assert!(Instant::now() < end, "delivery never recorded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!(hook.got.lock().unwrap().len(), 1, "delivered exactly once");
}

/// What the stand-in for Twilio's REST API received.
#[derive(Clone, Debug)]
struct RestCall {
    path: String,
    authorization: String,
    form: Vec<(String, String)>,
}

#[derive(Clone, Default)]
struct Rest {
    got: Arc<Mutex<Vec<RestCall>>>,
    status: Arc<AtomicU16>,
}

async fn rest_update(
    State(r): State<Rest>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    r.got.lock().unwrap().push(RestCall {
        path: uri.path().to_string(),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        form: url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect(),
    });
    let status = r.status.load(Ordering::SeqCst);
    (
        StatusCode::from_u16(status).unwrap(),
        "{\"sid\": \"CA\"}".into(),
    )
}

/// A local server standing in for Twilio's REST API (a paid third-party API), answering `status`.
async fn twilio_rest(status: u16) -> (String, Rest) {
    let r = Rest::default();
    r.status.store(status, Ordering::SeqCst);
    let app = axum::Router::new()
        .route(
            "/2010-04-01/Accounts/{account}/Calls/{call}",
            axum::routing::post(rest_update),
        )
        .with_state(r.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, r)
}

async fn app_with_transfer(rest_base: &str, webhook: &str) -> TestApp {
    let (rest_base, webhook) = (rest_base.to_string(), webhook.to_string());
    spawn_app_with(move |c| {
        c.twilio_account_sid = Some("ACtest".into());
        c.twilio_auth_token = Some("twilio-token".into());
        c.twilio_api_base = rest_base;
        c.webhook_url = Some(webhook);
        c.webhook_secret = Some(SECRET.into());
    })
    .await
}

/// An urgent spoken call to a server that can transfer through a Twilio stand-in answering
/// `rest_status`, with a webhook receiver.
async fn urgent_call_with_transfer(rest_status: u16) -> (TestApp, Rest, Hook, SimReport) {
    let (rest_base, rest) = twilio_rest(rest_status).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    let hook = receiver(listener);
    let app = app_with_transfer(&rest_base, &hook_url).await;
    let report = app
        .call_with(URGENT, |o| {
            o.from = "+16175550111".into();
            o.auth_token = Some("twilio-token".into());
        })
        .await;
    (app, rest, hook, report)
}

const URGENT: &str = "This is Jordan Lee. There's an emergency, our servers are down right now.\n\
                      Yes.\n\
                      Please call me right away, the whole site is offline.\n\
                      Yes.\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_urgent_caller_on_call_hours_is_transferred_through_twilio() {
    let (app, rest, hook, report) = urgent_call_with_transfer(200).await;
    assert!(
        report.server_hung_up,
        "the stream ends once the call is redirected"
    );
    let got = rest.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    let r = &got[0];
    assert_eq!(
        r.path,
        format!("/2010-04-01/Accounts/ACtest/Calls/{}.json", report.call_sid)
    );
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode("ACtest:twilio-token");
    assert_eq!(r.authorization, format!("Basic {basic}"));
    let twiml = &r
        .form
        .iter()
        .find(|(k, _)| k == "Twiml")
        .expect("Twiml field")
        .1;
    assert!(
        twiml.contains(&format!(
            "<Dial action=\"{}/twilio/dial-status\" method=\"POST\">+16175550142</Dial>",
            app.base
        )),
        "{twiml}"
    );
    assert!(
        twiml.starts_with("<?xml") && twiml.contains("<Response>"),
        "{twiml}"
    );
    let call = app.stored_call(&report.call_sid).await;
    assert!(
        said(&call, "agent").contains("connecting you to jamie chen"),
        "{call}"
    );
    assert_eq!(call["outcome"], "escalated");
    assert!(call["summary"]
        .as_str()
        .unwrap()
        .contains("Transferred the call live"));
    assert!(call["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "transferred"));
    // The on-call human also gets the record.
    let delivered = hook.wait_delivered(Duration::from_secs(5)).await;
    assert_eq!(delivered.len(), 1);

    // Nobody picks up: Twilio reports the dial's end (signed), the caller hears they will be
    // called back, and the on-call human is told again, once, however often Twilio retries.
    let url = format!("{}/twilio/dial-status", app.base);
    let form = vec![
        ("CallSid".to_string(), report.call_sid.clone()),
        ("DialCallStatus".to_string(), "no-answer".to_string()),
    ];
    let post = |signature: String| {
        reqwest::Client::new()
            .post(&url)
            .header("X-Twilio-Signature", signature)
            .form(&form)
            .send()
    };
    let unsigned = post("bogus".into()).await.unwrap();
    assert_eq!(unsigned.status(), 403);
    let signature = frontdesk::providers::twilio::signature("twilio-token", &url, &form);
    for _ in 0..2 {
        let r = post(signature.clone()).await.unwrap();
        assert_eq!(r.status(), 200);
        let twiml = r.text().await.unwrap();
        assert!(twiml.contains("couldn&apos;t pick up"), "{twiml}");
        assert!(twiml.contains("<Hangup/>"), "{twiml}");
    }
    let end = Instant::now() + Duration::from_secs(5);
    while hook.delivered().len() < 2 && Instant::now() < end {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let delivered = hook.delivered();
    assert_eq!(delivered.len(), 2, "told again, once");
    assert_eq!(
        delivered[1].signature,
        expected_signature(&delivered[1].body)
    );
    let body: serde_json::Value = serde_json::from_str(&delivered[1].body).unwrap();
    assert_eq!(body["event"], "escalation");
    let summary = body["summary"].as_str().unwrap();
    assert!(
        summary.ends_with(
            "The live transfer was not answered (no answer). Next step: Jamie Chen to call back urgently."
        ),
        "{summary}"
    );
    let call = app.stored_call(&report.call_sid).await;
    let missed = call["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "transfer_unanswered")
        .count();
    assert_eq!(missed, 1, "{call}");
    assert_eq!(call["summary"].as_str().unwrap(), summary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_transfer_takes_a_message_and_notifies() {
    let (app, rest, hook, report) = urgent_call_with_transfer(500).await;
    assert_eq!(rest.got.lock().unwrap().len(), 1);
    let call = app.stored_call(&report.call_sid).await;
    let agent = said(&call, "agent");
    assert!(agent.contains("couldn't reach jamie chen"), "{agent}");
    // The matter said with the alarm is the message: read back, not asked for again.
    assert!(
        agent.contains("your message: our servers are down right now"),
        "{agent}"
    );
    assert_eq!(call["outcome"], "escalated");
    assert!(call["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "transfer_failed"));
    let delivered = hook.wait_delivered(Duration::from_secs(5)).await;
    assert_eq!(delivered.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&delivered[0].body).unwrap();
    assert_eq!(body["event"], "escalation");
}

/// A webhook receiver on a fresh port, and its URL.
async fn hook_at() -> (String, Hook) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    (url, receiver(listener))
}

fn email_to(sink: &SmtpSink) -> EmailConfig {
    EmailConfig {
        smtp_url: Some(sink.url()),
        from: Some("Frontdesk <desk@northwind.example>".into()),
        to: vec![
            "Alex Morgan <alex@northwind.example>".into(),
            "jamie@northwind.example".into(),
        ],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vip_caller_is_escalated_to_the_webhook() {
    let (url, hook) = hook_at().await;
    let app = app_with_webhook(&url).await;
    let report = app
        .call_with(
            "Hi, please have Alex call me about the board vote.\n\
             The vote moved to tomorrow morning.\n\
             Yes.\n",
            |o| o.from = "+16175550199".into(),
        )
        .await;
    let body = one_signed_delivery(&hook).await;
    assert_eq!(body["event"], "escalation", "{body}");
    assert_eq!(body["call_sid"], report.call_sid.as_str());
    assert_eq!(body["category"], "vip");
    assert_eq!(body["caller"]["name"], "Taylor Brooks");
    assert_eq!(body["caller"]["number"], "+16175550199");
    assert!(body["reason"].as_str().unwrap().contains("vip"), "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .contains("vote"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_asking_for_a_person_reaches_the_webhook_slack_and_email() {
    let (url, hook) = hook_at().await;
    let (slack_url, slack) = hook_at().await;
    let sink = SmtpSink::start();
    let email = email_to(&sink);
    let app = spawn_app_with(move |c| {
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
        c.slack_webhook_url = Some(slack_url);
        c.email = email;
    })
    .await;
    let report = app
        .call_with(
            "Can I talk to a real person?\n\
             This is Jordan Lee.\n\
             Yes.\n\
             Please call me back about the merger documents.\n\
             Yes.\n",
            |o| o.from = "+16175550111".into(),
        )
        .await;
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["outcome"], "escalated", "{call}");

    let body = one_signed_delivery(&hook).await;
    assert_eq!(body["event"], "escalation");
    assert_eq!(body["reason"], "caller asked for a person", "{body}");
    assert_eq!(body["caller"]["name"], "Jordan Lee");

    let posted = slack.wait_delivered(Duration::from_secs(5)).await;
    assert_eq!(posted.len(), 1);
    let msg: serde_json::Value = serde_json::from_str(&posted[0].body).unwrap();
    let text = msg["text"].as_str().unwrap();
    assert!(
        text.starts_with("Escalation: Jordan Lee +16175550111 (caller asked for a person)\nJordan Lee (+16175550111) called at"),
        "{msg}"
    );
    let blocks = msg["blocks"].to_string();
    assert!(msg["blocks"].as_array().unwrap().len() >= 3, "{msg}");
    assert!(
        blocks.contains(&format!("/api/calls/{}|call log>", report.call_sid)),
        "{blocks}"
    );
    assert!(blocks.to_lowercase().contains("merger"), "{blocks}");

    let mails = sink.wait_mails(1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(
        mail["subject"],
        "Escalation: Jordan Lee +16175550111 (caller asked for a person)"
    );
    assert_eq!(mail["mail_from"], "desk@northwind.example");
    assert_eq!(
        mail["rcpt_tos"],
        serde_json::json!(["alex@northwind.example", "jamie@northwind.example"])
    );
    let id = mail["message_id"].as_str().unwrap();
    assert!(
        id.starts_with("<ntf_") && id.ends_with("@frontdesk>"),
        "{id}"
    );
    let text = mail["body"].as_str().unwrap();
    for want in [
        "Caller:   Jordan Lee +16175550111",
        "Transcript (America/New_York):",
        &format!("/api/calls/{}", report.call_sid),
    ] {
        assert!(text.contains(want), "{want:?} not in {text}");
    }
    assert!(text.to_lowercase().contains("merger"), "{text}");
    assert!(text.contains(" caller: "), "{text}");

    // The call log shows all three delivered.
    let call = recorded_delivered(&app, &report.call_sid).await;
    let mut channels: Vec<&str> = call["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["channel"].as_str().unwrap())
        .collect();
    channels.sort_unstable();
    assert_eq!(channels, ["email", "slack", "webhook"], "{call}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routine_messages_wait_for_the_morning_digest() {
    let (url, hook) = hook_at().await;
    let sink = SmtpSink::start();
    let email = email_to(&sink);
    let app = spawn_app_with(move |c| {
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
        c.email = email;
        c.delivery.digest = true;
        c.delivery.digest_at = "08:00".into();
    })
    .await;
    let report = app
        .call_with(
            "I'd like to leave a message for Alex.\n\
             This is Dana Hale.\n\
             Yes.\n\
             The quarterly report is ready for review.\n\
             Yes.\n",
            |o| o.from = "+16175550111".into(),
        )
        .await;
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["outcome"], "message", "{call}");
    // Held until 08:00 tomorrow in Boston (the test clock runs from Tuesday 19:30 there).
    let eight = DateTime::parse_from_rfc3339("2026-11-25T08:00:00-05:00").unwrap();
    let wall_eight = Utc::now() + (eight.with_timezone(&Utc) - app.services.clock.now());
    let notes = call["notifications"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "{call}");
    for n in notes {
        assert_eq!(n["status"], "pending", "{call}");
        assert_eq!(n["digest"], true, "{call}");
        let due = DateTime::parse_from_rfc3339(n["due_at"].as_str().unwrap()).unwrap();
        let off = (due.with_timezone(&Utc) - wall_eight).num_seconds().abs();
        assert!(off < 10, "due {due}, want about {wall_eight}");
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(hook.got.lock().unwrap().is_empty(), "nothing before 08:00");
    assert!(sink.mails().is_empty(), "nothing before 08:00");

    // Another routine message waits for the same digest.
    let later = serde_json::json!({
        "event": "message", "call_sid": "CAdigest2", "urgency": "routine",
        "caller": {"name": "Priya Raman", "number": "+16175550134"},
        "message": "Lunch on Friday is confirmed.", "summary": "Priya Raman confirmed lunch.",
        "transcript": [], "call_url": "http://x/api/calls/CAdigest2",
    });
    let store = &app.services.store;
    let far = Some(wall_eight);
    queue(store.as_ref(), "CAdigest2", "webhook", far, later.clone()).await;
    queue(store.as_ref(), "CAdigest3", "email", far, later).await;
    // 08:00 comes: everything held for the digest falls due at once.
    let pool = sqlx::SqlitePool::connect(&app.services.config.database_url)
        .await
        .unwrap();
    sqlx::query("UPDATE notifications SET next_attempt_at = $1 WHERE digest = 1")
        .bind(frontdesk::store::stamp(Utc::now()))
        .execute(&pool)
        .await
        .unwrap();
    app.services.outbox.notify_one();

    let got = hook.wait_delivered(Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1, "one digest to the webhook");
    assert_eq!(got[0].signature, expected_signature(&got[0].body));
    assert!(got[0].idempotency_key.starts_with("dig_"));
    let body: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["event"], "digest");
    let sids: Vec<&str> = body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["call_sid"].as_str().unwrap())
        .collect();
    assert_eq!(sids.len(), 2, "{body}");
    assert!(sids.contains(&report.call_sid.as_str()) && sids.contains(&"CAdigest2"));

    let mails = sink.wait_mails(1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1, "one digest email: {mails:?}");
    assert_eq!(mails[0]["subject"], "Morning digest: 2 messages");
    let text = mails[0]["body"].as_str().unwrap().to_lowercase();
    assert!(text.contains("quarterly report"), "{text}");
    assert!(text.contains("lunch on friday"), "{text}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(hook.got.lock().unwrap().len(), 1, "sent once");
    assert_eq!(sink.mails().len(), 1, "sent once");
    recorded_delivered(&app, &report.call_sid).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_who_hangs_up_early_is_a_missed_call_not_forgotten() {
    let (url, hook) = hook_at().await;
    let app = app_with_webhook(&url).await;
    let report = app
        .call_with(
            "Hi, I'd like to book a meeting with Alex.\n@hangup\n",
            |o| o.from = "+16175550111".into(),
        )
        .await;
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["outcome"], "abandoned", "{call}");
    let body = one_signed_delivery(&hook).await;
    assert_eq!(body["event"], "missed_call", "{body}");
    assert_eq!(body["caller"]["number"], "+16175550111");
    assert!(
        body["transcript"]
            .to_string()
            .to_lowercase()
            .contains("book a meeting"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_urgent_call_cut_off_by_a_crash_still_reaches_a_human() {
    use frontdesk::logic::dialog::CallerInfo;
    use frontdesk::store::Speaker;
    // The last run crashed mid-call: the caller had said it was an emergency.
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/frontdesk.db", dir.path().display());
    let store = SqliteStore::open(&db).await.unwrap();
    let now = Utc::now();
    store
        .begin_call("CAcut1", Some("+16175550111"), Some("+16175550100"), now)
        .await
        .unwrap();
    store
        .add_turn("CAcut1", 1, Speaker::Agent, "Good evening.", now, None)
        .await
        .unwrap();
    store
        .add_turn(
            "CAcut1",
            2,
            Speaker::Caller,
            "There's an emergency, our servers are down.",
            now,
            Some(900),
        )
        .await
        .unwrap();
    let info = CallerInfo {
        escalation: Some("urgency: emergency".into()),
        ..CallerInfo::default()
    };
    store.update_caller("CAcut1", &info).await.unwrap();
    drop(store);
    // The restarted server closes it and tells the on-call human.
    let (url, hook) = hook_at().await;
    let app = spawn_app_with(move |c| {
        c.database_url = db;
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
    })
    .await;
    let body = one_signed_delivery(&hook).await;
    assert_eq!(body["event"], "escalation", "{body}");
    assert_eq!(body["call_sid"], "CAcut1");
    assert!(
        body["summary"].as_str().unwrap().contains("cut off"),
        "{body}"
    );
    assert!(body["transcript"].to_string().contains("servers are down"));
    let call = recorded_delivered(&app, "CAcut1").await;
    assert_eq!(call["status"], "dropped", "{call}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirecting_receiver_is_not_taken_for_a_delivery() {
    // http:// redirecting to https:// is common; following it would drop the body.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let got_get = Arc::new(Mutex::new(0usize));
    let counter = got_get.clone();
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(|| async {
                (
                    StatusCode::MOVED_PERMANENTLY,
                    [(axum::http::header::LOCATION, "/elsewhere")],
                )
            }),
        )
        .route(
            "/elsewhere",
            axum::routing::get(move || async move {
                *counter.lock().unwrap() += 1;
                "ok"
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    let (_app, n) = until_failed(&format!("{base}/hook"), 2, "CAredir1").await;
    let err = n["last_error"].as_str().unwrap();
    assert!(
        err.contains("HTTP 301") && err.contains("/elsewhere"),
        "{err}"
    );
    assert_eq!(*got_get.lock().unwrap(), 0, "the redirect was not followed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_receiver_does_not_hold_up_the_others() {
    // The Slack receiver accepts the request and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let slack_url = format!("http://{}/hook", listener.local_addr().unwrap());
    let hanging = axum::Router::new().route(
        "/hook",
        axum::routing::post(|| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            "late"
        }),
    );
    tokio::spawn(async move { axum::serve(listener, hanging).await });
    let (url, hook) = hook_at().await;
    let app = spawn_app_with(move |c| {
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
        c.slack_webhook_url = Some(slack_url);
        c.delivery.timeout_secs = 10;
    })
    .await;
    let store = &app.services.store;
    let payload = |sid: &str| serde_json::json!({"event": "message", "call_sid": sid});
    // The stuck one is first in line.
    queue(store.as_ref(), "CAstuck", "slack", None, payload("CAstuck")).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    queue(store.as_ref(), "CAnext", "webhook", None, payload("CAnext")).await;
    app.services.outbox.notify_one();
    // Well inside the hanging send's 10 s timeout.
    let got = hook.wait_delivered(Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1, "the webhook waited for the hanging receiver");
    let body: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["call_sid"], "CAnext");
    let (_, call) = app.api("/api/calls/CAstuck").await;
    assert_eq!(call["notifications"][0]["status"], "pending", "{call}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_pressing_0_is_escalated_to_the_webhook() {
    let (url, hook) = hook_at().await;
    let app = app_with_webhook(&url).await;
    let report = app
        .call_with(
            "Hi, I'd like to book a meeting.\n\
             @dtmf 0\n\
             This is Jordan Lee.\n\
             Yes.\n\
             Please call me about the invoice.\n\
             Yes.\n",
            |o| o.from = "+16175550111".into(),
        )
        .await;
    let body = one_signed_delivery(&hook).await;
    assert_eq!(body["event"], "escalation", "{body}");
    assert_eq!(body["call_sid"], report.call_sid.as_str());
    assert_eq!(body["reason"], "caller pressed 0");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .contains("invoice"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_whose_session_panics_is_still_closed_and_its_escalation_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let hook = receiver(listener);
    let app = spawn_app_with(move |c| {
        c.webhook_url = Some(url);
        c.webhook_secret = Some(SECRET.into());
        // The session panics when the caller says their site is offline (third line).
        c.fault_panic_on = Some("offline".into());
    })
    .await;
    let report = app
        .call_with(URGENT, |o| o.from = "+16175550111".into())
        .await;
    assert!(report.server_hung_up, "the line is let go, not left open");
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["status"], "dropped", "{call}");
    let failed = call["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "session_failed")
        .unwrap_or_else(|| panic!("the failure is on the record: {call}"));
    assert!(
        failed["detail"]
            .as_str()
            .unwrap()
            .contains("fault injected"),
        "{failed}"
    );
    // The emergency said before the failure still reaches the human.
    let body = one_signed_delivery(&hook).await;
    assert_eq!(body["event"], "escalation");
    assert_eq!(body["call_sid"], report.call_sid.as_str());
}
