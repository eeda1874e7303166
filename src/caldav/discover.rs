//! Finding the executive's calendars from the URL a user pastes (RFC 4791 §6.2, RFC 5397,
//! RFC 6764): a server's root, their principal, or a calendar collection itself.
//!
//! [`Finder::find`] asks the URL (`PROPFIND`, `Depth: 0`) whether it is a calendar; if not, it
//! follows `current-user-principal` (from the URL, else from `/.well-known/caldav` on its host)
//! to the principal's `calendar-home-set`, and lists the home's calendars (`Depth: 1`) with
//! their display names, leaving out lists that hold no events (task lists). Redirects are
//! followed by hand, so the `PROPFIND` stays a `PROPFIND` and its credentials go only to the
//! same site. [`props`] reads the multistatus replies and [`choose`] picks the calendar by name;
//! both are pure. [`resolve`] is what the server does once at startup and
//! [`listing`] what `frontdesk calendars` prints.
//!
//! **Architecture Invariant:** discovery runs before the server's loops start (or from the
//! command line), never during a call; a calendar URL, once resolved, is what every read and
//! write uses.

use std::sync::Arc;
use std::time::Duration;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use tracing::warn;

use super::{CalDavError, Credentials};
use crate::config::{is_calendar_url, CalendarConfig};

const DAV: &str = "DAV:";
const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";

/// How many redirects one request follows.
const REDIRECTS: usize = 5;

/// Why the calendars could not be found or chosen.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// The server could not be asked, refused the credentials, or answered nonsense.
    #[error(transparent)]
    Server(#[from] CalDavError),
    /// `calendar.caldav_url` is not an http(s) URL.
    #[error("calendar.caldav_url is not an http(s) URL")]
    BadUrl,
    /// Neither the URL nor the host's `/.well-known/caldav` names the user's principal.
    #[error(
        "{url} is not a calendar, and the server names no principal (current-user-principal) there or at /.well-known/caldav: give the calendar's own URL"
    )]
    NoPrincipal {
        /// The URL asked.
        url: String,
    },
    /// The principal has no calendar home, or the home holds no calendar of events.
    #[error("found no calendar of events for {url}")]
    NoCalendars {
        /// Where they were looked for.
        url: String,
    },
    /// No calendar has the name asked for.
    #[error(
        "no calendar is named {wanted:?}; the calendars found are: {}",
        names(found)
    )]
    NoSuchName {
        /// The name asked for.
        wanted: String,
        /// The names of the calendars found.
        found: Vec<String>,
    },
    /// Several calendars and no name to pick one.
    #[error(
        "several calendars were found; set calendar.calendar_name (FRONTDESK_CALDAV_CALENDAR) to one of: {}",
        choices(.0)
    )]
    Several(Vec<Calendar>),
    /// A busy calendar named is the one bookings go to.
    #[error("calendar.busy_calendars names {0:?}, the calendar bookings go to (its events are busy time already)")]
    BusyIsMain(String),
    /// The server pointed to another site, where the credentials are not sent.
    #[error("the calendar server pointed to {to}, on another site than {from}: give that URL as calendar.caldav_url")]
    OtherSite {
        /// Where the credentials were meant for.
        from: String,
        /// Where the server pointed.
        to: String,
    },
}

fn names(found: &[String]) -> String {
    if found.is_empty() {
        return "none".into();
    }
    found
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn choices(calendars: &[Calendar]) -> String {
    calendars
        .iter()
        .map(|c| format!("{:?} ({})", c.name, c.url))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One calendar collection found.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// Its absolute URL.
    pub url: String,
    /// Its display name, or the last segment of its URL when it has none.
    pub name: String,
    /// The components it takes (`VEVENT`, `VTODO`, …), when the server says.
    pub components: Option<Vec<String>>,
}

impl Calendar {
    /// Whether it can hold events (a server that does not say is taken to allow them).
    pub fn holds_events(&self) -> bool {
        self.components
            .as_ref()
            .is_none_or(|c| c.iter().any(|c| c.eq_ignore_ascii_case("VEVENT")))
    }

    /// Whether `name` is its name (case-insensitive, spaces around ignored).
    pub fn is_named(&self, name: &str) -> bool {
        self.name.trim().to_lowercase() == name.trim().to_lowercase()
    }
}

/// What [`Finder::find`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discovery {
    /// The URL itself, when it is a calendar collection.
    pub given: Option<Calendar>,
    /// Every calendar found (the given one among them), task lists included.
    pub calendars: Vec<Calendar>,
}

/// The properties of one `response` in a `PROPFIND` multistatus, from its `200` propstats.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Props {
    /// The resource's href, as written (relative or absolute).
    pub href: String,
    /// Whether its `resourcetype` holds `C:calendar`.
    pub calendar: bool,
    /// Its `displayname`, when set and not empty.
    pub display_name: Option<String>,
    /// The `comp` names of its `supported-calendar-component-set`, when given.
    pub components: Option<Vec<String>>,
    /// The href of `current-user-principal`.
    pub principal: Option<String>,
    /// The hrefs of `calendar-home-set`.
    pub homes: Vec<String>,
}

/// An element's name: its namespace (DAV: or CalDAV) and local name.
#[derive(Debug, Clone, PartialEq)]
enum Name {
    Dav(String),
    CalDav(String),
    Other,
}

impl Name {
    fn dav(&self, local: &str) -> bool {
        matches!(self, Name::Dav(l) if l == local)
    }
    fn caldav(&self, local: &str) -> bool {
        matches!(self, Name::CalDav(l) if l == local)
    }
}

fn name_of(ns: &ResolveResult, local: &str) -> Name {
    let local = local.to_string();
    match ns {
        ResolveResult::Bound(n) if n.0 == DAV => Name::Dav(local),
        ResolveResult::Bound(n) if n.0 == CALDAV => Name::CalDav(local),
        // A server that forgets the namespace is read as plain WebDAV.
        ResolveResult::Unbound => Name::Dav(local),
        _ => Name::Other,
    }
}

/// Every `response` of a `PROPFIND` multistatus reply with its properties, in order. Elements
/// are matched by namespace, whatever the prefixes; properties in a propstat whose status is
/// not `200` are left out.
pub fn props(xml: &str) -> Result<Vec<Props>, CalDavError> {
    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut out = Vec::new();
    let mut stack: Vec<Name> = Vec::new();
    let mut response = Props::default();
    let mut stat = Props::default();
    let mut status: Option<String> = None;
    let mut text = String::new();
    let mut saw_multistatus = false;
    loop {
        let position = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| CalDavError::Xml(format!("after byte {position}: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = name_of(&ns, e.local_name().as_ref());
                opened(
                    &name,
                    e,
                    &stack,
                    &mut stat,
                    &mut saw_multistatus,
                    &mut response,
                );
                // An empty element (`<C:calendar/>`) opens and closes at once.
                if matches!(event, Event::Start(_)) {
                    stack.push(name);
                    text.clear();
                }
            }
            Event::End(_) => {
                let Some(name) = stack.pop() else {
                    return Err(CalDavError::Xml("an end tag without its start".into()));
                };
                let parent = stack.last();
                let value = std::mem::take(&mut text);
                if name.dav("href") {
                    let href = value.trim().to_string();
                    match parent {
                        Some(p) if p.dav("response") && response.href.is_empty() => {
                            response.href = href
                        }
                        Some(p) if p.dav("current-user-principal") => stat.principal = Some(href),
                        Some(p) if p.caldav("calendar-home-set") => stat.homes.push(href),
                        _ => {}
                    }
                } else if name.dav("displayname") {
                    let shown = value.trim();
                    if !shown.is_empty() {
                        stat.display_name = Some(shown.to_string());
                    }
                } else if name.dav("status") && parent.is_some_and(|p| p.dav("propstat")) {
                    status = Some(value);
                } else if name.dav("propstat") {
                    let ok = status.take().is_none_or(|s| s.contains(" 200"));
                    let got = std::mem::take(&mut stat);
                    if ok {
                        merge(&mut response, got);
                    }
                } else if name.dav("response") {
                    out.push(std::mem::take(&mut response));
                }
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                Ok(None) => text.push(match r.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => return Err(CalDavError::Xml(format!("unknown entity &{other};"))),
                }),
                Err(e) => return Err(CalDavError::Xml(e.to_string())),
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_multistatus {
        return Err(CalDavError::Xml("no multistatus element".into()));
    }
    if !stack.is_empty() {
        return Err(CalDavError::Xml("the reply ends inside an element".into()));
    }
    Ok(out)
}

/// What an opening (or empty) element says by itself.
fn opened(
    name: &Name,
    e: &quick_xml::events::BytesStart,
    stack: &[Name],
    stat: &mut Props,
    saw_multistatus: &mut bool,
    response: &mut Props,
) {
    let parent = stack.last();
    if name.dav("multistatus") {
        *saw_multistatus = true;
    } else if name.dav("response") {
        *response = Props::default();
    } else if name.dav("propstat") {
        *stat = Props::default();
    } else if name.caldav("calendar") && parent.is_some_and(|p| p.dav("resourcetype")) {
        stat.calendar = true;
    } else if name.caldav("supported-calendar-component-set") {
        stat.components.get_or_insert_with(Vec::new);
    } else if name.caldav("comp")
        && parent.is_some_and(|p| p.caldav("supported-calendar-component-set"))
    {
        if let Ok(Some(a)) = e.try_get_attribute("name") {
            stat.components
                .get_or_insert_with(Vec::new)
                .push(a.value.trim().to_string());
        }
    }
}

fn merge(into: &mut Props, from: Props) {
    into.calendar |= from.calendar;
    if from.display_name.is_some() {
        into.display_name = from.display_name;
    }
    if from.components.is_some() {
        into.components = from.components;
    }
    if from.principal.is_some() {
        into.principal = from.principal;
    }
    into.homes.extend(from.homes);
}

/// `href` as an absolute URL, read against the URL that answered.
pub fn absolute(base: &url::Url, href: &str) -> Option<url::Url> {
    base.join(href.trim()).ok()
}

/// The calendar `props` describes, found at `url`.
fn calendar_at(url: &url::Url, props: &Props) -> Calendar {
    let name = props.display_name.clone().unwrap_or_else(|| {
        let segment = url
            .path_segments()
            .and_then(|mut s| s.rfind(|s| !s.is_empty()))
            .unwrap_or_default();
        percent_decoded(segment)
    });
    Calendar {
        url: url.to_string(),
        name,
        components: props.components.clone(),
    }
}

fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether credentials meant for `from` may be sent to `to`: the same origin, or `https`
/// within the same domain (iCloud's `caldav.icloud.com` hands each user a `pNN-caldav.icloud.com`).
pub fn same_site(from: &url::Url, to: &url::Url) -> bool {
    if from.origin() == to.origin() {
        return true;
    }
    let domain = |u: &url::Url| {
        let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
        let labels: Vec<&str> = host.rsplit('.').take(2).collect();
        (labels.len() == 2).then(|| labels.join("."))
    };
    to.scheme() == "https"
        && from.scheme() == "https"
        && domain(from).is_some()
        && domain(from) == domain(to)
}

/// Picks the calendar bookings go to: the one named `name` (case-insensitive) among the
/// calendars of events; without a name, the URL's own calendar, else the only one.
pub fn choose<'a>(d: &'a Discovery, name: Option<&str>) -> Result<&'a Calendar, DiscoveryError> {
    let events: Vec<&Calendar> = d.calendars.iter().filter(|c| c.holds_events()).collect();
    match name {
        Some(name) => named(d, name),
        None => match (&d.given, events.as_slice()) {
            (Some(given), _) => Ok(given),
            (None, [only]) => Ok(only),
            (None, []) => Err(DiscoveryError::NoCalendars {
                url: "the configured URL".into(),
            }),
            (None, several) => Err(DiscoveryError::Several(
                several.iter().map(|c| (*c).clone()).collect(),
            )),
        },
    }
}

/// The calendar of events named `name`.
fn named<'a>(d: &'a Discovery, name: &str) -> Result<&'a Calendar, DiscoveryError> {
    let events = || d.calendars.iter().filter(|c| c.holds_events());
    let matching: Vec<&Calendar> = events().filter(|c| c.is_named(name)).collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(DiscoveryError::NoSuchName {
            wanted: name.to_string(),
            found: events().map(|c| c.name.clone()).collect(),
        }),
        several => Err(DiscoveryError::Several(
            several.iter().map(|c| (*c).clone()).collect(),
        )),
    }
}

/// Asks a CalDAV server for calendars.
pub struct Finder {
    http: reqwest::Client,
    credentials: Arc<Credentials>,
}

impl Finder {
    /// A finder authenticating with `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            http,
            credentials: Arc::new(credentials),
        }
    }

    /// The calendars at or under `url`. When `url` is a calendar itself, it is the answer
    /// unless `all`, which lists every calendar of its user too (when the server names them).
    pub async fn find(&self, url: &str, all: bool) -> Result<Discovery, DiscoveryError> {
        let start = url::Url::parse(url).map_err(|_| DiscoveryError::BadUrl)?;
        let (at, here) = match self.propfind(&start, &start, 0).await {
            Ok((at, props)) => (at, props.into_iter().next().unwrap_or_default()),
            Err(e @ DiscoveryError::Server(CalDavError::Unauthorized(_))) => return Err(e),
            Err(e @ DiscoveryError::Server(CalDavError::Unreachable(_))) => return Err(e),
            // Not a WebDAV resource: the host's well-known address may still say.
            Err(_) => (start.clone(), Props::default()),
        };
        let given = here.calendar.then(|| calendar_at(&at, &here));
        let only_given = |given: &Calendar| Discovery {
            given: Some(given.clone()),
            calendars: vec![given.clone()],
        };
        if let (Some(g), false) = (&given, all) {
            return Ok(only_given(g));
        }
        let mut homes: Vec<url::Url> = here.homes.iter().filter_map(|h| absolute(&at, h)).collect();
        if homes.is_empty() {
            let mut principal = here.principal.as_deref().and_then(|p| absolute(&at, p));
            if principal.is_none() {
                principal = self.well_known(&start).await?;
            }
            let Some(principal) = principal else {
                return match &given {
                    Some(g) => Ok(only_given(g)),
                    None => Err(DiscoveryError::NoPrincipal {
                        url: url.to_string(),
                    }),
                };
            };
            let (p_at, p_props) = self.propfind(&start, &principal, 0).await?;
            let p = p_props.into_iter().next().unwrap_or_default();
            homes = p.homes.iter().filter_map(|h| absolute(&p_at, h)).collect();
        }
        let mut calendars: Vec<Calendar> = Vec::new();
        for home in &homes {
            let (h_at, listed) = self.propfind(&start, home, 1).await?;
            for props in listed.iter().filter(|p| p.calendar) {
                if let Some(url) = absolute(&h_at, &props.href) {
                    let cal = calendar_at(&url, props);
                    if !calendars.iter().any(|c| c.url == cal.url) {
                        calendars.push(cal);
                    }
                }
            }
        }
        if let Some(g) = &given {
            if !calendars.iter().any(|c| c.url == g.url) {
                calendars.insert(0, g.clone());
            }
        }
        if calendars.is_empty() {
            return Err(DiscoveryError::NoCalendars {
                url: homes
                    .first()
                    .map_or_else(|| url.to_string(), url::Url::to_string),
            });
        }
        Ok(Discovery { given, calendars })
    }

    /// The principal `/.well-known/caldav` on `start`'s host names, if any.
    async fn well_known(&self, start: &url::Url) -> Result<Option<url::Url>, DiscoveryError> {
        let Ok(known) = start.join("/.well-known/caldav") else {
            return Ok(None);
        };
        match self.propfind(start, &known, 0).await {
            Ok((at, props)) => Ok(props
                .first()
                .and_then(|p| p.principal.as_deref())
                .and_then(|p| absolute(&at, p))),
            Err(e @ DiscoveryError::Server(CalDavError::Unauthorized(_))) => Err(e),
            Err(_) => Ok(None),
        }
    }

    /// A `PROPFIND` of the discovery properties at `url` with `depth`, following redirects
    /// (within `origin`'s site); the URL that answered and its responses.
    async fn propfind(
        &self,
        origin: &url::Url,
        url: &url::Url,
        depth: u8,
    ) -> Result<(url::Url, Vec<Props>), DiscoveryError> {
        const BODY: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop>
    <D:resourcetype/>
    <D:displayname/>
    <D:current-user-principal/>
    <C:calendar-home-set/>
    <C:supported-calendar-component-set/>
  </D:prop>
</D:propfind>"#;
        let method = reqwest::Method::from_bytes(b"PROPFIND").expect("PROPFIND is a method");
        let mut at = url.clone();
        for _ in 0..=REDIRECTS {
            if !same_site(origin, &at) {
                return Err(DiscoveryError::OtherSite {
                    from: origin.to_string(),
                    to: at.to_string(),
                });
            }
            let req = self
                .credentials
                .apply(self.http.request(method.clone(), at.clone()))
                .await?
                .header("Depth", depth.to_string())
                .header("Content-Type", "application/xml; charset=utf-8")
                .body(BODY);
            let resp = req.send().await.map_err(CalDavError::Unreachable)?;
            let status = resp.status().as_u16();
            if (300..400).contains(&status) {
                let next = resp
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| at.join(l).ok());
                match next {
                    Some(next) => {
                        at = next;
                        continue;
                    }
                    None => return Err(super::status_error(status, resp).await.into()),
                }
            }
            if status != 207 {
                return Err(super::status_error(status, resp).await.into());
            }
            let text = resp.text().await.map_err(CalDavError::Unreachable)?;
            return Ok((at, props(&text)?));
        }
        Err(CalDavError::Status {
            status: 310,
            body: format!("more than {REDIRECTS} redirects from {url}"),
        }
        .into())
    }
}

/// The calendar URLs the server uses: bookings' and the busy calendars'.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The calendar collection bookings go to.
    pub main: String,
    /// The busy calendars' collections.
    pub busy: Vec<String>,
}

/// Resolves `[calendar]`'s `caldav_url`, `calendar_name` and named `busy_calendars` to
/// collection URLs. Without a name to look up, a server that cannot be asked leaves the URL
/// as given (it was the collection before discovery existed), with a warning.
pub async fn resolve(c: &CalendarConfig) -> Result<Option<Resolved>, DiscoveryError> {
    let Some(url) = c.caldav_url.as_deref() else {
        return Ok(None);
    };
    let names_needed =
        c.calendar_name.is_some() || c.busy_calendars.iter().any(|b| !is_calendar_url(b));
    let found = Finder::new(Credentials::from_config(c))
        .find(url, names_needed)
        .await;
    let d = match found {
        Ok(d) => d,
        Err(e) if !names_needed => {
            warn!(error = %e, "could not look up calendar.caldav_url's calendars; using it as the calendar collection");
            return Ok(Some(Resolved {
                main: url.to_string(),
                busy: c.busy_calendars.clone(),
            }));
        }
        Err(e) => return Err(e),
    };
    chosen(&d, c).map(Some)
}

/// [`Resolved`] from a discovery, by `c`'s names (pure).
pub fn chosen(d: &Discovery, c: &CalendarConfig) -> Result<Resolved, DiscoveryError> {
    let main = choose(d, c.calendar_name.as_deref())?.url.clone();
    let mut busy = Vec::new();
    for entry in &c.busy_calendars {
        if is_calendar_url(entry) {
            busy.push(entry.clone());
            continue;
        }
        let url = named(d, entry)?.url.clone();
        if url == main {
            return Err(DiscoveryError::BusyIsMain(entry.clone()));
        }
        busy.push(url);
    }
    Ok(Resolved { main, busy })
}

/// What `frontdesk calendars` prints: every calendar found from `[calendar]`'s URL and
/// credentials, which one bookings go to and which are busy time; and why none is chosen, if
/// so.
pub async fn listing(
    c: &CalendarConfig,
) -> Result<(String, Option<DiscoveryError>), DiscoveryError> {
    let Some(url) = c.caldav_url.as_deref() else {
        return Ok((
            "calendar.caldav_url (FRONTDESK_CALDAV_URL) is not set: no CalDAV calendar.\n".into(),
            None,
        ));
    };
    let d = Finder::new(Credentials::from_config(c))
        .find(url, true)
        .await?;
    Ok(describe(&d, c))
}

/// The listing of `d` by `c`'s names (pure).
pub fn describe(d: &Discovery, c: &CalendarConfig) -> (String, Option<DiscoveryError>) {
    let resolved = chosen(d, c);
    let (main, busy) = match &resolved {
        Ok(r) => (Some(r.main.as_str()), r.busy.as_slice()),
        Err(_) => (None, &[][..]),
    };
    let width = d
        .calendars
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for cal in &d.calendars {
        let role = if Some(cal.url.as_str()) == main {
            "  <- bookings go here"
        } else if busy.contains(&cal.url) {
            "  (busy time)"
        } else if !cal.holds_events() {
            "  (no events: not used)"
        } else {
            ""
        };
        let mark = if Some(cal.url.as_str()) == main {
            '*'
        } else {
            ' '
        };
        out.push_str(&format!("{mark} {:<width$}  {}{role}\n", cal.name, cal.url));
    }
    (out, resolved.err())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(name: &str, url: &str) -> Calendar {
        Calendar {
            url: url.into(),
            name: name.into(),
            components: None,
        }
    }

    #[test]
    fn a_calendar_home_listing_as_nextcloud_writes_it() {
        let xml = r#"<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:oc="http://owncloud.org/ns">
 <d:response><d:href>/remote.php/dav/calendars/alex/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  <d:propstat><d:prop><d:displayname/><cal:supported-calendar-component-set/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>
 </d:response>
 <d:response><d:href>/remote.php/dav/calendars/alex/personal/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><d:displayname>Personal &amp; Work</d:displayname>
   <cal:supported-calendar-component-set><cal:comp name="VEVENT"/></cal:supported-calendar-component-set></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 </d:response>
 <d:response><d:href>/remote.php/dav/calendars/alex/tasks/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><d:displayname>Tasks</d:displayname>
   <cal:supported-calendar-component-set><cal:comp name="VTODO"/></cal:supported-calendar-component-set></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 </d:response>
</d:multistatus>"#;
        let got = props(xml).unwrap();
        assert_eq!(got.len(), 3);
        assert!(!got[0].calendar && got[0].display_name.is_none() && got[0].components.is_none());
        assert!(got[1].calendar);
        assert_eq!(got[1].display_name.as_deref(), Some("Personal & Work"));
        assert_eq!(
            got[1].components.as_deref(),
            Some(&["VEVENT".to_string()][..])
        );
        assert_eq!(
            got[2].components.as_deref(),
            Some(&["VTODO".to_string()][..])
        );
        let base =
            url::Url::parse("https://cloud.example.com/remote.php/dav/calendars/alex/").unwrap();
        let tasks = calendar_at(&absolute(&base, &got[2].href).unwrap(), &got[2]);
        assert!(!tasks.holds_events());
        assert_eq!(
            tasks.url,
            "https://cloud.example.com/remote.php/dav/calendars/alex/tasks/"
        );
    }

    #[test]
    fn a_principal_and_home_as_icloud_writes_them_with_absolute_hrefs() {
        // iCloud: the default namespace is DAV:, no prefix; the home is on another host.
        let principal = r#"<?xml version="1.0" encoding="UTF-8"?>
<multistatus xmlns="DAV:"><response><href>/</href><propstat><prop><current-user-principal><href>/123456789/principal/</href></current-user-principal></prop><status>HTTP/1.1 200 OK</status></propstat><propstat><prop><resourcetype/></prop><status>HTTP/1.1 404 Not Found</status></propstat></response></multistatus>"#;
        let got = props(principal).unwrap();
        assert_eq!(got[0].principal.as_deref(), Some("/123456789/principal/"));
        assert!(!got[0].calendar);
        let home = r#"<?xml version="1.0" encoding="UTF-8"?>
<multistatus xmlns="DAV:"><response><href>/123456789/principal/</href><propstat><prop><calendar-home-set xmlns="urn:ietf:params:xml:ns:caldav"><href xmlns="DAV:">https://p42-caldav.icloud.com:443/123456789/calendars/</href></calendar-home-set></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"#;
        let got = props(home).unwrap();
        assert_eq!(
            got[0].homes,
            ["https://p42-caldav.icloud.com:443/123456789/calendars/"]
        );
        let base = url::Url::parse("https://caldav.icloud.com/123456789/principal/").unwrap();
        let at = absolute(&base, &got[0].homes[0]).unwrap();
        assert_eq!(
            at.as_str(),
            "https://p42-caldav.icloud.com/123456789/calendars/"
        );
        assert!(same_site(&base, &at));
        let list = r#"<multistatus xmlns="DAV:"><response><href>/123456789/calendars/home/</href><propstat><prop><resourcetype><collection/><calendar xmlns="urn:ietf:params:xml:ns:caldav"/></resourcetype><displayname><![CDATA[Home]]></displayname></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"#;
        let got = props(list).unwrap();
        assert!(got[0].calendar);
        assert_eq!(got[0].display_name.as_deref(), Some("Home"));
    }

    #[test]
    fn a_principal_as_google_writes_it_with_other_prefixes() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:caldav="urn:ietf:params:xml:ns:caldav"><D:response><D:href>/caldav/v2/alex%40example.com/user</D:href><D:propstat><D:status>HTTP/1.1 200 OK</D:status><D:prop><D:current-user-principal><D:href>/caldav/v2/alex%40example.com/user</D:href></D:current-user-principal><caldav:calendar-home-set><D:href>/caldav/v2/alex%40example.com/</D:href></caldav:calendar-home-set></D:prop></D:propstat></D:response></D:multistatus>"#;
        let got = props(xml).unwrap();
        assert_eq!(got[0].homes, ["/caldav/v2/alex%40example.com/"]);
        // A `calendar` element in another namespace is not a calendar.
        let other = r#"<D:multistatus xmlns:D="DAV:" xmlns:x="urn:example"><D:response><D:href>/a/</D:href><D:propstat><D:prop><D:resourcetype><x:calendar/></D:resourcetype></D:prop></D:propstat></D:response></D:multistatus>"#;
        assert!(!props(other).unwrap()[0].calendar);
        let u = url::Url::parse(
            "https://apidata.googleusercontent.com/caldav/v2/alex%40example.com/events/",
        )
        .unwrap();
        let c = calendar_at(&u, &Props::default());
        assert_eq!(c.name, "events");
        let u = url::Url::parse("https://h/alex/Family%20Trips/").unwrap();
        assert_eq!(calendar_at(&u, &Props::default()).name, "Family Trips");
    }

    #[test]
    fn bad_replies_are_errors() {
        for xml in [
            "",
            "<html><body>Login</body></html>",
            "<D:multistatus xmlns:D='DAV:'><D:response>",
        ] {
            assert!(props(xml).is_err(), "{xml}");
        }
    }

    #[test]
    fn credentials_stay_on_the_site() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert!(same_site(&u("http://h:5232/"), &u("http://h:5232/alex/")));
        assert!(!same_site(&u("http://h:5232/"), &u("http://other:5232/")));
        assert!(!same_site(
            &u("https://caldav.icloud.com/"),
            &u("http://p1-caldav.icloud.com/")
        ));
        assert!(!same_site(
            &u("https://dav.example.com/"),
            &u("https://evil.com/")
        ));
    }

    #[test]
    fn the_calendar_is_chosen_by_name_or_alone() {
        let work = cal("Work", "http://h/alex/work/");
        let family = cal("Family", "http://h/alex/family/");
        let mut tasks = cal("Tasks", "http://h/alex/tasks/");
        tasks.components = Some(vec!["VTODO".into()]);
        let d = Discovery {
            given: None,
            calendars: vec![work.clone(), family.clone(), tasks.clone()],
        };
        assert_eq!(choose(&d, Some(" work ")).unwrap(), &work);
        assert_eq!(choose(&d, Some("FAMILY")).unwrap(), &family);
        let err = choose(&d, Some("Tasks")).unwrap_err().to_string();
        assert!(err.contains("\"Work\", \"Family\""), "{err}");
        let err = choose(&d, None).unwrap_err().to_string();
        assert!(
            err.contains("calendar_name") && err.contains("http://h/alex/family/"),
            "{err}"
        );
        let one = Discovery {
            given: None,
            calendars: vec![work.clone(), tasks],
        };
        assert_eq!(choose(&one, None).unwrap(), &work);
        let given = Discovery {
            given: Some(family.clone()),
            calendars: vec![work.clone(), family.clone()],
        };
        assert_eq!(choose(&given, None).unwrap(), &family);

        let mut c = CalendarConfig {
            calendar_name: Some("work".into()),
            busy_calendars: vec!["Family".into(), "https://elsewhere/x/".into()],
            ..CalendarConfig::default()
        };
        assert_eq!(
            chosen(&d, &c).unwrap(),
            Resolved {
                main: work.url.clone(),
                busy: vec![family.url.clone(), "https://elsewhere/x/".into()]
            }
        );
        let (text, problem) = describe(&d, &c);
        assert!(problem.is_none());
        assert!(
            text.contains("* Work    http://h/alex/work/  <- bookings go here"),
            "{text}"
        );
        assert!(
            text.contains("Family  http://h/alex/family/  (busy time)"),
            "{text}"
        );
        assert!(text.contains("(no events: not used)"), "{text}");
        c.busy_calendars = vec!["work".into()];
        assert!(matches!(chosen(&d, &c), Err(DiscoveryError::BusyIsMain(_))));
    }

    proptest::proptest! {
        #[test]
        fn any_reply_reads_without_panicking(s in "\\PC{0,300}") {
            let _ = props(&s);
        }
    }
}
