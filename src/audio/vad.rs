//! Voice activity detection and endpointing, frame by frame (20 ms), sans-IO.
//!
//! Speech is a frame whose level stands clearly above the line's noise floor, which is tracked
//! by minimum statistics (a low percentile of the last few seconds), so steady hiss or hum on
//! the line never opens an utterance. An utterance starts after a little speech and ends after
//! enough trailing silence; the silence wanted is longer when the dialog expects the caller to
//! read out digits or a date ([`Patience::Long`]). While the agent speaks, the caller must also
//! be louder than the agent's own echo could be (the `guard_db` level the session computes).
//!
//! What counts as speech is the [`Detector`]'s call: the frame's level over the noise floor
//! ([`Detector::Energy`]), or a trained model's probability ([`Detector::Model`], any
//! [`VoiceActivity`]: Silero in `speech::vad`, injected by the session so this module stays
//! pure). Both open an utterance at a higher mark than they hold it at (hysteresis), and both
//! leave the silences that end a turn to the endpointer.

use std::collections::VecDeque;

/// Milliseconds in one frame.
pub const FRAME_MS: u32 = 20;

/// Samples in one frame at 16 kHz.
const WIDE_FRAME: usize = (16 * FRAME_MS) as usize;

/// How long to wait for the caller to finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patience {
    /// An ordinary answer.
    Normal,
    /// An open request ("how can I help?"): callers say several sentences.
    Request,
    /// Digits, a phone number or a date: callers pause between groups.
    Long,
    /// A name spelled letter by letter: the gaps between letters are short, but longer than
    /// an ordinary answer's pauses.
    Spelling,
}

/// Which voice-activity detector the endpointer consults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VadEngine {
    /// Silero when its model and runtime are installed, else energy (said once in the log).
    Auto,
    /// Silero VAD v6 at 8 kHz: a startup error when it cannot be loaded.
    Silero,
    /// The frame's level over the line's noise floor. The default until the end-to-end suite
    /// runs under Silero (BENCHMARKS.md, "Voice activity": Silero hears more of a noisy line's
    /// words but ends its turns 160–200 ms later).
    #[default]
    Energy,
}

impl VadEngine {
    /// The config's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            VadEngine::Auto => "auto",
            VadEngine::Silero => "silero",
            VadEngine::Energy => "energy",
        }
    }
}

/// A trained judge of speech, fed the line frame by frame. It keeps its own state (a model's
/// recurrent memory, samples waiting for a whole window), so each call has its own.
pub trait VoiceActivity: Send + Sync {
    /// The probability (0–1) that the caller is speaking in this 20 ms frame of 8 kHz line
    /// audio (samples in −1…1). A model whose window is longer than a frame may answer with its
    /// latest window's judgement.
    fn probability(&mut self, line: &[f32]) -> f32;
}

/// What decides that a frame is speech.
pub enum Detector {
    /// The frame's level over the noise floor: `threshold_db` to open, `hold_db` to hold.
    Energy,
    /// A model's probability: `speech_threshold` to open, `hold_threshold` to hold.
    Model(Box<dyn VoiceActivity>),
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Detector::Energy => f.write_str("Energy"),
            Detector::Model(_) => f.write_str("Model"),
        }
    }
}

/// Tunables for [`Endpointer`].
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct VadConfig {
    /// The detector: `auto` (Silero when installed, else energy), `silero` or `energy`.
    pub engine: VadEngine,
    /// The Silero model file (ONNX), from `scripts/setup.sh`.
    pub silero_model: std::path::PathBuf,
    /// The ONNX runtime library that runs it (`libonnxruntime.so`). Default: `ORT_DYLIB_PATH`,
    /// else the one the `onnxruntime` wheel installed in the venv of `python`.
    pub onnxruntime: Option<std::path::PathBuf>,
    /// With a model: the probability that opens an utterance.
    pub speech_threshold: f32,
    /// With a model: the probability that keeps an open utterance in speech (lower than
    /// `speech_threshold`, so a word's soft ending is not taken for the pause after it).
    pub hold_threshold: f32,
    /// dB above the noise floor that counts as speech.
    pub threshold_db: f32,
    /// dB above the noise floor that keeps an open utterance in speech: lower than
    /// `threshold_db`, so a word's soft ending on a noisy line is not taken for the pause after
    /// it, yet clear of steady noise's own frame-to-frame wobble (a dB or two).
    pub hold_db: f32,
    /// The quietest level (dBFS) ever taken for speech.
    pub min_speech_dbfs: f32,
    /// Speech needed to open an utterance.
    pub start_ms: u32,
    /// Trailing silence that ends an ordinary answer.
    pub end_silence_ms: u32,
    /// Trailing silence that ends an open request, which callers make in several sentences.
    pub request_end_silence_ms: u32,
    /// Trailing silence that ends digits, numbers and dates.
    pub long_end_silence_ms: u32,
    /// Trailing silence that ends a spelled name: a caller spelling their own name leaves
    /// shorter gaps between letters than between a number's groups.
    pub spelling_end_silence_ms: u32,
    /// An utterance is cut here even if the caller has not paused.
    pub max_utterance_ms: u32,
    /// A pause this long inside an utterance is reported ([`Endpoint::Paused`]), so the words
    /// so far can be transcribed while the endpointer waits out the rest of the silence.
    /// `0` never reports pauses.
    pub pause_ms: u32,
    /// Trailing silence that ends a complete answer (a yes or no, a short finished answer, a
    /// whole phone number) once whisper has the words before the silence and the caller has
    /// said nothing since: the turn ends this long after their last word, or as soon as
    /// whisper answers when that is later. Only with `pause_ms` set.
    pub complete_end_silence_ms: u32,
    /// Trailing silence that ends a finished sentence that does what was asked (a request the
    /// dialog understands, a day with a clock time), once whisper has the words before the
    /// silence and the caller has said nothing since: shorter than `end_silence_ms`, since the
    /// words already say the caller is done; words still coming (a trailing "and", a number
    /// half read out) wait the longest silence instead. Only with `pause_ms` set; at most
    /// `end_silence_ms`.
    pub understood_end_silence_ms: u32,
    /// Audio kept from before the detected start, so first syllables are not clipped.
    pub pre_roll_ms: u32,
}

impl Default for VadConfig {
    fn default() -> Self {
        Self {
            engine: VadEngine::Energy,
            silero_model: std::path::PathBuf::from("models/silero_vad.onnx"),
            onnxruntime: None,
            speech_threshold: 0.5,
            hold_threshold: 0.35,
            threshold_db: 12.0,
            hold_db: 9.0,
            min_speech_dbfs: -48.0,
            start_ms: 100,
            end_silence_ms: 700,
            request_end_silence_ms: 1100,
            long_end_silence_ms: 1600,
            spelling_end_silence_ms: 800,
            max_utterance_ms: 25_000,
            pause_ms: 120,
            complete_end_silence_ms: 280,
            understood_end_silence_ms: 400,
            pre_roll_ms: 300,
        }
    }
}

/// The RMS level of a frame in dBFS (−100 for digital silence).
pub fn level_dbfs(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return -100.0;
    }
    let mean_sq = samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32;
    if mean_sq <= 1e-10 {
        -100.0
    } else {
        10.0 * mean_sq.log10()
    }
}

/// Milliseconds of voiced speech in a clip: 20 ms frames that stand above the clip's quiet
/// frames and are periodic at a speaking pitch (70–400 Hz, normalised autocorrelation ≥ 0.5).
/// Hiss, hum below the voice range, clicks and crackle have none; any syllable has some.
pub fn voiced_ms(samples: &[f32], rate: u32) -> u32 {
    // Work at 8 kHz: the line's band, and a quarter of the cost.
    let step = (rate / 8_000).max(1) as usize;
    let x: Vec<f32> = samples.iter().step_by(step).copied().collect();
    let frame = 160;
    let (min_lag, max_lag) = (8_000 / 400, 8_000 / 70);
    let levels: Vec<f32> = x.chunks(frame).map(level_dbfs).collect();
    let mut sorted = levels.clone();
    sorted.sort_by(f32::total_cmp);
    let floor = sorted.get(sorted.len() / 10).copied().unwrap_or(-100.0);
    let mut voiced = 0;
    for (i, level) in levels.iter().enumerate() {
        if *level < floor + 6.0 || *level < -50.0 {
            continue;
        }
        // The frame and the lag window after it.
        let start = i * frame;
        if start + frame + max_lag > x.len() {
            break;
        }
        let a = &x[start..start + frame];
        let energy_a: f32 = a.iter().map(|v| v * v).sum();
        let mut best = 0.0f32;
        for lag in min_lag..=max_lag {
            let b = &x[start + lag..start + lag + frame];
            let dot: f32 = a.iter().zip(b).map(|(p, q)| p * q).sum();
            let energy_b: f32 = b.iter().map(|v| v * v).sum();
            let r = dot / (energy_a * energy_b).sqrt().max(1e-12);
            best = best.max(r);
        }
        if best >= 0.5 {
            voiced += 1;
        }
    }
    voiced * FRAME_MS
}

/// A finished utterance: the caller's audio at the whisper rate.
#[derive(Debug, Clone)]
pub struct Utterance {
    /// 16 kHz mono samples, pre-roll included, trailing silence trimmed to a short tail.
    pub audio: Vec<f32>,
    /// Frames judged as speech.
    pub speech_ms: u32,
    /// True when the utterance was cut at `max_utterance_ms`.
    pub truncated: bool,
}

/// What one frame changed.
#[derive(Debug, Clone)]
pub enum Endpoint {
    /// The caller started speaking (pre-roll is already in the utterance).
    Started,
    /// The caller finished speaking.
    Ended(Utterance),
    /// The caller paused for `pause_ms`: the utterance so far (its pause trimmed as an ended
    /// one's is, to at most 200 ms). The utterance stays open; if the caller says nothing more
    /// it ends later with the same words (the same audio, up to a longer tail of silence) and
    /// [`Endpointer::speech_frames`] unchanged.
    Paused(Utterance),
}

/// The noise floor by minimum statistics: a low percentile of recent frame levels.
#[derive(Debug, Clone)]
struct NoiseFloor {
    history: VecDeque<f32>,
    capacity: usize,
    floor: f32,
    since_update: usize,
}

impl NoiseFloor {
    fn new(capacity: usize) -> Self {
        Self {
            history: VecDeque::with_capacity(capacity),
            capacity,
            floor: -100.0,
            since_update: 0,
        }
    }

    fn push(&mut self, level: f32) {
        if self.history.len() == self.capacity {
            self.history.pop_front();
        }
        self.history.push_back(level);
        self.since_update += 1;
        if self.since_update >= 5 || self.history.len() < 10 {
            self.since_update = 0;
            let mut sorted: Vec<f32> = self.history.iter().copied().collect();
            sorted.sort_by(f32::total_cmp);
            self.floor = sorted[sorted.len() / 10];
        }
    }
}

/// Turns a stream of frames into utterance start/end events and collects the utterance audio.
pub struct Endpointer {
    cfg: VadConfig,
    detector: Detector,
    floor: NoiseFloor,
    patience: Patience,
    /// Recent speech decisions while idle (for the start rule).
    recent: VecDeque<bool>,
    /// 16 kHz audio before the start.
    pre_roll: VecDeque<f32>,
    pre_roll_len: usize,
    in_speech: bool,
    /// The last frame's verdict.
    heard: bool,
    audio: Vec<f32>,
    speech_frames: u32,
    frames: u32,
    trailing_silence: u32,
    /// The trailing silence that ends the open utterance in place of the patience's, set from
    /// what its words so far say; cleared when the caller speaks again.
    utterance_silence_ms: Option<u32>,
}

impl Endpointer {
    /// A fresh endpointer judging speech by energy.
    pub fn new(cfg: VadConfig) -> Self {
        Self::with_detector(cfg, Detector::Energy)
    }

    /// A fresh endpointer judging speech with `detector`.
    pub fn with_detector(cfg: VadConfig, detector: Detector) -> Self {
        let pre_roll_len = (cfg.pre_roll_ms * 16) as usize;
        Self {
            cfg,
            detector,
            floor: NoiseFloor::new(150),
            patience: Patience::Normal,
            recent: VecDeque::new(),
            pre_roll: VecDeque::with_capacity(pre_roll_len + 320),
            pre_roll_len,
            in_speech: false,
            heard: false,
            audio: Vec::new(),
            speech_frames: 0,
            frames: 0,
            trailing_silence: 0,
            utterance_silence_ms: None,
        }
    }

    /// Sets how much trailing silence ends the next (or current) utterance.
    pub fn set_patience(&mut self, patience: Patience) {
        self.patience = patience;
    }

    /// The current patience.
    pub fn patience(&self) -> Patience {
        self.patience
    }

    /// Ends the open utterance after `ms` of trailing silence instead of the patience's (what
    /// the caller's words before a pause say: finished, or more to come), until the caller
    /// speaks again; `None` goes back to the patience. Silence already past `ms` ends it at
    /// the next frame.
    pub fn set_utterance_silence(&mut self, ms: Option<u32>) {
        self.utterance_silence_ms = ms;
    }

    /// The trailing silence that ends (or, just after an end, ended) the utterance.
    pub fn end_silence_ms(&self) -> u32 {
        self.utterance_silence_ms.unwrap_or(match self.patience {
            Patience::Normal => self.cfg.end_silence_ms,
            Patience::Request => self.cfg.request_end_silence_ms,
            Patience::Long => self.cfg.long_end_silence_ms,
            Patience::Spelling => self.cfg.spelling_end_silence_ms,
        })
    }

    /// True while an utterance is open.
    pub fn in_speech(&self) -> bool {
        self.in_speech
    }

    /// Milliseconds of speech in the open utterance.
    pub fn speech_ms(&self) -> u32 {
        self.speech_frames * FRAME_MS
    }

    /// Milliseconds of speech heard so far: in an open utterance, its speech; before one opens,
    /// the speech among the recent frames the start rule counts (`start_ms` of them open it),
    /// while that onset is live: the last frame was speech, or one more speech frame would
    /// open the utterance. 0 once a burst too short to open one has died away, so what reacts
    /// at the onset (the agent pausing for the caller) can let go of it.
    pub fn onset_ms(&self) -> u32 {
        if self.in_speech {
            return self.speech_ms();
        }
        let start_frames = self.start_frames();
        let window = self.onset_window();
        // The frames that will still be in the window after the next one.
        let kept = self
            .recent
            .iter()
            .rev()
            .take(window - 1)
            .filter(|s| **s)
            .count();
        let live = self.recent.back().is_some_and(|s| *s) || kept + 1 >= start_frames;
        if !live {
            return 0;
        }
        self.recent.iter().filter(|s| **s).count() as u32 * FRAME_MS
    }

    /// Speech frames that open an utterance (`start_ms`).
    fn start_frames(&self) -> usize {
        (self.cfg.start_ms / FRAME_MS).max(1) as usize
    }

    /// The recent frames the start rule counts speech among: a frame or two of silence inside
    /// the first syllable does not stop it opening.
    fn onset_window(&self) -> usize {
        self.start_frames() + 2
    }

    /// Milliseconds of silence since the open utterance's last speech.
    pub fn trailing_silence_ms(&self) -> u32 {
        self.trailing_silence * FRAME_MS
    }

    /// The open utterance so far when the caller is in a pause of at least `pause_ms` now (its
    /// pause trimmed as [`Endpoint::Paused`]'s is): the words a pause's transcription missed,
    /// because whisper was still busy when the pause began, can go to whisper late.
    pub fn paused_utterance(&self) -> Option<Utterance> {
        let pause = self.cfg.pause_ms;
        (self.in_speech && pause > 0 && self.trailing_silence * FRAME_MS >= pause).then(|| {
            Utterance {
                audio: self.trimmed_audio().to_vec(),
                speech_ms: self.speech_frames * FRAME_MS,
                truncated: false,
            }
        })
    }

    /// Frames of speech in the open utterance: unchanged since a pause means nothing was said
    /// after it.
    pub fn speech_frames(&self) -> u32 {
        self.speech_frames
    }

    /// Ends the open utterance now, as its trailing silence would (the words so far were a
    /// complete answer). `None` when no utterance is open.
    pub fn end_now(&mut self) -> Option<Utterance> {
        if !self.in_speech {
            return None;
        }
        let utterance = self.take_utterance(false);
        self.reset();
        Some(utterance)
    }

    /// The open utterance's audio with its trailing silence trimmed to a short tail (200 ms:
    /// whisper likes a little room after the last word).
    fn trimmed_audio(&self) -> &[f32] {
        let keep_tail = 200 / FRAME_MS;
        let drop = self.trailing_silence.saturating_sub(keep_tail) as usize * WIDE_FRAME;
        &self.audio[..self.audio.len().saturating_sub(drop)]
    }

    fn take_utterance(&mut self, truncated: bool) -> Utterance {
        let len = self.trimmed_audio().len();
        self.audio.truncate(len);
        Utterance {
            audio: std::mem::take(&mut self.audio),
            speech_ms: self.speech_frames * FRAME_MS,
            truncated,
        }
    }

    /// The current noise floor estimate, dBFS.
    pub fn noise_floor(&self) -> f32 {
        self.floor.floor
    }

    /// Abandons an open utterance (e.g. it was judged to be echo).
    pub fn reset(&mut self) {
        self.in_speech = false;
        self.audio.clear();
        self.recent.clear();
        self.speech_frames = 0;
        self.frames = 0;
        self.trailing_silence = 0;
    }

    /// Ends the open utterance now (the line closed mid-sentence).
    pub fn flush(&mut self) -> Option<Utterance> {
        if !self.in_speech {
            return None;
        }
        let utterance = Utterance {
            audio: std::mem::take(&mut self.audio),
            speech_ms: self.speech_frames * FRAME_MS,
            truncated: true,
        };
        self.reset();
        Some(utterance)
    }

    /// Whether the last frame pushed was judged speech (with the mark that applied to it: to
    /// open an utterance, or to hold the open one).
    pub fn heard_speech(&self) -> bool {
        self.heard
    }

    /// True when speech is judged by a model rather than by energy.
    pub fn uses_model(&self) -> bool {
        matches!(self.detector, Detector::Model(_))
    }

    /// Whether a frame at `level` dBFS is speech by energy, given an optional echo guard level.
    /// Inside an utterance the margin over the floor is `hold_db`, outside it `threshold_db`.
    fn loud_enough(&self, level: f32) -> bool {
        let margin = if self.in_speech {
            self.cfg.hold_db.min(self.cfg.threshold_db)
        } else {
            self.cfg.threshold_db
        };
        level > (self.floor.floor + margin).max(self.cfg.min_speech_dbfs)
    }

    /// Whether `line` (a 20 ms frame at 8 kHz, `level` its dBFS) is speech: the detector's
    /// verdict, with the mark to hold an open utterance lower than the mark to open one, and
    /// the frame louder than `guard_db` (the agent's echo) whatever the detector says. A model
    /// hears every frame, so its memory runs on through echo and silence alike.
    fn judge(&mut self, line: &[f32], level: f32, guard_db: Option<f32>) -> bool {
        let voiced = match &mut self.detector {
            Detector::Energy => None,
            Detector::Model(model) => Some(model.probability(line)),
        };
        let speech = match voiced {
            None => self.loud_enough(level),
            Some(p) => {
                let mark = if self.in_speech {
                    self.cfg.hold_threshold.min(self.cfg.speech_threshold)
                } else {
                    self.cfg.speech_threshold
                };
                p >= mark && level > self.cfg.min_speech_dbfs
            }
        };
        speech && guard_db.is_none_or(|g| level > g)
    }

    /// Feeds one 20 ms frame: `line` at the line rate (8 kHz), `wide` the same frame at 16 kHz.
    /// `guard_db` is the level the caller must beat while the agent's echo may be on the line.
    pub fn push(&mut self, line: &[f32], wide: &[f32], guard_db: Option<f32>) -> Option<Endpoint> {
        let level = level_dbfs(line);
        let speech = self.judge(line, level, guard_db);
        self.heard = speech;
        self.floor.push(level);
        if !self.in_speech {
            self.pre_roll.extend(wide.iter().copied());
            while self.pre_roll.len() > self.pre_roll_len {
                self.pre_roll.pop_front();
            }
            let start_frames = self.start_frames();
            self.recent.push_back(speech);
            while self.recent.len() > self.onset_window() {
                self.recent.pop_front();
            }
            if self.recent.iter().filter(|s| **s).count() >= start_frames {
                self.in_speech = true;
                self.audio.clear();
                self.audio.extend(self.pre_roll.drain(..));
                self.speech_frames = start_frames as u32;
                self.frames = self.recent.len() as u32;
                self.trailing_silence = 0;
                self.utterance_silence_ms = None;
                self.recent.clear();
                return Some(Endpoint::Started);
            }
            return None;
        }
        self.audio.extend_from_slice(wide);
        self.frames += 1;
        if speech {
            self.speech_frames += 1;
            self.trailing_silence = 0;
            self.utterance_silence_ms = None;
        } else {
            self.trailing_silence += 1;
        }
        let end_ms = self.end_silence_ms();
        let ended = self.trailing_silence * FRAME_MS >= end_ms;
        let truncated = self.frames * FRAME_MS >= self.cfg.max_utterance_ms;
        if ended || truncated {
            let utterance = self.take_utterance(truncated && !ended);
            self.reset();
            return Some(Endpoint::Ended(utterance));
        }
        let pause = self.cfg.pause_ms;
        if pause > 0 && pause < end_ms && self.trailing_silence * FRAME_MS == pause {
            return Some(Endpoint::Paused(Utterance {
                audio: self.trimmed_audio().to_vec(),
                speech_ms: self.speech_frames * FRAME_MS,
                truncated: false,
            }));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of a given level, noise-like so the level is what we set: the line's 8 kHz
    /// samples and the 16 kHz ones.
    fn frame(dbfs: f32, seed: &mut u32) -> (Vec<f32>, Vec<f32>) {
        let amp = 10f32.powf(dbfs / 20.0) * 3f32.sqrt();
        let wide: Vec<f32> = (0..320)
            .map(|_| {
                *seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((*seed >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0) * amp
            })
            .collect();
        (wide.iter().step_by(2).copied().collect(), wide)
    }

    /// Runs a script of (dBFS, frames) and returns the starts and ends with their frame index.
    fn run(script: &[(f32, usize)], patience: Patience) -> Vec<(usize, String)> {
        run_all(script, patience)
            .into_iter()
            .filter(|(_, e)| !e.starts_with("pause"))
            .collect()
    }

    /// Runs a script of (dBFS, frames) and returns every event with its frame index.
    fn run_all(script: &[(f32, usize)], patience: Patience) -> Vec<(usize, String)> {
        let mut ep = Endpointer::new(VadConfig::default());
        ep.set_patience(patience);
        let mut seed = 7;
        let mut out = Vec::new();
        let mut i = 0;
        for &(db, n) in script {
            for _ in 0..n {
                let (line, wide) = frame(db, &mut seed);
                match ep.push(&line, &wide, None) {
                    Some(Endpoint::Started) => out.push((i, "start".to_string())),
                    Some(Endpoint::Ended(u)) => {
                        out.push((i, format!("end {}ms", u.audio.len() / 16)))
                    }
                    Some(Endpoint::Paused(u)) => {
                        out.push((i, format!("pause {}ms", u.audio.len() / 16)))
                    }
                    None => {}
                }
                i += 1;
            }
        }
        out
    }

    #[test]
    fn voicing_is_found_in_a_vowel_but_not_in_noise() {
        // A vowel-like signal: 120 Hz with harmonics, 0.5 s, after 0.3 s of quiet.
        let mut clip = vec![0.0f32; 4_800];
        clip.extend((0..8_000).map(|i| {
            let t = i as f32 / 16_000.0;
            (1..6)
                .map(|h| (2.0 * std::f32::consts::PI * 120.0 * h as f32 * t).sin() / h as f32)
                .sum::<f32>()
                * 0.2
        }));
        clip.extend(vec![0.0f32; 4_800]);
        assert!(
            voiced_ms(&clip, 16_000) >= 400,
            "{}",
            voiced_ms(&clip, 16_000)
        );
        let mut seed = 3;
        let noise: Vec<f32> = (0..100).flat_map(|_| frame(-30.0, &mut seed).1).collect();
        assert_eq!(voiced_ms(&noise, 16_000), 0);
    }

    /// A pause is reported once, early, with the audio an end there would have had; the
    /// utterance ends later with the same audio when nothing more is said, and a pause the
    /// caller talks on after is reported again at the next pause.
    #[test]
    fn pauses_are_reported_before_the_end_with_the_same_audio() {
        let ev = run_all(&[(-70.0, 50), (-20.0, 50), (-70.0, 100)], Patience::Normal);
        let names: Vec<&str> = ev.iter().map(|(_, e)| e.as_str()).collect();
        assert_eq!(names.len(), 3, "{ev:?}");
        assert!(
            names[1].starts_with("pause") && names[2].starts_with("end"),
            "{ev:?}"
        );
        // 120 ms (6 frames) after the speech stopped at frame 100; the end 700 ms after, with
        // the same audio and the longer tail of silence an end keeps (200 ms).
        assert_eq!((ev[1].0, ev[2].0), (100 + 6 - 1, 100 + 35 - 1));
        let ms = |e: &str| {
            e.trim_start_matches(char::is_alphabetic)
                .trim_start()
                .trim_end_matches("ms")
                .parse::<usize>()
                .unwrap()
        };
        assert_eq!(ms(names[1]) + 80, ms(names[2]), "{ev:?}");
        let ev = run_all(
            &[
                (-70.0, 50),
                (-20.0, 40),
                (-70.0, 20),
                (-20.0, 40),
                (-70.0, 100),
            ],
            Patience::Long,
        );
        let pauses = ev.iter().filter(|(_, e)| e.starts_with("pause")).count();
        assert_eq!((pauses, ev.len()), (2, 4), "{ev:?}");
        // Never reported when the pause is the end, or when turned off.
        let mut ep = Endpointer::new(VadConfig {
            pause_ms: 0,
            ..VadConfig::default()
        });
        let mut seed = 1;
        for &(db, n) in &[(-70.0, 50), (-20.0, 50), (-70.0, 100)] {
            for _ in 0..n {
                let (l, w) = frame(db, &mut seed);
                assert!(!matches!(ep.push(&l, &w, None), Some(Endpoint::Paused(_))));
            }
        }
    }

    /// A complete answer ends the utterance at once, trimmed as a silence-ended one is.
    #[test]
    fn an_utterance_can_be_ended_at_a_pause() {
        let mut ep = Endpointer::new(VadConfig::default());
        let mut seed = 5;
        assert!(ep.end_now().is_none());
        let mut paused = None;
        for &(db, n) in &[(-70.0, 50), (-20.0, 50), (-70.0, 8)] {
            for _ in 0..n {
                let (l, w) = frame(db, &mut seed);
                if let Some(Endpoint::Paused(u)) = ep.push(&l, &w, None) {
                    paused = Some(u);
                }
            }
        }
        let paused = paused.expect("the pause was reported");
        let speech = ep.speech_frames();
        let u = ep.end_now().expect("an utterance was open");
        // The pause's 120 ms, and the 40 ms of silence since.
        assert_eq!(u.audio.len(), paused.audio.len() + 2 * 320);
        assert_eq!(u.speech_ms, speech * FRAME_MS);
        assert!(!ep.in_speech() && !u.truncated);
    }

    /// Before an utterance opens, the speech of its onset is counted while the onset can still
    /// open one; a burst too short for that reads 0 once it has died away.
    #[test]
    fn the_onset_is_counted_until_it_opens_or_dies_away() {
        let onsets = |script: &[(f32, usize)]| {
            let mut ep = Endpointer::new(VadConfig::default());
            let mut seed = 11;
            let mut out = Vec::new();
            for &(db, n) in script {
                for _ in 0..n {
                    let (l, w) = frame(db, &mut seed);
                    ep.push(&l, &w, None);
                    out.push(ep.onset_ms());
                }
            }
            out[50..].to_vec()
        };
        // Speech: 20, 40, 60, 80 ms, then the utterance opens (100) and its speech goes on.
        assert_eq!(
            onsets(&[(-70.0, 50), (-20.0, 7)]),
            vec![20, 40, 60, 80, 100, 120, 140]
        );
        // 80 ms of sound, then quiet: live while one more frame of speech would open an
        // utterance (5 of the last 7 frames), then 0.
        assert_eq!(
            onsets(&[(-70.0, 50), (-20.0, 4), (-70.0, 4)]),
            vec![20, 40, 60, 80, 80, 80, 0, 0]
        );
        // A two-frame click is gone as soon as it stops.
        assert_eq!(
            onsets(&[(-70.0, 50), (-10.0, 2), (-70.0, 2)]),
            vec![20, 40, 0, 0]
        );
    }

    #[test]
    fn silence_never_starts_an_utterance() {
        assert!(run(&[(-100.0, 500)], Patience::Normal).is_empty());
    }

    #[test]
    fn steady_line_noise_never_starts_an_utterance() {
        assert!(run(&[(-30.0, 1000)], Patience::Normal).is_empty());
        assert!(run(&[(-70.0, 100), (-35.0, 1000)], Patience::Normal).len() <= 2);
    }

    #[test]
    fn speech_after_silence_is_one_utterance() {
        let ev = run(&[(-70.0, 50), (-20.0, 50), (-70.0, 100)], Patience::Normal);
        assert_eq!(ev.len(), 2, "{ev:?}");
        assert_eq!(ev[0].1, "start");
        // ended 700 ms (35 frames) after the speech stopped at frame 100
        assert_eq!(ev[1].0, 100 + 35 - 1);
    }

    #[test]
    fn a_short_yes_is_heard() {
        let ev = run(&[(-70.0, 50), (-22.0, 15), (-70.0, 60)], Patience::Normal);
        assert_eq!(ev.len(), 2, "{ev:?}");
    }

    #[test]
    fn a_click_is_not_speech() {
        let ev = run(&[(-70.0, 50), (-10.0, 2), (-70.0, 60)], Patience::Normal);
        assert!(ev.is_empty(), "{ev:?}");
    }

    #[test]
    fn long_patience_bridges_pauses_between_digit_groups() {
        let script = [
            (-70.0, 50),
            (-20.0, 40),
            (-70.0, 50),
            (-20.0, 40),
            (-70.0, 100),
        ];
        assert_eq!(run(&script, Patience::Normal).len(), 4);
        assert_eq!(run(&script, Patience::Long).len(), 2);
    }

    #[test]
    fn speech_over_noise_is_found() {
        let ev = run(&[(-40.0, 200), (-15.0, 60), (-40.0, 100)], Patience::Normal);
        assert_eq!(ev.len(), 2, "{ev:?}");
    }

    #[test]
    fn the_echo_guard_holds_back_quiet_speech() {
        let mut ep = Endpointer::new(VadConfig::default());
        let mut seed = 1;
        for _ in 0..50 {
            let (l, w) = frame(-70.0, &mut seed);
            ep.push(&l, &w, None);
        }
        for _ in 0..50 {
            let (l, w) = frame(-30.0, &mut seed);
            assert!(ep.push(&l, &w, Some(-25.0)).is_none());
        }
    }

    #[test]
    fn a_soft_ending_over_noise_stays_in_the_utterance() {
        // Speech, then 8 frames 11 dB over the noise (a word trailing off), then noise: the
        // soft frames are still speech, so the 700 ms of silence count from after them.
        let ev = run(
            &[(-45.0, 200), (-20.0, 40), (-34.0, 8), (-45.0, 100)],
            Patience::Normal,
        );
        assert_eq!(ev.len(), 2, "{ev:?}");
        assert_eq!(ev[1].0, 248 + 35 - 1, "{ev:?}");
        // But 11 dB over the noise does not open one.
        assert!(run(&[(-45.0, 200), (-34.0, 50), (-45.0, 100)], Patience::Normal).is_empty());
    }

    #[test]
    fn endless_speech_is_cut() {
        let ev = run(&[(-70.0, 20), (-20.0, 2000)], Patience::Normal);
        assert!(ev.iter().any(|(_, e)| e.starts_with("end")), "{ev:?}");
    }

    /// A judge that answers from a script, one probability per frame (the seam's contract: the
    /// real model is tested in `tests/vad.rs`).
    struct Scripted(VecDeque<f32>);

    impl VoiceActivity for Scripted {
        fn probability(&mut self, _line: &[f32]) -> f32 {
            self.0.pop_front().unwrap_or(0.0)
        }
    }

    /// Runs (probability, frames) at a loud level through a model-judged endpointer, with an
    /// optional echo guard; returns the starts and ends with their frame index.
    fn run_model(script: &[(f32, usize)], guard: Option<f32>) -> Vec<(usize, &'static str)> {
        let probabilities = script
            .iter()
            .flat_map(|&(p, n)| std::iter::repeat_n(p, n))
            .collect();
        let detector = Detector::Model(Box::new(Scripted(probabilities)));
        let mut ep = Endpointer::with_detector(VadConfig::default(), detector);
        assert!(ep.uses_model());
        let mut seed = 11;
        let frames: usize = script.iter().map(|(_, n)| n).sum();
        let mut out = Vec::new();
        for i in 0..frames {
            // Steady loud noise: energy alone would never open an utterance here.
            let (line, wide) = frame(-30.0, &mut seed);
            match ep.push(&line, &wide, guard) {
                Some(Endpoint::Started) => out.push((i, "start")),
                Some(Endpoint::Ended(_)) => out.push((i, "end")),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn a_model_opens_at_its_speech_mark_and_holds_at_its_lower_mark() {
        // 5 frames (100 ms) over 0.5 open; 0.4 holds; the end comes 700 ms after the hold.
        let ev = run_model(&[(0.1, 50), (0.9, 20), (0.4, 10), (0.1, 60)], None);
        assert_eq!(ev, vec![(54, "start"), (80 + 35 - 1, "end")]);
        // 0.4 never opens one, however long.
        assert!(run_model(&[(0.1, 50), (0.4, 200)], None).is_empty());
        // Two blips too short to open.
        assert!(run_model(&[(0.9, 2), (0.1, 20), (0.9, 2), (0.1, 20)], None).is_empty());
    }

    #[test]
    fn a_model_never_hears_past_the_echo_guard() {
        // Speech by the model's word, but no louder than the agent's echo could be.
        assert!(run_model(&[(0.1, 50), (0.95, 100)], Some(-25.0)).is_empty());
        assert_eq!(run_model(&[(0.1, 50), (0.95, 100)], Some(-40.0)).len(), 1);
    }
}
