//! The executive's own calendar over CalDAV (RFC 4791), read as busy time.
//!
//! [`CalDav`] asks the calendar collection for the events in a time range (a `REPORT`
//! `calendar-query` with a `time-range`, `Depth: 1`; Basic auth or a bearer token,
//! [`Credentials`]) and reads the multistatus
//! reply ([`resources`]); [`crate::logic::ical::busy`] turns each event's iCalendar text
//! into UTC intervals. [`BusyView`] holds the latest busy set in memory (refreshed in the
//! background by `crate::calendar_sync::poll`), so a call takes a snapshot at its start and
//! never waits on the network.
//!
//! **Architecture Invariant:** nothing on the audio path waits on the calendar server: a call
//! reads [`BusyView::snapshot`], which never blocks on it. Nothing here decides what is free
//! (that is `logic::calendar`'s), and nothing here knows of calls, the store or the services.
//!
//! Besides the calendar bookings are written to, [`CalDav::busy_calendars`] are more
//! collections on the same server, with the same credentials, that are only read as busy time.
//!
//! [`CalDav::put`], [`CalDav::delete`] and [`CalDav::get`] write and read one event with ETag
//! preconditions; [`feeds::Feed`] fetches a read-only iCalendar subscription feed with
//! conditional requests. The loops that use them for the server (reading, writing bookings,
//! bringing back the executive's changes) are `crate::calendar_sync`'s.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use quick_xml::events::Event;

use crate::config::CalendarConfig;
use crate::logic::ical::{self, Busy};

pub mod discover;
pub mod feeds;

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
        "calendar server refused the credentials ({0}): check calendar.user and calendar.password, or calendar.token"
    )]
    Unauthorized(u16),
    /// The bearer token's file cannot be read or holds no usable token.
    #[error("cannot read the calendar's bearer token from calendar.token_file: {0}")]
    Token(String),
    /// The reply is not a readable multistatus.
    #[error("calendar server's reply is not a CalDAV multistatus: {0}")]
    Xml(String),
    /// Reading the events failed unexpectedly (the worker panicked or was cancelled).
    #[error("reading the calendar's events failed: {0}")]
    Worker(String),
    /// A conditional write found the event changed since its ETag was read (HTTP 412).
    #[error("the event changed on the calendar server since it was read (412)")]
    Changed,
    /// The server took longer than allowed.
    #[error("calendar server did not answer within {0:?}")]
    Timeout(Duration),
}

/// One calendar object resource as a `REPORT` returns it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resource {
    /// Its path on the server.
    pub href: String,
    /// Its ETag, quotes included, as the server gave it.
    pub etag: Option<String>,
    /// Its iCalendar text.
    pub text: String,
}

/// One of Frontdesk's own events, found in the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnEvent {
    /// The appointment it is for.
    pub appointment_id: String,
    pub etag: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A write's precondition on the event's ETag.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Precondition<'a> {
    /// Only if the event still has this ETag (`If-Match`).
    Matches(&'a str),
    /// Only if there is no such event yet (`If-None-Match: *`).
    Absent,
}

/// How every request to the calendar server authenticates.
#[derive(Clone, Default)]
pub enum Credentials {
    /// No `Authorization` header.
    #[default]
    None,
    /// Basic auth: a user and (app) password.
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
    /// `Authorization: Bearer <token>`, e.g. an OAuth 2.0 access token.
    Bearer(String),
    /// A bearer token read from this file for every request (trimmed), so a refresher outside
    /// Frontdesk can replace it while the server runs.
    BearerFile(PathBuf),
}

impl std::fmt::Debug for Credentials {
    // Secrets are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Basic { user, .. } => write!(f, "Basic({user}, …)"),
            Self::Bearer(_) => f.write_str("Bearer(…)"),
            Self::BearerFile(path) => write!(f, "BearerFile({})", path.display()),
        }
    }
}

impl Credentials {
    /// The credentials `[calendar]` configures (the config has checked that at most one kind
    /// is set).
    pub fn from_config(c: &CalendarConfig) -> Self {
        if let Some(token) = &c.token {
            return Self::Bearer(token.clone());
        }
        if let Some(path) = &c.token_file {
            return Self::BearerFile(path.clone());
        }
        match (&c.user, &c.password) {
            (Some(user), password) => Self::Basic {
                user: user.clone(),
                password: password.clone().unwrap_or_default(),
            },
            (None, _) => Self::None,
        }
    }

    /// `req` with these credentials; a token file is read now.
    async fn apply(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, CalDavError> {
        Ok(match self {
            Self::None => req,
            Self::Basic { user, password } => req.basic_auth(user, Some(password)),
            Self::Bearer(token) => req.bearer_auth(token),
            Self::BearerFile(path) => {
                let text = tokio::fs::read_to_string(path)
                    .await
                    .map_err(|e| CalDavError::Token(format!("{}: {e}", path.display())))?;
                let token = text.trim();
                if !crate::config::bearer_token_ok(token) {
                    // Never echo the token.
                    return Err(CalDavError::Token(format!(
                        "{} does not hold one token (empty, or spaces inside)",
                        path.display()
                    )));
                }
                req.bearer_auth(token)
            }
        })
    }
}

/// A CalDAV calendar collection to read and write.
#[derive(Clone)]
pub struct CalDav {
    http: reqwest::Client,
    url: String,
    credentials: Arc<Credentials>,
    /// More collections read as busy time only, with the same client and credentials.
    busy_also: Vec<String>,
}

impl std::fmt::Debug for CalDav {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CalDav")
            .field("url", &self.url)
            .field("credentials", &self.credentials)
            .field("busy_also", &self.busy_also)
            .finish_non_exhaustive()
    }
}

/// What one read of the calendar found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The busy intervals, earliest first, Frontdesk's own events aside (they are its
    /// appointments, which calls already see).
    pub busy: Vec<Busy>,
    /// Events read approximately or skipped, and resources that were not iCalendar.
    pub problems: Vec<String>,
    /// Frontdesk's own events, by appointment.
    pub own: Vec<OwnEvent>,
}

impl CalDav {
    /// The calendar at `url`, with Basic auth when `user` is given.
    pub fn new(url: &str, user: Option<&str>, password: Option<&str>) -> Self {
        let credentials = match user {
            Some(user) => Credentials::Basic {
                user: user.to_string(),
                password: password.unwrap_or_default().to_string(),
            },
            None => Credentials::None,
        };
        Self::with_credentials(url, credentials)
    }

    /// The calendar at `url`, authenticating with `credentials`.
    pub fn with_credentials(url: &str, credentials: Credentials) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        Self {
            http,
            url: url.to_string(),
            credentials: Arc::new(credentials),
            busy_also: Vec::new(),
        }
    }

    /// This calendar with `urls` as more collections read as busy time
    /// ([`Self::busy_calendars`]).
    pub fn also_busy(mut self, urls: &[String]) -> Self {
        self.busy_also = urls.to_vec();
        self
    }

    /// The configured calendar, if any, with its busy calendars.
    pub fn from_config(c: &CalendarConfig) -> Option<Self> {
        let url = c.caldav_url.as_deref()?;
        Some(Self::with_credentials(url, Credentials::from_config(c)).also_busy(&c.busy_calendars))
    }

    /// The other collections whose events are busy time, each a client of its own sharing
    /// this one's connection pool and credentials (never written to).
    pub fn busy_calendars(&self) -> Vec<CalDav> {
        self.busy_also
            .iter()
            .map(|url| CalDav {
                http: self.http.clone(),
                url: url.clone(),
                credentials: self.credentials.clone(),
                busy_also: Vec::new(),
            })
            .collect()
    }

    /// The iCalendar text of every event with an instance overlapping `[from, to)`, one text
    /// per calendar object resource.
    pub async fn events(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Resource>, CalDavError> {
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
        let req = self
            .with_auth(self.http.request(method, &self.url))
            .await?
            .header("Depth", "1")
            .header("Content-Type", "application/xml; charset=utf-8")
            .body(body);
        let resp = req.send().await.map_err(CalDavError::Unreachable)?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(CalDavError::Unreachable)?;
        match status {
            207 => resources(&text),
            401 | 403 => Err(CalDavError::Unauthorized(status)),
            _ => Err(CalDavError::Status {
                status,
                body: text.chars().take(200).collect(),
            }),
        }
    }

    /// The calendar collection's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL of the resource `name` (`frontdesk-<id>.ics`) in the calendar collection.
    pub fn resource_url(&self, name: &str) -> String {
        format!("{}/{name}", self.url.trim_end_matches('/'))
    }

    async fn with_auth(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, CalDavError> {
        self.credentials.apply(req).await
    }

    /// Writes the resource `name` with `text` (PUT), on `condition`; returns its new ETag
    /// when the server gives one.
    pub async fn put(
        &self,
        name: &str,
        text: String,
        condition: Precondition<'_>,
    ) -> Result<Option<String>, CalDavError> {
        let mut req = self
            .with_auth(self.http.put(self.resource_url(name)))
            .await?
            .header("Content-Type", "text/calendar; charset=utf-8")
            .body(text);
        req = match condition {
            Precondition::Matches(etag) => req.header("If-Match", etag),
            Precondition::Absent => req.header("If-None-Match", "*"),
        };
        let resp = req.send().await.map_err(CalDavError::Unreachable)?;
        let etag = etag_of(&resp);
        match resp.status().as_u16() {
            200 | 201 | 204 => Ok(etag),
            412 => Err(CalDavError::Changed),
            s => Err(status_error(s, resp).await),
        }
    }

    /// Deletes the resource `name`, only if it still has `etag` when one is given. One that is
    /// not there is deleted already.
    pub async fn delete(&self, name: &str, etag: Option<&str>) -> Result<(), CalDavError> {
        let mut req = self
            .with_auth(self.http.delete(self.resource_url(name)))
            .await?;
        if let Some(etag) = etag {
            req = req.header("If-Match", etag);
        }
        let resp = req.send().await.map_err(CalDavError::Unreachable)?;
        match resp.status().as_u16() {
            200 | 202 | 204 | 404 | 410 => Ok(()),
            412 => Err(CalDavError::Changed),
            s => Err(status_error(s, resp).await),
        }
    }

    /// The resource `name`'s text and ETag; `None` when it is not there.
    pub async fn get(&self, name: &str) -> Result<Option<Resource>, CalDavError> {
        let resp = self
            .with_auth(self.http.get(self.resource_url(name)))
            .await?
            .send()
            .await
            .map_err(CalDavError::Unreachable)?;
        let etag = etag_of(&resp);
        match resp.status().as_u16() {
            200 => Ok(Some(Resource {
                href: name.to_string(),
                etag,
                text: resp.text().await.map_err(CalDavError::Unreachable)?,
            })),
            404 | 410 => Ok(None),
            s => Err(status_error(s, resp).await),
        }
    }

    /// The busy intervals overlapping `[from, to)`, with floating and all-day times in `zone`.
    pub async fn busy(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        zone: Tz,
    ) -> Result<Found, CalDavError> {
        let resources = self.events(from, to).await?;
        // Expanding recurrences is CPU work: off the async runtime.
        tokio::task::spawn_blocking(move || read_all(&resources, from, to, zone))
            .await
            .map_err(|e| CalDavError::Worker(e.to_string()))
    }

    /// [`Self::busy`] of this calendar and every busy calendar together, within `limit`: the
    /// fresh read a booking is checked against. Any collection unread is an error (the time
    /// cannot be said to be free); own events are this calendar's only.
    pub async fn busy_within(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        zone: Tz,
        limit: Duration,
    ) -> Result<Found, CalDavError> {
        let others = self.busy_calendars();
        let all = async {
            let (main, rest) = tokio::join!(
                self.busy(from, to, zone),
                futures_util::future::join_all(others.iter().map(|c| c.busy(from, to, zone)))
            );
            let mut found = main?;
            for other in rest {
                let other = other?;
                found.busy.extend(other.busy);
                found.problems.extend(other.problems);
            }
            found.busy.sort();
            found.busy.dedup();
            Ok(found)
        };
        tokio::time::timeout(limit, all)
            .await
            .map_err(|_| CalDavError::Timeout(limit))?
    }
}

/// The ETag header of a reply.
fn etag_of(resp: &reqwest::Response) -> Option<String> {
    resp.headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// An unexpected status as an error, with the start of the body.
async fn status_error(status: u16, resp: reqwest::Response) -> CalDavError {
    if status == 401 || status == 403 {
        return CalDavError::Unauthorized(status);
    }
    let body = resp.text().await.unwrap_or_default();
    CalDavError::Status {
        status,
        body: body.chars().take(200).collect(),
    }
}

/// The busy intervals of every resource's text, and what could not be read. Frontdesk's own
/// events are listed apart, not as busy time.
pub fn read_all(resources: &[Resource], from: DateTime<Utc>, to: DateTime<Utc>, zone: Tz) -> Found {
    let mut found = Found::default();
    for res in resources {
        match ical::busy(&res.text, from, to, zone) {
            Ok(r) => {
                for b in r.busy {
                    match ical::own_id(&b.uid) {
                        Some(id) => found.own.push(OwnEvent {
                            appointment_id: id.to_string(),
                            etag: res.etag.clone(),
                            start: b.start,
                            end: b.end,
                        }),
                        None => found.busy.push(b),
                    }
                }
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
    Ok(resources(xml)?.into_iter().map(|r| r.text).collect())
}

/// Which text of a `response` is being read.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    Href,
    Etag,
    Data,
}

/// Every resource (href, ETag, calendar data) in a CalDAV multistatus reply, in order; a
/// response without calendar data is left out.
pub fn resources(xml: &str) -> Result<Vec<Resource>, CalDavError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current = Resource::default();
    let mut field: Option<(Field, String)> = None;
    let mut saw_multistatus = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| CalDavError::Xml(format!("at byte {}: {e}", reader.error_position())))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "multistatus" => saw_multistatus = true,
                "response" => current = Resource::default(),
                "href" => field = Some((Field::Href, String::new())),
                "getetag" => field = Some((Field::Etag, String::new())),
                "calendar-data" => field = Some((Field::Data, String::new())),
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "multistatus" => saw_multistatus = true,
            Event::End(e) => match e.local_name().as_ref() {
                "href" | "getetag" | "calendar-data" => {
                    if let Some((f, text)) = field.take() {
                        match f {
                            Field::Href if current.href.is_empty() => current.href = text,
                            Field::Href => {}
                            Field::Etag => current.etag = Some(text.trim().to_string()),
                            Field::Data => current.text = text,
                        }
                    }
                }
                "response" => {
                    let done = std::mem::take(&mut current);
                    if !done.text.trim().is_empty() {
                        out.push(done);
                    }
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some((_, cur)) = field.as_mut() {
                    cur.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, cur)) = field.as_mut() {
                    cur.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, cur)) = field.as_mut() {
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

/// The latest busy set read from the executive's calendar and feeds, shared by every call.
#[derive(Debug, Default)]
pub struct BusyView {
    enabled: bool,
    /// The last good read of each source (`caldav`, or a feed's index), by name.
    sources: RwLock<BTreeMap<String, Snapshot>>,
    /// Whether the CalDAV server answered the last time it was asked.
    reachable: AtomicBool,
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
    /// A view that is fed by a calendar or feeds (`enabled`) or stays empty (none configured).
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            sources: RwLock::new(BTreeMap::new()),
            reachable: AtomicBool::new(false),
        }
    }

    /// Whether a calendar or feed feeds this view.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The latest reads of every source together (`read_at`: the oldest), if any source was
    /// ever read. Never waits on the network.
    pub fn snapshot(&self) -> Option<Snapshot> {
        let sources = match self.sources.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let read_at = sources.values().map(|s| s.read_at).min()?;
        let mut busy: Vec<Busy> = sources.values().flat_map(|s| s.busy.clone()).collect();
        busy.sort();
        busy.dedup();
        Some(Snapshot { read_at, busy })
    }

    /// Replaces the CalDAV calendar's busy set with a fresh read.
    pub fn set(&self, snapshot: Snapshot) {
        self.set_source("caldav", snapshot);
        self.reachable.store(true, Ordering::Relaxed);
    }

    /// Replaces one source's busy set with a fresh read.
    pub fn set_source(&self, source: &str, snapshot: Snapshot) {
        match self.sources.write() {
            Ok(mut g) => g.insert(source.to_string(), snapshot),
            Err(poisoned) => poisoned.into_inner().insert(source.to_string(), snapshot),
        };
    }

    /// Notes whether the CalDAV server answered the last time it was asked.
    pub fn set_reachable(&self, reachable: bool) {
        self.reachable.store(reachable, Ordering::Relaxed);
    }

    /// Whether the CalDAV server answered the last time it was asked (for `/readyz`).
    pub fn reachable(&self) -> bool {
        self.reachable.load(Ordering::Relaxed)
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
