//! The executive's CalDAV calendar as busy time, against a real CalDAV server: Radicale
//! (Debian's package, installed by `scripts/setup.sh`), started by each test on a free loopback
//! port with its own storage folder and a plain-text htpasswd file.
//!
//! Events are PUT into a calendar made with MKCALENDAR (a single one, a weekly one with an
//! EXDATE, an all-day one, one in London, a transparent and a cancelled one); the client must
//! read back exactly their busy intervals, the free-slot rules must avoid exactly those slots,
//! the dialog must offer the nearest free ones, and a running server's background poller must
//! pick them up. Further tests cover bookings written back, a bearer token (through a gate that
//! demands one, since Radicale cannot), more collections that count as busy, and a booking
//! across a daylight-saving change.
//!
//! Every call is spoken: the natural caller voice over the 8 kHz µ-law line, heard by whisper
//! tiny.en, answered by the hibari voice, over the real websocket into the real server.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use common::said;
use frontdesk::caldav::{CalDav, CalDavError};
use frontdesk::logic::calendar::{Booked, Calendar};
use frontdesk::logic::dialog::{Action, Dialog, Event};
use frontdesk::persona::Persona;

const USER: &str = "alex";
const PASSWORD: &str = "app-password-1";
const NY: chrono_tz::Tz = chrono_tz::America::New_York;

/// A real Radicale on a loopback port; killed when dropped.
struct Radicale {
    child: Child,
    port: u16,
    config: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Radicale {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temp folder");
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            l.local_addr().expect("its address").port()
        };
        let users = dir.path().join("users");
        std::fs::write(&users, format!("{USER}:{PASSWORD}\n")).expect("htpasswd written");
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            format!(
                "[server]\nhosts = 127.0.0.1:{port}\n\
                 [auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\ndelay = 0\n\
                 [rights]\ntype = owner_only\n\
                 [storage]\nfilesystem_folder = {store}\n\
                 [logging]\nlevel = warning\n",
                users = users.display(),
                store = dir.path().join("collections").display(),
            ),
        )
        .expect("config written");
        let child = spawn_radicale(&config);
        let mut me = Self {
            child,
            port,
            config,
            _dir: dir,
        };
        me.wait_ready();
        me
    }

    /// Stops the server (its storage stays).
    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same port with the same storage.
    fn restart(&mut self) {
        self.stop();
        self.child = spawn_radicale(&self.config);
        self.wait_ready();
    }

    /// Waits until it answers HTTP (it takes a few seconds on a loaded machine).
    fn wait_ready(&mut self) {
        let end = Instant::now() + Duration::from_secs(60);
        while Instant::now() < end {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("radicale exited at startup: {status}");
            }
            if self.answers_http() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("radicale did not answer on port {} within 60 s", self.port);
    }

    /// Whether the server answers an HTTP request (a listening socket alone is not enough: on
    /// a loaded machine the first request after it opened was once reset).
    fn answers_http(&self) -> bool {
        use std::io::{Read, Write};
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        if stream
            .write_all(b"OPTIONS / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            .is_err()
        {
            return false;
        }
        let mut head = [0u8; 5];
        stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
    }

    fn calendar_url(&self) -> String {
        self.collection_url("work")
    }

    /// The URL of the executive's collection `name`.
    fn collection_url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{USER}/{name}/", self.port)
    }

    /// Makes the calendar (MKCALENDAR).
    async fn make_calendar(&self, http: &reqwest::Client) {
        self.make_collection(http, "work").await;
    }

    /// Makes the calendar collection `name` (MKCALENDAR).
    async fn make_collection(&self, http: &reqwest::Client, name: &str) {
        let url = self.collection_url(name);
        let made = http
            .request(
                reqwest::Method::from_bytes(b"MKCALENDAR").expect("a method"),
                &url,
            )
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .expect("MKCALENDAR sent");
        assert_eq!(made.status().as_u16(), 201, "MKCALENDAR {url}");
    }

    /// PUTs one resource (`name`.ics) holding `text` into the calendar.
    async fn put(&self, http: &reqwest::Client, name: &str, text: String) {
        self.put_in(http, "work", name, text).await;
    }

    /// PUTs one resource (`name`.ics) holding `text` into the collection `collection`.
    async fn put_in(&self, http: &reqwest::Client, collection: &str, name: &str, text: String) {
        let put = http
            .put(format!("{}{name}.ics", self.collection_url(collection)))
            .basic_auth(USER, Some(PASSWORD))
            .header("Content-Type", "text/calendar; charset=utf-8")
            .body(text)
            .send()
            .await
            .expect("PUT sent");
        let status = put.status().as_u16();
        assert!(
            status == 201 || status == 204,
            "PUT {name}: {status} {}",
            put.text().await.unwrap_or_default()
        );
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_radicale(config: &Path) -> Child {
    Command::new(which_radicale())
        .arg("--config")
        .arg(config)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("radicale starts")
}

/// Radicale's binary; a missing one fails the test, never skips it.
fn which_radicale() -> String {
    for candidate in ["/usr/bin/radicale", "/usr/local/bin/radicale"] {
        if Path::new(candidate).exists() {
            return candidate.into();
        }
    }
    let out = Command::new("which").arg("radicale").output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => panic!(
            "radicale is not installed: run scripts/setup.sh (it installs Debian's radicale)"
        ),
    }
}

/// The events of the executive's week, as the tests PUT them.
const EVENTS: &[(&str, &str)] = &[
    // Wednesday 25th, 2 to 3 PM in New York: a single event.
    (
        "board",
        "UID:board\nSUMMARY:Board meeting\nDTSTART;TZID=America/New_York:20261125T140000\nDTEND;TZID=America/New_York:20261125T150000",
    ),
    // Thursdays 10 to 11 AM from November 5th, but not December 3rd.
    (
        "standup",
        "UID:standup\nSUMMARY:Weekly review\nDTSTART;TZID=America/New_York:20261105T100000\nDTEND;TZID=America/New_York:20261105T110000\nRRULE:FREQ=WEEKLY;BYDAY=TH\nEXDATE;TZID=America/New_York:20261203T100000",
    ),
    // Friday 27th, all day.
    (
        "offsite",
        "UID:offsite\nSUMMARY:Offsite\nDTSTART;VALUE=DATE:20261127\nDTEND;VALUE=DATE:20261128",
    ),
    // Monday 30th, 3 to 4 PM in London: 10 to 11 AM in New York.
    (
        "london",
        "UID:london\nSUMMARY:Call with London\nDTSTART;TZID=Europe/London:20261130T150000\nDTEND;TZID=Europe/London:20261130T160000",
    ),
    // Tuesday December 1st, 10 AM: marked free.
    (
        "reminder",
        "UID:reminder\nSUMMARY:Think about Q1\nDTSTART;TZID=America/New_York:20261201T100000\nDTEND;TZID=America/New_York:20261201T110000\nTRANSP:TRANSPARENT",
    ),
    // Wednesday December 2nd, 11 AM: cancelled.
    (
        "cancelled",
        "UID:cancelled\nSUMMARY:Lunch\nDTSTART:20261202T160000Z\nDTEND:20261202T170000Z\nSTATUS:CANCELLED",
    ),
];

/// VTIMEZONE blocks as calendar apps send them (the reader maps the TZID by name).
const VTIMEZONES: &str = "BEGIN:VTIMEZONE\nTZID:America/New_York\nBEGIN:STANDARD\nDTSTART:19701101T020000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nTZNAME:EST\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700308T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nTZNAME:EDT\nEND:DAYLIGHT\nEND:VTIMEZONE\nBEGIN:VTIMEZONE\nTZID:Europe/London\nBEGIN:STANDARD\nDTSTART:19701025T020000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0000\nTZNAME:GMT\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700329T010000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0100\nTZNAME:BST\nEND:DAYLIGHT\nEND:VTIMEZONE\n";

fn ics(body: &str) -> String {
    let text = format!(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Frontdesk tests//EN\n{VTIMEZONES}BEGIN:VEVENT\nDTSTAMP:20261120T000000Z\n{body}\nEND:VEVENT\nEND:VCALENDAR\n"
    );
    text.replace('\n', "\r\n")
}

/// Makes the calendar and PUTs every event into it.
async fn fill(radicale: &Radicale) {
    let http = reqwest::Client::new();
    radicale.make_calendar(&http).await;
    for (name, body) in EVENTS {
        radicale.put(&http, name, ics(body)).await;
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Tuesday 2026-11-24, 7:30 PM in New York: the call's now.
fn evening() -> DateTime<Utc> {
    at("2026-11-24T19:30:00-05:00")
}

fn spans(busy: &[Booked]) -> Vec<String> {
    busy.iter()
        .map(|b| {
            format!(
                "{} {}",
                b.start.with_timezone(&NY).format("%a %d %H:%M"),
                b.end.with_timezone(&NY).format("%a %d %H:%M"),
            )
        })
        .collect()
}

/// The busy intervals the client reads from Radicale over two weeks from the call's now.
async fn read_busy(radicale: &Radicale) -> Vec<Booked> {
    let cal = CalDav::new(&radicale.calendar_url(), Some(USER), Some(PASSWORD));
    let found = cal
        .busy(evening(), at("2026-12-08T00:00:00Z"), NY)
        .await
        .expect("the calendar is read");
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    found.busy.iter().map(|b| b.to_booked()).collect()
}

#[tokio::test]
async fn the_client_reads_exactly_each_events_busy_time() {
    let radicale = Radicale::start();
    fill(&radicale).await;
    let busy = read_busy(&radicale).await;
    assert_eq!(
        spans(&busy),
        [
            "Wed 25 14:00 Wed 25 15:00",
            "Thu 26 10:00 Thu 26 11:00",
            "Fri 27 00:00 Sat 28 00:00",
            "Mon 30 10:00 Mon 30 11:00",
            // Thursday December 3rd is excluded; the 1st's event is transparent, the 2nd's
            // cancelled.
        ]
    );
    // In UTC, exactly.
    assert_eq!(busy[0].start, at("2026-11-25T19:00:00Z"));
    assert_eq!(busy[3].start, at("2026-11-30T15:00:00Z"));
    assert_eq!(busy[3].end, at("2026-11-30T16:00:00Z"));
    assert!(busy
        .iter()
        .all(|b| b.caller_name.is_none() && b.caller_number.is_none()));

    // Beyond the EXDATE the weekly event goes on.
    let cal = CalDav::new(&radicale.calendar_url(), Some(USER), Some(PASSWORD));
    let later = cal
        .busy(at("2026-12-08T00:00:00Z"), at("2026-12-15T00:00:00Z"), NY)
        .await
        .unwrap();
    assert_eq!(
        later.busy.iter().map(|b| b.start).collect::<Vec<_>>(),
        [at("2026-12-10T15:00:00Z")]
    );

    // Wrong credentials are a clear error, not an empty calendar.
    let wrong = CalDav::new(&radicale.calendar_url(), Some(USER), Some("wrong"));
    match wrong.busy(evening(), at("2026-12-08T00:00:00Z"), NY).await {
        Err(CalDavError::Unauthorized(401)) => {}
        other => panic!("wanted Unauthorized(401), got {other:?}"),
    }
    // So is a server that is not there.
    let port = radicale.port;
    drop(radicale);
    let gone = CalDav::new(
        &format!("http://127.0.0.1:{port}/{USER}/work/"),
        Some(USER),
        Some(PASSWORD),
    );
    assert!(matches!(
        gone.busy(evening(), at("2026-12-08T00:00:00Z"), NY).await,
        Err(CalDavError::Unreachable(_))
    ));
}

#[tokio::test]
async fn a_moved_and_a_cancelled_instance_of_a_recurring_event_are_read_as_the_server_holds_them() {
    let radicale = Radicale::start();
    let http = reqwest::Client::new();
    radicale.make_calendar(&http).await;
    // Daily 9 AM in New York, Monday 30th to Friday December 4th; Tuesday's moved to 4 PM,
    // Wednesday's cancelled: one resource, the master and its overrides, as apps store them.
    let text = format!(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Frontdesk tests//EN\n{VTIMEZONES}\
         BEGIN:VEVENT\nUID:daily\nDTSTAMP:20261120T000000Z\nDTSTART;TZID=America/New_York:20261130T090000\nDTEND;TZID=America/New_York:20261130T093000\nRRULE:FREQ=DAILY;COUNT=5\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:daily\nDTSTAMP:20261120T000000Z\nRECURRENCE-ID;TZID=America/New_York:20261201T090000\nDTSTART;TZID=America/New_York:20261201T160000\nDTEND;TZID=America/New_York:20261201T163000\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:daily\nDTSTAMP:20261120T000000Z\nRECURRENCE-ID;TZID=America/New_York:20261202T090000\nDTSTART;TZID=America/New_York:20261202T090000\nDTEND;TZID=America/New_York:20261202T093000\nSTATUS:CANCELLED\nEND:VEVENT\n\
         END:VCALENDAR\n"
    )
    .replace('\n', "\r\n");
    radicale.put(&http, "daily", text).await;
    let busy = read_busy(&radicale).await;
    assert_eq!(
        spans(&busy),
        [
            "Mon 30 09:00 Mon 30 09:30",
            "Tue 01 16:00 Tue 01 16:30",
            "Thu 03 09:00 Thu 03 09:30",
            "Fri 04 09:00 Fri 04 09:30",
        ]
    );
}

fn persona() -> Arc<Persona> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts/persona.toml");
    let mut persona = Persona::load(&p).expect("the persona loads");
    // These callers say their lines in order; the spelling question is the dialog's own tests'.
    persona.spell_names = false;
    Arc::new(persona)
}

fn said_in(actions: &[Action]) -> String {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Say { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A caller asks for a meeting at `wish`; returns what the agent offers.
fn offer(calendar: &[Booked], wish: &str) -> String {
    let mut d = Dialog::new(persona());
    d.handle(
        Event::CallStarted {
            caller_number: Some("+16175550111".into()),
            calendar: calendar.to_vec(),
        },
        evening(),
    );
    let asked = said_in(&d.handle(Event::Heard(HIRING.into()), evening()));
    assert!(asked.contains("What day and time"), "{asked}");
    said_in(&d.handle(Event::Heard(wish.into()), evening()))
}

#[tokio::test]
async fn radicales_events_block_exactly_their_slots_and_the_nearest_free_are_offered() {
    let radicale = Radicale::start();
    fill(&radicale).await;
    let busy = read_busy(&radicale).await;
    let persona = persona();
    let cal = Calendar::new(&persona.meetings, persona.timezone, &busy);
    let free = |day: &str| -> Vec<String> {
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        cal.free_on(date, evening(), None)
            .iter()
            .map(|s| s.with_timezone(&NY).format("%H:%M").to_string())
            .collect()
    };
    let all_day: Vec<String> = (0..16)
        .map(|i| {
            (NaiveTime::from_hms_opt(9, 0, 0).unwrap() + chrono::Duration::minutes(30 * i))
                .format("%H:%M")
                .to_string()
        })
        .collect();
    let without = |taken: &[&str]| -> Vec<String> {
        all_day
            .iter()
            .filter(|t| !taken.contains(&t.as_str()))
            .cloned()
            .collect()
    };
    assert_eq!(
        persona.meetings.length_minutes, 30,
        "the test assumes 30-minute meetings"
    );
    assert_eq!(free("2026-11-25"), without(&["14:00", "14:30"]));
    assert_eq!(free("2026-11-26"), without(&["10:00", "10:30"]));
    assert!(free("2026-11-27").is_empty(), "{:?}", free("2026-11-27"));
    assert_eq!(free("2026-11-30"), without(&["10:00", "10:30"]));
    assert_eq!(
        free("2026-12-01"),
        all_day,
        "a transparent event blocks nothing"
    );
    assert_eq!(
        free("2026-12-02"),
        all_day,
        "a cancelled event blocks nothing"
    );
    assert_eq!(free("2026-12-03"), all_day, "the excluded Thursday is free");

    // A spoken caller is offered the nearest free slots around each event.
    for (wish, want) in [
        (
            "Tomorrow at 2.",
            "Alex is already booked then. I can offer Wednesday, November 25th at 1:30 PM or 3 PM",
        ),
        (
            "Thursday at 10 am.",
            "I can offer Thursday, November 26th at 9:30 AM or 11 AM",
        ),
        (
            "Monday at 10 am.",
            "I can offer Monday, November 30th at 9:30 AM or 11 AM",
        ),
        (
            "Monday at 10:30 am.",
            "I can offer Monday, November 30th at 11 AM or 11:30 AM",
        ),
        ("Friday at 11 am.", "I can offer"),
    ] {
        let reply = offer(&busy, wish);
        assert!(reply.contains(want), "{wish}: wanted {want:?} in {reply:?}");
        assert!(!reply.contains("Friday, November 27th"), "{reply}");
    }
    // Free times are proposed as asked.
    let reply = offer(&busy, "Thursday December 3rd at 10 am.");
    assert!(reply.contains("Thursday, December 3rd at 10 AM"), "{reply}");
    let reply = offer(&busy, "December 1st at 10 am.");
    assert!(reply.contains("Tuesday, December 1st at 10 AM"), "{reply}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoken_caller_is_offered_the_free_slots_around_radicales_events() {
    let radicale = Radicale::start();
    fill(&radicale).await;
    let app = spoken_app_with_calendar(Some(radicale.calendar_url()), |_| {}).await;
    // The server reads the calendar in the background, first at startup.
    let view = app.services.busy.clone();
    assert!(view.enabled());
    eventually("the calendar is read", 30, || async {
        view.snapshot().is_some()
    })
    .await;
    let starts: Vec<DateTime<Utc>> = view
        .snapshot()
        .unwrap()
        .busy
        .iter()
        .map(|b| b.start)
        .collect();
    for want in [
        "2026-11-25T19:00:00Z",
        "2026-11-26T15:00:00Z",
        "2026-11-27T05:00:00Z",
        "2026-11-30T15:00:00Z",
        "2026-12-10T15:00:00Z",
    ] {
        assert!(starts.contains(&at(want)), "{want} in {starts:?}");
    }
    assert!(
        !starts.contains(&at("2026-12-03T15:00:00Z")),
        "the EXDATE is honoured"
    );

    // Callers speak (the natural caller voice over the µ-law line, heard by whisper): each
    // event's hour is refused and the nearest free slots around it are offered — the single
    // event, the weekly one, the all-day one and the one in London's time.
    for (wish, want) in [
        (
            "Tomorrow at 2 pm.",
            "alex is already booked then. i can offer wednesday, november 25th at 1:30 pm or 3 pm",
        ),
        (
            "Thursday at 10 am.",
            "alex is already booked then. i can offer thursday, november 26th at 9:30 am or 11 am",
        ),
        (
            "Monday at 10 am.",
            "alex is already booked then. i can offer monday, november 30th at 9:30 am or 11 am",
        ),
        (
            "Friday at 11 am.",
            "alex is already booked then. i can offer",
        ),
    ] {
        let asked = spoken_call(&app, &[HIRING, wish]).await;
        let agent = said(&asked, "agent");
        assert!(agent.contains(want), "{wish}: wanted {want:?} in {agent:?}");
        assert!(!agent.contains("friday, november 27th"), "{agent}");
    }

    // An event the executive adds blocks its slot at the next read.
    let put = reqwest::Client::new()
        .put(format!("{}dentist.ics", radicale.calendar_url()))
        .basic_auth(USER, Some(PASSWORD))
        .header("Content-Type", "text/calendar; charset=utf-8")
        .body(ics(
            "UID:dentist\nDTSTART:20261207T140000Z\nDTEND:20261207T150000Z",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status().as_u16(), 201);
    eventually("the new event is read", 30, || async {
        view.snapshot()
            .is_some_and(|s| s.busy.iter().any(|b| b.uid == "dentist"))
    })
    .await;
}

// ----- Frontdesk's bookings in the executive's calendar --------------------------------------

/// Waits up to `secs` for `check` to hold, polling; fails naming `what`.
async fn eventually<F, Fut>(what: &str, secs: u64, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let end = Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(Instant::now() < end, "{what}: not within {secs} s");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// The calendar settings every test server runs with: the calendar at `caldav_url` (if any),
/// read every second, calendar writes retried quickly.
fn with_calendar(c: &mut frontdesk::config::Config, caldav_url: Option<String>) {
    if let Some(url) = caldav_url {
        c.calendar.caldav_url = Some(url);
        c.calendar.user = Some(USER.into());
        c.calendar.password = Some(PASSWORD.into());
    }
    c.calendar.poll_secs = 1;
    c.delivery.backoff_base_ms = 200;
    c.delivery.backoff_max_secs = 1;
}

/// A server with the real engines (whisper tiny.en hearing the line, the hibari voice
/// answering), with [`with_calendar`]'s settings: callers of this server speak.
async fn spoken_app_with_calendar(
    caldav_url: Option<String>,
    tweak: impl FnOnce(&mut frontdesk::config::Config),
) -> common::TestApp {
    common::spawn_app_with(|c| {
        with_calendar(c, caldav_url);
        tweak(c);
    })
    .await
}

/// Places a call whose caller speaks `lines` with the natural caller voice over the 8 kHz
/// µ-law line, to a server started by [`spoken_app_with_calendar`]; returns the stored call.
async fn spoken_call(app: &common::TestApp, lines: &[&str]) -> serde_json::Value {
    let report = app.call(&lines.join("\n")).await;
    app.stored_call(&report.call_sid).await
}

/// A caller's opening: who, and a meeting about what.
const HIRING: &str = "Jordan Lee here, I'd like to schedule a meeting about hiring.";

/// A caller asks for tomorrow (Wednesday, November 25th) at 2 PM, which a 2 PM event blocks,
/// and is offered the nearest free slots on either side.
async fn asks_for_2pm_and_is_offered_around_it(app: &common::TestApp) {
    let answer = spoken_call(app, &[HIRING, "Tomorrow at 2 pm."]).await;
    let agent = said(&answer, "agent");
    assert!(
        agent.contains(
            "alex is already booked then. i can offer wednesday, november 25th at 1:30 pm or 3 pm"
        ),
        "heard {:?}; said {agent:?}",
        said(&answer, "caller")
    );
}

async fn appointments(app: &common::TestApp) -> Vec<serde_json::Value> {
    let (status, list) = app.api("/api/appointments").await;
    assert_eq!(status, 200);
    list.as_array().cloned().unwrap_or_default()
}

/// Our event for appointment `id` as Radicale holds it: its text and ETag.
async fn our_event(radicale_url: &str, id: &str) -> Option<(String, String)> {
    let r = reqwest::Client::new()
        .get(format!("{radicale_url}frontdesk-{id}.ics"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .ok()?;
    if r.status().as_u16() != 200 {
        return None;
    }
    let etag = r
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    Some((r.text().await.ok()?, etag))
}

/// The event's text unfolded (RFC 5545 continuation lines joined), to look for words in it.
fn unfolded(text: &str) -> String {
    text.replace("\r\n ", "").replace("\n ", "")
}

/// One metric's value in `/metrics`.
async fn metric(app: &common::TestApp, name: &str) -> Option<f64> {
    let text = reqwest::get(format!("{}/metrics", app.base))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let lines = text.lines().map(|l| Ok(l.to_string()));
    let scrape = prometheus_parse::Scrape::parse(lines).ok()?;
    scrape
        .samples
        .iter()
        .find(|s| s.metric == name)
        .map(|s| match s.value {
            prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Untyped(v) => v,
            _ => f64::NAN,
        })
}

const BOOK: &[&str] = &[HIRING, "Monday at 2 pm.", "Yes."];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_a_move_and_a_cancel_by_phone_appear_change_and_disappear_in_radicale() {
    let radicale = Radicale::start();
    radicale.make_calendar(&reqwest::Client::new()).await;
    let url = radicale.calendar_url();
    let app = spoken_app_with_calendar(Some(url.clone()), |_| {}).await;

    // Booked by phone: the event appears, with the caller, the purpose, the number and the
    // call's link.
    let booked = spoken_call(&app, BOOK).await;
    assert_eq!(booked["outcome"], "booked", "{booked}");
    let list = appointments(&app).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let id = list[0]["id"].as_str().unwrap().to_string();
    assert_eq!(list[0]["start"], "2026-11-30T14:00:00-05:00");
    eventually("the booking is written to Radicale", 30, || async {
        our_event(&url, &id).await.is_some()
    })
    .await;
    let event = our_event(&url, &id).await;
    let (text, _) = event.unwrap();
    let text = unfolded(&text);
    let sid = booked["call_sid"].as_str().unwrap();
    assert!(
        text.contains(&format!("UID:frontdesk-{id}@127.0.0.1")),
        "{text}"
    );
    assert!(text.contains("SUMMARY:Meeting with Jordan Lee"), "{text}");
    assert!(text.contains("DTSTART:20261130T190000Z"), "{text}");
    assert!(text.contains("DTEND:20261130T193000Z"), "{text}");
    assert!(text.contains("Purpose: hiring"), "{text}");
    assert!(text.contains("Callback: +16175550123"), "{text}");
    assert!(text.contains(&format!("/api/calls/{sid}")), "{text}");
    // The reader does not take our own event for the executive's busy time.
    let cal = CalDav::new(&url, Some(USER), Some(PASSWORD));
    let found = cal
        .busy(evening(), at("2026-12-08T00:00:00Z"), NY)
        .await
        .unwrap();
    assert!(found.busy.is_empty(), "{:?}", found.busy);
    assert_eq!(found.own.len(), 1);
    assert_eq!(found.own[0].appointment_id, id);

    // Moved by phone: the same event (same UID, same resource) changes.
    let moved = spoken_call(
        &app,
        &[
            "Hi, I need to reschedule my appointment.",
            "December 1st at 3 pm.",
            "Yes.",
        ],
    )
    .await;
    assert_eq!(moved["outcome"], "rescheduled", "{moved}");
    eventually("the move is written to Radicale", 30, || async {
        our_event(&url, &id)
            .await
            .is_some_and(|(t, _)| t.contains("DTSTART:20261201T200000Z"))
    })
    .await;
    let (text, _) = our_event(&url, &id).await.unwrap();
    assert!(
        unfolded(&text).contains("SUMMARY:Meeting with Jordan Lee"),
        "{text}"
    );
    assert_eq!(
        cal.events(evening(), at("2026-12-08T00:00:00Z"))
            .await
            .unwrap()
            .len(),
        1
    );

    // Cancelled by phone: the event goes.
    let cancelled = spoken_call(
        &app,
        &["I have to cancel my appointment.", "Yes, please cancel it."],
    )
    .await;
    assert_eq!(cancelled["outcome"], "cancelled", "{cancelled}");
    eventually("the cancellation deletes the event", 30, || async {
        our_event(&url, &id).await.is_none()
    })
    .await;
    assert!(cal
        .events(evening(), at("2026-12-08T00:00:00Z"))
        .await
        .unwrap()
        .is_empty());
    eventually("the backlog is empty", 10, || async {
        metric(&app, "frontdesk_calendar_backlog").await == Some(0.0)
    })
    .await;
}

/// A reverse proxy in front of Radicale that can answer every write with 503, as a calendar
/// server under maintenance does (reads still pass).
struct Proxy {
    base: String,
    refuse_writes: Arc<std::sync::atomic::AtomicBool>,
    _task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(upstream: String) -> Self {
        use axum::body::Bytes;
        use axum::http::{HeaderMap, Method, Uri};
        let refuse_writes = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let refuse = refuse_writes.clone();
        let http = reqwest::Client::new();
        let handler = move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (refuse, http, upstream) = (refuse.clone(), http.clone(), upstream.clone());
            async move {
                if refuse.load(std::sync::atomic::Ordering::SeqCst)
                    && matches!(method.as_str(), "PUT" | "DELETE")
                {
                    return (
                        axum::http::StatusCode::SERVICE_UNAVAILABLE,
                        HeaderMap::new(),
                        Bytes::new(),
                    );
                }
                let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap();
                let mut req = http.request(method, format!("{upstream}{}", uri.path()));
                for (k, v) in headers.iter() {
                    if k.as_str() != "host" && k.as_str() != "content-length" {
                        req = req.header(k.as_str(), v.as_bytes());
                    }
                }
                match req.body(body).send().await {
                    Ok(r) => {
                        let status = axum::http::StatusCode::from_u16(r.status().as_u16()).unwrap();
                        let mut out = HeaderMap::new();
                        for (k, v) in r.headers() {
                            if matches!(k.as_str(), "etag" | "content-type") {
                                out.insert(
                                    axum::http::HeaderName::from_bytes(k.as_str().as_bytes())
                                        .unwrap(),
                                    axum::http::HeaderValue::from_bytes(v.as_bytes()).unwrap(),
                                );
                            }
                        }
                        (status, out, r.bytes().await.unwrap_or_default())
                    }
                    Err(_) => (
                        axum::http::StatusCode::BAD_GATEWAY,
                        HeaderMap::new(),
                        Bytes::new(),
                    ),
                }
            }
        };
        let router = axum::Router::new().fallback(handler);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            base,
            refuse_writes,
            _task: task,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_made_while_radicale_fails_is_kept_and_written_once_it_is_back() {
    let mut radicale = Radicale::start();
    radicale.make_calendar(&reqwest::Client::new()).await;
    let direct = radicale.calendar_url();
    let proxy = Proxy::start(format!("http://127.0.0.1:{}", radicale.port)).await;
    let app = spoken_app_with_calendar(Some(format!("{}/{USER}/work/", proxy.base)), |_| {}).await;
    eventually("the calendar is read", 30, || async {
        app.services.busy.snapshot().is_some()
    })
    .await;

    // The server answers reads but refuses writes (503) from the caller's "yes" on.
    proxy
        .refuse_writes
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let booked = spoken_call(&app, BOOK).await;
    assert_eq!(booked["outcome"], "booked", "{booked}");
    let list = appointments(&app).await;
    let id = list[0]["id"].as_str().unwrap().to_string();
    assert_eq!(list[0]["status"], "booked");
    // The write is tried and kept: the backlog shows it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(our_event(&direct, &id).await.is_none());
    assert_eq!(metric(&app, "frontdesk_calendar_backlog").await, Some(1.0));

    // Then it stops altogether: the backlog stays, and /readyz says the calendar is not
    // reachable (the server stays ready for calls).
    radicale.stop();
    eventually("readyz reports the calendar unreachable", 20, || async {
        let r = reqwest::get(format!("{}/readyz", app.base)).await.unwrap();
        let body: serde_json::Value = r.json().await.unwrap();
        body["checks"]["calendar"] == "failed" && body["degraded"][0] == "calendar"
    })
    .await;
    assert_eq!(metric(&app, "frontdesk_calendar_backlog").await, Some(1.0));

    // Back: the booking is written, once.
    radicale.restart();
    proxy
        .refuse_writes
        .store(false, std::sync::atomic::Ordering::SeqCst);
    eventually(
        "the booking is written once Radicale is back",
        30,
        || async { our_event(&direct, &id).await.is_some() },
    )
    .await;
    eventually("the backlog drains", 10, || async {
        metric(&app, "frontdesk_calendar_backlog").await == Some(0.0)
    })
    .await;
    let cal = CalDav::new(&direct, Some(USER), Some(PASSWORD));
    let found = cal
        .busy(evening(), at("2026-12-08T00:00:00Z"), NY)
        .await
        .unwrap();
    assert_eq!(found.own.len(), 1, "written once: {:?}", found.own);
    assert_eq!(found.own[0].start, at("2026-11-30T19:00:00Z"));
    eventually(
        "readyz reports the calendar reachable again",
        20,
        || async {
            let r = reqwest::get(format!("{}/readyz", app.base)).await.unwrap();
            let body: serde_json::Value = r.json().await.unwrap();
            body["checks"]["calendar"] == "ok" && body.get("degraded").is_none()
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_moved_or_deleted_in_radicale_moves_or_cancels_its_appointment() {
    let radicale = Radicale::start();
    radicale.make_calendar(&reqwest::Client::new()).await;
    let url = radicale.calendar_url();
    let app = spoken_app_with_calendar(Some(url.clone()), |_| {}).await;
    let booked = spoken_call(&app, BOOK).await;
    assert_eq!(booked["outcome"], "booked", "{booked}");
    let id = appointments(&app).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    eventually("the booking is written to Radicale", 30, || async {
        our_event(&url, &id).await.is_some()
    })
    .await;
    let event = our_event(&url, &id).await;

    // The executive drags it to Wednesday at 11 in their calendar app.
    let (text, etag) = event.unwrap();
    let moved: String = text
        .lines()
        .map(|l| {
            if l.starts_with("DTSTART") {
                "DTSTART:20261202T160000Z".to_string()
            } else if l.starts_with("DTEND") {
                "DTEND:20261202T163000Z".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let put = reqwest::Client::new()
        .put(format!("{url}frontdesk-{id}.ics"))
        .basic_auth(USER, Some(PASSWORD))
        .header("Content-Type", "text/calendar; charset=utf-8")
        .header("If-Match", etag)
        .body(moved)
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success(), "{}", put.status());
    eventually("GET /api/appointments reports the new time", 30, || async {
        appointments(&app).await[0]["start"] == "2026-12-02T11:00:00-05:00"
    })
    .await;
    let a = &appointments(&app).await[0];
    assert_eq!(a["end"], "2026-12-02T11:30:00-05:00");
    assert_eq!(a["status"], "booked");
    // The old time is free again, the new one taken.
    let booked_now = app.services.store.booked_from(evening()).await.unwrap();
    assert_eq!(booked_now.len(), 1);
    assert_eq!(booked_now[0].start, at("2026-12-02T16:00:00Z"));

    // Then deletes it: the appointment is cancelled and its slot freed.
    let del = reqwest::Client::new()
        .delete(format!("{url}frontdesk-{id}.ics"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert!(del.status().is_success(), "{}", del.status());
    eventually("the appointment is cancelled", 30, || async {
        appointments(&app).await[0]["status"] == "cancelled"
    })
    .await;
    assert!(app
        .services
        .store
        .booked_from(evening())
        .await
        .unwrap()
        .is_empty());
    let again = frontdesk::store::NewAppointment {
        start: at("2026-12-02T16:00:00Z"),
        end: at("2026-12-02T16:30:00Z"),
        caller_name: Some("Sam Roe".into()),
        caller_number: None,
        purpose: None,
        call_sid: None,
    };
    app.services
        .store
        .book(&again, evening())
        .await
        .expect("the freed slot can be booked");
    // Nothing was written back over the executive's deletion.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(our_event(&url, &id).await.is_none());
}

/// A webhook receiver that keeps what it is sent.
async fn receiver() -> (String, Arc<std::sync::Mutex<Vec<serde_json::Value>>>) {
    let got: Arc<std::sync::Mutex<Vec<serde_json::Value>>> = Arc::default();
    let keep = got.clone();
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let keep = keep.clone();
            async move {
                if let Ok(v) = serde_json::from_str(&body) {
                    keep.lock().unwrap().push(v);
                }
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn radicale_unreachable_at_call_time_takes_a_tentative_request_and_notifies() {
    // A calendar configured, but its server is down when the caller calls.
    let mut radicale = Radicale::start();
    let url = radicale.calendar_url();
    radicale.stop();
    let (hook, received) = receiver().await;
    let app = spoken_app_with_calendar(Some(url), |c| {
        c.webhook_url = Some(hook);
        c.webhook_secret = Some("s3cret".into());
    })
    .await;
    let mut lines = BOOK.to_vec();
    lines.push("Yes, that's right.");
    let call = spoken_call(&app, &lines).await;
    let agent = said(&call, "agent");
    assert!(agent.contains("can't reach the calendar"), "{agent}");
    assert!(!agent.contains("You're booked"), "{agent}");
    // Not booked blind.
    assert!(appointments(&app).await.is_empty());
    assert_eq!(call["outcome"], "message", "{call}");
    let message = call["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Monday, November 30th at 2 PM"),
        "{message}"
    );
    let events = call["events"].as_array().cloned().unwrap_or_default();
    assert!(
        events.iter().any(|e| e["kind"] == "tentative_request"
            && e["detail"]
                .as_str()
                .unwrap_or("")
                .starts_with("2026-11-30T19:00:00")),
        "{events:?}"
    );
    // The office hears of it.
    eventually("the request reaches the webhook", 30, || async {
        received.lock().unwrap().iter().any(|n| {
            n["event"] == "message"
                && n["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("Monday, November 30th at 2 PM")
        })
    })
    .await;
}

/// A subscription feed served by the test: `/basic.ics`, with an ETag, answering a matching
/// `If-None-Match` with 304. Counts full answers and 304s.
struct FeedServer {
    url: String,
    body: Arc<std::sync::Mutex<(String, String)>>,
    full: Arc<std::sync::atomic::AtomicUsize>,
    not_modified: Arc<std::sync::atomic::AtomicUsize>,
}

impl FeedServer {
    async fn start(body: String) -> Self {
        use std::sync::atomic::Ordering::SeqCst;
        let state = Arc::new(std::sync::Mutex::new(("\"v1\"".to_string(), body)));
        let full = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let not_modified = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (s, f, n) = (state.clone(), full.clone(), not_modified.clone());
        let router = axum::Router::new().route(
            "/basic.ics",
            axum::routing::get(move |headers: axum::http::HeaderMap| {
                let (s, f, n) = (s.clone(), f.clone(), n.clone());
                async move {
                    let (etag, body) = s.lock().unwrap().clone();
                    let asked = headers.get("if-none-match").and_then(|v| v.to_str().ok());
                    if asked == Some(etag.as_str()) {
                        n.fetch_add(1, SeqCst);
                        return (
                            axum::http::StatusCode::NOT_MODIFIED,
                            [("etag", etag)],
                            String::new(),
                        );
                    }
                    f.fetch_add(1, SeqCst);
                    (axum::http::StatusCode::OK, [("etag", etag)], body)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/basic.ics", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            url,
            body: state,
            full,
            not_modified,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_feed_blocks_its_events_and_is_fetched_conditionally() {
    use std::sync::atomic::Ordering::SeqCst;
    // The board meeting (Wednesday 2 to 3 PM) comes from a read-only feed, no CalDAV at all.
    let feed = FeedServer::start(ics(EVENTS[0].1)).await;
    let url = feed.url.clone();
    let app = spoken_app_with_calendar(None, |c| c.calendar.feeds = vec![url]).await;
    let view = app.services.busy.clone();
    assert!(view.enabled());
    eventually("the feed is read", 30, || async {
        view.snapshot()
            .is_some_and(|s| s.busy.iter().any(|b| b.uid == "board"))
    })
    .await;
    eventually(
        "the feed is asked again conditionally and answers 304",
        30,
        || async { feed.not_modified.load(SeqCst) >= 1 },
    )
    .await;
    assert_eq!(
        feed.full.load(SeqCst),
        1,
        "an unchanged feed is downloaded once"
    );

    // A call is offered the free slots around it.
    asks_for_2pm_and_is_offered_around_it(&app).await;

    // The feed changes (a new ETag): the new event blocks too.
    *feed.body.lock().unwrap() = ("\"v2\"".into(), ics(EVENTS[3].1));
    eventually("the changed feed is read", 30, || async {
        view.snapshot().is_some_and(|s| {
            s.busy.iter().any(|b| b.uid == "london") && !s.busy.iter().any(|b| b.uid == "board")
        })
    })
    .await;
    assert_eq!(feed.full.load(SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_feed_is_valid_icalendar_holding_every_booking_at_its_secret_url() {
    const SECRET: &str = "0123456789abcdef0123";
    let app =
        spoken_app_with_calendar(None, |c| c.calendar.export_secret = Some(SECRET.into())).await;
    // Two bookings by phone-like callers and one cancelled.
    let book = |start: &str, name: &str, purpose: &str| frontdesk::store::NewAppointment {
        start: at(start),
        end: at(start) + chrono::Duration::minutes(30),
        caller_name: Some(name.into()),
        caller_number: Some("+16175550111".into()),
        purpose: Some(purpose.into()),
        call_sid: Some("CAexport".into()),
    };
    let store = &app.services.store;
    let a = store
        .book(
            &book("2026-11-25T19:00:00Z", "Dana Kim", "hiring, budget; Q1"),
            evening(),
        )
        .await
        .unwrap();
    let b = store
        .book(
            &book("2026-11-30T15:00:00Z", "Zoë Åberg", "the lease"),
            evening(),
        )
        .await
        .unwrap();
    let c = store
        .book(
            &book("2026-12-01T15:00:00Z", "Gone Away", "nothing"),
            evening(),
        )
        .await
        .unwrap();
    store.cancel_appointment(&c, evening()).await.unwrap();

    let r = reqwest::get(format!("{}/calendar/{SECRET}.ics", app.base))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = r.text().await.unwrap();
    // It parses as iCalendar (the icalendar crate's parser), with one VEVENT per booking.
    let unfolded_for_parser = icalendar::parser::unfold(&text);
    let parsed = icalendar::parser::read_calendar(&unfolded_for_parser).expect("valid iCalendar");
    let events: Vec<_> = parsed
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), 2, "{text}");
    // Read back as busy time, exactly the bookings, each with our UID.
    let read =
        frontdesk::logic::ical::busy(&text, evening(), at("2026-12-08T00:00:00Z"), NY).unwrap();
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    let got: Vec<(Option<&str>, DateTime<Utc>)> = read
        .busy
        .iter()
        .map(|b| (frontdesk::logic::ical::own_id(&b.uid), b.start))
        .collect();
    assert_eq!(
        got,
        [
            (Some(a.as_str()), at("2026-11-25T19:00:00Z")),
            (Some(b.as_str()), at("2026-11-30T15:00:00Z"))
        ]
    );
    let unfolded_text = unfolded(&text);
    assert!(
        unfolded_text.contains("SUMMARY:Meeting with Zoë Åberg"),
        "{text}"
    );
    assert!(
        unfolded_text.contains("Purpose: hiring\\, budget\\; Q1"),
        "{text}"
    );
    assert!(
        text.lines().all(|l| l.len() <= 75),
        "lines are folded: {text}"
    );

    // A wrong secret is a 404, like a route that does not exist.
    for wrong in ["0123456789abcdef0124.ics", "0123456789abcdef0123", "x.ics"] {
        let r = reqwest::get(format!("{}/calendar/{wrong}", app.base))
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404, "{wrong}");
    }
    // Unset, the route is off.
    let off = spoken_app_with_calendar(None, |_| {}).await;
    let r = reqwest::get(format!("{}/calendar/{SECRET}.ics", off.base))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

// ----- A bearer token instead of a password --------------------------------------------------

/// A calendar server that takes only `Authorization: Bearer <token>` (as Google's CalDAV
/// does), in front of Radicale: a request with the right token is passed on with Radicale's
/// own credentials, any other is refused with 401. Keeps each request's method and whether it
/// was let through.
struct BearerGate {
    base: String,
    token: Arc<std::sync::Mutex<String>>,
    seen: Arc<std::sync::Mutex<Vec<(String, bool)>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl BearerGate {
    async fn start(upstream: String, token: &str) -> Self {
        use axum::body::Bytes;
        use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
        let token = Arc::new(std::sync::Mutex::new(token.to_string()));
        let seen: Arc<std::sync::Mutex<Vec<(String, bool)>>> = Arc::default();
        let (want, log) = (token.clone(), seen.clone());
        let http = reqwest::Client::new();
        let handler = move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (want, log, http, upstream) =
                (want.clone(), log.clone(), http.clone(), upstream.clone());
            async move {
                let expected = format!("Bearer {}", want.lock().unwrap());
                let given = headers.get("authorization").and_then(|v| v.to_str().ok());
                let allowed = given == Some(expected.as_str());
                log.lock()
                    .unwrap()
                    .push((method.as_str().to_string(), allowed));
                if !allowed {
                    let mut out = HeaderMap::new();
                    out.insert("www-authenticate", HeaderValue::from_static("Bearer"));
                    return (StatusCode::UNAUTHORIZED, out, Bytes::new());
                }
                let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap();
                let mut req = http
                    .request(method, format!("{upstream}{}", uri.path()))
                    .basic_auth(USER, Some(PASSWORD));
                for (k, v) in headers.iter() {
                    if !matches!(k.as_str(), "host" | "content-length" | "authorization") {
                        req = req.header(k.as_str(), v.as_bytes());
                    }
                }
                match req.body(body).send().await {
                    Ok(r) => {
                        let status = StatusCode::from_u16(r.status().as_u16()).unwrap();
                        let mut out = HeaderMap::new();
                        for (k, v) in r.headers() {
                            if matches!(k.as_str(), "etag" | "content-type") {
                                out.insert(
                                    HeaderName::from_bytes(k.as_str().as_bytes()).unwrap(),
                                    HeaderValue::from_bytes(v.as_bytes()).unwrap(),
                                );
                            }
                        }
                        (status, out, r.bytes().await.unwrap_or_default())
                    }
                    Err(_) => (StatusCode::BAD_GATEWAY, HeaderMap::new(), Bytes::new()),
                }
            }
        };
        let router = axum::Router::new().fallback(handler);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            base,
            token,
            seen,
            _task: task,
        }
    }

    /// The calendar's URL through the gate.
    fn calendar_url(&self) -> String {
        format!("{}/{USER}/work/", self.base)
    }

    /// From now on only `token` is let through.
    fn rotate(&self, token: &str) {
        *self.token.lock().unwrap() = token.to_string();
    }

    /// The methods of the requests seen so far, and how many were refused.
    fn seen(&self) -> (Vec<String>, usize) {
        let seen = self.seen.lock().unwrap();
        (
            seen.iter().map(|(m, _)| m.clone()).collect(),
            seen.iter().filter(|(_, allowed)| !allowed).count(),
        )
    }
}

#[tokio::test]
async fn a_bearer_token_reads_the_calendar_and_a_missing_or_wrong_one_is_refused() {
    use frontdesk::caldav::Credentials;
    let radicale = Radicale::start();
    fill(&radicale).await;
    let gate = BearerGate::start(format!("http://127.0.0.1:{}", radicale.port), "token-one").await;
    let url = gate.calendar_url();
    let to = at("2026-12-08T00:00:00Z");

    let cal = CalDav::with_credentials(&url, Credentials::Bearer("token-one".into()));
    let found = cal
        .busy(evening(), to, NY)
        .await
        .expect("read with the token");
    let busy: Vec<Booked> = found.busy.iter().map(|b| b.to_booked()).collect();
    assert_eq!(
        spans(&busy),
        [
            "Wed 25 14:00 Wed 25 15:00",
            "Thu 26 10:00 Thu 26 11:00",
            "Fri 27 00:00 Sat 28 00:00",
            "Mon 30 10:00 Mon 30 11:00",
        ]
    );
    assert_eq!(gate.seen(), (vec!["REPORT".to_string()], 0));

    // No token, another token, or a user and password: refused, a clear error.
    for credentials in [
        Credentials::None,
        Credentials::Bearer("token-two".into()),
        Credentials::Basic {
            user: USER.into(),
            password: PASSWORD.into(),
        },
    ] {
        let shown = format!("{credentials:?}");
        assert!(
            !shown.contains("token-two") && !shown.contains(PASSWORD),
            "{shown}"
        );
        let refused = CalDav::with_credentials(&url, credentials);
        match refused.busy(evening(), to, NY).await {
            Err(CalDavError::Unauthorized(401)) => {}
            other => panic!("{shown}: wanted Unauthorized(401), got {other:?}"),
        }
    }
    assert_eq!(gate.seen().1, 3);

    // A token file is read for every request: a refresher outside Frontdesk rotates it and
    // the same client goes on reading.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("caldav-token");
    std::fs::write(&file, "token-one\n").unwrap();
    let from_file = CalDav::with_credentials(&url, Credentials::BearerFile(file.clone()));
    assert_eq!(
        from_file.busy(evening(), to, NY).await.unwrap().busy.len(),
        4
    );
    gate.rotate("token-two");
    assert!(matches!(
        from_file.busy(evening(), to, NY).await,
        Err(CalDavError::Unauthorized(401))
    ));
    std::fs::write(&file, "token-two").unwrap();
    assert_eq!(
        from_file.busy(evening(), to, NY).await.unwrap().busy.len(),
        4
    );
    // A file that is gone or holds no token is an error, not an empty calendar, and sends
    // nothing.
    let before = gate.seen().0.len();
    std::fs::write(&file, "  \n").unwrap();
    let err = from_file.busy(evening(), to, NY).await.unwrap_err();
    assert!(matches!(err, CalDavError::Token(_)), "{err:?}");
    std::fs::remove_file(&file).unwrap();
    assert!(matches!(
        from_file.busy(evening(), to, NY).await,
        Err(CalDavError::Token(_))
    ));
    assert_eq!(gate.seen().0.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_with_a_token_sends_it_on_every_read_and_write() {
    let radicale = Radicale::start();
    radicale.make_calendar(&reqwest::Client::new()).await;
    radicale
        .put(&reqwest::Client::new(), "board", ics(EVENTS[0].1))
        .await;
    let direct = radicale.calendar_url();
    let gate = BearerGate::start(format!("http://127.0.0.1:{}", radicale.port), "token-one").await;
    let through = gate.calendar_url();
    let app = spoken_app_with_calendar(None, |c| {
        c.calendar.caldav_url = Some(through);
        c.calendar.token = Some("token-one".into());
    })
    .await;
    eventually("the calendar is read with the token", 30, || async {
        app.services
            .busy
            .snapshot()
            .is_some_and(|s| s.busy.iter().any(|b| b.uid == "board"))
    })
    .await;

    // Booked by phone, then cancelled: the event is written and deleted through the gate.
    let booked = spoken_call(&app, BOOK).await;
    assert_eq!(booked["outcome"], "booked", "{booked}");
    let id = appointments(&app).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    eventually("the booking is written to Radicale", 30, || async {
        our_event(&direct, &id).await.is_some()
    })
    .await;
    let cancelled = spoken_call(
        &app,
        &["I have to cancel my appointment.", "Yes, please cancel it."],
    )
    .await;
    assert_eq!(cancelled["outcome"], "cancelled", "{cancelled}");
    eventually("the cancellation deletes the event", 30, || async {
        our_event(&direct, &id).await.is_none()
    })
    .await;
    let (methods, refused) = gate.seen();
    assert_eq!(refused, 0, "every request carried the token: {methods:?}");
    for method in ["REPORT", "PUT", "DELETE"] {
        assert!(
            methods.iter().any(|m| m == method),
            "{method} in {methods:?}"
        );
    }
}

// ----- More calendars that count as busy -----------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_in_a_busy_calendar_blocks_its_slot_and_bookings_go_only_to_the_main_one() {
    let radicale = Radicale::start();
    let http = reqwest::Client::new();
    radicale.make_calendar(&http).await;
    radicale.make_collection(&http, "family").await;
    // The board meeting (Wednesday 2 to 3 PM) is in the second collection only.
    radicale
        .put_in(&http, "family", "board", ics(EVENTS[0].1))
        .await;
    let work = radicale.calendar_url();
    let family = radicale.collection_url("family");

    // The check at the caller's "yes" reads both; one that cannot be read fails it.
    let to = at("2026-12-08T00:00:00Z");
    let both =
        CalDav::new(&work, Some(USER), Some(PASSWORD)).also_busy(std::slice::from_ref(&family));
    let found = both
        .busy_within(evening(), to, NY, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(
        found
            .busy
            .iter()
            .map(|b| (b.start, b.end))
            .collect::<Vec<_>>(),
        [(at("2026-11-25T19:00:00Z"), at("2026-11-25T20:00:00Z"))]
    );
    let missing = CalDav::new(&work, Some(USER), Some(PASSWORD))
        .also_busy(&[format!("http://127.0.0.1:{}/{USER}/nope/", radicale.port)]);
    assert!(missing
        .busy_within(evening(), to, NY, Duration::from_secs(10))
        .await
        .is_err());

    let app = spoken_app_with_calendar(Some(work.clone()), |c| {
        c.calendar.busy_calendars = vec![family.clone()]
    })
    .await;
    eventually("the busy calendar is read", 30, || async {
        app.services
            .busy
            .snapshot()
            .is_some_and(|s| s.busy.iter().any(|b| b.uid == "board"))
    })
    .await;
    asks_for_2pm_and_is_offered_around_it(&app).await;

    // A booking lands in the main calendar, never in the busy one.
    let booked = spoken_call(&app, BOOK).await;
    assert_eq!(booked["outcome"], "booked", "{booked}");
    let id = appointments(&app).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    eventually(
        "the booking is written to the main calendar",
        30,
        || async { our_event(&work, &id).await.is_some() },
    )
    .await;
    assert!(our_event(&family, &id).await.is_none());
    let family_events = CalDav::new(&family, Some(USER), Some(PASSWORD))
        .events(evening(), to)
        .await
        .unwrap();
    assert_eq!(family_events.len(), 1, "{family_events:?}");
    assert!(family_events[0].text.contains("UID:board"));
}

// ----- Across a change of daylight saving time -----------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_after_the_clocks_change_lands_at_the_right_instant_and_londons_week_is_kept() {
    // Thursday October 29th 2026, 7:30 PM in New York (EDT, UTC-4). London left summer time
    // on Sunday the 25th, New York leaves it on Sunday November 1st: for one week the two are
    // four hours apart, not five.
    let now = DateTime::parse_from_rfc3339("2026-10-29T19:30:00-04:00").unwrap();
    let radicale = Radicale::start();
    let http = reqwest::Client::new();
    radicale.make_calendar(&http).await;
    // Fridays 3 to 4 PM in London from October 16th (summer time then): 10 AM in New York
    // before the 25th, 11 AM on the 30th, 10 AM again from November 6th.
    radicale
        .put(
            &http,
            "london-weekly",
            ics("UID:london-weekly\nSUMMARY:London sync\nDTSTART;TZID=Europe/London:20261016T150000\nDTEND;TZID=Europe/London:20261016T160000\nRRULE:FREQ=WEEKLY;BYDAY=FR"),
        )
        .await;
    let url = radicale.calendar_url();
    let app = spoken_app_with_calendar(Some(url.clone()), |c| c.now = Some(now)).await;
    eventually("the calendar is read", 30, || async {
        app.services
            .busy
            .snapshot()
            .is_some_and(|s| s.busy.iter().any(|b| b.uid == "london-weekly"))
    })
    .await;
    let snapshot = app.services.busy.snapshot().unwrap();
    let firsts: Vec<(DateTime<Utc>, DateTime<Utc>)> = snapshot
        .busy
        .iter()
        .take(2)
        .map(|b| (b.start, b.end))
        .collect();
    assert_eq!(
        firsts,
        [
            (at("2026-10-30T15:00:00Z"), at("2026-10-30T16:00:00Z")),
            (at("2026-11-06T15:00:00Z"), at("2026-11-06T16:00:00Z")),
        ]
    );
    // It blocks exactly its slot on each side of New York's change.
    let persona = persona();
    let busy: Vec<Booked> = snapshot.busy.iter().map(|b| b.to_booked()).collect();
    let cal = Calendar::new(&persona.meetings, persona.timezone, &busy);
    let now_utc = now.with_timezone(&Utc);
    let taken = |day: &str| -> Vec<String> {
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        let free: Vec<String> = cal
            .free_on(date, now_utc, None)
            .iter()
            .map(|s| s.with_timezone(&NY).format("%H:%M").to_string())
            .collect();
        (0..16)
            .map(|i| {
                (NaiveTime::from_hms_opt(9, 0, 0).unwrap() + chrono::Duration::minutes(30 * i))
                    .format("%H:%M")
                    .to_string()
            })
            .filter(|t| !free.contains(t))
            .collect()
    };
    assert_eq!(taken("2026-10-30"), ["11:00", "11:30"]);
    assert_eq!(taken("2026-11-02"), Vec::<String>::new());
    assert_eq!(taken("2026-11-06"), ["10:00", "10:30"]);

    // A caller asking for Friday at 11 hears it is taken, and 10:30 is offered.
    let asked = spoken_call(&app, &[HIRING, "Friday at 11 am."]).await;
    let agent = said(&asked, "agent");
    assert!(agent.contains("already booked then"), "{agent}");
    // (`said` gives the agent's words in lower case.)
    assert!(
        agent.contains("i can offer friday, october 30th at 10:30 am or noon"),
        "{agent}"
    );

    // Booked by phone for Monday at 10, the day after New York's change: read back as 10 AM,
    // written as 15:00 UTC (EST, UTC-5), not 14:00.
    let booked = spoken_call(&app, &[HIRING, "Monday at 10 am.", "Yes."]).await;
    assert_eq!(booked["outcome"], "booked", "{booked}");
    let agent = said(&booked, "agent");
    assert!(agent.contains("monday, november 2nd at 10 am"), "{agent}");
    let list = appointments(&app).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["start"], "2026-11-02T10:00:00-05:00");
    let id = list[0]["id"].as_str().unwrap().to_string();
    eventually("the booking is written to Radicale", 30, || async {
        our_event(&url, &id).await.is_some()
    })
    .await;
    let (text, _) = our_event(&url, &id).await.unwrap();
    let text = unfolded(&text);
    assert!(text.contains("DTSTART:20261102T150000Z"), "{text}");
    assert!(text.contains("DTEND:20261102T153000Z"), "{text}");
}

// ----- Finding the calendars from the server's root ------------------------------------------

/// Makes the calendar collection `id` named `name` (an extended MKCALENDAR, RFC 4791 §5.3.1)
/// taking `component` (`VEVENT`, or `VTODO` for a task list).
async fn make_named(
    radicale: &Radicale,
    http: &reqwest::Client,
    id: &str,
    name: &str,
    component: &str,
) {
    let url = radicale.collection_url(id);
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:displayname>{name}</D:displayname>
    <C:supported-calendar-component-set><C:comp name="{component}"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>"#
    );
    let made = http
        .request(reqwest::Method::from_bytes(b"MKCALENDAR").unwrap(), &url)
        .basic_auth(USER, Some(PASSWORD))
        .header("Content-Type", "application/xml; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("MKCALENDAR sent");
    assert_eq!(made.status().as_u16(), 201, "MKCALENDAR {url}");
}

/// Radicale with the executive's "Work" and "Family" calendars and a "Chores" task list; the
/// board meeting (Wednesday 2 to 3 PM) is in Family only.
async fn two_calendars() -> Radicale {
    let radicale = Radicale::start();
    let http = reqwest::Client::new();
    make_named(&radicale, &http, "work", "Work", "VEVENT").await;
    make_named(&radicale, &http, "family", "Family", "VEVENT").await;
    make_named(&radicale, &http, "chores", "Chores", "VTODO").await;
    radicale
        .put_in(&http, "family", "board", ics(EVENTS[0].1))
        .await;
    radicale
}

fn root_url(radicale: &Radicale) -> String {
    format!("http://127.0.0.1:{}/", radicale.port)
}

fn finder(password: &str) -> frontdesk::caldav::discover::Finder {
    frontdesk::caldav::discover::Finder::new(frontdesk::caldav::Credentials::Basic {
        user: USER.into(),
        password: password.into(),
    })
}

#[tokio::test]
async fn discovery_from_the_root_or_the_principal_finds_each_calendar_with_its_name() {
    use frontdesk::caldav::discover::DiscoveryError;
    let radicale = two_calendars().await;
    let principal = format!("http://127.0.0.1:{}/{USER}/", radicale.port);
    for start in [root_url(&radicale), principal] {
        let found = finder(PASSWORD).find(&start, false).await.expect(&start);
        assert_eq!(found.given, None, "{start}");
        let mut listed: Vec<(String, String, bool)> = found
            .calendars
            .iter()
            .map(|c| (c.name.clone(), c.url.clone(), c.holds_events()))
            .collect();
        listed.sort();
        assert_eq!(
            listed,
            [
                ("Chores".into(), radicale.collection_url("chores"), false),
                ("Family".into(), radicale.collection_url("family"), true),
                ("Work".into(), radicale.collection_url("work"), true),
            ],
            "{start}"
        );
    }
    // A calendar's own URL is the calendar, and with `all` its siblings are listed too.
    let work = radicale.collection_url("work");
    let found = finder(PASSWORD).find(&work, false).await.unwrap();
    assert_eq!(found.given.as_ref().map(|c| c.name.as_str()), Some("Work"));
    assert_eq!(found.calendars.len(), 1);
    assert_eq!(
        finder(PASSWORD)
            .find(&work, true)
            .await
            .unwrap()
            .calendars
            .len(),
        3
    );

    // A wrong password is the credentials error, not "no calendars".
    match finder("wrong").find(&root_url(&radicale), false).await {
        Err(DiscoveryError::Server(CalDavError::Unauthorized(401))) => {}
        other => panic!("wanted Unauthorized(401), got {other:?}"),
    }
    let err = finder("wrong")
        .find(&root_url(&radicale), false)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("refused the credentials"), "{err}");
}

/// The configuration of a server with stand-in speech engines and the calendar at `url`.
async fn quiet_app(
    url: String,
    tweak: impl FnOnce(&mut frontdesk::config::Config),
) -> anyhow::Result<common::TestApp> {
    use frontdesk::speech::fake::{Scripted, ToneVoice};
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    with_calendar(&mut config, Some(url));
    tweak(&mut config);
    let engines = frontdesk::app::Engines {
        stt: Arc::new(Scripted::new(Vec::<String>::new())),
        tts: Arc::new(ToneVoice),
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let running = frontdesk::app::start_with(config, Some(engines), async {
        let _ = rx.await;
    })
    .await?;
    Ok(common::TestApp::new(running, dir, tx))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_given_the_root_and_a_name_reads_and_books_in_that_calendar() {
    let radicale = two_calendars().await;
    let family = radicale.collection_url("family");
    let app = quiet_app(root_url(&radicale), |c| {
        c.calendar.calendar_name = Some("family".into())
    })
    .await
    .expect("the server starts");
    let caldav = app.services.caldav.clone().expect("a calendar");
    assert_eq!(caldav.url(), family);
    assert_eq!(
        app.services.config.calendar.caldav_url.as_deref(),
        Some(family.as_str())
    );
    eventually(
        "Family's board meeting is read as busy time",
        30,
        || async {
            app.services
                .busy
                .snapshot()
                .is_some_and(|s| s.busy.iter().any(|b| b.uid == "board"))
        },
    )
    .await;
    // Bookings go where the writer's client points: Family.
    assert_eq!(caldav.resource_url("x.ics"), format!("{family}x.ics"));

    // Work is the calendar, Family busy time, both by name.
    let app = quiet_app(root_url(&radicale), |c| {
        c.calendar.calendar_name = Some("Work".into());
        c.calendar.busy_calendars = vec!["FAMILY".into()];
    })
    .await
    .expect("the server starts");
    assert_eq!(
        app.services.caldav.as_ref().unwrap().url(),
        radicale.collection_url("work")
    );
    assert_eq!(
        app.services.config.calendar.busy_calendars,
        std::slice::from_ref(&family)
    );
    eventually("the busy calendar is read by name", 30, || async {
        app.services
            .busy
            .snapshot()
            .is_some_and(|s| s.busy.iter().any(|b| b.uid == "board"))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_root_url_with_several_calendars_and_no_name_or_a_wrong_one_does_not_start() {
    let radicale = two_calendars().await;
    let err = format!(
        "{:#}",
        quiet_app(root_url(&radicale), |_| {})
            .await
            .err()
            .expect("no start")
    );
    for part in [
        "calendar_name",
        "\"Work\"",
        "\"Family\"",
        &radicale.collection_url("work"),
        &radicale.collection_url("family"),
    ] {
        assert!(err.contains(part), "{part} in {err}");
    }
    assert!(!err.contains("Chores"), "a task list is no choice: {err}");
    let err = format!(
        "{:#}",
        quiet_app(root_url(&radicale), |c| c.calendar.calendar_name =
            Some("Holidays".into()))
        .await
        .err()
        .expect("no start")
    );
    for part in ["\"Holidays\"", "\"Work\"", "\"Family\""] {
        assert!(err.contains(part), "{part} in {err}");
    }
    let err = format!(
        "{:#}",
        quiet_app(root_url(&radicale), |c| {
            c.calendar.calendar_name = Some("Work".into());
            c.calendar.password = Some("wrong".into());
        })
        .await
        .err()
        .expect("no start")
    );
    assert!(err.contains("refused the credentials"), "{err}");
}
