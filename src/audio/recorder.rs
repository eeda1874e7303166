//! The call recording: one stereo WAV per call, the caller on the left, the agent on the right,
//! 8 kHz 16-bit, written as the call goes (hound).
//!
//! The caller's leg is continuous (the provider streams it without gaps) and sets the timeline;
//! the agent's audio is laid onto that timeline as it is sent.

use std::collections::VecDeque;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::g711;

/// A recording failure (the call goes on without it).
#[derive(Debug, thiserror::Error)]
#[error("recording {path}: {reason}")]
pub struct RecordError {
    path: PathBuf,
    reason: String,
}

/// A two-leg recorder.
pub struct Recorder {
    path: PathBuf,
    writer: Option<hound::WavWriter<BufWriter<File>>>,
    agent: VecDeque<i16>,
}

impl Recorder {
    /// Creates `path` (and its directory).
    pub fn create(path: &Path) -> Result<Self, RecordError> {
        let err = |reason: String| RecordError {
            path: path.to_path_buf(),
            reason,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
        }
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 8_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let writer = hound::WavWriter::create(path, spec).map_err(|e| err(e.to_string()))?;
        Ok(Self {
            path: path.to_path_buf(),
            writer: Some(writer),
            agent: VecDeque::new(),
        })
    }

    /// Where the recording is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Queues agent audio (µ-law) as it is sent.
    pub fn agent(&mut self, mulaw: &[u8]) {
        self.agent.extend(mulaw.iter().map(|&b| g711::decode(b)));
    }

    /// Drops queued agent audio the caller will not hear (barge-in cleared it).
    pub fn agent_cleared(&mut self) {
        self.agent.clear();
    }

    /// Writes caller audio (µ-law) with the agent audio that played alongside it.
    pub fn caller(&mut self, mulaw: &[u8]) -> Result<(), RecordError> {
        let Some(w) = self.writer.as_mut() else {
            return Ok(());
        };
        for &b in mulaw {
            let agent = self.agent.pop_front().unwrap_or(0);
            w.write_sample(g711::decode(b))
                .and_then(|()| w.write_sample(agent))
                .map_err(|e| RecordError {
                    path: self.path.clone(),
                    reason: e.to_string(),
                })?;
        }
        Ok(())
    }

    /// Writes what is left and closes the file.
    pub fn finish(&mut self) -> Result<(), RecordError> {
        let Some(mut w) = self.writer.take() else {
            return Ok(());
        };
        let err = |e: hound::Error| RecordError {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        while let Some(a) = self.agent.pop_front() {
            w.write_sample(0i16).map_err(err)?;
            w.write_sample(a).map_err(err)?;
        }
        w.finalize().map_err(err)
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_legs_line_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rec/call.wav");
        let mut r = Recorder::create(&path).unwrap();
        r.caller(&[0xFF; 160]).unwrap();
        r.agent(&[g711::encode(1000); 80]);
        r.caller(&[g711::encode(-500); 160]).unwrap();
        r.finish().unwrap();
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.spec().channels, 2);
        let s: Vec<i16> = reader.into_samples().map(Result::unwrap).collect();
        assert_eq!(s.len(), 640);
        assert_eq!(s[1], 0); // agent silent in the first frame
        let second_agent: Vec<i16> = s[320..].iter().skip(1).step_by(2).copied().collect();
        assert!(second_agent[..80].iter().all(|&a| (a - 1000).abs() < 40));
        assert!(second_agent[80..].iter().all(|&a| a == 0));
    }
}
