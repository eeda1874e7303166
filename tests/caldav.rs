//! The executive's CalDAV calendar as busy time, against a real CalDAV server: Radicale
//! (Debian's package, installed by `scripts/setup.sh`), started by each test on a free loopback
//! port with its own storage folder and a plain-text htpasswd file.
//!
//! Events are PUT into a calendar made with MKCALENDAR (a single one, a weekly one with an
//! EXDATE, an all-day one, one in London, a transparent and a cancelled one); the client must
//! read back exactly their busy intervals, the free-slot rules must avoid exactly those slots,
//! the dialog must offer the nearest free ones, and a running server's background poller must
//! pick them up.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use common::{said, spawn_app_with_engines_and};
use frontdesk::app::Engines;
use frontdesk::caldav::{CalDav, CalDavError};
use frontdesk::logic::calendar::{Booked, Calendar};
use frontdesk::logic::dialog::{Action, Dialog, Event};
use frontdesk::persona::Persona;
use frontdesk::sim::{self, Step};
use frontdesk::speech::fake::{Scripted, ToneVoice};

const USER: &str = "alex";
const PASSWORD: &str = "app-password-1";
const NY: chrono_tz::Tz = chrono_tz::America::New_York;

/// A real Radicale on a loopback port; killed when dropped.
struct Radicale {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Radicale {
    fn start() -> Self {
        let bin = which_radicale();
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
        let child = Command::new(bin)
            .arg("--config")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("radicale starts");
        let mut me = Self {
            child,
            port,
            _dir: dir,
        };
        me.wait_ready();
        me
    }

    /// Waits until it answers HTTP (it takes a few seconds on a loaded machine).
    fn wait_ready(&mut self) {
        let end = Instant::now() + Duration::from_secs(60);
        while Instant::now() < end {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("radicale exited at startup: {status}");
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("radicale did not answer on port {} within 60 s", self.port);
    }

    fn calendar_url(&self) -> String {
        format!("http://127.0.0.1:{}/{USER}/work/", self.port)
    }

    /// Makes the calendar (MKCALENDAR).
    async fn make_calendar(&self, http: &reqwest::Client) {
        let url = self.calendar_url();
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
        let put = http
            .put(format!("{}{name}.ics", self.calendar_url()))
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
    let asked = said_in(&d.handle(
        Event::Heard("Dana Kim here, I'd like to schedule a meeting about hiring.".into()),
        evening(),
    ));
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
    let lines = [
        "Dana Kim here, I'd like to schedule a meeting about hiring.",
        "Tomorrow at 2.",
    ];
    let heard = Scripted::new(lines);
    let url = radicale.calendar_url();
    let app = spawn_app_with_engines_and(
        Engines {
            stt: Arc::new(heard.clone()),
            tts: Arc::new(ToneVoice),
        },
        |c| {
            c.calendar.caldav_url = Some(url);
            c.calendar.user = Some(USER.into());
            c.calendar.password = Some(PASSWORD.into());
            c.calendar.poll_secs = 1;
        },
    )
    .await;
    // The server reads the calendar in the background, first at startup.
    let view = app.services.busy.clone();
    assert!(view.enabled());
    let end = Instant::now() + Duration::from_secs(30);
    while view.snapshot().is_none() {
        assert!(
            Instant::now() < end,
            "the calendar was not read within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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

    // A call takes that snapshot: the board meeting's hour is not offered, the nearest free
    // slots are.
    let script: Vec<Step> = lines.iter().map(|l| Step::Say(l.to_string())).collect();
    let report = sim::place_call(&app.sim_options(), &script, Arc::new(ToneVoice), None)
        .await
        .expect("call completes");
    let call = app.stored_call(&report.call_sid).await;
    let agent = said(&call, "agent").to_lowercase();
    assert!(
        agent.contains(
            "alex is already booked then. i can offer wednesday, november 25th at 1:30 pm or 3 pm"
        ),
        "{agent}"
    );

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
    let end = Instant::now() + Duration::from_secs(30);
    while !view
        .snapshot()
        .is_some_and(|s| s.busy.iter().any(|b| b.uid == "dentist"))
    {
        assert!(
            Instant::now() < end,
            "the new event was not read within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
