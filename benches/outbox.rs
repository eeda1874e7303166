//! How fast a committed notification reaches its receiver, on this machine:
//!
//!   cargo bench --bench outbox            (after scripts/setup.sh)
//!
//! Starts the real server (SQLite in a temp directory, the espeak voice so the bench needs no
//! warm-up) with a local webhook receiver and a real SMTP server (aiosmtpd from the project's
//! venv), then closes calls with a notification one after another, as calls end. Prints p50/p95
//! of the time from the outbox commit to the receiver having the request, per channel, and the
//! throughput of a burst.

#[path = "../tests/support/smtp.rs"]
mod smtp;

use frontdesk::logic::domain::{Channel, NotifyEvent, Urgency};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use chrono::Utc;
use frontdesk::config::{Config, EmailConfig, TtsChoice};
use frontdesk::store::{CallStatus, NewNotification};

const N: usize = 100;

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !root.join("models/ggml-tiny.en.bin").is_file() || !root.join(".venv/bin/python").is_file() {
        eprintln!("run scripts/setup.sh first");
        std::process::exit(1);
    }
    // The webhook receiver: when each idempotency key arrived.
    let arrivals: Arrivals = Arc::default();
    let seen = arrivals.clone();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap| async move {
            if let Some(k) = headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
                seen.lock().unwrap().insert(k.to_string(), Instant::now());
            }
            "ok"
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    let smtp = smtp::SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();

    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}/frontdesk.db", dir.path().display()),
        recordings: dir.path().join("recordings"),
        model: root.join("models/ggml-tiny.en.bin"),
        persona: root.join("prompts/persona.toml"),
        tts: TtsChoice::Espeak,
        api_token: Some("bench".into()),
        stt_threads: 1,
        webhook_url: Some(hook),
        webhook_secret: Some("bench-secret".into()),
        email: EmailConfig {
            smtp_url: Some(smtp.url()),
            from: Some("Frontdesk <desk@example.com>".into()),
            to: vec!["alex@example.com".into()],
        },
        ..Config::default()
    };
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = frontdesk::app::start(config, async {
        let _ = stopped.await;
    })
    .await
    .expect("server starts");
    let svc = running.services.clone();

    let payload = serde_json::json!({
        "event": "message", "urgency": "routine",
        "caller": {"name": "Jordan Lee", "number": "+16175550111"},
        "message": "Please call me back about the contract.",
        "summary": "Jordan Lee called about the contract.",
        "transcript": [{"speaker": "caller", "text": "Please call me back about the contract.", "at": "2026-11-25T00:30:05.000Z"}],
        "call_url": "http://127.0.0.1/api/calls/CA",
    })
    .to_string();
    let close_call = |sid: String| {
        let svc = svc.clone();
        let payload = payload.clone();
        async move {
            svc.store
                .begin_call(&sid, Some("+16175550111"), None, Utc::now())
                .await
                .unwrap();
            let notes: Vec<NewNotification> = [Channel::Webhook, Channel::Email]
                .into_iter()
                .map(|channel| NewNotification {
                    id: format!("ntf_{sid}_{channel}"),
                    channel,
                    event: NotifyEvent::Message,
                    reason: None,
                    urgency: Some(Urgency::Routine),
                    payload: payload.clone(),
                    digest_at: None,
                })
                .collect();
            svc.store
                .end_call_notifying(&sid, CallStatus::Completed, Utc::now(), &notes, Utc::now())
                .await
                .unwrap();
            svc.outbox.notify_one();
            Instant::now()
        }
    };
    let wait_for = |key: String| {
        let arrivals = arrivals.clone();
        async move {
            let end = Instant::now() + Duration::from_secs(30);
            loop {
                if let Some(at) = arrivals.lock().unwrap().get(&key) {
                    return *at;
                }
                assert!(Instant::now() < end, "{key} never arrived");
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
        }
    };

    // One call at a time, as calls end.
    let mut webhook_ms = Vec::new();
    let mut email_ms = Vec::new();
    for i in 0..N {
        let before = smtp.count();
        let sid = format!("CAone{i}");
        let committed = close_call(sid.clone()).await;
        let at = wait_for(format!("ntf_{sid}_webhook")).await;
        webhook_ms.push(at.duration_since(committed).as_secs_f64() * 1000.0);
        let end = Instant::now() + Duration::from_secs(30);
        while smtp.count() <= before {
            assert!(Instant::now() < end, "email {i} never arrived");
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        email_ms.push(committed.elapsed().as_secs_f64() * 1000.0);
    }
    webhook_ms.sort_by(f64::total_cmp);
    email_ms.sort_by(f64::total_cmp);
    println!("outbox commit → receiver, {N} calls one at a time:");
    println!(
        "  signed webhook: p50 {:.1} ms, p95 {:.1} ms",
        pct(&webhook_ms, 0.5),
        pct(&webhook_ms, 0.95)
    );
    println!(
        "  email (SMTP, aiosmtpd; polled, ±1 ms): p50 {:.1} ms, p95 {:.1} ms",
        pct(&email_ms, 0.5),
        pct(&email_ms, 0.95)
    );

    // A burst: N calls close at once.
    let start = Instant::now();
    let mut keys = Vec::new();
    for i in 0..N {
        let sid = format!("CAburst{i}");
        close_call(sid.clone()).await;
        keys.push(format!("ntf_{sid}_webhook"));
    }
    for k in keys {
        wait_for(k).await;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "  burst of {N} calls: all webhooks delivered in {:.0} ms ({:.0} notifications/s)",
        secs * 1000.0,
        N as f64 / secs
    );
}
