//! The executive's busy time read from iCalendar text (RFC 5545): which instants an outside
//! calendar's events hold, over a horizon, as UTC intervals the free-slot rules avoid.
//!
//! One function, [`busy`], of (the text, the horizon, the persona's zone): recurring events are
//! expanded (`RRULE`, `RDATE`, `EXDATE`; an instance moved or cancelled by a `RECURRENCE-ID`
//! override is replaced by it), times with a `TZID` are read in that IANA zone (Outlook's
//! Windows names and path-like ids such as `/mozilla.org/…/Europe/London` are mapped to one; a
//! `TZID` naming no zone is read by its `VTIMEZONE`, matched to the zone keeping its clocks),
//! UTC times as UTC, floating times and all-day events in the persona's zone (an all-day event
//! holds its whole local days). Events marked `TRANSP:TRANSPARENT` (or Outlook's
//! `X-MICROSOFT-CDO-BUSYSTATUS:FREE`) or `STATUS:CANCELLED` hold nothing.
//!
//! The other way, [`booking_event`] and [`calendar_text`] write Frontdesk's bookings as
//! VEVENTs (with the `icalendar` builder: escaping and line folding as the RFC says): into the
//! executive's calendar and the export feed. Our events carry a UID [`own_uid`] makes and
//! [`own_id`] reads back, so a read tells them from the executive's own.
//!
//! **Architecture Invariant:** pure: no IO, no clock; the horizon, the zone and the stamp are
//! arguments.
//! Bad input is an error value (the whole text) or a [`Problem`] (one event, which is read as
//! well as it can be or skipped), never a panic.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::parser::{Component, Property};

use crate::logic::calendar::Booked;
use crate::logic::vtimezone;

/// Instances of one recurring event read at most; a rule that yields more within the horizon
/// (say, every minute) is cut there and reported.
const MAX_INSTANCES: usize = 5_000;

/// Recurrence steps taken at most per rule, from its start to the horizon's end: a daily event
/// since 1900 is about 46,000.
const MAX_STEPS: usize = 100_000;

/// The longest event read; a longer one (or one ending before it starts) is reported and skipped.
const MAX_SPAN_DAYS: i64 = 400;

/// One interval the executive is busy in, from an outside calendar.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Busy {
    /// Start instant.
    pub start: DateTime<Utc>,
    /// End instant (after `start`).
    pub end: DateTime<Utc>,
    /// The event's `UID` (empty when it has none): for logs, never spoken.
    pub uid: String,
}

impl Busy {
    /// The interval as the calendar snapshot a call sees: a [`Booked`] with no caller, so it
    /// blocks its slots but is never taken for a caller's own appointment.
    pub fn to_booked(&self) -> Booked {
        Booked {
            id: format!("busy:{}@{}", self.uid, self.start.to_rfc3339()),
            start: self.start,
            end: self.end,
            caller_name: None,
            caller_number: None,
            purpose: None,
        }
    }
}

/// Text that is not iCalendar at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not iCalendar: {0}")]
pub struct IcsError(pub String);

/// Something wrong with one event: it was read as well as it could be, or skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {uid:?}: {what}")]
pub struct Problem {
    /// The event's `UID`.
    pub uid: String,
    /// What is wrong, and what was done about it.
    pub what: String,
}

/// What a text holds: the busy intervals within the horizon, earliest first, and what could not
/// be read exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// Busy intervals overlapping the horizon, sorted, without duplicates.
    pub busy: Vec<Busy>,
    /// Events read approximately or skipped.
    pub problems: Vec<Problem>,
}

/// The busy intervals of every `VEVENT` in `ics` that overlap `[from, to)`, with floating and
/// all-day times read in `zone`.
pub fn busy(
    ics: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    zone: Tz,
) -> Result<Reading, IcsError> {
    let unfolded = icalendar::parser::unfold(ics);
    let roots = icalendar::parser::read_components(&unfolded)
        .map_err(|e| IcsError(e.lines().take(3).collect::<Vec<_>>().join(" ")))?;
    if roots.is_empty() {
        return Err(IcsError("no BEGIN:VCALENDAR".into()));
    }
    let mut events = Vec::new();
    for root in &roots {
        collect_events(root, &mut events);
    }
    let mut reading = Reading::default();
    let reader = Reader {
        zone,
        defined: defined_zones(&roots, from, to, zone),
        problems: std::cell::RefCell::new(Vec::new()),
    };
    // Overrides (`RECURRENCE-ID`) replace the instance they name in their master's expansion.
    let mut overridden: HashMap<String, HashSet<DateTime<Utc>>> = HashMap::new();
    for ev in events.iter().filter(|e| prop(e, "RECURRENCE-ID").is_some()) {
        if let Some(p) = prop(ev, "RECURRENCE-ID") {
            let uid = uid_of(ev);
            if let Some(t) = reader.time(p, &uid) {
                overridden.entry(uid).or_default().insert(t.instant(zone));
            }
        }
    }
    for ev in &events {
        let uid = uid_of(ev);
        // Outlook marks "show as free" with its own property, sometimes without TRANSP.
        if is(ev, "STATUS", "CANCELLED")
            || is(ev, "TRANSP", "TRANSPARENT")
            || is(ev, "X-MICROSOFT-CDO-BUSYSTATUS", "FREE")
        {
            continue;
        }
        let is_override = prop(ev, "RECURRENCE-ID").is_some();
        let skip = if is_override {
            HashSet::new()
        } else {
            overridden.get(&uid).cloned().unwrap_or_default()
        };
        for (start, end) in reader.intervals(ev, &uid, from, to, &skip, is_override) {
            if end > start && end > from && start < to {
                reading.busy.push(Busy {
                    start,
                    end,
                    uid: uid.clone(),
                });
            }
        }
    }
    reading.busy.sort();
    reading.busy.dedup();
    reading.problems = reader.problems.into_inner();
    Ok(reading)
}

/// The zones the text's `VTIMEZONE`s define under `TZID`s that name no known zone, each
/// matched to the IANA zone keeping the same clocks over the horizon's years
/// ([`vtimezone::matching_zone`]), by [`tzid_key`].
fn defined_zones(
    roots: &[Component<'_>],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    zone: Tz,
) -> HashMap<String, Tz> {
    fn collect<'a>(c: &'a Component<'a>, out: &mut Vec<&'a Component<'a>>) {
        if c.name.as_str().eq_ignore_ascii_case("VTIMEZONE") {
            out.push(c);
        }
        for child in &c.components {
            collect(child, out);
        }
    }
    let mut blocks = Vec::new();
    for root in roots {
        collect(root, &mut blocks);
    }
    let years: Vec<i32> = (from.year()..=to.year().max(from.year())).take(3).collect();
    let mut out = HashMap::new();
    for block in blocks {
        let Some(tzid) = prop(block, "TZID").map(|p| p.val.as_str()) else {
            continue;
        };
        if zone_named(tzid).is_some() || out.contains_key(&tzid_key(tzid)) {
            continue;
        }
        if let Some(tz) = vtimezone::matching_zone(block, &years, zone) {
            out.insert(tzid_key(tzid), tz);
        }
    }
    out
}

/// A `TZID` as a key: without quotes, escapes and surrounding space, so the `VTIMEZONE`'s
/// `TZID:(UTC+01:00) Amsterdam\, Berlin` and an event's `TZID="(UTC+01:00) Amsterdam, Berlin"`
/// are the same.
fn tzid_key(tzid: &str) -> String {
    tzid.trim()
        .trim_matches('"')
        .replace("\\,", ",")
        .replace("\\;", ";")
}

/// Every `VEVENT` under `c`, at any depth.
fn collect_events<'a>(c: &'a Component<'a>, out: &mut Vec<&'a Component<'a>>) {
    if c.name.as_str().eq_ignore_ascii_case("VEVENT") {
        out.push(c);
    }
    for child in &c.components {
        collect_events(child, out);
    }
}

fn prop<'a>(c: &'a Component<'a>, name: &str) -> Option<&'a Property<'a>> {
    c.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn props<'a>(c: &'a Component<'a>, name: &'a str) -> impl Iterator<Item = &'a Property<'a>> {
    c.properties
        .iter()
        .filter(move |p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'a>(p: &'a Property<'a>, key: &str) -> Option<&'a str> {
    p.params
        .iter()
        .find(|q| q.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|q| q.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

fn is(c: &Component<'_>, name: &str, value: &str) -> bool {
    prop(c, name).is_some_and(|p| p.val.as_str().trim().eq_ignore_ascii_case(value))
}

fn uid_of(c: &Component<'_>) -> String {
    prop(c, "UID")
        .map(|p| p.val.as_str().trim().to_string())
        .unwrap_or_default()
}

/// A time as written: a whole day, or a wall-clock time in a zone, or an instant.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Time {
    /// `VALUE=DATE`: a local day in the persona's zone.
    Date(NaiveDate),
    /// A wall-clock time in a zone (a `TZID`, or the persona's for floating times).
    Local(NaiveDateTime, Tz),
    /// `…Z`.
    Utc(DateTime<Utc>),
}

impl Time {
    /// The instant it starts (a day starts at local midnight in `zone`).
    fn instant(self, zone: Tz) -> DateTime<Utc> {
        match self {
            Time::Date(d) => local_instant(d.and_time(NaiveTime::MIN), zone),
            Time::Local(t, tz) => local_instant(t, tz),
            Time::Utc(t) => t,
        }
    }
}

/// The instant of a wall-clock time: the earlier one when clocks go back, and the time an hour
/// on when it falls in the gap clocks skip.
fn local_instant(t: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    tz.from_local_datetime(&t)
        .earliest()
        .or_else(|| {
            let later = t.checked_add_signed(Duration::hours(1))?;
            tz.from_local_datetime(&later).earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| t.and_utc())
}

struct Reader {
    zone: Tz,
    /// Zones the text defines under `TZID`s that name no known zone, by [`tzid_key`].
    defined: HashMap<String, Tz>,
    problems: std::cell::RefCell<Vec<Problem>>,
}

impl Reader {
    fn problem(&self, uid: &str, what: impl Into<String>) {
        self.problems.borrow_mut().push(Problem {
            uid: uid.to_string(),
            what: what.into(),
        });
    }

    /// The zone a `TZID` names or the text defines, or the persona's (reported) when neither.
    fn tz(&self, tzid: &str, uid: &str) -> Tz {
        match zone_named(tzid).or_else(|| self.defined.get(&tzid_key(tzid)).copied()) {
            Some(tz) => tz,
            None => {
                self.problem(
                    uid,
                    format!("unknown TZID {tzid:?}: read in the persona's zone"),
                );
                self.zone
            }
        }
    }

    /// One value of a date or date-time property.
    fn value(&self, v: &str, p: &Property<'_>, uid: &str) -> Option<Time> {
        let v = v.trim();
        let as_date = param(p, "VALUE").is_some_and(|x| x.eq_ignore_ascii_case("DATE"))
            || (v.len() == 8 && !v.contains('T'));
        if as_date {
            return match NaiveDate::parse_from_str(v, "%Y%m%d") {
                Ok(d) => Some(Time::Date(d)),
                Err(_) => {
                    self.problem(uid, format!("{}: {v:?} is not a date", p.name.as_str()));
                    None
                }
            };
        }
        let (text, utc) = match v.strip_suffix(['Z', 'z']) {
            Some(t) => (t, true),
            None => (v, false),
        };
        let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S") else {
            self.problem(
                uid,
                format!("{}: {v:?} is not a date-time", p.name.as_str()),
            );
            return None;
        };
        Some(if utc {
            Time::Utc(t.and_utc())
        } else {
            match param(p, "TZID") {
                Some(tzid) => Time::Local(t, self.tz(tzid, uid)),
                None => Time::Local(t, self.zone),
            }
        })
    }

    /// A single-valued date or date-time property.
    fn time(&self, p: &Property<'_>, uid: &str) -> Option<Time> {
        self.value(p.val.as_str(), p, uid)
    }

    /// Every value of the (possibly repeated, comma-separated) properties named `name`.
    fn times(&self, ev: &Component<'_>, name: &str, uid: &str) -> Vec<Time> {
        let mut out = Vec::new();
        for p in ev
            .properties
            .iter()
            .filter(|p| p.name.as_str().eq_ignore_ascii_case(name))
        {
            if param(p, "VALUE").is_some_and(|x| x.eq_ignore_ascii_case("PERIOD")) {
                self.problem(uid, format!("{name} periods are not read"));
                continue;
            }
            for v in p.val.as_str().split(',') {
                out.extend(self.value(v, p, uid));
            }
        }
        out
    }

    /// The intervals one event holds that may overlap `[from, to)`, but for the instances in
    /// `skip` (overridden or excluded).
    fn intervals(
        &self,
        ev: &Component<'_>,
        uid: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        skip: &HashSet<DateTime<Utc>>,
        is_override: bool,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let Some(start) = prop(ev, "DTSTART").and_then(|p| self.time(p, uid)) else {
            self.problem(uid, "no readable DTSTART: skipped");
            return Vec::new();
        };
        let span = self.span(ev, start, uid);
        let mut starts = vec![start];
        if !is_override {
            starts.extend(self.expand(ev, start, span, uid, from, to));
            starts.extend(self.times(ev, "RDATE", uid));
        }
        let excluded: HashSet<DateTime<Utc>> = self
            .times(ev, "EXDATE", uid)
            .into_iter()
            .map(|t| t.instant(self.zone))
            .chain(skip.iter().copied())
            .collect();
        let mut out = Vec::new();
        for s in starts {
            if excluded.contains(&s.instant(self.zone)) {
                continue;
            }
            out.push(self.interval(s, span));
        }
        out
    }

    /// An instance's interval: a timed instance lasts `span`; an all-day one holds its local
    /// days, midnight to midnight in the persona's zone whatever the day's length.
    fn interval(&self, start: Time, span: Span) -> (DateTime<Utc>, DateTime<Utc>) {
        match (start, span) {
            (Time::Date(d), Span::Days(n)) => {
                let s = Time::Date(d).instant(self.zone);
                match d.checked_add_signed(Duration::days(n)) {
                    Some(e) => (s, Time::Date(e).instant(self.zone)),
                    None => (s, s),
                }
            }
            (t, span) => {
                let s = t.instant(self.zone);
                let len = match span {
                    Span::Days(n) => Duration::days(n),
                    Span::Exact(len) => len,
                };
                (s, s.checked_add_signed(len).unwrap_or(s))
            }
        }
    }

    /// How long each instance lasts: from `DTEND`, else `DURATION`, else a day for an all-day
    /// event and nothing for a timed one (RFC 5545 3.6.1).
    fn span(&self, ev: &Component<'_>, start: Time, uid: &str) -> Span {
        let span = self.raw_span(ev, start, uid);
        let length = match span {
            Span::Days(n) => Duration::try_days(n),
            Span::Exact(d) => Some(d),
        };
        match length {
            Some(d) if d >= Duration::zero() && d <= Duration::days(MAX_SPAN_DAYS) => span,
            _ => {
                self.problem(
                    uid,
                    format!("ends before it starts or lasts over {MAX_SPAN_DAYS} days: skipped"),
                );
                Span::Exact(Duration::zero())
            }
        }
    }

    fn raw_span(&self, ev: &Component<'_>, start: Time, uid: &str) -> Span {
        if let Some(end) = prop(ev, "DTEND").and_then(|p| self.time(p, uid)) {
            return match (start, end) {
                (Time::Date(s), Time::Date(e)) => Span::Days((e - s).num_days()),
                (s, e) => Span::Exact(e.instant(self.zone) - s.instant(self.zone)),
            };
        }
        if let Some(p) = prop(ev, "DURATION") {
            return match duration(p.val.as_str()) {
                Some(d) if matches!(start, Time::Date(_)) && d.num_seconds() % 86_400 == 0 => {
                    Span::Days(d.num_days())
                }
                Some(d) => Span::Exact(d),
                None => {
                    self.problem(
                        uid,
                        format!("DURATION {:?} is not a duration", p.val.as_str()),
                    );
                    Span::Exact(Duration::hours(1))
                }
            };
        }
        match start {
            Time::Date(_) => Span::Days(1),
            _ => Span::Exact(Duration::zero()),
        }
    }

    /// The further starts of a recurring event's `RRULE`s whose instances may overlap
    /// `[from, to)`.
    fn expand(
        &self,
        ev: &Component<'_>,
        start: Time,
        span: Span,
        uid: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<Time> {
        let rules: Vec<&Property<'_>> = props(ev, "RRULE").collect();
        if rules.is_empty() {
            return Vec::new();
        }
        // rrule expands in the start's own zone, so a weekly 10:00 stays 10:00 across DST.
        let (naive, tz) = match start {
            Time::Date(d) => (d.and_time(NaiveTime::MIN), self.zone),
            Time::Local(t, tz) => (t, tz),
            Time::Utc(t) => (t.naive_utc(), chrono_tz::UTC),
        };
        let rtz = rrule::Tz::Tz(tz);
        let Some(dt_start) = rtz.from_local_datetime(&naive).earliest() else {
            self.problem(uid, "DTSTART falls in a DST gap: recurrence not expanded");
            return Vec::new();
        };
        let longest = match span {
            Span::Days(n) => Duration::days(n + 1),
            Span::Exact(d) => d,
        };
        let after = from
            .checked_sub_signed(longest + Duration::days(1))
            .unwrap_or(from)
            .with_timezone(&rtz);
        let before = to.with_timezone(&rtz);
        let mut out = Vec::new();
        for p in rules {
            let text = p.val.as_str().trim();
            let rule = utc_until(text, tz);
            let set =
                rrule::RRule::<rrule::Unvalidated>::from_str(&rule).and_then(|r| r.build(dt_start));
            let set = match set {
                Ok(s) => s,
                Err(e) => {
                    self.problem(
                        uid,
                        format!("RRULE {text:?}: {e}: only the first instance is read"),
                    );
                    continue;
                }
            };
            // Iterated here, with a bound on every step, so a rule that ticks every second
            // since 1970 costs a bounded time, not a hung poller.
            let mut dates = Vec::new();
            for (step, t) in (&set).into_iter().enumerate() {
                if t > before {
                    break;
                }
                if step >= MAX_STEPS || dates.len() >= MAX_INSTANCES {
                    self.problem(
                        uid,
                        format!("RRULE {text:?} yields too many instances: cut"),
                    );
                    break;
                }
                if t >= after {
                    dates.push(t);
                }
            }
            for t in dates {
                let local = t.naive_local();
                out.push(match start {
                    Time::Date(_) => Time::Date(local.date()),
                    Time::Local(_, tz) => Time::Local(local, tz),
                    Time::Utc(_) => Time::Utc(t.with_timezone(&Utc)),
                });
            }
        }
        out.retain(|t| *t != start);
        out
    }
}

/// `rule` with a floating or date `UNTIL` written as the UTC instant it means in `tz` (a date
/// until the end of that day): `rrule` wants a zoned start's `UNTIL` in UTC, and calendar apps
/// write `UNTIL=20261231` for all-day events.
fn utc_until(rule: &str, tz: Tz) -> String {
    rule.split(';')
        .map(|part| {
            let Some((key, value)) = part.split_once('=') else {
                return part.to_string();
            };
            if !key.trim().eq_ignore_ascii_case("UNTIL") || value.trim().ends_with(['Z', 'z']) {
                return part.to_string();
            }
            let value = value.trim();
            let local = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
                .ok()
                .or_else(|| {
                    NaiveDate::parse_from_str(value, "%Y%m%d")
                        .ok()
                        .and_then(|d| d.and_hms_opt(23, 59, 59))
                });
            match local {
                Some(t) => format!("{key}={}", local_instant(t, tz).format("%Y%m%dT%H%M%SZ")),
                None => part.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// How long an instance lasts.
#[derive(Debug, Clone, Copy)]
enum Span {
    /// Whole local days (all-day events).
    Days(i64),
    /// An exact length.
    Exact(Duration),
}

/// An RFC 5545 duration: `P1D`, `PT1H30M`, `P2W`, `-PT15M`.
fn duration(v: &str) -> Option<Duration> {
    let v = v.trim();
    let (sign, rest) = match v.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, v.strip_prefix('+').unwrap_or(v)),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut total = 0i64;
    let mut number = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' if number.is_empty() => in_time = true,
            d if d.is_ascii_digit() => number.push(d),
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                let secs = match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                total = total.checked_add(n.checked_mul(secs)?)?;
                any = true;
            }
        }
    }
    if !any || !number.is_empty() {
        return None;
    }
    Duration::try_seconds(sign * total)
}

/// The IANA zone a `TZID` names: an IANA name, a path ending in one (`/mozilla.org/…/Europe/
/// London`, `/Europe/London`), or one of the Windows names Outlook and Exchange write.
pub fn zone_named(tzid: &str) -> Option<Tz> {
    let id = tzid.trim().trim_matches('"');
    if let Ok(tz) = id.parse::<Tz>() {
        return Some(tz);
    }
    let parts: Vec<&str> = id.split('/').filter(|p| !p.is_empty()).collect();
    for n in (1..=parts.len().min(3)).rev() {
        let tail = parts[parts.len() - n..].join("/");
        if let Ok(tz) = tail.parse::<Tz>() {
            return Some(tz);
        }
    }
    let windows = [
        ("Eastern Standard Time", "America/New_York"),
        ("Central Standard Time", "America/Chicago"),
        ("Mountain Standard Time", "America/Denver"),
        ("US Mountain Standard Time", "America/Phoenix"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("Alaskan Standard Time", "America/Anchorage"),
        ("Hawaiian Standard Time", "Pacific/Honolulu"),
        ("Atlantic Standard Time", "America/Halifax"),
        ("GMT Standard Time", "Europe/London"),
        ("Greenwich Standard Time", "Atlantic/Reykjavik"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Romance Standard Time", "Europe/Paris"),
        ("Central Europe Standard Time", "Europe/Budapest"),
        ("Central European Standard Time", "Europe/Warsaw"),
        ("E. Europe Standard Time", "Europe/Chisinau"),
        ("FLE Standard Time", "Europe/Kiev"),
        ("GTB Standard Time", "Europe/Bucharest"),
        ("Russian Standard Time", "Europe/Moscow"),
        ("India Standard Time", "Asia/Kolkata"),
        ("China Standard Time", "Asia/Shanghai"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("Singapore Standard Time", "Asia/Singapore"),
        ("AUS Eastern Standard Time", "Australia/Sydney"),
        ("New Zealand Standard Time", "Pacific/Auckland"),
        ("UTC", "UTC"),
    ];
    windows
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(id))
        .and_then(|(_, iana)| iana.parse::<Tz>().ok())
}

/// The UID prefix of the events Frontdesk writes: `frontdesk-<appointment id>@<host>`.
pub const OWN_UID_PREFIX: &str = "frontdesk-";

/// The stable UID of appointment `id`'s event, on the server at `host`.
pub fn own_uid(id: &str, host: &str) -> String {
    format!("{OWN_UID_PREFIX}{id}@{host}")
}

/// The appointment id of one of our own events' UID; `None` for anyone else's event.
pub fn own_id(uid: &str) -> Option<&str> {
    let rest = uid.strip_prefix(OWN_UID_PREFIX)?;
    let id = rest.split('@').next()?;
    (!id.is_empty()).then_some(id)
}

/// One of Frontdesk's bookings, as its calendar event says it.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingEvent<'a> {
    /// The stable UID ([`own_uid`]).
    pub uid: &'a str,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub caller_name: Option<&'a str>,
    pub caller_number: Option<&'a str>,
    pub purpose: Option<&'a str>,
    /// The call that booked it, in the API (`<public base>/api/calls/<sid>`).
    pub call_url: Option<&'a str>,
    /// When this version of the event was written (`DTSTAMP`).
    pub stamp: DateTime<Utc>,
}

/// The VEVENT of a booking: SUMMARY names the caller, DESCRIPTION holds the purpose, the
/// callback number and the call's link.
pub fn booking_event(b: &BookingEvent<'_>) -> icalendar::Event {
    use icalendar::{Component, EventLike};
    let who = b
        .caller_name
        .filter(|n| !n.trim().is_empty())
        .or(b.caller_number)
        .unwrap_or("a caller");
    let mut description = Vec::new();
    if let Some(p) = b.purpose.filter(|p| !p.trim().is_empty()) {
        description.push(format!("Purpose: {p}"));
    }
    if let Some(n) = b.caller_number.filter(|n| !n.trim().is_empty()) {
        description.push(format!("Callback: {n}"));
    }
    if let Some(u) = b.call_url {
        description.push(format!("Booked by phone: {u}"));
    }
    let mut e = icalendar::Event::new();
    e.uid(b.uid)
        .timestamp(b.stamp)
        .starts(b.start)
        .ends(b.end)
        .summary(&format!("Meeting with {who}"))
        .status(icalendar::EventStatus::Confirmed);
    if !description.is_empty() {
        e.description(&description.join("\n"));
    }
    if let Some(u) = b.call_url {
        e.url(u);
    }
    e.done()
}

/// A VCALENDAR holding `events`, as text (CRLF lines, folded).
pub fn calendar_text(
    events: impl IntoIterator<Item = icalendar::Event>,
    name: Option<&str>,
) -> String {
    let mut cal = icalendar::Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", "-//Frontdesk//Frontdesk bookings//EN"));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    if let Some(n) = name {
        cal.append_property(("X-WR-CALNAME", n));
    }
    for e in events {
        cal.push(e);
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONE: Tz = chrono_tz::America::New_York;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test instant")
            .with_timezone(&Utc)
    }

    /// The busy intervals of `events` (VEVENT bodies) over 2026-11-30 .. 2026-12-21 in New York,
    /// as "start/end" in UTC.
    fn check(events: &[&str], expect: &[&str]) {
        let mut ics = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n");
        for e in events {
            ics.push_str("BEGIN:VEVENT\r\n");
            for line in e.lines() {
                ics.push_str(line.trim());
                ics.push_str("\r\n");
            }
            ics.push_str("END:VEVENT\r\n");
        }
        ics.push_str("END:VCALENDAR\r\n");
        let got = busy(
            &ics,
            at("2026-11-30T00:00:00Z"),
            at("2026-12-21T00:00:00Z"),
            ZONE,
        )
        .expect("iCalendar");
        let got: Vec<String> = got
            .busy
            .iter()
            .map(|b| {
                format!(
                    "{}/{}",
                    b.start.format("%m-%dT%H:%M"),
                    b.end.format("%m-%dT%H:%M")
                )
            })
            .collect();
        assert_eq!(got, expect, "{events:?}");
    }

    #[test]
    fn a_tzid_naming_no_zone_is_read_by_its_vtimezone() {
        // Exchange's display name for Central European time, defined in the text; a weekly
        // 15:00 there from October 19th, across Europe's change on the 25th and into the week
        // New York changes (November 1st), when the two are five hours apart, not six.
        let ics = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\n\
             BEGIN:VTIMEZONE\nTZID:(UTC+01:00) Amsterdam\\, Berlin\\, Bern\\, Rome\\, Stockholm\\, Vienna\n\
             BEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\n\
             BEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n\
             BEGIN:VEVENT\nUID:berlin\nDTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20261019T150000\n\
             DTEND;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20261019T160000\nRRULE:FREQ=WEEKLY;COUNT=4\nEND:VEVENT\n\
             BEGIN:VEVENT\nUID:nowhere\nDTSTART;TZID=Planet Nine:20261021T150000\nDURATION:PT1H\nEND:VEVENT\n\
             END:VCALENDAR\n"
            .replace('\n', "\r\n");
        let got = busy(
            &ics,
            at("2026-10-01T00:00:00Z"),
            at("2026-11-30T00:00:00Z"),
            ZONE,
        )
        .expect("iCalendar");
        let starts: Vec<String> = got
            .busy
            .iter()
            .filter(|b| b.uid == "berlin")
            .map(|b| b.start.format("%m-%dT%H:%M").to_string())
            .collect();
        assert_eq!(
            starts,
            ["10-19T13:00", "10-26T14:00", "11-02T14:00", "11-09T14:00"]
        );
        // Only the zone neither named nor defined is reported (and read in the persona's).
        assert_eq!(got.problems.len(), 1, "{:?}", got.problems);
        assert_eq!(got.problems[0].uid, "nowhere");
        assert!(
            got.busy
                .iter()
                .any(|b| b.uid == "nowhere" && b.start == at("2026-10-21T19:00:00Z")),
            "{:?}",
            got.busy
        );
    }

    #[test]
    fn events_become_utc_intervals() {
        // A UTC time.
        check(
            &["UID:a\nDTSTART:20261202T150000Z\nDTEND:20261202T160000Z"],
            &["12-02T15:00/12-02T16:00"],
        );
        // An IANA TZID: 10:00 in London is 10:00 UTC in December.
        check(
            &["UID:b\nDTSTART;TZID=Europe/London:20261202T100000\nDTEND;TZID=Europe/London:20261202T110000"],
            &["12-02T10:00/12-02T11:00"],
        );
        // A floating time is the persona's: 10:00 in New York.
        check(
            &["UID:c\nDTSTART:20261202T100000\nDURATION:PT1H30M"],
            &["12-02T15:00/12-02T16:30"],
        );
        // Path-like and Windows TZIDs.
        check(
            &["UID:d\nDTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:20261202T100000\nDURATION:PT1H"],
            &["12-02T09:00/12-02T10:00"],
        );
        check(
            &["UID:e\nDTSTART;TZID=\"Pacific Standard Time\":20261202T090000\nDURATION:PT30M"],
            &["12-02T17:00/12-02T17:30"],
        );
        // All day: the whole local day in New York.
        check(
            &["UID:f\nDTSTART;VALUE=DATE:20261203\nDTEND;VALUE=DATE:20261204"],
            &["12-03T05:00/12-04T05:00"],
        );
        check(
            &["UID:g\nDTSTART;VALUE=DATE:20261203"],
            &["12-03T05:00/12-04T05:00"],
        );
    }

    #[test]
    fn free_and_cancelled_events_hold_nothing() {
        check(
            &["UID:a\nDTSTART:20261202T150000Z\nDTEND:20261202T160000Z\nTRANSP:TRANSPARENT"],
            &[],
        );
        check(
            &["UID:a\nDTSTART:20261202T150000Z\nDTEND:20261202T160000Z\nSTATUS:CANCELLED"],
            &[],
        );
        check(
            &["UID:a\nDTSTART:20261202T150000Z\nDTEND:20261202T160000Z\nX-MICROSOFT-CDO-BUSYSTATUS:FREE"],
            &[],
        );
        // Tentative, out of office and Outlook's other states hold their time.
        check(
            &["UID:a\nDTSTART:20261202T150000Z\nDTEND:20261202T160000Z\nSTATUS:TENTATIVE\nX-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE",
              "UID:b\nDTSTART:20261203T150000Z\nDTEND:20261203T160000Z\nX-MICROSOFT-CDO-BUSYSTATUS:OOF"],
            &["12-02T15:00/12-02T16:00", "12-03T15:00/12-03T16:00"],
        );
        // Outside the horizon, or of no length.
        check(&["UID:a\nDTSTART:20270102T150000Z\nDURATION:PT1H"], &[]);
        check(&["UID:a\nDTSTART:20261202T150000Z"], &[]);
    }

    #[test]
    fn recurring_events_are_expanded() {
        // Weekly on Wednesdays from 2026-11-04, the 9th of December excluded.
        check(
            &["UID:w\nDTSTART;TZID=America/New_York:20261104T140000\nDTEND;TZID=America/New_York:20261104T150000\nRRULE:FREQ=WEEKLY;BYDAY=WE\nEXDATE;TZID=America/New_York:20261209T140000"],
            &["12-02T19:00/12-02T20:00", "12-16T19:00/12-16T20:00"],
        );
        // Daily, counted: three instances, the first before the horizon.
        check(
            &["UID:d\nDTSTART:20261129T150000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=3"],
            &["11-30T15:00/11-30T16:00", "12-01T15:00/12-01T16:00"],
        );
        // Across London's and New York's DST? Neither changes in December; a weekly London
        // meeting from October keeps its 10:00 local, 10:00 UTC in winter.
        check(
            &["UID:l\nDTSTART;TZID=Europe/London:20261008T100000\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;UNTIL=20261211T000000Z"],
            &["12-03T10:00/12-03T11:00", "12-10T10:00/12-10T11:00"],
        );
        // An all-day weekly event with a date UNTIL, as calendar apps write it.
        check(
            &["UID:t\nDTSTART;VALUE=DATE:20261201\nRRULE:FREQ=WEEKLY;UNTIL=20261208"],
            &["12-01T05:00/12-02T05:00", "12-08T05:00/12-09T05:00"],
        );
        // A floating UNTIL in a zoned rule.
        check(
            &["UID:u\nDTSTART;TZID=America/New_York:20261201T090000\nDURATION:PT1H\nRRULE:FREQ=DAILY;UNTIL=20261202T090000"],
            &["12-01T14:00/12-01T15:00", "12-02T14:00/12-02T15:00"],
        );
        // An all-day yearly event.
        check(
            &["UID:y\nDTSTART;VALUE=DATE:20201207\nRRULE:FREQ=YEARLY"],
            &["12-07T05:00/12-08T05:00"],
        );
    }

    #[test]
    fn an_override_moves_or_cancels_one_instance() {
        let master = "UID:m\nDTSTART:20261201T150000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;COUNT=3";
        check(
            &[
                master,
                "UID:m\nRECURRENCE-ID:20261208T150000Z\nDTSTART:20261208T180000Z\nDURATION:PT1H",
            ],
            &[
                "12-01T15:00/12-01T16:00",
                "12-08T18:00/12-08T19:00",
                "12-15T15:00/12-15T16:00",
            ],
        );
        check(
            &[
                master,
                "UID:m\nRECURRENCE-ID:20261208T150000Z\nDTSTART:20261208T150000Z\nDURATION:PT1H\nSTATUS:CANCELLED",
            ],
            &["12-01T15:00/12-01T16:00", "12-15T15:00/12-15T16:00"],
        );
    }

    #[test]
    fn bad_input_is_an_error_or_a_problem_never_a_panic() {
        let from = at("2026-11-30T00:00:00Z");
        let to = at("2026-12-21T00:00:00Z");
        assert!(busy("this is not a calendar", from, to, ZONE).is_err());
        assert!(busy("", from, to, ZONE).is_err());
        for body in [
            "UID:x\nDTSTART:tomorrow\nDURATION:PT1H",
            "UID:x\nDTSTART:20261202T150000Z\nDURATION:soon",
            "UID:x\nDTSTART:20261202T150000Z\nDURATION:P99999999999999W",
            "UID:x\nDTSTART:20261202T150000Z\nDTEND:20261201T150000Z",
            "UID:x\nDTSTART:20261202T150000Z\nDURATION:PT1H\nRRULE:FREQ=SOMETIMES",
            "UID:x\nDTSTART;TZID=Mars/Olympus:20261202T150000\nDURATION:PT1H",
            "UID:x\nDTSTART:20261202T150000Z\nDURATION:PT1H\nRRULE:FREQ=MINUTELY",
        ] {
            let ics = format!("BEGIN:VCALENDAR\nBEGIN:VEVENT\n{body}\nEND:VEVENT\nEND:VCALENDAR\n");
            let r = busy(&ics, from, to, ZONE).expect("iCalendar");
            assert!(!r.problems.is_empty(), "{body}: {r:?}");
        }
    }

    #[test]
    fn durations_and_zone_names() {
        assert_eq!(duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(duration("P1W"), Some(Duration::days(7)));
        assert_eq!(duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(duration("-PT15M"), Some(Duration::minutes(-15)));
        assert_eq!(duration("P"), None);
        assert_eq!(duration("PT1"), None);
        assert_eq!(zone_named("Europe/London"), Some(chrono_tz::Europe::London));
        assert_eq!(
            zone_named("/Europe/London"),
            Some(chrono_tz::Europe::London)
        );
        assert_eq!(
            zone_named("Eastern Standard Time"),
            Some(chrono_tz::America::New_York)
        );
        assert_eq!(zone_named("Nowhere/Special"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_text_reads_without_panicking(s in "\\PC{0,300}") {
            let _ = busy(&s, at("2026-11-30T00:00:00Z"), at("2026-12-21T00:00:00Z"), ZONE);
        }

        #[test]
        fn any_event_body_reads_without_panicking(body in "(UID|DTSTART|DTEND|DURATION|RRULE|EXDATE|RDATE|STATUS|TRANSP)(;TZID=[A-Za-z/]{0,20}|;VALUE=DATE)?:[0-9TZPWDHMS=;A-Z,-]{0,40}") {
            let ics = format!("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261202T150000Z\n{body}\nEND:VEVENT\nEND:VCALENDAR\n");
            let _ = busy(&ics, at("2026-11-30T00:00:00Z"), at("2026-12-21T00:00:00Z"), ZONE);
        }
    }

    #[test]
    fn a_booking_is_written_as_an_event_that_reads_back_as_its_time() {
        let start = Utc.with_ymd_and_hms(2026, 11, 30, 19, 0, 0).unwrap();
        let end = start + Duration::minutes(30);
        let uid = own_uid("apt_1", "desk.example.com");
        let event = booking_event(&BookingEvent {
            uid: &uid,
            start,
            end,
            caller_name: Some("Dana Kim, Jr."),
            caller_number: Some("+16175550123"),
            purpose: Some("hiring; the budget"),
            call_url: Some("https://desk.example.com/api/calls/CA1"),
            stamp: start,
        });
        let text = calendar_text([event], Some("Bookings"));
        assert!(
            text.contains("UID:frontdesk-apt_1@desk.example.com\r\n"),
            "{text}"
        );
        assert!(
            text.contains("SUMMARY:Meeting with Dana Kim\\, Jr.\r\n"),
            "{text}"
        );
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains("DESCRIPTION:Purpose: hiring\\; the budget\\nCallback: +16175550123\\nBooked by phone: https://desk.example.com/api/calls/CA1"),
            "{text}"
        );
        assert!(text.lines().all(|l| l.len() <= 75));
        let read = busy(
            &text,
            start - Duration::days(1),
            start + Duration::days(1),
            chrono_tz::America::New_York,
        )
        .unwrap();
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(read.busy.len(), 1);
        assert_eq!((read.busy[0].start, read.busy[0].end), (start, end));
        assert_eq!(own_id(&read.busy[0].uid), Some("apt_1"));
        assert_eq!(own_id("board"), None);
        assert_eq!(own_id("frontdesk-@x"), None);
    }
}
