//! espeak-ng: the zero-setup fallback voice (Debian package `espeak-ng`).

use std::io::Cursor;
use std::process::Command;

use super::{Speech, TtsEngine, TtsError};

const NAME: &str = "espeak-ng";

/// The espeak-ng voice.
pub struct Espeak {
    program: String,
}

impl Espeak {
    /// Checks that `espeak-ng` runs.
    pub fn new() -> Result<Self, TtsError> {
        let program = "espeak-ng".to_string();
        let ok = Command::new(&program)
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            return Err(TtsError::Start {
                engine: NAME,
                reason: "espeak-ng is not installed (apt-get install espeak-ng)".into(),
            });
        }
        Ok(Self { program })
    }
}

impl TtsEngine for Espeak {
    fn name(&self) -> &'static str {
        NAME
    }

    fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
        let err = |reason: String| TtsError::Synth {
            engine: NAME,
            reason,
        };
        let out = Command::new(&self.program)
            .args(["--stdout", "-v", "en-us", "-s", "160", "--"])
            .arg(text)
            .output()
            .map_err(|e| err(e.to_string()))?;
        if !out.status.success() {
            return Err(err(String::from_utf8_lossy(&out.stderr).into_owned()));
        }
        // espeak-ng writes a streaming WAV header whose sizes may be unset; read the PCM after it.
        let reader = hound::WavReader::new(Cursor::new(&out.stdout));
        match reader {
            Ok(r) => {
                let rate = r.spec().sample_rate;
                let samples = r
                    .into_samples::<i16>()
                    .filter_map(Result::ok)
                    .map(|s| s as f32 / 32768.0)
                    .collect();
                Ok(Speech { samples, rate })
            }
            Err(_) if out.stdout.len() > 44 => {
                let samples = out.stdout[44..]
                    .chunks_exact(2)
                    .map(|b| i16::from_le_bytes([b[0], b[1]]) as f32 / 32768.0)
                    .collect();
                Ok(Speech {
                    samples,
                    rate: 22_050,
                })
            }
            Err(e) => Err(err(format!("unreadable WAV from espeak-ng: {e}"))),
        }
    }
}
