//! Speech to text with whisper (whisper-rs over whisper.cpp).
//!
//! The model is loaded once and shared by every call; each transcription runs on a blocking
//! thread, never on the async runtime. Silence and line noise must not become words: quiet clips
//! never reach whisper, and segments whisper itself judges as non-speech, or that are its
//! well-known hallucinations on noise, are dropped.
//!
//! On a bad line whisper loops ("I'd like to leave a message. I'd like to leave a message. …").
//! Each decode is judged as OpenAI's reference implementation judges it (the compression ratio
//! of its text, its mean token log-probability, its no-speech probability); a decode that looks
//! like a loop or a guess is decoded once more with beam search and the better one kept, and
//! whatever repetition is left is removed from the text ([`collapse_repeats`]).
//!
//! **Architecture Invariant:** `stt` knows nothing of calls; it turns 16 kHz mono samples into text.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use crate::audio::vad::{level_dbfs, voiced_ms};
use crate::config::PoolSize;

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

/// What whisper heard, with whisper's own signals on how far to trust it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    /// The words, trimmed, without annotations, loops or repeated sentences; empty when
    /// nothing was said.
    pub text: String,
    /// Whisper's probability that the clip held no speech (highest over segments).
    pub no_speech_prob: f32,
    /// Mean probability of the kept tokens.
    pub confidence: f32,
    /// Mean log-probability of the kept tokens (0 when there are none).
    pub avg_logprob: f32,
    /// Bytes of whisper's raw text over bytes of it zlib-compressed, before repeats were
    /// removed: above [`COMPRESSION_RATIO_MAX`] the decode was a loop.
    pub compression_ratio: f32,
    /// The clip was decoded a second time (beam search) because the first decode looked like
    /// a loop or a guess.
    pub redecoded: bool,
}

impl Transcript {
    /// Whether the words can be acted on: there are some, and whisper's signals pass the
    /// thresholds its reference implementation uses (not a loop, not a low-probability guess,
    /// not noise it doubts is speech).
    pub fn reliable(&self) -> bool {
        !self.text.is_empty()
            && self.compression_ratio <= COMPRESSION_RATIO_MAX
            && self.avg_logprob >= LOGPROB_MIN
            && self.no_speech_prob <= NO_SPEECH_MAX
    }
}

/// OpenAI whisper's `compression_ratio_threshold`: a decode whose text compresses better than
/// this is a repetition loop.
pub const COMPRESSION_RATIO_MAX: f32 = 2.4;

/// OpenAI whisper's `logprob_threshold`: a decode whose tokens average below this is a guess.
pub const LOGPROB_MIN: f32 = -1.0;

/// OpenAI whisper's `no_speech_threshold`: with a low log-probability, above this the clip is
/// taken as no speech.
pub const NO_SPEECH_MAX: f32 = 0.6;

/// The text's bytes over its zlib-compressed bytes, as OpenAI whisper computes it
/// (`len(text) / len(zlib.compress(text))`). Repetitive text compresses well.
pub fn compression_ratio(text: &str) -> f32 {
    use std::io::Write;
    if text.is_empty() {
        return 0.0;
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail; if it ever did, the text is taken as incompressible.
    match z.write_all(text.as_bytes()).and_then(|()| z.finish()) {
        Ok(packed) if !packed.is_empty() => text.len() as f32 / packed.len() as f32,
        _ => 1.0,
    }
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

/// Speech to text as calls use it: one finished utterance at a time, or a stream that the
/// caller's audio is pushed into while they speak (the seam for incremental transcription).
/// Whisper implements it ([`Stt`]); [`super::fake::Scripted`] is the deterministic stand-in for
/// fast session tests.
pub trait Transcriber: Send + Sync {
    /// Transcribes one finished utterance (16 kHz mono), off the async runtime.
    fn transcribe(&self, audio: Vec<f32>) -> BoxFuture<'static, Result<Transcript, SttError>>;
    /// Opens a stream for one utterance.
    fn stream(&self) -> Box<dyn SpeechStream>;
    /// Transcribes a turn's own pass (the caller has stopped) for `lane`: it goes before every
    /// speculative pass, and drops `lane`'s waiting one ([`Dropped::Overtaken`]).
    fn transcribe_final(
        &self,
        lane: Lane,
        audio: Vec<f32>,
    ) -> BoxFuture<'static, Result<Transcript, SttError>> {
        let _ = lane;
        self.transcribe(audio)
    }
    /// The turn ended on the words of `lane`'s speculative pass before it ran: it is the
    /// turn's own pass now, and waits as one (behind finals only, never dropped). Without a
    /// queue, nothing to do.
    fn promote(&self, lane: Lane) {
        let _ = lane;
    }
    /// Transcribes the words before a pause for `lane`, speculatively: with a bounded pool it
    /// waits behind every final pass, and is dropped unrun ([`Speculative::Dropped`]) when it
    /// becomes useless (a newer one of `lane` came, `lane`'s final pass came, it waited too
    /// long) or too many wait. Without a bound on workers, always run.
    fn transcribe_speculative(
        &self,
        lane: Lane,
        audio: Vec<f32>,
    ) -> BoxFuture<'static, Result<Speculative, SttError>> {
        let _ = lane;
        let run = self.transcribe(audio);
        Box::pin(async move { run.await.map(Speculative::Heard) })
    }
}

/// One utterance transcribed while it is spoken.
pub trait SpeechStream: Send {
    /// More of the utterance (16 kHz mono).
    fn push(&mut self, audio: &[f32]);
    /// What has been said so far: a partial transcript, which later audio may change.
    fn partial(&mut self) -> BoxFuture<'static, Result<Transcript, SttError>>;
    /// The utterance ended: its final transcript.
    fn finish(self: Box<Self>) -> BoxFuture<'static, Result<Transcript, SttError>>;
}

/// A future that outlives its caller's borrow.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

impl Transcriber for Stt {
    fn transcribe(&self, audio: Vec<f32>) -> BoxFuture<'static, Result<Transcript, SttError>> {
        let me = self.clone();
        Box::pin(async move { Stt::transcribe(&me, audio).await })
    }

    fn stream(&self) -> Box<dyn SpeechStream> {
        Box::new(WhisperStream {
            stt: self.clone(),
            audio: Vec::new(),
        })
    }

    fn transcribe_final(
        &self,
        lane: Lane,
        audio: Vec<f32>,
    ) -> BoxFuture<'static, Result<Transcript, SttError>> {
        let me = self.clone();
        Box::pin(async move { Stt::transcribe_final(&me, lane, audio).await })
    }

    fn promote(&self, lane: Lane) {
        Stt::promote(self, lane);
    }

    fn transcribe_speculative(
        &self,
        lane: Lane,
        audio: Vec<f32>,
    ) -> BoxFuture<'static, Result<Speculative, SttError>> {
        let me = self.clone();
        Box::pin(async move { Stt::transcribe_speculative(&me, lane, audio).await })
    }
}

/// Whisper over a growing utterance: whisper decodes whole clips, so a partial result is the
/// clip so far decoded again (the standard way to run it incrementally), and the final one the
/// whole utterance.
struct WhisperStream {
    stt: Stt,
    audio: Vec<f32>,
}

impl SpeechStream for WhisperStream {
    fn push(&mut self, audio: &[f32]) {
        self.audio.extend_from_slice(audio);
    }

    fn partial(&mut self) -> BoxFuture<'static, Result<Transcript, SttError>> {
        Transcriber::transcribe(&self.stt, self.audio.clone())
    }

    fn finish(self: Box<Self>) -> BoxFuture<'static, Result<Transcript, SttError>> {
        let WhisperStream { stt, audio } = *self;
        Transcriber::transcribe(&stt, audio)
    }
}

/// How busy the transcription workers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SttLoad {
    /// Transcriptions decoding now.
    pub running: usize,
    /// Transcriptions waiting for a worker, speculative ones included.
    pub waiting: usize,
    /// Speculative passes among those waiting.
    pub waiting_speculative: usize,
    /// The most that ever decoded at once.
    pub peak: usize,
    /// Speculative passes dropped unrun, for any reason ([`Dropped`]).
    pub shed: usize,
    /// Of those, dropped because a newer pass of the same lane came.
    pub superseded: usize,
    /// Of those, dropped because their lane's final pass came.
    pub overtaken: usize,
    /// Of those, dropped because they waited longer than the bound.
    pub expired: usize,
    /// Of those, dropped because the queue was full.
    pub full: usize,
    /// Speculative passes made a turn's own pass while they waited ([`Stt::promote`]).
    pub promoted: usize,
}

#[derive(Debug, Default)]
struct Load {
    running: AtomicUsize,
    peak: AtomicUsize,
    shed: AtomicUsize,
    superseded: AtomicUsize,
    overtaken: AtomicUsize,
    expired: AtomicUsize,
    full: AtomicUsize,
    promoted: AtomicUsize,
}

impl Load {
    fn dropped(&self, why: Dropped) {
        self.shed.fetch_add(1, Ordering::Relaxed);
        match why {
            Dropped::Superseded => &self.superseded,
            Dropped::Overtaken => &self.overtaken,
            Dropped::Expired => &self.expired,
            Dropped::Full => &self.full,
        }
        .fetch_add(1, Ordering::Relaxed);
    }
}

/// The transcriptions of one source (one call, to the server) as the worker pool tells them
/// apart: at most one speculative pass of a lane waits at a time, and a lane's own final pass
/// drops its waiting speculative one. Each [`Lane::new`] is distinct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lane(u64);

impl Lane {
    /// A lane no other holds.
    pub fn new() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl Default for Lane {
    fn default() -> Self {
        Self::new()
    }
}

/// What became of a speculative pass ([`Transcriber::transcribe_speculative`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Speculative {
    /// It ran: whisper's words.
    Heard(Transcript),
    /// It was dropped unrun, having become useless or the queue being full.
    Dropped(Dropped),
}

/// Why a speculative pass was dropped before it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dropped {
    /// A newer speculative pass of the same lane came: the caller spoke on.
    Superseded,
    /// The lane's own final pass came: the turn ended without these words alone.
    Overtaken,
    /// It waited longer than the pool's bound ([`Stt::with_speculative_wait`]).
    Expired,
    /// As many speculative passes as the pool holds were already waiting.
    Full,
}

impl Dropped {
    /// Every reason, for counters that start at zero.
    pub const ALL: [Dropped; 4] = [
        Dropped::Superseded,
        Dropped::Overtaken,
        Dropped::Expired,
        Dropped::Full,
    ];

    /// A short stable name (a metrics label).
    pub fn label(self) -> &'static str {
        match self {
            Dropped::Superseded => "superseded",
            Dropped::Overtaken => "overtaken",
            Dropped::Expired => "expired",
            Dropped::Full => "full",
        }
    }
}

/// How long a speculative pass may wait for a worker before it is dropped: past this the turn
/// it was for has usually ended, and its final pass should not wait behind it.
pub const SPECULATIVE_WAIT: Duration = Duration::from_millis(600);

/// The most speculative passes that wait at once per worker (beyond it a new one is dropped,
/// [`Dropped::Full`]).
pub const SPECULATIVE_QUEUE_PER_WORKER: usize = 8;

/// What a waiting transcription is told.
enum Grant {
    /// A worker is its own, with this many threads: run.
    Run(usize),
    /// Dropped unrun (speculative passes only).
    Drop(Dropped),
}

/// One transcription waiting for a worker.
struct Waiter {
    ticket: u64,
    lane: Option<Lane>,
    tx: tokio::sync::oneshot::Sender<Grant>,
}

/// The pool's queues. Final passes go first, first come first served; then speculative passes,
/// oldest first, at most one a lane.
#[derive(Default)]
struct Queue {
    /// Workers free.
    free: usize,
    /// Threads free (of the pool's budget).
    free_threads: usize,
    /// The most threads one transcription may have.
    max_threads: usize,
    finals: VecDeque<Waiter>,
    speculative: VecDeque<Waiter>,
    next_ticket: u64,
}

impl Queue {
    /// Takes a worker, if one and a thread are free, with as many threads as it may have while
    /// leaving one for each other waiting transcription a free worker could take (`others`):
    /// alone it runs on up to `max_threads`, beside others on one each, so the cores are
    /// shared out and never asked for more threads than they have.
    fn take(&mut self, others: usize) -> Option<usize> {
        if self.free == 0 || self.free_threads == 0 {
            return None;
        }
        let others = others.min(self.free - 1);
        let threads = self
            .free_threads
            .saturating_sub(others)
            .clamp(1, self.max_threads.max(1));
        self.free -= 1;
        self.free_threads -= threads;
        Some(threads)
    }

    /// Gives back a worker and its threads.
    fn give_back(&mut self, threads: usize) {
        self.free += 1;
        self.free_threads += threads;
    }

    /// Hands free workers to waiting transcriptions, finals first.
    fn dispatch(&mut self) {
        while self.free > 0 && self.free_threads > 0 {
            let Some(w) = self
                .finals
                .pop_front()
                .or_else(|| self.speculative.pop_front())
            else {
                break;
            };
            let others = self.finals.len() + self.speculative.len();
            let Some(threads) = self.take(others) else {
                break;
            };
            if w.tx.send(Grant::Run(threads)).is_err() {
                // Its caller gave up waiting; the worker is still free.
                self.give_back(threads);
            }
        }
    }

    /// Takes ticket `ticket` out of whichever queue holds it.
    fn remove(&mut self, ticket: u64) -> bool {
        for q in [&mut self.finals, &mut self.speculative] {
            if let Some(i) = q.iter().position(|w| w.ticket == ticket) {
                q.remove(i);
                return true;
            }
        }
        false
    }

    /// Takes ticket `ticket` out of the speculative queue (not once promoted to a final).
    fn remove_speculative(&mut self, ticket: u64) -> bool {
        match self.speculative.iter().position(|w| w.ticket == ticket) {
            Some(i) => self.speculative.remove(i).is_some(),
            None => false,
        }
    }

    /// Moves `lane`'s waiting speculative pass, if any, to the back of the finals.
    fn promote(&mut self, lane: Lane, load: &Load) {
        if let Some(i) = self.speculative.iter().position(|w| w.lane == Some(lane)) {
            if let Some(w) = self.speculative.remove(i) {
                load.promoted.fetch_add(1, Ordering::Relaxed);
                self.finals.push_back(w);
                self.dispatch();
            }
        }
    }

    /// Drops `lane`'s waiting speculative pass, if any, telling it why.
    fn drop_speculative(&mut self, lane: Lane, why: Dropped, load: &Load) {
        if let Some(i) = self.speculative.iter().position(|w| w.lane == Some(lane)) {
            if let Some(w) = self.speculative.remove(i) {
                load.dropped(why);
                // Its caller may have given up already: nothing to tell then.
                let _ = w.tx.send(Grant::Drop(why));
            }
        }
    }
}

/// A bounded set of whisper workers shared by every call.
struct Pool {
    queue: Mutex<Queue>,
    load: Arc<Load>,
    speculative_wait: Duration,
    speculative_max: usize,
}

impl Pool {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        // A panic while holding the lock cannot leave the queues half changed (every change
        // is one push or pop), so a poisoned lock is used as it is.
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn release(&self, threads: usize) {
        let mut q = self.lock();
        q.give_back(threads);
        q.dispatch();
    }

    /// Waits for a worker: a final pass (`speculative` false) behind earlier finals only,
    /// dropping its lane's waiting speculative pass; a speculative one behind every final,
    /// until it is dropped.
    async fn admit(
        self: &Arc<Self>,
        lane: Option<Lane>,
        speculative: bool,
    ) -> Result<Worker, Dropped> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let ticket = {
            let mut q = self.lock();
            if let Some(lane) = lane {
                let why = if speculative {
                    Dropped::Superseded
                } else {
                    Dropped::Overtaken
                };
                q.drop_speculative(lane, why, &self.load);
            }
            let idle = q.finals.is_empty() && (!speculative || q.speculative.is_empty());
            if idle {
                let others = q.finals.len() + q.speculative.len();
                if let Some(threads) = q.take(others) {
                    return Ok(Worker {
                        pool: self.clone(),
                        threads,
                    });
                }
            }
            if speculative && q.speculative.len() >= self.speculative_max {
                self.load.dropped(Dropped::Full);
                return Err(Dropped::Full);
            }
            let ticket = q.next_ticket;
            q.next_ticket += 1;
            let waiter = Waiter { ticket, lane, tx };
            if speculative {
                q.speculative.push_back(waiter);
            } else {
                q.finals.push_back(waiter);
            }
            ticket
        };
        let mut ticket = Ticket {
            pool: self.clone(),
            ticket,
            rx: Some(rx),
        };
        let grant = if speculative {
            let deadline = tokio::time::Instant::now() + self.speculative_wait;
            let rx = ticket.rx.as_mut().ok_or(Dropped::Expired)?;
            match tokio::time::timeout_at(deadline, &mut *rx).await {
                Ok(grant) => grant,
                Err(_) => {
                    if self.lock().remove_speculative(ticket.ticket) {
                        self.load.dropped(Dropped::Expired);
                        ticket.rx = None;
                        return Err(Dropped::Expired);
                    }
                    // Granted or dropped just as the wait ran out (the answer is there), or
                    // promoted to a final (it waits as one).
                    rx.await
                }
            }
        } else {
            let rx = ticket.rx.as_mut().ok_or(Dropped::Expired)?;
            rx.await
        };
        ticket.rx = None;
        match grant {
            Ok(Grant::Run(threads)) => Ok(Worker {
                pool: self.clone(),
                threads,
            }),
            Ok(Grant::Drop(why)) => Err(why),
            // The pool never drops a waiter's sender without an answer.
            Err(_) => Err(Dropped::Expired),
        }
    }
}

/// A place in the pool's queue, given up when dropped (also when the future holding it is),
/// with the worker it was granted, if any.
struct Ticket {
    pool: Arc<Pool>,
    ticket: u64,
    /// Until the answer is taken.
    rx: Option<tokio::sync::oneshot::Receiver<Grant>>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let Some(mut rx) = self.rx.take() else {
            return;
        };
        if self.pool.lock().remove(self.ticket) {
            return;
        }
        if let Ok(Grant::Run(threads)) = rx.try_recv() {
            self.pool.release(threads);
        }
    }
}

/// One worker of the pool and the threads it may use, handed back (to the next waiting
/// transcription) when dropped.
struct Worker {
    pool: Arc<Pool>,
    threads: usize,
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.pool.release(self.threads);
    }
}

/// One unit of a counter, given back when dropped (also when the future holding it is).
struct Counted<'a> {
    counter: &'a AtomicUsize,
    /// The count with this one.
    now: usize,
}

impl<'a> Counted<'a> {
    fn new(counter: &'a AtomicUsize) -> Self {
        let now = counter.fetch_add(1, Ordering::Relaxed) + 1;
        Self { counter, now }
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.counter.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Shared whisper model plus a pool of decoding states. With [`Stt::with_workers`], at most
/// that many transcriptions run at once across every call, so concurrent calls take turns on
/// the cores instead of all slowing down together, and the number of whisper states stays
/// bounded. The queue is fair and puts turns first: final passes (the caller has stopped) run
/// first come first served, before any speculative pass ([`Stt::transcribe_speculative`], the
/// words before a pause); those wait oldest first, at most one a lane, and are dropped unrun
/// when they become useless (see [`Dropped`]).
#[derive(Clone)]
pub struct Stt {
    ctx: Arc<WhisperContext>,
    states: Arc<Mutex<Vec<WhisperState>>>,
    pool: Option<Arc<Pool>>,
    load: Arc<Load>,
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
        Self::load_with(path, prompt, threads, false)
    }

    /// [`Stt::load`], with whisper.cpp's flash attention on or off (`flash_attn`; off in
    /// whisper-rs by default). For benchmarks that compare the two.
    pub fn load_with(
        path: &Path,
        prompt: &str,
        threads: usize,
        flash_attn: bool,
    ) -> Result<Self, SttError> {
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
        let mut params = WhisperContextParameters::default();
        params.flash_attn(flash_attn);
        let ctx =
            WhisperContext::new_with_params(path_str, params).map_err(|e| SttError::Load {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            ctx: Arc::new(ctx),
            states: Arc::new(Mutex::new(Vec::new())),
            pool: None,
            load: Arc::default(),
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

    /// How busy the workers are now.
    pub fn workload(&self) -> SttLoad {
        let (waiting, waiting_speculative) = self.pool.as_ref().map_or((0, 0), |p| {
            let q = p.lock();
            (q.finals.len() + q.speculative.len(), q.speculative.len())
        });
        let l = &self.load;
        SttLoad {
            running: l.running.load(Ordering::Relaxed),
            waiting,
            waiting_speculative,
            peak: l.peak.load(Ordering::Relaxed),
            shed: l.shed.load(Ordering::Relaxed),
            superseded: l.superseded.load(Ordering::Relaxed),
            overtaken: l.overtaken.load(Ordering::Relaxed),
            expired: l.expired.load(Ordering::Relaxed),
            full: l.full.load(Ordering::Relaxed),
            promoted: l.promoted.load(Ordering::Relaxed),
        }
    }

    /// The same model with at most `workers` transcriptions at once (`None`: no bound), each
    /// on its threads, and speculative passes waiting at most [`SPECULATIVE_WAIT`].
    pub fn with_workers(self, workers: Option<usize>) -> Self {
        self.with_pool(workers, SPECULATIVE_WAIT)
    }

    /// The same model with at most `workers` transcriptions at once (`None`: no bound), each
    /// on its threads, and speculative passes dropped after waiting `wait` for a worker.
    pub fn with_pool(self, workers: Option<usize>, wait: Duration) -> Self {
        let threads = self.threads.max(1) as usize;
        self.with_sized_pool(
            workers.map(|n| PoolSize {
                workers: n,
                threads: n.max(1) * threads,
            }),
            wait,
        )
    }

    /// The same model with a pool of `size` (`None`: no bound): a transcription runs on up to
    /// the model's threads when it is alone, on one when others wait for the pool's threads
    /// (see [`PoolSize`]); speculative passes are dropped after waiting `wait` for a worker.
    pub fn with_sized_pool(mut self, size: Option<PoolSize>, wait: Duration) -> Self {
        // A new pool counts its own load.
        self.load = Arc::default();
        let max_threads = self.threads.max(1) as usize;
        self.pool = size.map(|size| {
            let n = size.workers.max(1);
            Arc::new(Pool {
                queue: Mutex::new(Queue {
                    free: n,
                    free_threads: size.threads.max(1),
                    max_threads,
                    ..Queue::default()
                }),
                load: self.load.clone(),
                speculative_wait: wait,
                speculative_max: n * SPECULATIVE_QUEUE_PER_WORKER,
            })
        });
        self
    }

    /// Transcribes 16 kHz mono samples on a blocking thread, once a worker is free: a final
    /// pass of no lane.
    pub async fn transcribe(&self, audio: Vec<f32>) -> Result<Transcript, SttError> {
        self.transcribe_in(None, audio).await
    }

    /// Transcribes a turn's own pass for `lane`, once a worker is free (before any speculative
    /// pass); `lane`'s waiting speculative pass is dropped ([`Dropped::Overtaken`]).
    pub async fn transcribe_final(
        &self,
        lane: Lane,
        audio: Vec<f32>,
    ) -> Result<Transcript, SttError> {
        self.transcribe_in(Some(lane), audio).await
    }

    async fn transcribe_in(
        &self,
        lane: Option<Lane>,
        audio: Vec<f32>,
    ) -> Result<Transcript, SttError> {
        let worker = match &self.pool {
            Some(pool) => Some(
                pool.admit(lane, false)
                    .await
                    .map_err(|why| SttError::Join(format!("a final pass dropped: {why:?}")))?,
            ),
            None => None,
        };
        self.run(audio, worker).await
    }

    /// The turn ended on the words of `lane`'s waiting speculative pass: it waits as a final
    /// pass from now on (at the back of the finals, never dropped). Nothing if none waits.
    pub fn promote(&self, lane: Lane) {
        if let Some(pool) = &self.pool {
            pool.lock().promote(lane, &self.load);
        }
    }

    /// [`Stt::transcribe`] for a speculative pass of `lane`: it waits for a worker behind
    /// every final pass and older speculative passes, and is dropped unrun (counted in
    /// [`SttLoad::shed`]) when a newer one of `lane` or `lane`'s final pass comes, when it has
    /// waited longer than the pool's bound, or when the queue is full.
    pub async fn transcribe_speculative(
        &self,
        lane: Lane,
        audio: Vec<f32>,
    ) -> Result<Speculative, SttError> {
        let worker = match &self.pool {
            Some(pool) => match pool.admit(Some(lane), true).await {
                Ok(w) => Some(w),
                Err(why) => return Ok(Speculative::Dropped(why)),
            },
            None => None,
        };
        self.run(audio, worker).await.map(Speculative::Heard)
    }

    /// Decodes on a blocking thread, holding `worker` until done.
    async fn run(&self, audio: Vec<f32>, worker: Option<Worker>) -> Result<Transcript, SttError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let threads = worker.as_ref().map_or(me.threads, |w| w.threads as i32);
            let _worker = worker;
            let running = Counted::new(&me.load.running);
            me.load.peak.fetch_max(running.now, Ordering::Relaxed);
            me.transcribe_probed(&audio, None, threads)
        })
        .await
        .map_err(|e| SttError::Join(e.to_string()))?
    }

    /// Transcribes 16 kHz mono samples on the current thread.
    pub fn transcribe_blocking(&self, audio: &[f32]) -> Result<Transcript, SttError> {
        self.transcribe_probed(audio, None, self.threads)
    }

    /// [`Stt::transcribe_blocking`], also saying where its time went by `clock` (read at the
    /// start and end of each whisper pass and around its encoder): the cost of a pass, for
    /// `examples/stt_cost.rs`, which reads the process's CPU time.
    pub fn transcribe_costed(
        &self,
        audio: &[f32],
        clock: fn() -> Duration,
    ) -> Result<(Transcript, PassCost), SttError> {
        let start = clock();
        let mut cost = PassCost::default();
        let probe = Probe {
            clock,
            cost: &mut cost,
        };
        let transcript = self.transcribe_probed(audio, Some(probe), self.threads)?;
        cost.total = clock().saturating_sub(start);
        Ok((transcript, cost))
    }

    fn transcribe_probed(
        &self,
        audio: &[f32],
        mut probe: Option<Probe<'_>>,
        threads: i32,
    ) -> Result<Transcript, SttError> {
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
        let secs = audio.len() as f64 / SAMPLE_RATE as f64;
        let result = self
            .decode(
                &mut state,
                input,
                secs,
                Pass::Greedy,
                threads,
                probe.as_mut(),
            )
            .and_then(|first| {
                if !first.doubtful() {
                    return Ok((first, false));
                }
                let second =
                    self.decode(&mut state, input, secs, Pass::Beam, threads, probe.as_mut())?;
                Ok((
                    if second.rank() > first.rank() {
                        second
                    } else {
                        first
                    },
                    true,
                ))
            });
        if let Ok(mut pool) = self.states.lock() {
            pool.push(state);
        }
        let (best, redecoded) = result?;
        Ok(best.into_transcript(redecoded))
    }

    /// One whisper pass over `input` (`secs` of real audio in it), its cost added to `probe`'s
    /// when there is one.
    fn decode(
        &self,
        state: &mut WhisperState,
        input: &[f32],
        secs: f64,
        pass: Pass,
        threads: i32,
        probe: Option<&mut Probe<'_>>,
    ) -> Result<Decode, SttError> {
        let strategy = match pass {
            Pass::Greedy => SamplingStrategy::Greedy { best_of: 1 },
            Pass::Beam => SamplingStrategy::BeamSearch {
                beam_size: 5,
                patience: -1.0,
            },
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(threads);
        params.set_language(Some("en"));
        params.set_translate(false);
        params.set_no_context(true);
        params.set_single_segment(true);
        params.set_no_timestamps(true);
        params.set_suppress_blank(true);
        // Let whisper say "(static)" or "[BLANK_AUDIO]" (dropped by `clean`) rather than force words.
        params.set_suppress_nst(false);
        params.set_temperature(0.0);
        // One pass per call: the second look, when needed, is ours (`Pass::Beam`), judged by
        // compression ratio as well; whisper.cpp's own fallback would decode up to five more
        // times, warmer each time, on every loop.
        params.set_temperature_inc(0.0);
        // No one says more than ~6 tokens a second: a bound that also stops runaway loops.
        params.set_max_tokens(((secs * 6.0) as i32 + 16).clamp(24, 224));
        params.set_no_speech_thold(NO_SPEECH_MAX);
        params.set_logprob_thold(LOGPROB_MIN);
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
        let Some(Probe { clock, cost }) = probe else {
            state
                .full(params, input)
                .map_err(|e| SttError::Whisper(e.to_string()))?;
            return Ok(collect(state));
        };
        let mut marks = Marks {
            clock: *clock,
            encoder_start: None,
            encoder_end: None,
        };
        let start = clock();
        // SAFETY: both callbacks only write the clock's readings into `marks`, which outlives
        // `full` (whisper calls them on this thread, during it, and keeps no pointer after).
        unsafe {
            let user_data = std::ptr::addr_of_mut!(marks).cast::<std::ffi::c_void>();
            params.set_start_encoder_callback(Some(encoder_starts));
            params.set_start_encoder_callback_user_data(user_data);
            params.set_abort_callback(Some(computed));
            params.set_abort_callback_user_data(user_data);
        }
        let done = state
            .full(params, input)
            .map_err(|e| SttError::Whisper(e.to_string()));
        let end = clock();
        done?;
        let encoder_start = marks.encoder_start.unwrap_or(end);
        let encoder_end = marks.encoder_end.unwrap_or(end);
        cost.before_encode += encoder_start.saturating_sub(start);
        cost.encode += encoder_end.saturating_sub(encoder_start);
        cost.decode += end.saturating_sub(encoder_end);
        cost.passes += 1;
        Ok(collect(state))
    }
}

/// Where a transcription's time went ([`Stt::transcribe_costed`]), by the clock its caller
/// chose, summed over its whisper passes (two when the first looked doubtful).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PassCost {
    /// From each pass's start to its encoder's: the log-mel spectrogram of the clip.
    pub before_encode: Duration,
    /// The encoder (convolutions, transformer, cross-attention keys and values).
    pub encode: Duration,
    /// The decoder: the prompt, each token, sampling.
    pub decode: Duration,
    /// The whole transcription: the passes, the checks before them and the text's cleaning.
    pub total: Duration,
    /// Whisper passes run: 1, or 2 when the first was looked at again (beam search).
    pub passes: u32,
}

/// What [`Stt::transcribe_costed`] measures with: its clock, and the cost so far.
struct Probe<'a> {
    clock: fn() -> Duration,
    cost: &'a mut PassCost,
}

/// The clock's readings within one whisper pass.
struct Marks {
    clock: fn() -> Duration,
    encoder_start: Option<Duration>,
    encoder_end: Option<Duration>,
}

/// whisper.cpp's `encoder_begin_callback` (its context and state types, `C` and `S`, are
/// inferred: whisper-rs does not name them): the encoder starts. Returns true (go on).
unsafe extern "C" fn encoder_starts<C, S>(
    _ctx: *mut C,
    _state: *mut S,
    user_data: *mut std::ffi::c_void,
) -> bool {
    // SAFETY: `user_data` is the `Marks` that `Stt::decode` set, alive during `full`.
    let marks = unsafe { &mut *user_data.cast::<Marks>() };
    if marks.encoder_start.is_none() {
        marks.encoder_start = Some((marks.clock)());
    }
    true
}

/// whisper.cpp's `abort_callback`, which it asks once at the end of the encoder and of each
/// decoder step: the first call after the encoder started marks its end. Returns false (go on).
unsafe extern "C" fn computed(user_data: *mut std::ffi::c_void) -> bool {
    // SAFETY: as in `encoder_starts`.
    let marks = unsafe { &mut *user_data.cast::<Marks>() };
    if marks.encoder_start.is_some() && marks.encoder_end.is_none() {
        marks.encoder_end = Some((marks.clock)());
    }
    false
}

/// How a clip is decoded.
#[derive(Debug, Clone, Copy)]
enum Pass {
    /// Greedy at temperature 0: the first pass.
    Greedy,
    /// Beam search (5 beams): the second look at a doubtful first pass.
    Beam,
}

/// One decode of a clip, before its text is cleaned of repeats.
#[derive(Debug, Clone)]
struct Decode {
    /// Whisper's text without annotations, repeats still in.
    raw: String,
    no_speech_prob: f32,
    confidence: f32,
    avg_logprob: f32,
    compression_ratio: f32,
}

impl Decode {
    /// Whether the text had repeats that [`collapse_repeats`] removes.
    fn looped(&self) -> bool {
        self.compression_ratio > COMPRESSION_RATIO_MAX || collapse_repeats(&self.raw) != self.raw
    }

    /// Whether this decode deserves a second look: words that loop or are a guess.
    fn doubtful(&self) -> bool {
        !self.raw.is_empty() && (self.looped() || self.avg_logprob < LOGPROB_MIN)
    }

    /// Higher is better: a decode without a loop, then the more probable one.
    fn rank(&self) -> (bool, bool, f32) {
        (!self.raw.is_empty(), !self.looped(), self.avg_logprob)
    }

    fn into_transcript(self, redecoded: bool) -> Transcript {
        let mut text = collapse_repeats(&self.raw);
        if is_hallucination(&text, self.no_speech_prob, self.confidence) {
            text.clear();
        }
        Transcript {
            text,
            no_speech_prob: self.no_speech_prob,
            confidence: self.confidence,
            avg_logprob: self.avg_logprob,
            compression_ratio: self.compression_ratio,
            redecoded,
        }
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

fn collect(state: &WhisperState) -> Decode {
    let mut text = String::new();
    let mut no_speech: f32 = 0.0;
    let mut prob_sum = 0.0f32;
    let mut logprob_sum = 0.0f32;
    let mut prob_n = 0usize;
    for segment in state.as_iter() {
        let seg_text = segment
            .to_str_lossy()
            .map(|c| c.into_owned())
            .unwrap_or_default();
        let nsp = segment.no_speech_probability();
        no_speech = no_speech.max(nsp);
        let mut seg_sum = 0.0f32;
        let mut seg_log = 0.0f32;
        let mut seg_n = 0usize;
        for i in 0..segment.n_tokens() {
            if let Some(tok) = segment.get_token(i) {
                let is_text = tok
                    .to_str_lossy()
                    .map(|t| !(t.starts_with("[_") || t.starts_with("<|")))
                    .unwrap_or(false);
                if is_text {
                    seg_sum += tok.token_probability();
                    seg_log += tok.token_data().plog;
                    seg_n += 1;
                }
            }
        }
        let (seg_conf, seg_avg_log) = if seg_n > 0 {
            (seg_sum / seg_n as f32, seg_log / seg_n as f32)
        } else {
            (0.0, 0.0)
        };
        // Whisper thinks there is no speech and is unsure of the words: drop the segment.
        if nsp > NO_SPEECH_MAX && (seg_avg_log < LOGPROB_MIN || seg_conf < 0.6) {
            continue;
        }
        prob_sum += seg_sum;
        logprob_sum += seg_log;
        prob_n += seg_n;
        text.push_str(&seg_text);
    }
    let raw = clean(&text);
    let (confidence, avg_logprob) = if prob_n > 0 {
        (prob_sum / prob_n as f32, logprob_sum / prob_n as f32)
    } else {
        (0.0, 0.0)
    };
    Decode {
        compression_ratio: compression_ratio(&raw),
        raw,
        no_speech_prob: no_speech,
        confidence,
        avg_logprob,
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

/// Removes whisper's repetition loops from a transcript, keeping its content once:
/// - a sentence, or a run of sentences, repeated back to back ("Yes. Yes. Yes.", "This is Jo.
///   I need help. This is Jo. I need help.") is kept once;
/// - a phrase repeated back to back three times or more ("the the the", "leave a message,
///   leave a message, leave a message"), or a phrase of four words or more said twice in a row,
///   is kept once;
/// - the cut-off start of one more copy at the end (the token limit stopped the loop) is dropped.
///
/// - a spelled letter whisper runs on ("H-A-D-D-A-D-D-D-D-D-D-…", "A.D.D.D.D.D") is kept once:
///   no name has a letter three times in a row.
///
/// What a caller repeats once ("No, no.", "Thursday. Thursday at two.") is left as it is.
pub fn collapse_repeats(text: &str) -> String {
    let sentences = collapse_sentences(&split_sentences(text));
    let text = collapse_phrases(&sentences.join(" "));
    text.split(' ')
        .map(collapse_letter_run)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One word of letters joined by dashes or dots ("H-A-D-D-D-D", "A.D.D.D."), with any letter
/// said three times or more in a row kept once; other words as they are.
fn collapse_letter_run(word: &str) -> std::borrow::Cow<'_, str> {
    let letters: Vec<&str> = word.split(['-', '.']).filter(|p| !p.is_empty()).collect();
    let spelled = letters.len() >= 4
        && letters
            .iter()
            .all(|l| l.chars().count() == 1 && l.chars().all(char::is_alphabetic));
    let runs_on = letters
        .windows(3)
        .any(|w| w[0].eq_ignore_ascii_case(w[1]) && w[1].eq_ignore_ascii_case(w[2]));
    if !spelled || !runs_on {
        return word.into();
    }
    let sep = if word.contains('-') { "-" } else { "." };
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < letters.len() {
        let mut j = i;
        while j + 1 < letters.len() && letters[j + 1].eq_ignore_ascii_case(letters[i]) {
            j += 1;
        }
        let run = j - i + 1;
        kept.extend(std::iter::repeat_n(
            letters[i],
            if run >= 3 { 1 } else { run },
        ));
        i = j + 1;
    }
    let mut out = kept.join(sep);
    if sep == "." {
        out.push('.');
    }
    out.into()
}

/// A word as compared for repeats: lower case, without punctuation.
fn bare(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A sentence as compared for repeats: its bare words.
fn bare_words(sentence: &str) -> Vec<String> {
    sentence
        .split_whitespace()
        .map(bare)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Sentences, each with its closing punctuation; the last may be unfinished.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let end_of_sentence =
            matches!(b, b'.' | b'?' | b'!') && bytes.get(i + 1).is_none_or(|n| *n == b' ');
        if end_of_sentence || i + 1 == bytes.len() {
            let sentence = text[start..=i].trim();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            start = i + 1;
        }
    }
    out
}

/// The longest run of sentences whisper is taken to loop over.
const MAX_SENTENCE_RUN: usize = 4;

fn collapse_sentences<'a>(sentences: &[&'a str]) -> Vec<&'a str> {
    let keys: Vec<Vec<String>> = sentences.iter().map(|s| bare_words(s)).collect();
    let mut out: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < sentences.len() {
        // Does a run of the last `n` kept sentences come again here?
        let repeat = (1..=MAX_SENTENCE_RUN.min(out.len())).find(|&n| {
            i + n <= sentences.len() && (0..n).all(|k| keys[out[out.len() - n + k]] == keys[i + k])
        });
        if let Some(n) = repeat {
            i += n;
            continue;
        }
        // The unfinished start of one more copy of the sentence before it.
        let last = i + 1 == sentences.len();
        let unfinished = !sentences[i].ends_with(['.', '?', '!']);
        if last && unfinished && !keys[i].is_empty() {
            if let Some(&prev) = out.last() {
                if keys[prev].len() > keys[i].len() && keys[prev].starts_with(&keys[i]) {
                    break;
                }
            }
        }
        if !keys[i].is_empty() {
            out.push(i);
        }
        i += 1;
    }
    out.into_iter().map(|k| sentences[k]).collect()
}

/// The longest phrase, in words, whisper is taken to loop over within a sentence.
const MAX_PHRASE: usize = 16;

/// More digits than any phone number, extension included, is read out in.
const MAX_NUMBER_WORDS: usize = 16;

/// A digit, a number, or a number word as callers read out digits.
fn is_number_word(key: &str) -> bool {
    key.chars().all(|c| c.is_ascii_digit())
        || matches!(
            key,
            "oh" | "zero"
                | "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "double"
                | "triple"
                | "hundred"
                | "thousand"
        )
}

fn collapse_phrases(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let keys: Vec<String> = words.iter().map(|w| bare(w)).collect();
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // The phrase starting here that repeats over the most words.
        let mut best: Option<(usize, usize)> = None;
        for n in 1..=MAX_PHRASE {
            if i + 2 * n > words.len() || keys[i..i + n].iter().any(String::is_empty) {
                break;
            }
            let mut copies = 1;
            while i + (copies + 1) * n <= words.len()
                && keys[i + copies * n..i + (copies + 1) * n] == keys[i..i + n]
            {
                copies += 1;
            }
            // Digits repeat in phone numbers ("5 5 5", "0 0 0 0"): only a run longer than any
            // number is a loop there.
            let is_loop = if keys[i..i + n].iter().all(|k| is_number_word(k)) {
                copies >= 2 && n * copies > MAX_NUMBER_WORDS
            } else {
                copies >= 3 || (copies >= 2 && n >= 4)
            };
            if is_loop && best.is_none_or(|(bn, bc)| n * copies > bn * bc) {
                best = Some((n, copies));
            }
        }
        let Some((n, copies)) = best else {
            out.push(words[i]);
            i += 1;
            continue;
        };
        // Keep the first copy, ending as the last copy ends (its punctuation closes the run).
        let end = i + n * copies;
        out.extend_from_slice(&words[i..i + n - 1]);
        out.push(words[end - 1]);
        // The loop cut off mid-copy at the end of the text.
        let rest = &keys[end..];
        if !rest.is_empty() && rest.len() < n && keys[i..i + rest.len()] == *rest {
            break;
        }
        i = end;
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
    use super::{clean, collapse_repeats, compression_ratio, is_hallucination, Queue};

    /// A pool's queue of `workers` workers sharing `threads` threads, each transcription on
    /// at most `max` of them.
    fn queue(workers: usize, threads: usize, max: usize) -> Queue {
        Queue {
            free: workers,
            free_threads: threads,
            max_threads: max,
            ..Queue::default()
        }
    }

    /// The cores are shared out: a transcription alone runs on all the threads it may have,
    /// one that others wait beside runs on one, so they run side by side; the pool never
    /// hands out more threads than it has, nor a worker it lacks.
    #[test]
    fn a_transcription_alone_takes_its_threads_and_beside_others_one() {
        // The default on two cores: two workers sharing two threads, two a pass.
        let mut q = queue(2, 2, 2);
        assert_eq!(q.take(0), Some(2), "alone: both cores");
        assert_eq!(q.take(0), None, "no thread left for a second");
        q.give_back(2);
        assert_eq!(q.take(1), Some(1), "another waits: one core");
        assert_eq!(q.take(0), Some(1), "the other core");
        assert_eq!(q.take(0), None, "no worker left");
        q.give_back(1);
        q.give_back(1);
        assert_eq!((q.free, q.free_threads), (2, 2));
        // One core given, whatever a pass may have: one thread.
        let mut q = queue(1, 1, 2);
        assert_eq!(q.take(3), Some(1));
        // One worker on its two threads (`stt_workers = 1`): others waiting change nothing.
        let mut q = queue(1, 2, 2);
        assert_eq!(q.take(5), Some(2));
        // Two workers with two threads each: each keeps its two.
        let mut q = queue(2, 4, 2);
        assert_eq!(q.take(1), Some(2));
        assert_eq!(q.take(0), Some(2));
        // Four cores, one a pass: one each.
        let mut q = queue(4, 4, 1);
        assert_eq!(q.take(0), Some(1));
    }

    /// Whisper's raw text, and the transcript it should become.
    fn check(input: &str, expect: &str) {
        assert_eq!(collapse_repeats(&clean(input)), expect, "from {input:?}");
    }

    #[test]
    fn loops_are_kept_once() {
        // Whole sentences, one or several, repeated back to back.
        check("Yes. Yes. Yes. Yes", "Yes.");
        check(
            " I'd like to leave a message for Alex. I'd like to leave a message for Alex. I'd like to leave a message for Alex.",
            "I'd like to leave a message for Alex.",
        );
        check(
            "This is Jo. I need help. This is Jo. I need help.",
            "This is Jo. I need help.",
        );
        check("Yes. No. Yes. No. Yes. No.", "Yes. No.");
        check("Hello. hello! HELLO.", "Hello.");
        // The token limit cut the last copy short.
        check(
            "I need to move my meeting. I need to move my meeting. I need to",
            "I need to move my meeting.",
        );
        // Phrases repeated within a sentence.
        check("the the the the meeting", "the meeting");
        check(
            "I want to leave a message, leave a message, leave a message, leave a message.",
            "I want to leave a message.",
        );
        check(
            "My number is 6 1 7 5 5 5 0 1 0 0 6 1 7 5 5 5 0 1 0 0 6 1 7 5 5 5 0 1 0 0",
            "My number is 6 1 7 5 5 5 0 1 0 0",
        );
        // A spelled letter whisper ran on.
        check(
            "Omar, O-M-A-R, H-A-D-D-A-D-D-D-D-D-D-D-D-D-D-D-D-D-D-D-D-",
            "Omar, O-M-A-R, H-A-D-D-A-D",
        );
        check("Hadded H. A.D.D.D.D.D.D.D.D.D", "Hadded H. A.D.");
        // Double letters and ordinary words stay.
        check("E-L-L-E-N, Ellen.", "E-L-L-E-N, Ellen.");
        check(
            "A-A-A battery, the 555-0123 line",
            "A-A-A battery, the 555-0123 line",
        );
        check(
            "on Thursday on Thursday on Thursday on Thursday on",
            "on Thursday",
        );
        check("Thank you, thank you, thank you, thank you.", "Thank you.");
    }

    #[test]
    fn what_a_caller_says_twice_is_kept() {
        for said in [
            "No, no.",
            "No, no, I said Thursday.",
            "Thursday. Thursday at two.",
            "No. No, wait. No.",
            "I'm sorry, I'm sorry, I meant Friday.",
            "Bye-bye.",
            "It's 6 1 7 5 5 5 0 1 0 0.",
            "Call me at five five five, one two one two, five five five, one two one two.",
            "Zero zero zero zero.",
            "That's 2 2 2, 3 4 5 6.",
            "Hello, this is Jordan. I'd like to leave a message for Alex.",
            "Very, very urgent.",
            "I need help. Please, I need help.",
        ] {
            check(said, said);
        }
    }

    #[test]
    fn loops_compress_well() {
        let once = "I'd like to leave a message for Alex Morgan about the meeting on Thursday.";
        let looped = [once; 5].join(" ");
        assert!(compression_ratio(once) < 1.5, "{}", compression_ratio(once));
        assert!(
            compression_ratio(&looped) > super::COMPRESSION_RATIO_MAX,
            "{}",
            compression_ratio(&looped)
        );
        assert_eq!(compression_ratio(""), 0.0);
    }

    #[test]
    fn reliable_needs_words_and_whispers_signals() {
        let t = |text: &str, nsp: f32, logprob: f32, ratio: f32| super::Transcript {
            text: text.into(),
            no_speech_prob: nsp,
            avg_logprob: logprob,
            compression_ratio: ratio,
            ..Default::default()
        };
        assert!(t("Yes.", 0.1, -0.3, 0.9).reliable());
        assert!(!t("", 0.1, -0.3, 0.0).reliable());
        assert!(!t("Yes.", 0.1, -1.4, 0.9).reliable());
        assert!(!t("Yes.", 0.8, -0.3, 0.9).reliable());
        assert!(!t("a a a a a a a a a a a a", 0.1, -0.3, 3.1).reliable());
    }

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
        assert_eq!(clean(" Thank you, goodbye."), "Thank you, goodbye.");
    }
}
