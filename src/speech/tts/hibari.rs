//! The natural hibari voice, the agent's own: one warm worker (`scripts/tts_worker.py`, see
//! [`super::worker`]), started once, restarted if it dies.

use std::path::Path;

use super::worker::Worker;
use super::{Speech, TtsEngine, TtsError};

const NAME: &str = "hibari";

/// The hibari voice, served by one warm worker process.
pub struct Hibari {
    worker: Worker,
}

impl Hibari {
    /// Starts the worker with `python` (which must have `hibari-tts` installed) and waits until
    /// the voice is loaded and warm.
    pub fn start(python: &Path) -> Result<Self, TtsError> {
        Ok(Self {
            worker: Worker::start(python, NAME, NAME)?,
        })
    }
}

impl TtsEngine for Hibari {
    fn name(&self) -> &'static str {
        NAME
    }

    fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
        self.worker.speak(text, 1.0)
    }
}
