//! Text to speech behind one trait. The agent speaks with the natural hibari voice (a warm worker
//! process, loaded once) or espeak-ng (instant, robotic, no setup); simulated callers can also
//! speak with [`caller`] voices that are not the agent's own (Piper and Kokoro, each a warm
//! worker). Whatever the engine, what reaches the call is 8 kHz µ-law ([`to_line`]).
//!
//! **Architecture Invariant:** engines are blocking and run off the async runtime
//! (`spawn_blocking`); no engine starts a process per sentence except espeak-ng, which is a
//! fallback that starts in milliseconds.

pub mod caller;
pub mod espeak;
pub mod hibari;
mod worker;

use std::path::Path;
use std::sync::Arc;

use crate::audio::{g711, resample};
use crate::config::TtsChoice;

/// A synthesis failure.
#[derive(Debug, thiserror::Error)]
pub enum TtsError {
    #[error("cannot start the {engine} voice: {reason}")]
    Start {
        engine: &'static str,
        reason: String,
    },
    #[error("the {engine} voice failed: {reason}")]
    Synth {
        engine: &'static str,
        reason: String,
    },
    #[error("resampling speech failed: {0}")]
    Resample(#[from] resample::ResampleError),
}

/// Synthesised speech at the engine's own rate.
#[derive(Debug, Clone)]
pub struct Speech {
    /// Mono samples in [-1, 1].
    pub samples: Vec<f32>,
    /// Their sample rate.
    pub rate: u32,
}

/// A voice: the port the agent speaks through, delivering a reply's audio sentence by
/// sentence. The conductor splits each reply into sentences (`Output::Synthesize`); the session
/// asks the voice for each in order ([`TtsEngine::line`], off the async runtime) and hands each
/// to the conductor the moment it is ready (`Input::Synthesised`), so the first sentence is on
/// the line while the next is synthesised. A sentence arrives whole: an engine does not stream
/// within one. Implementations are blocking; the deterministic stand-in for tests is in
/// `speech::fake`.
pub trait TtsEngine: Send + Sync {
    /// The engine's name, for logs.
    fn name(&self) -> &'static str;
    /// Speaks `text` (blocking).
    fn synthesize(&self, text: &str) -> Result<Speech, TtsError>;
    /// Speaks `text` as telephone audio ([`to_line`]); an engine that keeps line audio
    /// serves it as it is.
    fn line(&self, text: &str) -> Result<Vec<u8>, TtsError> {
        to_line(&self.synthesize(text)?)
    }
    /// Whether the voice answers at once now: started (an engine exists only once it has
    /// started) and its warm-up done. Cheap, for `/readyz`: it never synthesises.
    fn warm(&self) -> bool {
        true
    }
}

/// Telephone audio: 8 kHz µ-law, level-normalised so every voice sounds equally loud, with
/// the voice's own silence around the words cut to [`LEAD_MS`] before and [`TAIL_MS`] after.
pub fn to_line(speech: &Speech) -> Result<Vec<u8>, TtsError> {
    let mut pcm = resample::resample(&speech.samples, speech.rate, 8_000)?;
    let peak = pcm.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    if peak > 1e-4 {
        let gain = 0.7 / peak;
        for s in &mut pcm {
            *s *= gain;
        }
    }
    let (from, to) = words_span(&pcm, 8_000);
    Ok(g711::encode_from_f32(&pcm[from..to]))
}

/// Silence kept before the first word of a sentence. Voices pad their output (hibari leads
/// with about 320 ms and trails about 470 ms): every millisecond of lead is added to the
/// caller's wait for the agent's answer, and a sentence's tail plus the next one's lead is the
/// pause between them.
pub const LEAD_MS: usize = 30;
/// Silence kept after the last word: with the next sentence's lead, a pause of about 250 ms.
pub const TAIL_MS: usize = 220;
/// A 10 ms window quieter than this (dBFS, after level normalisation to a 0.7 peak) is the
/// voice's padding, not a word: 3 dB under what the simulated caller counts as voiced.
const WORDS_DBFS: f32 = -48.0;

/// The sample range of `pcm` (at `rate`) from [`LEAD_MS`] before its first window louder than
/// [`WORDS_DBFS`] to [`TAIL_MS`] after its last; all of it when no window is.
fn words_span(pcm: &[f32], rate: usize) -> (usize, usize) {
    let window = rate / 100;
    if window == 0 {
        return (0, pcm.len());
    }
    let loud = |w: &[f32]| crate::audio::vad::level_dbfs(w) > WORDS_DBFS;
    let mut windows = pcm.chunks(window).enumerate().filter(|(_, w)| loud(w));
    let Some((first, _)) = windows.next() else {
        return (0, pcm.len());
    };
    let last = windows.next_back().map_or(first, |(i, _)| i);
    let from = (first * window).saturating_sub(LEAD_MS * rate / 1000);
    let to = ((last + 1) * window + TAIL_MS * rate / 1000).min(pcm.len());
    (from, to)
}

/// Synthesises `text` straight to telephone audio.
pub fn speak_line(engine: &dyn TtsEngine, text: &str) -> Result<Vec<u8>, TtsError> {
    engine.line(text)
}

/// An engine whose known lines were spoken ahead of time: a slow voice (Kokoro is about real
/// time) then answers at once when a simulated caller's turn comes, instead of keeping the agent
/// waiting into its silence prompt. Other text goes to the engine as usual.
pub struct Rehearsed {
    engine: Arc<dyn TtsEngine>,
    lines: std::collections::HashMap<String, Speech>,
}

impl Rehearsed {
    /// Speaks every one of `lines` with `engine` now (blocking).
    pub fn new<'a>(
        engine: Arc<dyn TtsEngine>,
        lines: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, TtsError> {
        let mut spoken = std::collections::HashMap::new();
        for line in lines {
            if !spoken.contains_key(line) {
                spoken.insert(line.to_string(), engine.synthesize(line)?);
            }
        }
        Ok(Self {
            engine,
            lines: spoken,
        })
    }
}

impl TtsEngine for Rehearsed {
    fn name(&self) -> &'static str {
        self.engine.name()
    }

    fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
        match self.lines.get(text) {
            Some(speech) => Ok(speech.clone()),
            None => self.engine.synthesize(text),
        }
    }

    fn warm(&self) -> bool {
        self.engine.warm()
    }
}

/// The agent's voice with a memory: each sentence is synthesised once and then served at once
/// (the greeting, the questions, the closings recur on every call), up to `capacity`
/// sentences, the oldest forgotten first. It keeps them as line audio (8 kHz µ-law, about
/// 16 kB a sentence), which is what calls send. [`Cached::prefill`] speaks the persona's fixed
/// sentences ahead of the first call; the voice is [warm](TtsEngine::warm) once it has.
pub struct Cached {
    engine: Arc<dyn TtsEngine>,
    capacity: usize,
    spoken: std::sync::Mutex<Memory>,
    /// [`Cached::prefill`] has run.
    prefilled: std::sync::atomic::AtomicBool,
}

/// Sentences and their line audio, and the order they were learnt in.
type Memory = (
    std::collections::HashMap<String, Vec<u8>>,
    std::collections::VecDeque<String>,
);

/// Line audio as speech at the line's rate (for callers that want samples).
fn line_speech(line: &[u8]) -> Speech {
    Speech {
        samples: g711::decode_to_f32(line),
        rate: 8_000,
    }
}

impl Cached {
    pub fn new(engine: Arc<dyn TtsEngine>, capacity: usize) -> Self {
        Self {
            engine,
            capacity: capacity.max(1),
            spoken: std::sync::Mutex::default(),
            prefilled: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Speaks each of `sentences` not yet known (blocking); returns how many it spoke. A
    /// sentence the voice fails on is skipped (a call will try it again). Once done, the voice
    /// is warm.
    pub fn prefill<'a>(&self, sentences: impl IntoIterator<Item = &'a str>) -> usize {
        let mut n = 0;
        for s in sentences {
            if self.known(s) {
                continue;
            }
            match self.engine.line(s) {
                Ok(line) => {
                    self.remember(s, line);
                    n += 1;
                }
                Err(e) => tracing::warn!(error = %e, sentence = s, "could not speak ahead"),
            }
        }
        self.prefilled
            .store(true, std::sync::atomic::Ordering::Release);
        n
    }

    /// Sentences remembered now.
    pub fn len(&self) -> usize {
        self.spoken.lock().map_or(0, |g| g.0.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn known(&self, text: &str) -> bool {
        self.spoken.lock().is_ok_and(|g| g.0.contains_key(text))
    }

    fn remember(&self, text: &str, line: Vec<u8>) {
        let Ok(mut guard) = self.spoken.lock() else {
            return;
        };
        let (map, order) = &mut *guard;
        if map.contains_key(text) {
            return;
        }
        while map.len() >= self.capacity {
            let Some(oldest) = order.pop_front() else {
                break;
            };
            map.remove(&oldest);
        }
        map.insert(text.to_string(), line);
        order.push_back(text.to_string());
    }
}

impl TtsEngine for Cached {
    fn name(&self) -> &'static str {
        self.engine.name()
    }

    fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
        Ok(line_speech(&self.line(text)?))
    }

    fn warm(&self) -> bool {
        self.prefilled.load(std::sync::atomic::Ordering::Acquire) && self.engine.warm()
    }

    fn line(&self, text: &str) -> Result<Vec<u8>, TtsError> {
        if let Some(line) = self.spoken.lock().ok().and_then(|g| g.0.get(text).cloned()) {
            return Ok(line);
        }
        let line = self.engine.line(text)?;
        self.remember(text, line.clone());
        Ok(line)
    }
}

/// Starts a caller voice at speaking rate `rate` (1.0 is the voice's own; see
/// [`caller::Caller::start`]). The agent's voice is chosen by [`start`], never by this.
pub fn start_caller(
    voice: caller::CallerVoice,
    rate: f32,
    python: &Path,
) -> Result<Arc<dyn TtsEngine>, TtsError> {
    Ok(Arc::new(caller::Caller::start(voice, rate, python)?))
}

/// Picks and starts the configured voice. `auto` takes hibari when it starts, else espeak-ng.
pub fn start(choice: TtsChoice, python: &Path) -> Result<Arc<dyn TtsEngine>, TtsError> {
    match choice {
        TtsChoice::Hibari => Ok(Arc::new(hibari::Hibari::start(python)?)),
        TtsChoice::Espeak => Ok(Arc::new(espeak::Espeak::new()?)),
        TtsChoice::Auto => match hibari::Hibari::start(python) {
            Ok(h) => Ok(Arc::new(h)),
            Err(e) => {
                tracing::warn!("natural voice unavailable ({e}); falling back to espeak-ng. Run scripts/setup.sh for the hibari voice.");
                Ok(Arc::new(espeak::Espeak::new()?))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_voices_padding_is_cut_to_a_short_lead_and_tail() {
        // 320 ms of near-silence, 500 ms of a tone, 470 ms of near-silence, at 24 kHz.
        let rate = 24_000;
        let quiet = |ms: usize| vec![0.0005f32; rate * ms / 1000];
        let tone: Vec<f32> = (0..rate / 2)
            .map(|i| 0.5 * (i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin())
            .collect();
        let samples = [quiet(320), tone, quiet(470)].concat();
        let line = to_line(&Speech {
            samples,
            rate: 24_000,
        })
        .unwrap();
        let pcm = g711::decode_to_f32(&line);
        let ms = |n: usize| n * 1000 / 8_000;
        let loud_at = pcm.iter().position(|s| s.abs() > 0.1).unwrap();
        assert!((20..=40).contains(&ms(loud_at)), "lead {} ms", ms(loud_at));
        let loud_until = pcm.len() - pcm.iter().rev().position(|s| s.abs() > 0.1).unwrap();
        let tail = ms(pcm.len() - loud_until);
        assert!((200..=240).contains(&tail), "tail {tail} ms");
        // All quiet: kept as it is (there are no words to find).
        let hush = to_line(&Speech {
            samples: quiet(300),
            rate: 24_000,
        })
        .unwrap();
        assert_eq!(hush.len(), 2_400);
    }

    #[test]
    fn a_sentence_is_synthesised_once_and_the_oldest_forgotten_first() {
        let engine = Arc::new(Counting(Default::default()));
        let cache = Cached::new(engine.clone(), 2);
        let said = || engine.0.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(
            cache.prefill(["How can I help you?", "How can I help you?"]),
            1
        );
        assert_eq!(said(), 1);
        let first = speak_line(engine.as_ref(), "How can I help you?").unwrap();
        let again = speak_line(&cache, "How can I help you?").unwrap();
        assert_eq!(said(), 2, "the cache spoke it once, the test once");
        assert_eq!(again, first, "the line audio is what the voice said");
        cache.synthesize("Goodbye.").unwrap();
        cache.synthesize("Thank you.").unwrap();
        assert_eq!((said(), cache.len()), (4, 2));
        // The greeting was the oldest: spoken again.
        cache.synthesize("How can I help you?").unwrap();
        assert_eq!(said(), 5);
        cache.synthesize("Thank you.").unwrap();
        assert_eq!(said(), 5);
    }
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Speaks one sample per character and counts what it was asked.
    struct Counting(AtomicUsize);

    impl TtsEngine for Counting {
        fn name(&self) -> &'static str {
            "counting"
        }
        fn synthesize(&self, text: &str) -> Result<Speech, TtsError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(Speech {
                samples: vec![0.5; text.len()],
                rate: 8_000,
            })
        }
    }

    #[test]
    fn the_cached_voice_is_warm_once_it_has_spoken_ahead() {
        let cache = Cached::new(Arc::new(Counting(Default::default())), 4);
        assert!(!cache.warm(), "not before its warm-up");
        cache.synthesize("Hello.").unwrap();
        assert!(!cache.warm(), "a call's sentence is no warm-up");
        cache.prefill(["Goodbye."]);
        assert!(cache.warm());
    }

    #[test]
    fn rehearsed_lines_are_spoken_once_ahead_and_others_on_demand() {
        let engine = Arc::new(Counting(AtomicUsize::new(0)));
        let r =
            Rehearsed::new(engine.clone(), ["Hello.", "My number is 6 1 7.", "Hello."]).unwrap();
        assert_eq!(engine.0.load(Ordering::SeqCst), 2);
        assert_eq!(r.name(), "counting");
        assert_eq!(r.synthesize("Hello.").unwrap().samples.len(), 6);
        assert_eq!(
            r.synthesize("My number is 6 1 7.").unwrap().samples.len(),
            19
        );
        assert_eq!(engine.0.load(Ordering::SeqCst), 2);
        assert_eq!(r.synthesize("Bye.").unwrap().samples.len(), 4);
        assert_eq!(engine.0.load(Ordering::SeqCst), 3);
    }
}
