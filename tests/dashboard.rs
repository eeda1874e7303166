//! The executive's desk, black-box: the real server on port 0 with a fresh SQLite file and the
//! stand-in speech engines (`frontdesk::speech::fake`, as `tests/session.rs` runs them), real
//! simulated calls over the real websocket first, then a real headless Chromium driven over
//! WebDriver (`chromedriver`, started by the test; Debian's `chromium` and `chromium-driver`,
//! installed by `scripts/setup.sh`) at desktop and phone widths, with screenshots in
//! `$CARGO_TARGET_DIR/dashboard-screenshots/` (else `target/`). The sign-in's defences (form
//! tokens, the session's signature, the lockout), every form's token, the inbox and contacts
//! forms, and blocking a caller (their next call screened blocked) are checked over plain HTTP.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{spawn_app_with_engines_and, TestApp};
use fantoccini::{Client, ClientBuilder, Locator};
use frontdesk::app::Engines;
use frontdesk::config::UserConfig;
use frontdesk::sim::{self, Step};
use frontdesk::speech::fake::{Scripted, ToneVoice};

const SECRET: &str = "a-test-session-secret-of-at-least-32-chars";
const OTHER_SECRET: &str = "another-instance-secret-of-32-chars-or-more";

/// Jordan Lee books tomorrow (Wednesday 25 November) at 2 pm.
const BOOKING: [&str; 4] = [
    "Hi, this is Jordan Lee. I'd like to book a meeting with Alex about the budget.",
    "Tomorrow at 2 pm.",
    "Yes, please.",
    "No, that's all. Thank you.",
];

/// A caller leaves a message (then confirms it with the keypad).
const MESSAGE: [&str; 4] = [
    "Hi, I'd like to leave a message for Alex, please.",
    "This is Dana Kim from Initech.",
    "Yes.",
    "Please call me back about the contract renewal before Friday.",
];

/// Dana Kim's row on the contacts page (a desk contact: a form holding her name).
const DANA_CONTACT: &str =
    "//li[contains(@class,'contact')][.//input[@name='name' and @value='Dana Kim']]";

/// A config user `name` with `password`.
fn user(name: &str, password: &str) -> UserConfig {
    UserConfig {
        name: name.into(),
        password_hash: frontdesk::dashboard::auth::hash_password(password).unwrap(),
    }
}

/// A server with the stand-in engines hearing `lines`, the session secret `secret`, and the
/// config's users `users`.
async fn desk(lines: Vec<&str>, secret: &str, users: Vec<UserConfig>) -> (TestApp, Scripted) {
    let heard = Scripted::new(lines);
    let secret = secret.to_string();
    let app = spawn_app_with_engines_and(
        Engines {
            stt: Arc::new(heard.clone()),
            tts: Arc::new(ToneVoice),
        },
        move |c| {
            c.session_secret = Some(secret);
            c.users = users;
        },
    )
    .await;
    (app, heard)
}

/// Places a call from `from` saying `lines` (then `extra`); returns its id once it is stored
/// closed.
async fn place_call(app: &TestApp, from: &str, lines: &[&str], extra: Option<Step>) -> String {
    let mut script: Vec<Step> = lines.iter().map(|l| Step::Say(l.to_string())).collect();
    script.extend(extra);
    let mut opts = app.sim_options();
    opts.from = from.into();
    let report = sim::place_call(&opts, &script, Arc::new(ToneVoice), None)
        .await
        .expect("call completes");
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["status"], "completed", "{call}");
    report.call_sid
}

// --- plain HTTP -------------------------------------------------------------------------------

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The `Set-Cookie` headers of a response, whole.
fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect()
}

/// The value cookie `name` is set to, from `Set-Cookie` headers.
fn cookie_value(set: &[String], name: &str) -> Option<String> {
    set.iter().find_map(|c| {
        c.split(';')
            .next()?
            .strip_prefix(&format!("{name}="))
            .map(str::to_string)
    })
}

/// The first form token (`name="csrf" value="…"`) in a page.
fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form token") + 19;
    html[at..].split('"').next().unwrap().to_string()
}

/// What a sign-in attempt came to.
struct SignedIn {
    status: u16,
    set: Vec<String>,
    body: String,
    location: String,
}

impl SignedIn {
    fn session(&self) -> Option<String> {
        cookie_value(&self.set, "fd_session").filter(|v| !v.is_empty())
    }
}

/// Opens the sign-in form and posts `name` and `password` with its token.
async fn sign_in(base: &str, name: &str, password: &str) -> SignedIn {
    let c = http();
    let form = c.get(format!("{base}/desk/signin")).send().await.unwrap();
    assert_eq!(form.status().as_u16(), 200);
    let nonce = cookie_value(&set_cookies(&form), "fd_signin").expect("the form's cookie");
    let csrf = csrf_in(&form.text().await.unwrap());
    let r = c
        .post(format!("{base}/desk/signin"))
        .header("cookie", format!("fd_signin={nonce}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", name),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    SignedIn {
        status: r.status().as_u16(),
        set: set_cookies(&r),
        location: r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        body: r.text().await.unwrap(),
    }
}

/// `GET path` with the session cookie: status, `Location`, body.
async fn get_with(base: &str, path: &str, session: &str) -> (u16, String, String) {
    let r = http()
        .get(format!("{base}{path}"))
        .header("cookie", format!("fd_session={session}"))
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (r.status().as_u16(), location, r.text().await.unwrap())
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_and_secure_over_https() {
    let (app, _) = desk(vec![], SECRET, vec![user("alex", "correct horse")]).await;
    let ok = sign_in(&app.base, "alex", "correct horse").await;
    assert_eq!(
        (ok.status, ok.location.as_str()),
        (303, "/desk"),
        "{}",
        ok.body
    );
    let cookie = ok
        .set
        .iter()
        .find(|c| c.starts_with("fd_session="))
        .unwrap();
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");

    let heard = Scripted::default();
    let https = spawn_app_with_engines_and(
        Engines {
            stt: Arc::new(heard),
            tts: Arc::new(ToneVoice),
        },
        |c| {
            c.public_url = Some("https://desk.example.com".into());
            c.users = vec![user("alex", "correct horse")];
        },
    )
    .await;
    let ok = sign_in(&https.base, "alex", "correct horse").await;
    let cookie = ok
        .set
        .iter()
        .find(|c| c.starts_with("fd_session="))
        .unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn a_form_posted_without_its_csrf_token_is_refused() {
    let (app, _) = desk(vec![], SECRET, vec![user("alex", "correct horse")]).await;
    let base = &app.base;
    let c = http();

    // The sign-in form itself: without its token, or with a token from another form.
    let r = c
        .post(format!("{base}/desk/signin"))
        .form(&[("name", "alex"), ("password", "correct horse")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(set_cookies(&r)
        .iter()
        .all(|s| !s.starts_with("fd_session=")));

    let session = sign_in(base, "alex", "correct horse")
        .await
        .session()
        .unwrap();
    let (status, _, page) = get_with(base, "/desk/calls", &session).await;
    assert_eq!(status, 200);
    let token = csrf_in(&page);
    let other = sign_in(base, "alex", "correct horse")
        .await
        .session()
        .unwrap();
    let (_, _, other_page) = get_with(base, "/desk/calls", &other).await;
    let other_token = csrf_in(&other_page);
    assert_ne!(token, other_token, "a token belongs to its session");

    for (path, form) in [
        ("/desk/signout", vec![]),
        ("/desk/signout", vec![("csrf", other_token.as_str())]),
        ("/desk/signout", vec![("csrf", "00")]),
        ("/desk/appointments/apt_x/cancel", vec![]),
    ] {
        let r = c
            .post(format!("{base}{path}"))
            .header("cookie", format!("fd_session={session}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{path} {form:?}");
    }
    // Still signed in: nothing was done.
    assert_eq!(get_with(base, "/desk/calls", &session).await.0, 200);

    // With its token the form goes through, and the session is over.
    let r = c
        .post(format!("{base}/desk/signout"))
        .header("cookie", format!("fd_session={session}"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (status, location, _) = get_with(base, "/desk/calls", &session).await;
    assert_eq!((status, location.as_str()), (303, "/desk/signin"));
    assert_eq!(get_with(base, "/desk/calls", &other).await.0, 200);
}

/// `POST path` with the session cookie and `form`: status, `Location`, body.
async fn post_with(
    base: &str,
    path: &str,
    session: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let r = http()
        .post(format!("{base}{path}"))
        .header("cookie", format!("fd_session={session}"))
        .form(form)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (r.status().as_u16(), location, r.text().await.unwrap())
}

/// The desk's own contacts (not the persona's), as `(kind, name, number)`.
async fn desk_contacts(app: &TestApp) -> Vec<(String, String, String)> {
    app.services
        .store
        .contacts()
        .await
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.kind.to_string(),
                c.name.unwrap_or_default(),
                c.number.unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_inbox_and_contacts_forms_need_their_token_and_blocking_screens_the_next_call() {
    use frontdesk::logic::dialog::CallerInfo;
    use frontdesk::logic::domain::{Category, ContactKind, Outcome, Urgency};
    use frontdesk::store::{CallStatus, NewContact, Speaker};

    let (app, _) = desk(vec![], SECRET, vec![user("alex", "correct horse")]).await;
    let base = &app.base;
    let store = &app.services.store;
    // A message left by Pat Doe from +1 617 555 0123, and a contact of the desk's.
    let at = chrono::Utc::now() - chrono::Duration::minutes(5);
    store
        .begin_call("CAmsg", Some("+16175550123"), None, at)
        .await
        .unwrap();
    store
        .add_turn(
            "CAmsg",
            1,
            Speaker::Caller,
            "Please call me back.",
            at,
            None,
        )
        .await
        .unwrap();
    let info = CallerInfo {
        name: Some("Pat Doe".into()),
        category: Some(Category::New),
        urgency: Some(Urgency::Routine),
        message: Some("Please call me back about the lease.".into()),
        ..CallerInfo::default()
    };
    store.update_caller("CAmsg", &info).await.unwrap();
    store
        .set_outcome("CAmsg", Outcome::Message, None)
        .await
        .unwrap();
    store
        .end_call("CAmsg", CallStatus::Completed, at)
        .await
        .unwrap();
    let sam = store
        .add_contact(
            &NewContact {
                kind: Some(ContactKind::Vip),
                name: Some("Sam Lee".into()),
                number: Some("+16175550111".into()),
                ..NewContact::default()
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let sam_id = sam.id.clone().unwrap();
    let before = desk_contacts(&app).await;

    let session = sign_in(base, "alex", "correct horse")
        .await
        .session()
        .unwrap();
    let (status, _, page) = get_with(base, "/desk/inbox", &session).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-call=\"CAmsg\""), "{page}");
    assert!(
        page.contains("Please call me back about the lease."),
        "{page}"
    );
    assert!(page.contains("id=\"unhandled\">1<"), "{page}");
    let token = csrf_in(&page);
    let token = token.as_str();

    // Every new form, without its token or with a wrong one: 403, and nothing changes.
    let edit = format!("/desk/contacts/{sam_id}");
    let delete = format!("/desk/contacts/{sam_id}/delete");
    let forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/desk/inbox/CAmsg/handled", vec![("handled", "1")]),
        ("/desk/calls/CAmsg/block", vec![]),
        (
            "/desk/contacts",
            vec![
                ("kind", "known"),
                ("name", "Eve"),
                ("number", "+16175550198"),
            ],
        ),
        (
            edit.as_str(),
            vec![("kind", "blocked"), ("name", "Sam Lee")],
        ),
        (delete.as_str(), vec![]),
    ];
    for (path, form) in &forms {
        for bad in [None, Some("00"), Some("")] {
            let mut form = form.clone();
            form.extend(bad.map(|t| ("csrf", t)));
            let (status, _, _) = post_with(base, path, &session, &form).await;
            assert_eq!(status, 403, "{path} {form:?}");
        }
    }
    assert_eq!(store.unhandled_count().await.unwrap(), 1);
    assert_eq!(desk_contacts(&app).await, before);

    // The calls list's filter: words said or left, outcome, handled, a date not understood.
    for (query, listed) in [
        ("", true),
        ("q=CALL+ME+BACK", true),
        ("q=the+lease&outcome=message&handled=no", true),
        ("q=nothing+like+it", false),
        ("outcome=booked", false),
        ("handled=yes", false),
    ] {
        let (status, _, page) = get_with(base, &format!("/desk/calls?{query}"), &session).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(
            page.contains("/desk/calls/CAmsg\""),
            listed,
            "{query}: {page}"
        );
        if !listed {
            assert!(
                page.contains("No call matches this filter."),
                "{query}: {page}"
            );
        }
    }
    let (status, _, page) = get_with(base, "/desk/calls?from=yesterday", &session).await;
    assert_eq!(status, 200);
    assert!(page.contains("is not a date"), "{page}");

    // With it: handled, then reopened; back only to the desk's own pages.
    let (status, location, _) = post_with(
        base,
        "/desk/inbox/CAmsg/handled",
        &session,
        &[
            ("csrf", token),
            ("handled", "1"),
            ("back", "//evil.example/"),
        ],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/desk/inbox"));
    assert_eq!(store.unhandled_count().await.unwrap(), 0);
    let (_, _, page) = get_with(base, "/desk/inbox", &session).await;
    assert!(
        !page.contains("CAmsg") && !page.contains("id=\"unhandled\""),
        "{page}"
    );
    let (_, _, page) = get_with(base, "/desk/inbox?show=handled", &session).await;
    assert!(
        page.contains("data-call=\"CAmsg\"") && page.contains("Reopen"),
        "{page}"
    );
    let (status, location, _) = post_with(
        base,
        "/desk/inbox/CAmsg/handled",
        &session,
        &[
            ("csrf", token),
            ("handled", "0"),
            ("back", "/desk/inbox?show=handled"),
        ],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/desk/inbox?show=handled")
    );
    assert_eq!(store.unhandled_count().await.unwrap(), 1);
    let (status, _, _) = post_with(
        base,
        "/desk/inbox/CAnone/handled",
        &session,
        &[("csrf", token), ("handled", "1")],
    )
    .await;
    assert_eq!(status, 404);

    // Contacts: added, refused with the reason, edited, removed.
    let (status, location, _) = post_with(
        base,
        "/desk/contacts",
        &session,
        &[
            ("csrf", token),
            ("kind", "known"),
            ("name", "Eve Park"),
            ("number", "(617) 555-0198"),
        ],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/desk/contacts"));
    let (status, _, page) = post_with(
        base,
        "/desk/contacts",
        &session,
        &[("csrf", token), ("kind", "friend"), ("name", "X")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("role=\"alert\""), "{page}");
    let (status, _, page) = post_with(
        base,
        "/desk/contacts",
        &session,
        &[
            ("csrf", token),
            ("kind", "known"),
            ("name", "Sam again"),
            ("number", "617 555 0111"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("already has the number"), "{page}");
    let (status, _, _) = post_with(
        base,
        &edit,
        &session,
        &[
            ("csrf", token),
            ("kind", "known"),
            ("name", "Sam Lee"),
            ("number", "+16175550111"),
            ("note", "met at the summit"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, page) = get_with(base, "/desk/contacts", &session).await;
    assert!(
        page.contains("met at the summit") && page.contains("Eve Park"),
        "{page}"
    );
    // The persona's own entries are shown, read-only.
    assert!(
        page.contains("Taylor Brooks") && page.contains("from the persona"),
        "{page}"
    );
    let eve = store
        .contacts()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name.as_deref() == Some("Eve Park"))
        .and_then(|c| c.id)
        .unwrap();
    let (status, _, _) = post_with(
        base,
        &format!("/desk/contacts/{eve}/delete"),
        &session,
        &[("csrf", token)],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _, _) = post_with(
        base,
        &format!("/desk/contacts/{eve}/delete"),
        &session,
        &[("csrf", token)],
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        desk_contacts(&app).await,
        [(
            "known".to_string(),
            "Sam Lee".to_string(),
            "+16175550111".to_string()
        )]
    );

    // Block Pat Doe from the call's page: a blocked contact for the caller ID, the page says
    // so, and the next call from that number (however written) is screened blocked.
    let (_, _, page) = get_with(base, "/desk/calls/CAmsg", &session).await;
    assert!(
        page.contains("Block this caller") && !page.contains("id=\"blocked\""),
        "{page}"
    );
    let (status, location, _) = post_with(
        base,
        "/desk/calls/CAmsg/block",
        &session,
        &[("csrf", token)],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/desk/calls/CAmsg"));
    assert!(desk_contacts(&app).await.contains(&(
        "blocked".into(),
        "Pat Doe".into(),
        "+16175550123".into()
    )));
    let (_, _, page) = get_with(base, "/desk/calls/CAmsg", &session).await;
    assert!(
        page.contains("id=\"blocked\"") && !page.contains("Block this caller"),
        "{page}"
    );
    let mut opts = app.sim_options();
    opts.from = "+1 617-555-0123".into();
    let report = sim::place_call(&opts, &[], Arc::new(ToneVoice), None)
        .await
        .expect("call completes");
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(
        (call["category"].as_str(), call["outcome"].as_str()),
        (Some("blocked"), Some("blocked")),
        "{call}"
    );
    // A call from another number is not.
    opts.from = "+16175550124".into();
    let report = sim::place_call(&opts, &[], Arc::new(ToneVoice), None)
        .await
        .expect("call completes");
    let call = app.stored_call(&report.call_sid).await;
    assert_ne!(call["category"].as_str(), Some("blocked"), "{call}");
    let (status, _, _) = post_with(
        base,
        "/desk/calls/CAnone/block",
        &session,
        &[("csrf", token)],
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_session_cookie_signed_with_another_instance_secret_is_refused() {
    let (app, _) = desk(vec![], SECRET, vec![user("alex", "correct horse")]).await;
    let session = sign_in(&app.base, "alex", "correct horse")
        .await
        .session()
        .unwrap();
    assert_eq!(get_with(&app.base, "/desk/calls", &session).await.0, 200);

    // The same database, so the same session row, under two other instances.
    let db = app.services.config.database_url.clone();
    let under = |secret: &'static str| {
        let db = db.clone();
        spawn_app_with_engines_and(
            Engines {
                stt: Arc::new(Scripted::default()),
                tts: Arc::new(ToneVoice),
            },
            move |c| {
                c.database_url = db;
                c.session_secret = Some(secret.into());
            },
        )
    };
    let other = under(OTHER_SECRET).await;
    for path in ["/desk/calls", "/desk/week", "/desk/live"] {
        let (status, location, _) = get_with(&other.base, path, &session).await;
        assert_eq!((status, location.as_str()), (303, "/desk/signin"), "{path}");
    }
    // No cookie, or a made-up one, fares no better.
    let (status, location, _) = get_with(&other.base, "/desk/calls", "made-up.00ff").await;
    assert_eq!((status, location.as_str()), (303, "/desk/signin"));
    let same = under(SECRET).await;
    assert_eq!(get_with(&same.base, "/desk/calls", &session).await.0, 200);
}

#[tokio::test]
async fn repeated_failed_sign_ins_lock_the_name_out() {
    let (app, _) = desk(
        vec![],
        SECRET,
        vec![user("alex", "correct horse"), user("sam", "battery staple")],
    )
    .await;
    for _ in 0..5 {
        let r = sign_in(&app.base, "alex", "wrong").await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("Wrong name or password"), "{}", r.body);
        assert!(r.session().is_none());
    }
    // Locked: the right password is refused too.
    let r = sign_in(&app.base, "alex", "correct horse").await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("Too many failed sign-ins"), "{}", r.body);
    assert!(r.session().is_none());
    // Another name is not.
    let r = sign_in(&app.base, "sam", "battery staple").await;
    assert_eq!(r.status, 303);
    assert!(r.session().is_some());
}

// --- the browser --------------------------------------------------------------------------------

/// A `chromedriver` this test started, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn chromedriver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect(
            "chromedriver runs: install Debian's chromium and chromium-driver (scripts/setup.sh)",
        );
    let url = format!("http://127.0.0.1:{port}");
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(r) = reqwest::get(format!("{url}/status")).await {
            if r.status().is_success() {
                break;
            }
        }
        assert!(Instant::now() < until, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver { child, url }
}

async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "chrome".into());
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,800", "--autoplay-policy=no-user-gesture-required",
                     "--mute-audio"]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a headless Chromium session")
}

fn shots() -> PathBuf {
    let dir = PathBuf::from(
        std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| format!("{}/target", env!("CARGO_MANIFEST_DIR"))),
    )
    .join("dashboard-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn screenshot(b: &Client, name: &str) {
    let png = b.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{name}");
    std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
}

/// The page's visible text.
async fn text(b: &Client) -> String {
    b.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Waits (up to `secs`) until the element at `css` shows `want`.
async fn wait_for_text(b: &Client, css: &str, want: &str, secs: u64) -> String {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        let now = match b.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now.contains(want) {
            return now;
        }
        assert!(
            Instant::now() < until,
            "{css} never showed {want:?}: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The inbox's count of unhandled items in the header ("" without one).
async fn unhandled(b: &Client) -> String {
    match b.find(Locator::Css("#unhandled")).await {
        Ok(e) => e.text().await.unwrap_or_default().trim().to_string(),
        Err(_) => String::new(),
    }
}

/// Whether the element at `css` is shown and lies within the window's width.
async fn on_screen(b: &Client, css: &str) -> bool {
    let Ok(e) = b.find(Locator::Css(css)).await else {
        return false;
    };
    let width = b
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap_or(0.0);
    let (x, _, w, h) = e.rectangle().await.unwrap();
    e.is_displayed().await.unwrap() && w > 0.0 && h > 0.0 && x >= 0.0 && x + w <= width + 1.0
}

/// The page needs no sideways scrolling on a phone.
async fn fits_the_phone(b: &Client) {
    let scroll = b
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap();
    assert!(
        scroll.as_f64().unwrap() <= 391.0,
        "no sideways scrolling: {scroll}"
    );
}

async fn sign_in_with(b: &Client, name: &str, password: &str) {
    let name_field = b
        .wait()
        .for_element(Locator::Css("input[name=name]"))
        .await
        .unwrap();
    name_field.clear().await.unwrap();
    name_field.send_keys(name).await.unwrap();
    b.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    b.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Adds dashboard user `name` with `frontdesk user add`, the password on stdin, as an operator
/// would (into the running server's database).
fn add_user_with_the_binary(app: &TestApp, name: &str, password: &str) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["user", "add", name])
        .env("FRONTDESK_DATABASE_URL", &app.services.config.database_url)
        .env("FRONTDESK_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(name));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_in_a_browser_at_desktop_and_phone_widths() {
    let mut lines: Vec<&str> = BOOKING.to_vec();
    lines.extend(MESSAGE);
    let (app, _) = desk(lines, SECRET, vec![]).await;
    let base = app.base.clone();
    add_user_with_the_binary(&app, "alex", "correct horse battery");

    // A real call first: Jordan Lee books Wednesday at 2 pm.
    let booking = place_call(&app, "+16175550111", &BOOKING, None).await;

    let driver = chromedriver().await;
    let b = browser(&driver).await;

    // Signed out, the desk leads to the sign-in; a wrong password is refused there.
    b.goto(&format!("{base}/desk/calls")).await.unwrap();
    assert!(b
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/desk/signin"));
    sign_in_with(&b, "alex", "not the password").await;
    let refused = wait_for_text(&b, "body", "Wrong name or password", 10).await;
    assert!(!refused.contains("Sign out"));
    screenshot(&b, "desktop-signin-refused").await;
    sign_in_with(&b, "alex", "correct horse battery").await;
    wait_for_text(&b, "header", "Sign out", 10).await;
    assert_eq!(b.current_url().await.unwrap().path(), "/desk/inbox");
    b.goto(&format!("{base}/desk/calls")).await.unwrap();

    // A call placed now shows up live, then leaves the live list when it ends.
    let caller = {
        let app_opts = app.sim_options();
        tokio::spawn(async move {
            let mut script: Vec<Step> = MESSAGE.iter().map(|l| Step::Say(l.to_string())).collect();
            script.push(Step::Dtmf('1'));
            let mut opts = app_opts;
            opts.from = "+16175550177".into();
            sim::place_call(&opts, &script, Arc::new(ToneVoice), None)
                .await
                .expect("call completes")
        })
    };
    wait_for_text(&b, "#live", "turns", 30).await;
    screenshot(&b, "desktop-calls-live").await;
    let message = caller.await.unwrap().call_sid;
    app.stored_call(&message).await;
    wait_for_text(&b, "#live", "No call in progress", 15).await;

    b.refresh().await.unwrap();
    let list = wait_for_text(&b, "#calls", "Jordan Lee", 10).await;
    assert!(list.contains("Dana Kim"), "{list}");
    assert!(
        list.contains("booked") && list.contains("message"),
        "{list}"
    );
    screenshot(&b, "desktop-calls").await;

    // The inbox: the message and the booking, newest first, both unhandled; the message is
    // marked handled, leaves the list for the handled one, and the count goes down.
    b.goto(&format!("{base}/desk/inbox")).await.unwrap();
    let inbox = wait_for_text(&b, "#inbox", "Dana Kim", 10).await;
    let (dana, jordan) = (inbox.find("Dana Kim"), inbox.find("Jordan Lee"));
    assert!(
        dana.is_some() && jordan.is_some() && dana < jordan,
        "{inbox}"
    );
    let item = b
        .find(Locator::Css(&format!("#inbox li[data-call='{message}']")))
        .await
        .unwrap();
    let said = item.text().await.unwrap();
    assert!(
        said.contains("message") && said.contains("contract renewal"),
        "{said}"
    );
    assert_eq!(unhandled(&b).await, "2");
    screenshot(&b, "desktop-inbox").await;
    item.find(Locator::Css("form.mark button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&b, "#unhandled", "1", 10).await;
    let inbox = wait_for_text(&b, "#inbox", "Jordan Lee", 5).await;
    assert!(!inbox.contains("Dana Kim"), "{inbox}");
    b.goto(&format!("{base}/desk/inbox?show=handled"))
        .await
        .unwrap();
    let handled = wait_for_text(&b, "#inbox", "Dana Kim", 5).await;
    assert!(
        handled.contains("Reopen") && !handled.contains("Jordan Lee"),
        "{handled}"
    );
    let (_, call) = app.api(&format!("/api/calls/{message}")).await;
    assert!(call["handled_at"].is_string(), "{call}");
    screenshot(&b, "desktop-inbox-handled").await;

    // The booking call's page: caller, screening, transcript with latencies, the recording.
    b.goto(&format!("{base}/desk/calls/{booking}"))
        .await
        .unwrap();
    let page = text(&b).await;
    assert!(page.contains("Jordan Lee"), "{page}");
    assert!(page.contains("+16175550111"), "{page}");
    let transcript = wait_for_text(&b, "#transcript", "Tomorrow at 2 pm.", 5).await;
    assert!(transcript.contains("reply in"), "{transcript}");
    let appointment = b
        .find(Locator::Css("#appointments"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(appointment.contains("Wed Nov 25, 2:00 PM"), "{appointment}");
    let audio = b.find(Locator::Css("audio#recording")).await.unwrap();
    let src = audio
        .prop("src")
        .await
        .unwrap()
        .expect("the player has a source");
    let session = b.get_named_cookie("fd_session").await.unwrap();
    let r = http()
        .get(&src)
        .header("cookie", format!("fd_session={}", session.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "audio/wav");
    assert!(r.bytes().await.unwrap().starts_with(b"RIFF"));
    assert_eq!(
        get_with(&base, &src.replace(&base, ""), "none").await.0,
        303,
        "the recording needs a session"
    );
    // The browser can play it: its length is known, and a turn's time moves the player there.
    let duration = b
        .execute_async(
            "const done = arguments[arguments.length - 1]; const a = document.getElementById('recording');
             if (a.readyState >= 1) { done(a.duration); }
             else { a.addEventListener('loadedmetadata', () => done(a.duration)); a.addEventListener('error', () => done(-1)); a.load(); }",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        duration.as_f64().unwrap_or(-1.0) > 5.0,
        "duration {duration}"
    );
    let turns = b
        .find_all(Locator::Css("#transcript button[data-t]"))
        .await
        .unwrap();
    let last = turns.last().unwrap();
    let t: f64 = last.attr("data-t").await.unwrap().unwrap().parse().unwrap();
    assert!(t > 1.0, "{t}");
    last.click().await.unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let now = b
            .execute(
                "return document.getElementById('recording').currentTime;",
                vec![],
            )
            .await
            .unwrap()
            .as_f64()
            .unwrap_or(0.0);
        if now >= t - 0.5 {
            break;
        }
        assert!(Instant::now() < until, "the player is at {now}, not {t}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(&b, "desktop-call").await;

    // The week: the booking on Wednesday, today's line on Tuesday, both in Boston time.
    b.goto(&format!("{base}/desk/week")).await.unwrap();
    let week = wait_for_text(&b, "#week", "Jordan Lee", 5).await;
    assert!(week.contains("Wed 25"), "{week}");
    let wednesday = b
        .find(Locator::XPath(
            "//section[contains(@class,'day')][h2[starts-with(normalize-space(.),'Wed 25')]]",
        ))
        .await
        .unwrap();
    let wed = wednesday.text().await.unwrap();
    assert!(
        wed.contains("2:00–2:30 PM") && wed.contains("Jordan Lee"),
        "{wed}"
    );
    let today = b.find(Locator::Css(".day.today")).await.unwrap();
    assert!(today.text().await.unwrap().starts_with("Tue 24"));
    today
        .find(Locator::Css(".now"))
        .await
        .expect("today's line");
    assert!(text(&b).await.contains("America/New_York"));
    // The appointment links to its call.
    let link = wednesday.find(Locator::Css(".appt a")).await.unwrap();
    assert_eq!(
        link.attr("href").await.unwrap(),
        Some(format!("/desk/calls/{booking}"))
    );
    // At desktop width the days stand side by side.
    let (tue_x, ..) = today.rectangle().await.unwrap();
    let (wed_x, ..) = wednesday.rectangle().await.unwrap();
    assert!(wed_x > tue_x, "{tue_x} {wed_x}");
    screenshot(&b, "desktop-week").await;

    // Block Dana Kim from her call's page: the desk's contacts list her number as blocked,
    // and her next call is screened blocked.
    b.goto(&format!("{base}/desk/calls/{message}"))
        .await
        .unwrap();
    b.find(Locator::Css("#block button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&b, "#blocked", "blocked", 10).await;
    assert!(b.find(Locator::Css("#block")).await.is_err());
    screenshot(&b, "desktop-call-blocked").await;
    b.goto(&format!("{base}/desk/contacts")).await.unwrap();
    let contacts = wait_for_text(&b, "#contacts", "blocked", 5).await;
    let dana = b.find(Locator::XPath(DANA_CONTACT)).await.unwrap();
    let kind = dana
        .find(Locator::Css("select[name=kind]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kind.as_deref(), Some("blocked"), "{contacts}");
    // The persona's own entries are listed too, read-only.
    assert!(contacts.contains("Taylor Brooks"), "{contacts}");
    screenshot(&b, "desktop-contacts").await;
    let mut opts = app.sim_options();
    opts.from = "+1 (617) 555-0177".into();
    let again = sim::place_call(&opts, &[], Arc::new(ToneVoice), None)
        .await
        .expect("call completes");
    let call = app.stored_call(&again.call_sid).await;
    assert_eq!(
        (call["category"].as_str(), call["outcome"].as_str()),
        (Some("blocked"), Some("blocked")),
        "{call}"
    );

    // A phone: the same pages, one column.
    b.set_window_size(390, 844).await.unwrap();
    let width = b
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap();
    assert!(width.as_f64().unwrap() <= 400.0, "{width}");
    b.goto(&format!("{base}/desk/week")).await.unwrap();
    wait_for_text(&b, "#week", "Jordan Lee", 5).await;
    let today = b.find(Locator::Css(".day.today")).await.unwrap();
    let wednesday = b
        .find(Locator::XPath(
            "//section[contains(@class,'day')][h2[starts-with(normalize-space(.),'Wed 25')]]",
        ))
        .await
        .unwrap();
    let (tue_x, tue_y, tue_w, _) = today.rectangle().await.unwrap();
    let (wed_x, wed_y, ..) = wednesday.rectangle().await.unwrap();
    assert!(
        (wed_x - tue_x).abs() < 1.0 && wed_y > tue_y,
        "stacked: {tue_x},{tue_y} {wed_x},{wed_y}"
    );
    assert!(tue_w <= 390.0, "fits the screen: {tue_w}");
    let scroll = b
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap();
    assert!(
        scroll.as_f64().unwrap() <= 391.0,
        "no sideways scrolling: {scroll}"
    );
    assert!(on_screen(&b, ".appt").await);
    screenshot(&b, "phone-week").await;
    b.goto(&format!("{base}/desk/calls/{booking}"))
        .await
        .unwrap();
    wait_for_text(&b, "#transcript", "Tomorrow at 2 pm.", 5).await;
    for css in ["#caller", "#transcript", "audio#recording", "#block button"] {
        assert!(on_screen(&b, css).await, "{css}");
    }
    fits_the_phone(&b).await;
    screenshot(&b, "phone-call").await;
    b.goto(&format!("{base}/desk/calls/{message}"))
        .await
        .unwrap();
    assert!(on_screen(&b, "#blocked").await);
    fits_the_phone(&b).await;
    screenshot(&b, "phone-call-blocked").await;
    b.goto(&format!("{base}/desk/calls")).await.unwrap();
    wait_for_text(&b, "#calls", "Dana Kim", 5).await;
    for css in ["#filters", "#calls", "#live"] {
        assert!(on_screen(&b, css).await, "{css}");
    }
    fits_the_phone(&b).await;
    screenshot(&b, "phone-calls").await;
    b.goto(&format!("{base}/desk/inbox")).await.unwrap();
    let inbox = wait_for_text(&b, "#inbox", "Jordan Lee", 5).await;
    assert!(!inbox.contains("Dana Kim"), "{inbox}");
    for css in ["#inbox form.mark button", "#unhandled", ".signout button"] {
        assert!(on_screen(&b, css).await, "{css}");
    }
    fits_the_phone(&b).await;
    screenshot(&b, "phone-inbox").await;
    b.goto(&format!("{base}/desk/inbox?show=handled"))
        .await
        .unwrap();
    wait_for_text(&b, "#inbox", "Dana Kim", 5).await;
    assert!(on_screen(&b, "#inbox form.mark button").await);
    fits_the_phone(&b).await;
    screenshot(&b, "phone-inbox-handled").await;
    b.goto(&format!("{base}/desk/contacts")).await.unwrap();
    wait_for_text(&b, "#contacts", "Taylor Brooks", 5).await;
    b.find(Locator::XPath(DANA_CONTACT)).await.unwrap();
    for css in ["#contacts .contact-form button", "#add-contact button"] {
        assert!(on_screen(&b, css).await, "{css}");
    }
    fits_the_phone(&b).await;
    screenshot(&b, "phone-contacts").await;

    // Cancel the booking from the week, on the phone.
    b.goto(&format!("{base}/desk/week")).await.unwrap();
    b.find(Locator::Css(".appt button.danger"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let week = wait_for_text(&b, "#week", "cancelled", 10).await;
    assert!(week.contains("Jordan Lee"), "{week}");
    let (_, list) = app.api("/api/appointments").await;
    assert_eq!(list[0]["status"], "cancelled", "{list}");
    screenshot(&b, "phone-week-cancelled").await;

    // Signing out ends the session.
    b.find(Locator::Css(".signout button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .for_element(Locator::Css("input[name=password]"))
        .await
        .unwrap();
    b.goto(&format!("{base}/desk/calls")).await.unwrap();
    assert!(b
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/desk/signin"));
    // Signing in on the phone: refused with a wrong password, then in.
    for css in [
        "input[name=name]",
        "input[name=password]",
        "button[type=submit]",
    ] {
        assert!(on_screen(&b, css).await, "{css}");
    }
    fits_the_phone(&b).await;
    sign_in_with(&b, "alex", "wrong again").await;
    wait_for_text(&b, "body", "Wrong name or password", 10).await;
    screenshot(&b, "phone-signin-refused").await;
    sign_in_with(&b, "alex", "correct horse battery").await;
    wait_for_text(&b, "header", "Sign out", 10).await;
    assert_eq!(b.current_url().await.unwrap().path(), "/desk/inbox");
    b.close().await.unwrap();
}
