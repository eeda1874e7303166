//! What each page shows, already formatted for people (times in the persona's zone), so the
//! templates only lay it out. Askama compiles the templates in `templates/dashboard/` into the
//! binary and escapes every value they print.

use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The sign-in page.
#[derive(Template)]
#[template(path = "dashboard/signin.html")]
pub struct SignIn {
    pub csrf: String,
    pub error: Option<String>,
    pub name: String,
}

/// What every signed-in page carries: who is signed in, the session's form token, the page.
pub struct Chrome {
    pub user: String,
    pub csrf: String,
    /// The section shown: `inbox`, `calls`, `week`, `contacts`.
    pub section: &'static str,
    /// Inbox items not handled yet, for the badge.
    pub unhandled: i64,
}

/// `/desk/calls`.
#[derive(Template)]
#[template(path = "dashboard/calls.html")]
pub struct Calls {
    pub chrome: Chrome,
    pub rows: Vec<CallRow>,
    /// The filter as given, to refill the form.
    pub f: CallsFilter,
    /// The link to the next (older) page, if there is one.
    pub older: Option<String>,
    pub outcomes: Vec<&'static str>,
    pub categories: Vec<&'static str>,
    pub urgencies: Vec<&'static str>,
}

/// The calls list's filter, as the form holds it.
#[derive(Default, Clone)]
pub struct CallsFilter {
    pub from: String,
    pub to: String,
    pub outcome: String,
    pub category: String,
    pub urgency: String,
    pub handled: String,
    pub q: String,
    /// A filter field was not understood.
    pub error: Option<String>,
}

impl CallsFilter {
    /// Whether any field narrows the list.
    pub fn is_set(&self) -> bool {
        [
            &self.from,
            &self.to,
            &self.outcome,
            &self.category,
            &self.urgency,
            &self.handled,
            &self.q,
        ]
        .iter()
        .any(|v| !v.is_empty())
    }
}

/// `/desk/inbox`.
#[derive(Template)]
#[template(path = "dashboard/inbox.html")]
pub struct Inbox {
    pub chrome: Chrome,
    /// Showing what was handled rather than what still needs a human.
    pub handled: bool,
    pub items: Vec<InboxRow>,
}

/// One inbox item.
pub struct InboxRow {
    pub sid: String,
    pub kind: String,
    pub when: String,
    pub caller: String,
    pub urgency: String,
    pub urgent: bool,
    pub purpose: String,
    pub headline: String,
    pub handled: bool,
}

/// `/desk/contacts`.
#[derive(Template)]
#[template(path = "dashboard/contacts.html")]
pub struct ContactsPage {
    pub chrome: Chrome,
    pub contacts: Vec<ContactRow>,
    pub error: Option<String>,
}

/// One contact.
pub struct ContactRow {
    /// `None` for the persona's own entries (edited in its file).
    pub id: Option<String>,
    pub kind: String,
    pub name: String,
    pub company: String,
    pub role: String,
    pub number: String,
    pub note: String,
}

/// One call in a list.
pub struct CallRow {
    pub sid: String,
    pub when: String,
    pub caller: String,
    pub category: String,
    pub urgency: String,
    pub urgent: bool,
    pub outcome: String,
    pub status: String,
    /// One line: the summary's first sentence, else the purpose.
    pub line: String,
}

/// The live calls, as the server-sent events deliver them.
#[derive(Template)]
#[template(path = "dashboard/live.html")]
pub struct Live {
    pub calls: Vec<LiveCall>,
}

/// A call in progress.
pub struct LiveCall {
    pub sid: String,
    pub caller: String,
    pub since: String,
    pub turns: usize,
    pub last: String,
}

/// `/desk/calls/{sid}`.
#[derive(Template)]
#[template(path = "dashboard/call.html")]
pub struct CallPage {
    pub chrome: Chrome,
    pub sid: String,
    pub caller: String,
    pub company: String,
    pub callback: String,
    pub from: String,
    pub category: String,
    pub urgency: String,
    pub urgent: bool,
    pub reason: String,
    pub outcome: String,
    pub status: String,
    pub when: String,
    pub duration: String,
    pub summary: String,
    pub purpose: String,
    pub message: String,
    pub recording: Option<String>,
    /// The caller's number is blocked already (by the desk or the persona's file).
    pub blocked: bool,
    /// Why the call is in the inbox (`None`: it is not an inbox item).
    pub inbox: Option<String>,
    /// The inbox item was marked handled.
    pub handled: bool,
    pub timeline: Vec<Entry>,
    pub notifications: Vec<NoteRow>,
    pub appointments: Vec<ApptRow>,
}

/// One line of a call's timeline: a turn or an event.
pub struct Entry {
    /// Seconds into the recording, for the player.
    pub at_secs: String,
    /// The same as m:ss.
    pub at: String,
    /// `agent`, `caller` or `event`.
    pub kind: String,
    pub who: String,
    pub text: String,
    pub latency: String,
    pub interrupted: bool,
}

/// A notification and its delivery.
pub struct NoteRow {
    pub channel: String,
    pub event: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: String,
    pub when: String,
}

/// An appointment a call made, on the call's page.
pub struct ApptRow {
    pub id: String,
    pub when: String,
    pub purpose: String,
    pub status: String,
    pub booked: bool,
    pub week: String,
}

/// `/desk/week`.
#[derive(Template)]
#[template(path = "dashboard/week.html")]
pub struct Week {
    pub chrome: Chrome,
    pub title: String,
    pub zone: String,
    pub prev: String,
    pub next: String,
    pub this_week: String,
    pub hours: Vec<HourMark>,
    pub days: Vec<Day>,
    /// Where this page is, for the cancel forms to come back to.
    pub here: String,
}

/// An hour line on the week's grid.
pub struct HourMark {
    pub label: String,
    pub top: String,
}

/// One day of the week.
pub struct Day {
    pub label: String,
    pub today: bool,
    /// Where now is on today's column (percent from the top).
    pub now_top: Option<String>,
    pub now_label: String,
    pub items: Vec<WeekItem>,
}

/// An appointment on the week's grid.
pub struct WeekItem {
    pub id: String,
    pub top: String,
    pub height: String,
    pub time: String,
    pub who: String,
    pub purpose: String,
    pub call: Option<String>,
    pub booked: bool,
}

/// A stored RFC 3339 stamp as an instant.
pub fn instant(stamp: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(stamp)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A stored stamp for people: "Tue Nov 24, 7:31 PM" in `tz` (or the stamp, if unreadable).
pub fn when(stamp: &str, tz: Tz) -> String {
    instant(stamp).map_or_else(
        || stamp.to_string(),
        |t| {
            t.with_timezone(&tz)
                .format("%a %b %-d, %-I:%M %p")
                .to_string()
        },
    )
}

/// Seconds as m:ss.
pub fn clock_time(secs: f64) -> String {
    let s = secs.max(0.0).round() as i64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// The first sentence of `text`, at most about 140 characters.
pub fn one_line(text: &str) -> String {
    let first = match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    };
    if first.chars().count() > 140 {
        let cut: String = first.chars().take(139).collect();
        format!("{cut}…")
    } else {
        first.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_the_persona_zone() {
        let tz: Tz = "America/New_York".parse().unwrap();
        assert_eq!(when("2026-11-25T00:31:07.842Z", tz), "Tue Nov 24, 7:31 PM");
        assert_eq!(when("garbled", tz), "garbled");
        assert_eq!(clock_time(75.4), "1:15");
        assert_eq!(clock_time(-3.0), "0:00");
    }

    #[test]
    fn one_line_is_the_first_sentence_kept_short() {
        assert_eq!(one_line("Jordan called. Took a message."), "Jordan called.");
        assert_eq!(one_line("No full stop"), "No full stop");
        assert_eq!(one_line(&"é".repeat(200)).chars().count(), 140);
    }
}
