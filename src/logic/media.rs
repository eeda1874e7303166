//! A call's media events, provider-independent: what a provider adapter makes of the caller's
//! side of a media stream ([`Inbound`]) and what the conductor sends back ([`Outbound`]).

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
