//! The call conductor: everything a call does between the wire and the dialog, sans IO.
//!
//! ```text
//! Input (at a Moment)                         Output
//!   caller µ-law frame ─► decode ─► 8→16 kHz ─► endpointer ─► Transcribe { job, audio }
//!   Transcribed { job, text } ───────────────► dialog ─► Synthesize { say_id, sentences }
//!   Synthesised { say_id, index, audio } ────► queue ─► (on Tick) paced Send(Media), Send(Mark)
//!   Mark, Digit, Calendar, TransferDone, Stop, Closed            Turn, CutTurn, Note, Caller,
//!                                                               Outcome, Calendar, Transfer, Close
//! ```
//!
//! It owns pacing (20 ms frames at the speed of playback, [`LEAD_FRAMES`] ahead), marks,
//! barge-in (caller speech longer than `barge_in_ms`, or a short utterance that is neither a
//! backchannel like "mhm" nor the agent's own echo, sends `clear` and cuts the agent's logged
//! turn to what the caller heard), the silence prompt, DTMF, and hanging up or transferring once
//! the agent's last words have played. The dialog decides what to say; the conductor decides
//! when, and what was heard.
//!
//! Time comes in with every input as a [`Moment`] (monotonic and wall clock), so a test runs a
//! two-minute call in milliseconds. The session in `call.rs` is the thin shell that feeds it:
//! it reads the transport, runs whisper and the voice, writes the journal and the recording, and
//! carries out each [`Output`].
//!
//! **Architecture Invariant:** no IO and no clock here (checked by `tests/architecture.rs`); every
//! side effect is an [`Output`], every result comes back as an [`Input`].

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tracing::{debug, info, warn};

use crate::audio::resample::{ResampleError, StreamResampler};
use crate::audio::vad::{
    level_dbfs, Detector, Endpoint, Endpointer, Patience, Utterance, VadConfig, FRAME_MS,
};
use crate::audio::{g711, EchoGuard, LINE_FRAME};
use crate::logic::calendar::Booked;
use crate::logic::dialog::{
    Action, CalendarFailure, CallerInfo, Dialog, Event, Expect, Meeting, TurnEnd,
};
use crate::logic::domain::{CallStatus, Outcome, Speaker, Summary};
use crate::logic::media::Outbound;

#[cfg(test)]
mod tests;

/// Frames sent ahead of real time, so the far end never starves (60 ms).
pub const LEAD_FRAMES: u64 = 3;
/// Speech this long of which whisper heard nothing is asked again ("sorry, I didn't catch that");
/// shorter bursts are taken for line noise.
const UNHEARD_MIN_MS: u32 = 500;
/// Playback paused for caller speech goes on by itself after this long without a verdict
/// (whisper's answer lost): a pause is never a silent hang.
const PLAYBACK_PAUSE_MAX: Duration = Duration::from_secs(3);
/// When the far end never confirms a mark, a reply counts as played this long after its last
/// frame went out (plus the lead).
const MARK_GRACE: Duration = Duration::from_millis(1500 + LEAD_FRAMES * 20);
/// Speech that starts within this long of the end of the caller's last words may go on with
/// the same turn (see [`Resumable`]).
const RESUME_GAP_MAX: Duration = Duration::from_millis(1500);
/// No one answers words they have heard for less than this: speech that starts this soon after
/// the reply's first frame went out was begun before the caller could react to it.
const REACTION_MIN: Duration = Duration::from_millis(250);

/// An instant of the call: the monotonic clock for timing, the wall clock for the record and
/// the dialog. Both advance together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    pub mono: Instant,
    pub wall: DateTime<Utc>,
}

impl Moment {
    /// This moment, `d` later.
    pub fn after(self, d: Duration) -> Self {
        Self {
            mono: self.mono + d,
            wall: self.wall + chrono::Duration::from_std(d).unwrap_or_default(),
        }
    }
}

/// The conductor's timing rules (from the config).
#[derive(Debug, Clone)]
pub struct Settings {
    pub vad: VadConfig,
    /// Caller speech over the agent this long interrupts it.
    pub barge_in_ms: u32,
    /// Caller speech over the agent this long pauses its playback until what they say is
    /// known: a backchannel ("mhm") or the agent's own echo lets it go on where it stopped,
    /// anything else interrupts it. Counted from the onset, so it may be shorter than the
    /// endpointer's `start_ms`: a sound that dies away without opening an utterance lets it go
    /// on at once. 0: the agent talks on until `barge_in_ms`.
    pub pause_playback_ms: u32,
    /// Silence after the agent finished before the caller is asked whether they are there.
    pub silence_timeout: Duration,
    /// The agent's echo is at least this much quieter than what went out (negative dB).
    pub echo_margin_db: f32,
    /// Test hook: panic when the caller says this (to prove a failing session still closes).
    pub fault_panic_on: Option<String>,
}

/// What happens to the call.
#[derive(Debug)]
pub enum Input {
    /// A frame of the caller's audio (8 kHz µ-law, normally 20 ms).
    Media(Vec<u8>),
    /// The caller pressed a key.
    Digit(char),
    /// The far end played everything up to this mark.
    Mark(String),
    /// Whisper's text for job `job`: `None` when the transcription failed.
    Transcribed { job: u64, text: Option<String> },
    /// Speculative job `job` (`Output::Transcribe { early: true }`) was dropped unrun: it
    /// became useless while it waited for a worker (the caller spoke on, the turn's own pass
    /// came, it waited too long) or too many waited. The utterance's end sends its words.
    Shed { job: u64 },
    /// Sentence `index` of reply `say_id`, synthesised to line audio (µ-law); empty when
    /// synthesis failed (the sentence is skipped).
    Synthesised {
        say_id: u64,
        index: usize,
        text: String,
        audio: Vec<u8>,
    },
    /// The result of the last [`Output::Calendar`].
    Calendar(Result<String, CalendarFailure>),
    /// The result of the last [`Output::Transfer`] (why it failed).
    TransferDone(Result<(), String>),
    /// Time passed (every 20 ms).
    Tick,
    /// The caller hung up (the provider's stop).
    Stop,
    /// The transport closed without a stop.
    Closed,
}

/// A change to the calendar the dialog asked for; answer with [`Input::Calendar`].
#[derive(Debug, Clone, PartialEq)]
pub enum CalendarChange {
    Book(Meeting),
    Move {
        id: String,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    Cancel {
        id: String,
    },
}

/// What the shell must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Send a frame to the caller.
    Send(Outbound),
    /// Transcribe this utterance (16 kHz mono) and answer with [`Input::Transcribed`] (by
    /// job: a speculative pass may answer after a later final one).
    Transcribe {
        job: u64,
        audio: Vec<f32>,
        /// The words before a pause, the caller perhaps not finished: a speculative pass,
        /// which waits behind turns' own passes and which the shell may drop unrun when it
        /// becomes useless (answer [`Input::Shed`]).
        early: bool,
    },
    /// The turn ended on the words of speculative job `job`, which whisper has not answered:
    /// it is the turn's own pass now, and should wait as one (not behind other speculative
    /// passes, and not be dropped for waiting).
    Promote { job: u64 },
    /// Synthesise these sentences in order, answering each with [`Input::Synthesised`].
    Synthesize { say_id: u64, sentences: Vec<String> },
    /// Append turn `seq` to the call's log (`latency_ms`: from the caller's end of speech to
    /// the agent's first frame).
    Turn {
        seq: i64,
        speaker: Speaker,
        text: String,
        at: DateTime<Utc>,
        latency_ms: Option<i64>,
    },
    /// Turn `seq` was cut off: the caller heard only `heard`.
    CutTurn { seq: i64, heard: String },
    /// A notable event on the call.
    Note {
        at: DateTime<Utc>,
        kind: &'static str,
        detail: String,
    },
    /// What is known of the caller changed.
    Caller(CallerInfo),
    /// The call's outcome and summary.
    Outcome { outcome: Outcome, summary: Summary },
    /// Change the calendar; answer with [`Input::Calendar`].
    Calendar(CalendarChange),
    /// Transfer the live call to `to`; answer with [`Input::TransferDone`].
    Transfer { to: String },
    /// Hang up.
    Close,
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
    /// The logged agent turn, once the first frame went out.
    turn_seq: Option<i64>,
    /// The caller's end of speech this reply answers.
    answer_to: Option<Instant>,
    /// How the turn it answers went, for the timing note.
    clock: Option<TurnClock>,
    /// When the dialog asked for it.
    asked: Instant,
    /// When its first sentence came back from the voice.
    first_audio: Option<Instant>,
}

/// When each step of a caller's turn happened, from their last word to the reply: the
/// `reply_timing` note the first frame of the reply writes.
#[derive(Debug, Clone, Copy)]
struct TurnClock {
    /// The caller's words stopped.
    words_ended: Instant,
    /// The turn's end was decided.
    decided: Instant,
    /// Decided at a pause, on a complete answer, rather than after the whole silence.
    at_pause: bool,
    /// Whisper's own time on the words (asked → answered), whenever it ran.
    stt: Duration,
    /// The words were known and the dialog heard them.
    heard: Instant,
}

/// An utterance sent to whisper.
struct Job {
    /// When the caller started speaking.
    started_at: DateTime<Utc>,
    /// When the caller stopped (the endpoint, less the silence it waited for).
    ended: Instant,
    /// The agent was speaking as this utterance was spoken.
    during_agent: bool,
    /// Speech length.
    speech_ms: u32,
    /// When the turn's end was decided.
    decided: Instant,
    /// Decided at a pause (a complete answer) rather than after the whole silence.
    at_pause: bool,
    /// When its words went to whisper.
    sent: Instant,
    /// Whisper's time, when it answered before the turn ended.
    stt: Option<Duration>,
}

/// The words so far of an utterance the caller paused in, transcribed while the endpointer
/// waits out the rest of the silence: a complete answer ends the turn after a short silence
/// (`complete_end_silence_ms`), or at once when whisper answers later than that; otherwise, if
/// the caller says nothing more, the turn ends with these words and whisper is not run again.
struct Early {
    job: u64,
    /// The endpointer's speech frames at the pause: more means the caller spoke on.
    speech_frames: u32,
    /// When the words went to whisper, and when its answer came back.
    sent: Instant,
    answered: Option<Instant>,
    /// When the caller's words stopped (the pause's start).
    words_ended: Instant,
    /// Whisper's words, once back.
    text: Option<Option<String>>,
    /// The words were a complete answer: the utterance ends after the short silence.
    complete: bool,
    /// The utterance ended at this pause while whisper was still at work: its result is the
    /// turn's.
    ended: Option<Job>,
    /// The ended utterance's audio, kept in case the pass is shed ([`Input::Shed`]) and must
    /// run as the turn's own.
    ended_audio: Vec<f32>,
}

/// The dialog as it was before the caller's last turn, kept while that turn's reply is only
/// words (no calendar change, transfer, hang-up or outcome). A caller who starts again within
/// [`RESUME_GAP_MAX`] of their words' end, before they could have heard the reply (no frame of
/// it out, or out less than [`REACTION_MIN`]), was not finished: the turn ended in their pause.
/// When their words come, the reply is cut, the dialog goes back to this state and hears the
/// whole turn, what it heard then and the words that followed. So the turn's end can be
/// decided after a short silence without cutting off a caller who pauses mid-thought.
struct Resumable {
    dialog: Dialog,
    expect: Expect,
    /// What the dialog heard in that turn.
    text: String,
    /// When the caller's words of that turn stopped.
    words_ended: Instant,
    /// The turn's replies are this one and those after it.
    first_say: u64,
    /// The turn changed what is known of the caller: going back must say so.
    updated_caller: bool,
}

/// One call, from its start to its last record.
pub struct Conductor {
    settings: Settings,
    dialog: Dialog,
    resampler: StreamResampler,
    endpointer: Endpointer,
    echo: EchoGuard,
    out: Vec<Output>,
    // Playback.
    queue: VecDeque<Segment>,
    replies: VecDeque<Reply>,
    next_say: u64,
    playback_start: Option<Instant>,
    frames_sent: u64,
    pending_marks: VecDeque<(String, u64, usize)>,
    last_frame_at: Option<Instant>,
    /// The caller started speaking over the agent at this instant: nothing more is sent
    /// until their words are known (`Settings::pause_playback_ms`).
    paused_at: Option<Instant>,
    /// Playback went on again during this utterance: the rest of it does not pause it again.
    resumed_in_utterance: bool,
    /// The pause came at the onset of the caller's speech, before an utterance opened: if the
    /// sound dies away without opening one, playback goes on at once.
    paused_at_onset: bool,
    hangup_after_playback: bool,
    /// A live transfer to this number waits for the agent's words to finish playing.
    transfer_after_playback: Option<String>,
    /// A calendar change was asked for and its answer has not come back: what the caller says
    /// meanwhile waits, in order, so the dialog hears the answer first.
    calendar_pending: bool,
    held: VecDeque<Input>,
    /// A transfer to this number was asked for and its result has not come back.
    transferring: Option<String>,
    // Listening.
    utterance_started: Option<(DateTime<Utc>, bool)>,
    jobs: BTreeMap<u64, Job>,
    next_job: u64,
    early: Option<Early>,
    /// The caller's last turn, while they may still go on with it.
    resumable: Option<Resumable>,
    /// The utterance that began at this instant goes on with the caller's last turn.
    resuming: Option<(DateTime<Utc>, Resumable)>,
    /// What the dialog last asked for.
    expect: Expect,
    last_caller_end: Option<Instant>,
    /// How the last caller turn went, until a reply answers it.
    last_turn_clock: Option<TurnClock>,
    listening_since: Option<Instant>,
    // The record.
    next_turn: i64,
    closed: bool,
    status: CallStatus,
}

impl Conductor {
    /// Starts a call: the dialog (already told whether a transfer is possible) hears that the
    /// call is connected, and its greeting is asked for. `detector` judges each caller frame
    /// for speech (energy, or a model the session loaded: the conductor only consults it).
    pub fn start(
        settings: Settings,
        detector: Detector,
        dialog: Dialog,
        caller_number: Option<String>,
        calendar: Vec<Booked>,
        at: Moment,
    ) -> Result<(Self, Vec<Output>), ResampleError> {
        let mut c = Self {
            resampler: StreamResampler::telephone_to_whisper()?,
            endpointer: Endpointer::with_detector(settings.vad.clone(), detector),
            echo: EchoGuard::new(600, settings.echo_margin_db),
            settings,
            dialog,
            out: Vec::new(),
            queue: VecDeque::new(),
            replies: VecDeque::new(),
            next_say: 1,
            playback_start: None,
            frames_sent: 0,
            pending_marks: VecDeque::new(),
            last_frame_at: None,
            paused_at: None,
            resumed_in_utterance: false,
            paused_at_onset: false,
            hangup_after_playback: false,
            transfer_after_playback: None,
            transferring: None,
            calendar_pending: false,
            held: VecDeque::new(),
            utterance_started: None,
            jobs: BTreeMap::new(),
            next_job: 1,
            early: None,
            resumable: None,
            resuming: None,
            expect: Expect::Request,
            last_caller_end: None,
            last_turn_clock: None,
            listening_since: None,
            next_turn: 1,
            closed: false,
            status: CallStatus::InProgress,
        };
        c.dialog_event(
            Event::CallStarted {
                caller_number,
                calendar,
            },
            at,
        );
        let out = c.take();
        Ok((c, out))
    }

    /// Feeds one input; returns what to do, in order.
    pub fn handle(&mut self, input: Input, at: Moment) -> Vec<Output> {
        self.dispatch(input, at);
        self.take()
    }

    fn dispatch(&mut self, input: Input, at: Moment) {
        match input {
            Input::Media(bytes) => self.on_media(&bytes, at),
            held @ (Input::Digit(_) | Input::Transcribed { .. } | Input::Shed { .. })
                if self.calendar_pending =>
            {
                self.held.push_back(held)
            }
            Input::Shed { job } => self.on_shed(job, at),
            Input::Digit(d) => self.on_digit(d, at),
            Input::Mark(name) => self.on_mark(&name),
            Input::Transcribed { job, text } => self.on_transcribed(job, text, at),
            Input::Synthesised {
                say_id,
                index,
                text,
                audio,
            } => self.on_synthesised(say_id, index, text, audio, at),
            Input::Calendar(result) => {
                self.calendar_pending = false;
                self.dialog_event(Event::Calendar(result), at);
                while !self.calendar_pending {
                    let Some(held) = self.held.pop_front() else {
                        break;
                    };
                    self.dispatch(held, at);
                }
            }
            Input::TransferDone(result) => self.on_transfer_done(result, at),
            Input::Tick => self.on_tick(at),
            Input::Stop => {
                info!("caller hung up (stop)");
                self.status = CallStatus::Completed;
                self.closed = true;
            }
            // Still in progress: `status` reports it dropped.
            Input::Closed => self.closed = true,
        }
    }

    /// The line is gone: what the caller was still saying is cut and sent to whisper. The shell
    /// then answers what is still out ([`Self::awaiting_answers`]) and calls [`Self::finish`].
    pub fn line_closed(&mut self, at: Moment) -> Vec<Output> {
        self.closed = true;
        if self.endpointer.in_speech() {
            if let Some(u) = self.endpointer.flush() {
                self.on_utterance(u, at.mono, at);
            }
        }
        self.take()
    }

    /// Whether an answer the call's record needs is still out: a transcription, or a calendar
    /// change the dialog must hear the result of.
    pub fn awaiting_answers(&self) -> bool {
        self.transcriptions_pending() > 0 || self.calendar_pending
    }

    /// Transcriptions asked for whose text has not come back yet.
    pub fn transcriptions_pending(&self) -> usize {
        let held: Vec<u64> = self
            .held
            .iter()
            .filter_map(|i| match i {
                Input::Transcribed { job, .. } | Input::Shed { job } => Some(*job),
                _ => None,
            })
            .collect();
        // A pause's words count once the utterance ended on them.
        let early = self
            .early
            .as_ref()
            .filter(|e| e.ended.is_some())
            .map(|e| e.job);
        self.jobs
            .keys()
            .copied()
            .chain(early)
            .filter(|j| !held.contains(j))
            .count()
    }

    /// The call is over: the dialog hears the hang-up (if it had not ended the call itself) and
    /// records its outcome.
    pub fn finish(&mut self, at: Moment) -> Vec<Output> {
        self.closed = true;
        self.jobs.clear();
        self.early = None;
        if !self.dialog.is_done() {
            self.dialog_event(Event::Hangup, at);
        }
        self.take()
    }

    /// The session failed: the call is recorded as dropped.
    pub fn fail(&mut self) {
        self.closed = true;
        self.status = CallStatus::Dropped;
    }

    /// Whether the call is over (hung up, transferred, closed).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// How the call ended (`Dropped` if it never ended properly).
    pub fn status(&self) -> CallStatus {
        if self.status == CallStatus::InProgress {
            CallStatus::Dropped
        } else {
            self.status
        }
    }

    /// Whether the agent is talking (or about to): speech queued, or a reply not yet played.
    pub fn is_speaking(&self, at: Moment) -> bool {
        !self.queue.is_empty() || self.replies.iter().any(|r| !self.reply_played(r, at))
    }

    fn take(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.out)
    }

    fn emit(&mut self, o: Output) {
        self.out.push(o);
    }

    fn note(&mut self, at: Moment, kind: &'static str, detail: String) {
        self.emit(Output::Note {
            at: at.wall,
            kind,
            detail,
        });
    }

    fn log_turn(
        &mut self,
        speaker: Speaker,
        text: &str,
        at: DateTime<Utc>,
        latency_ms: Option<i64>,
    ) -> i64 {
        let seq = self.next_turn;
        self.next_turn += 1;
        self.emit(Output::Turn {
            seq,
            speaker,
            text: text.to_string(),
            at,
            latency_ms,
        });
        seq
    }

    fn reply_played(&self, r: &Reply, at: Moment) -> bool {
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
                .is_some_and(|t| at.mono.saturating_duration_since(t) > MARK_GRACE)
    }

    fn on_media(&mut self, bytes: &[u8], at: Moment) {
        if bytes.is_empty() || self.closed {
            return;
        }
        let pcm = g711::decode_to_f32(bytes);
        let mut wide = Vec::with_capacity(pcm.len() * 2);
        if let Err(e) = self.resampler.push(&pcm, &mut wide) {
            warn!(error = %e, "resampling failed; frame dropped");
            return;
        }
        // Twilio sends 20 ms frames; other sizes are handled frame by frame.
        let speaking = self.is_speaking(at);
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
            match self.endpointer.push(line, w, guard) {
                Some(Endpoint::Started) => {
                    debug!(level = level_dbfs(line), "caller started speaking");
                    self.utterance_started = Some((at.wall, speaking));
                    self.listening_since = None;
                    self.resuming = self
                        .resumable
                        .take()
                        .filter(|r| self.goes_on_with(r, at))
                        .map(|r| (at.wall, r));
                    if let Some((_, r)) = &self.resuming {
                        debug!("the caller goes on with their last turn");
                        self.endpointer.set_patience(patience_for(r.expect));
                    }
                    self.resumed_in_utterance = false;
                    // A pause at the onset now waits for the utterance's words.
                    self.paused_at_onset = false;
                }
                Some(Endpoint::Ended(u)) => {
                    let silence = self.endpointer.end_silence_ms();
                    let ended = at
                        .mono
                        .checked_sub(Duration::from_millis(silence as u64))
                        .unwrap_or(at.mono);
                    self.on_utterance(u, ended, at);
                }
                Some(Endpoint::Paused(u)) => self.on_pause(u, at),
                None => {}
            }
        }
        // The speech heard so far: the utterance's, or its onset's before it opens (the pause
        // need not wait for `start_ms`).
        let heard_ms = self.endpointer.onset_ms();
        if speaking && self.endpointer.in_speech() && heard_ms >= self.settings.barge_in_ms {
            self.barge_in("speech", at);
        } else if speaking
            && self.settings.pause_playback_ms > 0
            && heard_ms >= self.settings.pause_playback_ms
            && self.paused_at.is_none()
            && !self.resumed_in_utterance
        {
            debug!(heard_ms, "caller speaking over the agent; playback paused");
            self.paused_at = Some(at.mono);
            self.paused_at_onset = !self.endpointer.in_speech();
        } else if self.paused_at_onset && heard_ms == 0 {
            // A sound too short to be speech (a click, a breath): no utterance to wait for.
            self.resume_playback("a burst too short for speech");
        }
        if heard_ms == 0 {
            // No utterance and no onset: the next sound may pause playback again.
            self.resumed_in_utterance = false;
        }
    }

    /// Playback paused for the caller's words goes on where it stopped: they were only a
    /// backchannel, the agent's echo, or nothing whisper could make out.
    fn resume_playback(&mut self, why: &str) {
        self.paused_at_onset = false;
        if self.paused_at.take().is_some() {
            debug!(why, "playback goes on");
            self.resumed_in_utterance = true;
            // The schedule starts again from now, the lead first: no burst of the frames
            // that were due during the pause.
            self.playback_start = None;
        }
    }

    fn on_utterance(&mut self, u: Utterance, ended: Instant, at: Moment) {
        let (started_at, during_agent) = self.utterance_started.take().unwrap_or((at.wall, false));
        debug!(
            speech_ms = u.speech_ms,
            audio_ms = u.audio.len() / 16,
            "caller stopped speaking"
        );
        let mut meta = Job {
            started_at,
            ended,
            during_agent: during_agent && self.is_speaking(at),
            speech_ms: u.speech_ms,
            decided: at.mono,
            at_pause: false,
            sent: at.mono,
            stt: None,
        };
        // Nothing said since the pause whose words are (being) transcribed: those are the turn.
        // (Words of an earlier utterance still with whisper stay its own.)
        if let Some(mut early) = self.early.take_if(|e| e.ended.is_none()) {
            if early.speech_frames * FRAME_MS == u.speech_ms {
                meta.sent = early.sent;
                meta.at_pause = early.complete;
                meta.stt = early
                    .answered
                    .map(|a| a.saturating_duration_since(early.sent));
                match early.text.take() {
                    Some(text) => self.heard(meta, text, at),
                    None => {
                        early.ended = Some(meta);
                        early.ended_audio = u.audio;
                        self.emit(Output::Promote { job: early.job });
                        self.early = Some(early);
                    }
                }
                return;
            }
        }
        let job = self.next_job;
        self.next_job += 1;
        self.jobs.insert(job, meta);
        self.emit(Output::Transcribe {
            job,
            audio: u.audio,
            early: false,
        });
    }

    /// The caller paused: their words so far go to whisper now (one such job at a time), so
    /// the turn can end early on a complete answer, or without another pass when they say
    /// nothing more.
    fn on_pause(&mut self, u: Utterance, at: Moment) {
        if self.early.as_ref().is_some_and(|e| e.text.is_none()) {
            return; // whisper is still on earlier words: they go when it answers
        }
        let job = self.next_job;
        self.next_job += 1;
        self.early = Some(Early {
            job,
            speech_frames: self.endpointer.speech_frames(),
            sent: at.mono,
            answered: None,
            words_ended: at
                .mono
                .checked_sub(Duration::from_millis(
                    self.endpointer.trailing_silence_ms() as u64
                ))
                .unwrap_or(at.mono),
            text: None,
            complete: false,
            ended: None,
            ended_audio: Vec::new(),
        });
        self.emit(Output::Transcribe {
            job,
            audio: u.audio,
            early: true,
        });
    }

    /// The caller is in a pause whose words never went to whisper (it was busy with earlier
    /// ones when the pause began): they go now.
    fn catch_up_pause(&mut self, at: Moment) {
        if self.early.is_none() {
            if let Some(u) = self.endpointer.paused_utterance() {
                self.on_pause(u, at);
            }
        }
    }

    /// Whisper's words for the words before a pause.
    fn on_early(&mut self, mut early: Early, text: Option<String>, at: Moment) {
        early.answered = Some(at.mono);
        if let Some(meta) = early.ended.take() {
            self.heard(meta, text, at);
            return self.catch_up_pause(at);
        }
        let same_pause =
            self.endpointer.in_speech() && self.endpointer.speech_frames() == early.speech_frames;
        if !same_pause {
            // The caller spoke on: the utterance's end decides, or the words to their pause
            // now, if they are in one.
            return self.catch_up_pause(at);
        }
        // Words over the paused agent: known now, not at the utterance's end.
        if self.paused_at.is_some() {
            match text.as_deref() {
                Some(t) if !t.is_empty() && !is_backchannel(t) && !self.is_echo(t, at) => {
                    self.barge_in("short utterance", at)
                }
                _ => self.resume_playback("backchannel, echo or nothing heard"),
            }
        }
        let verdict = text
            .as_deref()
            .map_or(TurnEnd::AsAsked, |t| self.turn_end(t));
        if verdict != TurnEnd::Now {
            // The rest of the silence, by what the words so far say.
            let vad = &self.settings.vad;
            let silence = match verdict {
                TurnEnd::Soon => Some(
                    vad.understood_end_silence_ms
                        .min(vad.end_silence_ms)
                        .min(self.endpointer.end_silence_ms()),
                ),
                TurnEnd::Later => Some(
                    vad.long_end_silence_ms
                        .max(self.endpointer.end_silence_ms()),
                ),
                TurnEnd::Now | TurnEnd::AsAsked => None,
            };
            if silence.is_some() {
                debug!(
                    ?verdict,
                    ?silence,
                    "the words so far set the rest of the silence"
                );
            }
            self.endpointer.set_utterance_silence(silence);
            early.text = Some(text);
            self.early = Some(early);
            return;
        }
        // A complete answer: the turn ends once the caller has been quiet for the short
        // silence, with these words (the endpointer ends the utterance then, and
        // `on_utterance` finds them); at once if they have been already.
        let quick = self.settings.vad.complete_end_silence_ms;
        if self.endpointer.trailing_silence_ms() < quick {
            debug!(
                quick,
                "a complete answer: the turn ends after the short silence"
            );
            self.endpointer.set_utterance_silence(Some(quick));
            early.text = Some(text);
            early.complete = true;
            self.early = Some(early);
            return;
        }
        let Some(u) = self.endpointer.end_now() else {
            return;
        };
        let (started_at, during_agent) = self.utterance_started.take().unwrap_or((at.wall, false));
        let meta = Job {
            started_at,
            ended: early.words_ended,
            during_agent: during_agent && self.is_speaking(at),
            speech_ms: u.speech_ms,
            decided: at.mono,
            at_pause: true,
            sent: early.sent,
            stt: None,
        };
        debug!(
            speech_ms = u.speech_ms,
            "a complete answer ends the turn at a pause"
        );
        self.heard(meta, text, at);
    }

    /// A speculative pass was dropped unrun (see [`Input::Shed`]): if the turn ended waiting
    /// for it, its words go to whisper now as the turn's own pass; otherwise the utterance's
    /// end sends them, with whatever the caller says next.
    fn on_shed(&mut self, job: u64, at: Moment) {
        let Some(mut early) = self.early.take_if(|e| e.job == job) else {
            return;
        };
        debug!(job, "a speculative transcription was shed");
        if let Some(mut meta) = early.ended.take() {
            meta.at_pause = false;
            meta.sent = at.mono;
            meta.stt = None;
            let job = self.next_job;
            self.next_job += 1;
            self.jobs.insert(job, meta);
            self.emit(Output::Transcribe {
                job,
                audio: std::mem::take(&mut early.ended_audio),
                early: false,
            });
        }
    }

    fn on_transcribed(&mut self, job: u64, text: Option<String>, at: Moment) {
        if let Some(early) = self.early.take_if(|e| e.job == job) {
            return self.on_early(early, text, at);
        }
        let Some(meta) = self.jobs.remove(&job) else {
            // The words before a pause the caller then spoke on.
            debug!(job, "a superseded transcription; ignored");
            return;
        };
        self.heard(meta, text, at);
    }

    /// What the caller said in one turn, as whisper heard it.
    fn heard(&mut self, meta: Job, text: Option<String>, at: Moment) {
        let resuming = self
            .resuming
            .take_if(|(started, _)| *started == meta.started_at)
            .map(|(_, r)| r);
        let Some(text) = text else {
            self.resume_playback("transcription failed");
            return; // the shell logged why
        };
        if text.is_empty() {
            self.resume_playback("nothing heard");
            debug!(speech_ms = meta.speech_ms, "nothing intelligible heard");
            self.listening_since = Some(at.mono);
            // The caller spoke to us (not over us) for a while: ask again rather than wait out
            // the silence and ask whether they are still there.
            if !meta.during_agent && meta.speech_ms >= UNHEARD_MIN_MS {
                self.dialog_event(Event::Unheard, at);
            }
            return;
        }
        if (meta.during_agent || resuming.is_some()) && self.is_speaking(at) {
            if is_backchannel(&text) || self.is_echo(&text, at) {
                info!(text = %text, "backchannel or echo while speaking; not an interruption");
                self.resume_playback("backchannel or echo");
                return;
            }
            let why = if resuming.is_some() {
                "the caller went on with their turn"
            } else {
                "short utterance"
            };
            self.barge_in(why, at);
        }
        if self
            .settings
            .fault_panic_on
            .as_deref()
            .is_some_and(|f| text.to_lowercase().contains(&f.to_lowercase()))
        {
            panic!("fault injected: the caller said {text:?}");
        }
        info!(text = %text, "caller");
        self.last_caller_end = Some(meta.ended);
        self.last_turn_clock = Some(TurnClock {
            words_ended: meta.ended,
            decided: meta.decided,
            at_pause: meta.at_pause,
            stt: meta
                .stt
                .unwrap_or_else(|| at.mono.saturating_duration_since(meta.sent)),
            heard: at.mono,
        });
        self.log_turn(Speaker::Caller, &text, meta.started_at, None);
        let text = match resuming {
            Some(r) => {
                info!(before = %r.text, "the caller went on with their turn; heard whole");
                self.note(
                    at,
                    "turn_resumed",
                    format!("{:?} went on with {text:?}", r.text),
                );
                self.dialog = r.dialog;
                self.expect = r.expect;
                if r.updated_caller {
                    self.emit(Output::Caller(self.dialog.caller().clone()));
                }
                went_on(&r.text, &text)
            }
            None => text,
        };
        self.hear(text, meta.ended, at);
    }

    /// The dialog hears a turn's words; the state before is kept while the caller may go on
    /// with the turn (see [`Resumable`]).
    fn hear(&mut self, text: String, words_ended: Instant, at: Moment) {
        let mut before = Resumable {
            dialog: self.dialog.clone(),
            expect: self.expect,
            text: text.clone(),
            words_ended,
            first_say: self.next_say,
            updated_caller: false,
        };
        let actions = self.dialog.handle(Event::Heard(text), at.wall);
        let only_words = actions
            .iter()
            .all(|a| matches!(a, Action::Say { .. } | Action::UpdateCaller(_)));
        before.updated_caller = actions.iter().any(|a| matches!(a, Action::UpdateCaller(_)));
        self.resumable = only_words.then_some(before);
        for action in actions {
            self.act(action, at);
        }
    }

    /// Whether speech starting now goes on with turn `r`: soon enough after its words, and
    /// before the caller could have heard its reply.
    fn goes_on_with(&self, r: &Resumable, at: Moment) -> bool {
        let onset = at
            .mono
            .checked_sub(Duration::from_millis(self.endpointer.onset_ms() as u64))
            .unwrap_or(at.mono);
        if onset.saturating_duration_since(r.words_ended) > RESUME_GAP_MAX {
            return false;
        }
        let mut replies = self
            .replies
            .iter()
            .filter(|reply| reply.id >= r.first_say)
            .peekable();
        // Its replies were cut or have played and been forgotten.
        if replies.peek().is_none() {
            return false;
        }
        let first_frame = replies
            .filter_map(|reply| reply.parts.first().and_then(|p| p.started))
            .min();
        first_frame.is_none_or(|f| onset <= f + REACTION_MIN)
    }

    /// What the caller's words so far say of the turn's end: read as the rest of their last
    /// turn when they are going on with it.
    fn turn_end(&self, text: &str) -> TurnEnd {
        match &self.resuming {
            Some((_, r)) => r.dialog.turn_end(r.expect, &went_on(&r.text, text)),
            None => self.dialog.turn_end(self.expect, text),
        }
    }

    fn on_digit(&mut self, d: char, at: Moment) {
        if self.closed {
            return;
        }
        info!(digit = %d, "keypad");
        self.resumable = None;
        if self.is_speaking(at) {
            self.barge_in("keypad", at);
        }
        self.last_caller_end = Some(at.mono);
        self.last_turn_clock = None;
        self.log_turn(Speaker::Caller, &format!("[keypad {d}]"), at.wall, None);
        self.dialog_event(Event::Digit(d), at);
    }

    fn on_mark(&mut self, name: &str) {
        let Some(pos) = self.pending_marks.iter().position(|(n, ..)| n == name) else {
            return;
        };
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

    fn on_synthesised(
        &mut self,
        say_id: u64,
        index: usize,
        text: String,
        audio: Vec<u8>,
        at: Moment,
    ) {
        let Some(reply) = self.replies.iter_mut().find(|r| r.id == say_id) else {
            return; // cancelled by barge-in
        };
        if !audio.is_empty() {
            reply.first_audio.get_or_insert(at.mono);
        }
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

    fn on_transfer_done(&mut self, result: Result<(), String>, at: Moment) {
        let to = self.transferring.take().unwrap_or_default();
        match result {
            Ok(()) => {
                info!(to = %to, "call transferred");
                self.note(at, "transferred", format!("to {to}"));
                self.dialog_event(Event::Transferred, at);
                self.status = CallStatus::Completed;
                self.emit(Output::Close);
                self.closed = true;
            }
            Err(e) => {
                warn!(error = %e, "transfer failed; taking a message instead");
                self.note(at, "transfer_failed", e);
                self.dialog_event(Event::TransferFailed, at);
            }
        }
    }

    /// Whether `text` is just the agent's own words coming back.
    fn is_echo(&self, text: &str, at: Moment) -> bool {
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
        let Some(reply) = self
            .replies
            .iter()
            .rev()
            .find(|r| !self.reply_played(r, at))
        else {
            return false;
        };
        let said = norm(&reply.text);
        let matched = heard.iter().filter(|w| said.contains(w)).count();
        matched * 10 >= heard.len() * 8 && heard.len() >= 2
    }

    /// Feeds the dialog an event and carries out what it asks.
    fn dialog_event(&mut self, event: Event, at: Moment) {
        for action in self.dialog.handle(event, at.wall) {
            self.act(action, at);
        }
    }

    fn act(&mut self, action: Action, at: Moment) {
        match action {
            Action::Say { .. } | Action::Hangup if self.closed => {}
            Action::Say { text, expect } => self.say(text, expect, at),
            Action::UpdateCaller(info) => self.emit(Output::Caller(info)),
            Action::SetOutcome { outcome, summary } => {
                self.emit(Output::Outcome { outcome, summary })
            }
            Action::Book(m) => self.change_calendar(CalendarChange::Book(m)),
            Action::Move { id, start, end } => {
                self.change_calendar(CalendarChange::Move { id, start, end })
            }
            Action::Cancel { id } => self.change_calendar(CalendarChange::Cancel { id }),
            Action::Escalate { reason } => {
                warn!(%reason, "call escalated");
                self.note(at, "escalation", reason);
            }
            Action::Transfer { to } => self.transfer_after_playback = Some(to),
            Action::Hangup => self.hangup_after_playback = true,
        }
    }

    fn change_calendar(&mut self, change: CalendarChange) {
        self.calendar_pending = true;
        self.emit(Output::Calendar(change));
    }

    fn say(&mut self, text: String, expect: Expect, at: Moment) {
        let id = self.next_say;
        self.next_say += 1;
        let parts = sentences(&text);
        self.endpointer.set_patience(patience_for(expect));
        self.expect = expect;
        self.replies.push_back(Reply {
            id,
            text,
            sentences: parts.len(),
            parts: Vec::new(),
            turn_seq: None,
            answer_to: self.last_caller_end.take(),
            clock: self.last_turn_clock.take(),
            asked: at.mono,
            first_audio: None,
        });
        self.emit(Output::Synthesize {
            say_id: id,
            sentences: parts,
        });
    }

    fn on_tick(&mut self, at: Moment) {
        if self.closed || self.transferring.is_some() {
            return;
        }
        if self.paused_at.is_some_and(|t| {
            !self.endpointer.in_speech()
                && at.mono.saturating_duration_since(t) >= PLAYBACK_PAUSE_MAX
        }) {
            self.resume_playback("no verdict on the caller's words");
        }
        self.pace(at);
        let speaking = self.is_speaking(at);
        // Forget replies that have fully played.
        while self.replies.len() > 1
            && self
                .replies
                .front()
                .is_some_and(|r| self.reply_played(r, at))
        {
            self.replies.pop_front();
        }
        if speaking {
            self.listening_since = None;
            return;
        }
        if let Some(to) = self.transfer_after_playback.take() {
            self.transferring = Some(to.clone());
            self.emit(Output::Transfer { to });
            return;
        }
        if self.hangup_after_playback {
            info!("goodbye said; hanging up");
            self.status = CallStatus::Completed;
            self.emit(Output::Close);
            self.closed = true;
            return;
        }
        // A turn that ended on the words before its pause waits on that pass, not in `jobs`.
        let turn_with_whisper = self.early.as_ref().is_some_and(|e| e.ended.is_some());
        let idle = !self.endpointer.in_speech()
            && self.jobs.is_empty()
            && !turn_with_whisper
            && !self.calendar_pending
            && !self.dialog.is_done();
        if !idle {
            self.listening_since = None;
            return;
        }
        let since = *self.listening_since.get_or_insert(at.mono);
        if at.mono.saturating_duration_since(since) >= self.settings.silence_timeout {
            self.listening_since = None;
            info!("caller silent");
            self.dialog_event(Event::Silence, at);
        }
    }

    /// Sends queued speech at the speed of playback, a few frames ahead.
    fn pace(&mut self, at: Moment) {
        if self.queue.is_empty() || self.paused_at.is_some() {
            self.echo.outgoing(-100.0);
            self.playback_start = None;
            return;
        }
        let start = match self.playback_start {
            Some(s) => s,
            None => {
                self.frames_sent = 0;
                *self.playback_start.insert(at.mono)
            }
        };
        let due = at.mono.saturating_duration_since(start).as_millis() as u64 / 20 + LEAD_FRAMES;
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
                    part.started = Some(at.mono);
                }
                self.on_reply_audio_starts(say_id, at);
            }
            loudest = loudest.max(level_dbfs(&g711::decode_to_f32(&frame)));
            self.emit(Output::Send(Outbound::Media(frame)));
            self.frames_sent += 1;
            self.last_frame_at = Some(at.mono);
            if finished {
                self.queue.pop_front();
                self.pending_marks.push_back((mark.clone(), say_id, index));
                self.emit(Output::Send(Outbound::Mark(mark)));
            }
        }
        self.echo.outgoing(loudest);
    }

    /// The first frame of reply `say_id` goes out: its turn is logged, with the reply latency.
    fn on_reply_audio_starts(&mut self, say_id: u64, at: Moment) {
        let Some(pos) = self.replies.iter().position(|r| r.id == say_id) else {
            return;
        };
        if self.replies[pos].turn_seq.is_some() {
            return;
        }
        let latency = self.replies[pos]
            .answer_to
            .map(|t| at.mono.saturating_duration_since(t).as_millis() as i64);
        let text = self.replies[pos].text.clone();
        info!(text = %text, latency_ms = ?latency, "agent");
        let seq = self.log_turn(Speaker::Agent, &text, at.wall, latency);
        self.replies[pos].turn_seq = Some(seq);
        let r = &self.replies[pos];
        if let Some(clock) = r.clock {
            let detail = reply_timing(&clock, r.asked, r.first_audio.unwrap_or(at.mono), at.mono);
            self.note(at, "reply_timing", detail);
        }
    }

    /// The caller interrupted: playback is cleared, and each reply still playing is cut in the
    /// log to what the caller heard of it: the sentences the far end confirmed and, of the one
    /// playing, the words that fit in the time since its first frame went out (less our lead).
    fn barge_in(&mut self, why: &str, at: Moment) {
        if !self.is_speaking(at) {
            return;
        }
        info!(why, "caller barged in; cutting the agent's speech");
        self.emit(Output::Send(Outbound::Clear));
        // Nothing went out while playback was paused: the caller heard up to the pause.
        let upto = self.paused_at.take().unwrap_or(at.mono);
        self.paused_at_onset = false;
        let mut cuts = Vec::new();
        for r in self.replies.iter().filter(|r| !self.reply_played(r, at)) {
            let mut heard = Vec::new();
            for part in &r.parts {
                if part.played {
                    heard.push(part.text.clone());
                    continue;
                }
                let Some(started) = part.started else { break };
                let heard_ms = (upto.saturating_duration_since(started).as_millis() as u64)
                    .saturating_sub(LEAD_FRAMES * 20);
                let fraction = heard_ms as f64 / (part.frames.max(1) as f64 * 20.0);
                let words = heard_part(&part.text, fraction);
                if !words.is_empty() {
                    heard.push(words);
                }
                if fraction < 1.0 {
                    break;
                }
            }
            if let Some(seq) = r.turn_seq {
                cuts.push((seq, heard.join(" ")));
            }
        }
        for (seq, heard) in cuts {
            self.emit(Output::CutTurn {
                seq,
                heard: heard.clone(),
            });
            self.note(at, "barge_in", format!("{why}; caller heard: {heard:?}"));
        }
        self.queue.clear();
        self.pending_marks.clear();
        self.replies.clear();
        self.playback_start = None;
        self.frames_sent = 0;
        self.last_frame_at = None;
    }
}

/// A turn's words and the words the caller went on with, as one turn. Whisper ends every clip
/// with a full stop, so the one at the end of `first` marks only where the caller paused:
/// it goes, unless it closes an abbreviation ("p.m.").
fn went_on(first: &str, rest: &str) -> String {
    let first = first.trim_end();
    let last_word = first.rsplit(' ').next().unwrap_or(first);
    let first = match first.strip_suffix('.') {
        Some(bare) if !bare.ends_with('.') && !last_word[..last_word.len() - 1].contains('.') => {
            bare
        }
        _ => first,
    };
    format!("{first} {}", rest.trim_start())
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

/// Where a reply's latency went, as `key=value` words (read back by `frontdesk bench`): how the
/// turn ended (`end=pause`, a complete answer at the pause, or `end=silence`), then in ms the
/// wait for the end (`endpoint`: the caller's last word to the decision), whisper's own time
/// (`stt`) and what of it came after the decision (`stt_wait`), the dialog (`dialog`: words
/// heard to the reply asked for, a calendar answer included), the voice's first sentence
/// (`voice`), its first frame going out (`send`) and the whole (`total`, the turn's latency).
fn reply_timing(clock: &TurnClock, asked: Instant, first_audio: Instant, sent: Instant) -> String {
    let ms = |from: Instant, to: Instant| to.saturating_duration_since(from).as_millis();
    format!(
        "end={} endpoint_ms={} stt_ms={} stt_wait_ms={} dialog_ms={} voice_ms={} send_ms={} total_ms={}",
        if clock.at_pause { "pause" } else { "silence" },
        ms(clock.words_ended, clock.decided),
        clock.stt.as_millis(),
        ms(clock.decided, clock.heard),
        ms(clock.heard, asked),
        ms(asked, first_audio),
        ms(first_audio, sent),
        ms(clock.words_ended, sent),
    )
}

/// How long to wait for the caller to finish, given what they are asked for.
fn patience_for(expect: Expect) -> Patience {
    match expect {
        Expect::Digits | Expect::Message | Expect::When => Patience::Long,
        Expect::Spelling => Patience::Spelling,
        Expect::Request => Patience::Request,
        Expect::Free | Expect::YesNo => Patience::Normal,
    }
}
