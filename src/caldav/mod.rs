//! The executive's own calendar over CalDAV (RFC 4791), read as busy time.
//!
//! [`CalDav`] asks the calendar collection for the events in a time range (a `REPORT`
//! `calendar-query` with a `time-range`, `Depth: 1`, Basic auth) and reads the multistatus
//! reply ([`calendar_data`]); [`crate::logic::ical::busy`] turns each event's iCalendar text
//! into UTC intervals. [`BusyView`] holds the latest busy set in memory and [`poll`] refreshes
//! it in the background, so a call takes a snapshot at its start and never waits on the
//! network.
//!
//! **Architecture Invariant:** nothing on the audio path waits on the calendar server: only
//! [`poll`] does network IO here, and a call reads [`BusyView::snapshot`], which never blocks
//! on it. Nothing here decides what is free: that is `logic::calendar`'s.
//!
//! Writing bookings to the calendar (PUT, `If-Match`, DELETE) is not done yet.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use quick_xml::events::Event;
use tracing::{error, info, warn};

use crate::config::{CalendarConfig, Clock};
use crate::logic::ical::{self, Busy};

/// Why the calendar could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CalDavError {
    /// The server did not answer (refused, timed out, TLS).
    #[error("calendar server unreachable: {0}")]
    Unreachable(#[source] reqwest::Error),
    /// It answered with an unexpected status.
    #[error("calendar server answered {status}: {body}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The start of the reply's body.
        body: String,
    },
    /// The credentials were refused.
    #[error(
        "calendar server refused the credentials ({0}): check calendar.user and calendar.password"
    )]
    Unauthorized(u16),
    /// The reply is not a readable multistatus.
    #[error("calendar server's reply is not a CalDAV multistatus: {0}")]
    Xml(String),
    /// Reading the events failed unexpectedly (the worker panicked or was cancelled).
    #[error("reading the calendar's events failed: {0}")]
    Worker(String),
}

/// A CalDAV calendar collection to read.
#[derive(Clone)]
pub struct CalDav {
    http: reqwest::Client,
    url: String,
    user: Option<String>,
    password: Option<String>,
}

impl std::fmt::Debug for CalDav {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CalDav")
            .field("url", &self.url)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// What one read of the calendar found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The busy intervals, earliest first.
    pub busy: Vec<Busy>,
    /// Events read approximately or skipped, and resources that were not iCalendar.
    pub problems: Vec<String>,
}

impl CalDav {
    /// The calendar at `url`, with Basic auth when `user` is given.
    pub fn new(url: &str, user: Option<&str>, password: Option<&str>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        Self {
            http,
            url: url.to_string(),
            user: user.map(str::to_string),
            password: password.map(str::to_string),
        }
    }

    /// The configured calendar, if any.
    pub fn from_config(c: &CalendarConfig) -> Option<Self> {
        let url = c.caldav_url.as_deref()?;
        Some(Self::new(url, c.user.as_deref(), c.password.as_deref()))
    }

    /// The iCalendar text of every event with an instance overlapping `[from, to)`, one text
    /// per calendar object resource.
    pub async fn events(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<String>, CalDavError> {
        let body = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter>
    <C:comp-filter name="VCALENDAR">
      <C:comp-filter name="VEVENT">
        <C:time-range start="{}" end="{}"/>
      </C:comp-filter>
    </C:comp-filter>
  </C:filter>
</C:calendar-query>"#,
            from.format("%Y%m%dT%H%M%SZ"),
            to.format("%Y%m%dT%H%M%SZ")
        );
        let method = reqwest::Method::from_bytes(b"REPORT").map_err(|e| {
            // A constant method name: unreachable in practice, an error value all the same.
            CalDavError::Xml(e.to_string())
        })?;
        let mut req = self
            .http
            .request(method, &self.url)
            .header("Depth", "1")
            .header("Content-Type", "application/xml; charset=utf-8")
            .body(body);
        if let Some(user) = &self.user {
            req = req.basic_auth(user, self.password.as_deref());
        }
        let resp = req.send().await.map_err(CalDavError::Unreachable)?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(CalDavError::Unreachable)?;
        match status {
            207 => calendar_data(&text),
            401 | 403 => Err(CalDavError::Unauthorized(status)),
            _ => Err(CalDavError::Status {
                status,
                body: text.chars().take(200).collect(),
            }),
        }
    }

    /// The busy intervals overlapping `[from, to)`, with floating and all-day times in `zone`.
    pub async fn busy(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        zone: Tz,
    ) -> Result<Found, CalDavError> {
        let texts = self.events(from, to).await?;
        // Expanding recurrences is CPU work: off the async runtime.
        tokio::task::spawn_blocking(move || read_all(&texts, from, to, zone))
            .await
            .map_err(|e| CalDavError::Worker(e.to_string()))
    }
}

/// The busy intervals of every resource's text, and what could not be read.
fn read_all(texts: &[String], from: DateTime<Utc>, to: DateTime<Utc>, zone: Tz) -> Found {
    let mut found = Found::default();
    for text in texts {
        match ical::busy(text, from, to, zone) {
            Ok(r) => {
                found.busy.extend(r.busy);
                found
                    .problems
                    .extend(r.problems.iter().map(ToString::to_string));
            }
            Err(e) => found.problems.push(e.to_string()),
        }
    }
    found.busy.sort();
    found.busy.dedup();
    found
}

/// The `calendar-data` of every resource in a CalDAV multistatus reply, in order.
pub fn calendar_data(xml: &str) -> Result<Vec<String>, CalDavError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut saw_multistatus = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| CalDavError::Xml(format!("at byte {}: {e}", reader.error_position())))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "multistatus" => saw_multistatus = true,
                "calendar-data" => current = Some(String::new()),
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "multistatus" => saw_multistatus = true,
            Event::End(e) if e.local_name().as_ref() == "calendar-data" => {
                if let Some(text) = current.take() {
                    if !text.trim().is_empty() {
                        out.push(text);
                    }
                }
            }
            Event::Text(t) => {
                if let Some(cur) = current.as_mut() {
                    cur.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(cur) = current.as_mut() {
                    cur.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(cur) = current.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => cur.push(c),
                        Ok(None) => {
                            let c = match r.as_ref() {
                                "amp" => '&',
                                "lt" => '<',
                                "gt" => '>',
                                "quot" => '"',
                                "apos" => '\'',
                                other => {
                                    return Err(CalDavError::Xml(format!(
                                        "unknown entity &{other};"
                                    )))
                                }
                            };
                            cur.push(c);
                        }
                        Err(e) => return Err(CalDavError::Xml(e.to_string())),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_multistatus {
        return Err(CalDavError::Xml("no multistatus element".into()));
    }
    Ok(out)
}

/// The latest busy set read from the executive's calendar, shared by every call.
#[derive(Debug, Default)]
pub struct BusyView {
    enabled: bool,
    latest: RwLock<Option<Snapshot>>,
}

/// One successful read.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// When it was read (wall clock).
    pub read_at: DateTime<Utc>,
    /// The busy intervals, earliest first.
    pub busy: Vec<Busy>,
}

impl BusyView {
    /// A view that is fed by a calendar (`enabled`) or stays empty (no calendar configured).
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            latest: RwLock::new(None),
        }
    }

    /// Whether a calendar feeds this view.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The latest read, if the calendar was ever read. Never waits on the network.
    pub fn snapshot(&self) -> Option<Snapshot> {
        match self.latest.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the busy set with a fresh read.
    pub fn set(&self, snapshot: Snapshot) {
        match self.latest.write() {
            Ok(mut g) => *g = Some(snapshot),
            Err(poisoned) => *poisoned.into_inner() = Some(snapshot),
        }
    }
}

/// Reads `calendar` now and then every `every`, over `horizon_days` from the clock's now, and
/// keeps the latest busy set in `view`. A failed read keeps the last good set and is logged;
/// it never ends the loop.
pub async fn poll(
    calendar: CalDav,
    view: Arc<BusyView>,
    clock: Clock,
    zone: Tz,
    horizon_days: u32,
    every: Duration,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failures = 0u32;
    loop {
        ticker.tick().await;
        let now = clock.now();
        let to = now + chrono::Duration::days(i64::from(horizon_days) + 1);
        match calendar.busy(now, to, zone).await {
            Ok(found) => {
                for p in &found.problems {
                    warn!(problem = %p, "calendar event read approximately or skipped");
                }
                if failures > 0 || view.snapshot().is_none() {
                    info!(busy = found.busy.len(), url = %calendar.url, "calendar read");
                }
                failures = 0;
                view.set(Snapshot {
                    read_at: now,
                    busy: found.busy,
                });
            }
            Err(e) => {
                failures += 1;
                match view.snapshot() {
                    None => error!(
                        error = %e, url = %calendar.url, attempts = failures,
                        "cannot read the executive's calendar: calls are offered slots without its busy time"
                    ),
                    Some(s) => warn!(
                        error = %e, url = %calendar.url, attempts = failures, last_read = %s.read_at,
                        "cannot read the executive's calendar: calls use the last busy set read"
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multistatus_replies_give_each_resources_text() {
        let xml = r#"<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <response><href>/a.ics</href><propstat><prop><getetag>"1"</getetag>
    <C:calendar-data>BEGIN:VCALENDAR&#13;
SUMMARY:Tom &amp; Jerry
END:VCALENDAR</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>
  <response><href>/b.ics</href><propstat><prop>
    <C:calendar-data><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR]]></C:calendar-data></prop></propstat></response>
</multistatus>"#;
        let got = calendar_data(xml).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            "BEGIN:VCALENDAR\r\nSUMMARY:Tom & Jerry\nEND:VCALENDAR"
        );
        assert_eq!(got[1], "BEGIN:VCALENDAR\nEND:VCALENDAR");
        assert!(calendar_data("<multistatus xmlns='DAV:'/>")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn bad_replies_are_errors() {
        for xml in [
            "",
            "not xml at all",
            "<html><body>Login</body></html>",
            "<multistatus><response><calendar-data>&bogus;</calendar-data></response></multistatus>",
            "<multistatus><response></multistatus>",
        ] {
            assert!(calendar_data(xml).is_err(), "{xml}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_reply_reads_without_panicking(s in "\\PC{0,300}") {
            let _ = calendar_data(&s);
        }
    }
}
