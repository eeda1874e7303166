//! The natural hibari voice: one warm Python worker (`scripts/tts_worker.py`, embedded in the
//! binary), started once, restarted if it dies.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use serde::Deserialize;

use super::{Speech, TtsEngine, TtsError};

const WORKER: &str = include_str!("../../scripts/tts_worker.py");
const NAME: &str = "hibari";

#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    ready: Option<bool>,
    #[serde(default)]
    ok: Option<bool>,
    #[serde(default)]
    samples: usize,
    #[serde(default)]
    rate: u32,
    #[serde(default)]
    error: Option<String>,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_err(reason: impl Into<String>) -> TtsError {
    TtsError::Start {
        engine: NAME,
        reason: reason.into(),
    }
}

fn synth_err(reason: impl Into<String>) -> TtsError {
    TtsError::Synth {
        engine: NAME,
        reason: reason.into(),
    }
}

impl Worker {
    fn spawn(python: &Path) -> Result<Self, TtsError> {
        let mut child = Command::new(python)
            .arg("-u")
            .arg("-c")
            .arg(WORKER)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| start_err(format!("{}: {e}", python.display())))?;
        let stdin = child.stdin.take().ok_or_else(|| start_err("no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| start_err("no stdout"))?;
        let mut w = Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        };
        let header = w.read_header().map_err(|e| start_err(e.to_string()))?;
        if header.ready != Some(true) {
            return Err(start_err(
                header
                    .error
                    .unwrap_or_else(|| "worker did not report ready".into()),
            ));
        }
        Ok(w)
    }

    fn read_header(&mut self) -> Result<Header, TtsError> {
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .map_err(|e| synth_err(format!("reading from worker: {e}")))?;
        if n == 0 {
            return Err(synth_err("worker exited"));
        }
        serde_json::from_str(&line)
            .map_err(|e| synth_err(format!("bad worker header {line:?}: {e}")))
    }

    fn speak(&mut self, text: &str) -> Result<Speech, TtsError> {
        let req = serde_json::json!({ "text": text }).to_string();
        self.stdin
            .write_all(req.as_bytes())
            .and_then(|()| self.stdin.write_all(b"\n"))
            .and_then(|()| self.stdin.flush())
            .map_err(|e| synth_err(format!("writing to worker: {e}")))?;
        let header = self.read_header()?;
        if header.ok != Some(true) {
            return Err(synth_err(
                header.error.unwrap_or_else(|| "unknown error".into()),
            ));
        }
        let mut bytes = vec![0u8; header.samples * 2];
        self.stdout
            .read_exact(&mut bytes)
            .map_err(|e| synth_err(format!("reading audio: {e}")))?;
        let samples = bytes
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]) as f32 / 32768.0)
            .collect();
        Ok(Speech {
            samples,
            rate: header.rate,
        })
    }
}

/// The hibari voice, served by one warm worker process.
pub struct Hibari {
    python: PathBuf,
    worker: Mutex<Option<Worker>>,
}

impl Hibari {
    /// Starts the worker with `python` (which must have `hibari-tts` installed) and waits until
    /// the voice is loaded and warm.
    pub fn start(python: &Path) -> Result<Self, TtsError> {
        let worker = Worker::spawn(python)?;
        Ok(Self {
            python: python.to_path_buf(),
            worker: Mutex::new(Some(worker)),
        })
    }
}

impl TtsEngine for Hibari {
    fn name(&self) -> &'static str {
        NAME
    }

    fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
        let mut guard = self
            .worker
            .lock()
            .map_err(|_| synth_err("worker lock poisoned"))?;
        for attempt in 0..2 {
            if guard.is_none() {
                *guard = Some(Worker::spawn(&self.python)?);
            }
            let Some(worker) = guard.as_mut() else {
                continue;
            };
            match worker.speak(text) {
                Ok(s) => return Ok(s),
                Err(e) if attempt == 0 => {
                    tracing::warn!("hibari worker failed ({e}); restarting it");
                    *guard = None;
                }
                Err(e) => return Err(e),
            }
        }
        Err(synth_err("worker unavailable"))
    }
}
