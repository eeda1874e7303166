//! Provider adapters: each turns its provider's wire frames into one internal event enum and
//! back, so the call pipeline never sees a provider's JSON.
//!
//! **Architecture Invariant:** nothing outside `telephony` names a provider's wire format;
//! a new provider (Telnyx, Vonage, Plivo, SIP/RTP) is a new adapter implementing [`Adapter`].

pub mod twilio;

use std::collections::BTreeMap;

/// What the caller's side of a media stream tells us, provider-independent.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    /// The websocket is up; no call data yet.
    Connected,
    /// The stream has started: who is calling and how the audio is encoded.
    Start(StreamStart),
    /// Caller audio: 8 kHz G.711 µ-law bytes.
    Media(Vec<u8>),
    /// A keypad digit.
    Dtmf(char),
    /// A mark we sent has been played to the caller.
    Mark(String),
    /// The stream ended (the caller hung up or the call moved on).
    Stop,
}

/// The start of a call's media stream.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamStart {
    /// The provider's id for this media stream.
    pub stream_id: String,
    /// The provider's id for the call.
    pub call_id: String,
    /// Parameters we attached when we answered the call (token, caller number, …).
    pub parameters: BTreeMap<String, String>,
}

/// What we send to the caller's side.
#[derive(Debug, Clone, PartialEq)]
pub enum Outbound {
    /// Agent audio: 8 kHz G.711 µ-law bytes (one 20 ms frame at a time).
    Media(Vec<u8>),
    /// Ask to be told when everything sent so far has been played.
    Mark(String),
    /// Drop everything queued for playback (barge-in).
    Clear,
}

/// Why a frame could not be understood.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FrameError {
    #[error("frame is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("frame does not match the protocol: {0}")]
    Malformed(String),
    #[error("frame has an unknown event {0:?}")]
    UnknownEvent(String),
    #[error("{event} frame is missing {field}")]
    MissingField {
        event: &'static str,
        field: &'static str,
    },
    #[error("media payload is not valid base64: {0}")]
    BadBase64(String),
    #[error("unsupported media format {encoding} at {rate} Hz, {channels} channel(s); want audio/x-mulaw 8000 Hz mono")]
    UnsupportedFormat {
        encoding: String,
        rate: u32,
        channels: u32,
    },
    #[error("{0} frame arrived before the stream started")]
    BeforeStart(&'static str),
    #[error("binary frames are not part of this protocol")]
    Binary,
}

/// A provider's media-stream protocol, both ways.
pub trait Adapter: Send {
    /// Parses one text frame from the provider.
    fn parse(&mut self, text: &str) -> Result<Inbound, FrameError>;
    /// Encodes one frame for the provider.
    fn encode(&self, frame: &Outbound) -> String;
}
