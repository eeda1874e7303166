//! The per-call session: one task owns a call's whole pipeline.
//!
//! ```text
//! provider frames ─► µ-law decode ─► resample 8→16 kHz ─► endpointer ─► STT (blocking pool)
//!                                                                          │
//!     ◄─ paced 20 ms µ-law frames ◄─ TTS (blocking, sentence by sentence) ◄─ dialog
//! ```
//!
//! The session is provider-independent: it reads [`SessionInput`] (internal [`Inbound`] events
//! or frame errors) and writes [`Outbound`] frames; the web layer's adapter does the wire format.
//! Barge-in: caller speech while the agent talks (longer than `barge_in_ms`, or a short
//! utterance that is not a backchannel like "mhm") sends `clear`, drops queued speech, and cuts
//! the agent's logged turn to what the caller heard. The agent's own echo is kept out by the
//! [`EchoGuard`]. Every turn is persisted when it happens.
//!
//! **Architecture Invariant:** the session never parses wire frames and never decides what to
//! say; it executes the dialog's actions and owns timing, audio and persistence.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use tokio::sync::mpsc;
use tracing::{debug, error, info, info_span, warn, Instrument};

use crate::audio::recorder::Recorder;
use crate::audio::resample::StreamResampler;
use crate::audio::vad::{level_dbfs, Endpoint, Endpointer, Patience, Utterance};
use crate::audio::{g711, EchoGuard, LINE_FRAME};
use crate::config::{Clock, Config};
use crate::dialog::{Action, CalendarFailure, Dialog, Event, Expect};
use crate::persona::Persona;
use crate::store::journal::Journal;
use crate::store::{stamp, BookError, CallStatus, NewAppointment, Speaker, Store};
use crate::stt::Stt;
use crate::telephony::{FrameError, Inbound, Outbound, Provider};
use crate::tts::{self, TtsEngine};

/// Frames sent ahead of real time, so the far end never starves (60 ms).
const LEAD_FRAMES: u64 = 3;
/// Speech this long of which whisper heard nothing is asked again ("sorry, I didn't catch that");
/// shorter bursts are taken for line noise.
const UNHEARD_MIN_MS: u32 = 500;

/// Everything a call needs that outlives it: shared by all calls.
pub struct Services {
    pub config: Config,
    pub persona: Arc<Persona>,
    pub store: Store,
    pub stt: Stt,
    pub tts: Arc<dyn TtsEngine>,
    pub clock: Clock,
    /// The telephony provider: its webhooks, replies, media adapter and live transfer.
    pub provider: Arc<dyn Provider>,
    /// Key for the per-call stream tokens handed out in TwiML.
    pub stream_key: [u8; 32],
    /// The API bearer token.
    pub api_token: String,
    /// Wakes the delivery worker when the outbox gets something.
    pub outbox: tokio::sync::Notify,
}

impl Services {
    /// The token that lets the media stream of `call_sid` in: hex HMAC-SHA256 of the call id.
    pub fn stream_token(&self, call_sid: &str) -> String {
        crate::hmac_sha256_hex(&self.stream_key, call_sid.as_bytes())
    }
}

/// What the transport hands the session.
#[derive(Debug)]
pub enum SessionInput {
    /// A frame the adapter understood.
    Frame(Inbound),
    /// A frame it could not understand.
    BadFrame(FrameError),
    /// The transport closed.
    Closed,
}

/// What the session asks the transport to do.
#[derive(Debug, PartialEq)]
pub enum SessionOutput {
    /// Send a frame.
    Frame(Outbound),
    /// Close the connection (hang up).
    Close,
}

/// Backchannels: while the agent talks these mean "go on", not "stop".
const BACKCHANNELS: &[&str] = &[
    "mhm", "mm-hmm", "mm hmm", "mmhmm", "mm", "hmm", "uh-huh", "uh huh", "uhhuh", "ok", "okay",
    "yeah", "right", "sure", "i see", "got it", "uh", "um", "ah", "oh",
];

/// Whether a short utterance during the agent's speech is only a backchannel.
pub fn is_backchannel(text: &str) -> bool {
    let lower = text.to_lowercase();
    let bare = lower
        .trim_matches(|c: char| !c.is_alphanumeric())
        .replace([',', '.', '!'], "");
    let bare = bare.trim();
    bare.is_empty() || BACKCHANNELS.contains(&bare)
}

/// Splits a reply into sentences, so the first can play while the rest are synthesised.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let end =
            matches!(c, '.' | '?' | '!') && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if end && cur.trim().len() > 1 {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// The words of `text` a caller heard after `fraction` of it played.
pub fn heard_part(text: &str, fraction: f64) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let n = ((words.len() as f64) * fraction.clamp(0.0, 1.0)).floor() as usize;
    words[..n].join(" ")
}

/// One sentence queued for (or in) playback.
struct Segment {
    say_id: u64,
    index: usize,
    audio: Vec<u8>,
    sent: usize,
    mark: String,
}

/// One sentence of a reply, as the caller hears it.
struct Part {
    text: String,
    frames: usize,
    /// When its first frame went out.
    started: Option<Instant>,
    /// The far end confirmed (mark) that it played.
    played: bool,
}

/// One reply (a dialog `Say`) from synthesis to playback.
struct Reply {
    id: u64,
    text: String,
    sentences: usize,
    /// The sentences synthesised so far, in order.
    parts: Vec<Part>,
    /// The stored agent turn, once the first frame went out.
    turn_seq: Option<i64>,
    /// The caller's end of speech this reply answers.
    answer_to: Option<Instant>,
}

struct Stt1 {
    /// When the caller started speaking.
    started_at: DateTime<Utc>,
    /// When the caller stopped (the endpoint, less the silence it waited for).
    ended: Instant,
    /// True when the agent was speaking as this utterance was spoken.
    during_agent: bool,
    /// Speech length.
    speech_ms: u32,
}

enum Internal {
    Transcribed(Stt1, Result<crate::stt::Transcript, crate::stt::SttError>),
    Synthesised {
        say_id: u64,
        index: usize,
        text: String,
        audio: Result<Vec<u8>, crate::tts::TtsError>,
    },
}

/// Runs one call until its transport closes. `input` comes from the transport, `output` goes to it.
pub async fn run(
    services: Arc<Services>,
    input: mpsc::Receiver<SessionInput>,
    output: mpsc::Sender<SessionOutput>,
) {
    let span = info_span!("call", call_sid = tracing::field::Empty);
    let session = Session::new(services, output, span.clone());
    session.run(input).instrument(span).await;
}

struct Session {
    svc: Arc<Services>,
    out: mpsc::Sender<SessionOutput>,
    span: tracing::Span,
    call_sid: Option<String>,
    dialog: Dialog,
    resampler: Option<StreamResampler>,
    endpointer: Endpointer,
    echo: EchoGuard,
    recorder: Option<Recorder>,
    /// Writes the call's log off the audio path, from the moment the call is known.
    journal: Option<Journal>,
    internal_tx: mpsc::Sender<Internal>,
    internal_rx: mpsc::Receiver<Internal>,
    stt_tx: Option<mpsc::Sender<(Stt1, Vec<f32>)>>,
    // Playback.
    queue: VecDeque<Segment>,
    replies: VecDeque<Reply>,
    next_say: u64,
    playback_start: Option<Instant>,
    frames_sent: u64,
    pending_marks: VecDeque<(String, u64, usize)>,
    last_frame_at: Option<Instant>,
    hangup_after_playback: bool,
    /// A live transfer to this number waits for the agent's words to finish playing.
    transfer_after_playback: Option<String>,
    // Listening.
    utterance_started: Option<(DateTime<Utc>, bool)>,
    stt_pending: usize,
    last_caller_end: Option<Instant>,
    listening_since: Option<Instant>,
    silence_prompted: bool,
    closed: bool,
    status: CallStatus,
    bad_frames: u64,
    /// Bad frames seen before the call was known, recorded on it once it starts.
    early_errors: Vec<(DateTime<Utc>, String)>,
}

impl Session {
    fn new(svc: Arc<Services>, out: mpsc::Sender<SessionOutput>, span: tracing::Span) -> Self {
        let (internal_tx, internal_rx) = mpsc::channel(64);
        let dialog = Dialog::new(svc.persona.clone());
        let endpointer = Endpointer::new(svc.config.vad.clone());
        let echo = EchoGuard::new(600, svc.config.echo_margin_db);
        Self {
            svc,
            out,
            span,
            call_sid: None,
            dialog,
            resampler: None,
            endpointer,
            echo,
            recorder: None,
            journal: None,
            internal_tx,
            internal_rx,
            stt_tx: None,
            queue: VecDeque::new(),
            replies: VecDeque::new(),
            next_say: 1,
            playback_start: None,
            frames_sent: 0,
            pending_marks: VecDeque::new(),
            last_frame_at: None,
            hangup_after_playback: false,
            transfer_after_playback: None,
            utterance_started: None,
            stt_pending: 0,
            last_caller_end: None,
            listening_since: None,
            silence_prompted: false,
            closed: false,
            status: CallStatus::InProgress,
            bad_frames: 0,
            early_errors: Vec::new(),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.svc.clock.now()
    }

    async fn send(&mut self, o: SessionOutput) {
        if self.out.send(o).await.is_err() {
            self.closed = true;
        }
    }

    /// Serves the call, then closes its record whatever happened: a panic anywhere in the
    /// session (a transcript no reader foresaw, say) is logged and recorded on the call, which is
    /// still closed with its notifications; if closing panics too, the record alone is closed.
    async fn run(mut self, input: mpsc::Receiver<SessionInput>) {
        let served = AssertUnwindSafe(self.serve(input)).catch_unwind().await;
        if let Err(panic) = served {
            let what = panic_text(panic.as_ref());
            error!(panic = %what, "call session panicked; closing its record");
            self.closed = true;
            self.status = CallStatus::Dropped;
            if let Some(sid) = self.call_sid.clone() {
                let detail = format!("the call's session failed: {what}");
                self.note(&sid, "session_failed", &detail).await;
            }
        }
        if let Err(panic) = AssertUnwindSafe(self.finish()).catch_unwind().await {
            error!(panic = %panic_text(panic.as_ref()), "closing the call panicked; closing the record alone");
            self.close_record().await;
        }
    }

    async fn serve(&mut self, mut input: mpsc::Receiver<SessionInput>) {
        let mut tick = tokio::time::interval(Duration::from_millis(20));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                msg = input.recv() => match msg {
                    Some(SessionInput::Frame(f)) => self.on_frame(f).await,
                    Some(SessionInput::BadFrame(e)) => self.on_bad_frame(e).await,
                    Some(SessionInput::Closed) | None => {
                        if self.status == CallStatus::InProgress {
                            self.status = CallStatus::Dropped;
                        }
                        break;
                    }
                },
                Some(msg) = self.internal_rx.recv() => self.on_internal(msg).await,
                _ = tick.tick() => self.on_tick().await,
            }
            if self.closed {
                break;
            }
        }
    }

    async fn on_bad_frame(&mut self, e: FrameError) {
        self.bad_frames += 1;
        let who = self
            .call_sid
            .clone()
            .unwrap_or_else(|| "(stream not started)".into());
        if self.bad_frames <= 20 || self.bad_frames.is_power_of_two() {
            warn!(call_sid = %who, error = %e, count = self.bad_frames, "bad media-stream frame ignored");
        }
        if self.bad_frames > 20 {
            return;
        }
        let now = self.now();
        match &self.journal {
            Some(j) => j.event(now, "bad_frame", &e.to_string()),
            None => self.early_errors.push((now, e.to_string())),
        }
    }

    async fn on_frame(&mut self, f: Inbound) {
        match f {
            Inbound::Connected => debug!("stream connected"),
            Inbound::Start(start) => self.on_start(start).await,
            Inbound::Media(bytes) => self.on_media(&bytes).await,
            Inbound::Dtmf(d) => {
                if self.call_sid.is_none() {
                    self.on_bad_frame(FrameError::BeforeStart("dtmf")).await;
                    return;
                }
                info!(digit = %d, "keypad");
                if self.is_speaking() {
                    self.barge_in("keypad").await;
                }
                self.last_caller_end = Some(Instant::now());
                self.log_turn(Speaker::Caller, &format!("[keypad {d}]"), self.now(), None);
                self.dialog_event(Event::Digit(d)).await;
            }
            Inbound::Mark(name) => {
                if let Some(pos) = self.pending_marks.iter().position(|(n, ..)| *n == name) {
                    if let Some((_, say_id, index)) = self.pending_marks.remove(pos) {
                        if let Some(part) = self
                            .replies
                            .iter_mut()
                            .find(|r| r.id == say_id)
                            .and_then(|r| r.parts.get_mut(index))
                        {
                            part.played = true;
                        }
                    }
                }
            }
            Inbound::Stop => {
                info!("caller hung up (stop)");
                self.status = CallStatus::Completed;
                self.closed = true;
            }
        }
    }

    async fn on_start(&mut self, start: crate::telephony::StreamStart) {
        if self.call_sid.is_some() {
            warn!("second start frame ignored");
            return;
        }
        let token_ok = start
            .parameters
            .get("token")
            .is_some_and(|t| *t == self.svc.stream_token(&start.call_id));
        if !token_ok {
            error!(call_sid = %start.call_id, "media stream refused: missing or wrong token (it must come from our TwiML)");
            self.closed = true;
            return;
        }
        let sid = start.call_id.clone();
        self.span.record("call_sid", sid.as_str());
        info!(stream_sid = %start.stream_id, "stream started");
        let from = start
            .parameters
            .get("from")
            .filter(|s| !s.is_empty())
            .cloned();
        let to = start
            .parameters
            .get("to")
            .filter(|s| !s.is_empty())
            .cloned();
        let now = self.now();
        if let Err(e) = self
            .svc
            .store
            .begin_call(&sid, from.as_deref(), to.as_deref(), now)
            .await
        {
            error!(error = %e, "cannot record call start");
        }
        self.journal = Some(Journal::start(self.svc.store.clone(), sid.clone()));
        let rec_path = self
            .svc
            .config
            .recordings
            .join(format!("{}.wav", sanitize(&sid)));
        self.recorder = match Recorder::create(&rec_path) {
            Ok(r) => Some(r),
            Err(e) => {
                warn!(error = %e, "call will not be recorded");
                None
            }
        };
        let rec = self
            .recorder
            .as_ref()
            .map(|r| r.path().display().to_string());
        if let Err(e) = self
            .svc
            .store
            .set_stream(&sid, &start.stream_id, rec.as_deref())
            .await
        {
            error!(error = %e, "cannot record stream");
        }
        self.resampler = match StreamResampler::telephone_to_whisper() {
            Ok(r) => Some(r),
            Err(e) => {
                error!(error = %e, "cannot build resampler");
                None
            }
        };
        for (at, detail) in std::mem::take(&mut self.early_errors) {
            if let Some(j) = &self.journal {
                j.event(at, "bad_frame", &detail);
            }
        }
        self.call_sid = Some(sid);
        self.start_stt_worker();
        let calendar = match self.svc.store.booked_from(self.now()).await {
            Ok(c) => c,
            Err(e) => {
                error!(error = %e, "cannot read the calendar; bookings will be refused by the store");
                Vec::new()
            }
        };
        let on_call = self.svc.config.can_transfer() && self.svc.persona.on_call_at(self.now());
        self.dialog.set_transfer_available(on_call);
        self.dialog_event(Event::CallStarted {
            caller_number: from,
            calendar,
        })
        .await;
    }

    /// One STT job at a time per call, in order.
    fn start_stt_worker(&mut self) {
        let (tx, mut rx) = mpsc::channel::<(Stt1, Vec<f32>)>(8);
        let stt = self.svc.stt.clone();
        let back = self.internal_tx.clone();
        tokio::spawn(
            async move {
                while let Some((meta, audio)) = rx.recv().await {
                    let result = stt.transcribe(audio).await;
                    if back
                        .send(Internal::Transcribed(meta, result))
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
            }
            .instrument(self.span.clone()),
        );
        self.stt_tx = Some(tx);
    }

    fn is_speaking(&self) -> bool {
        !self.queue.is_empty() || self.replies.iter().any(|r| !self.reply_played(r))
    }

    fn reply_played(&self, r: &Reply) -> bool {
        if r.parts.len() < r.sentences {
            return false;
        }
        if r.parts.iter().all(|p| p.played) {
            return true;
        }
        // Marks are the provider's word; if they never come, trust the clock.
        let sent_all = !self.queue.iter().any(|s| s.say_id == r.id);
        sent_all
            && self
                .last_frame_at
                .is_some_and(|t| t.elapsed() > Duration::from_millis(1500 + LEAD_FRAMES * 20))
    }

    async fn on_media(&mut self, bytes: &[u8]) {
        if self.call_sid.is_none() {
            self.on_bad_frame(FrameError::BeforeStart("media")).await;
            return;
        }
        if bytes.is_empty() {
            return;
        }
        if let Some(r) = self.recorder.as_mut() {
            if let Err(e) = r.caller(bytes) {
                warn!(error = %e, "recording stopped");
                self.recorder = None;
            }
        }
        let pcm = g711::decode_to_f32(bytes);
        let mut wide = Vec::with_capacity(pcm.len() * 2);
        if let Some(rs) = self.resampler.as_mut() {
            if let Err(e) = rs.push(&pcm, &mut wide) {
                warn!(error = %e, "resampling failed; frame dropped");
                return;
            }
        }
        // Twilio sends 20 ms frames; handle other sizes frame by frame.
        let speaking = self.is_speaking();
        let guard = if speaking { self.echo.guard_db() } else { None };
        let frames = pcm.len().div_ceil(LINE_FRAME).max(1);
        let wide_per = wide.len() / frames;
        for i in 0..frames {
            let line = &pcm[i * LINE_FRAME..((i + 1) * LINE_FRAME).min(pcm.len())];
            let w = if i + 1 == frames {
                &wide[(i * wide_per).min(wide.len())..]
            } else {
                &wide[i * wide_per..(i + 1) * wide_per]
            };
            let level = level_dbfs(line);
            match self.endpointer.push(level, w, guard) {
                Some(Endpoint::Started) => {
                    debug!(level, "caller started speaking");
                    self.utterance_started = Some((self.now(), speaking));
                    self.listening_since = None;
                }
                Some(Endpoint::Ended(u)) => self.on_utterance(u).await,
                None => {}
            }
        }
        if speaking
            && self.endpointer.in_speech()
            && self.endpointer.speech_ms() >= self.svc.config.barge_in_ms
        {
            self.barge_in("speech").await;
        }
    }

    async fn on_utterance(&mut self, u: Utterance) {
        let (started_at, during_agent) =
            self.utterance_started.take().unwrap_or((self.now(), false));
        let silence = if self.endpointer.patience() == Patience::Long {
            self.svc.config.vad.long_end_silence_ms
        } else {
            self.svc.config.vad.end_silence_ms
        };
        let ended = Instant::now()
            .checked_sub(Duration::from_millis(silence as u64))
            .unwrap_or_else(Instant::now);
        debug!(
            speech_ms = u.speech_ms,
            audio_ms = u.audio.len() / 16,
            "caller stopped speaking"
        );
        let meta = Stt1 {
            started_at,
            ended,
            during_agent: during_agent && self.is_speaking(),
            speech_ms: u.speech_ms,
        };
        if let Some(tx) = &self.stt_tx {
            self.stt_pending += 1;
            if tx.send((meta, u.audio)).await.is_err() {
                self.stt_pending -= 1;
            }
        }
    }

    async fn on_internal(&mut self, msg: Internal) {
        match msg {
            Internal::Transcribed(meta, result) => {
                self.stt_pending = self.stt_pending.saturating_sub(1);
                let transcript = match result {
                    Ok(t) => t,
                    Err(e) => {
                        error!(error = %e, "transcription failed");
                        return;
                    }
                };
                debug!(
                    reliable = transcript.reliable(),
                    no_speech_prob = transcript.no_speech_prob,
                    avg_logprob = transcript.avg_logprob,
                    compression_ratio = transcript.compression_ratio,
                    redecoded = transcript.redecoded,
                    "whisper's signals"
                );
                let text = transcript.text;
                if text.is_empty() {
                    debug!(speech_ms = meta.speech_ms, "nothing intelligible heard");
                    self.listening_since = Some(Instant::now());
                    // The caller spoke to us (not over us) for a while: ask again rather than
                    // wait out the silence and ask whether they are still there.
                    if !meta.during_agent && meta.speech_ms >= UNHEARD_MIN_MS {
                        self.dialog_event(Event::Unheard).await;
                    }
                    return;
                }
                if meta.during_agent && self.is_speaking() {
                    if is_backchannel(&text) || self.is_echo(&text) {
                        info!(text = %text, "backchannel or echo while speaking; not an interruption");
                        return;
                    }
                    self.barge_in("short utterance").await;
                }
                if self
                    .svc
                    .config
                    .fault_panic_on
                    .as_deref()
                    .is_some_and(|f| text.to_lowercase().contains(&f.to_lowercase()))
                {
                    panic!("fault injected: the caller said {text:?}");
                }
                info!(text = %text, "caller");
                self.last_caller_end = Some(meta.ended);
                self.log_turn(Speaker::Caller, &text, meta.started_at, None);
                self.dialog_event(Event::Heard(text)).await;
            }
            Internal::Synthesised {
                say_id,
                index,
                text,
                audio,
            } => {
                let Some(reply) = self.replies.iter_mut().find(|r| r.id == say_id) else {
                    return; // cancelled by barge-in
                };
                let audio = match audio {
                    Ok(a) => a,
                    Err(e) => {
                        error!(error = %e, "speech synthesis failed; sentence skipped");
                        Vec::new()
                    }
                };
                reply.parts.push(Part {
                    text,
                    frames: audio.len().div_ceil(LINE_FRAME),
                    started: None,
                    played: audio.is_empty(),
                });
                if audio.is_empty() {
                    return;
                }
                self.queue.push_back(Segment {
                    say_id,
                    index,
                    audio,
                    sent: 0,
                    mark: format!("s{say_id}-{index}"),
                });
            }
        }
    }

    /// Whether `text` is just the agent's own words coming back.
    fn is_echo(&self, text: &str) -> bool {
        let norm = |s: &str| {
            s.to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let heard = norm(text);
        if heard.is_empty() {
            return true;
        }
        let Some(reply) = self.replies.iter().rev().find(|r| !self.reply_played(r)) else {
            return false;
        };
        let said = norm(&reply.text);
        let matched = heard.iter().filter(|w| said.contains(w)).count();
        matched * 10 >= heard.len() * 8 && heard.len() >= 2
    }

    /// Feeds the dialog an event and carries out what it asks; results of calendar changes go
    /// back to it as events, in order.
    async fn dialog_event(&mut self, event: Event) {
        let mut pending = vec![event];
        while let Some(event) = pending.pop() {
            let now = self.now();
            let actions = self.dialog.handle(event, now);
            for a in actions {
                if let Some(next) = self.act(a).await {
                    pending.push(next);
                }
            }
        }
    }

    /// The result of a calendar change, as the dialog hears it.
    fn calendar_result(&self, r: Result<String, BookError>) -> Event {
        Event::Calendar(r.map_err(|e| match e {
            BookError::Taken => CalendarFailure::Taken,
            other => {
                error!(error = %other, "calendar change failed");
                CalendarFailure::Unavailable
            }
        }))
    }

    async fn act(&mut self, action: Action) -> Option<Event> {
        let sid = self.call_sid.clone()?;
        let now = self.now();
        match action {
            Action::Say { .. } | Action::Hangup if self.closed => {}
            Action::Say { text, expect } => self.say(text, expect),
            Action::UpdateCaller(info) => {
                if let Some(j) = &self.journal {
                    j.caller(&info);
                }
            }
            Action::SetOutcome { outcome, summary } => {
                if let Some(j) = &self.journal {
                    j.outcome(outcome.as_str(), &summary);
                }
            }
            Action::Book(m) => {
                let new = NewAppointment {
                    start: m.start,
                    end: m.end,
                    caller_name: m.caller_name,
                    caller_number: m.caller_number,
                    purpose: m.purpose,
                    call_sid: Some(sid.clone()),
                };
                let r = self.svc.store.book(&new, now).await;
                if let Ok(id) = &r {
                    info!(call_sid = %sid, appointment = %id, start = %m.start, "booked");
                    self.note(&sid, "booked", &format!("{id} at {}", stamp(m.start)))
                        .await;
                }
                return Some(self.calendar_result(r));
            }
            Action::Move { id, start, end } => {
                let r = self.svc.store.move_appointment(&id, start, end, now).await;
                if r.is_ok() {
                    info!(call_sid = %sid, appointment = %id, start = %start, "moved");
                    self.note(&sid, "rescheduled", &format!("{id} to {}", stamp(start)))
                        .await;
                }
                return Some(self.calendar_result(r.map(|()| id)));
            }
            Action::Cancel { id } => {
                let r = self.svc.store.cancel_appointment(&id, now).await;
                if r.is_ok() {
                    info!(call_sid = %sid, appointment = %id, "cancelled");
                    self.note(&sid, "cancelled", &id).await;
                }
                return Some(self.calendar_result(r.map(|()| id)));
            }
            Action::Escalate { reason } => {
                warn!(call_sid = %sid, %reason, "call escalated");
                self.note(&sid, "escalation", &reason).await;
            }
            Action::Transfer { to } => self.transfer_after_playback = Some(to),
            Action::Hangup => self.hangup_after_playback = true,
        }
        None
    }

    /// Redirects the live call to the on-call human through the provider's REST API; the
    /// dialog hears whether it worked. On success the provider ends the media stream, and so
    /// do we.
    async fn transfer(&mut self, to: String) {
        let Some(sid) = self.call_sid.clone() else {
            return;
        };
        let say = self.svc.persona.line("transfer_connecting", &[]);
        let status_url = format!(
            "{}/{}/dial-status",
            self.svc.config.public_base(),
            self.svc.provider.name()
        );
        let result = self
            .svc
            .provider
            .transfer(&sid, &to, &say, &status_url)
            .await
            .map_err(|e| e.to_string());
        match result {
            Ok(()) => {
                info!(to = %to, "call transferred");
                self.note(&sid, "transferred", &format!("to {to}")).await;
                self.dialog_event(Event::Transferred).await;
                self.status = CallStatus::Completed;
                self.send(SessionOutput::Close).await;
                self.closed = true;
            }
            Err(e) => {
                warn!(error = %e, "transfer failed; taking a message instead");
                self.note(&sid, "transfer_failed", &e).await;
                self.dialog_event(Event::TransferFailed).await;
            }
        }
    }

    /// Records a notable event on the call; a failure is logged, never fatal.
    async fn note(&self, sid: &str, kind: &str, detail: &str) {
        match &self.journal {
            Some(j) => j.event(self.now(), kind, detail),
            None => {
                if let Err(e) = self
                    .svc
                    .store
                    .add_event(sid, self.now(), kind, detail)
                    .await
                {
                    error!(error = %e, kind, "cannot record call event");
                }
            }
        }
    }

    fn say(&mut self, text: String, expect: Expect) {
        let id = self.next_say;
        self.next_say += 1;
        let parts = sentences(&text);
        self.endpointer.set_patience(patience_for(expect));
        self.replies.push_back(Reply {
            id,
            text,
            sentences: parts.len(),
            parts: Vec::new(),
            turn_seq: None,
            answer_to: self.last_caller_end.take(),
        });
        let tts = self.svc.tts.clone();
        let back = self.internal_tx.clone();
        let span = self.span.clone();
        tokio::task::spawn_blocking(move || {
            let _g = span.enter();
            for (index, sentence) in parts.into_iter().enumerate() {
                let audio = tts::speak_line(tts.as_ref(), &sentence);
                let msg = Internal::Synthesised {
                    say_id: id,
                    index,
                    text: sentence,
                    audio,
                };
                if back.blocking_send(msg).is_err() {
                    break;
                }
            }
        });
    }

    async fn on_tick(&mut self) {
        if self.call_sid.is_none() {
            return;
        }
        self.pace().await;
        let speaking = self.is_speaking();
        // Forget replies that have fully played.
        while self.replies.front().is_some_and(|r| self.reply_played(r)) && self.replies.len() > 1 {
            self.replies.pop_front();
        }
        if !speaking {
            if let Some(to) = self.transfer_after_playback.take() {
                self.transfer(to).await;
                return;
            }
            if self.hangup_after_playback {
                info!("goodbye said; hanging up");
                self.status = CallStatus::Completed;
                self.send(SessionOutput::Close).await;
                self.closed = true;
                return;
            }
            let idle =
                !self.endpointer.in_speech() && self.stt_pending == 0 && !self.dialog.is_done();
            if idle {
                let since = *self.listening_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= Duration::from_secs(self.svc.config.silence_timeout_secs) {
                    self.listening_since = None;
                    info!("caller silent");
                    self.dialog_event(Event::Silence).await;
                }
            } else {
                self.listening_since = None;
            }
        } else {
            self.listening_since = None;
        }
        let _ = self.silence_prompted;
    }

    /// Sends queued speech at the speed of playback, a few frames ahead.
    async fn pace(&mut self) {
        if self.queue.is_empty() {
            self.echo.outgoing(-100.0);
            self.playback_start = None;
            return;
        }
        let start = *self.playback_start.get_or_insert_with(|| {
            self.frames_sent = 0;
            Instant::now()
        });
        let due = start.elapsed().as_millis() as u64 / 20 + LEAD_FRAMES;
        let mut loudest = -100.0f32;
        while self.frames_sent < due {
            let Some(seg) = self.queue.front_mut() else {
                break;
            };
            let end = (seg.sent + LINE_FRAME).min(seg.audio.len());
            let frame = seg.audio[seg.sent..end].to_vec();
            let first_of_segment = seg.sent == 0;
            seg.sent = end;
            let finished = seg.sent >= seg.audio.len();
            let (say_id, index, mark) = (seg.say_id, seg.index, seg.mark.clone());
            if first_of_segment {
                if let Some(part) = self
                    .replies
                    .iter_mut()
                    .find(|r| r.id == say_id)
                    .and_then(|r| r.parts.get_mut(index))
                {
                    part.started = Some(Instant::now());
                }
                self.on_reply_audio_starts(say_id).await;
            }
            loudest = loudest.max(level_dbfs(&g711::decode_to_f32(&frame)));
            if let Some(r) = self.recorder.as_mut() {
                r.agent(&frame);
            }
            self.send(SessionOutput::Frame(Outbound::Media(frame)))
                .await;
            self.frames_sent += 1;
            self.last_frame_at = Some(Instant::now());
            if finished {
                self.queue.pop_front();
                self.pending_marks.push_back((mark.clone(), say_id, index));
                self.send(SessionOutput::Frame(Outbound::Mark(mark))).await;
            }
        }
        self.echo.outgoing(loudest);
    }

    async fn on_reply_audio_starts(&mut self, say_id: u64) {
        let Some(pos) = self.replies.iter().position(|r| r.id == say_id) else {
            return;
        };
        if self.replies[pos].turn_seq.is_some() {
            return;
        }
        let latency = self.replies[pos]
            .answer_to
            .map(|t| t.elapsed().as_millis() as i64);
        let text = self.replies[pos].text.clone();
        info!(text = %text, latency_ms = ?latency, "agent");
        let seq = self.log_turn(Speaker::Agent, &text, self.now(), latency);
        self.replies[pos].turn_seq = seq;
    }

    async fn barge_in(&mut self, why: &str) {
        if !self.is_speaking() {
            return;
        }
        info!(why, "caller barged in; cutting the agent's speech");
        self.send(SessionOutput::Frame(Outbound::Clear)).await;
        if let Some(r) = self.recorder.as_mut() {
            r.agent_cleared();
        }
        // What did the caller hear? Sentences the far end confirmed, and of the one playing,
        // the words that fit in the time since its first frame went out (less our lead).
        let playing: Vec<u64> = self
            .replies
            .iter()
            .filter(|r| !self.reply_played(r))
            .map(|r| r.id)
            .collect();
        for id in playing {
            let Some(r) = self.replies.iter().find(|r| r.id == id) else {
                continue;
            };
            let mut heard = Vec::new();
            for part in &r.parts {
                if part.played {
                    heard.push(part.text.clone());
                    continue;
                }
                let Some(started) = part.started else { break };
                let heard_ms =
                    (started.elapsed().as_millis() as u64).saturating_sub(LEAD_FRAMES * 20);
                let fraction = heard_ms as f64 / (part.frames.max(1) as f64 * 20.0);
                let words = heard_part(&part.text, fraction);
                if !words.is_empty() {
                    heard.push(words);
                }
                if fraction < 1.0 {
                    break;
                }
            }
            let heard = heard.join(" ");
            if let (Some(seq), Some(j)) = (r.turn_seq, self.journal.as_ref()) {
                j.cut_turn(seq, &heard);
                j.event(
                    self.svc.clock.now(),
                    "barge_in",
                    &format!("{why}; caller heard: {heard:?}"),
                );
            }
        }
        self.queue.clear();
        self.pending_marks.clear();
        self.replies.clear();
        self.playback_start = None;
        self.frames_sent = 0;
        self.last_frame_at = None;
    }

    fn log_turn(
        &mut self,
        speaker: Speaker,
        text: &str,
        at: DateTime<Utc>,
        latency: Option<i64>,
    ) -> Option<i64> {
        Some(self.journal.as_mut()?.turn(speaker, text, at, latency))
    }

    async fn finish(&mut self) {
        // Nothing the caller said is lost: an utterance cut off by the hang-up is transcribed,
        // and every transcription still running is logged before the call is closed.
        self.closed = true;
        if self.endpointer.in_speech() {
            if let Some(u) = self.endpointer.flush() {
                self.on_utterance(u).await;
            }
        }
        self.stt_tx = None;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while self.stt_pending > 0 {
            match tokio::time::timeout_at(deadline, self.internal_rx.recv()).await {
                Ok(Some(msg @ Internal::Transcribed(..))) => self.on_internal(msg).await,
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => {
                    warn!(
                        pending = self.stt_pending,
                        "transcriptions unfinished at hang-up"
                    );
                    break;
                }
            }
        }
        if let Some(r) = self.recorder.as_mut() {
            if let Err(e) = r.finish() {
                warn!(error = %e, "recording not finalised");
            }
        }
        if self.call_sid.is_none() {
            return;
        }
        if !self.dialog.is_done() {
            self.dialog_event(Event::Hangup).await;
        }
        self.close_record().await;
    }

    /// Ends the call's record, with the notifications its stored record calls for, in one
    /// transaction.
    async fn close_record(&mut self) {
        let Some(sid) = self.call_sid.clone() else {
            return;
        };
        // Everything the call logged is written before its record is read and closed.
        if let Some(j) = &self.journal {
            j.flush().await;
        }
        let status = if self.status == CallStatus::InProgress {
            CallStatus::Dropped
        } else {
            self.status
        };
        let now = self.now();
        // Escalations and messages go into the outbox in the transaction that closes the call.
        let notes = match self.svc.store.get_call(&sid).await {
            Ok(Some(call)) => crate::notify::for_call(&self.svc, &call),
            Ok(None) => Vec::new(),
            Err(e) => {
                error!(error = %e, "cannot read the call back to notify about it");
                Vec::new()
            }
        };
        match self
            .svc
            .store
            .end_call_notifying(&sid, status, now, &notes, Utc::now())
            .await
        {
            Ok(()) if !notes.is_empty() => self.svc.outbox.notify_one(),
            Ok(()) => {}
            Err(e) => error!(error = %e, "cannot close the call record"),
        }
        info!(?status, notifications = notes.len(), "call ended");
    }
}

/// What a panic said.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// How long to wait for the caller to finish, given what they are asked for.
fn patience_for(expect: Expect) -> Patience {
    match expect {
        Expect::Digits | Expect::Message | Expect::When => Patience::Long,
        Expect::Request => Patience::Request,
        Expect::Free | Expect::YesNo => Patience::Normal,
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_split_into_sentences() {
        assert_eq!(
            sentences("Good evening. How can I help you? Mr. Lee, at 6 1 7."),
            vec![
                "Good evening.",
                "How can I help you?",
                "Mr.",
                "Lee, at 6 1 7."
            ]
        );
        assert_eq!(sentences("No full stop"), vec!["No full stop"]);
    }

    #[test]
    fn backchannels_do_not_interrupt() {
        for b in ["Mhm.", "Mm-hmm.", "Uh-huh", "okay", "Yeah."] {
            assert!(is_backchannel(b), "{b}");
        }
        for t in ["No.", "Yes.", "Wait, stop.", "Actually I need Jamie"] {
            assert!(!is_backchannel(t), "{t}");
        }
    }

    #[test]
    fn heard_part_keeps_whole_words() {
        assert_eq!(heard_part("one two three four", 0.5), "one two");
        assert_eq!(heard_part("one two three four", 0.0), "");
        assert_eq!(heard_part("one two three four", 1.5), "one two three four");
    }
}
