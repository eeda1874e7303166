//! Frontdesk: an after-hours voice receptionist.
//!
//! A telephony provider streams a call's audio to us over a websocket; we transcribe the caller
//! locally, let a pure dialog state machine decide what to say, speak it back and keep a durable
//! log of every turn. The folders are the architecture, one line each:
//!
//! - [`logic`]: the sans-IO core — the dialog, the call conductor, dates and times, calendar
//!   rules, the shared typed values. No IO, no clock (checked by `tests/architecture.rs`).
//! - [`providers`]: telephony providers behind two traits — the control plane ([`providers::Provider`]:
//!   webhooks, signatures, replies, live transfer) and the media stream ([`providers::Adapter`]:
//!   wire frames ⇄ [`providers::Inbound`] / [`providers::Outbound`]); Twilio in
//!   `providers::twilio` only.
//! - [`audio`]: G.711 µ-law, resampling (rubato), voice activity detection, endpointing, echo
//!   guard (pure), and the two-leg call recording (hound).
//! - [`speech`]: whisper (whisper-rs) for the caller; the natural hibari voice (a warm worker
//!   process), espeak-ng as the fallback, and other natural voices for simulated callers.
//! - [`call`]: the per-call session — the tokio shell that feeds a call's conductor and does
//!   the IO it asks for.
//! - [`caldav`]: the clients for the executive's own calendar over CalDAV (read, write with
//!   ETags) and read-only iCalendar feeds, and the busy view every call's snapshot includes.
//! - [`calendar_sync`]: the background loops that read the calendar and feeds, write bookings
//!   into the calendar from the store's durable queue, and bring the executive's changes back.
//! - [`store`]: the durable record behind three ports (call log, appointments, outbox), SQLite
//!   via sqlx their one implementation, and each call's journal (its ordered writer, off the
//!   audio path).
//! - [`notify`]: escalations and messages to humans from the transactional outbox (signed
//!   webhooks, Slack, email; retries with backoff; the digest).
//! - [`http`]: HTTP — the provider's routes, the media-stream websocket, the JSON API, health
//!   and metrics.
//! - [`dashboard`]: the executive's desk, a server-rendered web dashboard (calls, transcripts,
//!   recordings, live calls, the week's appointments) behind a sign-in with sessions, CSRF
//!   tokens and a lockout.
//! - [`metrics`]: the server's Prometheus metrics, recorded by the shell, never by `logic`.
//! - [`persona`]: who the agent answers for, loaded from `prompts/`.
//! - [`sim`]: a Twilio-faithful simulated caller and the caller corpus, for demos and tests.
//! - [`services`]: what every call shares (config, persona, store, engines, provider, clock).
//! - [`app`]: wiring: builds the shared services and runs the server.
//! - [`config`]: one typed configuration from TOML plus `FRONTDESK_*` environment overrides.

pub mod app;
pub mod audio;
pub mod caldav;
pub mod calendar_sync;
pub mod call;
pub mod config;
pub mod dashboard;
pub mod http;
pub mod logic;
pub mod metrics;
pub mod notify;
pub mod persona;
pub mod providers;
pub mod services;
pub mod sim;
pub mod speech;
pub mod store;

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
