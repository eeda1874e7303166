//! Frontdesk: an after-hours voice receptionist.
//!
//! A telephony provider streams a call's audio to us over a websocket; we transcribe the caller
//! locally, let a pure dialog state machine decide what to say, speak it back and keep a durable
//! log of every turn. The components, one line each:
//!
//! - [`telephony`]: provider adapters — wire frames ⇄ one internal event enum ([`telephony::Inbound`],
//!   [`telephony::Outbound`]); Twilio today, in `telephony::twilio` only.
//! - [`audio`]: G.711 µ-law, resampling (rubato), voice activity detection, endpointing, echo
//!   guard, and the two-leg call recording (hound).
//! - [`stt`]: speech to text with whisper (whisper-rs), loaded once and shared, run off the runtime.
//! - [`tts`]: text to speech behind one trait: the natural hibari voice (a warm worker process)
//!   and espeak-ng as the zero-setup fallback; other natural voices for simulated callers;
//!   output is 8 kHz µ-law.
//! - [`dialog`]: the receptionist's brain — a pure state machine (events in, actions out, time
//!   injected), no IO.
//! - [`persona`]: who the agent answers for, loaded from `prompts/`.
//! - [`timeparse`], [`calendar`]: dates and times as callers say them; meeting rules and free
//!   slots.
//! - [`notify`]: escalations and messages to humans from the transactional outbox (signed
//!   webhooks, retries with backoff, delivery after restarts).
//! - [`store`]: the durable call log (SQLite via sqlx, portable SQL, migrations).
//! - [`call`]: the per-call session: one task that owns a call's pipeline and wires the stages.
//! - [`web`]: HTTP: the Twilio webhook (TwiML), the media-stream websocket, the JSON API.
//! - [`sim`]: a Twilio-faithful simulated caller for demos and tests.
//! - [`app`]: wiring: builds the shared services and runs the server.
//! - [`config`]: one typed configuration from TOML plus `FRONTDESK_*` environment overrides.

pub mod app;
pub mod audio;
pub mod calendar;
pub mod call;
pub mod conductor;
pub mod config;
pub mod dialog;
pub mod domain;
pub mod notify;
pub mod persona;
pub mod sim;
pub mod store;
pub mod stt;
pub mod telephony;
pub mod timeparse;
pub mod tts;
pub mod web;

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex HMAC-SHA256 of `data` under `key`: webhook signatures and per-call stream tokens.
pub(crate) fn hmac_sha256_hex(key: &[u8], data: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts any key");
    mac.update(data);
    hex(&mac.finalize().into_bytes())
}
