//! The JSON API and its OpenAPI document, against the real server and SQLite (with the stand-in
//! speech engines of `frontdesk::speech::fake`: no whisper or voice needed).
//!
//! - The document and the router agree: every documented operation is served (no 404 or 405
//!   from the router), every other method on a documented path is 405, the source mounts no
//!   route outside `utoipa_axum::routes!`, and the routes open without the token are exactly the
//!   probes, the document and the provider's webhooks.
//! - Every documented operation that needs the token answers 401 without it and with a wrong
//!   one, with a JSON error.
//! - The document validates with `openapi-spec-validator` (installed by `scripts/setup.sh`).
//! - Behaviour: call filters and pages, the inbox handled and reopened, contacts (and blocking a
//!   caller, whose next call is screened blocked), an overlapping appointment refused with 409.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::{root, spawn_app_with_engines, TestApp, API_TOKEN};
use frontdesk::app::Engines;
use frontdesk::logic::dialog::CallerInfo;
use frontdesk::logic::domain::{Category, Outcome, Urgency};
use frontdesk::speech::fake::{Scripted, ToneVoice};
use frontdesk::store::{CallStatus, Speaker};
use serde_json::{json, Value};

async fn app() -> TestApp {
    spawn_app_with_engines(Engines {
        stt: Arc::new(Scripted::new(Vec::<String>::new())),
        tts: Arc::new(ToneVoice),
    })
    .await
}

/// A request with the right token, a wrong one, or none.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> reqwest::Response {
    let mut r = reqwest::Client::new().request(method, format!("{}{path}", app.base));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    r.send().await.unwrap()
}

async fn call_api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let r = send(app, method, path, Some(API_TOKEN), body).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    call_api(app, reqwest::Method::GET, path, None).await
}

async fn post(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    call_api(app, reqwest::Method::POST, path, Some(body)).await
}

async fn document(app: &TestApp) -> Value {
    let r = reqwest::get(format!("{}/api/openapi.json", app.base))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "the document is open");
    r.json().await.unwrap()
}

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// Every documented operation: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((m.to_string(), path.clone(), op.clone()));
            }
        }
    }
    out
}

/// A documented path with each `{param}` filled in.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for ch in path.chars() {
        match ch {
            '{' => in_param = true,
            '}' => {
                in_param = false;
                out.push_str("CAnone");
            }
            _ if in_param => {}
            _ => out.push(ch),
        }
    }
    out
}

fn needs_token(op: &Value) -> bool {
    op["security"]
        .as_array()
        .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()))
}

/// The paths the source documents: each `#[utoipa::path(..)]`'s `path = "…"`, the provider's
/// under its name.
fn documented_in_source(provider: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for file in std::fs::read_dir(root().join("src/http")).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        for attr in text.split("#[utoipa::path(").skip(1) {
            let attr = &attr[..attr.find("\n)]").expect("attribute closes")];
            let path = attr
                .split("path = \"")
                .nth(1)
                .and_then(|p| p.split('"').next())
                .expect("each operation names its path");
            if attr.contains("tag = \"provider\"") {
                out.insert(format!("/{provider}{path}"));
            } else {
                out.insert(path.to_string());
            }
        }
        // Routes mounted outside `routes!` would be served undocumented.
        for mount in [".route(", ".route_service(", ".nest_service(", ".fallback("] {
            assert!(
                !text.contains(mount),
                "src/http mounts a route with `{mount}`: mount it with utoipa_axum::routes! so it is documented"
            );
        }
    }
    out
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_is_served() {
    let app = app().await;
    let doc = document(&app).await;
    let provider = app.services.provider.name();
    let served: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(served, documented_in_source(provider));

    let mut open = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let r = send(
            &app,
            method.to_uppercase().parse().unwrap(),
            &concrete(&path),
            None,
            None,
        )
        .await;
        let status = r.status().as_u16();
        assert_ne!(status, 405, "{method} {path} is documented but not served");
        if !needs_token(&op) {
            open.insert(format!("{method} {path}"));
            // The export feed is a 404 to anyone without its secret, as if it did not exist.
            if path != "/calendar/{file}" {
                assert_ne!(status, 404, "{method} {path} is documented but not served");
            }
        }
        // Any other method on a documented path is not served.
        let item = &doc["paths"][&path];
        for other in METHODS.iter().filter(|m| item.get(**m).is_none()) {
            let r = send(
                &app,
                other.to_uppercase().parse().unwrap(),
                &concrete(&path),
                Some(API_TOKEN),
                None,
            )
            .await;
            assert_eq!(
                r.status().as_u16(),
                405,
                "{other} {path} is served undocumented"
            );
        }
    }
    let expected: BTreeSet<String> = [
        "get /healthz".to_string(),
        "get /readyz".into(),
        "get /metrics".into(),
        "get /api/openapi.json".into(),
        "get /calendar/{file}".into(),
        format!("post /{provider}/voice"),
        format!("get /{provider}/stream"),
        format!("post /{provider}/dial-status"),
    ]
    .into();
    assert_eq!(
        open, expected,
        "only these routes are open without the token"
    );
}

#[tokio::test]
async fn every_documented_operation_answers_401_without_the_token_or_with_a_wrong_one() {
    let app = app().await;
    let doc = document(&app).await;
    let mut checked = 0;
    for (method, path, op) in operations(&doc) {
        if !needs_token(&op) {
            continue;
        }
        let responses = &op["responses"];
        assert!(
            responses.get("401").is_some(),
            "{method} {path} documents its 401"
        );
        for token in [None, Some("wrong-token"), Some("")] {
            let r = send(
                &app,
                method.to_uppercase().parse().unwrap(),
                &concrete(&path),
                token,
                Some(json!({})),
            )
            .await;
            assert_eq!(r.status().as_u16(), 401, "{method} {path} with {token:?}");
            assert_eq!(
                r.headers()
                    .get("www-authenticate")
                    .map(|v| v.to_str().unwrap()),
                Some("Bearer")
            );
            let body: Value = r.json().await.unwrap();
            assert!(
                body["error"].as_str().is_some_and(|e| e.contains("token")),
                "{body}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} operations need the token");
}

#[tokio::test]
async fn the_served_document_validates() {
    let app = app().await;
    let doc = document(&app).await;
    assert!(doc["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.1")));
    let python = root().join(".venv/bin/python");
    let has_validator = std::process::Command::new(&python)
        .args(["-c", "import openapi_spec_validator"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_validator {
        eprintln!(
            "SKIPPED: {} has no openapi-spec-validator; run scripts/setup.sh (it installs it)",
            python.display()
        );
        return;
    }
    let file = app.dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = std::process::Command::new(&python)
        .args([
            "-c",
            "import json, sys\n\
             from openapi_spec_validator import validate\n\
             validate(json.load(open(sys.argv[1])))\n\
             print('valid')",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openapi-spec-validator refused the document:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Logs a closed call through the store's ports, as a session would.
async fn log_call(
    app: &TestApp,
    sid: &str,
    at: DateTime<Utc>,
    said: &str,
    info: CallerInfo,
    outcome: Outcome,
) {
    let store = &app.services.store;
    store
        .begin_call(sid, Some("+16175550123"), None, at)
        .await
        .unwrap();
    store
        .add_turn(sid, 1, Speaker::Caller, said, at, None)
        .await
        .unwrap();
    store.update_caller(sid, &info).await.unwrap();
    store.set_outcome(sid, outcome, None).await.unwrap();
    store
        .end_call(sid, CallStatus::Completed, at)
        .await
        .unwrap();
}

fn sids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["call_sid"].as_str().unwrap().to_string())
        .collect()
}

/// Seven calls an hour apart from 18:00 Boston time on 24 November: CA1 (oldest) … CA7.
async fn seven_calls(app: &TestApp) {
    let t0: DateTime<Utc> = "2026-11-24T23:00:00Z".parse().unwrap();
    let who = |name: &str| CallerInfo {
        name: Some(name.into()),
        category: Some(Category::New),
        urgency: Some(Urgency::Routine),
        ..CallerInfo::default()
    };
    let calls = [
        (
            "CA1",
            "I'd like to leave a message.",
            Outcome::Message,
            CallerInfo {
                message: Some("Call me about the contract renewal.".into()),
                ..who("Jordan Lee")
            },
        ),
        (
            "CA2",
            "The servers are down!",
            Outcome::Escalated,
            CallerInfo {
                escalation: Some("urgency: emergency".into()),
                urgency: Some(Urgency::Emergency),
                ..who("Dana Kim")
            },
        ),
        (
            "CA3",
            "Hello? Anyone?",
            Outcome::Abandoned,
            who("Sam Ortiz"),
        ),
        ("CA4", "Where is the office?", Outcome::Faq, who("Lee Park")),
        (
            "CA5",
            "Book me in on Thursday.",
            Outcome::Booked,
            who("Ann Wu"),
        ),
        (
            "CA6",
            "You have won a prize.",
            Outcome::Blocked,
            CallerInfo {
                category: Some(Category::Spam),
                ..CallerInfo::default()
            },
        ),
        (
            "CA7",
            "Another message, about the Renewal.",
            Outcome::Message,
            CallerInfo {
                message: Some("Renewal papers are ready.".into()),
                ..who("Priya Raman")
            },
        ),
    ];
    for (i, (sid, said, outcome, info)) in calls.into_iter().enumerate() {
        let at = t0 + Duration::hours(i as i64);
        log_call(app, sid, at, said, info, outcome).await;
    }
}

#[tokio::test]
async fn calls_are_found_by_filter_a_page_at_a_time() {
    let app = app().await;
    seven_calls(&app).await;
    for (query, want) in [
        ("", vec!["CA7", "CA6", "CA5", "CA4", "CA3", "CA2", "CA1"]),
        ("outcome=message", vec!["CA7", "CA1"]),
        ("urgency=emergency", vec!["CA2"]),
        ("category=spam", vec!["CA6"]),
        ("inbox=missed_call", vec!["CA3"]),
        ("handled=false", vec!["CA7", "CA5", "CA3", "CA2", "CA1"]),
        // Words said on the call, any case.
        ("q=renewal", vec!["CA7", "CA1"]),
        ("q=ANYONE", vec!["CA3"]),
        (
            "q=renewal&outcome=message&until=2026-11-24T23:30:00Z",
            vec!["CA1"],
        ),
        // Dates are days in the executive's zone (Boston): the 24th ends at 05:00Z.
        (
            "since=2026-11-24T23:00:00Z&until=2026-11-25T02:00:00Z",
            vec!["CA3", "CA2", "CA1"],
        ),
        ("since=2026-11-25", vec!["CA7"]),
        (
            "until=2026-11-24",
            vec!["CA6", "CA5", "CA4", "CA3", "CA2", "CA1"],
        ),
    ] {
        let (status, list) = get(&app, &format!("/api/calls?{query}")).await;
        assert_eq!(status, 200, "{query}: {list}");
        assert_eq!(sids(&list), want, "{query}");
    }

    // Pages of three, following the Link header: every call once, newest first.
    let mut path = "/api/calls?limit=3&q=".to_string();
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let r = send(&app, reqwest::Method::GET, &path, Some(API_TOKEN), None).await;
        assert_eq!(r.status().as_u16(), 200);
        let link = r
            .headers()
            .get("link")
            .map(|v| v.to_str().unwrap().to_string());
        let cursor = r.headers().get("x-next-cursor").cloned();
        let list: Value = r.json().await.unwrap();
        assert!(list.as_array().unwrap().len() <= 3);
        seen.extend(sids(&list));
        pages += 1;
        match link {
            Some(link) => {
                assert!(cursor.is_some());
                let url = link
                    .strip_prefix('<')
                    .and_then(|l| l.split_once(">; rel=\"next\""))
                    .map(|(u, _)| u.to_string())
                    .unwrap_or_else(|| panic!("a next link: {link}"));
                assert!(url.starts_with("/api/calls?limit=3&q=&cursor="), "{url}");
                path = url;
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ["CA7", "CA6", "CA5", "CA4", "CA3", "CA2", "CA1"]);

    // What cannot be read is a 400 that says why.
    for (query, says) in [
        ("outcome=won", "outcome"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("cursor=nonsense", "cursor"),
        ("since=yesterday", "since"),
        ("handled=maybe", "handled"),
    ] {
        let (status, body) = get(&app, &format!("/api/calls?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(says)),
            "{query}: {body}"
        );
    }
    let (status, body) = get(&app, "/api/calls/CAnone").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("no call CAnone"))
    );
    let (status, body) = get(&app, "/api/calls/CA1/recording.wav").await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn inbox_items_are_marked_handled_and_reopened() {
    let app = app().await;
    seven_calls(&app).await;
    let inbox = |query: &'static str| {
        let app = &app;
        async move {
            let r = send(
                app,
                reqwest::Method::GET,
                &format!("/api/inbox?{query}"),
                Some(API_TOKEN),
                None,
            )
            .await;
            assert_eq!(r.status().as_u16(), 200);
            let unhandled: i64 = r.headers()["x-unhandled-count"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            let list: Value = r.json().await.unwrap();
            (list, unhandled)
        }
    };
    let (all, unhandled) = inbox("").await;
    assert_eq!(sids(&all), ["CA7", "CA5", "CA3", "CA2", "CA1"]);
    assert_eq!(unhandled, 5);
    let kinds: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["message", "request", "missed_call", "escalation", "message"]
    );
    let escalation = &all[3];
    assert_eq!(escalation["urgency"], "emergency");
    assert_eq!(escalation["caller"]["name"], "Dana Kim");
    assert_eq!(escalation["handled"], false);
    assert_eq!(
        escalation["headline"],
        "EMERGENCY escalation: Dana Kim +16175550123 (urgency: emergency)"
    );

    let (status, item) = post(&app, "/api/inbox/CA2/handled", json!({})).await;
    assert_eq!(status, 200, "{item}");
    assert_eq!(item["handled"], true);
    assert!(item["handled_at"].as_str().is_some());
    let (open, unhandled) = inbox("handled=false").await;
    assert_eq!(sids(&open), ["CA7", "CA5", "CA3", "CA1"]);
    assert_eq!(unhandled, 4);
    let (done, _) = inbox("handled=true").await;
    assert_eq!(sids(&done), ["CA2"]);
    let (_, call) = get(&app, "/api/calls/CA2").await;
    assert_eq!(call["inbox"], "escalation");
    assert!(call["handled_at"].as_str().is_some());

    let (status, item) = post(&app, "/api/inbox/CA2/reopen", json!({})).await;
    assert_eq!((status, &item["handled"]), (200, &json!(false)));
    let (_, unhandled) = inbox("").await;
    assert_eq!(unhandled, 5);
    let (messages, _) = inbox("kind=message").await;
    assert_eq!(sids(&messages), ["CA7", "CA1"]);
    let (page, _) = inbox("limit=2").await;
    assert_eq!(sids(&page), ["CA7", "CA5"]);

    // A question answered is no inbox item.
    let (status, body) = post(&app, "/api/inbox/CA4/handled", json!({})).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "call CA4 is not in the inbox");
    let (status, _) = get(&app, "/api/inbox?kind=memo").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn contacts_are_edited_and_a_blocked_caller_is_screened_blocked_on_the_next_call() {
    let app = app().await;
    let (status, sam) = post(
        &app,
        "/api/contacts",
        json!({"kind": "vip", "name": "Sam Lee", "number": "+1 (617) 555-0111", "company": "Acme"}),
    )
    .await;
    assert_eq!(status, 201, "{sam}");
    assert_eq!(
        (sam["source"].as_str(), sam["kind"].as_str()),
        (Some("desk"), Some("vip"))
    );
    let id = sam["id"].as_str().unwrap().to_string();

    // The same number again, however written: 409.
    let (status, body) = post(
        &app,
        "/api/contacts",
        json!({"kind": "known", "name": "S", "number": "6175550111"}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    // Not valid: 422, saying why; not JSON: 400.
    for (bad, says) in [
        (
            json!({"kind": "vip", "number": "+16175550112"}),
            "needs a name",
        ),
        (
            json!({"kind": "known", "name": "X", "number": "12"}),
            "not a phone number",
        ),
        (json!({"kind": "friend", "name": "X"}), "kind"),
        (json!({"name": "X"}), "kind"),
    ] {
        let (status, body) = post(&app, "/api/contacts", bad.clone()).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(says)),
            "{bad}: {body}"
        );
    }
    let r = reqwest::Client::new()
        .post(format!("{}/api/contacts", app.base))
        .bearer_auth(API_TOKEN)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.json::<Value>().await.unwrap()["error"].is_string());

    let (status, edited) = call_api(
        &app,
        reqwest::Method::PUT,
        &format!("/api/contacts/{id}"),
        Some(json!({"kind": "known", "name": "Sam Lee", "number": "+16175550111", "note": "met at the summit"})),
    )
    .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(
        (edited["kind"].as_str(), edited["company"].as_str()),
        (Some("known"), None)
    );
    let (status, _) = call_api(
        &app,
        reqwest::Method::PUT,
        "/api/contacts/con_none",
        Some(json!({"kind": "known", "name": "X"})),
    )
    .await;
    assert_eq!(status, 404);

    // The list: the desk's, then the persona's (its VIP Taylor Brooks among them).
    let (status, list) = get(&app, "/api/contacts").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list[0]["id"].as_str(), Some(id.as_str()));
    assert!(list.iter().any(|c| c["name"] == "Taylor Brooks"
        && c["source"] == "persona"
        && c["kind"] == "vip"
        && c["id"].is_null()));
    let (_, vips) = get(&app, "/api/contacts?kind=vip").await;
    assert!(vips.as_array().unwrap().iter().all(|c| c["kind"] == "vip"));

    // Block a caller: a call from that number is then screened as blocked.
    let caller = "+16175550123";
    let (status, blocked) = post(
        &app,
        "/api/contacts/block",
        json!({"number": caller, "name": "Pat Doe"}),
    )
    .await;
    assert_eq!(status, 200, "{blocked}");
    assert_eq!(blocked["kind"], "blocked");
    let mut opts = app.sim_options();
    opts.from = caller.to_string();
    let report = frontdesk::sim::place_call(&opts, &[], Arc::new(ToneVoice), None)
        .await
        .expect("call completes");
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["category"], "blocked", "{call}");
    assert_eq!(call["outcome"], "blocked", "{call}");

    // Blocking the persona's VIP by a call of theirs: the desk's entry replaces the file's.
    let at: DateTime<Utc> = "2026-11-24T23:00:00Z".parse().unwrap();
    app.services
        .store
        .begin_call("CAvip", Some("+16175550199"), None, at)
        .await
        .unwrap();
    let (status, blocked) = post(&app, "/api/contacts/block", json!({"call_sid": "CAvip"})).await;
    assert_eq!(
        (status, blocked["number"].as_str()),
        (200, Some("+16175550199"))
    );
    let (_, list) = get(&app, "/api/contacts").await;
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "Taylor Brooks"),
        "{list}"
    );
    let (status, _) = post(&app, "/api/contacts/block", json!({"call_sid": "CAnone"})).await;
    assert_eq!(status, 404);
    let (status, _) = post(&app, "/api/contacts/block", json!({})).await;
    assert_eq!(status, 422);

    let (status, _) = call_api(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/contacts/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, body) = get(&app, &format!("/api/contacts/{id}")).await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = call_api(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/contacts/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_appointment_that_overlaps_a_booking_is_refused_with_409() {
    let app = app().await;
    let (status, a) = post(
        &app,
        "/api/appointments",
        json!({"start": "2026-11-26T14:00:00-05:00", "caller_name": "Dana Kim", "purpose": "budget"}),
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["status"], "booked");
    // The persona's meeting length when no end is given.
    assert_eq!(a["end"], "2026-11-26T14:30:00-05:00");
    let id = a["id"].as_str().unwrap().to_string();

    let (status, body) = post(
        &app,
        "/api/appointments",
        json!({"start": "2026-11-26T19:15:00Z", "end": "2026-11-26T20:00:00Z"}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "that time overlaps a booked appointment");
    for bad in [
        json!({"start": "Thursday at two"}),
        json!({"start": "2026-11-26T16:00:00-05:00", "end": "2026-11-26T15:00:00-05:00"}),
    ] {
        let (status, body) = post(&app, "/api/appointments", bad.clone()).await;
        assert_eq!(status, 422, "{bad}: {body}");
    }
    let (status, _) = post(&app, "/api/appointments", json!({"begin": "x"})).await;
    assert_eq!(status, 422);

    let (status, cancelled) =
        post(&app, &format!("/api/appointments/{id}/cancel"), json!({})).await;
    assert_eq!(
        (status, cancelled["status"].as_str()),
        (200, Some("cancelled"))
    );
    let (status, body) = post(&app, &format!("/api/appointments/{id}/cancel"), json!({})).await;
    assert_eq!(status, 404, "{body}");
    // The time is free again.
    let (status, _) = post(
        &app,
        "/api/appointments",
        json!({"start": "2026-11-26T19:15:00Z", "end": "2026-11-26T20:00:00Z"}),
    )
    .await;
    assert_eq!(status, 201);
    let (_, booked) = get(&app, "/api/appointments?status=booked").await;
    assert_eq!(booked.as_array().unwrap().len(), 1);
    let (status, _) = get(&app, "/api/appointments?status=lost").await;
    assert_eq!(status, 400);
}
