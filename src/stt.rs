//! Speech to text with whisper (whisper-rs over whisper.cpp).
//!
//! The model is loaded once and shared by every call; each transcription runs on a blocking
//! thread, never on the async runtime. Silence and line noise must not become words: quiet clips
//! never reach whisper, and segments whisper itself judges as non-speech, or that are its
//! well-known hallucinations on noise, are dropped.
//!
//! **Architecture Invariant:** `stt` knows nothing of calls; it turns 16 kHz mono samples into text.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use crate::audio::vad::{level_dbfs, voiced_ms};

/// The sample rate whisper expects.
pub const SAMPLE_RATE: u32 = 16_000;

/// A transcription failure.
#[derive(Debug, thiserror::Error)]
pub enum SttError {
    #[error("whisper model {path} not found: run scripts/setup.sh (or set FRONTDESK_MODEL)")]
    ModelMissing { path: PathBuf },
    #[error("cannot load whisper model {path}: {reason}")]
    Load { path: PathBuf, reason: String },
    #[error("whisper failed: {0}")]
    Whisper(String),
    #[error("transcription task failed: {0}")]
    Join(String),
}

/// What whisper heard.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    /// The words, trimmed; empty when nothing was said.
    pub text: String,
    /// Whisper's probability that the clip held no speech (highest over segments).
    pub no_speech_prob: f32,
    /// Mean probability of the kept tokens.
    pub confidence: f32,
}

/// Phrases whisper tiny is known to produce on silence or noise.
const HALLUCINATIONS: &[&str] = &[
    "you",
    "thank you",
    "thanks for watching",
    "thank you for watching",
    "so",
    "the end",
    "subtitles by the amara.org community",
];

/// Shared whisper model plus a pool of decoding states.
#[derive(Clone)]
pub struct Stt {
    ctx: Arc<WhisperContext>,
    states: Arc<Mutex<Vec<WhisperState>>>,
    prompt: Arc<String>,
    threads: i32,
    min_audio_ctx: i32,
}

impl std::fmt::Debug for Stt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stt")
            .field("threads", &self.threads)
            .finish()
    }
}

impl Stt {
    /// Loads the GGML model at `path`. `prompt` biases recognition toward the persona's words.
    pub fn load(path: &Path, prompt: &str, threads: usize) -> Result<Self, SttError> {
        if !path.is_file() {
            return Err(SttError::ModelMissing {
                path: path.to_path_buf(),
            });
        }
        whisper_rs::install_logging_hooks();
        let path_str = path.to_str().ok_or_else(|| SttError::Load {
            path: path.to_path_buf(),
            reason: "path is not UTF-8".into(),
        })?;
        let ctx = WhisperContext::new_with_params(path_str, WhisperContextParameters::default())
            .map_err(|e| SttError::Load {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            ctx: Arc::new(ctx),
            states: Arc::new(Mutex::new(Vec::new())),
            prompt: Arc::new(prompt.to_string()),
            threads: threads.max(1) as i32,
            min_audio_ctx: MIN_AUDIO_CTX,
        })
    }

    /// The same model with another smallest encoder window (1500: whisper's full 30 s, as
    /// whisper.cpp does by default). For benchmarks that compare windows.
    pub fn with_min_audio_ctx(mut self, min: i32) -> Self {
        self.min_audio_ctx = min.clamp(1, 1500);
        self
    }

    /// Transcribes 16 kHz mono samples on a blocking thread.
    pub async fn transcribe(&self, audio: Vec<f32>) -> Result<Transcript, SttError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.transcribe_blocking(&audio))
            .await
            .map_err(|e| SttError::Join(e.to_string()))?
    }

    /// Transcribes 16 kHz mono samples on the current thread.
    pub fn transcribe_blocking(&self, audio: &[f32]) -> Result<Transcript, SttError> {
        // Under a quarter second, quieter than a whisper on the line, or without a voiced
        // syllable (hiss, hum, crackle): nothing was said, and whisper would invent something.
        if audio.len() < SAMPLE_RATE as usize / 4
            || level_dbfs(audio) < -55.0
            || voiced_ms(audio, SAMPLE_RATE) < MIN_VOICED_MS
        {
            return Ok(Transcript::default());
        }
        // whisper.cpp wants at least a second of input; pad short clips with silence.
        let mut padded;
        let input: &[f32] = if audio.len() < SAMPLE_RATE as usize + SAMPLE_RATE as usize / 4 {
            padded = audio.to_vec();
            padded.resize(SAMPLE_RATE as usize + SAMPLE_RATE as usize / 4, 0.0);
            &padded
        } else {
            audio
        };
        let mut state = match self.states.lock().ok().and_then(|mut s| s.pop()) {
            Some(s) => s,
            None => self
                .ctx
                .create_state()
                .map_err(|e| SttError::Whisper(e.to_string()))?,
        };
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        params.set_n_threads(self.threads);
        params.set_language(Some("en"));
        params.set_translate(false);
        params.set_no_context(true);
        params.set_single_segment(true);
        params.set_no_timestamps(true);
        params.set_suppress_blank(true);
        // Let whisper say "(static)" or "[BLANK_AUDIO]" (dropped by `clean`) rather than force words.
        params.set_suppress_nst(false);
        params.set_temperature(0.0);
        // Greedy first; if whisper finds its own output degenerate (a loop), it retries warmer.
        params.set_temperature_inc(0.2);
        // No one says more than ~6 tokens a second: a bound that also stops runaway loops.
        let secs = audio.len() as f64 / SAMPLE_RATE as f64;
        params.set_max_tokens(((secs * 6.0) as i32 + 16).clamp(24, 224));
        params.set_no_speech_thold(0.6);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_special(false);
        params.set_print_timestamps(false);
        if !self.prompt.is_empty() {
            params.set_initial_prompt(&self.prompt);
        }
        // The encoder costs the same for any clip unless told how much of its 30 s window is
        // audio: size the window to the clip (50 positions a second) plus a margin.
        params.set_audio_ctx(audio_ctx(input.len(), self.min_audio_ctx));
        let result = state
            .full(params, input)
            .map_err(|e| SttError::Whisper(e.to_string()));
        let transcript = result.map(|()| collect(&state));
        if let Ok(mut pool) = self.states.lock() {
            pool.push(state);
        }
        transcript
    }
}

/// Voiced speech a clip must hold before whisper hears it.
const MIN_VOICED_MS: u32 = 80;

/// The smallest encoder window used. Below about 10 s of window, tiny.en starts to loop on
/// short clips ("Yes. Yes. Yes. …"); at 512 it transcribes as well as at the full 1500
/// (measured on natural-voice µ-law clips), three times faster.
pub const MIN_AUDIO_CTX: i32 = 512;

/// The encoder window for `samples` of 16 kHz audio: 50 positions a second plus a margin,
/// at least `min` (normally [`MIN_AUDIO_CTX`]), at most whisper's full 1500.
pub fn audio_ctx(samples: usize, min: i32) -> i32 {
    let secs = samples as f64 / SAMPLE_RATE as f64;
    ((secs * 50.0).ceil() as i32 + 128).clamp(min.min(1500), 1500)
}

fn collect(state: &WhisperState) -> Transcript {
    let mut text = String::new();
    let mut no_speech: f32 = 0.0;
    let mut prob_sum = 0.0f32;
    let mut prob_n = 0usize;
    for segment in state.as_iter() {
        let seg_text = segment
            .to_str_lossy()
            .map(|c| c.into_owned())
            .unwrap_or_default();
        let nsp = segment.no_speech_probability();
        no_speech = no_speech.max(nsp);
        let mut seg_sum = 0.0f32;
        let mut seg_n = 0usize;
        for i in 0..segment.n_tokens() {
            if let Some(tok) = segment.get_token(i) {
                let is_text = tok
                    .to_str_lossy()
                    .map(|t| !(t.starts_with("[_") || t.starts_with("<|")))
                    .unwrap_or(false);
                if is_text {
                    seg_sum += tok.token_probability();
                    seg_n += 1;
                }
            }
        }
        let seg_conf = if seg_n > 0 {
            seg_sum / seg_n as f32
        } else {
            0.0
        };
        // Whisper thinks there is no speech and is unsure of the words: drop the segment.
        if nsp > 0.6 && seg_conf < 0.6 {
            continue;
        }
        prob_sum += seg_sum;
        prob_n += seg_n;
        text.push_str(&seg_text);
    }
    let mut text = collapse_repeats(&clean(&text));
    let confidence = if prob_n > 0 {
        prob_sum / prob_n as f32
    } else {
        0.0
    };
    if is_hallucination(&text, no_speech, confidence) {
        text.clear();
    }
    Transcript {
        text,
        no_speech_prob: no_speech,
        confidence,
    }
}

/// Trims whisper's output and drops non-speech annotations ("[BLANK_AUDIO]", "(music)", "*static*").
pub fn clean(raw: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut star = false;
    for c in raw.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            '*' => star = !star,
            _ if depth == 0 && !star => out.push(c),
            _ => {}
        }
    }
    let text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().any(char::is_alphanumeric) {
        text
    } else {
        String::new()
    }
}

/// Collapses a sentence repeated back to back ("Yes. Yes. Yes.") to one: whisper's failure mode
/// on short clips, never how a caller speaks.
pub fn collapse_repeats(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let end_of_sentence =
            matches!(b, b'.' | b'?' | b'!') && bytes.get(i + 1).is_none_or(|n| *n == b' ');
        if end_of_sentence || i + 1 == bytes.len() {
            let sentence = text[start..=i].trim();
            let bare = |s: &str| s.trim_end_matches(['.', '?', '!']).to_lowercase();
            if !sentence.is_empty() && out.last().is_none_or(|last| bare(last) != bare(sentence)) {
                out.push(sentence);
            }
            start = i + 1;
        }
    }
    out.join(" ")
}

/// Whether `text` is one of whisper's stock phrases on noise, said with doubt.
pub fn is_hallucination(text: &str, no_speech_prob: f32, confidence: f32) -> bool {
    let lower = text.to_lowercase();
    let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
    HALLUCINATIONS.contains(&bare) && (no_speech_prob > 0.2 || confidence < 0.7)
}

#[cfg(test)]
mod tests {
    use super::{clean, is_hallucination};

    #[test]
    fn annotations_and_hallucinations_are_dropped() {
        assert_eq!(clean(" [BLANK_AUDIO]"), "");
        assert_eq!(clean(" (music playing)"), "");
        assert_eq!(clean(" *static*"), "");
        assert_eq!(clean(" ..."), "");
        assert!(is_hallucination("Thank you.", 0.5, 0.9));
        assert!(is_hallucination(" you", 0.0, 0.3));
        assert!(!is_hallucination("Thank you.", 0.01, 0.95));
        assert!(!is_hallucination("Yes.", 0.5, 0.3));
        assert_eq!(
            clean(" Hello, this is  Jordan. [noise]"),
            "Hello, this is Jordan."
        );
        assert_eq!(super::collapse_repeats("Yes. Yes. Yes. Yes"), "Yes.");
        assert_eq!(
            super::collapse_repeats("This is Jo. I need help. This is Jo. I need help."),
            "This is Jo. I need help. This is Jo. I need help."
        );
        assert_eq!(
            super::collapse_repeats("No. No, wait. No."),
            "No. No, wait. No."
        );
        assert_eq!(clean(" Thank you, goodbye."), "Thank you, goodbye.");
    }
}
