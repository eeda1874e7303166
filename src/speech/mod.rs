//! The speech engines: whisper for the caller ([`stt`]), the agent's voice and the simulated
//! callers' voices ([`tts`]), Silero's voice activity on the caller's line ([`vad`]). They run off the async runtime (blocking pool, worker process).

pub mod fake;
pub mod stt;
pub mod tts;
pub mod vad;
