//! The warm Python worker behind every natural voice: `scripts/tts_worker.py`, embedded in the
//! binary, started once per engine with the voice's name, restarted if it dies, and spoken to
//! over one line-delimited JSON protocol (a header line, then raw 16-bit PCM).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use serde::Deserialize;

use super::{Speech, TtsError};

const SCRIPT: &str = include_str!("../../../scripts/tts_worker.py");

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

/// Why a request failed.
enum Failure {
    Refused(TtsError),
    Broken(TtsError),
}

struct Process {
    engine: &'static str,
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_err(engine: &'static str, reason: impl Into<String>) -> TtsError {
    TtsError::Start {
        engine,
        reason: reason.into(),
    }
}

fn synth_err(engine: &'static str, reason: impl Into<String>) -> TtsError {
    TtsError::Synth {
        engine,
        reason: reason.into(),
    }
}

impl Process {
    fn spawn(python: &Path, engine: &'static str, voice: &str) -> Result<Self, TtsError> {
        let mut child = Command::new(python)
            .arg("-u")
            .arg("-c")
            .arg(SCRIPT)
            .arg(voice)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| start_err(engine, format!("{}: {e}", python.display())))?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| start_err(engine, "no stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| start_err(engine, "no stdout"))?;
        let mut p = Process {
            engine,
            child,
            stdin,
            stdout: BufReader::new(stdout),
        };
        let header = p
            .read_header()
            .map_err(|e| start_err(engine, e.to_string()))?;
        if header.ready != Some(true) {
            return Err(start_err(
                engine,
                header
                    .error
                    .unwrap_or_else(|| "worker did not report ready".into()),
            ));
        }
        Ok(p)
    }

    fn read_header(&mut self) -> Result<Header, TtsError> {
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .map_err(|e| synth_err(self.engine, format!("reading from worker: {e}")))?;
        if n == 0 {
            return Err(synth_err(self.engine, "worker exited"));
        }
        serde_json::from_str(&line)
            .map_err(|e| synth_err(self.engine, format!("bad worker header {line:?}: {e}")))
    }

    /// `Err(Refused)` when the worker answered that it cannot speak this text (it stays in step
    /// and keeps serving); `Err(Broken)` when the pipe or the protocol failed.
    fn speak(&mut self, text: &str, speed: f32) -> Result<Speech, Failure> {
        let req = serde_json::json!({ "text": text, "speed": speed }).to_string();
        self.stdin
            .write_all(req.as_bytes())
            .and_then(|()| self.stdin.write_all(b"\n"))
            .and_then(|()| self.stdin.flush())
            .map_err(|e| {
                Failure::Broken(synth_err(self.engine, format!("writing to worker: {e}")))
            })?;
        let header = self.read_header().map_err(Failure::Broken)?;
        if header.ok != Some(true) {
            return Err(Failure::Refused(synth_err(
                self.engine,
                header.error.unwrap_or_else(|| "unknown error".into()),
            )));
        }
        let mut bytes = vec![0u8; header.samples * 2];
        self.stdout
            .read_exact(&mut bytes)
            .map_err(|e| Failure::Broken(synth_err(self.engine, format!("reading audio: {e}"))))?;
        let samples = bytes
            .chunks_exact(2)
            .map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0)
            .collect();
        Ok(Speech {
            samples,
            rate: header.rate,
        })
    }
}

/// One voice served by one warm worker process; requests are served one at a time.
pub(crate) struct Worker {
    engine: &'static str,
    voice: &'static str,
    python: PathBuf,
    process: Mutex<Option<Process>>,
}

impl Worker {
    /// Starts the worker for `voice` with `python` and waits until the voice is loaded and warm.
    /// `engine` names it in errors and logs.
    pub(crate) fn start(
        python: &Path,
        engine: &'static str,
        voice: &'static str,
    ) -> Result<Self, TtsError> {
        let process = Process::spawn(python, engine, voice)?;
        Ok(Self {
            engine,
            voice,
            python: python.to_path_buf(),
            process: Mutex::new(Some(process)),
        })
    }

    /// Speaks `text` at `speed` (1.0 is the voice's own rate); a worker that fails is restarted
    /// and the request tried once more. A request the worker refuses is not retried.
    pub(crate) fn speak(&self, text: &str, speed: f32) -> Result<Speech, TtsError> {
        let mut guard = self
            .process
            .lock()
            .map_err(|_| synth_err(self.engine, "worker lock poisoned"))?;
        for attempt in 0..2 {
            if guard.is_none() {
                *guard = Some(Process::spawn(&self.python, self.engine, self.voice)?);
            }
            let Some(process) = guard.as_mut() else {
                continue;
            };
            match process.speak(text, speed) {
                Ok(s) => return Ok(s),
                Err(Failure::Refused(e)) => return Err(e),
                Err(Failure::Broken(e)) if attempt == 0 => {
                    tracing::warn!("{} worker failed ({e}); restarting it", self.engine);
                    *guard = None;
                }
                Err(Failure::Broken(e)) => {
                    *guard = None;
                    return Err(e);
                }
            }
        }
        Err(synth_err(self.engine, "worker unavailable"))
    }

    /// The worker's process id, while one runs (for tests that kill it).
    pub(crate) fn pid(&self) -> Option<u32> {
        self.process.lock().ok()?.as_ref().map(|p| p.child.id())
    }
}
