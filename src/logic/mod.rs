//! The sans-IO core: everything that decides, and nothing that waits.
//!
//! - [`dialog`]: the receptionist — a pure state machine (events in, actions out, time injected)
//!   with its readers of what callers say (names, numbers, dates, zones, intents, screening,
//!   the FAQ).
//! - [`conductor`]: one call between the wire and the dialog — pacing, marks, barge-in, echo and
//!   backchannels, silence, DTMF, hang-up and transfer timing — inputs at a moment in, outputs
//!   out.
//! - [`timeparse`]: dates and times as callers say them (and as whisper writes them).
//! - [`calendar`]: meeting rules, free slots, how times are spoken.
//! - [`ical`]: the busy intervals an outside calendar's iCalendar text holds over a horizon
//!   (recurrences expanded, zones applied).
//! - [`domain`]: the typed values every layer shares (outcome, category, urgency, speaker,
//!   channel, summary…), strings only at the serde and SQL edges.
//!
//! **Architecture Invariant:** nothing under `logic/` does IO, spawns, or reads a clock: no
//! tokio, sqlx, reqwest, whisper, axum, `std::fs`, `std::net`, `std::process`, `Utc::now` or
//! `Instant::now`, and no import of the shells (store, speech, notify, http, the session).
//! `tests/architecture.rs` checks it on the source.

pub mod calendar;
pub mod conductor;
pub mod dialog;
pub mod domain;
pub mod ical;
pub mod media;
pub mod persona;
pub mod timeparse;
pub mod vtimezone;
