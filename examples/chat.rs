//! Talk to the dialog by typing, without audio or a server: a quick way to try phrasings.
//! Lines are what the caller says; `<silence>`, `<hangup>` and `<dtmf N>` are events. The
//! calendar lives in memory; the clock is fixed (FRONTDESK_NOW, default Tuesday 19:30 Boston).
//!
//! Usage: `cargo run --example chat -- [CALLER_ID]` then type, or pipe a script in.

use std::io::BufRead;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use frontdesk::logic::calendar::Booked;
use frontdesk::logic::dialog::{Action, Dialog, Event};
use frontdesk::persona::Persona;

fn main() -> anyhow::Result<()> {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let persona = Arc::new(Persona::load(&root.join("prompts/persona.toml"))?);
    let now: DateTime<Utc> = std::env::var("FRONTDESK_NOW")
        .ok()
        .as_deref()
        .map(DateTime::parse_from_rfc3339)
        .transpose()?
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| "2026-11-25T00:30:00Z".parse().expect("valid instant"));
    let caller_id = std::env::args().nth(1);
    let mut calendar: Vec<Booked> = Vec::new();
    let mut dialog = Dialog::new(persona.clone());
    let mut pending = vec![Event::CallStarted {
        caller_number: caller_id,
        calendar: calendar.clone(),
    }];
    let mut lines = std::io::stdin().lock().lines();
    loop {
        while let Some(event) = pending.pop() {
            for action in dialog.handle(event, now) {
                match action {
                    Action::Say { text, .. } => println!("agent  ◂ {text}"),
                    Action::Book(m) => {
                        let id = format!("apt_{}", calendar.len() + 1);
                        println!("   [book {id} {} for {:?}]", m.start, m.caller_name);
                        calendar.push(Booked {
                            id: id.clone(),
                            start: m.start,
                            end: m.end,
                            caller_name: m.caller_name,
                            caller_number: m.caller_number,
                            purpose: m.purpose,
                        });
                        pending.push(Event::Calendar(Ok(id)));
                    }
                    Action::Move { id, start, end } => {
                        println!("   [move {id} to {start}]");
                        for b in calendar.iter_mut().filter(|b| b.id == id) {
                            (b.start, b.end) = (start, end);
                        }
                        pending.push(Event::Calendar(Ok(id)));
                    }
                    Action::Cancel { id } => {
                        println!("   [cancel {id}]");
                        calendar.retain(|b| b.id != id);
                        pending.push(Event::Calendar(Ok(id)));
                    }
                    Action::Escalate { reason } => println!("   [escalate: {reason}]"),
                    Action::Transfer { to } => {
                        println!("   [transfer to {to}: not available here]");
                        pending.push(Event::TransferFailed);
                    }
                    Action::SetOutcome { outcome, summary } => {
                        println!("   [outcome {}: {summary}]", outcome.as_str())
                    }
                    Action::UpdateCaller(_) => {}
                    Action::Hangup => println!("   [hang up]"),
                }
            }
        }
        if dialog.is_done() {
            return Ok(());
        }
        let Some(line) = lines.next() else {
            return Ok(());
        };
        let line = line?;
        println!("caller ▸ {line}");
        pending.push(match line.trim() {
            "<silence>" => Event::Silence,
            "<hangup>" => Event::Hangup,
            l if l.starts_with("<dtmf ") => Event::Digit(l.chars().nth(6).unwrap_or('#')),
            l => Event::Heard(l.to_string()),
        });
    }
}
