//! The durable record: the call log, the appointments and the outbox, behind three ports
//! ([`CallLog`], [`Appointments`], [`Outbox`]), and the desk's ports below; [`Store`] is all
//! of them, so that a second
//! database (PostgreSQL) is a second implementation, not a rewrite of the callers. The ports
//! name no database type: their values are this module's, their errors [`StoreError`] and
//! [`BookError`]. [`sqlite::SqliteStore`] is the one implementation today; [`journal`] is a
//! call's ordered writer on top of [`CallLog`].
//!
//! The executive's desk reads two more ports: [`Inbox`] (the calls a human still has to look
//! at, marked handled or reopened) and [`Contacts`] (VIPs, known and blocked callers kept in the
//! database, which screening merges with the persona's lists at each call's start), and
//! [`CallLog::find_calls`] (calls by date, outcome, category, urgency, handled and words said,
//! a page at a time behind a [`Cursor`]). The dashboard's sign-in keeps its users, failed
//! sign-ins, sessions and generated secrets behind [`Users`].
//!
//! **Architecture Invariant:** every turn is written when it happens, never batched to hang-up;
//! SQL stays portable (no SQLite-only syntax) so PostgreSQL can follow. Closing a call and
//! queueing its notifications is one transaction, so one implementation serves all three ports.

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::logic::dialog::CallerInfo;

/// A boxed error from the database underneath, kept as the source of a [`StoreError`].
pub type DatabaseError = Box<dyn std::error::Error + Send + Sync>;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL {url:?} is not valid: {source}")]
    Url { url: String, source: DatabaseError },
    #[error("cannot create the database directory {path}: {source}")]
    Dir {
        path: String,
        source: std::io::Error,
    },
    #[error("database migration failed: {0}")]
    Migrate(#[source] DatabaseError),
    /// A read or write failed, or a stored value could not be read back.
    #[error("database error: {0}")]
    Database(#[source] DatabaseError),
}

pub use crate::logic::domain::{CallStatus, Speaker};
use crate::logic::domain::{
    Category, Channel, ContactKind, InboxKind, NotifyEvent, Outcome, Summary, Urgency,
};

/// The caller as the API shows them.
#[derive(Debug, Clone, Serialize, PartialEq, Default, ToSchema)]
pub struct CallerView {
    pub name: Option<String>,
    pub company: Option<String>,
    pub callback_number: Option<String>,
}

/// One turn as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct TurnView {
    pub speaker: Speaker,
    pub text: String,
    pub started_at: String,
    pub latency_ms: Option<i64>,
    pub interrupted: bool,
}

/// One event as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct EventView {
    pub at: String,
    pub kind: String,
    pub detail: String,
}

/// One call as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct CallView {
    pub call_sid: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub status: CallStatus,
    pub outcome: Option<Outcome>,
    pub caller: CallerView,
    pub purpose: Option<String>,
    pub message: Option<String>,
    pub category: Option<Category>,
    pub urgency: Option<Urgency>,
    /// Who, why, what was done, what happens next: one paragraph.
    pub summary: Option<String>,
    /// The same, as data: what happened, and the next step.
    #[serde(skip)]
    #[schema(ignore)]
    pub summary_parts: Option<Summary>,
    /// Why the call was handed to a human, if it was.
    pub escalation_reason: Option<String>,
    /// Why the call is in the inbox (closed calls a human still has to look at), if it is.
    pub inbox: Option<InboxKind>,
    /// When someone marked it handled (`None`: not handled, or not an inbox item).
    pub handled_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turns: Option<Vec<TurnView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventView>>,
    /// Escalations and messages sent to humans, with their delivery state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Vec<NotificationView>>,
}

/// A notification to put in the outbox with the call that caused it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    /// Unique; also the idempotency key the receiver sees.
    pub id: String,
    pub channel: Channel,
    pub event: NotifyEvent,
    pub reason: Option<String>,
    pub urgency: Option<Urgency>,
    /// The facts to send (the generic webhook's JSON body; other channels render from it).
    pub payload: String,
    /// For a routine message held for the digest: when the digest goes out (wall-clock time).
    pub digest_at: Option<DateTime<Utc>>,
}

/// A notification claimed for delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub id: String,
    pub call_sid: String,
    pub channel: Channel,
    pub event: NotifyEvent,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: u32,
    /// Part of a digest: sent together with the others of its channel due at the same time.
    pub digest: bool,
}

/// A notification as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct NotificationView {
    pub id: String,
    pub call_sid: String,
    pub channel: Channel,
    pub event: NotifyEvent,
    pub reason: Option<String>,
    pub urgency: Option<Urgency>,
    /// `pending`, `delivered` or `failed` (gave up: the receiver kept failing).
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
    /// Held for the morning digest.
    pub digest: bool,
    /// While pending: when the next attempt (or the digest) is due.
    pub due_at: Option<String>,
}

/// A stored timestamp: RFC 3339, UTC, milliseconds.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A booking that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BookError {
    /// Another booking holds part of that time (the database refused the overlap).
    #[error("that time is already booked")]
    Taken,
    /// The appointment does not exist or is already cancelled.
    #[error("no booked appointment {0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new appointment.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAppointment {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub caller_name: Option<String>,
    pub caller_number: Option<String>,
    pub purpose: Option<String>,
    pub call_sid: Option<String>,
}

/// An appointment as the API shows it: times in the executive's zone, with offset.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct AppointmentView {
    pub id: String,
    pub start: String,
    pub end: String,
    pub caller_name: Option<String>,
    pub caller_number: Option<String>,
    pub purpose: Option<String>,
    pub call_sid: Option<String>,
    pub status: String,
}

/// Which calls a list shows: each field set narrows it; the default shows every call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallFilter {
    /// Calls that started at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Calls that started before this instant.
    pub until: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub category: Option<Category>,
    pub urgency: Option<Urgency>,
    /// Only inbox items of this kind.
    pub inbox: Option<InboxKind>,
    /// `true`: calls marked handled; `false`: inbox items not handled yet.
    pub handled: Option<bool>,
    /// Words said on the call (any turn of its transcript), or in the caller's name, the
    /// message, the purpose or the summary; case-insensitive, as one phrase.
    pub text: Option<String>,
}

/// Where a page of a newest-first list ended: the last item's start and id. The next page
/// holds the items after it, so items logged meanwhile never shift a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub started_at: String,
    pub id: String,
}

/// A cursor that this server did not hand out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cursor {0:?} is not one this server handed out")]
pub struct BadCursor(pub String);

impl Cursor {
    /// The opaque text handed to clients (URL-safe base64).
    pub fn encode(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{}|{}", self.started_at, self.id))
    }

    /// Reads a cursor handed out by [`Cursor::encode`].
    pub fn decode(text: &str) -> Result<Self, BadCursor> {
        use base64::Engine;
        let bad = || BadCursor(text.chars().take(80).collect());
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| bad())?;
        let raw = String::from_utf8(raw).map_err(|_| bad())?;
        let (at, id) = raw.split_once('|').ok_or_else(bad)?;
        DateTime::parse_from_rfc3339(at).map_err(|_| bad())?;
        Ok(Self {
            started_at: at.to_string(),
            id: id.to_string(),
        })
    }
}

/// One page of a newest-first list: at most `limit` items after `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: i64,
    pub after: Option<Cursor>,
}

/// A page of items and, when more follow, the cursor for the next.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

/// One item of the executive's inbox: a closed call a human still has to look at.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct InboxItem {
    pub call_sid: String,
    pub kind: InboxKind,
    /// When the call started (RFC 3339, UTC).
    pub started_at: String,
    pub urgency: Option<Urgency>,
    pub category: Option<Category>,
    pub outcome: Option<Outcome>,
    pub caller: CallerView,
    /// The caller ID.
    pub from: Option<String>,
    pub purpose: Option<String>,
    pub message: Option<String>,
    pub escalation_reason: Option<String>,
    /// One line for a list: what it is, who, and why.
    pub headline: String,
    /// The call's whole summary: what happened and the next step.
    pub summary: Option<String>,
    pub handled: bool,
    pub handled_at: Option<String>,
}

impl InboxItem {
    /// The inbox item a call is, if it is one.
    pub fn of(call: &CallView) -> Option<Self> {
        let kind = call.inbox?;
        Some(Self {
            call_sid: call.call_sid.clone(),
            kind,
            started_at: call.started_at.clone(),
            urgency: call.urgency,
            category: call.category,
            outcome: call.outcome,
            caller: call.caller.clone(),
            from: call.from.clone(),
            purpose: call.purpose.clone(),
            message: call.message.clone(),
            escalation_reason: call.escalation_reason.clone(),
            headline: headline(kind, call),
            summary: call.summary.clone(),
            handled: call.handled_at.is_some(),
            handled_at: call.handled_at.clone(),
        })
    }
}

/// At most `max` characters of `s`, on one line, cut with an ellipsis.
fn one_line(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// The inbox's one line for a call: "Message from Jordan Lee (Acme) +16175550123: Please
/// call me back…", "EMERGENCY escalation: …", "Missed call from …", "Meeting booked by …".
pub fn headline(kind: InboxKind, call: &CallView) -> String {
    let c = &call.caller;
    let text = |s: Option<&String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut who = text(c.name.as_ref()).unwrap_or_default();
    if let Some(company) = text(c.company.as_ref()) {
        who = if who.is_empty() {
            company
        } else {
            format!("{who} ({company})")
        };
    }
    if let Some(n) = text(c.callback_number.as_ref()).or_else(|| text(call.from.as_ref())) {
        who = if who.is_empty() {
            n
        } else {
            format!("{who} {n}")
        };
    }
    if who.is_empty() {
        who = "an unknown caller".into();
    }
    let purpose = text(call.purpose.as_ref());
    let (head, detail) = match kind {
        InboxKind::Escalation => {
            let flag = match call.urgency {
                Some(u @ (Urgency::Emergency | Urgency::Deadline)) => {
                    format!("{} escalation", u.as_str().to_uppercase())
                }
                _ => "Escalation".to_string(),
            };
            let head = match text(call.escalation_reason.as_ref()) {
                Some(r) => format!("{flag}: {who} ({r})"),
                None => format!("{flag}: {who}"),
            };
            (head, text(call.message.as_ref()).or(purpose))
        }
        InboxKind::Message => (
            format!("Message from {who}"),
            text(call.message.as_ref()).or(purpose),
        ),
        InboxKind::MissedCall => (format!("Missed call from {who}"), purpose),
        InboxKind::Request => {
            let done = match call.outcome {
                Some(Outcome::Rescheduled) => "moved",
                Some(Outcome::Cancelled) => "cancelled",
                _ => "booked",
            };
            (format!("Meeting {done} by {who}"), purpose)
        }
    };
    match detail {
        Some(d) => one_line(&format!("{head}: {d}"), 160),
        None => one_line(&head, 160),
    }
}

/// Which inbox items a list shows (newest first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InboxFilter {
    pub kind: Option<InboxKind>,
    /// `false` (the usual view): what still needs a human; `true`: what was handled.
    pub handled: Option<bool>,
    pub urgency: Option<Urgency>,
}

/// A contact to add, or what a contact becomes when edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewContact {
    pub kind: Option<ContactKind>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    /// Any formatting; one contact per number.
    pub number: Option<String>,
    /// Always hand this caller to a human.
    pub escalate: bool,
    /// Free text for the desk, never read by screening.
    pub note: Option<String>,
}

/// Where a listed contact is kept.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactSource {
    /// In the database: editable from the desk.
    Desk,
    /// In the persona's screening file: edited there, read-only here.
    Persona,
}

/// A contact as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct ContactView {
    /// The desk's id (`None` for the persona's entries, which are edited in its file).
    pub id: Option<String>,
    pub source: ContactSource,
    pub kind: ContactKind,
    pub name: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub number: Option<String>,
    pub escalate: bool,
    pub note: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

impl ContactView {
    /// The contact as screening reads it.
    pub fn listed(&self) -> crate::logic::dialog::screen::Listed {
        crate::logic::dialog::screen::Listed {
            kind: Some(self.kind),
            name: self.name.clone(),
            company: self.company.clone(),
            role: self.role.clone(),
            number: self.number.clone(),
            escalate: self.escalate,
        }
    }

    /// Every contact the desk shows: the desk's own (`desk`, from the database), then the
    /// entries of the persona's screening file that screening still reads (an entry a desk
    /// contact replaced, by its number, is left out): what a call is screened by.
    pub fn with_persona(
        desk: Vec<ContactView>,
        screening: &crate::logic::dialog::screen::Screening,
    ) -> Vec<ContactView> {
        let listed: Vec<_> = desk.iter().map(ContactView::listed).collect();
        let merged = screening.with_contacts(&listed);
        let from_file = screening.listed();
        let persona = merged
            .listed()
            .into_iter()
            .filter(|l| from_file.contains(l))
            .filter_map(|l| ContactView::from_persona(&l));
        desk.into_iter().chain(persona).collect()
    }

    /// A persona entry as the desk lists it.
    pub fn from_persona(l: &crate::logic::dialog::screen::Listed) -> Option<Self> {
        Some(Self {
            id: None,
            source: ContactSource::Persona,
            kind: l.kind?,
            name: l.name.clone(),
            company: l.company.clone(),
            role: l.role.clone(),
            number: l.number.clone(),
            escalate: l.escalate,
            note: None,
            created_at: None,
            updated_at: None,
        })
    }
}

/// A contact change that was refused.
#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    /// The contact is not valid (the message says which field and why).
    #[error("{0}")]
    Invalid(String),
    /// Another contact has that number.
    #[error("contact {id} already has the number {number}")]
    NumberTaken { number: String, id: String },
    #[error("no contact {0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The longest name, company, role or note a contact keeps.
pub const CONTACT_TEXT_MAX: usize = 200;

impl NewContact {
    /// Trimmed (empty text is none) and checked: a kind; a name for a VIP or known contact; a
    /// name or number for a blocked one; a number with at least seven digits; no text longer
    /// than [`CONTACT_TEXT_MAX`]. What every implementation stores.
    pub fn checked(&self) -> Result<(ContactKind, Self), ContactError> {
        let tidy = |field: &str, v: &Option<String>| -> Result<Option<String>, ContactError> {
            let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty());
            match v {
                Some(s) if s.chars().count() > CONTACT_TEXT_MAX => Err(ContactError::Invalid(
                    format!("{field} is longer than {CONTACT_TEXT_MAX} characters"),
                )),
                _ => Ok(v.map(str::to_string)),
            }
        };
        let out = Self {
            kind: self.kind,
            name: tidy("name", &self.name)?,
            company: tidy("company", &self.company)?,
            role: tidy("role", &self.role)?,
            number: tidy("number", &self.number)?,
            escalate: self.escalate,
            note: tidy("note", &self.note)?,
        };
        let kind = out.kind.ok_or_else(|| {
            ContactError::Invalid("kind is missing: vip, known or blocked".into())
        })?;
        if let Some(n) = &out.number {
            if crate::logic::dialog::screen::number_key(n).is_none() {
                return Err(ContactError::Invalid(format!(
                    "number {n:?} is not a phone number (at least 7 digits)"
                )));
            }
        }
        match kind {
            ContactKind::Vip | ContactKind::Known if out.name.is_none() => Err(
                ContactError::Invalid(format!("a {} contact needs a name", kind.as_str())),
            ),
            ContactKind::Blocked if out.name.is_none() && out.number.is_none() => Err(
                ContactError::Invalid("a blocked contact needs a number or a name".into()),
            ),
            _ => Ok((kind, out)),
        }
    }
}

/// The call log: each call's row, turns, events, caller details and outcome, written while the
/// call runs (by its [`journal::Journal`]) and read by the API and at close.
#[async_trait]
pub trait CallLog: Send + Sync {
    /// Calls still `in_progress`: at startup, the ones a previous run left open when it stopped
    /// or crashed mid-call.
    async fn open_calls(&self) -> Result<Vec<String>, StoreError>;

    /// Records a call (idempotent: a second call fills in what the first left empty).
    async fn begin_call(
        &self,
        call_sid: &str,
        from: Option<&str>,
        to: Option<&str>,
        started_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Notes the media stream serving a call, and its recording file.
    async fn set_stream(
        &self,
        call_sid: &str,
        stream_sid: &str,
        recording: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Appends turn number `seq` (numbered by the call's conductor).
    async fn add_turn(
        &self,
        call_sid: &str,
        seq: i64,
        speaker: Speaker,
        text: &str,
        started_at: DateTime<Utc>,
        latency_ms: Option<i64>,
    ) -> Result<(), StoreError>;

    /// Cuts an agent turn to what the caller actually heard.
    async fn cut_turn(&self, call_sid: &str, seq: i64, heard: &str) -> Result<(), StoreError>;

    /// Stores what the caller has told us.
    async fn update_caller(&self, call_sid: &str, info: &CallerInfo) -> Result<(), StoreError>;

    /// Stores the call's outcome and its summary (kept when `summary` is `None`).
    async fn set_outcome(
        &self,
        call_sid: &str,
        outcome: Outcome,
        summary: Option<&Summary>,
    ) -> Result<(), StoreError>;

    /// Notes something that happened on the call, numbered after the call's earlier events
    /// even when several are written at once.
    async fn add_event(
        &self,
        call_sid: &str,
        at: DateTime<Utc>,
        kind: &str,
        detail: &str,
    ) -> Result<(), StoreError>;

    /// Closes the call with nothing to notify.
    async fn end_call(
        &self,
        call_sid: &str,
        status: CallStatus,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The most recent calls, newest first, without turns or events.
    async fn list_calls(&self, limit: i64) -> Result<Vec<CallView>, StoreError>;

    /// The calls `filter` lets through, newest first (by start, then id), one page at a time,
    /// without turns or events.
    async fn find_calls(
        &self,
        filter: &CallFilter,
        page: &PageRequest,
    ) -> Result<Page<CallView>, StoreError>;

    /// One call with its turns, events and notifications; `None` if there is no such call.
    async fn get_call(&self, call_sid: &str) -> Result<Option<CallView>, StoreError>;

    /// The recording file of a call, if one was made.
    async fn recording_path(&self, call_sid: &str) -> Result<Option<String>, StoreError>;

    /// Proves the database takes a write now (for `/readyz`): a write that is rolled back,
    /// leaving nothing behind.
    async fn check_writable(&self) -> Result<(), StoreError>;
}

/// The calendar's bookings. An implementation refuses any overlap itself ([`BookError::Taken`]),
/// whichever call or instance books: the dialog's check is not the last word.
#[async_trait]
pub trait Appointments: Send + Sync {
    /// Books an appointment and returns its id; refuses any overlap with a booked one.
    async fn book(&self, new: &NewAppointment, now: DateTime<Utc>) -> Result<String, BookError>;

    /// Moves a booked appointment; the old time is freed only if the new one is free.
    async fn move_appointment(
        &self,
        id: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), BookError>;

    /// Cancels a booked appointment and frees its time.
    async fn cancel_appointment(&self, id: &str, now: DateTime<Utc>) -> Result<(), BookError>;

    /// Booked appointments ending after `from`, earliest first: the calendar a call sees.
    async fn booked_from(
        &self,
        from: DateTime<Utc>,
    ) -> Result<Vec<crate::logic::calendar::Booked>, StoreError>;

    /// Every appointment, earliest first, with times shown in `tz`.
    async fn list_appointments(
        &self,
        tz: chrono_tz::Tz,
    ) -> Result<Vec<AppointmentView>, StoreError>;

    /// One appointment, booked or cancelled, with times shown in `tz`.
    async fn appointment(
        &self,
        id: &str,
        tz: chrono_tz::Tz,
    ) -> Result<Option<AppointmentView>, StoreError>;
}

/// The executive's inbox: closed calls a human still has to look at (escalations, messages,
/// missed calls, meetings booked, moved or cancelled by phone), each handled or not. Which
/// calls are items follows from the call itself ([`CallView::inbox`]); only the handled stamp
/// is stored.
#[async_trait]
pub trait Inbox: Send + Sync {
    /// Inbox items `filter` lets through, newest first, one page at a time.
    async fn inbox(
        &self,
        filter: &InboxFilter,
        page: &PageRequest,
    ) -> Result<Page<InboxItem>, StoreError>;

    /// How many inbox items are not handled yet.
    async fn unhandled_count(&self) -> Result<i64, StoreError>;

    /// Marks an item handled at `at` (`Some`) or reopens it (`None`) and returns it; `None`
    /// when the call is not an inbox item.
    async fn set_handled(
        &self,
        call_sid: &str,
        at: Option<DateTime<Utc>>,
    ) -> Result<Option<InboxItem>, StoreError>;
}

/// The desk's contacts: VIPs, known and blocked callers kept in the database. Screening reads
/// them at each call's start, merged with the persona's lists
/// ([`crate::logic::dialog::screen::Screening::with_contacts`]): a change takes effect on the
/// next call. Every write is checked by [`NewContact::checked`]; one contact per number.
#[async_trait]
pub trait Contacts: Send + Sync {
    /// Every contact of the desk, by kind (VIP, known, blocked), then name.
    async fn contacts(&self) -> Result<Vec<ContactView>, StoreError>;

    /// One contact.
    async fn contact(&self, id: &str) -> Result<Option<ContactView>, StoreError>;

    /// Adds a contact.
    async fn add_contact(
        &self,
        new: &NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactView, ContactError>;

    /// Replaces what contact `id` holds with `new`.
    async fn update_contact(
        &self,
        id: &str,
        new: &NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactView, ContactError>;

    /// Removes a contact; `false` when there was none.
    async fn delete_contact(&self, id: &str) -> Result<bool, StoreError>;

    /// Blocks a number: its contact becomes blocked (kept with its name), or a blocked contact
    /// is added (with `name`, when given).
    async fn block_number(
        &self,
        number: &str,
        name: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ContactView, ContactError>;
}

/// An appointment as stored, times in UTC: what its calendar event and the export feed are
/// written from.
#[derive(Debug, Clone, PartialEq)]
pub struct Appointment {
    pub id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub caller_name: Option<String>,
    pub caller_number: Option<String>,
    pub purpose: Option<String>,
    pub call_sid: Option<String>,
    /// Still booked (false: cancelled).
    pub booked: bool,
    /// The ETag of its event in the executive's calendar as last written or read; `None` while
    /// it is not there.
    pub calendar_etag: Option<String>,
}

/// A write to the executive's calendar claimed for an attempt: bring the appointment's event in
/// line with the appointment as it is now (PUT while booked, DELETE once cancelled).
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarWrite {
    pub appointment: Appointment,
    /// The change this write carries; a later change makes another write.
    pub version: i64,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// The durable queue of writes to the executive's calendar, and what the calendar's own
/// changes do to the appointments. Writes are queued by [`Appointments`]' book, move and cancel
/// in their own transaction (when the store was opened to queue them), so a booking is never
/// lost to a calendar server that is down: it is written once the server is back.
#[async_trait]
pub trait CalendarSync: Send + Sync {
    /// Takes up to `limit` writes due at `now`, leasing each until `now + lease`.
    async fn claim_calendar_writes(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> Result<Vec<CalendarWrite>, StoreError>;

    /// The write of `version` reached the calendar: the event's ETag is now `etag` (`None`:
    /// deleted, or the server gave none). The queue row goes unless a change came meanwhile.
    async fn calendar_written(
        &self,
        id: &str,
        version: i64,
        etag: Option<&str>,
    ) -> Result<(), StoreError>;

    /// The write failed (`error`); it is tried again at `retry_at`.
    async fn calendar_write_failed(
        &self,
        id: &str,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Writes not yet made (the backlog).
    async fn calendar_backlog(&self) -> Result<i64, StoreError>;

    /// When the next write is due, if one is queued.
    async fn next_calendar_write(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// Booked appointments ending after `from` whose event is in the calendar and has no write
    /// pending: the ones the executive may have moved or deleted there.
    async fn synced_appointments(
        &self,
        from: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, StoreError>;

    /// Every appointment, earliest first (cancelled ones too).
    async fn appointments(&self) -> Result<Vec<Appointment>, StoreError>;

    /// The executive moved the event of `id` in their calendar (it now has `etag`): the
    /// appointment takes the new time, unless our event changed since `seen_etag` was read or a
    /// write is pending (`Ok(false)`, nothing changes). Refuses an overlap like any booking.
    async fn moved_in_calendar(
        &self,
        id: &str,
        seen_etag: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        etag: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, BookError>;

    /// The executive deleted the event of `id` from their calendar: the appointment is
    /// cancelled and its time freed, on the same conditions as [`Self::moved_in_calendar`].
    async fn deleted_in_calendar(
        &self,
        id: &str,
        seen_etag: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, BookError>;
}

/// The outbox: notifications committed with the call that caused them, then leased, attempted
/// and settled by the delivery worker. Nothing committed is lost: each ends `delivered` or
/// `failed`.
#[async_trait]
pub trait Outbox: Send + Sync {
    /// Closes the call and puts `notes` in the outbox, in one transaction: either the call is
    /// closed and its notifications will be delivered, or neither happened. They are due at
    /// `due` (wall-clock time), or at their digest time.
    async fn end_call_notifying(
        &self,
        call_sid: &str,
        status: CallStatus,
        at: DateTime<Utc>,
        notes: &[NewNotification],
        due: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Something happened after the call closed (a live transfer went unanswered): notes it on
    /// the call, replaces the summary, and queues `notes`, in one transaction. `false` when the
    /// event happens once per call and was already recorded (then nothing changes).
    #[allow(clippy::too_many_arguments)]
    async fn amend_call_notifying(
        &self,
        call_sid: &str,
        at: DateTime<Utc>,
        kind: &str,
        detail: &str,
        summary: &Summary,
        notes: &[NewNotification],
        due: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Takes up to `limit` notifications due at `now` for delivery, leasing each until
    /// `now + lease` so that no other worker (or instance) sends it meanwhile.
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> Result<Vec<Outgoing>, StoreError>;

    /// Records one delivery attempt: delivered, to be retried at `retry_at`, or (no retry)
    /// failed for good. Attempts are numbered in order even when recorded at once.
    async fn record_attempt(
        &self,
        id: &str,
        at: DateTime<Utc>,
        result: Result<(), String>,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError>;

    /// When the next pending notification is due, if any is.
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// How many notifications are pending: neither delivered nor failed yet (the backlog).
    async fn pending_count(&self) -> Result<i64, StoreError>;

    /// A call's notifications, oldest first.
    async fn notifications_for(&self, call_sid: &str) -> Result<Vec<NotificationView>, StoreError>;

    /// Notifications across all calls, newest first, optionally only those with `status`
    /// (`pending`, `delivered`, `failed`): what the reviewer checks for receivers that fail.
    async fn list_notifications(
        &self,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<NotificationView>, StoreError>;
}

/// The whole store: one database serving the ports (closing a call and queueing its
/// notifications share a transaction, and so do a booking and its calendar write). What
/// [`crate::services::Services`] holds.
pub trait Store: CallLog + Appointments + Outbox + CalendarSync + Inbox + Contacts + Users {}

impl<T: CallLog + Appointments + Outbox + CalendarSync + Inbox + Contacts + Users + ?Sized> Store
    for T
{
}

pub mod journal;
pub mod sqlite;
pub mod users;

pub use users::Users;

pub use sqlite::SqliteStore;

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// The desk's contacts, then the file's entries screening still reads: a desk contact
    /// with a file entry's number replaces it, and the list agrees with what is screened.
    #[test]
    fn the_desk_lists_its_contacts_then_the_files_that_still_count() {
        use crate::logic::dialog::screen::Screening;
        let file = Screening::from_toml(
            r#"
            [[vip]]
            name = "Taylor Brooks"
            number = "+16175550199"
            [[known]]
            name = "Lee Park"
            number = "+16175550142"
            [blocked]
            numbers = ["+19005550123"]
            "#,
        )
        .unwrap();
        let desk = |kind, name: &str, number: &str| ContactView {
            id: Some(format!("con_{name}")),
            source: ContactSource::Desk,
            kind,
            name: Some(name.into()),
            company: None,
            role: None,
            number: Some(number.into()),
            escalate: false,
            note: None,
            created_at: None,
            updated_at: None,
        };
        let listed = ContactView::with_persona(
            vec![
                desk(ContactKind::Blocked, "Taylor Brooks", "(617) 555-0199"),
                desk(ContactKind::Known, "Sam Lee", "+16175550111"),
            ],
            &file,
        );
        let shown: Vec<(Option<&str>, ContactKind, Option<&str>, ContactSource)> = listed
            .iter()
            .map(|c| (c.id.as_deref(), c.kind, c.number.as_deref(), c.source))
            .collect();
        use ContactKind::*;
        use ContactSource::*;
        assert_eq!(
            shown,
            [
                (
                    Some("con_Taylor Brooks"),
                    Blocked,
                    Some("(617) 555-0199"),
                    Desk
                ),
                (Some("con_Sam Lee"), Known, Some("+16175550111"), Desk),
                (None, Known, Some("+16175550142"), Persona),
                (None, Blocked, Some("+19005550123"), Persona),
            ]
        );
        // What the list says is what a call is screened by.
        let own: Vec<_> = listed[..2].iter().map(ContactView::listed).collect();
        let screened = file.with_contacts(&own);
        assert_eq!(
            screened.by_number("+1 617 555 0199").map(|(c, _)| c),
            Some(Category::Blocked)
        );
        assert_eq!(
            screened.by_number("6175550142").map(|(c, _)| c),
            Some(Category::Known)
        );
    }

    /// A call's life, a booking and a notification through the three ports alone: what any
    /// implementation (SQLite today, PostgreSQL later) must do.
    async fn a_call_a_booking_and_a_notification(
        calls: &dyn CallLog,
        appointments: &dyn Appointments,
        outbox: &dyn Outbox,
    ) {
        let t0 = at("2026-11-24T23:00:00Z");
        calls
            .begin_call("CAport", Some("+16175550123"), None, t0)
            .await
            .unwrap();
        calls
            .set_stream("CAport", "MZport", Some("/tmp/CAport.wav"))
            .await
            .unwrap();
        calls
            .add_turn("CAport", 1, Speaker::Agent, "Good evening.", t0, None)
            .await
            .unwrap();
        calls
            .add_turn("CAport", 2, Speaker::Caller, "Book me in.", t0, Some(640))
            .await
            .unwrap();
        calls.cut_turn("CAport", 1, "Good").await.unwrap();
        let info = CallerInfo {
            name: Some("Dana Kim".into()),
            ..CallerInfo::default()
        };
        calls.update_caller("CAport", &info).await.unwrap();

        let start = at("2026-11-25T19:00:00Z");
        let new = NewAppointment {
            start,
            end: start + chrono::Duration::minutes(30),
            caller_name: Some("Dana Kim".into()),
            caller_number: Some("+16175550123".into()),
            purpose: Some("budget review".into()),
            call_sid: Some("CAport".into()),
        };
        let id = appointments.book(&new, t0).await.unwrap();
        assert!(matches!(
            appointments.book(&new, t0).await,
            Err(BookError::Taken)
        ));
        calls.add_event("CAport", t0, "booked", &id).await.unwrap();
        let booked = appointments.booked_from(t0).await.unwrap();
        assert_eq!(booked.len(), 1);
        assert_eq!(
            (booked[0].id.as_str(), booked[0].start),
            (id.as_str(), start)
        );

        let summary = Summary {
            account: "Dana Kim booked a budget review.".into(),
            next_step: None,
        };
        calls
            .set_outcome("CAport", Outcome::Booked, Some(&summary))
            .await
            .unwrap();
        assert_eq!(
            calls.open_calls().await.unwrap(),
            vec!["CAport".to_string()]
        );
        let note = NewNotification {
            id: "ntf_port".into(),
            channel: Channel::Webhook,
            event: NotifyEvent::Message,
            reason: None,
            urgency: Some(Urgency::Routine),
            payload: "{}".into(),
            digest_at: None,
        };
        outbox
            .end_call_notifying("CAport", CallStatus::Completed, t0, &[note], t0)
            .await
            .unwrap();
        assert!(calls.open_calls().await.unwrap().is_empty());
        assert_eq!(outbox.pending_count().await.unwrap(), 1);

        let due = outbox
            .claim_due(t0, chrono::Duration::seconds(30), 10)
            .await
            .unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].id.as_str(), due[0].attempts), ("ntf_port", 0));
        // Leased: not claimed twice.
        assert!(outbox
            .claim_due(t0, chrono::Duration::seconds(30), 10)
            .await
            .unwrap()
            .is_empty());
        outbox
            .record_attempt("ntf_port", t0, Ok(()), None)
            .await
            .unwrap();
        assert_eq!(outbox.next_due().await.unwrap(), None);
        assert_eq!(outbox.pending_count().await.unwrap(), 0);

        let call = calls.get_call("CAport").await.unwrap().unwrap();
        assert_eq!(call.status, CallStatus::Completed);
        assert_eq!(call.outcome, Some(Outcome::Booked));
        assert_eq!(call.caller.name.as_deref(), Some("Dana Kim"));
        let turns = call.turns.unwrap_or_default();
        assert_eq!(turns.len(), 2);
        assert!(turns[0].interrupted && turns[0].text == "Good");
        assert_eq!(call.events.unwrap_or_default()[0].detail, id);
        let notes = call.notifications.unwrap_or_default();
        assert_eq!(notes.len(), 1);
        assert_eq!(
            (notes[0].status.as_str(), notes[0].attempts),
            ("delivered", 1)
        );
        assert_eq!(calls.list_calls(10).await.unwrap().len(), 1);
        // The write that proves the database writable leaves nothing behind.
        calls.check_writable().await.unwrap();
        assert_eq!(calls.list_calls(10).await.unwrap().len(), 1);
        assert_eq!(
            calls.recording_path("CAport").await.unwrap().as_deref(),
            Some("/tmp/CAport.wav")
        );

        appointments.cancel_appointment(&id, t0).await.unwrap();
        assert!(appointments.booked_from(t0).await.unwrap().is_empty());
        let all = appointments
            .list_appointments(chrono_tz::America::New_York)
            .await
            .unwrap();
        assert_eq!(all[0].status, "cancelled");
        assert_eq!(all[0].start, "2026-11-25T14:00:00-05:00");
    }

    /// A closed call: who, what they said, and how it ended.
    async fn closed_call(
        calls: &dyn CallLog,
        sid: &str,
        at: DateTime<Utc>,
        said: Option<&str>,
        info: CallerInfo,
        outcome: Outcome,
    ) {
        calls
            .begin_call(sid, Some("+16175550123"), None, at)
            .await
            .unwrap();
        if let Some(said) = said {
            calls
                .add_turn(sid, 1, Speaker::Caller, said, at, None)
                .await
                .unwrap();
        }
        calls.update_caller(sid, &info).await.unwrap();
        calls.set_outcome(sid, outcome, None).await.unwrap();
        calls
            .end_call(sid, CallStatus::Completed, at)
            .await
            .unwrap();
    }

    fn sids<T>(items: &[T], sid: impl Fn(&T) -> &str) -> Vec<String> {
        items.iter().map(|i| sid(i).to_string()).collect()
    }

    /// The desk through the ports alone: the inbox (kinds, newest first, handled and
    /// reopened, counted), calls found by filter a page at a time, and contacts.
    async fn the_desk(store: &dyn Store) {
        let t = |h: i64| at("2026-11-24T23:00:00Z") + chrono::Duration::hours(h);
        let who = |name: &str| CallerInfo {
            name: Some(name.into()),
            ..CallerInfo::default()
        };
        let message = CallerInfo {
            message: Some("Please call me back about the Contract renewal.".into()),
            urgency: Some(Urgency::Routine),
            category: Some(Category::New),
            ..who("Jordan Lee")
        };
        let urgent = CallerInfo {
            escalation: Some("urgency: emergency".into()),
            urgency: Some(Urgency::Emergency),
            purpose: Some("The servers are down".into()),
            ..who("Dana Kim")
        };
        let spam = CallerInfo {
            category: Some(Category::Spam),
            ..CallerInfo::default()
        };
        closed_call(store, "CA1", t(1), Some("Hi."), message, Outcome::Message).await;
        closed_call(
            store,
            "CA2",
            t(2),
            Some("Help!"),
            urgent,
            Outcome::Escalated,
        )
        .await;
        closed_call(
            store,
            "CA3",
            t(3),
            Some("Hello?"),
            who("Sam"),
            Outcome::Abandoned,
        )
        .await;
        closed_call(store, "CA4", t(4), None, who("Quiet"), Outcome::Abandoned).await;
        closed_call(
            store,
            "CA5",
            t(5),
            Some("You won"),
            spam,
            Outcome::Abandoned,
        )
        .await;
        closed_call(
            store,
            "CA6",
            t(6),
            Some("Book"),
            who("Ann"),
            Outcome::Booked,
        )
        .await;
        closed_call(store, "CA7", t(7), Some("Where?"), who("Bo"), Outcome::Faq).await;
        store.begin_call("CA8", None, None, t(8)).await.unwrap();

        let page = |limit| PageRequest { limit, after: None };
        let inbox = store
            .inbox(&InboxFilter::default(), &page(50))
            .await
            .unwrap();
        assert_eq!(
            sids(&inbox.items, |i| &i.call_sid),
            ["CA6", "CA3", "CA2", "CA1"]
        );
        assert_eq!(inbox.next, None);
        let kinds: Vec<InboxKind> = inbox.items.iter().map(|i| i.kind).collect();
        use InboxKind::*;
        assert_eq!(kinds, [Request, MissedCall, Escalation, Message]);
        assert_eq!(
            inbox.items[2].headline,
            "EMERGENCY escalation: Dana Kim +16175550123 (urgency: emergency): The servers are down"
        );
        assert_eq!(
            inbox.items[3].headline,
            "Message from Jordan Lee +16175550123: Please call me back about the Contract renewal."
        );
        assert_eq!(store.unhandled_count().await.unwrap(), 4);

        // Handled, then reopened; a call that is no inbox item cannot be handled.
        let done = store.set_handled("CA2", Some(t(9))).await.unwrap().unwrap();
        assert!(done.handled);
        assert_eq!(done.handled_at.as_deref(), Some("2026-11-25T08:00:00.000Z"));
        assert_eq!(store.unhandled_count().await.unwrap(), 3);
        let open = InboxFilter {
            handled: Some(false),
            ..InboxFilter::default()
        };
        let left = store.inbox(&open, &page(50)).await.unwrap();
        assert_eq!(sids(&left.items, |i| &i.call_sid), ["CA6", "CA3", "CA1"]);
        let handled = InboxFilter {
            handled: Some(true),
            ..InboxFilter::default()
        };
        let was = store.inbox(&handled, &page(50)).await.unwrap();
        assert_eq!(sids(&was.items, |i| &i.call_sid), ["CA2"]);
        let again = store.set_handled("CA2", None).await.unwrap().unwrap();
        assert!(!again.handled && again.handled_at.is_none());
        assert_eq!(store.unhandled_count().await.unwrap(), 4);
        assert!(store
            .set_handled("CA7", Some(t(9)))
            .await
            .unwrap()
            .is_none());
        assert!(store
            .set_handled("CA-none", Some(t(9)))
            .await
            .unwrap()
            .is_none());

        // Calls by filter.
        let find = |f: CallFilter| async move {
            let found = store.find_calls(&f, &page(50)).await.unwrap();
            sids(&found.items, |c| &c.call_sid)
        };
        assert_eq!(
            find(CallFilter {
                outcome: Some(Outcome::Abandoned),
                ..CallFilter::default()
            })
            .await,
            ["CA5", "CA4", "CA3"]
        );
        assert_eq!(
            find(CallFilter {
                urgency: Some(Urgency::Emergency),
                ..CallFilter::default()
            })
            .await,
            ["CA2"]
        );
        assert_eq!(
            find(CallFilter {
                category: Some(Category::Spam),
                ..CallFilter::default()
            })
            .await,
            ["CA5"]
        );
        assert_eq!(
            find(CallFilter {
                since: Some(t(2)),
                until: Some(t(4)),
                ..CallFilter::default()
            })
            .await,
            ["CA3", "CA2"]
        );
        // Words from the transcript, the message or the name; any case; % taken literally.
        for (text, want) in [
            ("hello", vec!["CA3"]),
            ("contract RENEWAL", vec!["CA1"]),
            ("dana", vec!["CA2"]),
            ("100%", vec![]),
        ] {
            let f = CallFilter {
                text: Some(text.into()),
                ..CallFilter::default()
            };
            assert_eq!(find(f).await, want, "{text}");
        }
        store.set_handled("CA1", Some(t(9))).await.unwrap();
        let f = |handled| CallFilter {
            handled: Some(handled),
            ..CallFilter::default()
        };
        assert_eq!(find(f(true)).await, ["CA1"]);
        assert_eq!(find(f(false)).await, ["CA6", "CA3", "CA2"]);
        let call = store.get_call("CA1").await.unwrap().unwrap();
        assert_eq!(call.inbox, Some(InboxKind::Message));
        assert!(call.handled_at.is_some());

        // Pages of three: every call once, newest first, the last page without a cursor.
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let p = store
                .find_calls(&CallFilter::default(), &PageRequest { limit: 3, after })
                .await
                .unwrap();
            assert!(p.items.len() <= 3);
            seen.extend(sids(&p.items, |c| &c.call_sid));
            match p.next {
                Some(c) => after = Some(Cursor::decode(&c.encode()).unwrap()),
                None => break,
            }
        }
        assert_eq!(
            seen,
            ["CA8", "CA7", "CA6", "CA5", "CA4", "CA3", "CA2", "CA1"]
        );
        assert!(Cursor::decode("not a cursor").is_err());

        // Contacts: added, refused twice, edited, blocked by number, deleted.
        let now = t(10);
        let vip = NewContact {
            kind: Some(ContactKind::Vip),
            name: Some(" Sam Lee ".into()),
            number: Some("+1 617 555 0111".into()),
            ..NewContact::default()
        };
        let sam = store.add_contact(&vip, now).await.unwrap();
        assert_eq!(sam.name.as_deref(), Some("Sam Lee"));
        assert_eq!(sam.source, ContactSource::Desk);
        let same_number = NewContact {
            number: Some("(617) 555-0111".into()),
            ..vip.clone()
        };
        assert!(matches!(
            store.add_contact(&same_number, now).await,
            Err(ContactError::NumberTaken { .. })
        ));
        for bad in [
            NewContact {
                name: None,
                ..vip.clone()
            },
            NewContact {
                number: Some("12".into()),
                ..vip.clone()
            },
            NewContact {
                kind: None,
                ..vip.clone()
            },
        ] {
            assert!(matches!(
                store.add_contact(&bad, now).await,
                Err(ContactError::Invalid(_))
            ));
        }
        let id = sam.id.clone().unwrap();
        let known = NewContact {
            kind: Some(ContactKind::Known),
            company: Some("Acme".into()),
            ..vip.clone()
        };
        let edited = store.update_contact(&id, &known, now).await.unwrap();
        assert_eq!(
            (edited.kind, edited.company.as_deref()),
            (ContactKind::Known, Some("Acme"))
        );
        assert!(matches!(
            store.update_contact("con_none", &known, now).await,
            Err(ContactError::NotFound(_))
        ));
        let blocked = store
            .block_number("6175550111", Some("Someone"), now)
            .await
            .unwrap();
        assert_eq!(blocked.id.as_deref(), Some(id.as_str()));
        assert_eq!(
            (blocked.kind, blocked.name.as_deref()),
            (ContactKind::Blocked, Some("Sam Lee"))
        );
        let stranger = store.block_number("+19005550177", None, now).await.unwrap();
        assert_eq!(stranger.kind, ContactKind::Blocked);
        assert!(matches!(
            store.block_number("nope", None, now).await,
            Err(ContactError::Invalid(_))
        ));
        assert_eq!(store.contacts().await.unwrap().len(), 2);
        assert!(store.delete_contact(&id).await.unwrap());
        assert!(!store.delete_contact(&id).await.unwrap());
        assert_eq!(store.contacts().await.unwrap(), vec![stranger]);
    }

    #[tokio::test]
    async fn the_sqlite_store_serves_the_desk() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/calls.db", dir.path().display());
        let store: std::sync::Arc<dyn Store> =
            std::sync::Arc::new(SqliteStore::open(&url).await.unwrap());
        the_desk(store.as_ref()).await;
    }

    /// The calendar's write queue through the port: a booking, move and cancel each queue the
    /// latest state once; a write settles only the change it carried; the executive's own
    /// changes apply only to an event still as it was read.
    async fn calendar_writes_are_queued_settled_and_compared(store: &dyn Store) {
        let t0 = at("2026-11-24T23:00:00Z");
        let lease = chrono::Duration::seconds(30);
        let start = at("2026-11-30T19:00:00Z");
        let new = NewAppointment {
            start,
            end: start + chrono::Duration::minutes(30),
            caller_name: Some("Dana Kim".into()),
            caller_number: Some("+16175550123".into()),
            purpose: Some("hiring".into()),
            call_sid: None,
        };
        let id = store.book(&new, t0).await.unwrap();
        assert_eq!(store.calendar_backlog().await.unwrap(), 1);
        assert_eq!(store.next_calendar_write().await.unwrap(), Some(t0));
        let w = store.claim_calendar_writes(t0, lease, 10).await.unwrap();
        assert_eq!(w.len(), 1);
        assert!(w[0].appointment.booked && w[0].appointment.calendar_etag.is_none());
        // Leased: not claimed twice.
        assert!(store
            .claim_calendar_writes(t0, lease, 10)
            .await
            .unwrap()
            .is_empty());
        // It fails; retried later.
        let retry = t0 + chrono::Duration::seconds(5);
        store
            .calendar_write_failed(&id, "503", retry)
            .await
            .unwrap();
        assert!(store
            .claim_calendar_writes(t0, lease, 10)
            .await
            .unwrap()
            .is_empty());
        let w = store.claim_calendar_writes(retry, lease, 10).await.unwrap();
        assert_eq!(w[0].attempts, 1);
        // A move while the write is out: the write settles nothing, the move is written next.
        let later = start + chrono::Duration::hours(1);
        store
            .move_appointment(&id, later, later + chrono::Duration::minutes(30), t0)
            .await
            .unwrap();
        store
            .calendar_written(&id, w[0].version, Some("\"e1\""))
            .await
            .unwrap();
        assert_eq!(store.calendar_backlog().await.unwrap(), 1);
        assert!(store.synced_appointments(t0).await.unwrap().is_empty());
        let w = store.claim_calendar_writes(retry, lease, 10).await.unwrap();
        assert_eq!((w[0].appointment.start, w[0].attempts), (later, 0));
        store
            .calendar_written(&id, w[0].version, Some("\"e2\""))
            .await
            .unwrap();
        assert_eq!(store.calendar_backlog().await.unwrap(), 0);
        let synced = store.synced_appointments(t0).await.unwrap();
        assert_eq!(synced[0].calendar_etag.as_deref(), Some("\"e2\""));

        // The executive moved it: applied only against the ETag read.
        let moved = at("2026-12-02T16:00:00Z");
        let end = moved + chrono::Duration::minutes(30);
        assert!(!store
            .moved_in_calendar(&id, "\"old\"", moved, end, Some("\"e3\""), t0)
            .await
            .unwrap());
        assert!(store
            .moved_in_calendar(&id, "\"e2\"", moved, end, Some("\"e3\""), t0)
            .await
            .unwrap());
        assert_eq!(store.booked_from(t0).await.unwrap()[0].start, moved);
        assert_eq!(store.calendar_backlog().await.unwrap(), 0, "no write back");
        // Then deleted it: cancelled, its time freed, nothing written back.
        assert!(store.deleted_in_calendar(&id, "\"e3\"", t0).await.unwrap());
        assert!(store.booked_from(t0).await.unwrap().is_empty());
        assert_eq!(store.calendar_backlog().await.unwrap(), 0);
        let all = store.appointments().await.unwrap();
        assert!(!all[0].booked && all[0].calendar_etag.is_none());
        // A cancellation by phone queues the delete.
        let id2 = store.book(&new, t0).await.unwrap();
        store.cancel_appointment(&id2, t0).await.unwrap();
        let w = store.claim_calendar_writes(t0, lease, 10).await.unwrap();
        assert_eq!(w.len(), 1);
        assert!(!w[0].appointment.booked);
    }

    #[tokio::test]
    async fn the_sqlite_store_queues_calendar_writes_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/calls.db", dir.path().display());
        let plain = SqliteStore::open(&url).await.unwrap();
        let start = at("2026-11-30T19:00:00Z");
        let new = NewAppointment {
            start,
            end: start + chrono::Duration::minutes(30),
            caller_name: None,
            caller_number: None,
            purpose: None,
            call_sid: None,
        };
        plain.book(&new, start).await.unwrap();
        assert_eq!(
            plain.calendar_backlog().await.unwrap(),
            0,
            "no calendar: no writes"
        );
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/calls.db", dir.path().display());
        let store = SqliteStore::open(&url)
            .await
            .unwrap()
            .writing_calendar(true);
        calendar_writes_are_queued_settled_and_compared(&store).await;
    }

    #[tokio::test]
    async fn the_sqlite_store_serves_the_ports() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/calls.db", dir.path().display());
        let store: std::sync::Arc<dyn Store> =
            std::sync::Arc::new(SqliteStore::open(&url).await.unwrap());
        a_call_a_booking_and_a_notification(store.as_ref(), store.as_ref(), store.as_ref()).await;
    }
}
