//! A generated corpus of callers who try the receptionist the way the world will, and the
//! yardstick that scores it.
//!
//! - [`FactSheet`]: what one caller knows and wants (goals in order, name, company, number,
//!   message, meeting purpose, wished time, possibly in their own zone, planned corrections),
//!   how they sound (voice, rate, line noise, caller ID), the one phrasing they use for each
//!   kind of answer, and the [`Expected`] result.
//! - [`generate`]: a seeded, deterministic corpus spanning every [`Class`].
//! - [`heldout`]: the same kinds of facts said in a held-out phrasebook the dialog was not
//!   written against ([`Phrasebook::Heldout`]).
//! - [`heldout2`]: a second held-out phrasebook ([`Phrasebook::Heldout2`]), written apart from
//!   both: requests buried in small talk or put as questions, vague days made precise later,
//!   answers to another question than the one asked.
//! - [`heldout3`]: a third held-out phrasebook ([`Phrasebook::Heldout3`]), written before its
//!   author read the dialog: polite British, Indian and Australian English, assistants ringing
//!   for their boss, "Tuesday week", corrections of only the wrong part, "sorry, what was that?".
//! - [`heldout4`]: a fourth held-out phrasebook ([`Phrasebook::Heldout4`]), written before its
//!   author read the dialog: plain-spoken, learner and very formal callers, "is this a robot?"
//!   before the request, the number before the name, "a fortnight from today", "fourteen
//!   hundred", self-repairs by a quarter of an hour, "tell him that…".
//! - [`heldout5`]: a fifth held-out phrasebook ([`Phrasebook::Heldout5`]), written before its
//!   author read the dialog: Indian English ("myself…", "prepone", "do the needful"), Irish and
//!   Scottish ("half four", "Monday week"), Southern US ("fixin' to", "noonish"), terse and
//!   rambling callers, numbers with "double", "triple" and "oh".
//! - [`heldout6`]: a sixth held-out phrasebook ([`Phrasebook::Heldout6`]), written before its
//!   author read the dialog: assistants ringing on behalf of their employer (whose name is
//!   recorded), hesitant callers with fillers and restarts, learners of English ("I am calling
//!   for to make appointment", "Tuesday next", "15h30"), callers who ask something back before
//!   answering, very formal callers ("I should like to arrange…", "15:00").
//! - [`heldout7`]: a seventh held-out phrasebook ([`Phrasebook::Heldout7`]), written before its
//!   author read the dialog: distracted callers (driving, on speaker, "hang on, sorry, my kid"),
//!   the whole fact sheet in one breath, casual and young ("wanna grab some time with Alex",
//!   "4ish"), answers as a question or a range ("any time after 3 works"), read-backs corrected
//!   in the caller's own words; "this coming Tuesday", "in 2 days", "12/9", "half 10".
//! - [`heldout8`]: an eighth held-out phrasebook ([`Phrasebook::Heldout8`]), written before its
//!   author read the dialog: sceptics who test the agent and carry on ("Am I talking to an
//!   actual person?"), callers who switch goals in a breath or announce two things, days and
//!   times relative to today ("a week on Friday", "first thing, 9 in the morning"), facts in
//!   pieces ("Surname Krishnan. First name Deepa.", "area code 617, then …"), and callers who
//!   dictate a form ("Name: …. Date: …. Time: ….").
//! - [`heldout9`]: a ninth held-out phrasebook ([`Phrasebook::Heldout9`]), written before its
//!   author read the dialog: storytellers who think aloud ("So, um, basically what happened
//!   was …"), learners ("I am wishing to make appointment with Mr. Alex"), telegraphic callers
//!   ("Meeting. Thursday 2."), dates as numbers ("11/26", "the 26th of the 11th"), numbers in
//!   groups, answers as questions, read-backs corrected in part ("Close, but the end is 0121."),
//!   and follow-ups of an earlier email in British idiom ("I was wondering if I might …").
//! - [`Caller`]: the reactive caller. Given the agent's latest words it answers from its fact
//!   sheet, volunteers, corrects itself once, and checks what is read back to it against what it
//!   knows. It does not care how the agent's words were obtained (dialog text or transcribed
//!   audio), so the same policy drives text and spoken runs.
//! - [`check`]: the strict checker: outcome, appointment instant, FAQ answered, name, number,
//!   message and meeting purpose.
//! - [`run`]: the text-level runner: drives [`crate::logic::dialog::Dialog`] directly with an injected
//!   clock, feeds each utterance as whisper heard it ([`Heard`]), and scores per class.
//!
//! - [`run_spoken_call`]: the spoken run: one generated caller's real call, in its voice over
//!   the websocket against a server started for it, scored from what the store kept.
//!
//! This is test infrastructure that lives in the library so that tests, benches and the spoken
//! runner share it. Only [`Heard::load`] and the spoken run do IO.

mod caller;
mod generate;
mod phrasebook;
mod phrasebook2;
mod phrasebook3;
mod phrasebook4;
mod phrasebook5;
mod phrasebook6;
mod phrasebook7;
mod phrasebook8;
mod phrasebook9;
mod run;
mod spoken;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::logic::calendar::Booked;
use crate::logic::dialog::Outcome;

pub use caller::{slots_in, Caller, Reply};
pub use generate::{corpus_now, generate, CORPUS_SEED};
pub use phrasebook::{heldout, Phrasebook, CORPUS_CALLS, HELDOUT_CALLS, HELDOUT_SEED};
pub use phrasebook2::{heldout2, HELDOUT2_CALLS, HELDOUT2_SEED};
pub use phrasebook3::{heldout3, HELDOUT3_CALLS, HELDOUT3_SEED};
pub use phrasebook4::{heldout4, HELDOUT4_CALLS, HELDOUT4_SEED};
pub use phrasebook5::{heldout5, HELDOUT5_CALLS, HELDOUT5_SEED};
pub use phrasebook6::{heldout6, HELDOUT6_CALLS, HELDOUT6_SEED};
pub use phrasebook7::{heldout7, HELDOUT7_CALLS, HELDOUT7_SEED};
pub use phrasebook8::{heldout8, HELDOUT8_CALLS, HELDOUT8_SEED};
pub use phrasebook9::{heldout9, HELDOUT9_CALLS, HELDOUT9_SEED};
pub use run::{run, run_call, CallResult, ClassRate, Report, Transcript};
pub use spoken::{run_spoken_call, SpokenError, SpokenRig};

/// What a caller came for, in the order they ask.
#[derive(Debug, Clone, PartialEq)]
pub enum Goal {
    /// Leave a message with `content` for the executive.
    Message,
    /// Book a meeting about the purpose at the wished time.
    Book,
    /// "Is Alex free on …?", then book that time.
    FreeThenBook,
    /// Move the existing appointment to the wished time.
    Move,
    /// Cancel the existing appointment.
    Cancel,
    /// Ask a question the FAQ answers (its id).
    Faq(String),
    /// Ask for a person; the message content says why.
    Person,
    /// "I need to speak with Alex tonight": must reach a human.
    Urgent,
}

/// What a call tries: the corpus is scored per class, and a call has several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Message,
    Book,
    FreeThenBook,
    Move,
    Cancel,
    Faq,
    FaqThenMore,
    Person,
    Urgent,
    Vip,
    KnownContact,
    /// Name, company, number or message given before they are asked for.
    Volunteered,
    /// "My number is the one I'm calling from."
    CallerIdNumber,
    /// No caller ID, or a withheld one.
    NoCallerId,
    /// A name sharing a word with the executive's, the assistant's or a listed contact's.
    SharedName,
    /// A name spelled out letter by letter.
    SpelledName,
    /// A day and time in the caller's own zone.
    ForeignZone,
    /// "Thursday at two… actually no, make it Friday at ten."
    CorrectedTime,
    /// A number said wrong, then corrected in the same breath.
    CorrectedNumber,
    /// A time corrected after the agent proposed it.
    ChangedMind,
    /// Line noise between −50 and −40 dBFS.
    Noisy,
}

impl Class {
    /// Every class, in table order.
    pub const ALL: [Class; 21] = [
        Class::Message,
        Class::Book,
        Class::FreeThenBook,
        Class::Move,
        Class::Cancel,
        Class::Faq,
        Class::FaqThenMore,
        Class::Person,
        Class::Urgent,
        Class::Vip,
        Class::KnownContact,
        Class::Volunteered,
        Class::CallerIdNumber,
        Class::NoCallerId,
        Class::SharedName,
        Class::SpelledName,
        Class::ForeignZone,
        Class::CorrectedTime,
        Class::CorrectedNumber,
        Class::ChangedMind,
        Class::Noisy,
    ];

    /// The name in tables and floors.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Message => "message",
            Class::Book => "book",
            Class::FreeThenBook => "free_then_book",
            Class::Move => "move",
            Class::Cancel => "cancel",
            Class::Faq => "faq",
            Class::FaqThenMore => "faq_then_more",
            Class::Person => "person",
            Class::Urgent => "urgent",
            Class::Vip => "vip",
            Class::KnownContact => "known_contact",
            Class::Volunteered => "volunteered",
            Class::CallerIdNumber => "caller_id_number",
            Class::NoCallerId => "no_caller_id",
            Class::SharedName => "shared_name",
            Class::SpelledName => "spelled_name",
            Class::ForeignZone => "foreign_zone",
            Class::CorrectedTime => "corrected_time",
            Class::CorrectedNumber => "corrected_number",
            Class::ChangedMind => "changed_mind",
            Class::Noisy => "noisy",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The callback number the caller wants used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// These digits, as the caller says them (country code included for non-NANP numbers).
    Spoken(String),
    /// "The one I'm calling from" (the caller ID).
    CallerId,
}

/// The time a caller wants, and how they say it.
#[derive(Debug, Clone, PartialEq)]
pub struct Wish {
    /// The instant they mean.
    pub start: DateTime<Utc>,
    /// How they say it: "next Monday at 3 PM London time".
    pub spoken: String,
    /// Their own zone when it is not the persona's.
    pub zone: Option<Tz>,
}

/// The one phrasing this caller uses for each kind of answer. Everything the caller can say is
/// here, so the corpus can be rendered to speech once ([`FactSheet::utterances`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lines {
    /// The first thing they say after the greeting (may volunteer several facts).
    pub opening: String,
    /// For each goal after the first: how they bring it up at "anything else?".
    pub next_goals: Vec<String>,
    /// For each goal: a plain restatement when the agent did not understand.
    pub restate: Vec<String>,
    pub name: String,
    /// "No, my name is …" when a read-back has the name wrong.
    pub name_fix: String,
    /// Their last name spelled, asked to spell it: "Krishnan, K. R. I. S. H. N. A. N."
    pub spelling: String,
    /// Both names spelled, asked to spell "your name".
    pub spelling_full: String,
    /// When their existing appointment is, asked to find it: "It's Friday at 10 AM."
    pub booked_when: String,
    pub number: String,
    /// The number said digit by digit in words, when asked to: "six one seven, five five …".
    pub number_digits: String,
    /// "No, please call me on …" when the agent offers another number.
    pub number_fix: String,
    pub message: String,
    pub purpose: String,
    /// The answer to "what day and time?" (with an inline correction when planned, or the
    /// first, wrong wish of a caller who will change their mind).
    pub when: String,
    /// The right wish restated: "No, I said Friday at 10 AM."
    pub when_again: String,
    /// Said once at the first proposal by a caller who changes their mind.
    pub change_mind: Option<String>,
    /// Picking the wished time among offered ones: "The 10 AM one, please."
    pub pick: String,
    pub yes: String,
    /// A fuller yes, when the first was not heard: "Yes, that's right, thank you."
    pub yes_again: String,
    pub no: String,
    /// Turning down an offer: "No, thank you."
    pub decline: String,
    pub bye: String,
    /// Giving in after the agent gets something wrong twice.
    pub give_up: String,
    /// "A message, please" when offered a message or a person.
    pub want_message: String,
    pub want_person: String,
    /// Said once, the first time one question is put, instead of its answer: a caller who
    /// answers another question than the one asked (the topic where the spelling was asked, the
    /// number where the name was). The answer itself comes when the question is put again.
    pub aside: Option<Aside>,
}

/// A question the agent puts, as the caller hears it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Name,
    Spelling,
    Number,
    Purpose,
    /// A time proposed: "Shall I go ahead and book …?"
    Proposal,
    /// The message read back.
    ReadBack,
}

/// What a caller says, once, where `at` was asked: "Oh, it's about the budget review." at the
/// spelling question.
#[derive(Debug, Clone, PartialEq)]
pub struct Aside {
    pub at: Asked,
    pub say: String,
}

/// What one caller knows and wants, how they sound, and what should come of the call.
#[derive(Debug, Clone, PartialEq)]
pub struct FactSheet {
    /// A stable id: `c042`.
    pub id: String,
    pub classes: Vec<Class>,
    pub goals: Vec<Goal>,
    /// The full name as it should be recorded.
    pub name: String,
    pub company: Option<String>,
    pub callback: Callback,
    /// The caller ID the line shows (`None`: none at all; "Anonymous": withheld).
    pub caller_id: Option<String>,
    /// What to pass on (message, urgent and person goals).
    pub content: String,
    /// Words of `content` the stored message must contain.
    pub content_keywords: Vec<String>,
    /// What the meeting is about, and the words the stored purpose must contain.
    pub purpose: String,
    pub purpose_keywords: Vec<String>,
    /// The time they want (book, free-then-book, move).
    pub wish: Option<Wish>,
    /// The appointment they already have (move, cancel): seeded in the calendar.
    pub existing: Option<Booked>,
    /// Voice name: "hibari" or a Piper voice such as "en_GB-alan-medium".
    pub voice: String,
    /// Speaking rate (1.0 normal).
    pub rate: f32,
    /// Line noise in dBFS.
    pub noise_dbfs: Option<f32>,
    pub lines: Lines,
    pub expected: Expected,
}

impl FactSheet {
    /// The whole name spelled with a word for each letter, as callers spell when a spelling
    /// was misheard and a word for each letter is asked for: "N as in Nancy, G as in George, O
    /// as in Oscar, …, and the last name is A as in apple, …". Any phrasebook's caller says it
    /// the same way; the words and "as in" or "for" vary with the caller.
    pub fn spelling_words(&self) -> String {
        const WORDS: [&[&str]; 26] = [
            &["apple", "Alpha", "Adam"],
            &["boy", "Bravo", "Bob"],
            &["cat", "Charlie"],
            &["dog", "David", "Delta"],
            &["Edward", "Echo", "Emma"],
            &["Frank", "Foxtrot"],
            &["George", "Golf"],
            &["Harry", "Hotel"],
            &["India", "ice"],
            &["John", "Juliet"],
            &["kite", "Kilo"],
            &["Larry", "Lima", "lemon"],
            &["Mary", "Mike"],
            &["Nancy", "November"],
            &["orange", "Oscar"],
            &["Peter", "Papa"],
            &["queen", "Quebec"],
            &["Robert", "Romeo"],
            &["Sam", "Sierra", "sugar"],
            &["Tom", "Tango"],
            &["umbrella", "Uniform"],
            &["Victor", "violin"],
            &["William", "Whiskey"],
            &["x-ray"],
            &["yellow", "Yankee"],
            &["zebra", "Zulu"],
        ];
        let seed: usize = self.id.bytes().map(usize::from).sum();
        let lead = if seed % 3 == 2 { "for" } else { "as in" };
        let words: Vec<String> = self
            .name
            .split_whitespace()
            .enumerate()
            .map(|(w, word)| {
                let letters: Vec<String> = word
                    .chars()
                    .filter(char::is_ascii_alphabetic)
                    .enumerate()
                    .map(|(k, c)| {
                        let c = c.to_ascii_uppercase();
                        let choices = WORDS[usize::from(c as u8 - b'A')];
                        format!("{c} {lead} {}", choices[(seed + w + k) % choices.len()])
                    })
                    .collect();
                letters.join(", ")
            })
            .collect();
        match words.as_slice() {
            [] => String::new(),
            [one] => format!("{one}."),
            [first @ .., last] => format!(
                "{}, and the last name is {last}.",
                first.join(", and then ")
            ),
        }
    }

    /// Every utterance this caller can say, each once.
    pub fn utterances(&self) -> Vec<String> {
        let l = &self.lines;
        let mut all = vec![l.opening.clone()];
        all.extend(l.next_goals.iter().cloned());
        all.extend(l.restate.iter().cloned());
        all.extend(
            [
                &l.name,
                &l.name_fix,
                &l.booked_when,
                &l.spelling,
                &l.spelling_full,
                &l.number,
                &l.number_digits,
                &l.number_fix,
                &l.message,
                &l.purpose,
                &l.when,
                &l.when_again,
                &l.pick,
                &l.yes,
                &l.yes_again,
                &l.no,
                &l.decline,
                &l.bye,
                &l.give_up,
                &l.want_message,
                &l.want_person,
            ]
            .into_iter()
            .cloned(),
        );
        all.extend(l.change_mind.iter().cloned());
        all.extend(l.aside.iter().map(|a| a.say.clone()));
        all.push(self.spelling_words());
        let mut seen = std::collections::HashSet::new();
        all.retain(|u| !u.is_empty() && seen.insert(u.clone()));
        all
    }

    /// The callback number's digits, if the caller has one to give.
    pub fn callback_digits(&self) -> Option<String> {
        match &self.callback {
            Callback::Spoken(d) => Some(d.clone()),
            Callback::CallerId => self.caller_id.as_deref().map(digits),
        }
    }
}

/// What should come of the call.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub outcome: Outcome,
    pub appointment: Option<ExpectedAppointment>,
    /// FAQ ids that must be answered.
    pub faq: Vec<String>,
    /// The name that must be recorded (on the meeting, or the caller).
    pub name: Option<String>,
    /// The callback digits that must be recorded.
    pub number: Option<String>,
    /// Words the message must contain (for urgent and person calls, the message or the purpose).
    pub message_keywords: Vec<String>,
    /// Words the booked meeting's purpose must contain.
    pub purpose_keywords: Vec<String>,
}

/// The calendar change a call must make.
#[derive(Debug, Clone, PartialEq)]
pub enum ExpectedAppointment {
    Booked(DateTime<Utc>),
    Moved { id: String, to: DateTime<Utc> },
    Cancelled { id: String },
}

/// What a call actually did, as the checker sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    pub outcome: Option<Outcome>,
    pub summary: String,
    /// Meetings booked (the store said yes).
    pub booked: Vec<crate::logic::dialog::Meeting>,
    /// Appointments moved: id and new start.
    pub moved: Vec<(String, DateTime<Utc>)>,
    pub cancelled: Vec<String>,
    pub caller: crate::logic::dialog::CallerInfo,
    /// The caller hung up at the turn limit.
    pub stuck: bool,
    /// The agent asked about a meeting while the caller wanted something else.
    pub misrouted: bool,
}

/// The first check a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Stuck,
    /// Asked for a meeting's purpose or time, or offered slots, to a caller who wanted no meeting.
    Misrouted,
    Outcome {
        want: Outcome,
        got: Option<Outcome>,
    },
    Appointment {
        want: String,
        got: String,
    },
    Faq(String),
    Name {
        want: String,
        got: Option<String>,
    },
    Number {
        want: String,
        got: Option<String>,
    },
    Message {
        missing: Vec<String>,
        got: Option<String>,
    },
    Purpose {
        missing: Vec<String>,
        got: Option<String>,
    },
}

impl Failure {
    /// A short name for tallies: "outcome", "name", …
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Stuck => "stuck",
            Failure::Misrouted => "misrouted",
            Failure::Outcome { .. } => "outcome",
            Failure::Appointment { .. } => "appointment",
            Failure::Faq(_) => "faq",
            Failure::Name { .. } => "name",
            Failure::Number { .. } => "number",
            Failure::Message { .. } => "message",
            Failure::Purpose { .. } => "purpose",
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Stuck => write!(
                f,
                "stuck: the caller gave up (turn limit, or offered times it never asked for)"
            ),
            Failure::Misrouted => write!(
                f,
                "misrouted: meeting questions to a caller who wanted no meeting"
            ),
            Failure::Outcome { want, got } => write!(
                f,
                "outcome: want {}, got {}",
                want.as_str(),
                got.map(|o| o.as_str()).unwrap_or("none")
            ),
            Failure::Appointment { want, got } => {
                write!(f, "appointment: want {want}, got {got}")
            }
            Failure::Faq(id) => write!(f, "faq: the {id} question was not answered"),
            Failure::Name { want, got } => write!(f, "name: want {want:?}, got {got:?}"),
            Failure::Number { want, got } => write!(f, "number: want {want}, got {got:?}"),
            Failure::Message { missing, got } => {
                write!(f, "message: missing {missing:?} in {got:?}")
            }
            Failure::Purpose { missing, got } => {
                write!(f, "purpose: missing {missing:?} in {got:?}")
            }
        }
    }
}

/// The digits of `s`, without a leading NANP `1` on an 11-digit number.
pub fn digits(s: &str) -> String {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    if d.len() == 11 && d.starts_with('1') {
        d[1..].to_string()
    } else {
        d
    }
}

/// Lower-case letters and spaces only.
fn letters(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphabetic() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `got` names `want`: every word of `want` is in `got`, written close enough that the
/// executive knows who called. A word matches when it is spelled alike (Jaro-Winkler ≥ 0.88,
/// case and punctuation ignored) or when it sounds alike, as a receptionist writes a name heard
/// once: the same full Double Metaphone code ("Haddad" as "Hadid" or "Haddett", "Mensah" as
/// "Mensa") and still spelled somewhat alike (Jaro-Winkler ≥ 0.75), for words of five letters
/// or more (in a short name the vowels are the name: "Chen" is not "Chan"). "Krishnan" heard as
/// "Karshan" or "Otieno" as "Oceano" is wrong. Empty never matches.
pub fn name_matches(want: &str, got: &str) -> bool {
    // "Ji-woo" and "Jiwoo", "O'Sullivan" and "Osullivan" are one written name.
    let joined = |s: &str| s.replace(['-', '\'', '’'], "");
    let (want, got) = (joined(want), joined(got));
    let got = letters(&got);
    let got: Vec<&str> = got.split_whitespace().collect();
    if got.is_empty() {
        return false;
    }
    let dm = rphonetic::DoubleMetaphone::new(Some(12));
    let codes = |w: &str| {
        let r = dm.double_metaphone(w);
        [r.primary(), r.alternate()]
            .into_iter()
            .filter(|c| c.len() >= 2)
            .collect::<Vec<_>>()
    };
    letters(&want).split_whitespace().all(|w| {
        let mine = codes(w);
        got.iter().any(|g| {
            let jw = strsim::jaro_winkler(w, g);
            (jw >= 0.88 && g.len() + 2 >= w.len())
                || (w.len() >= 5 && jw >= 0.75 && codes(g).iter().any(|c| mine.contains(c)))
        })
    })
}

/// The words of `keywords` missing from `text` (case-insensitive; a keyword may be several
/// words; a word matches a close spelling, Jaro-Winkler ≥ 0.9).
pub fn missing_keywords(keywords: &[String], text: &str) -> Vec<String> {
    let text = letters(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    keywords
        .iter()
        .filter(|k| {
            !letters(k)
                .split_whitespace()
                .all(|kw| words.iter().any(|w| strsim::jaro_winkler(kw, w) >= 0.9))
        })
        .cloned()
        .collect()
}

/// Scores one call: `Ok` when everything expected happened, else the first failed check.
pub fn check(expected: &Expected, got: &Observed) -> Result<(), Failure> {
    if got.stuck {
        return Err(Failure::Stuck);
    }
    if got.outcome != Some(expected.outcome) {
        return Err(Failure::Outcome {
            want: expected.outcome,
            got: got.outcome,
        });
    }
    if got.misrouted {
        return Err(Failure::Misrouted);
    }
    let describe = |o: &Observed| {
        let mut parts: Vec<String> = o
            .booked
            .iter()
            .map(|m| format!("booked {}", m.start.to_rfc3339()))
            .collect();
        parts.extend(
            o.moved
                .iter()
                .map(|(id, t)| format!("moved {id} to {}", t.to_rfc3339())),
        );
        parts.extend(o.cancelled.iter().map(|id| format!("cancelled {id}")));
        if parts.is_empty() {
            "nothing".to_string()
        } else {
            parts.join(", ")
        }
    };
    let changes = got.booked.len() + got.moved.len() + got.cancelled.len();
    let (want, ok) = match &expected.appointment {
        None => ("nothing".to_string(), changes == 0),
        Some(ExpectedAppointment::Booked(t)) => (
            format!("booked {}", t.to_rfc3339()),
            changes == 1 && got.booked.iter().any(|m| m.start == *t),
        ),
        Some(ExpectedAppointment::Moved { id, to }) => (
            format!("moved {id} to {}", to.to_rfc3339()),
            changes == 1 && got.moved.iter().any(|(i, t)| i == id && t == to),
        ),
        Some(ExpectedAppointment::Cancelled { id }) => (
            format!("cancelled {id}"),
            changes == 1 && got.cancelled.contains(id),
        ),
    };
    if !ok {
        return Err(Failure::Appointment {
            want,
            got: describe(got),
        });
    }
    for id in &expected.faq {
        if !got.summary.contains(&format!("Answered the {id} question")) {
            return Err(Failure::Faq(id.clone()));
        }
    }
    let meeting = got.booked.first();
    if let Some(want) = &expected.name {
        let name = match meeting {
            Some(m) => m.caller_name.clone(),
            None => got.caller.name.clone(),
        };
        if !name.as_deref().is_some_and(|n| name_matches(want, n)) {
            return Err(Failure::Name {
                want: want.clone(),
                got: name,
            });
        }
    }
    if let Some(want) = &expected.number {
        let number = match meeting {
            Some(m) => m.caller_number.clone(),
            None => got.caller.callback_number.clone(),
        };
        if number.as_deref().map(digits).as_ref() != Some(want) {
            return Err(Failure::Number {
                want: want.clone(),
                got: number,
            });
        }
    }
    if !expected.message_keywords.is_empty() {
        let message = got.caller.message.clone();
        let mut missing =
            missing_keywords(&expected.message_keywords, message.as_deref().unwrap_or(""));
        // A call that must reach a human may carry its reason as the purpose instead.
        if !missing.is_empty() && expected.outcome == Outcome::Escalated {
            let purpose = got.caller.purpose.as_deref().unwrap_or("");
            let in_purpose = missing_keywords(&expected.message_keywords, purpose);
            if in_purpose.is_empty() {
                missing.clear();
            }
        }
        if !missing.is_empty() {
            return Err(Failure::Message {
                missing,
                got: message,
            });
        }
    }
    if !expected.purpose_keywords.is_empty() {
        let purpose = meeting.and_then(|m| m.purpose.clone());
        let missing =
            missing_keywords(&expected.purpose_keywords, purpose.as_deref().unwrap_or(""));
        if !missing.is_empty() {
            return Err(Failure::Purpose {
                missing,
                got: purpose,
            });
        }
    }
    Ok(())
}

/// One rendering of a caller's utterance: which voice, rate and line noise said `text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HeardKey {
    pub voice: String,
    /// The rate, two decimals: "1.10".
    pub rate: String,
    /// The noise level in whole dBFS ("-44"), or "none".
    pub noise: String,
    pub text: String,
}

impl HeardKey {
    /// The key for `text` said by `sheet`'s caller.
    pub fn new(sheet: &FactSheet, text: &str) -> Self {
        Self {
            voice: sheet.voice.clone(),
            rate: format!("{:.2}", sheet.rate),
            noise: sheet
                .noise_dbfs
                .map(|n| format!("{n:.0}"))
                .unwrap_or_else(|| "none".into()),
            text: text.to_string(),
        }
    }
}

/// One line of `tests/data/callers/heard.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeardRow {
    #[serde(flatten)]
    pub key: HeardKey,
    pub heard: String,
}

/// What whisper heard for each rendered utterance; the text itself when it was not rendered.
#[derive(Debug, Clone, Default)]
pub struct Heard {
    map: HashMap<HeardKey, String>,
}

impl Heard {
    /// No renderings: every utterance is heard as typed.
    pub fn none() -> Self {
        Self::default()
    }

    /// Reads a heard cache; a missing file is an empty cache, a bad line an error.
    pub fn load(path: &Path) -> std::io::Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::none()),
            Err(e) => return Err(e),
        };
        let mut map = HashMap::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let row: HeardRow = serde_json::from_str(line).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}:{}: {e}", path.display(), i + 1),
                )
            })?;
            map.insert(row.key, row.heard);
        }
        Ok(Self { map })
    }

    /// Reads several heard caches into one (the corpus's `heard.jsonl` and the held-out
    /// phrasebooks' `heard_heldout.jsonl`): rows are keyed by voice, rate, noise and text, so a
    /// rendering is the same whichever file holds it; a later file's row wins.
    pub fn load_all(paths: &[&Path]) -> std::io::Result<Self> {
        let mut map = HashMap::new();
        for path in paths {
            map.extend(Self::load(path)?.map);
        }
        Ok(Self { map })
    }

    /// Whether every utterance `sheet`'s caller can say was rendered, so that a run of the
    /// call hears all of it through whisper.
    pub fn renders(&self, sheet: &FactSheet) -> bool {
        sheet
            .utterances()
            .iter()
            .all(|text| self.contains(&HeardKey::new(sheet, text)))
    }

    /// How many renderings are cached.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Whether `key` was rendered.
    pub fn contains(&self, key: &HeardKey) -> bool {
        self.map.contains_key(key)
    }

    /// What whisper heard when `sheet`'s caller said `text`.
    pub fn hear(&self, sheet: &FactSheet, text: &str) -> String {
        self.map
            .get(&HeardKey::new(sheet, text))
            .cloned()
            .unwrap_or_else(|| text.to_string())
    }
}

/// A local wall-clock time in `tz` as a UTC instant (the earlier one in a DST fold).
pub(crate) fn instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    use chrono::TimeZone;
    tz.from_local_datetime(&local)
        .earliest()
        .expect("corpus times avoid DST gaps")
        .with_timezone(&Utc)
}
