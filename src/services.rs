//! What every call shares and outlives it: the config, the persona, the store, the speech
//! engines (Silero's voice activity among them), the provider, the clock, the outbox's wake-up, the metrics and the executive's
//! busy time. Built once by [`crate::app`];
//! the session, the HTTP layer and the notifier read it.

use std::sync::Arc;

use crate::caldav::{BusyView, CalDav};
use crate::config::{Clock, Config};
use crate::metrics::Metrics;
use crate::persona::Persona;
use crate::providers::Provider;
use crate::speech::stt::Transcriber;
use crate::speech::tts::TtsEngine;
use crate::speech::vad::Silero;
use crate::store::Store;

/// Everything a call needs that outlives it: shared by all calls.
pub struct Services {
    pub config: Config,
    pub persona: Arc<Persona>,
    /// The call log, appointments and outbox: one database behind the store's ports.
    pub store: Arc<dyn Store>,
    pub stt: Arc<dyn Transcriber>,
    pub tts: Arc<dyn TtsEngine>,
    /// Silero VAD when `[vad] engine` chose it (each call gets its own state from it); `None`:
    /// speech is judged by energy.
    pub vad: Option<Arc<Silero>>,
    pub clock: Clock,
    /// The telephony provider: its webhooks, replies, media adapter and live transfer.
    pub provider: Arc<dyn Provider>,
    /// Key for the per-call stream tokens handed out in TwiML.
    pub stream_key: [u8; 32],
    /// The API bearer token.
    pub api_token: String,
    /// Key for the dashboard's session cookies and form tokens: SHA-256 of the instance secret
    /// (`FRONTDESK_SESSION_SECRET`, or the one generated once and kept in the database).
    pub session_key: [u8; 32],
    /// Wakes the delivery worker when the outbox gets something.
    pub outbox: tokio::sync::Notify,
    /// This server's Prometheus metrics (its own registry, not a process-global one).
    pub metrics: Metrics,
    /// The executive's busy time from their own calendar, as last read (empty when none is
    /// configured): each call adds it to its calendar snapshot.
    pub busy: Arc<BusyView>,
    /// The executive's CalDAV calendar, when configured: read afresh when a caller confirms a
    /// time, and written by `caldav::sync::write`.
    pub caldav: Option<CalDav>,
    /// Wakes the calendar writer when a booking, move or cancellation queued a write.
    pub calendar_wake: tokio::sync::Notify,
    /// Set to `true` when the server begins to shut down: long-lived responses (the
    /// dashboard's live events) end, so the graceful shutdown does not wait on them.
    pub closing: tokio::sync::watch::Sender<bool>,
}

impl Services {
    /// The token that lets the media stream of `call_sid` in: hex HMAC-SHA256 of the call id.
    pub fn stream_token(&self, call_sid: &str) -> String {
        crate::hmac_sha256_hex(&self.stream_key, call_sid.as_bytes())
    }
}
