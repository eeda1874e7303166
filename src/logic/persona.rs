//! Who the agent answers for: the executive, office, assistant, vocabulary and every line the
//! agent speaks, loaded from `prompts/persona.toml`.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::logic::calendar::MeetingRules;
use crate::logic::dialog::faq::Faq;
use crate::logic::dialog::screen::Screening;

/// A persona file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PersonaError {
    #[error("cannot read persona {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("persona {path} is not valid: {message}")]
    Parse { path: String, message: String },
    #[error("persona: invalid {key}: {reason}")]
    Invalid { key: String, reason: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPersona {
    executive: String,
    title: String,
    company: String,
    timezone: String,
    /// The city callers know the zone by ("Boston time"); defaults to the zone's city.
    #[serde(default)]
    city: Option<String>,
    /// Ask new callers to spell the name on a message or booking (default false).
    #[serde(default)]
    spell_names: bool,
    address: String,
    office_hours: RawHours,
    assistant: Assistant,
    #[serde(default)]
    vocabulary: Vec<String>,
    #[serde(default)]
    meetings: Option<RawMeetings>,
    /// The FAQ file, relative to the persona file.
    #[serde(default)]
    pub(crate) faq: Option<String>,
    /// The screening file, relative to the persona file.
    #[serde(default)]
    pub(crate) screening: Option<String>,
    lines: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeetings {
    days: Vec<String>,
    start: String,
    end: String,
    length_minutes: u32,
    step_minutes: u32,
    min_notice_hours: u32,
    horizon_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHours {
    days: Vec<String>,
    open: String,
    close: String,
}

/// The human who takes over when the agent cannot help.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assistant {
    /// Full name.
    pub name: String,
    /// E.164 number.
    pub phone: String,
    /// Days they take transferred calls.
    #[serde(default)]
    pub on_call_days: Vec<String>,
    /// When their on-call window opens ("18:00").
    #[serde(default)]
    pub on_call_from: Option<String>,
    /// When it closes ("23:00"; earlier than `on_call_from` means after midnight).
    #[serde(default)]
    pub on_call_until: Option<String>,
}

/// When the assistant takes live transfers, in the persona's zone.
#[derive(Debug, Clone, PartialEq)]
pub struct OnCall {
    pub days: Vec<Weekday>,
    pub from: NaiveTime,
    pub until: NaiveTime,
}

/// The executive's office hours in their time zone.
#[derive(Debug, Clone)]
pub struct OfficeHours {
    /// Open days.
    pub days: Vec<Weekday>,
    /// Opening time.
    pub open: NaiveTime,
    /// Closing time.
    pub close: NaiveTime,
}

/// The lines every persona must define.
pub const REQUIRED_LINES: &[&str] = &[
    "greeting_after_hours",
    "greeting_in_hours",
    "ask_name_again",
    "ask_number_caller_id",
    "ask_number",
    "ask_number_again",
    "confirm_number",
    "ask_message",
    "read_back",
    "fix_message",
    "confirm_again",
    "goodbye_message",
    "still_there",
    "not_heard",
    "goodbye_silence",
    "goodbye_generic",
    "greeting_known",
    "how_can_i_help",
    "who_am_i",
    "can_do",
    "message_seen",
    "why_asked",
    "executive_away",
    "ask_name",
    "ask_name_to_find",
    "ask_spelling",
    "ask_name_spelled",
    "ask_purpose",
    "ask_when",
    "ask_when_again",
    "ask_when_other",
    "offer_misheard",
    "offer_choices",
    "which_choice",
    "no_slots",
    "propose_booking",
    "propose_move",
    "confirm_slot_again",
    "booked",
    "moved",
    "slot_taken",
    "calendar_down",
    "tentative_request",
    "tentative_move",
    "unavailable_busy",
    "unavailable_past",
    "unavailable_soon",
    "unavailable_far",
    "unavailable_hours",
    "unavailable_grid",
    "unavailable_generic",
    "found_move",
    "found_cancel",
    "cancelled",
    "keep_appointment",
    "appointment_not_found",
    "appointment_not_found_again",
    "ask_booked_when",
    "anything_else",
    "faq_unknown",
    "not_understood",
    "not_understood_twice",
    "sales",
    "spam",
    "blocked",
    "escalate_urgent",
    "escalate_person",
    "escalate_misunderstood",
    "transferring",
    "transfer_connecting",
    "transfer_failed",
    "transfer_unanswered",
    "goodbye_escalated",
    "goodbye_booked",
    "free_at",
    "free_choices",
    "noted_ask_name",
    "no_choices_yet",
    "ask_message_again",
    "escalate_tonight",
    "ask_time_on",
    "confirm_cancel_again",
    "confirm_move_again",
    "confirm_spelling",
    "ask_spelling_words",
];

/// A loaded, validated persona.
#[derive(Debug, Clone)]
pub struct Persona {
    /// The executive's full name.
    pub executive: String,
    /// Their title.
    pub title: String,
    /// Their company.
    pub company: String,
    /// Their time zone.
    pub timezone: Tz,
    /// The city callers know the zone by, as in "10 AM Boston time".
    pub city: String,
    /// Ask a new caller, once, to spell the name that goes on a message or a booking.
    pub spell_names: bool,
    /// Office address.
    pub address: String,
    /// Office hours.
    pub office_hours: OfficeHours,
    /// The on-call human.
    pub assistant: Assistant,
    /// Words to bias transcription toward.
    pub vocabulary: Vec<String>,
    /// When the assistant takes live transfers; `None`: never.
    pub on_call: Option<OnCall>,
    /// When meetings may be booked.
    pub meetings: MeetingRules,
    /// Questions the assistant answers by itself.
    pub faq: Faq,
    /// Who is VIP, known, blocked; sales, spam and urgency phrases; escalation rules.
    pub screening: Screening,
    /// The office's own place names of two words or more ("Pier Road", "Harbor Street"), from
    /// its address and FAQ answers: what whisper writes as words that sound the same ("peer
    /// road") is written as the office writes it.
    pub places: Vec<String>,
    lines: BTreeMap<String, String>,
}

/// Runs of two or more capitalised words in `text` that do not start a sentence ("Visitors can
/// park … on Pier Road" gives "Pier Road"), leaving out any with a word of `people`'s names.
fn place_names(text: &str, people: &[&str]) -> Vec<String> {
    let person_words: Vec<String> = people
        .iter()
        .flat_map(|p| p.split_whitespace())
        .map(str::to_lowercase)
        .collect();
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut sentence_start = true;
    let mut flush = |run: &mut Vec<&str>| {
        if run.len() >= 2 && !run.iter().any(|w| person_words.contains(&w.to_lowercase())) {
            out.push(run.join(" "));
        }
        run.clear();
    };
    for raw in text.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let capital = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().all(char::is_alphabetic);
        if capital && !sentence_start {
            run.push(word);
        } else {
            flush(&mut run);
        }
        if raw.ends_with([',', ';', ':', '(', ')']) {
            flush(&mut run);
        }
        sentence_start = raw.ends_with(['.', '!', '?']);
    }
    flush(&mut run);
    out
}

/// The city in a zone's name: "America/New_York" → "New York".
fn zone_city(tz: Tz) -> String {
    tz.name().rsplit('/').next().unwrap_or("").replace('_', " ")
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    s.trim().parse::<Weekday>().ok()
}

impl Persona {
    /// This persona with the desk's `contacts` merged into its screening lists
    /// ([`Screening::with_contacts`]): what one call screens by.
    pub fn with_contacts(&self, contacts: &[crate::logic::dialog::screen::Listed]) -> Persona {
        let mut p = self.clone();
        p.screening = self.screening.with_contacts(contacts);
        p
    }
}

impl Persona {
    /// Parses and validates persona TOML whose FAQ and screening files are given as text
    /// (`None`: no FAQ, no screening lists).
    pub fn from_parts(
        text: &str,
        faq: Option<&str>,
        screening: Option<&str>,
    ) -> Result<Self, PersonaError> {
        Self::build(Self::parse_raw(text)?, faq, screening)
    }

    /// Parses and validates persona TOML alone (no FAQ, no screening lists).
    pub fn from_toml(text: &str) -> Result<Self, PersonaError> {
        Self::from_parts(text, None, None)
    }

    pub(crate) fn parse_raw(text: &str) -> Result<RawPersona, PersonaError> {
        toml::from_str(text).map_err(|e| PersonaError::Parse {
            path: "<text>".into(),
            message: e.to_string(),
        })
    }

    pub(crate) fn build(
        raw: RawPersona,
        faq: Option<&str>,
        screening: Option<&str>,
    ) -> Result<Self, PersonaError> {
        let invalid = |key: &str, reason: String| PersonaError::Invalid {
            key: key.into(),
            reason,
        };
        let timezone: Tz = raw.timezone.parse().map_err(|_| {
            invalid(
                "timezone",
                format!("{:?} is not an IANA time zone", raw.timezone),
            )
        })?;
        let days = raw
            .office_hours
            .days
            .iter()
            .map(|d| {
                parse_weekday(d)
                    .ok_or_else(|| invalid("office_hours.days", format!("{d:?} is not a weekday")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let time = |key: &str, v: &str| {
            NaiveTime::parse_from_str(v, "%H:%M")
                .map_err(|_| invalid(key, format!("{v:?} is not HH:MM")))
        };
        let open = time("office_hours.open", &raw.office_hours.open)?;
        let close = time("office_hours.close", &raw.office_hours.close)?;
        if close <= open {
            return Err(invalid("office_hours.close", "must be after open".into()));
        }
        for line in REQUIRED_LINES {
            if !raw.lines.contains_key(*line) {
                return Err(invalid(&format!("lines.{line}"), "is missing".into()));
            }
        }
        let meetings = match &raw.meetings {
            None => MeetingRules::default(),
            Some(m) => MeetingRules {
                days: m
                    .days
                    .iter()
                    .map(|d| {
                        parse_weekday(d).ok_or_else(|| {
                            invalid("meetings.days", format!("{d:?} is not a weekday"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                start: time("meetings.start", &m.start)?,
                end: time("meetings.end", &m.end)?,
                length_minutes: m.length_minutes,
                step_minutes: m.step_minutes,
                min_notice_hours: m.min_notice_hours,
                horizon_days: m.horizon_days,
            },
        };
        meetings.validate().map_err(|reason| {
            let (key, reason) = reason.split_once(": ").unwrap_or(("", &reason));
            invalid(&format!("meetings.{key}"), reason.to_string())
        })?;
        let on_call = match (&raw.assistant.on_call_from, &raw.assistant.on_call_until) {
            (None, None) => None,
            (Some(from), Some(until)) => Some(OnCall {
                days: raw
                    .assistant
                    .on_call_days
                    .iter()
                    .map(|d| {
                        parse_weekday(d).ok_or_else(|| {
                            invalid("assistant.on_call_days", format!("{d:?} is not a weekday"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                from: time("assistant.on_call_from", from)?,
                until: time("assistant.on_call_until", until)?,
            }),
            _ => {
                return Err(invalid(
                    "assistant.on_call_until",
                    "on_call_from and on_call_until go together".into(),
                ))
            }
        };
        let faq = match faq {
            Some(text) => Faq::from_toml(text).map_err(|e| invalid("faq", e.to_string()))?,
            None => Faq::from_toml("").map_err(|e| invalid("faq", e.to_string()))?,
        };
        let screening = match screening {
            Some(text) => {
                Screening::from_toml(text).map_err(|e| invalid("screening", e.to_string()))?
            }
            None => Screening::default(),
        };
        let people = [raw.executive.as_str(), raw.assistant.name.as_str()];
        let mut places: Vec<String> = Vec::new();
        for text in std::iter::once(raw.address.as_str())
            .chain(faq.entries().iter().map(|e| e.answer.as_str()))
        {
            for place in place_names(text, &people) {
                if !places.contains(&place) {
                    places.push(place);
                }
            }
        }
        Ok(Self {
            executive: raw.executive,
            title: raw.title,
            company: raw.company,
            city: raw
                .city
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| zone_city(timezone)),
            spell_names: raw.spell_names,
            timezone,
            address: raw.address,
            office_hours: OfficeHours { days, open, close },
            assistant: raw.assistant,
            vocabulary: raw.vocabulary,
            on_call,
            meetings,
            places,
            faq,
            screening,
            lines: raw.lines,
        })
    }

    /// The executive's first name.
    pub fn executive_first(&self) -> &str {
        self.executive
            .split_whitespace()
            .next()
            .unwrap_or(&self.executive)
    }

    /// Whether the office is open at `now`.
    pub fn in_office_hours(&self, now: DateTime<Utc>) -> bool {
        let local = now.with_timezone(&self.timezone);
        let t = local.time();
        self.office_hours.days.contains(&local.weekday())
            && t >= self.office_hours.open
            && t < self.office_hours.close
    }

    /// Whether the assistant takes live transfers at `now`. A window that ends before it starts
    /// runs past midnight and belongs to the day it starts on.
    pub fn on_call_at(&self, now: DateTime<Utc>) -> bool {
        let Some(w) = &self.on_call else {
            return false;
        };
        let local = now.with_timezone(&self.timezone);
        let t = local.time();
        if w.from <= w.until {
            w.days.contains(&local.weekday()) && t >= w.from && t < w.until
        } else if t >= w.from {
            w.days.contains(&local.weekday())
        } else {
            t < w.until && w.days.contains(&local.weekday().pred())
        }
    }

    /// "morning", "afternoon" or "evening" at `now` in the persona's zone.
    pub fn part_of_day(&self, now: DateTime<Utc>) -> &'static str {
        match now.with_timezone(&self.timezone).hour() {
            4..=11 => "morning",
            12..=17 => "afternoon",
            _ => "evening",
        }
    }

    /// Every line the agent may say, with the persona's own placeholders and each part of the
    /// day filled in; placeholders for a caller's details stay as `{name}`. For speaking the
    /// fixed sentences ahead of calls.
    pub fn filled_lines(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for name in self.lines.keys() {
            for part in ["morning", "afternoon", "evening"] {
                let line = self.line(name, &[("part_of_day", part)]);
                if !out.contains(&line) {
                    out.push(line);
                }
            }
        }
        out
    }

    /// A line with its placeholders filled: the persona's own (`executive`, `executive_first`,
    /// `company`, `assistant`) plus `vars`.
    pub fn line(&self, name: &str, vars: &[(&str, &str)]) -> String {
        let template = self.lines.get(name).map(String::as_str).unwrap_or(name);
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let key = &after[..close];
                    let value = vars
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map(|(_, v)| (*v).to_string())
                        .or_else(|| match key {
                            "executive" => Some(self.executive.clone()),
                            "executive_first" => Some(self.executive_first().to_string()),
                            "company" => Some(self.company.clone()),
                            "assistant" => Some(self.assistant.name.clone()),
                            _ => None,
                        });
                    match value {
                        Some(v) => out.push_str(&v),
                        None => {
                            out.push('{');
                            out.push_str(key);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The prompt that biases whisper toward this persona's names and words.
    pub fn stt_prompt(&self) -> String {
        let mut words = vec![
            self.executive.clone(),
            self.company.clone(),
            self.assistant.name.clone(),
        ];
        for w in &self.vocabulary {
            if !words.contains(w) {
                words.push(w.clone());
            }
        }
        format!(
            "A phone call to {}'s office. {}.",
            self.executive,
            words.join(", ")
        )
    }
}

/// The shipped persona, as the dialog's tests use it: without the spelling question (its
/// own tests turn it on), so each test reads as the conversation it is about.
#[cfg(test)]
pub(crate) fn default_persona() -> Persona {
    let mut p = Persona::from_parts(
        include_str!("../../prompts/persona.toml"),
        Some(include_str!("../../prompts/faq.toml")),
        Some(include_str!("../../prompts/screening.toml")),
    )
    .expect("default persona is valid");
    p.spell_names = false;
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn places_are_the_offices_own_capitalised_runs_without_people() {
        let p = default_persona();
        assert!(
            p.places.contains(&"Pier Road".to_string()),
            "{:?}",
            p.places
        );
        assert!(
            p.places.contains(&"Harbor Street".to_string()),
            "{:?}",
            p.places
        );
        let found = place_names(
            "Ask for Jamie Chen at the Dock Gate. Visitors Welcome here, on Old Mill Lane, \
             with Alex Morgan.",
            &["Alex Morgan", "Jamie Chen"],
        );
        assert_eq!(found, vec!["Dock Gate", "Old Mill Lane"]);
    }

    #[test]
    fn the_default_persona_loads() {
        let p = default_persona();
        assert_eq!(p.executive_first(), "Alex");
        assert_eq!(p.assistant.phone, "+16175550142");
        assert!(p.stt_prompt().contains("Northwind Labs"));
    }

    #[test]
    fn office_hours_are_in_the_personas_zone() {
        let p = default_persona();
        // Monday 2026-11-23 10:00 in Boston is 15:00 UTC.
        assert!(p.in_office_hours(at("2026-11-23T15:00:00Z")));
        assert!(!p.in_office_hours(at("2026-11-23T23:00:00Z")));
        assert!(!p.in_office_hours(at("2026-11-22T15:00:00Z"))); // Sunday
        assert_eq!(p.part_of_day(at("2026-11-24T00:30:00Z")), "evening");
    }

    #[test]
    fn the_on_call_window_is_in_the_personas_zone() {
        let p = default_persona();
        // Tuesday 19:30 in Boston: on call. Tuesday 23:30 and Saturday 19:30: not.
        assert!(p.on_call_at(at("2026-11-25T00:30:00Z")));
        assert!(!p.on_call_at(at("2026-11-25T04:30:00Z")));
        assert!(!p.on_call_at(at("2026-11-29T00:30:00Z")));
        let text = include_str!("../../prompts/persona.toml")
            .replace("on_call_from = \"17:30\"", "on_call_from = \"22:00\"")
            .replace("on_call_until = \"23:00\"", "on_call_until = \"06:00\"");
        let p = Persona::from_toml(&text).unwrap();
        // Past midnight belongs to the day the window opened: Tuesday night into Wednesday.
        assert!(p.on_call_at(at("2026-11-25T08:00:00Z")));
        // Saturday 03:00 is Friday night's window.
        assert!(p.on_call_at(at("2026-11-28T08:00:00Z")));
        // Sunday 03:00 follows Saturday, which is not on call.
        assert!(!p.on_call_at(at("2026-11-29T08:00:00Z")));
    }

    #[test]
    fn lines_fill_placeholders() {
        let p = default_persona();
        let l = p.line("ask_number", &[("caller_first", "Sam")]);
        assert_eq!(l, "Thank you, Sam. What's the best number to reach you?");
        assert!(p
            .line("greeting_after_hours", &[("part_of_day", "evening")])
            .starts_with("Good evening, you've reached Alex Morgan's after-hours assistant"));
    }

    #[test]
    fn a_bad_persona_names_the_key() {
        let text =
            include_str!("../../prompts/persona.toml").replace("America/New_York", "Mars/Base");
        let err = Persona::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains("timezone"), "{err}");
        let text = include_str!("../../prompts/persona.toml").replace("still_there", "still_here");
        let err = Persona::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains("lines.still_there"), "{err}");
        let text = include_str!("../../prompts/persona.toml")
            .replace("length_minutes = 30", "length_minutes = 20");
        let err = Persona::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains("meetings.length_minutes"), "{err}");
        let err = Persona::from_parts(
            include_str!("../../prompts/persona.toml"),
            Some("[[faq]]\nid = \"x\""),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("faq"), "{err}");
        let err = Persona::from_parts(
            include_str!("../../prompts/persona.toml"),
            None,
            Some("[blocked]\nnumbers = [\"1\"]"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("screening"), "{err}");
    }

    #[test]
    fn filled_lines_hold_each_greeting_for_each_part_of_the_day() {
        let p = default_persona();
        let lines = p.filled_lines();
        let greetings: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("Good ") && l.contains("after-hours assistant at"))
            .collect();
        assert_eq!(greetings.len(), 3, "{greetings:?}");
        assert!(greetings
            .iter()
            .all(|g| !g.contains("{part_of_day}") && !g.contains("{executive}")));
        // A caller's details stay placeholders, for the caller's call to fill.
        assert!(lines.iter().any(|l| l.contains("{caller_first}")));
    }
}
