//! Deterministic stand-ins for the speech engines, for fast session tests (the real engines'
//! end-to-end tests stay): a transcriber that hears a script, and a voice that speaks a tone.
//! With both, a call runs over the real server, websocket, conductor, dialog and SQLite with
//! nothing installed, and what the agent "hears" is exactly what the test scripted.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::stt::{BoxFuture, SpeechStream, SttError, Transcriber, Transcript};
use super::tts::{Speech, TtsEngine, TtsError};

/// Hears the lines of a script, one per utterance, in order; then silence (empty text).
#[derive(Clone, Default)]
pub struct Scripted {
    lines: Arc<Mutex<VecDeque<String>>>,
    /// How many utterances it was asked to transcribe.
    heard: Arc<Mutex<usize>>,
}

impl Scripted {
    pub fn new<S: Into<String>>(lines: impl IntoIterator<Item = S>) -> Self {
        Self {
            lines: Arc::new(Mutex::new(lines.into_iter().map(Into::into).collect())),
            heard: Arc::default(),
        }
    }

    /// Adds lines to hear after the ones still queued (the next call's, on a server that
    /// takes several).
    pub fn push<S: Into<String>>(&self, lines: impl IntoIterator<Item = S>) {
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(lines.into_iter().map(Into::into));
    }

    /// Lines not heard yet.
    pub fn left(&self) -> usize {
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Utterances transcribed so far.
    pub fn utterances(&self) -> usize {
        *self.heard.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn next(&self) -> Transcript {
        *self.heard.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        let text = self
            .lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop_front()
            .unwrap_or_default();
        Transcript {
            text,
            confidence: 1.0,
            ..Transcript::default()
        }
    }
}

impl Transcriber for Scripted {
    fn transcribe(&self, _audio: Vec<f32>) -> BoxFuture<'static, Result<Transcript, SttError>> {
        let t = self.next();
        Box::pin(async move { Ok(t) })
    }

    fn stream(&self) -> Box<dyn SpeechStream> {
        Box::new(ScriptedStream {
            script: self.clone(),
        })
    }
}

struct ScriptedStream {
    script: Scripted,
}

impl SpeechStream for ScriptedStream {
    fn push(&mut self, _audio: &[f32]) {}

    fn partial(&mut self) -> BoxFuture<'static, Result<Transcript, SttError>> {
        Box::pin(async { Ok(Transcript::default()) })
    }

    fn finish(self: Box<Self>) -> BoxFuture<'static, Result<Transcript, SttError>> {
        let t = self.script.next();
        Box::pin(async move { Ok(t) })
    }
}

/// Speaks any text as a 440 Hz tone, 10 ms per character (at least 400 ms), at 8 kHz: instant,
/// and loud enough for the endpointer to take for speech.
#[derive(Debug, Clone, Copy, Default)]
pub struct ToneVoice;

impl TtsEngine for ToneVoice {
    fn name(&self) -> &'static str {
        "tone"
    }

    fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
        let ms = (text.chars().count() as u32 * 10).max(400);
        let n = (ms * 8) as usize;
        let samples = (0..n)
            .map(|i| 0.3 * (i as f32 * 440.0 * std::f32::consts::TAU / 8_000.0).sin())
            .collect();
        Ok(Speech {
            samples,
            rate: 8_000,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_script_is_heard_in_order_then_nothing() {
        let s = Scripted::new(["Hello.", "Dana Kim."]);
        assert_eq!(s.transcribe(vec![]).await.unwrap().text, "Hello.");
        let mut stream = s.stream();
        stream.push(&[0.0; 160]);
        assert_eq!(stream.partial().await.unwrap().text, "");
        assert_eq!(stream.finish().await.unwrap().text, "Dana Kim.");
        assert_eq!(s.transcribe(vec![]).await.unwrap().text, "");
        assert_eq!(s.utterances(), 3);
        let speech = ToneVoice.synthesize("Hi.").unwrap();
        assert_eq!(speech.samples.len(), 400 * 8);
    }
}
