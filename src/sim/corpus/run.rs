//! The text-level runner: the dialog, driven directly with an injected clock; the runner plays
//! the calendar (changes succeed unless the time was taken by someone else).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::{check, Caller, Class, FactSheet, Failure, Heard, Observed, Reply};
use crate::logic::dialog::{Action, CalendarFailure, Dialog, Event};
use crate::persona::Persona;

/// One line of a call as it went: who spoke, what they said, and (for the caller) what whisper
/// heard when it differs.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    pub lines: Vec<(String, String)>,
}

impl std::fmt::Display for Transcript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (who, text) in &self.lines {
            writeln!(f, "  {who:>6}: {text}")?;
        }
        Ok(())
    }
}

/// How one call went.
#[derive(Debug, Clone)]
pub struct CallResult {
    pub id: String,
    pub classes: Vec<Class>,
    pub result: Result<(), Failure>,
    pub observed: Observed,
    pub transcript: Transcript,
}

/// Plays one call against the dialog, each caller utterance as `heard` has it.
pub fn run_call(
    persona: &Arc<Persona>,
    sheet: &FactSheet,
    heard: &Heard,
    now: DateTime<Utc>,
) -> CallResult {
    let mut dialog = Dialog::new(persona.clone());
    let mut caller = Caller::new(sheet.clone(), persona.timezone, now);
    let mut obs = Observed::default();
    let mut lines = Vec::new();
    let mut clock = now;
    let calendar: Vec<_> = sheet.existing.iter().cloned().collect();
    let mut acts = dialog.handle(
        Event::CallStarted {
            caller_number: sheet.caller_id.clone(),
            calendar,
        },
        clock,
    );
    loop {
        let said = settle(&mut dialog, &mut acts, &mut obs, clock);
        lines.push(("agent".to_string(), said.clone()));
        if acts.iter().any(|a| matches!(a, Action::Hangup)) || dialog.is_done() {
            break;
        }
        clock += Duration::seconds(8);
        match caller.reply(&said) {
            Reply::Say(text) => {
                let h = heard.hear(sheet, &text);
                let shown = if h == text {
                    text.clone()
                } else {
                    format!("{text}  [heard: {h}]")
                };
                lines.push(("caller".to_string(), shown));
                // Whisper made nothing of it: the server tells the dialog so.
                let event = if h.trim().is_empty() {
                    Event::Unheard
                } else {
                    Event::Heard(h)
                };
                acts = dialog.handle(event, clock);
            }
            Reply::Hangup => {
                obs.stuck = caller.is_stuck();
                lines.push(("caller".to_string(), "<hangup>".to_string()));
                acts = dialog.handle(Event::Hangup, clock);
                settle(&mut dialog, &mut acts, &mut obs, clock);
                break;
            }
        }
    }
    obs.caller = dialog.caller().clone();
    obs.misrouted = caller.was_misrouted();
    let result = check(&sheet.expected, &obs);
    CallResult {
        id: sheet.id.clone(),
        classes: sheet.classes.clone(),
        result,
        observed: obs,
        transcript: Transcript { lines },
    }
}

/// Carries out calendar changes and transfers in `acts` (feeding the results back), records
/// what the call did, and returns what the agent said.
fn settle(
    dialog: &mut Dialog,
    acts: &mut Vec<Action>,
    obs: &mut Observed,
    now: DateTime<Utc>,
) -> String {
    let mut i = 0;
    while i < acts.len() {
        let result = match &acts[i] {
            Action::Book(m) => {
                obs.booked.push(m.clone());
                Some(Ok(format!("apt_booked_{}", obs.booked.len())))
            }
            Action::Move { id, start, .. } => {
                obs.moved.push((id.clone(), *start));
                Some(Ok(id.clone()))
            }
            Action::Cancel { id } => {
                obs.cancelled.push(id.clone());
                Some(Ok(id.clone()))
            }
            Action::Transfer { .. } => {
                let more = dialog.handle(Event::TransferFailed, now);
                acts.extend(more);
                None
            }
            Action::SetOutcome { outcome, summary } => {
                obs.outcome = Some(*outcome);
                obs.summary = summary.text();
                None
            }
            _ => None,
        };
        if let Some(r) = result {
            let r: Result<String, CalendarFailure> = r;
            let more = dialog.handle(Event::Calendar(r), now);
            acts.extend(more);
        }
        i += 1;
    }
    acts.iter()
        .filter_map(|a| match a {
            Action::Say { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One class's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassRate {
    pub passed: usize,
    pub total: usize,
}

impl ClassRate {
    /// Passed / total, 0 when empty.
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.passed as f64 / self.total as f64
        }
    }
}

/// The corpus's score.
#[derive(Debug, Clone)]
pub struct Report {
    pub calls: Vec<CallResult>,
}

impl Report {
    /// Per-class pass rates, in [`Class::ALL`] order (classes with no calls left out).
    pub fn by_class(&self) -> Vec<(Class, ClassRate)> {
        Class::ALL
            .iter()
            .filter_map(|c| {
                let mine: Vec<_> = self
                    .calls
                    .iter()
                    .filter(|r| r.classes.contains(c))
                    .collect();
                (!mine.is_empty()).then(|| {
                    (
                        *c,
                        ClassRate {
                            passed: mine.iter().filter(|r| r.result.is_ok()).count(),
                            total: mine.len(),
                        },
                    )
                })
            })
            .collect()
    }

    /// Every call.
    pub fn overall(&self) -> ClassRate {
        ClassRate {
            passed: self.calls.iter().filter(|r| r.result.is_ok()).count(),
            total: self.calls.len(),
        }
    }

    /// How many calls failed each check first.
    pub fn failures(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for r in &self.calls {
            if let Err(f) = &r.result {
                *m.entry(f.kind()).or_insert(0) += 1;
            }
        }
        m
    }

    /// The per-class table in Markdown.
    pub fn table(&self) -> String {
        let mut s =
            String::from("| class | calls | passed | rate |\n| --- | ---: | ---: | ---: |\n");
        for (c, r) in self.by_class() {
            let _ = writeln!(
                s,
                "| {c} | {} | {} | {:.0}% |",
                r.total,
                r.passed,
                100.0 * r.rate()
            );
        }
        let o = self.overall();
        let _ = writeln!(
            s,
            "| **overall** | {} | {} | {:.0}% |",
            o.total,
            o.passed,
            100.0 * o.rate()
        );
        s
    }

    /// Each failing call: its id, classes, the failed check and the transcript.
    pub fn failing_transcripts(&self) -> String {
        let mut s = String::new();
        for r in &self.calls {
            if let Err(f) = &r.result {
                let classes: Vec<&str> = r.classes.iter().map(|c| c.as_str()).collect();
                let _ = writeln!(
                    s,
                    "{} [{}]: {f}\n{}",
                    r.id,
                    classes.join(", "),
                    r.transcript
                );
            }
        }
        s
    }
}

/// Runs every call of `corpus` at the text level.
pub fn run(
    persona: &Arc<Persona>,
    corpus: &[FactSheet],
    heard: &Heard,
    now: DateTime<Utc>,
) -> Report {
    Report {
        calls: corpus
            .iter()
            .map(|s| run_call(persona, s, heard, now))
            .collect(),
    }
}
