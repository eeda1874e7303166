//! espeak-ng: the zero-setup fallback voice (Debian package `espeak-ng`).

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
        wav_from_stream(&out.stdout).map_err(err)
    }
}

/// The 16-bit PCM of a WAV written to a pipe. espeak-ng cannot seek back to fill in the sizes,
/// so its RIFF and data sizes are placeholders (up to 0xFFFFFFFF): the data runs to the end of
/// the output, whatever the header says.
fn wav_from_stream(bytes: &[u8]) -> Result<Speech, String> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err("espeak-ng did not write a WAV".into());
    }
    let mut at = 12;
    let mut rate = None;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]])
            as usize;
        let body = at + 8;
        match id {
            b"fmt " if body + 16 <= bytes.len() => {
                let channels = u16::from_le_bytes([bytes[body + 2], bytes[body + 3]]);
                let bits = u16::from_le_bytes([bytes[body + 14], bytes[body + 15]]);
                if channels != 1 || bits != 16 {
                    return Err(format!(
                        "espeak-ng wrote {channels} channels of {bits}-bit audio, not mono 16-bit"
                    ));
                }
                rate = Some(u32::from_le_bytes([
                    bytes[body + 4],
                    bytes[body + 5],
                    bytes[body + 6],
                    bytes[body + 7],
                ]));
            }
            b"data" => {
                let rate = rate.ok_or("WAV data before its format")?;
                let samples = bytes[body..]
                    .chunks_exact(2)
                    .map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0)
                    .collect();
                return Ok(Speech { samples, rate });
            }
            _ => {}
        }
        at = body.saturating_add(size + (size & 1));
    }
    Err("espeak-ng's WAV has no audio".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(data_size: u32, samples: &[i16]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&u32::MAX.to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes()); // PCM
        b.extend_from_slice(&1u16.to_le_bytes()); // mono
        b.extend_from_slice(&22_050u32.to_le_bytes());
        b.extend_from_slice(&44_100u32.to_le_bytes());
        b.extend_from_slice(&2u16.to_le_bytes());
        b.extend_from_slice(&16u16.to_le_bytes());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&data_size.to_le_bytes());
        for s in samples {
            b.extend_from_slice(&s.to_le_bytes());
        }
        b
    }

    #[test]
    fn a_streamed_wav_reads_to_the_end_whatever_its_sizes_say() {
        for size in [u32::MAX, 0, 4] {
            let s = wav_from_stream(&wav(size, &[0, 16384, -16384])).unwrap();
            assert_eq!(s.rate, 22_050);
            assert_eq!(s.samples, vec![0.0, 0.5, -0.5]);
        }
        assert!(wav_from_stream(b"not a wav").is_err());
        let mut no_data = wav(0, &[]);
        no_data.truncate(36);
        assert!(wav_from_stream(&no_data).is_err());
    }
}
