//! The receptionist's brain: a pure state machine. Events in, actions out, time injected.
//!
//! **Architecture Invariant:** `dialog` never touches IO, audio, the database or the clock; the
//! caller's words arrive as text (as whisper heard them), the instant as an argument, the
//! calendar as a snapshot, and the session carries out the returned [`Action`]s and reports
//! their results back as events. Every line it speaks, and every list it screens by, comes from
//! the persona's files in `prompts/`.

pub mod faq;
pub mod names;
pub mod reading;
pub mod screen;
pub mod understand;
pub mod zone;

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::Serialize;

use crate::logic::calendar::speak_time;
use crate::logic::calendar::{self, Booked, Calendar, Unavailable};
use crate::logic::persona::Persona;
use crate::logic::timeparse::When;
pub use screen::{Category, Urgency};
use understand::{
    choice, extract_name, extract_phone, intent, spoken_number, usable_caller_id, yes_no, Intent,
    YesNo,
};

/// Something that happened on the call.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The call is connected; `caller_number` is the caller ID, if any; `calendar` the booked
    /// appointments from now on.
    CallStarted {
        caller_number: Option<String>,
        calendar: Vec<Booked>,
    },
    /// The caller said something (whisper's transcript).
    Heard(String),
    /// The caller pressed a key.
    Digit(char),
    /// The caller has said nothing for the silence timeout after the agent finished.
    Silence,
    /// The caller spoke, but nothing intelligible was heard (whisper returned no words).
    Unheard,
    /// The caller hung up.
    Hangup,
    /// The result of the last [`Action::Book`], [`Action::Move`] or [`Action::Cancel`]: the
    /// appointment's id, or why it failed.
    Calendar(Result<String, CalendarFailure>),
    /// The last [`Action::Transfer`] connected the caller to the human.
    Transferred,
    /// The last [`Action::Transfer`] failed: the caller is still with us.
    TransferFailed,
}

/// Why a calendar change failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarFailure {
    /// Someone else took the time first.
    Taken,
    /// The store could not be reached.
    Unavailable,
}

/// What the caller is expected to say next: the session waits longer for digits and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// Any answer.
    Free,
    /// An open request ("How can I help?"), often several sentences.
    Request,
    /// A phone number or other digits.
    Digits,
    /// Yes or no.
    YesNo,
    /// A message, which callers compose as they speak, with pauses.
    Message,
    /// A day and time, which callers think about as they speak.
    When,
    /// A name spelled out letter by letter, with pauses between letters and words.
    Spelling,
}

pub use crate::logic::domain::{Outcome, Summary};

/// Words a sentence does not end on: a caller whose words stop here has more to say.
const TRAILING: &[&str] = &[
    "and", "but", "or", "so", "because", "um", "uh", "er", "erm", "hmm", "the", "a", "an", "my",
    "is", "was", "to", "of", "at", "from", "with", "for", "this", "it's", "i'm", "i", "on", "in",
    "like", "then", "about", "that", "if", "it", "be", "me", "your", "our",
];

/// Words a message must have before a finished sentence of it may end the turn sooner: fewer
/// ("Yes, tell him.") is most often the start of one.
const MESSAGE_MIN_WORDS: usize = 4;

/// The lower-cased words of a transcript, punctuation trimmed.
fn plain_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// `text` with the g that a caller's written speech dropped put back ("Y'all got parkin'?",
/// "I'm fixin' to set up a meetin'"): every reader matches "parking" and "meeting".
fn g_restored(text: &str) -> Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let dropped = |i: usize| {
        // "in'" closing a word of at least four letters, not an "in'" of its own.
        chars[i] == 'n'
            && i >= 3
            && chars[i - 1] == 'i'
            && chars[i - 3..i - 1].iter().all(|c| c.is_alphabetic())
            && chars.get(i + 1).is_some_and(|c| matches!(c, '\'' | '’'))
            && chars.get(i + 2).is_none_or(|c| !c.is_alphanumeric())
    };
    if !(0..chars.len()).any(dropped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4);
    let mut skip = false;
    for (i, &c) in chars.iter().enumerate() {
        if skip {
            skip = false;
            continue;
        }
        out.push(c);
        if dropped(i) {
            out.push('g');
            skip = true;
        }
    }
    Cow::Owned(out)
}

/// Whether `text` trails off: an ellipsis, or a last word a sentence does not end on.
fn trails_off(text: &str) -> bool {
    let end = text.trim_end();
    end.ends_with("..")
        || end.ends_with('…')
        || plain_words(text)
            .last()
            .is_some_and(|w| TRAILING.contains(&w.as_str()))
}

/// Whether whisper ended `text` as a finished sentence (a full stop, not an ellipsis) on a word
/// a sentence can end on.
fn finished_sentence(text: &str) -> bool {
    !plain_words(text).is_empty() && !trails_off(text) && text.trim_end().ends_with(['.', '!', '?'])
}

/// The digits at the very end of `text` ("… is 617 555." → 6; "six one seven." → 3): a caller
/// reading out a number whose last group is not yet the whole of it.
fn trailing_digits(text: &str) -> usize {
    let mut n = 0;
    for raw in text.rsplit(|c: char| c.is_whitespace() || c == ',' || c == '-') {
        let w = raw
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if w.is_empty() {
            continue;
        }
        if w.chars().all(|c| c.is_ascii_digit()) {
            n += w.len();
        } else if !matches!(w.as_str(), "to" | "too" | "for")
            && understand::digit_word(&w).is_some()
        {
            n += 1;
        } else if !matches!(w.as_str(), "double" | "triple") {
            break;
        }
    }
    n
}

/// Whether `text`, the words a caller said before a pause, already answers a question that
/// expected `expect`, so the turn can end without waiting out the rest of the silence. Only
/// short answers qualify: a yes or a no; a finished sentence for an ordinary answer (not one
/// trailing off on "and", "um", "my number is"); a whole phone number (ten digits or more) or
/// "the number I'm calling from". Requests, messages, spellings and times are never complete
/// on their words alone, so a caller composing them is not cut off (a spelling that reaches
/// the last letter of the name heard is: see [`Dialog::turn_end`]).
pub fn complete_answer(expect: Expect, text: &str) -> bool {
    let words = plain_words(text);
    if words.is_empty() {
        return false;
    }
    let end = text.trim_end();
    let finished = finished_sentence(text);
    match expect {
        Expect::YesNo => {
            finished && words.len() <= 8 && understand::yes_no(text) != understand::YesNo::Unclear
        }
        Expect::Free => finished && words.len() <= 12,
        Expect::Digits => {
            let digits = understand::spoken_digits(text).len();
            let own_line = ["calling from", "this number", "this one", "the same number"]
                .iter()
                .any(|p| text.to_lowercase().contains(p));
            (finished && digits >= 10) || (own_line && digits == 0 && end.ends_with(['.', '!']))
        }
        Expect::Request | Expect::Message | Expect::When | Expect::Spelling => false,
    }
}

/// What the words a caller said before a pause say about ending their turn, given the question
/// asked (see [`Dialog::turn_end`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnEnd {
    /// A complete answer ([`complete_answer`]): the turn ends at the pause.
    Now,
    /// A finished sentence that does what was asked (a request the dialog understands, a day
    /// with a clock time, a message, a lone yes or no) that the caller may still add to: the
    /// turn ends after the understood silence (`understood_end_silence_ms`), not the question's
    /// longer one, nor the short one of a complete answer.
    Soon,
    /// Words still coming (a trailing "and", "um", "my number is", a phone number part read
    /// out): the turn waits the longest silence (`long_end_silence_ms`), whatever was asked.
    Later,
    /// Nothing either way: the question's own silence.
    AsAsked,
}

/// What a pause's words say about the turn's end, without the persona (see
/// [`Dialog::turn_end`], which also knows whom a request can name).
fn turn_end_of(expect: Expect, text: &str, understood_request: bool, name: &str) -> TurnEnd {
    if plain_words(text).is_empty() {
        return TurnEnd::AsAsked;
    }
    // A spelling through to the last letter of the name heard: callers spell in order.
    if expect == Expect::Spelling {
        let end = text.trim_end();
        let open = end.ends_with([',', '-']) || end.ends_with("..") || end.ends_with('…');
        return if !open && names::spelling_complete(name, text) {
            TurnEnd::Now
        } else {
            TurnEnd::AsAsked
        };
    }
    // A phone number's first groups ("No, it's 617."), even after a yes or a no; three digits
    // or more, or any when a number is asked for or spoken of ("2 pm" is not one).
    let lower = text.to_lowercase();
    let about_a_number = [
        "number",
        "phone",
        "cell",
        "reach me",
        "call me",
        "extension",
    ]
    .iter()
    .any(|k| lower.contains(k));
    let digits = trailing_digits(text);
    let number_part = (1..10).contains(&digits)
        && (expect == Expect::Digits || about_a_number || (digits >= 3 && expect != Expect::When));
    if !number_part && complete_answer(expect, text) {
        // A lone yes or no is where callers most often go on after a comma ("No, | it's 617
        // …", "Yes, | that's the best number"), a pause (about 300 ms) longer than the short
        // silence: it may still be added to.
        if expect == Expect::YesNo && plain_words(text).len() == 1 {
            return TurnEnd::Soon;
        }
        return TurnEnd::Now;
    }
    if trails_off(text) || number_part {
        return TurnEnd::Later;
    }
    if !finished_sentence(text) {
        return TurnEnd::AsAsked;
    }
    match expect {
        Expect::Request if understood_request => TurnEnd::Soon,
        // A message of a finished sentence: a caller who goes on over the read-back pauses it,
        // and what they add joins the message.
        Expect::Message if plain_words(text).len() >= MESSAGE_MIN_WORDS => TurnEnd::Soon,
        Expect::When => {
            // Any fixed day serves: only whether a day and a clock time were said matters.
            let any_day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap_or_default();
            let when = crate::logic::timeparse::parse(text, any_day);
            if when.date.is_some() && when.time.is_some() {
                TurnEnd::Soon
            } else {
                TurnEnd::AsAsked
            }
        }
        _ => TurnEnd::AsAsked,
    }
}

/// What the caller has told us so far, and what screening made of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CallerInfo {
    pub name: Option<String>,
    pub company: Option<String>,
    pub callback_number: Option<String>,
    pub purpose: Option<String>,
    pub message: Option<String>,
    pub category: Option<Category>,
    pub urgency: Option<Urgency>,
    /// Why the call must reach a human, once it must.
    pub escalation: Option<String>,
}

/// A meeting to put in the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub caller_name: Option<String>,
    pub caller_number: Option<String>,
    pub purpose: Option<String>,
}

/// What the session must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Speak `text`, then listen for `expect`.
    Say { text: String, expect: Expect },
    /// The caller's details changed: persist them.
    UpdateCaller(CallerInfo),
    /// Book a meeting; answer with [`Event::Calendar`].
    Book(Meeting),
    /// Move appointment `id`; answer with [`Event::Calendar`].
    Move {
        id: String,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// Cancel appointment `id`; answer with [`Event::Calendar`].
    Cancel { id: String },
    /// The call must reach a human, for `reason` (delivery is the session's job).
    Escalate { reason: String },
    /// Once what was said has played, transfer the live call to `to` (E.164); answer with
    /// [`Event::Transferred`] or [`Event::TransferFailed`].
    Transfer { to: String },
    /// The call's outcome and summary are known: persist them.
    SetOutcome { outcome: Outcome, summary: Summary },
    /// End the call once everything said so far has been played.
    Hangup,
}

/// What the caller came for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Goal {
    None,
    Book,
    Move,
    Cancel,
    Message,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    NotStarted,
    /// "How can I help?": a free request.
    Open,
    AskName,
    /// "Could you spell your name for me?"
    AskSpelling,
    /// "Let me check the spelling: N, G, O, Z, I. Is that right?"
    ConfirmSpelling,
    /// "Could you spell it once more, with a word for each letter, like A as in apple?"
    SpellWithWords,
    ConfirmCallerId,
    AskNumber,
    /// A spoken number is read back digit by digit.
    ConfirmNumber,
    AskPurpose,
    AskWhen,
    /// Alternatives were offered; the caller picks one or names another time.
    Choose,
    /// "Shall I book X?"
    ConfirmSlot,
    /// Waiting for [`Event::Calendar`].
    Pending,
    /// Waiting for [`Event::Transferred`] or [`Event::TransferFailed`]; the caller is on hold.
    Transferring,
    ConfirmCancel,
    /// The caller's appointment was not found under their name as heard: "which day is it?"
    AskBookedWhen,
    /// "I don't know that; shall I take a message?"
    OfferMessage,
    /// "I'm having trouble; a message or a person?"
    OfferHelp,
    AskMessage,
    ReadBack,
    AnythingElse,
    Done,
}

impl Stage {
    /// Whether the caller is asked for their name, its spelling or their number: an answer of
    /// words, which a "cheers" beside it thanks for rather than ends.
    fn answers_with_words(self) -> bool {
        self.is_spelling()
            || matches!(
                self,
                Stage::AskName | Stage::AskNumber | Stage::ConfirmNumber | Stage::ConfirmCallerId
            )
    }

    /// Whether the caller is spelling their name, or answering about its spelling: their words
    /// are letters, not a request, a sales pitch, a name said or a place.
    fn is_spelling(self) -> bool {
        matches!(
            self,
            Stage::AskSpelling | Stage::ConfirmSpelling | Stage::SpellWithWords
        )
    }
}

/// Something done on the call, for the outcome and the summary.
#[derive(Debug, Clone, PartialEq)]
enum Done {
    Answered(String),
    Booked(DateTime<Utc>),
    Moved {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    Cancelled(DateTime<Utc>),
    Message,
    Escalated(String),
    Transferred,
    SalesDeclined,
    Refused(&'static str),
}

/// The one retry policy: how many times in a row the question now pending went unanswered.
/// Asking another question starts afresh; after [`Retry::limit`] misses the dialog stops asking
/// and goes on with what it has (or offers help), rather than loop.
#[derive(Debug, Clone, Copy, Default)]
struct Retry {
    stage: Option<Stage>,
    count: u8,
}

impl Retry {
    /// How many misses a question gets: a proposed slot three (callers hedge), others two.
    fn limit(stage: Stage) -> u8 {
        if stage == Stage::ConfirmSlot {
            3
        } else {
            2
        }
    }

    /// Counts a miss of `stage`'s question; true (and the count cleared) when it is time to
    /// stop asking.
    fn gives_up(&mut self, stage: Stage) -> bool {
        // Asking for a number and reading it back are one question.
        let stage = match stage {
            Stage::ConfirmNumber | Stage::ConfirmCallerId => Stage::AskNumber,
            s => s,
        };
        if self.stage != Some(stage) {
            *self = Retry {
                stage: Some(stage),
                count: 0,
            };
        }
        self.count += 1;
        let done = self.count >= Self::limit(stage);
        if done {
            self.clear();
        }
        done
    }

    fn clear(&mut self) {
        *self = Retry::default();
    }
}

/// One call's dialog. A clone is the dialog as it stands: the conductor keeps one from before
/// the caller's last turn, to hear that turn again whole when the caller goes on with it.
#[derive(Clone)]
pub struct Dialog {
    persona: Arc<Persona>,
    stage: Stage,
    goal: Goal,
    started: Option<DateTime<Utc>>,
    caller_id: Option<String>,
    info: CallerInfo,
    booked: Vec<Booked>,
    /// The appointment being moved or cancelled.
    target: Option<Booked>,
    /// The slot proposed for confirmation.
    proposed: Option<DateTime<Utc>>,
    /// Alternatives offered.
    offered: Vec<DateTime<Utc>>,
    /// A day or time the caller gave before we were ready to use it.
    pending_when: Option<When>,
    /// The last words heard tried to say a time that was lost ("tomorrow at you": whisper's
    /// "two"), see [`understand::time_lost`].
    time_lost: bool,
    /// The day we asked the time on, after its time was lost: the answer's time is on it.
    day_asked: Option<NaiveDate>,
    /// The goal is a message only because the caller's words named nothing else (their first
    /// sentence may have arrived alone): a clear request that follows redirects the call.
    goal_guessed: bool,
    /// The caller would not give a name (asked twice): go on without it.
    name_declined: bool,
    /// A number the caller said, waiting for their confirmation.
    heard_number: Option<String>,
    /// The name was spelled out: a later hearing of it does not respell it.
    name_spelled: bool,
    /// The caller was asked to spell their name (once a call).
    spelling_asked: bool,
    /// The caller's own time zone, once they named one other than the persona's.
    caller_zone: Option<chrono_tz::Tz>,
    /// The caller asked for "next week" without a day: a weekday said later is that week's.
    next_week: bool,
    /// Goals the caller named for after the current one, in order.
    queued: Vec<Goal>,
    /// The caller had no topic to give (asked twice): book without one.
    purpose_skipped: bool,
    /// The day of the caller's appointment was asked (to find it under a name misheard).
    asked_booked_when: bool,
    /// How often the caller's appointment could not be found.
    not_found: u8,
    /// The message as last read back to the caller.
    read_back_message: Option<String>,
    /// The name said in the last read-back, to tell a correction heard the same way.
    read_back_name: Option<String>,
    /// Asked, at the read-back, to spell a name the caller corrected but was heard unchanged.
    respell_asked: bool,
    /// The utterance being handled asked what the agent can do, and that is answered.
    capability_answered: bool,
    /// How often the caller's time led back to the choices already offered, since the last
    /// proposal: the second time, the time is not asked for again.
    misheard_offers: u8,
    /// The caller asked whether the executive is free: the proposal says so.
    availability: bool,
    /// Whether a live transfer to the on-call human is possible on this call.
    transfer_available: bool,
    transfer_tried: bool,
    done: Vec<Done>,
    /// How often the current question went unanswered.
    retry: Retry,
    silences: u8,
    /// Utterances in a row of which nothing was heard.
    unheard: u8,
    last_prompt: Option<(String, Expect)>,
}

impl Dialog {
    /// A dialog for one call.
    pub fn new(persona: Arc<Persona>) -> Self {
        Self {
            persona,
            stage: Stage::NotStarted,
            goal: Goal::None,
            started: None,
            caller_id: None,
            info: CallerInfo::default(),
            booked: Vec::new(),
            target: None,
            proposed: None,
            offered: Vec::new(),
            pending_when: None,
            time_lost: false,
            day_asked: None,
            goal_guessed: false,
            name_declined: false,
            heard_number: None,
            name_spelled: false,
            spelling_asked: false,
            caller_zone: None,
            next_week: false,
            queued: Vec::new(),
            purpose_skipped: false,
            asked_booked_when: false,
            not_found: 0,
            read_back_message: None,
            read_back_name: None,
            respell_asked: false,
            capability_answered: false,
            misheard_offers: 0,
            availability: false,
            transfer_available: false,
            transfer_tried: false,
            done: Vec::new(),
            retry: Retry::default(),
            silences: 0,
            unheard: 0,
            last_prompt: None,
        }
    }

    /// Whether urgent calls may be transferred live to the on-call human on this call (the
    /// session knows the on-call window and whether transfer is configured).
    pub fn set_transfer_available(&mut self, available: bool) {
        self.transfer_available = available;
    }

    /// What we know about the caller.
    pub fn caller(&self) -> &CallerInfo {
        &self.info
    }

    /// What `text`, the words the caller said before a pause, say about ending their turn when
    /// the question asked expected `expect`: a complete answer ends it at the pause, a request
    /// this dialog understands, a day with a time or a lone yes or no after the understood
    /// silence, words trailing off or a phone number half read out only after the longest.
    pub fn turn_end(&self, expect: Expect, text: &str) -> TurnEnd {
        let persona = &self.persona;
        let understood = expect == Expect::Request
            && intent(text, &persona.assistant.name, &persona.executive).is_some();
        turn_end_of(
            expect,
            text,
            understood,
            self.info.name.as_deref().unwrap_or_default(),
        )
    }

    /// True once the dialog has said goodbye.
    pub fn is_done(&self) -> bool {
        self.stage == Stage::Done
    }

    /// Handles one event at instant `now`; returns what to do, in order.
    pub fn handle(&mut self, event: Event, now: DateTime<Utc>) -> Vec<Action> {
        let mut out = Vec::new();
        if self.stage == Stage::Done {
            return out;
        }
        match event {
            Event::CallStarted {
                caller_number,
                calendar,
            } => self.on_start(caller_number, calendar, now, &mut out),
            Event::Heard(text) => {
                let text = g_restored(text.trim());
                let text = names::as_known_places(&text, &self.persona.places);
                let text = text.as_str();
                if !text.is_empty() {
                    self.silences = 0;
                    self.unheard = 0;
                    self.time_lost = understand::time_lost(text);
                    self.on_heard(text, now, &mut out);
                }
            }
            Event::Digit(d) => {
                self.silences = 0;
                self.on_digit(d, now, &mut out);
            }
            Event::Silence => self.on_silence(now, &mut out),
            Event::Unheard => self.on_unheard(now, &mut out),
            Event::Hangup => {
                // A message heard but not yet confirmed still counts.
                if self.info.message.is_some() && !self.done.contains(&Done::Message) {
                    self.done.push(Done::Message);
                }
                self.stage = Stage::Done;
                self.push_outcome(now, &mut out);
            }
            Event::Calendar(result) => self.on_calendar(result, now, &mut out),
            Event::Transferred if self.stage == Stage::Transferring => {
                self.done.push(Done::Transferred);
                self.stage = Stage::Done;
                self.push_outcome(now, &mut out);
            }
            Event::TransferFailed if self.stage == Stage::Transferring => {
                if self.goal == Goal::None || self.goal_guessed {
                    self.goal = Goal::Message;
                }
                let first = self.line("transfer_failed", &[]);
                self.say_then(&mut out, first, |d, o| d.next_step(now, o));
            }
            Event::Transferred | Event::TransferFailed => {}
        }
        out
    }

    // ----- speaking -------------------------------------------------------------------------

    fn line(&self, key: &str, vars: &[(&str, &str)]) -> String {
        let first = self.caller_first();
        let mut all: Vec<(&str, &str)> = vars.to_vec();
        all.push(("caller_first", first.as_str()));
        let text = self.persona.line(key, &all);
        // A line written for a named caller reads well without the name too.
        text.replace(", .", ".")
            .replace(", ?", "?")
            .replace(",  ", ", ")
            .replace(" ,", ",")
            .replace("  ", " ")
    }

    fn say(&mut self, out: &mut Vec<Action>, text: String, expect: Expect) {
        self.last_prompt = Some((text.clone(), expect));
        out.push(Action::Say { text, expect });
    }

    fn say_line(
        &mut self,
        out: &mut Vec<Action>,
        key: &str,
        vars: &[(&str, &str)],
        expect: Expect,
    ) {
        let text = self.line(key, vars);
        self.say(out, text, expect);
    }

    /// Says `first` and the next question together, as one turn.
    fn say_then(
        &mut self,
        out: &mut Vec<Action>,
        first: String,
        next: impl FnOnce(&mut Self, &mut Vec<Action>),
    ) {
        let mut rest = Vec::new();
        next(self, &mut rest);
        let mut joined = false;
        for a in rest {
            match a {
                Action::Say { text, expect } if !joined => {
                    joined = true;
                    let both = format!("{first} {text}");
                    self.last_prompt = Some((both.clone(), expect));
                    out.push(Action::Say { text: both, expect });
                }
                other => out.push(other),
            }
        }
        if !joined {
            self.say(out, first, Expect::Free);
        }
    }

    fn caller_first(&self) -> String {
        self.info
            .name
            .as_deref()
            .and_then(|n| n.split_whitespace().next())
            .unwrap_or("")
            .to_string()
    }

    fn calendar(&self) -> Calendar<'_> {
        Calendar::new(&self.persona.meetings, self.persona.timezone, &self.booked)
    }

    /// A slot as said aloud: in the persona's zone, and in the caller's too once they named
    /// theirs ("Monday, December 7th at 10 AM Boston time, 3 PM for you").
    fn speak_slot(&self, start: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let tz = self.persona.timezone;
        let ours = calendar::speak(start, tz, now);
        let Some(theirs) = self.caller_zone else {
            return ours;
        };
        let time = speak_time(start.with_timezone(&tz).time());
        let both = zone::speak_both(start, tz, &self.persona.city, theirs, "for you");
        match ours.strip_suffix(&time) {
            Some(day) => format!("{day}{both}"),
            None => ours,
        }
    }

    fn local_now(&self, now: DateTime<Utc>) -> NaiveDateTime {
        now.with_timezone(&self.persona.timezone).naive_local()
    }

    // ----- the call's start -----------------------------------------------------------------

    fn on_start(
        &mut self,
        caller_number: Option<String>,
        booked: Vec<Booked>,
        now: DateTime<Utc>,
        out: &mut Vec<Action>,
    ) {
        self.started = Some(now);
        self.booked = booked;
        self.caller_id = caller_number.as_deref().and_then(usable_caller_id);
        let known = self
            .caller_id
            .as_deref()
            .and_then(|n| self.persona.screening.by_number(n))
            .map(|(cat, who)| (cat, who.cloned()));
        let part = self.persona.part_of_day(now);
        match known {
            Some((Category::Blocked, _)) => {
                self.info.category = Some(Category::Blocked);
                out.push(Action::UpdateCaller(self.info.clone()));
                self.done.push(Done::Refused("blocked number"));
                let text = self.line("blocked", &[]);
                self.finish(out, text, now);
                return;
            }
            Some((cat, who)) => {
                self.info.category = Some(cat);
                let by_contact = who
                    .as_ref()
                    .and_then(|w| self.persona.screening.contact_escalation(w));
                if let Some(who) = who {
                    self.info.name = Some(who.name.clone());
                    self.info.company = who.company.clone();
                    // Their listed number called: no need to confirm it.
                    self.info.callback_number = self.caller_id.clone();
                }
                out.push(Action::UpdateCaller(self.info.clone()));
                self.stage = Stage::Open;
                self.say_line(
                    out,
                    "greeting_known",
                    &[("part_of_day", part)],
                    Expect::Request,
                );
                if cat == Category::Vip {
                    self.escalate_by_rules(out);
                }
                if let Some(reason) = by_contact.filter(|_| self.info.escalation.is_none()) {
                    self.escalate(reason, out);
                }
                return;
            }
            None => {}
        }
        let key = if self.persona.in_office_hours(now) {
            "greeting_in_hours"
        } else {
            "greeting_after_hours"
        };
        self.stage = Stage::Open;
        self.say_line(out, key, &[("part_of_day", part)], Expect::Request);
    }

    // ----- hearing --------------------------------------------------------------------------

    /// Speech that whisper made nothing of: "sorry, I didn't catch that" and the question again
    /// (the caller did speak, so it is no silence); three in a row are treated as a silence.
    fn on_unheard(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        self.unheard += 1;
        if self.unheard >= 3 {
            self.unheard = 0;
            self.on_silence(now, out);
            return;
        }
        self.ask_again("not_heard", out);
    }

    /// Line `lead` ("are you still there?", "sorry, I didn't catch that"), then the pending
    /// question again, unchanged (it is not a new question: no retry is counted).
    fn ask_again(&mut self, lead: &str, out: &mut Vec<Action>) {
        let (again, expect) = self
            .last_prompt
            .clone()
            .unwrap_or((String::new(), Expect::Free));
        let text = format!("{} {}", self.line(lead, &[]), again);
        out.push(Action::Say {
            text: text.trim().to_string(),
            expect,
        });
    }

    fn on_silence(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        self.silences += 1;
        if self.silences >= 2 {
            let text = self.line("goodbye_silence", &[]);
            self.finish(out, text, now);
            return;
        }
        self.ask_again("still_there", out);
    }

    fn on_digit(&mut self, digit: char, now: DateTime<Utc>, out: &mut Vec<Action>) {
        if digit == '0' {
            self.ask_for_person("caller pressed 0", now, out);
            return;
        }
        let confirming = matches!(
            self.stage,
            Stage::ReadBack
                | Stage::ConfirmCallerId
                | Stage::ConfirmNumber
                | Stage::ConfirmSlot
                | Stage::ConfirmCancel
                | Stage::OfferMessage
                | Stage::AnythingElse
        );
        let words = match (confirming, digit) {
            (true, '1') => "yes",
            (true, '2') => "no",
            (false, '1') if self.stage == Stage::Choose => "the first one",
            (false, '2') if self.stage == Stage::Choose => "the second one",
            _ => return,
        };
        self.on_heard(words, now, out);
    }

    fn on_heard(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        if self.stage == Stage::Transferring {
            // On hold while the transfer connects.
            return;
        }
        let persona = self.persona.clone();
        let screening = &persona.screening;
        // Robocalls are refused whenever they show themselves.
        if matches!(self.stage, Stage::Open | Stage::AskName) && screening.is_spam(text) {
            self.info.category = Some(Category::Spam);
            out.push(Action::UpdateCaller(self.info.clone()));
            self.done.push(Done::Refused("robocall or scam"));
            let t = self.line("spam", &[]);
            self.finish(out, t, now);
            return;
        }
        // "Sorry, what was that?", "you can repeat, please?": the last question again, word for
        // word (not a miss, and not an answer to it).
        if (understand::asks_to_repeat(text) || understand::waits_then_goes_on(text))
            && self.stage != Stage::AskMessage
        {
            if let Some((again, expect)) = self.last_prompt.clone() {
                out.push(Action::Say {
                    text: again,
                    expect,
                });
                return;
            }
        }
        // "Sorry, what was that? Oh, my name, Tomasz Kowalczyk.": the answer after asking to
        // hear the question again is the answer.
        if !matches!(
            self.stage,
            Stage::Open | Stage::AnythingElse | Stage::AskMessage
        ) {
            if let Some(answer) = understand::answer_after_check_back(text) {
                self.on_heard(&answer, now, out);
                return;
            }
        }
        // "Wait, is this a real person?" later in the call, where a question was put: who
        // answers, then that question again, or the rest of what was said (a question about
        // the agent is no request for a person, nor an answer).
        if !matches!(
            self.stage,
            Stage::Open | Stage::AnythingElse | Stage::AskMessage
        ) {
            let sentences = understand::sentences(text);
            if sentences.iter().any(|s| understand::asks_who_answers(s)) {
                let rest: Vec<&str> = sentences
                    .iter()
                    .copied()
                    .filter(|s| !understand::asks_who_answers(s))
                    .filter(|s| understand::content_words(s) >= 1)
                    .collect();
                let first = self.line("who_am_i", &[]);
                if !rest.is_empty() {
                    let rest = rest.join(" ");
                    self.say_then(out, first, |d, o| d.on_heard(&rest, now, o));
                    return;
                }
                if let Some((again, expect)) = self.last_prompt.clone() {
                    out.push(Action::Say {
                        text: format!("{first} {again}"),
                        expect,
                    });
                    return;
                }
            }
        }
        // "Does it matter? It's the lease.", "Do I have to say?" where a question was put: the
        // answer said with it is the answer; with none, why it is asked, then the question again.
        if !matches!(
            self.stage,
            Stage::Open | Stage::AnythingElse | Stage::AskMessage
        ) {
            let (asking, rest): (Vec<&str>, Vec<&str>) = understand::sentences(text)
                .into_iter()
                .partition(|s| understand::questions_the_question(s));
            if !asking.is_empty() {
                let rest: Vec<&str> = rest
                    .into_iter()
                    .filter(|s| understand::content_words(s) >= 1)
                    .collect();
                if !rest.is_empty() {
                    let rest = rest.join(" ");
                    self.on_heard(&rest, now, out);
                    return;
                }
                if let Some((again, expect)) = self.last_prompt.clone() {
                    let why = self.line("why_asked", &[]);
                    out.push(Action::Say {
                        text: format!("{why} {again}"),
                        expect,
                    });
                    return;
                }
            }
        }
        // "Who am I speaking with?", "Is this a robot?" before the request: who answers, then
        // the rest of what was said, as if said alone (a question about the agent is no request
        // for a person).
        if matches!(self.stage, Stage::Open | Stage::AnythingElse) {
            let sentences = understand::sentences(text);
            if sentences.iter().any(|s| understand::asks_who_answers(s)) {
                // Bridges ("No matter.", "Okay, whatever, anyway.") go with the question.
                let rest: Vec<&str> = sentences
                    .iter()
                    .copied()
                    .filter(|s| !understand::asks_who_answers(s))
                    .filter(|s| {
                        s.split_whitespace().count() > 3
                            || intent(s, &persona.assistant.name, &persona.executive).is_some()
                    })
                    .collect();
                let rest = rest.join(" ");
                let first = self.line("who_am_i", &[]);
                if rest.is_empty() {
                    let help = self.line("how_can_i_help", &[]);
                    self.say(out, format!("{first} {help}"), Expect::Request);
                } else {
                    self.say_then(out, first, |d, o| d.on_heard(&rest, now, o));
                }
                return;
            }
        }
        // "Can you even move meetings? I've got one that needs moving.", "Will Alex actually
        // see a message if I leave one?": yes, then what was said, as if said plainly (the goal
        // the question carries is meant; the question is no message, see `reading::content`).
        if matches!(self.stage, Stage::Open | Stage::AnythingElse) && !self.capability_answered {
            let asked = understand::sentences(text)
                .into_iter()
                .find_map(|s| understand::capability_asked(s, &persona.executive));
            if let Some(key) = asked {
                let first = self.line(key, &[]);
                self.capability_answered = true;
                self.say_then(out, first, |d, o| d.on_heard(text, now, o));
                self.capability_answered = false;
                return;
            }
        }
        let heard = reading::read(text, &persona.executive);
        self.absorb(text, &heard, out);
        // Urgency can surface at any point; it only ever rises. Not from a name ("Cormac
        // Fire", whisper's "Byrne"), nor from what a meeting being booked is about: "to
        // discuss the warehouse police" (whisper's "lease") or "about the hospital contract"
        // is the topic; the rest of the answer still counts ("…, and it's urgent").
        let judged = match understand::topic(text) {
            Some(topic) if self.stage == Stage::AskPurpose && self.goal == Goal::Book => {
                let clause = topic.split(',').next().unwrap_or_default();
                text.replacen(clause, " ", 1)
            }
            _ => text.to_string(),
        };
        let urgency = screening.urgency(&without_name(&judged));
        let asked = intent(text, &persona.assistant.name, &persona.executive);
        let asked = match asked {
            // Asking for the executive in the middle of something else changes nothing.
            Some(Intent::Executive) if !matches!(self.stage, Stage::Open | Stage::AnythingElse) => {
                None
            }
            other => other,
        };
        if urgency > self.info.urgency.unwrap_or(Urgency::Routine)
            && !matches!(asked, Some(Intent::Book | Intent::Move | Intent::Cancel))
        {
            self.info.urgency = Some(urgency);
            if self.info.escalation.is_none() {
                out.push(Action::UpdateCaller(self.info.clone()));
                if self.escalate_by_rules(out) {
                    // Tell the caller, then carry on with what is still needed for a callback.
                    self.info.purpose.get_or_insert_with(|| text.to_string());
                    if self.goal == Goal::None || self.goal_guessed {
                        self.goal = Goal::Message;
                    }
                    // The matter said with the alarm ("it's about the term sheet, they pull
                    // out in the morning") is what to pass on: not asked for again.
                    if self.goal == Goal::Message {
                        self.note_matter(text, out);
                    }
                    self.handoff("escalate_urgent", now, out);
                    return;
                }
            }
        }
        // Selling shows itself at any point; a booking in progress becomes a message. Not in
        // letters spelled ("S. E. O." is Seo-yeon, not search-engine marketing).
        if screening.is_sales(&without_name(text))
            && !matches!(self.stage, Stage::Open | Stage::AnythingElse)
            && !self.stage.is_spelling()
            && !matches!(
                self.info.category,
                Some(Category::Vip | Category::Known | Category::Sales)
            )
        {
            self.info.category = Some(Category::Sales);
            out.push(Action::UpdateCaller(self.info.clone()));
            if !self.done.contains(&Done::SalesDeclined) {
                self.done.push(Done::SalesDeclined);
            }
            if matches!(self.goal, Goal::Book) {
                self.goal = Goal::Message;
                let first = self.line("sales", &[]);
                self.say_then(out, first, |d, o| d.next_step(now, o));
                return;
            }
        }
        if self.goal_guessed
            && matches!(asked, Some(Intent::Book | Intent::Move | Intent::Cancel))
            && matches!(
                self.stage,
                Stage::AskName | Stage::ConfirmCallerId | Stage::AskNumber
            )
        {
            self.on_request(text, asked, now, out);
            return;
        }
        // A meeting under way given up for a message ("No, just a message for Alex, that's
        // all."): the message is taken, not the call ended or the day asked again.
        if matches!(self.goal, Goal::Book | Goal::Move)
            && matches!(
                self.stage,
                Stage::AskPurpose | Stage::AskWhen | Stage::Choose | Stage::ConfirmSlot
            )
            && understand::prefers_message(text, &persona.assistant.name, &persona.executive)
        {
            self.goal = Goal::Message;
            self.proposed = None;
            self.offered.clear();
            self.retry.clear();
            self.next_step(now, out);
            return;
        }
        // "Bye" ends the call from anywhere but the middle of a message.
        if understand::wants_to_end(text)
            && understand::content_words(text) <= 4
            && !matches!(self.stage, Stage::AskMessage | Stage::Open)
            // "Seo-yeon Choi, cheers." answers the name question and thanks for it.
            && !(self.stage.answers_with_words() && understand::thanks_beside_an_answer(text))
        {
            self.wrap_up(now, out);
            return;
        }
        // A side question ("what's your address?") in the middle of something is answered, then
        // the pending question is asked again.
        if !matches!(
            self.stage,
            Stage::Open | Stage::AnythingElse | Stage::AskMessage | Stage::ReadBack
        ) && understand::is_question(text)
        {
            if let Some(a) = self.persona.faq.answer(&understand::without_dates(text)) {
                let answer = a.answer.to_string();
                self.note_answered(a.id.to_string());
                let (again, expect) = self
                    .last_prompt
                    .clone()
                    .unwrap_or((String::new(), Expect::Free));
                out.push(Action::Say {
                    text: format!("{answer} {again}").trim().to_string(),
                    expect,
                });
                return;
            }
        }
        if asked == Some(Intent::Person)
            && !matches!(self.stage, Stage::AskMessage | Stage::ReadBack)
        {
            // What else they said is the purpose: "Can I speak to someone? It's the contract."
            let rest: Vec<&str> = text
                .split_inclusive(['.', '?', '!'])
                .map(str::trim)
                .filter(|s| {
                    intent(s, &persona.assistant.name, &persona.executive) != Some(Intent::Person)
                })
                .collect();
            self.note_purpose(&rest.join(" "), out);
            self.ask_for_person("caller asked for a person", now, out);
            return;
        }
        match self.stage {
            Stage::NotStarted | Stage::Done | Stage::Pending | Stage::Transferring => {}
            Stage::Open | Stage::AnythingElse => self.on_request(text, asked, now, out),
            Stage::AskName => self.on_name(text, now, out),
            Stage::AskSpelling => self.on_spelling(text, now, out),
            Stage::ConfirmSpelling => self.on_confirm_spelling(text, now, out),
            Stage::SpellWithWords => self.on_spelling_with_words(text, now, out),
            Stage::ConfirmCallerId => self.on_confirm_caller_id(text, now, out),
            Stage::AskNumber => self.on_number(text, now, out),
            Stage::ConfirmNumber => self.on_confirm_number(text, now, out),
            Stage::AskWhen | Stage::Choose | Stage::AskPurpose
                if understand::wants_to_end(text) =>
            {
                self.wrap_up(now, out)
            }
            Stage::AskPurpose => {
                // A caller may give the time with the purpose, or only the time.
                let when = self.wish(text, now);
                // With a day or time, the rest is a topic only when it says more than the
                // time does: a time in the caller's zone ("Tuesday at 3pm my time, London
                // time") or a time corrected ("scratch that, make it Friday at 11") is none.
                let beside_time = understand::without_dates(text);
                let topic = understand::topic(text)
                    .or_else(|| reading::content(text, &persona.executive))
                    .filter(|t| understand::content_words(t) >= 1)
                    .filter(|_| {
                        when.is_empty()
                            || understand::topic(text).is_some()
                            || (understand::content_words(&beside_time) >= 4
                                && !reading::corrects(text)
                                && zone::caller_zone(text).is_none())
                    });
                match topic {
                    Some(t) => {
                        self.info.purpose = Some(t);
                        out.push(Action::UpdateCaller(self.info.clone()));
                    }
                    // Only a time: book without a topic.
                    None if !when.is_empty() => self.purpose_skipped = true,
                    // "Yes, please" is no topic.
                    None if self.retry.gives_up(self.stage) => self.purpose_skipped = true,
                    None => {
                        self.say_line(out, "ask_purpose", &[], Expect::Free);
                        return;
                    }
                }
                if !when.is_empty() {
                    self.pending_when = Some(when);
                }
                self.next_step(now, out);
            }
            Stage::AskWhen | Stage::Choose => self.on_when_text(text, now, out),
            Stage::ConfirmSlot => self.on_confirm_slot(text, now, out),
            Stage::ConfirmCancel => match yes_no(text) {
                YesNo::Yes => {
                    if let Some(t) = &self.target {
                        self.stage = Stage::Pending;
                        out.push(Action::Cancel { id: t.id.clone() });
                    }
                }
                YesNo::No => {
                    self.goal = Goal::None;
                    self.target = None;
                    self.stage = Stage::AnythingElse;
                    self.say_line(out, "keep_appointment", &[], Expect::Request);
                }
                YesNo::Unclear => {
                    // The cancel's own question again, not the message's ("Is the message right?").
                    let slot = self
                        .target
                        .as_ref()
                        .map(|t| self.speak_slot(t.start, now))
                        .unwrap_or_default();
                    let vars = [("slot", slot.as_str())];
                    self.miss_with(out, "confirm_cancel_again", &vars, Expect::YesNo);
                }
            },
            Stage::OfferMessage => match yes_no(text) {
                YesNo::Yes => {
                    self.goal = Goal::Message;
                    self.next_step(now, out);
                }
                YesNo::No => self.anything_else(out),
                YesNo::Unclear => self.on_request(text, asked, now, out),
            },
            Stage::OfferHelp => {
                let lower = text.to_lowercase();
                if lower.contains("message") || yes_no(text) == YesNo::Yes {
                    self.goal = Goal::Message;
                    self.retry.clear();
                    self.next_step(now, out);
                } else if lower.contains("person")
                    || lower.contains("someone")
                    || lower.contains("human")
                {
                    self.ask_for_person("caller asked for a person", now, out);
                } else {
                    // Still not understood after two misses: a person should help. Keep what
                    // was said and hand the call on.
                    self.info.purpose.get_or_insert_with(|| text.to_string());
                    if self.info.escalation.is_none() {
                        self.escalate("repeated misunderstanding".into(), out);
                    }
                    self.goal = Goal::Message;
                    self.handoff("escalate_misunderstood", now, out);
                }
            }
            Stage::AskBookedWhen => self.on_booked_when(text, now, out),
            Stage::AskMessage => self.on_message(text, asked, now, out),
            Stage::ReadBack => self.on_read_back(text, now, out),
        }
    }

    /// The answer to "what would you like me to tell Alex?": what it carries to pass on is the
    /// message; a number, a name, a yes or a goodbye are never the message.
    fn on_message(
        &mut self,
        text: &str,
        asked: Option<Intent>,
        now: DateTime<Utc>,
        out: &mut Vec<Action>,
    ) {
        if let Some(m) = reading::content(text, &self.persona.executive) {
            self.retry.clear();
            self.info.message = Some(m);
            out.push(Action::UpdateCaller(self.info.clone()));
            // A number given with the message is read back first.
            if self.heard_number.is_some() {
                self.next_step(now, out);
            } else {
                self.read_back(out);
            }
            return;
        }
        if self.heard_number.is_some() {
            // A number where the message was asked: confirm it, then ask again.
            self.next_step(now, out);
            return;
        }
        let closing = understand::wants_to_end(text) || asked == Some(Intent::Done);
        // Digits alone (the number they already gave, say) are not something to pass on.
        let words: String = text.chars().filter(|c| !c.is_ascii_digit()).collect();
        if !closing && yes_no(text) == YesNo::Unclear && understand::content_words(&words) >= 1 {
            // "Call me." is a message when it answers the question.
            self.retry.clear();
            self.info.message = Some(text.to_string());
            out.push(Action::UpdateCaller(self.info.clone()));
            self.read_back(out);
            return;
        }
        if closing || self.retry.gives_up(self.stage) {
            // Nothing more to say: what they called about is the message, if anything.
            if self.info.message.is_none() {
                let exec = &self.persona.executive;
                self.info.message = self.info.purpose.clone().filter(|p| {
                    understand::topic(p).is_some() || reading::content(p, exec).is_some()
                });
            }
            if self.info.message.is_some() {
                out.push(Action::UpdateCaller(self.info.clone()));
                self.read_back(out);
            } else {
                self.goal = Goal::None;
                self.wrap_up(now, out);
            }
            return;
        }
        self.say_line(out, "ask_message_again", &[], Expect::Message);
    }

    /// The answer to the message's read-back: a yes takes it; a no with a new name, number or
    /// message applies it and reads back again; a bare no asks for the message again.
    fn on_read_back(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let answer = yes_no(text);
        let before = self.info.message.clone().unwrap_or_default();
        let renamed = understand::extract_name_lead(text).is_some();
        // "No, my name is …" with a name whisper made nothing of ("all the way soon"): the
        // name is what they correct, not the message.
        let about_name = !renamed && understand::corrects_name(text);
        let restated = reading::content(text, &self.persona.executive)
            .filter(|m| Some(m) != self.info.message.as_ref() && answer != YesNo::Yes)
            .filter(|_| !about_name)
            // A message restated is a sentence, not two words whisper made of "that's wrong".
            .filter(|m| understand::content_words(m) >= 3)
            // An unclear answer adds to the message only when it says something new and of
            // substance: "whatever, that fine" (a muddled yes) is asked again, never appended.
            // Nor does the rest of a name correction ("No, my name is Alex, all you learn":
            // the surname misheard) replace the message.
            .filter(|m| {
                (answer != YesNo::Unclear && !renamed)
                    || (understand::content_words(m) >= 3 && !before.contains(m.as_str()))
            });
        // "No, my name is …" heard as the name already read back: reading it back again would
        // loop; the caller spells it (once).
        let unchanged = self.info.name.is_some() && self.info.name == self.read_back_name;
        if ((renamed && unchanged) || about_name) && answer != YesNo::Yes && !self.respell_asked {
            self.respell_asked = true;
            self.stage = Stage::AskSpelling;
            self.say_line(out, "ask_name_spelled", &[], Expect::Spelling);
            return;
        }
        if about_name && answer != YesNo::Yes {
            // Spelled already and still not understood: the message stands, with the name as
            // best heard (the recording has the rest), rather than a loop.
            self.message_taken(now, out);
            return;
        }
        if let Some(m) = restated {
            // "No, …" restates the message; anything else adds to it.
            self.info.message = match (answer, self.info.message.take()) {
                (YesNo::Unclear, Some(before)) => Some(format!("{before} {m}")),
                _ => Some(m),
            };
            out.push(Action::UpdateCaller(self.info.clone()));
        }
        if self.heard_number.is_some() {
            // "No, my number is …": read it back, then the whole message again.
            let n = self.heard_number.clone().unwrap_or_default();
            self.confirm_number(n, out);
            return;
        }
        // "No, please call me on …" with digits heard too few or too many: the number is what
        // they are correcting, not the message (digits inside a restated message are not).
        let lower = text.to_lowercase();
        let about_number = ["number", "call me", "reach me", "call back"]
            .iter()
            .any(|w| lower.contains(w))
            || text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count()
                < 4;
        if answer != YesNo::Yes && about_number && understand::spoken_digits(text).len() >= 6 {
            if self.retry.gives_up(Stage::AskNumber) {
                self.retry.clear();
            } else {
                self.stage = Stage::AskNumber;
                self.say_line(out, "ask_number_again", &[], Expect::Digits);
                return;
            }
        }
        if answer != YesNo::Yes
            && (renamed || self.info.message.as_deref() != self.read_back_message.as_deref())
        {
            self.read_back(out);
            return;
        }
        match answer {
            YesNo::Yes => self.message_taken(now, out),
            YesNo::No => {
                self.stage = Stage::AskMessage;
                self.info.message = None;
                self.say_line(out, "fix_message", &[], Expect::Message);
            }
            YesNo::Unclear => {
                if self.retry.gives_up(self.stage) {
                    // The message is stored; take it as it is rather than loop.
                    self.message_taken(now, out);
                } else {
                    self.say_line(out, "confirm_again", &[], Expect::YesNo);
                }
            }
        }
    }

    /// The day and time the caller wished for, corrections applied, in the persona's zone
    /// (understood in the caller's own zone when they named one). A time that does not exist
    /// in the caller's zone (the spring DST gap) is no wish at all.
    /// (`absorb` has already taken the zone the utterance names.)
    fn wish(&self, text: &str, now: DateTime<Utc>) -> When {
        let text = &self.in_week_asked(text);
        let Some(z) = self.caller_zone else {
            return reading::corrected_when(text, self.local_now(now));
        };
        let theirs = reading::corrected_when(text, zone::local_now(now, z));
        zone::wish_to_persona(&theirs, z, self.persona.timezone, now).unwrap_or_default()
    }

    /// Whether every sentence of `text` that names a day or time tells what happened
    /// ([`understand::told_as_past`]): "So I was at the office today and the prototype passed"
    /// wishes for no meeting today.
    fn days_told_as_past(&self, text: &str, now: DateTime<Utc>) -> bool {
        let dated = |t: &str| !self.wish(t, now).is_empty();
        let mut sentences = understand::sentences(text)
            .into_iter()
            .filter(|s| dated(s))
            .peekable();
        sentences.peek().is_some() && sentences.all(|s| understand::told_as_past(s, dated))
    }

    /// `text` with a bare weekday put in the week the caller asked for earlier ("sometime next
    /// week", then "Wednesday at 3" is next week's Wednesday). A weekday said with its own
    /// week or day ("this Wednesday", "tomorrow", "the 2nd") is left as said.
    fn in_week_asked<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        const WEEKDAYS: [&str; 7] = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        if !self.next_week {
            return text.into();
        }
        let lower = understand::lower_keeping_offsets(text);
        let words = screen::words(&lower);
        let own = [
            "this",
            "next",
            "coming",
            "following",
            "week",
            "tomorrow",
            "today",
            "tonight",
        ]
        .iter()
        .any(|w| words.contains(&format!(" {w} ")))
            || words.split_whitespace().any(|w| {
                w.starts_with(|c: char| c.is_ascii_digit()) && w.ends_with(['h', 'd', 't'])
            });
        let at = WEEKDAYS.iter().filter_map(|d| lower.find(d)).min();
        match at {
            Some(i) if !own => format!("{}next week on {}", &text[..i], &text[i..]).into(),
            _ => text.into(),
        }
    }

    /// Keeps what the caller volunteered, whatever was asked: their name, a number to call back
    /// (read back before it is kept), their time zone.
    fn absorb(&mut self, text: &str, heard: &reading::Reading, out: &mut Vec<Action>) {
        // A place in the caller's company ("Kwame Mensah of Seoul Bridge Ventures") is who
        // they are, not the clock they speak in.
        let company = names::extract_name(text).and_then(|found| found.company);
        let places = match &company {
            Some(c) => std::borrow::Cow::Owned(text.replace(c.as_str(), "")),
            None => std::borrow::Cow::Borrowed(text),
        };
        // Nor is a word spelling a letter ("Z as in Zulu", "I as in India").
        if let Some(z) = zone::caller_zone(&places).filter(|_| !self.stage.is_spelling()) {
            self.caller_zone = (z != self.persona.timezone).then_some(z);
        }
        // "Sometime next week" (no day yet) sets the week; "this week" or a day there unsets it.
        let words = screen::words(text);
        if words.contains(" next week ") {
            let any_day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap_or_default();
            self.next_week = crate::logic::timeparse::parse(text, any_day).date.is_none();
        } else if words.contains(" this week ") {
            self.next_week = false;
        }
        if !matches!(
            self.stage,
            Stage::AskName | Stage::Pending | Stage::Transferring | Stage::NotStarted
        ) && !self.stage.is_spelling()
        {
            if let Some(n) = understand::extract_name_lead(text) {
                self.set_name(n, out);
            }
        }
        // What to pass on, said while a message's details are asked for.
        if self.goal == Goal::Message
            && !matches!(
                self.stage,
                Stage::Open | Stage::AnythingElse | Stage::AskMessage | Stage::ReadBack
            )
        {
            if let Some(c) = reading::passed_on(text, &self.persona.executive) {
                if self.info.message.is_none() {
                    self.info.message = Some(c);
                    out.push(Action::UpdateCaller(self.info.clone()));
                }
            }
        }
        if matches!(
            self.stage,
            Stage::AskNumber | Stage::ConfirmNumber | Stage::ConfirmCallerId
        ) {
            return;
        }
        // Letters spelled with words ("Oh, for Oscar, … B for boy, for Alpha") are no number
        // unless its digits are written as digits.
        if self.stage.is_spelling() && text.chars().filter(char::is_ascii_digit).count() < 7 {
            return;
        }
        if heard.own_number && self.caller_id.is_some() {
            if self.info.callback_number.is_none() {
                self.heard_number = None;
                self.info.callback_number = self.caller_id.clone();
                out.push(Action::UpdateCaller(self.info.clone()));
            }
        } else if let Some(n) = heard.number.clone() {
            let kept = self
                .info
                .callback_number
                .as_deref()
                .is_some_and(|c| screen::same_number(c, &n));
            if !kept {
                self.heard_number = Some(n);
            }
        }
    }

    /// What the caller wants passed on, when this utterance carries it: kept as the message.
    fn note_content(&mut self, text: &str, out: &mut Vec<Action>) {
        if self.info.message.is_none() {
            if let Some(c) = reading::content(text, &self.persona.executive) {
                self.info.message = Some(c);
                out.push(Action::UpdateCaller(self.info.clone()));
            }
        }
    }

    /// The matter an urgent caller gave with their alarm, kept as the message: the clauses
    /// that are neither the alarm ("it's urgent", "this is an emergency") nor the asking
    /// ("I need to reach Alex tonight", "can I speak to someone?"). Nothing kept when the
    /// caller said only those: the message is then asked for.
    fn note_matter(&mut self, text: &str, out: &mut Vec<Action>) {
        let persona = self.persona.clone();
        let matter: Vec<&str> = text
            .split_inclusive(['.', '?', '!', ','])
            .map(str::trim)
            .filter(|clause| {
                let bare = without_name(clause);
                let asking = intent(clause, &persona.assistant.name, &persona.executive)
                    .is_some_and(|i| matches!(i, Intent::Executive | Intent::Person))
                    || reading::read(clause, &persona.executive).needs_now;
                let alarm = persona.screening.urgency(&bare) > Urgency::Routine
                    && understand::content_words(&bare) <= 3;
                !asking && !alarm
            })
            .collect();
        let matter = matter.join(" ");
        let matter = matter.trim_end_matches([',', ' ']);
        self.note_content(matter, out);
    }

    /// A free request: what does the caller want?
    fn on_request(
        &mut self,
        text: &str,
        asked: Option<Intent>,
        now: DateTime<Utc>,
        out: &mut Vec<Action>,
    ) {
        // A caller the rules escalate (a VIP, the board) goes straight to the human when one is
        // on call.
        if self.info.escalation.is_some() && self.transfer_available && !self.transfer_tried {
            self.info.purpose.get_or_insert_with(|| text.to_string());
            self.goal = Goal::Message;
            out.push(Action::UpdateCaller(self.info.clone()));
            self.handoff("escalate_person", now, out);
            return;
        }
        // Understood requests start the count afresh; a miss adds to the earlier ones.
        let earlier_misses = std::mem::take(&mut self.retry);
        self.goal_guessed = false;
        let sales = self.persona.screening.is_sales(&without_name(text));
        if sales
            && self.info.category != Some(Category::Vip)
            && self.info.category != Some(Category::Known)
        {
            self.info.category = Some(Category::Sales);
            self.info.purpose.get_or_insert_with(|| text.to_string());
            out.push(Action::UpdateCaller(self.info.clone()));
            if !self.done.contains(&Done::SalesDeclined) {
                self.done.push(Done::SalesDeclined);
            }
            self.goal = Goal::Message;
            let first = self.line("sales", &[]);
            self.say_then(out, first, |d, o| d.next_step(now, o));
            return;
        }
        if self.stage == Stage::AnythingElse && asked.is_none() {
            match yes_no(text) {
                YesNo::No => {
                    self.wrap_up(now, out);
                    return;
                }
                YesNo::Yes if text.split_whitespace().count() <= 3 => {
                    if self.next_goal(now, out) {
                        return;
                    }
                    self.say_line(out, "how_can_i_help", &[], Expect::Request);
                    self.stage = Stage::Open;
                    return;
                }
                _ => {}
            }
        }
        // A question the FAQ answers confidently is answered, whatever booking words it has
        // ("where can I park when I come in?").
        if understand::is_question(text)
            && !matches!(asked, Some(Intent::Cancel | Intent::Move | Intent::Person))
        {
            // Two questions in one breath ("what's the address, and is there parking?"): both.
            let answers: Vec<(String, String)> = (self.persona.faq)
                .answers(&understand::without_dates(text))
                .iter()
                .map(|a| (a.id.to_string(), a.answer.to_string()))
                .collect();
            if let Some((first, _)) = answers.first() {
                let first = first.clone();
                answers
                    .iter()
                    .for_each(|(id, _)| self.note_answered(id.clone()));
                let said: Vec<&str> = answers.iter().map(|(_, a)| a.as_str()).collect();
                self.answered(first, said.join(" "), out);
                return;
            }
        }
        let heard = reading::read(text, &self.persona.executive);
        // "I need to speak with Alex tonight" is not a meeting wish: it goes to a human now.
        if heard.needs_now && !matches!(asked, Some(Intent::Cancel | Intent::Move)) {
            self.note_purpose(text, out);
            self.note_matter(text, out);
            if self.info.urgency.unwrap_or(Urgency::Routine) < Urgency::Deadline {
                self.info.urgency = Some(Urgency::Deadline);
            }
            if self.info.escalation.is_none() {
                let reason = format!(
                    "caller needs to speak with {} tonight",
                    self.persona.executive_first()
                );
                self.escalate(reason, out);
            }
            self.goal = Goal::Message;
            self.handoff("escalate_tonight", now, out);
            return;
        }
        // "Could I come by Tuesday at 3?": a day or time and no other request is a meeting wish.
        // "Is Alex free on Monday at noon?" is a meeting wish too. "I was at the office today
        // and …" is not: a day told of the past is when something happened.
        let wished = self.wish(text, now);
        let asked = match asked {
            None | Some(Intent::Executive)
                if !wished.is_empty()
                    && !self.days_told_as_past(text, now)
                    && self
                        .persona
                        .faq
                        .answer(&understand::without_dates(text))
                        .is_none() =>
            {
                Some(Intent::Book)
            }
            other => other,
        };
        // Later sentences are weighed against the request as understood: "Is Alex free
        // Thursday at 11? I'd love to grab a meeting." is one booking, not two.
        self.queue_goals(text, asked, out);
        match asked {
            Some(Intent::Done) if self.stage == Stage::AnythingElse || !self.done.is_empty() => {
                self.wrap_up(now, out)
            }
            Some(Intent::Book) => {
                if self.info.category == Some(Category::Sales) {
                    self.goal = Goal::Message;
                    let first = self.line("sales", &[]);
                    self.say_then(out, first, |d, o| d.next_step(now, o));
                    return;
                }
                self.goal = Goal::Book;
                self.availability = heard.availability;
                if self.info.purpose.is_none() {
                    if let Some(topic) = understand::topic(text) {
                        self.info.purpose = Some(topic);
                        out.push(Action::UpdateCaller(self.info.clone()));
                    }
                }
                let when = self.wish(text, now);
                // "Is Alex free on Monday morning?" is answered first; the details follow once
                // the caller has a time.
                if !when.is_empty() && (self.availability || !self.details_missing()) {
                    self.on_when(when, now, out);
                } else {
                    self.pending_when = (!when.is_empty()).then_some(when);
                    self.next_step(now, out);
                }
            }
            Some(Intent::Move) => {
                self.goal = Goal::Move;
                self.pending_when = Some(self.wish(text, now)).filter(|w| !w.is_empty());
                self.next_step(now, out);
            }
            Some(Intent::Executive) => {
                self.stage = Stage::Open;
                self.say_line(out, "executive_away", &[], Expect::Request);
            }
            Some(Intent::Cancel) => {
                self.goal = Goal::Cancel;
                self.next_step(now, out);
            }
            Some(Intent::Message) => {
                self.goal = Goal::Message;
                self.note_purpose(text, out);
                self.note_content(text, out);
                self.next_step(now, out);
            }
            _ => {
                if let Some(a) = self.persona.faq.answer(&understand::without_dates(text)) {
                    let (id, answer) = (a.id.to_string(), a.answer.to_string());
                    self.answered(id, answer, out);
                } else if understand::is_question(text) && understand::content_words(text) >= 2 {
                    if self.stage == Stage::OfferMessage {
                        // The offer stands and the caller asks on: a miss, so the offer is
                        // never said over and over.
                        self.retry = earlier_misses;
                        self.miss(out, "faq_unknown", Expect::YesNo);
                    } else {
                        self.stage = Stage::OfferMessage;
                        self.say_line(out, "faq_unknown", &[], Expect::YesNo);
                    }
                } else if understand::content_words(text) >= 3 || self.info.name.is_some() {
                    // A caller with something to say that is not a booking: a message.
                    self.goal = Goal::Message;
                    self.goal_guessed = true;
                    self.note_purpose(text, out);
                    self.note_content(text, out);
                    self.next_step(now, out);
                } else {
                    self.retry = earlier_misses;
                    self.misses_open(out);
                }
            }
        }
    }

    /// Goals named in later sentences ("… and I also need to cancel Friday"), kept to do in
    /// turn once the first is done.
    fn queue_goals(&mut self, text: &str, first: Option<Intent>, out: &mut Vec<Action>) {
        let persona = self.persona.clone();
        let mut seen = vec![first];
        for sentence in text.split_inclusive(['.', '?', '!']) {
            // "… let Alex know that X? And that I can't make it Friday": the news goes on.
            let lower = sentence.trim_start().to_lowercase();
            if first == Some(Intent::Message)
                && ["that ", "and that ", "also that ", "and also that "]
                    .iter()
                    .any(|lead| lower.starts_with(lead))
            {
                continue;
            }
            let asked = intent(sentence, &persona.assistant.name, &persona.executive);
            if seen.contains(&asked) {
                continue;
            }
            seen.push(asked);
            let goal = match asked {
                Some(Intent::Cancel) => Goal::Cancel,
                Some(Intent::Move) if first != Some(Intent::Book) => Goal::Move,
                // "Meeting with Alex. Cancel.", "My meeting with Alex. I have to cancel it.": the
                // booking named is the one cancelled, not a new one.
                Some(Intent::Book)
                    if first == Some(Intent::Cancel)
                        && (understand::names_own_booking(sentence)
                            || understand::only_names_a_booking(sentence, &persona.executive)) =>
                {
                    continue
                }
                Some(Intent::Book) if first != Some(Intent::Move) => Goal::Book,
                // A message beside a booking is a goal only when it carries something to pass on.
                Some(Intent::Message)
                    if first.is_some()
                        && reading::content(sentence, &persona.executive).is_some() =>
                {
                    Goal::Message
                }
                _ => continue,
            };
            if goal == Goal::Message {
                self.note_content(sentence, out);
            }
            if !self.queued.contains(&goal) {
                self.queued.push(goal);
            }
        }
    }

    /// Starts the next goal the caller named earlier, if any; true if one was started.
    fn next_goal(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) -> bool {
        if self.queued.is_empty() {
            return false;
        }
        let goal = self.queued.remove(0);
        self.goal = goal;
        self.target = None;
        self.proposed = None;
        self.offered.clear();
        self.next_step(now, out);
        true
    }

    fn note_answered(&mut self, id: String) {
        let done = Done::Answered(id);
        if !self.done.contains(&done) {
            self.done.push(done);
        }
    }

    fn answered(&mut self, id: String, answer: String, out: &mut Vec<Action>) {
        self.note_answered(id);
        self.goal = Goal::None;
        self.stage = Stage::AnythingElse;
        let follow = self.line("anything_else", &[]);
        self.say(out, format!("{answer} {follow}"), Expect::Request);
    }

    fn misses_open(&mut self, out: &mut Vec<Action>) {
        if self.retry.gives_up(Stage::Open) {
            self.stage = Stage::OfferHelp;
            self.say_line(out, "not_understood_twice", &[], Expect::Free);
        } else {
            self.stage = Stage::Open;
            self.say_line(out, "not_understood", &[], Expect::Request);
        }
    }

    fn note_purpose(&mut self, text: &str, out: &mut Vec<Action>) {
        if self.info.purpose.is_none() && understand::content_words(text) >= 3 {
            self.info.purpose = Some(text.to_string());
            out.push(Action::UpdateCaller(self.info.clone()));
        }
    }

    /// Keeps the caller's name, reconciled with what they said before and with known contacts
    /// (whisper spells a name differently each time); a spelled name is not respelled.
    fn set_name(&mut self, found: names::NameFound, out: &mut Vec<Action>) {
        let names::NameFound {
            name,
            company,
            spelled,
            ..
        } = found;
        let earlier = self.info.name.clone();
        let same = earlier
            .as_deref()
            .is_some_and(|e| names::same_person(&name, e));
        if self.name_spelled && !spelled && same {
            // The spelled words stand; a word the spelling never reached (the surname's
            // letters lost) is taken as heard: the spelling is reconciled as the later hearing.
            let contacts = self.persona.screening.contact_names();
            let fuller = earlier
                .as_deref()
                .and_then(|e| names::reconcile(e, Some(&name), &contacts));
            let mut changed = false;
            if fuller.is_some() && fuller != earlier {
                self.info.name = fuller;
                changed = true;
            }
            if company.is_some() && self.info.company.is_none() {
                self.info.company = company;
                changed = true;
            }
            if changed {
                out.push(Action::UpdateCaller(self.info.clone()));
            }
            return;
        }
        let contacts = self.persona.screening.contact_names();
        let name = names::reconcile(&name, earlier.as_deref(), &contacts).unwrap_or(name);
        self.name_spelled = spelled || (self.name_spelled && same);
        if earlier.as_deref() == Some(name.as_str()) && company.is_none() {
            return;
        }
        self.info.name = Some(name);
        if company.is_some() {
            self.info.company = company;
        }
        if self.info.category.is_none() || self.info.category == Some(Category::New) {
            let by_name = self
                .info
                .name
                .as_deref()
                .and_then(|n| self.persona.screening.by_name(n))
                .map(|(c, who)| (c, who.cloned()));
            let mut by_contact = None;
            self.info.category = Some(match by_name {
                Some((cat, who)) => {
                    if let Some(who) = who {
                        by_contact = self.persona.screening.contact_escalation(&who);
                        self.info.name = Some(who.name);
                        if self.info.company.is_none() {
                            self.info.company = who.company;
                        }
                    }
                    cat
                }
                None => Category::New,
            });
            out.push(Action::UpdateCaller(self.info.clone()));
            if self.info.category == Some(Category::Vip) {
                self.escalate_by_rules(out);
            }
            if let Some(reason) = by_contact.filter(|_| self.info.escalation.is_none()) {
                self.escalate(reason, out);
            }
            return;
        }
        out.push(Action::UpdateCaller(self.info.clone()));
        if self.info.category == Some(Category::Vip) {
            self.escalate_by_rules(out);
        }
    }

    /// Escalates if the persona's rules say so; true if the call is (now) escalated.
    fn escalate_by_rules(&mut self, out: &mut Vec<Action>) -> bool {
        if self.info.escalation.is_some() {
            return true;
        }
        let category = self.info.category.unwrap_or(Category::New);
        let urgency = self.info.urgency.unwrap_or(Urgency::Routine);
        match self.persona.screening.escalation(category, urgency) {
            Some(reason) => {
                self.escalate(reason, out);
                true
            }
            None => false,
        }
    }

    fn escalate(&mut self, reason: String, out: &mut Vec<Action>) {
        self.info.escalation = Some(reason.clone());
        self.done.push(Done::Escalated(reason.clone()));
        out.push(Action::UpdateCaller(self.info.clone()));
        out.push(Action::Escalate { reason });
    }

    /// Hands an escalated caller to the human: a live transfer when the assistant is on call
    /// and it has not failed yet, else `line` and the details a callback needs.
    fn handoff(&mut self, line: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        if self.transfer_available && !self.transfer_tried {
            self.transfer_tried = true;
            self.stage = Stage::Transferring;
            self.say_line(out, "transferring", &[], Expect::Free);
            out.push(Action::Transfer {
                to: self.persona.assistant.phone.clone(),
            });
        } else {
            let first = self.line(line, &[]);
            self.say_then(out, first, |d, o| d.next_step(now, o));
        }
    }

    fn ask_for_person(&mut self, reason: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        if self.info.escalation.is_none() {
            self.escalate(reason.to_string(), out);
        }
        self.goal = Goal::Message;
        self.handoff("escalate_person", now, out);
    }

    fn on_name(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        match extract_name(text) {
            Some(n) => {
                self.retry.clear();
                self.set_name(n, out);
                self.next_step(now, out);
            }
            // The answer to another question ("can you put me down for 10?"): kept, and the
            // name asked again.
            None if self.took_other_answer(text, false, now, out) => {
                self.say_line(out, "noted_ask_name", &[], Expect::Free);
            }
            None => {
                if self.retry.gives_up(self.stage) {
                    // Go on without a name rather than loop.
                    self.retry.clear();
                    self.name_declined = true;
                    self.next_step(now, out);
                } else if self.persona.spell_names && !self.spelling_asked {
                    // Said but not understood: letters are heard better than the name was.
                    self.spelling_asked = true;
                    self.stage = Stage::AskSpelling;
                    self.say_line(out, "ask_name_spelled", &[], Expect::Spelling);
                } else {
                    self.say_line(out, "ask_name_again", &[], Expect::Free);
                }
            }
        }
    }

    /// Asks a new caller, once, to spell the name that goes on a message or a booking: names
    /// of many origins are what whisper mishears most, and the executive calls back by name.
    /// Not for a caller already known, one who spelled it, or one who gave no name. Returns
    /// whether it asked.
    fn ask_spelling(&mut self, out: &mut Vec<Action>) -> bool {
        if !self.spelling_due() {
            return false;
        }
        // The whole name, not only the last: a first name whisper misheard is as wrong on the
        // message, and callers spell both as readily.
        self.spelling_asked = true;
        self.stage = Stage::AskSpelling;
        self.say_line(out, "ask_spelling", &[], Expect::Spelling);
        true
    }

    /// What a booking caller said in answer to another question than the one asked — a day or
    /// time, or the topic — is kept where it belongs. A topic counts when led as one ("about
    /// the merger") or, where a name's letters were asked (`spelling`), when it is a phrase a
    /// topic is said in ("The budget review.", "Our Q3 numbers."): whisper makes words of
    /// letters it misses, and those are no topic. Returns whether anything was kept.
    fn took_other_answer(
        &mut self,
        text: &str,
        spelling: bool,
        now: DateTime<Utc>,
        out: &mut Vec<Action>,
    ) -> bool {
        if self.goal != Goal::Book || yes_no(text) != YesNo::Unclear {
            return false;
        }
        let when = self.wish(text, now);
        if !when.is_empty() {
            self.pending_when = Some(when);
            return true;
        }
        if self.info.purpose.is_some() {
            return false;
        }
        let phrase = || {
            let words: Vec<&str> = text.split_whitespace().collect();
            let determiner = words.first().is_some_and(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "the" | "our" | "a" | "an" | "my" | "your" | "some"
                )
            });
            let letters = words.iter().any(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .chars()
                    .count()
                    == 1
            });
            (spelling && determiner && !letters && understand::content_words(text) >= 2)
                .then(|| text.trim().trim_end_matches(['.', '!']).to_string())
        };
        match understand::topic(text).or_else(phrase) {
            Some(t) => {
                self.info.purpose = Some(t);
                out.push(Action::UpdateCaller(self.info.clone()));
                true
            }
            None => false,
        }
    }

    /// Whether [`Dialog::ask_spelling`] would ask.
    fn spelling_due(&self) -> bool {
        let known = self.info.category.is_some_and(|c| c != Category::New);
        let no_name = self.info.name.as_deref().is_none_or(str::is_empty);
        !(no_name || !self.persona.spell_names || self.spelling_asked || self.name_spelled || known)
    }

    /// Whether a booking still lacks what [`Dialog::next_step`] asks before the time: the name
    /// (and its spelling), a number, the topic.
    fn details_missing(&self) -> bool {
        (self.info.name.is_none() && !self.name_declined)
            || self.spelling_due()
            || self.heard_number.is_some()
            || (self.info.callback_number.is_none() && self.caller_id.is_none())
            || (self.info.purpose.is_none() && !self.purpose_skipped)
    }

    /// A time the caller chose before giving their details ("is Alex free Monday morning?",
    /// then "10, please"): kept, the details asked, then the time put to them to confirm.
    /// Returns whether it was kept.
    fn hold_slot(
        &mut self,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
        out: &mut Vec<Action>,
    ) -> bool {
        if self.goal != Goal::Book || !self.details_missing() {
            return false;
        }
        let local = start.with_timezone(&self.persona.timezone).naive_local();
        self.pending_when = Some(When {
            date: Some(local.date()),
            time: Some(local.time()),
            ..When::default()
        });
        self.availability = false;
        self.proposed = None;
        self.offered.clear();
        self.next_step(now, out);
        true
    }

    /// The spelling asked for: the whole name when several words are spelled, else the word of
    /// the name it spells (the last name when none is like it). Nothing spelled ("it's as it
    /// sounds") keeps the name as heard; the call goes on either way. Letters that do not
    /// simply agree with the name heard are read back to be checked
    /// ([`names::spelling_sure`]).
    fn on_spelling(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let name = self.info.name.clone().unwrap_or_default();
        let with_words = names::respelled_with_words(&name, text);
        let sure = with_words.is_some();
        match with_words.or_else(|| names::respelled(&name, text)) {
            Some(spelled) => {
                self.take_spelled(&name, spelled.clone(), out);
                // Known otherwise: a contact's name, an appointment's, or the message's
                // read-back (which has the name) right after a spelling asked there.
                let known = matches!(self.info.category, Some(Category::Known | Category::Vip))
                    || (matches!(self.goal, Goal::Move | Goal::Cancel)
                        && self.find_appointment(now).is_some())
                    || self.respell_asked;
                if !sure && !known && !names::spelling_sure(&name, text, &spelled) {
                    self.retry.clear();
                    self.stage = Stage::ConfirmSpelling;
                    let letters = names::letters_read_back(&spelled);
                    self.say_line(
                        out,
                        "confirm_spelling",
                        &[("spelling", &letters)],
                        Expect::YesNo,
                    );
                    return;
                }
            }
            // Asked to spell a name not understood at all: take it as said, if it is a name,
            // else go on without one.
            None if name.is_empty() => match names::extract_name(text) {
                Some(n) => self.set_name(n, out),
                None => self.name_declined = true,
            },
            // Nothing spelled: perhaps the answer to another question ("The budget review.").
            None => {
                self.took_other_answer(text, true, now, out);
            }
        }
        self.retry.clear();
        self.next_step(now, out);
    }

    /// The name as spelled (`spelled`) in place of the name heard (`name`).
    fn take_spelled(&mut self, name: &str, spelled: String, out: &mut Vec<Action>) {
        if spelled != name {
            // As any name heard: the spelling may be a known contact's ("it's Grace
            // again", then G-R-A-C-E, O-K-A-F-O-R), who is screened as such.
            self.set_name(
                names::NameFound {
                    name: spelled,
                    company: None,
                    returning: false,
                    spelled: true,
                },
                out,
            );
        }
        self.name_spelled = true;
    }

    /// The answer to the spelling read back: a yes keeps it; letters again (with words or
    /// without) replace it; a no asks for a word for each letter, once. Anything else keeps the
    /// name as spelled and goes on: a spelling is never asked for a third time.
    fn on_confirm_spelling(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let name = self.info.name.clone().unwrap_or_default();
        let answer = yes_no(text);
        let again = names::respelled_with_words(&name, text).or_else(|| {
            (answer != YesNo::Yes)
                .then(|| names::respelled_as_corrected(&name, text))
                .flatten()
        });
        if let Some(spelled) = again {
            self.take_spelled(&name, spelled, out);
        } else if answer == YesNo::No {
            self.stage = Stage::SpellWithWords;
            self.say_line(out, "ask_spelling_words", &[], Expect::Spelling);
            return;
        }
        self.retry.clear();
        self.next_step(now, out);
    }

    /// The name spelled with a word for each letter ("N as in Nancy, …"), or plainly again;
    /// nothing spelled keeps the name as it was.
    fn on_spelling_with_words(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let name = self.info.name.clone().unwrap_or_default();
        if let Some(spelled) = names::respelled_with_words(&name, text)
            .or_else(|| names::respelled_as_corrected(&name, text))
        {
            self.take_spelled(&name, spelled, out);
        }
        self.retry.clear();
        self.next_step(now, out);
    }

    fn on_confirm_caller_id(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        if let Some(number) = extract_phone(text) {
            // Repeating the caller ID is a yes; another number is read back.
            if self
                .caller_id
                .as_deref()
                .is_some_and(|id| screen::same_number(id, &number))
            {
                let number = self.caller_id.clone();
                self.keep_callback(number, now, out);
            } else {
                self.confirm_number(number, out);
            }
            return;
        }
        match yes_no(text) {
            YesNo::Yes => {
                let number = self.caller_id.clone();
                self.keep_callback(number, now, out);
            }
            YesNo::No => {
                self.stage = Stage::AskNumber;
                self.say_line(out, "ask_number", &[], Expect::Digits);
            }
            YesNo::Unclear => {
                if self.retry.gives_up(self.stage) {
                    self.retry.clear();
                    let number = self.caller_id.clone();
                    self.keep_callback(number, now, out);
                } else {
                    let spoken = spoken_number(self.caller_id.as_deref().unwrap_or(""));
                    self.say_line(
                        out,
                        "ask_number_caller_id",
                        &[("caller_id", &spoken)],
                        Expect::YesNo,
                    );
                }
            }
        }
    }

    fn on_number(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        match extract_phone(text) {
            // Not cleared: a number read back wrong again counts against the same question.
            Some(number) => self.confirm_number(number, out),
            None => {
                if self.retry.gives_up(self.stage) {
                    self.retry.clear();
                    self.info.callback_number = self.caller_id.clone().or(Some(String::new()));
                    self.next_step(now, out);
                } else {
                    self.say_line(out, "ask_number_again", &[], Expect::Digits);
                }
            }
        }
    }

    /// Keeps `number` as the callback number and goes on with the goal.
    fn keep_callback(&mut self, number: Option<String>, now: DateTime<Utc>, out: &mut Vec<Action>) {
        self.info.callback_number = number;
        out.push(Action::UpdateCaller(self.info.clone()));
        self.next_step(now, out);
    }

    /// Reads a spoken number back digit by digit for the caller to confirm.
    fn confirm_number(&mut self, number: String, out: &mut Vec<Action>) {
        let spoken = spoken_number(&number);
        self.heard_number = Some(number);
        self.stage = Stage::ConfirmNumber;
        self.say_line(
            out,
            "confirm_number",
            &[("number_spoken", &spoken)],
            Expect::YesNo,
        );
    }

    fn on_confirm_number(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let answer = yes_no(text);
        // A corrected number is read back again.
        if let Some(number) = extract_phone(text).filter(|n| Some(n) != self.heard_number.as_ref())
        {
            self.retry.clear();
            self.confirm_number(number, out);
            return;
        }
        match answer {
            YesNo::Yes => {
                self.retry.clear();
                let number = self.heard_number.take();
                self.keep_callback(number, now, out);
            }
            YesNo::No => {
                self.heard_number = None;
                if self.retry.gives_up(Stage::AskNumber) {
                    // Heard wrong twice: go on with the caller ID, else without a number,
                    // rather than loop (the human calls back on the caller ID or not at all).
                    self.info.callback_number = self.caller_id.clone().or(Some(String::new()));
                    out.push(Action::UpdateCaller(self.info.clone()));
                    self.next_step(now, out);
                    return;
                }
                self.stage = Stage::AskNumber;
                self.say_line(out, "ask_number_again", &[], Expect::Digits);
            }
            YesNo::Unclear => {
                if self.retry.gives_up(self.stage) {
                    // Keep what we heard rather than loop; the read-back shows it again.
                    self.retry.clear();
                    let number = self.heard_number.take();
                    self.keep_callback(number, now, out);
                } else {
                    let spoken = spoken_number(self.heard_number.as_deref().unwrap_or(""));
                    self.say_line(
                        out,
                        "confirm_number",
                        &[("number_spoken", &spoken)],
                        Expect::YesNo,
                    );
                }
            }
        }
    }

    /// Asks for whatever the current goal still lacks, or does it.
    fn next_step(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        match self.goal {
            Goal::None => {
                self.stage = Stage::Open;
                self.say_line(out, "how_can_i_help", &[], Expect::Request);
            }
            Goal::Message => {
                if self.info.name.is_none() && !self.name_declined {
                    self.stage = Stage::AskName;
                    self.say_line(out, "ask_name", &[], Expect::Free);
                } else if self.ask_spelling(out) {
                    // Asked to spell the name; the number comes next.
                } else if self.info.callback_number.is_none() || self.heard_number.is_some() {
                    self.ask_number(out);
                } else if self.info.message.is_none() {
                    self.stage = Stage::AskMessage;
                    self.say_line(out, "ask_message", &[], Expect::Message);
                } else {
                    self.read_back(out);
                }
            }
            Goal::Book => {
                if self.info.name.is_none() && !self.name_declined {
                    self.stage = Stage::AskName;
                    self.say_line(out, "ask_name", &[], Expect::Free);
                } else if self.ask_spelling(out) {
                    // Asked to spell the name; the number comes next.
                } else if self.heard_number.is_some()
                    || (self.info.callback_number.is_none() && self.caller_id.is_none())
                {
                    self.ask_number(out);
                } else if self.info.purpose.is_none() && !self.purpose_skipped {
                    self.stage = Stage::AskPurpose;
                    self.say_line(out, "ask_purpose", &[], Expect::Free);
                } else if let Some(when) = self.pending_when.take() {
                    self.on_when(when, now, out);
                } else {
                    self.stage = Stage::AskWhen;
                    self.say_line(out, "ask_when", &[], Expect::When);
                }
            }
            Goal::Move | Goal::Cancel => {
                if self.target.is_none() {
                    match self.find_appointment(now) {
                        Some(b) => self.target = Some(b),
                        None if self.info.name.is_none() && !self.name_declined => {
                            self.stage = Stage::AskName;
                            self.say_line(out, "ask_name_to_find", &[], Expect::Free);
                            return;
                        }
                        // Not under the name as heard: a new caller spells it, and the
                        // search runs again with the spelling.
                        None if self.ask_spelling(out) => return,
                        // A name heard a little differently from the booking's: the day
                        // tells which, without reading anyone's appointments out.
                        None if !self.asked_booked_when && !self.near_names(now).is_empty() => {
                            self.asked_booked_when = true;
                            self.stage = Stage::AskBookedWhen;
                            self.say_line(out, "ask_booked_when", &[], Expect::When);
                            return;
                        }
                        None => {
                            self.appointment_not_found(now, out);
                            return;
                        }
                    }
                }
                let slot = self
                    .target
                    .as_ref()
                    .map(|t| self.speak_slot(t.start, now))
                    .unwrap_or_default();
                if self.goal == Goal::Cancel {
                    self.stage = Stage::ConfirmCancel;
                    self.say_line(out, "found_cancel", &[("slot", &slot)], Expect::YesNo);
                } else if let Some(when) = self.pending_when.take() {
                    self.on_when(when, now, out);
                } else {
                    self.stage = Stage::AskWhen;
                    self.say_line(out, "found_move", &[("slot", &slot)], Expect::When);
                }
            }
        }
    }

    /// Upcoming appointments under a name like the caller's as heard, though not the same:
    /// the same person by sound ([`names::same_person`]) or the whole name spelled somewhat
    /// alike (Jaro-Winkler ≥ 0.75 over its letters: "Jai Wupak" for "Ji-woo Park").
    fn near_names(&self, now: DateTime<Utc>) -> Vec<Booked> {
        let Some(name) = self.info.name.as_deref() else {
            return Vec::new();
        };
        let letters = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let heard = letters(name);
        self.booked
            .iter()
            .filter(|b| b.start > now)
            .filter(|b| {
                b.caller_name.as_deref().is_some_and(|n| {
                    names::same_person(name, n) || strsim::jaro_winkler(&heard, &letters(n)) >= 0.75
                })
            })
            .cloned()
            .collect()
    }

    /// The answer to "which day is your appointment?": the one appointment under a near name on
    /// that day (and at that time, when given).
    fn on_booked_when(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let when = self.wish(text, now);
        if when.date.is_none() && when.time.is_none() {
            // "I don't remember": no day to find it by.
            self.appointment_not_found(now, out);
            return;
        }
        let tz = self.persona.timezone;
        let on_day: Vec<Booked> = self
            .near_names(now)
            .into_iter()
            .filter(|b| {
                let local = b.start.with_timezone(&tz).naive_local();
                when.date.is_none_or(|d| local.date() == d)
                    && when.time.is_none_or(|t| local.time() == t)
            })
            .collect();
        match on_day.as_slice() {
            [b] => {
                // The caller is the one booked then: their name as written when they booked,
                // not as whisper heard it tonight ("Lee Young" for "Liu Yang").
                if let Some(name) = b.caller_name.clone() {
                    self.info.name = Some(name);
                    out.push(Action::UpdateCaller(self.info.clone()));
                }
                self.target = Some(b.clone());
                self.retry.clear();
                self.next_step(now, out);
            }
            _ => self.appointment_not_found(now, out),
        }
    }

    /// No appointment found: the first time, offer a message; the second, take the request as
    /// a message for the office rather than ask again.
    fn appointment_not_found(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        self.not_found += 1;
        if self.not_found < 2 {
            self.goal = Goal::None;
            self.stage = Stage::OfferMessage;
            self.say_line(out, "appointment_not_found", &[], Expect::YesNo);
            return;
        }
        let wanted = if self.goal == Goal::Move {
            "move"
        } else {
            "cancel"
        };
        self.info.message.get_or_insert_with(|| {
            format!("Wants to {wanted} their appointment, which I could not find under their name.")
        });
        out.push(Action::UpdateCaller(self.info.clone()));
        self.goal = Goal::Message;
        self.say_line(out, "appointment_not_found_again", &[], Expect::Free);
        self.next_step(now, out);
    }

    /// The caller's next appointment: by caller ID, else by the name they gave.
    fn find_appointment(&self, now: DateTime<Utc>) -> Option<Booked> {
        let upcoming = self.booked.iter().filter(|b| b.start > now);
        let by_number = self.caller_id.as_deref().and_then(|id| {
            upcoming.clone().find(|b| {
                b.caller_number
                    .as_deref()
                    .is_some_and(|n| screen::same_number(n, id))
            })
        });
        by_number
            .or_else(|| {
                let name = self.info.name.as_deref()?;
                upcoming.clone().find(|b| {
                    b.caller_name
                        .as_deref()
                        .is_some_and(|n| screen::same_name(name, n) || screen::same_name(n, name))
                })
            })
            .cloned()
    }

    fn ask_number(&mut self, out: &mut Vec<Action>) {
        // A number the caller already gave is read back, not asked for.
        if let Some(n) = self.heard_number.clone() {
            self.confirm_number(n, out);
            return;
        }
        if let Some(id) = self.caller_id.clone() {
            self.stage = Stage::ConfirmCallerId;
            let spoken = spoken_number(&id);
            self.say_line(
                out,
                "ask_number_caller_id",
                &[("caller_id", &spoken)],
                Expect::YesNo,
            );
        } else {
            self.stage = Stage::AskNumber;
            self.say_line(out, "ask_number", &[], Expect::Digits);
        }
    }

    // ----- dates and times ------------------------------------------------------------------

    fn ignore_id(&self) -> Option<String> {
        self.target.as_ref().map(|t| t.id.clone())
    }

    fn on_when_text(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        if self.stage == Stage::Choose {
            if let Some(i) = choice(text, self.offered.len()) {
                let slot = self.offered[i];
                self.propose(slot, now, out);
                return;
            }
            if let Some(slot) = self.offered_time_said(text, now) {
                self.propose(slot, now, out);
                return;
            }
        }
        // "The first time you mentioned", before any was mentioned: say so, do not guess.
        if self.offered.is_empty() && understand::refers_to_offer(text) {
            self.say_line(out, "no_choices_yet", &[], Expect::When);
            return;
        }
        let mut when = self.wish(text, now);
        // A bare hour where a time was asked ("10, if that's free.") is that time.
        let bare_hour = text
            .trim_start()
            .split([',', ' ', '.', '?'])
            .next()
            .and_then(|w| w.split(':').next())
            .and_then(|h| h.parse::<u32>().ok())
            .is_some_and(|h| (1..=12).contains(&h));
        if when.is_empty() && bare_hour {
            when = self.wish(&format!("at {}", text.trim_start()), now);
        }
        // "2 PM." after "what time on Wednesday?" means Wednesday.
        if let Some(day) = self.day_asked.take() {
            if when.date.is_none() && (when.time.is_some() || when.part.is_some()) {
                when.date = Some(day);
            }
        }
        // "How about 10:30?" after choices on one day means that day.
        if when.date.is_none() && when.time.is_some() && self.stage == Stage::Choose {
            when.date = self
                .offered
                .first()
                .map(|s| s.with_timezone(&self.persona.timezone).date_naive());
        }
        if when.is_empty() {
            if self.stage == Stage::Choose && yes_no(text) == YesNo::Yes && self.offered.len() == 1
            {
                let slot = self.offered[0];
                self.propose(slot, now, out);
                return;
            }
            if self.stage == Stage::Choose && yes_no(text) == YesNo::Yes {
                // A yes again to "which one?": the first, put to the caller to confirm, rather
                // than the same question without end.
                if self.retry.gives_up(self.stage) {
                    if let Some(&slot) = self.offered.first() {
                        self.propose(slot, now, out);
                        return;
                    }
                }
                let choices = calendar::speak_choices(&self.offered, self.persona.timezone, now);
                self.say_line(out, "which_choice", &[("choices", &choices)], Expect::When);
                return;
            }
            if yes_no(text) == YesNo::No
                && understand::wants_later(text)
                && !self.offered.is_empty()
            {
                let after = self.offered.iter().max().copied().unwrap_or(now);
                let wish = after.with_timezone(&self.persona.timezone).naive_local()
                    + Duration::minutes(30);
                self.offer_near(wish, now, out, None);
                return;
            }
            // A topic where a day was asked ("it's about the merger") is kept, not a miss; the
            // request said again ("I'm looking to set up a meeting with Alex") is none.
            let persona = self.persona.clone();
            let request = intent(text, &persona.assistant.name, &persona.executive).is_some();
            let topic = understand::topic(text).or_else(|| {
                (yes_no(text) == YesNo::Unclear && !request && understand::content_words(text) >= 3)
                    .then(|| reading::content(text, &persona.executive))
                    .flatten()
            });
            let explicit = understand::topic(text).is_some();
            if let Some(t) =
                topic.filter(|_| explicit || self.info.purpose.is_none() || self.purpose_skipped)
            {
                self.info.purpose = Some(t);
                self.purpose_skipped = false;
                out.push(Action::UpdateCaller(self.info.clone()));
                self.say_line(out, "ask_when", &[], Expect::When);
                return;
            }
            self.miss(out, "ask_when_again", Expect::When);
            return;
        }
        self.retry.clear();
        self.on_when(when, now, out);
    }

    /// The offered time the caller picks by its clock time ("Go for the 9am", "the 9", "nine
    /// thirty one", "the half past"), as the executive or the caller tells the time, unless
    /// they name another day with it.
    fn offered_time_said(&self, text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let zones: Vec<chrono_tz::Tz> = std::iter::once(self.persona.timezone)
            .chain(self.caller_zone)
            .collect();
        let times: Vec<Vec<NaiveTime>> = self
            .offered
            .iter()
            .map(|s| zones.iter().map(|z| s.with_timezone(z).time()).collect())
            .collect();
        let slot = self.offered[understand::offered_time(text, &times)?];
        let day = slot.with_timezone(&self.persona.timezone).date_naive();
        let said = self.wish(text, now);
        let other_day = said.date.is_some_and(|d| d != day) && understand::names_a_day(text);
        (!other_day).then_some(slot)
    }

    /// Acts on a parsed wish: a whole slot is checked; a day or part of day gets choices.
    fn on_when(&mut self, when: When, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let local_now = self.local_now(now);
        let ignore = self.ignore_id();
        let date = when.date;
        match (date, when.time) {
            (Some(d), Some(t)) => self.check_wish(d.and_time(t), now, out),
            (None, Some(t)) => {
                // A time without a day: the first day it can be booked.
                let cal = self.calendar();
                let day = (0..14)
                    .map(|i| local_now.date() + Duration::days(i))
                    .find(|d| cal.check(d.and_time(t), now, ignore.as_deref()).is_ok());
                match day {
                    Some(d) => self.propose(cal.instant(d.and_time(t)).unwrap_or(now), now, out),
                    None => {
                        let wish = (local_now.date() + Duration::days(1)).and_time(t);
                        self.offer_near(wish, now, out, Some("unavailable_generic"));
                    }
                }
            }
            // "Tomorrow at [lost]": ask the time on that day rather than offer its first
            // slots to a caller who named one.
            (Some(d), None) if when.part.is_none() && self.time_lost => {
                self.day_asked = Some(d);
                self.stage = Stage::AskWhen;
                let day = calendar::speak_date(d, local_now.date());
                self.say_line(out, "ask_time_on", &[("day", &day)], Expect::When);
            }
            (Some(d), None) => {
                let cal = self.calendar();
                let free = match when.part {
                    Some(p) => {
                        let (from, to) = p.range();
                        cal.free_between(d, from, to, now, 2, ignore.as_deref())
                    }
                    None => cal
                        .free_on(d, now, ignore.as_deref())
                        .into_iter()
                        .take(2)
                        .collect(),
                };
                if free.is_empty() {
                    let wish = d.and_time(
                        when.part
                            .map(|p| p.range().0)
                            .unwrap_or(self.persona.meetings.start),
                    );
                    let why = self.why_not(
                        d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()),
                        now,
                    );
                    self.offer_near(wish, now, out, Some(why));
                } else {
                    self.offer(free, now, out, None);
                }
            }
            (None, None) => {
                if let Some(p) = when.part {
                    // "Some afternoon": the first free ones.
                    let cal = self.calendar();
                    let (from, to) = p.range();
                    let free: Vec<_> = (0..14)
                        .flat_map(|i| {
                            cal.free_between(
                                local_now.date() + Duration::days(i),
                                from,
                                to,
                                now,
                                2,
                                ignore.as_deref(),
                            )
                        })
                        .take(2)
                        .collect();
                    self.offer(free, now, out, None);
                } else {
                    self.miss(out, "ask_when_again", Expect::When);
                }
            }
        }
    }

    fn why_not(&self, local: NaiveDateTime, now: DateTime<Utc>) -> &'static str {
        match self
            .calendar()
            .check(local, now, self.ignore_id().as_deref())
        {
            Ok(_) => "unavailable_generic",
            Err(Unavailable::Busy) => "unavailable_busy",
            Err(Unavailable::Past) => "unavailable_past",
            Err(Unavailable::TooSoon) => "unavailable_soon",
            Err(Unavailable::TooFar) => "unavailable_far",
            Err(Unavailable::ClosedDay | Unavailable::OutsideHours) => "unavailable_hours",
            Err(Unavailable::OffGrid) => "unavailable_grid",
        }
    }

    fn check_wish(&mut self, local: NaiveDateTime, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let checked = self
            .calendar()
            .check(local, now, self.ignore_id().as_deref());
        match checked {
            Ok(start) => self.propose(start, now, out),
            Err(_) => {
                let why = self.why_not(local, now);
                self.offer_near(local, now, out, Some(why));
            }
        }
    }

    fn offer_near(
        &mut self,
        wish: NaiveDateTime,
        now: DateTime<Utc>,
        out: &mut Vec<Action>,
        why: Option<&str>,
    ) {
        let ignore = self.ignore_id();
        let cal = self.calendar();
        let mut free = cal.nearest(wish, now, 2, ignore.as_deref());
        if free.is_empty() {
            free = cal.first_free_from(self.local_now(now).date(), now, 2, ignore.as_deref());
        }
        self.offer(free, now, out, why);
    }

    fn offer(
        &mut self,
        free: Vec<DateTime<Utc>>,
        now: DateTime<Utc>,
        out: &mut Vec<Action>,
        why: Option<&str>,
    ) {
        let reason = why.map(|k| self.line(k, &[])).unwrap_or_default();
        if free.is_empty() {
            self.offered.clear();
            self.stage = Stage::AskWhen;
            let t = format!("{reason} {}", self.line("no_slots", &[]));
            self.say(out, t.trim().to_string(), Expect::When);
            return;
        }
        // The caller answered these very choices with a time that led back to them ("No, I
        // said at 2 on the 9th", the 2 lost): saying them again would loop. Ask for the time
        // once more, then offer a message or a person.
        if self.stage == Stage::Choose && free == self.offered {
            // Counted apart from `retry`, which a time heard clears: the caller gives a time
            // each round, so the round is the miss.
            self.misheard_offers += 1;
            if self.misheard_offers >= 2 {
                self.misheard_offers = 0;
                self.retry.clear();
                self.goal = Goal::None;
                self.stage = Stage::OfferHelp;
                self.say_line(out, "not_understood_twice", &[], Expect::Free);
            } else {
                self.say_line(out, "offer_misheard", &[], Expect::When);
            }
            return;
        }
        let choices = calendar::speak_choices(&free, self.persona.timezone, now);
        self.offered = free;
        self.stage = Stage::Choose;
        // "Is Alex free on Monday morning?": the answer is when.
        let key = if std::mem::take(&mut self.availability) && why.is_none() {
            "free_choices"
        } else {
            "offer_choices"
        };
        let t = format!("{reason} {}", self.line(key, &[("choices", &choices)]));
        self.say(out, t.trim().to_string(), Expect::When);
    }

    fn propose(&mut self, start: DateTime<Utc>, now: DateTime<Utc>, out: &mut Vec<Action>) {
        self.misheard_offers = 0;
        // A time chosen before the details: kept, and put to the caller once they are given.
        // Not the answer to "is Alex free at …?", which comes first.
        if !self.availability && self.hold_slot(start, now, out) {
            return;
        }
        self.proposed = Some(start);
        self.stage = Stage::ConfirmSlot;
        let slot = self.speak_slot(start, now);
        let key = if self.goal == Goal::Move {
            "propose_move"
        } else if std::mem::take(&mut self.availability) {
            "free_at"
        } else {
            "propose_booking"
        };
        self.say_line(out, key, &[("slot", &slot)], Expect::YesNo);
    }

    fn on_confirm_slot(&mut self, text: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        let Some(start) = self.proposed else {
            return self.next_step(now, out);
        };
        let answer = yes_no(text);
        let when = self.wish(text, now);
        match answer {
            YesNo::Yes if when.is_empty() || self.names_slot(&when, start) => {
                self.retry.clear();
                if self.hold_slot(start, now, out) {
                    return;
                }
                self.stage = Stage::Pending;
                let end = start + self.persona.meetings.length();
                match (&self.goal, &self.target) {
                    (Goal::Move, Some(t)) => out.push(Action::Move {
                        id: t.id.clone(),
                        start,
                        end,
                    }),
                    _ => out.push(Action::Book(Meeting {
                        start,
                        end,
                        caller_name: self.info.name.clone().filter(|n| !n.is_empty()),
                        caller_number: self
                            .info
                            .callback_number
                            .clone()
                            .filter(|n| !n.is_empty())
                            .or_else(|| self.caller_id.clone()),
                        purpose: self.info.purpose.clone(),
                    })),
                }
            }
            _ if !when.is_empty() => {
                // "No, make it 3 instead": a new wish, on the proposed day unless another is named.
                let when = When {
                    date: when
                        .date
                        .or_else(|| Some(start.with_timezone(&self.persona.timezone).date_naive())),
                    ..when
                };
                self.on_when(when, now, out);
            }
            YesNo::No => {
                self.retry.clear();
                if understand::wants_later(text) || understand::wants_earlier(text) {
                    let step = if understand::wants_later(text) {
                        30
                    } else {
                        -30
                    };
                    let wish = start.with_timezone(&self.persona.timezone).naive_local()
                        + Duration::minutes(step);
                    self.offer_near(wish, now, out, None);
                } else {
                    self.stage = Stage::AskWhen;
                    self.say_line(out, "ask_when_other", &[], Expect::When);
                }
            }
            _ => {
                let slot = self.speak_slot(start, now);
                if self.retry.gives_up(self.stage) {
                    self.retry.clear();
                    self.goal = Goal::Message;
                    self.stage = Stage::OfferHelp;
                    self.say_line(out, "not_understood_twice", &[], Expect::Free);
                } else {
                    let key = if self.goal == Goal::Move {
                        "confirm_move_again"
                    } else {
                        "confirm_slot_again"
                    };
                    self.say_line(out, key, &[("slot", &slot)], Expect::YesNo);
                }
            }
        }
    }

    /// Whether `when` names the slot `start` ("yes, tomorrow at 2 is fine").
    fn names_slot(&self, when: &When, start: DateTime<Utc>) -> bool {
        let local = start.with_timezone(&self.persona.timezone);
        when.time == Some(local.time()) && when.date.is_none_or(|d| d == local.date_naive())
    }

    /// Says that a goal is done (line `key`), then goes on with the next goal the caller named,
    /// or asks whether there is anything else.
    fn goal_done(&mut self, key: &str, slot: &str, now: DateTime<Utc>, out: &mut Vec<Action>) {
        self.goal = Goal::None;
        self.stage = Stage::AnythingElse;
        let said = self.line(key, &[("slot", slot)]);
        if self.queued.is_empty() {
            self.say(out, said, Expect::Request);
            return;
        }
        let anything = self.line("anything_else", &[]);
        let first = said
            .strip_suffix(&anything)
            .map(str::trim_end)
            .unwrap_or(&said)
            .to_string();
        self.say_then(out, first, |d, o| {
            d.next_goal(now, o);
        });
    }

    fn on_calendar(
        &mut self,
        result: Result<String, CalendarFailure>,
        now: DateTime<Utc>,
        out: &mut Vec<Action>,
    ) {
        if self.stage != Stage::Pending {
            return;
        }
        match (result, self.goal) {
            (Ok(id), Goal::Cancel) => {
                let Some(t) = self.target.take() else { return };
                self.booked.retain(|b| b.id != id);
                // Booked and cancelled on the same call: it was never really booked.
                if let Some(i) = self.done.iter().position(|d| *d == Done::Booked(t.start)) {
                    self.done.remove(i);
                }
                self.done.push(Done::Cancelled(t.start));
                let slot = self.speak_slot(t.start, now);
                self.goal_done("cancelled", &slot, now, out);
            }
            (Ok(id), goal) => {
                let Some(start) = self.proposed.take() else {
                    return;
                };
                let end = start + self.persona.meetings.length();
                if goal == Goal::Move {
                    if let Some(t) = self.target.take() {
                        // Moving a meeting booked on this call is booking the new time.
                        match self.done.iter().position(|d| *d == Done::Booked(t.start)) {
                            Some(i) => self.done[i] = Done::Booked(start),
                            None => self.done.push(Done::Moved {
                                from: t.start,
                                to: start,
                            }),
                        }
                    }
                    self.booked.retain(|b| b.id != id);
                } else {
                    self.done.push(Done::Booked(start));
                }
                self.booked.push(Booked {
                    id,
                    start,
                    end,
                    caller_name: self.info.name.clone(),
                    caller_number: self.info.callback_number.clone(),
                    purpose: self.info.purpose.clone(),
                });
                let slot = self.speak_slot(start, now);
                let key = if goal == Goal::Move {
                    "moved"
                } else {
                    "booked"
                };
                self.goal_done(key, &slot, now, out);
            }
            (Err(CalendarFailure::Taken), _) => {
                let Some(start) = self.proposed.take() else {
                    return;
                };
                // Someone else took it: it is busy now, whatever our snapshot said.
                self.booked.push(Booked {
                    id: String::new(),
                    start,
                    end: start + self.persona.meetings.length(),
                    caller_name: None,
                    caller_number: None,
                    purpose: None,
                });
                let wish = start.with_timezone(&self.persona.timezone).naive_local();
                self.offer_near(wish, now, out, Some("slot_taken"));
            }
            (Err(CalendarFailure::Unavailable), goal) => {
                // The time asked for is not booked blind: it becomes a request the office
                // confirms, taken as the caller's message (read back, then notified).
                if let (Some(start), Goal::Book | Goal::Move) = (self.proposed.take(), goal) {
                    if self.info.message.is_none() {
                        let slot = self.speak_slot(start, now);
                        let about = self
                            .info
                            .purpose
                            .as_deref()
                            .filter(|p| !p.trim().is_empty())
                            .map(|p| format!(" about {}", p.trim_end_matches(['.', '!', '?'])))
                            .unwrap_or_default();
                        let key = if goal == Goal::Move {
                            "tentative_move"
                        } else {
                            "tentative_request"
                        };
                        self.info.message =
                            Some(self.line(key, &[("slot", &slot), ("about_purpose", &about)]));
                        if self.info.callback_number.is_none() {
                            self.info.callback_number = self.caller_id.clone();
                        }
                        out.push(Action::UpdateCaller(self.info.clone()));
                    }
                }
                self.goal = Goal::Message;
                let first = self.line("calendar_down", &[]);
                self.say_then(out, first, |d, o| d.next_step(now, o));
            }
        }
    }

    // ----- messages and wrap-up -------------------------------------------------------------

    fn read_back(&mut self, out: &mut Vec<Action>) {
        self.stage = Stage::ReadBack;
        let name = self
            .info
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "No name given".into());
        let number = self
            .info
            .callback_number
            .as_deref()
            .filter(|n| !n.is_empty())
            .map(spoken_number)
            .unwrap_or_else(|| "no number".into());
        self.read_back_message = self.info.message.clone();
        self.read_back_name = self.info.name.clone();
        let message = self.info.message.clone().unwrap_or_default();
        let message = message.trim_end_matches(['.', '!', '?']).to_string();
        self.say_line(
            out,
            "read_back",
            &[
                ("caller_name", &name),
                ("number_spoken", &number),
                ("message", &message),
            ],
            Expect::YesNo,
        );
    }

    fn message_taken(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        self.retry.clear();
        if !self.done.contains(&Done::Message) {
            self.done.push(Done::Message);
        }
        self.goal = Goal::None;
        if !self.next_goal(now, out) {
            self.wrap_up(now, out);
        }
    }

    fn anything_else(&mut self, out: &mut Vec<Action>) {
        self.goal = Goal::None;
        self.stage = Stage::AnythingElse;
        self.say_line(out, "anything_else", &[], Expect::Request);
    }

    fn miss(&mut self, out: &mut Vec<Action>, key: &str, expect: Expect) {
        self.miss_with(out, key, &[], expect);
    }

    /// [`Self::miss`] with the line's placeholders filled.
    fn miss_with(
        &mut self,
        out: &mut Vec<Action>,
        key: &str,
        vars: &[(&str, &str)],
        expect: Expect,
    ) {
        if self.retry.gives_up(self.stage) {
            self.retry.clear();
            self.goal = Goal::None;
            self.stage = Stage::OfferHelp;
            self.say_line(out, "not_understood_twice", &[], Expect::Free);
        } else {
            self.say_line(out, key, vars, expect);
        }
    }

    /// Says goodbye with what happens next.
    fn wrap_up(&mut self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        // A message already given counts even if the caller left before confirming it.
        if self.info.message.is_some() && !self.done.contains(&Done::Message) {
            self.done.push(Done::Message);
        }
        let number = self
            .info
            .callback_number
            .as_deref()
            .filter(|n| !n.is_empty())
            .map(spoken_number)
            .unwrap_or_default();
        let slot = self.done.iter().rev().find_map(|d| match d {
            Done::Booked(s) | Done::Moved { to: s, .. } => Some(*s),
            _ => None,
        });
        let text = if self.info.escalation.is_some() {
            self.line("goodbye_escalated", &[("number_spoken", &number)])
        } else if self.done.contains(&Done::Message) {
            self.line("goodbye_message", &[])
        } else if let Some(s) = slot {
            let slot = self.speak_slot(s, now);
            self.line("goodbye_booked", &[("slot", &slot)])
        } else {
            self.line("goodbye_generic", &[])
        };
        self.finish(out, text, now);
    }

    fn outcome(&self) -> Outcome {
        self.done
            .iter()
            .map(|d| match d {
                Done::Answered(_) => Outcome::Faq,
                Done::Booked(_) => Outcome::Booked,
                Done::Moved { .. } => Outcome::Rescheduled,
                Done::Cancelled(_) => Outcome::Cancelled,
                Done::Message | Done::SalesDeclined => Outcome::Message,
                Done::Escalated(_) | Done::Transferred => Outcome::Escalated,
                Done::Refused(_) => Outcome::Blocked,
            })
            .filter(|o| *o != Outcome::Message || self.done.contains(&Done::Message))
            .max()
            .unwrap_or(Outcome::Abandoned)
    }

    /// One paragraph for the reviewer: who, why, what was done, what happens next.
    pub fn summary(&self, now: DateTime<Utc>) -> String {
        self.summary_parts(now).text()
    }

    /// The summary as data: what happened, and the next step.
    pub fn summary_parts(&self, now: DateTime<Utc>) -> Summary {
        let tz = self.persona.timezone;
        let who = match (&self.info.name, &self.info.company) {
            (Some(n), Some(c)) if !n.is_empty() => format!("{n} of {c}"),
            (Some(n), None) if !n.is_empty() => n.clone(),
            _ => "An unnamed caller".to_string(),
        };
        let number = self
            .info
            .callback_number
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| self.caller_id.clone())
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let at = self.started.unwrap_or(now).with_timezone(&tz);
        let mut s = format!(
            "{who}{number} called at {}",
            at.format("%-I:%M %p on %A, %B %-d")
        );
        if let Some(c) = self.info.category {
            if c != Category::New {
                s.push_str(&format!(" ({} caller)", c.as_str().replace("vip", "VIP")));
            }
        }
        if let Some(p) = &self.info.purpose {
            s.push_str(&format!("; purpose: \"{}\"", shorten(p, 160)));
        }
        s.push('.');
        for d in &self.done {
            let what = match d {
                Done::Answered(id) => format!("Answered the {id} question."),
                Done::Booked(t) => {
                    format!("Booked a meeting for {}.", calendar::speak(*t, tz, now))
                }
                Done::Moved { from, to } => format!(
                    "Moved their meeting from {} to {}.",
                    calendar::speak(*from, tz, now),
                    calendar::speak(*to, tz, now)
                ),
                Done::Cancelled(t) => format!(
                    "Cancelled their meeting on {}.",
                    calendar::speak(*t, tz, now)
                ),
                Done::Message => format!(
                    "Took a message: \"{}\".",
                    shorten(self.info.message.as_deref().unwrap_or(""), 300)
                ),
                Done::Escalated(r) => {
                    format!("Escalated to {} ({r}).", self.persona.assistant.name)
                }
                Done::Transferred => format!(
                    "Transferred the call live to {} at {}.",
                    self.persona.assistant.name, self.persona.assistant.phone
                ),
                Done::SalesDeclined => "Declined a sales meeting.".to_string(),
                Done::Refused(why) => format!("Refused the call ({why})."),
            };
            s.push(' ');
            s.push_str(&what);
        }
        if let Some(u) = self.info.urgency.filter(|u| *u != Urgency::Routine) {
            s.push_str(&format!(" Urgency: {}.", u.as_str()));
        }
        let next = match self.outcome() {
            Outcome::Escalated if self.done.contains(&Done::Transferred) => {
                format!("none; {} took the call.", self.persona.assistant.name)
            }
            Outcome::Escalated => format!("{} to call back urgently.", self.persona.assistant.name),
            Outcome::Message => format!("{} to call back.", self.persona.executive_first()),
            Outcome::Booked | Outcome::Rescheduled => "the meeting is in the calendar.".to_string(),
            Outcome::Cancelled => "the time is free again.".to_string(),
            Outcome::Faq | Outcome::Blocked => "none.".to_string(),
            Outcome::Abandoned => "none; the caller left before anything was done.".to_string(),
        };
        Summary {
            account: s,
            next_step: Some(next),
        }
    }

    fn push_outcome(&self, now: DateTime<Utc>, out: &mut Vec<Action>) {
        out.push(Action::SetOutcome {
            outcome: self.outcome(),
            summary: self.summary_parts(now),
        });
    }

    fn finish(&mut self, out: &mut Vec<Action>, text: String, now: DateTime<Utc>) {
        self.stage = Stage::Done;
        self.push_outcome(now, out);
        out.push(Action::Say {
            text,
            expect: Expect::Free,
        });
        out.push(Action::Hangup);
    }
}

/// The utterance without the caller's name, for phrase lists a name can trip ("Seo-yeon" is
/// not "SEO").
fn without_name(text: &str) -> String {
    let Some(n) = understand::extract_name(text) else {
        return text.to_string();
    };
    let name: Vec<String> = n.name.split_whitespace().map(str::to_lowercase).collect();
    text.split_whitespace()
        .filter(|w| {
            let bare = w
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
                .to_lowercase();
            !name.contains(&bare)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most `max` characters of `s`, without closing punctuation (the summary adds its own).
fn shorten(s: &str, max: usize) -> String {
    let s = s.trim().trim_end_matches(['.', '!', '?', ',']);
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests;
