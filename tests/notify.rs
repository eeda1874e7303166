//! Escalations and messages reach a human: signed webhooks from the transactional outbox, with
//! retries through a receiver that is down, and delivery after the server is killed.

mod common;

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use common::{said, spawn_app_with, TestApp};
use frontdesk::sim::SimReport;
use frontdesk::store::{CallStatus, NewNotification, Store};
use hmac::{Hmac, Mac};
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
async fn an_urgent_call_reaches_the_webhook_signed_with_its_transcript() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let hook = receiver(listener);
    let app = app_with_webhook(&url).await;
    let report = app
        .call_with(
            "This is Jordan Lee. There's an emergency, our servers are down right now.\n\
             Yes.\n\
             Please call me right away, the whole site is offline.\n\
             Yes.\n",
            |o| o.from = "+16175550111".into(),
        )
        .await;
    let hung_up = Instant::now();
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
    // The call log shows it delivered.
    let call = app.stored_call(&report.call_sid).await;
    let n = &call["notifications"][0];
    assert_eq!(n["status"], "delivered", "{call}");
    assert_eq!(n["channel"], "webhook");
    assert_eq!(n["attempts"], 1);
    assert!(n["delivered_at"].is_string());
}

/// Puts a closed call with a pending notification straight into the store.
async fn queue_one(store: &Store, call_sid: &str) -> String {
    store
        .begin_call(
            call_sid,
            Some("+16175550111"),
            Some("+16175550100"),
            Utc::now(),
        )
        .await
        .unwrap();
    let id = format!("ntf_test_{call_sid}");
    let note = NewNotification {
        id: id.clone(),
        channel: "webhook".into(),
        event: "message".into(),
        reason: None,
        urgency: Some("routine".into()),
        payload: serde_json::json!({"event": "message", "call_sid": call_sid}).to_string(),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_was_down_gets_the_notification_exactly_once() {
    // The receiver's port is known but nothing listens on it: connections are refused.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = app_with_webhook(&format!("http://127.0.0.1:{port}/hook")).await;
    let id = queue_one(&app.services.store, "CAdown1").await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_keeps_failing_is_marked_failed_not_dropped() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let hook = receiver(listener);
    hook.status.store(500, Ordering::SeqCst);
    let url2 = url.clone();
    let app = spawn_app_with(move |c| {
        c.webhook_url = Some(url2);
        c.webhook_secret = Some(SECRET.into());
        c.delivery.backoff_base_ms = 50;
        c.delivery.backoff_max_secs = 1;
        c.delivery.max_attempts = 3;
    })
    .await;
    queue_one(&app.services.store, "CAfail1").await;
    app.services.outbox.notify_one();
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, call) = app.api("/api/calls/CAfail1").await;
        let n = &call["notifications"][0];
        if n["status"] == "failed" {
            assert_eq!(n["attempts"], 3);
            assert!(
                n["last_error"].as_str().unwrap().contains("HTTP 500"),
                "{call}"
            );
            break;
        }
        assert!(Instant::now() < end, "never marked failed: {call}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(hook.got.lock().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_pending_when_the_server_is_killed_is_delivered_after_a_restart() {
    common::require_setup();
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/frontdesk.db", dir.path().display());
    let store = Store::open(&db).await.unwrap();
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
    assert!(twiml.contains("<Dial>+16175550142</Dial>"), "{twiml}");
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_transfer_takes_a_message_and_notifies() {
    let (app, rest, hook, report) = urgent_call_with_transfer(500).await;
    assert_eq!(rest.got.lock().unwrap().len(), 1);
    let call = app.stored_call(&report.call_sid).await;
    let agent = said(&call, "agent");
    assert!(agent.contains("couldn't reach jamie chen"), "{agent}");
    assert!(agent.contains("what would you like me to tell"), "{agent}");
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
