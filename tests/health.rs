//! Health and metrics, black-box: the real server on port 0 with the stand-in speech engines
//! (`frontdesk::speech::fake`), as `tests/session.rs` runs it. `/healthz` and `/readyz` answer
//! without a token; `/metrics` parses as Prometheus text with a real parser, and its counters
//! and the reply-latency histogram move when a whole call goes through.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::spawn_app_with_engines;
use frontdesk::app::Engines;
use frontdesk::sim::{self, Step};
use frontdesk::speech::fake::{Scripted, ToneVoice};
use prometheus_parse::{Scrape, Value};

const LINES: [&str; 4] = [
    "Hi, I'd like to leave a message for Alex, please.",
    "This is Jordan Lee from Acme.",
    "Yes.",
    "Please call me back about the contract renewal before Friday.",
];

fn engines(heard: &Scripted) -> Engines {
    Engines {
        stt: Arc::new(heard.clone()),
        tts: Arc::new(ToneVoice),
    }
}

/// `GET` a path without any token.
async fn get(base: &str, path: &str) -> reqwest::Response {
    reqwest::get(format!("{base}{path}"))
        .await
        .expect("the server answers")
}

#[tokio::test]
async fn healthz_answers_ok_without_a_token() {
    let app = spawn_app_with_engines(engines(&Scripted::default())).await;
    let r = get(&app.base, "/healthz").await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn readyz_names_each_check_when_all_pass() {
    let app = spawn_app_with_engines(engines(&Scripted::default())).await;
    let r = get(&app.base, "/readyz").await;
    assert_eq!(r.status().as_u16(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"ready": true, "checks": {"model": "ok", "voice": "ok", "database": "ok"}})
    );
    // The check's write was rolled back: no call was logged.
    let (status, calls) = app.api("/api/calls").await;
    assert_eq!((status, calls), (200, serde_json::json!([])));
}

/// The scrape at `/metrics`, parsed.
async fn scrape(base: &str) -> (Scrape, String) {
    let r = get(base, "/metrics").await;
    assert_eq!(r.status().as_u16(), 200);
    let kind = r
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    let text = r.text().await.unwrap();
    let parsed = Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).expect("parses");
    (parsed, text)
}

/// The sum of the samples named `name` whose labels include `labels`.
fn total(s: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    s.samples
        .iter()
        .filter(|x| x.metric == name && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v)))
        .map(|x| match x.value {
            Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v) => v,
            _ => panic!("{name} is not a single value: {x:?}"),
        })
        .sum()
}

/// The observations of histogram `name`: its `+Inf` bucket.
fn observations(s: &Scrape, name: &str) -> f64 {
    let buckets = s
        .samples
        .iter()
        .find_map(|x| match &x.value {
            Value::Histogram(b) if x.metric == name => Some(b),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no histogram {name}"));
    let all = buckets
        .iter()
        .find(|b| b.less_than.is_infinite())
        .map_or(0.0, |b| b.count);
    assert_eq!(all, total(s, &format!("{name}_count"), &[]), "{name}");
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_parse_and_move_after_a_call() {
    let heard = Scripted::new(LINES);
    let app = spawn_app_with_engines(engines(&heard)).await;
    let (before, _) = scrape(&app.base).await;
    for name in [
        "frontdesk_calls_active",
        "frontdesk_notifications_pending",
        "frontdesk_calendar_failures_total",
        "frontdesk_calendar_backlog",
    ] {
        assert!(before.samples.iter().any(|x| x.metric == name), "{name}");
    }
    let started = total(&before, "frontdesk_calls_started_total", &[]);
    let ended = total(&before, "frontdesk_calls_ended_total", &[]);
    let replies = observations(&before, "frontdesk_reply_latency_seconds");
    let heard_before = observations(&before, "frontdesk_stt_duration_seconds");
    let spoken_before = observations(&before, "frontdesk_tts_duration_seconds");

    let mut script: Vec<Step> = LINES.iter().map(|l| Step::Say(l.to_string())).collect();
    script.push(Step::Dtmf('1'));
    let report = sim::place_call(&app.sim_options(), &script, Arc::new(ToneVoice), None)
        .await
        .expect("call completes");
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["outcome"], "message", "{call}");

    // The record is closed just before the call is counted as ended and let go.
    let mut after = scrape(&app.base).await;
    for _ in 0..50 {
        if total(&after.0, "frontdesk_calls_ended_total", &[]) > ended
            && total(&after.0, "frontdesk_calls_active", &[]) == 0.0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        after = scrape(&app.base).await;
    }
    let (after, text) = after;
    assert_eq!(
        total(&after, "frontdesk_calls_started_total", &[]),
        started + 1.0
    );
    assert_eq!(
        total(&after, "frontdesk_calls_ended_total", &[]),
        ended + 1.0
    );
    assert_eq!(
        total(
            &after,
            "frontdesk_calls_ended_total",
            &[("status", "completed"), ("outcome", "message")]
        ),
        1.0,
        "{text}"
    );
    assert_eq!(total(&after, "frontdesk_calls_active", &[]), 0.0);
    let agent_replies = common::turns(&call, "agent")
        .iter()
        .filter(|t| t["latency_ms"].is_i64())
        .count() as f64;
    assert!(agent_replies > 0.0, "{call}");
    assert_eq!(
        observations(&after, "frontdesk_reply_latency_seconds"),
        replies + agent_replies,
        "one observation per agent turn with a latency: {text}"
    );
    assert!(
        observations(&after, "frontdesk_stt_duration_seconds") >= heard_before + LINES.len() as f64
    );
    assert!(observations(&after, "frontdesk_tts_duration_seconds") > spoken_before);
    // No caller data: no name, number or words of the call.
    for private in ["Jordan", "Acme", "5550123", "contract", &report.call_sid] {
        assert!(!text.contains(private), "{private} in\n{text}");
    }
}
