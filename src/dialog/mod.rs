//! The receptionist's brain: a pure state machine. Events in, actions out, time injected.
//!
//! **Architecture Invariant:** `dialog` never touches IO, audio, the database or the clock; the
//! caller's words arrive as text (as whisper heard them), the instant as an argument, and the
//! session carries out the returned [`Action`]s. Every line it speaks comes from the persona.

pub mod understand;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::persona::Persona;
use understand::{extract_name, extract_phone, spoken_number, usable_caller_id, yes_no, YesNo};

/// Something that happened on the call.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The call is connected; `caller_number` is the caller ID, if any.
    CallStarted { caller_number: Option<String> },
    /// The caller said something (whisper's transcript).
    Heard(String),
    /// The caller pressed a key.
    Digit(char),
    /// The caller has said nothing for the silence timeout after the agent finished.
    Silence,
    /// The caller hung up.
    Hangup,
}

/// What the caller is expected to say next: the session waits longer for digits and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// Any answer.
    Free,
    /// A phone number or other digits.
    Digits,
    /// Yes or no.
    YesNo,
    /// A message, which callers compose as they speak, with pauses.
    Message,
}

/// How a call ended, as stored on the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A message was taken.
    Message,
    /// The caller went silent or hung up before anything was done.
    Abandoned,
}

impl Outcome {
    /// The stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Message => "message",
            Outcome::Abandoned => "abandoned",
        }
    }
}

/// What the caller has told us so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CallerInfo {
    pub name: Option<String>,
    pub company: Option<String>,
    pub callback_number: Option<String>,
    pub purpose: Option<String>,
    pub message: Option<String>,
}

/// What the session must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Speak `text`, then listen for `expect`.
    Say { text: String, expect: Expect },
    /// The caller's details changed: persist them.
    UpdateCaller(CallerInfo),
    /// The call's outcome is known: persist it.
    SetOutcome(Outcome),
    /// End the call once everything said so far has been played.
    Hangup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    NotStarted,
    Greeted,
    AskName,
    ConfirmCallerId,
    AskNumber,
    AskMessage,
    ReadBack,
    Done,
}

/// One call's dialog.
pub struct Dialog {
    persona: Arc<Persona>,
    stage: Stage,
    caller_id: Option<String>,
    info: CallerInfo,
    misses: u8,
    silences: u8,
    last_prompt: Option<(String, Expect)>,
}

impl Dialog {
    /// A dialog for one call.
    pub fn new(persona: Arc<Persona>) -> Self {
        Self {
            persona,
            stage: Stage::NotStarted,
            caller_id: None,
            info: CallerInfo::default(),
            misses: 0,
            silences: 0,
            last_prompt: None,
        }
    }

    /// What we know about the caller.
    pub fn caller(&self) -> &CallerInfo {
        &self.info
    }

    /// True once the dialog has said goodbye.
    pub fn is_done(&self) -> bool {
        self.stage == Stage::Done
    }

    /// Handles one event at instant `now`; returns what to do, in order.
    pub fn handle(&mut self, event: Event, now: DateTime<Utc>) -> Vec<Action> {
        if self.stage == Stage::Done {
            return Vec::new();
        }
        let mut out = Vec::new();
        match event {
            Event::CallStarted { caller_number } => {
                self.caller_id = caller_number.as_deref().and_then(usable_caller_id);
                let part = self.persona.part_of_day(now);
                let key = if self.persona.in_office_hours(now) {
                    "greeting_in_hours"
                } else {
                    "greeting_after_hours"
                };
                let text = self.persona.line(key, &[("part_of_day", part)]);
                self.stage = Stage::Greeted;
                self.say(&mut out, text, Expect::Free);
            }
            Event::Heard(text) => {
                let text = text.trim().to_string();
                if text.is_empty() {
                    return out;
                }
                self.silences = 0;
                self.on_heard(&text, &mut out);
            }
            Event::Digit(d) => {
                self.silences = 0;
                self.on_digit(d, &mut out);
            }
            Event::Silence => {
                self.silences += 1;
                if self.silences >= 2 {
                    let text = self.persona.line("goodbye_silence", &[]);
                    self.finish(&mut out, text, Outcome::Abandoned);
                } else {
                    let again = self
                        .last_prompt
                        .as_ref()
                        .map(|(t, _)| t.clone())
                        .unwrap_or_default();
                    let expect = self
                        .last_prompt
                        .as_ref()
                        .map(|(_, e)| *e)
                        .unwrap_or(Expect::Free);
                    let text = format!("{} {}", self.persona.line("still_there", &[]), again);
                    out.push(Action::Say {
                        text: text.trim().to_string(),
                        expect,
                    });
                }
            }
            Event::Hangup => {
                let outcome = if self.info.message.is_some() {
                    Outcome::Message
                } else {
                    Outcome::Abandoned
                };
                self.stage = Stage::Done;
                out.push(Action::SetOutcome(outcome));
            }
        }
        out
    }

    fn say(&mut self, out: &mut Vec<Action>, text: String, expect: Expect) {
        self.last_prompt = Some((text.clone(), expect));
        out.push(Action::Say { text, expect });
    }

    fn finish(&mut self, out: &mut Vec<Action>, text: String, outcome: Outcome) {
        self.stage = Stage::Done;
        out.push(Action::SetOutcome(outcome));
        out.push(Action::Say {
            text,
            expect: Expect::Free,
        });
        out.push(Action::Hangup);
    }

    fn caller_first(&self) -> String {
        self.info
            .name
            .as_deref()
            .and_then(|n| n.split_whitespace().next())
            .unwrap_or("")
            .to_string()
    }

    /// A line with the caller's first name; drops the ", {caller_first}" when we have none.
    fn line_for_caller(&self, key: &str, vars: &[(&str, &str)]) -> String {
        let first = self.caller_first();
        let mut all: Vec<(&str, &str)> = vars.to_vec();
        all.push(("caller_first", first.as_str()));
        let text = self.persona.line(key, &all);
        text.replace(", .", ".")
            .replace(",  ", ", ")
            .replace(" ,", ",")
    }

    fn ask_number(&mut self, out: &mut Vec<Action>) {
        if let Some(id) = self.caller_id.clone() {
            self.stage = Stage::ConfirmCallerId;
            let spoken = spoken_number(&id);
            let text = self.line_for_caller("ask_number_caller_id", &[("caller_id", &spoken)]);
            self.say(out, text, Expect::YesNo);
        } else {
            self.stage = Stage::AskNumber;
            let text = self.line_for_caller("ask_number", &[]);
            self.say(out, text, Expect::Digits);
        }
    }

    fn ask_message(&mut self, out: &mut Vec<Action>) {
        self.stage = Stage::AskMessage;
        let text = self.persona.line("ask_message", &[]);
        self.say(out, text, Expect::Message);
    }

    fn read_back(&mut self, out: &mut Vec<Action>) {
        self.stage = Stage::ReadBack;
        let name = self
            .info
            .name
            .clone()
            .unwrap_or_else(|| "No name given".into());
        let number = self
            .info
            .callback_number
            .as_deref()
            .map(spoken_number)
            .unwrap_or_else(|| "no number".into());
        let message = self.info.message.clone().unwrap_or_default();
        let message = message.trim_end_matches(['.', '!', '?']).to_string();
        let text = self.persona.line(
            "read_back",
            &[
                ("caller_name", &name),
                ("number_spoken", &number),
                ("message", &message),
            ],
        );
        self.say(out, text, Expect::YesNo);
    }

    fn on_heard(&mut self, text: &str, out: &mut Vec<Action>) {
        match self.stage {
            Stage::NotStarted | Stage::Done => {}
            Stage::Greeted => {
                self.info.purpose = Some(text.to_string());
                let found = extract_name(text);
                if let Some(n) = found {
                    self.info.name = Some(n.name);
                    self.info.company = n.company;
                }
                out.push(Action::UpdateCaller(self.info.clone()));
                if self.info.name.is_some() {
                    self.ask_number(out);
                } else {
                    self.stage = Stage::AskName;
                    let text = self.persona.line("offer_message", &[]);
                    self.say(out, text, Expect::Free);
                }
            }
            Stage::AskName => match extract_name(text) {
                Some(n) => {
                    self.misses = 0;
                    self.info.name = Some(n.name);
                    if n.company.is_some() {
                        self.info.company = n.company;
                    }
                    out.push(Action::UpdateCaller(self.info.clone()));
                    self.ask_number(out);
                }
                None => {
                    self.misses += 1;
                    if self.misses >= 2 {
                        self.misses = 0;
                        self.ask_number(out);
                    } else {
                        let t = self.persona.line("ask_name_again", &[]);
                        self.say(out, t, Expect::Free);
                    }
                }
            },
            Stage::ConfirmCallerId => {
                if let Some(number) = extract_phone(text) {
                    self.info.callback_number = Some(number);
                    out.push(Action::UpdateCaller(self.info.clone()));
                    self.ask_message(out);
                    return;
                }
                match yes_no(text) {
                    YesNo::Yes => {
                        self.info.callback_number = self.caller_id.clone();
                        out.push(Action::UpdateCaller(self.info.clone()));
                        self.ask_message(out);
                    }
                    YesNo::No => {
                        self.stage = Stage::AskNumber;
                        let t = self.line_for_caller("ask_number", &[]);
                        self.say(out, t, Expect::Digits);
                    }
                    YesNo::Unclear => {
                        self.misses += 1;
                        if self.misses >= 2 {
                            self.misses = 0;
                            self.info.callback_number = self.caller_id.clone();
                            out.push(Action::UpdateCaller(self.info.clone()));
                            self.ask_message(out);
                        } else {
                            let id = self.caller_id.clone().unwrap_or_default();
                            let spoken = spoken_number(&id);
                            let t = self
                                .line_for_caller("ask_number_caller_id", &[("caller_id", &spoken)]);
                            self.say(out, t, Expect::YesNo);
                        }
                    }
                }
            }
            Stage::AskNumber => match extract_phone(text) {
                Some(number) => {
                    self.misses = 0;
                    self.info.callback_number = Some(number);
                    out.push(Action::UpdateCaller(self.info.clone()));
                    self.ask_message(out);
                }
                None => {
                    self.misses += 1;
                    if self.misses >= 2 {
                        self.misses = 0;
                        self.info.callback_number = self.caller_id.clone();
                        self.ask_message(out);
                    } else {
                        let t = self.persona.line("ask_number_again", &[]);
                        self.say(out, t, Expect::Digits);
                    }
                }
            },
            Stage::AskMessage => {
                self.info.message = Some(text.to_string());
                out.push(Action::UpdateCaller(self.info.clone()));
                self.read_back(out);
            }
            Stage::ReadBack => match yes_no(text) {
                YesNo::Yes => {
                    let t = self.line_for_caller("goodbye_message", &[]);
                    self.finish(out, t, Outcome::Message);
                }
                YesNo::No => {
                    self.stage = Stage::AskMessage;
                    let t = self.persona.line("fix_message", &[]);
                    self.say(out, t, Expect::Message);
                }
                YesNo::Unclear => {
                    self.misses += 1;
                    if self.misses >= 2 {
                        // The message is stored; take it as it is rather than loop.
                        let t = self.line_for_caller("goodbye_message", &[]);
                        self.finish(out, t, Outcome::Message);
                    } else {
                        let t = self.persona.line("confirm_again", &[]);
                        self.say(out, t, Expect::YesNo);
                    }
                }
            },
        }
    }

    fn on_digit(&mut self, digit: char, out: &mut Vec<Action>) {
        let as_words = match (self.stage, digit) {
            (Stage::ReadBack | Stage::ConfirmCallerId, '1') => "yes",
            (Stage::ReadBack | Stage::ConfirmCallerId, '2') => "no",
            _ => return,
        };
        self.on_heard(as_words, out);
    }
}

#[cfg(test)]
mod tests;
