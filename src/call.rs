//! The per-call session: the tokio shell around the call's [`Conductor`].
//!
//! ```text
//! transport ─► SessionInput ─► Session ─► conductor.handle(Input, Moment) ─► Vec<Output>
//!                                 ▲                                            │
//!     whisper (one job at a time) ┤◄── Transcribe / Synthesize ◄───────────────┤
//!     voice (blocking, by sentence)┘   Send / Close ─► transport               │
//!                                      Turn / CutTurn / Note / Caller / Outcome ─► journal
//!                                      Calendar ─► store, answered as Input::Calendar
//!                                      Transfer ─► provider, answered as Input::TransferDone
//! ```
//!
//! The session authenticates the stream (the per-call token in our TwiML), opens the call's
//! record, journal and recording, runs whisper and the voice off the loop, and carries out the
//! conductor's outputs in order. Pacing, marks, barge-in, echo and backchannel filtering,
//! silence prompts and hanging up are the conductor's (tested with a fake clock).
//!
//! **Architecture Invariant:** the session never parses wire frames, never decides what to say
//! and never decides when; it does the IO the conductor asks for. A panic anywhere in it still
//! closes the call's record, with its notifications.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use tokio::sync::mpsc;
use tracing::{debug, error, info, info_span, warn, Instrument};

use crate::audio::recorder::Recorder;
use crate::audio::vad::Detector;
use crate::logic::conductor::{self, CalendarChange, Conductor, Input, Moment, Output};
use crate::logic::dialog::{CalendarFailure, Dialog};
use crate::logic::domain::Speaker;
use crate::metrics::ActiveCall;
use crate::providers::{FrameError, Inbound, Outbound};
use crate::services::Services;
use crate::speech::stt::{Lane, Speculative};
use crate::speech::tts;
use crate::store::journal::Journal;
use crate::store::{stamp, BookError, CallStatus, NewAppointment};

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

/// One transcription for the call's STT worker: the job, the audio, whether it is speculative.
type SttJob = (u64, Vec<f32>, bool);

/// What the session's helpers (whisper, the voice) hand back.
enum Internal {
    Transcribed(
        u64,
        Result<crate::speech::stt::Transcript, crate::speech::stt::SttError>,
    ),
    /// A speculative transcription was dropped unrun (it became useless while it waited for
    /// a worker, or too many waited).
    Shed(u64),
    /// A calendar change was made (or refused); `note` is the event to log when it was made.
    Calendar {
        result: Result<String, CalendarFailure>,
        note: Option<(&'static str, String)>,
    },
    Synthesised {
        say_id: u64,
        index: usize,
        text: String,
        audio: Result<Vec<u8>, crate::speech::tts::TtsError>,
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

/// A started call: what exists only once the stream is known.
struct Live {
    sid: String,
    conductor: Conductor,
    journal: Journal,
    recorder: Option<Recorder>,
    stt_tx: Option<mpsc::Sender<SttJob>>,
    /// The call's transcriptions as the server's worker pool tells them apart.
    lane: Lane,
    /// Counts the call as active in the metrics while the session holds it.
    _active: ActiveCall,
}

struct Session {
    svc: Arc<Services>,
    out: mpsc::Sender<SessionOutput>,
    span: tracing::Span,
    live: Option<Live>,
    internal_tx: mpsc::Sender<Internal>,
    internal_rx: mpsc::Receiver<Internal>,
    /// The transport is gone or the call is over.
    closed: bool,
    bad_frames: u64,
    /// Bad frames seen before the call was known, recorded on it once it starts.
    early_errors: Vec<(DateTime<Utc>, String)>,
}

impl Session {
    fn new(svc: Arc<Services>, out: mpsc::Sender<SessionOutput>, span: tracing::Span) -> Self {
        let (internal_tx, internal_rx) = mpsc::channel(64);
        Self {
            svc,
            out,
            span,
            live: None,
            internal_tx,
            internal_rx,
            closed: false,
            bad_frames: 0,
            early_errors: Vec::new(),
        }
    }

    fn now(&self) -> Moment {
        Moment {
            mono: Instant::now(),
            wall: self.svc.clock.now(),
        }
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
            let at = self.now().wall;
            if let Some(live) = self.live.as_mut() {
                live.conductor.fail();
                let detail = format!("the call's session failed: {what}");
                live.journal.event(at, "session_failed", &detail);
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
                    Some(SessionInput::BadFrame(e)) => self.on_bad_frame(e),
                    Some(SessionInput::Closed) | None => {
                        self.feed(Input::Closed).await;
                        break;
                    }
                },
                Some(msg) = self.internal_rx.recv() => self.on_internal(msg).await,
                _ = tick.tick() => self.feed(Input::Tick).await,
            }
            if self.closed || self.live.as_ref().is_some_and(|l| l.conductor.is_closed()) {
                break;
            }
        }
    }

    fn on_bad_frame(&mut self, e: FrameError) {
        self.bad_frames += 1;
        let who = self
            .live
            .as_ref()
            .map_or("(stream not started)", |l| l.sid.as_str())
            .to_string();
        if self.bad_frames <= 20 || self.bad_frames.is_power_of_two() {
            warn!(call_sid = %who, error = %e, count = self.bad_frames, "bad media-stream frame ignored");
        }
        if self.bad_frames > 20 {
            return;
        }
        let now = self.svc.clock.now();
        match &self.live {
            Some(l) => l.journal.event(now, "bad_frame", &e.to_string()),
            None => self.early_errors.push((now, e.to_string())),
        }
    }

    async fn on_frame(&mut self, f: Inbound) {
        match f {
            Inbound::Connected => debug!("stream connected"),
            Inbound::Start(start) => self.on_start(start).await,
            Inbound::Media(_) if self.live.is_none() => {
                self.on_bad_frame(FrameError::BeforeStart("media"))
            }
            Inbound::Dtmf(_) if self.live.is_none() => {
                self.on_bad_frame(FrameError::BeforeStart("dtmf"))
            }
            Inbound::Media(bytes) => {
                if let Some(live) = self.live.as_mut() {
                    if let Some(r) = live.recorder.as_mut() {
                        if let Err(e) = r.caller(&bytes) {
                            warn!(error = %e, "recording stopped");
                            live.recorder = None;
                        }
                    }
                }
                self.feed(Input::Media(bytes)).await;
            }
            Inbound::Dtmf(d) => self.feed(Input::Digit(d)).await,
            Inbound::Mark(name) => self.feed(Input::Mark(name)).await,
            Inbound::Stop => self.feed(Input::Stop).await,
        }
    }

    async fn on_start(&mut self, start: crate::providers::StreamStart) {
        if self.live.is_some() {
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
        let param = |name: &str| {
            start
                .parameters
                .get(name)
                .filter(|s| !s.is_empty())
                .cloned()
        };
        let (from, to) = (param("from"), param("to"));
        let now = self.now();
        // The call's row and stream go through the journal, like everything it logs: a slow
        // database delays the log, never the greeting.
        let journal = Journal::start(self.svc.store.clone(), sid.clone());
        let rec_path = self
            .svc
            .config
            .recordings
            .join(format!("{}.wav", sanitize(&sid)));
        let recorder = match Recorder::create(&rec_path) {
            Ok(r) => Some(r),
            Err(e) => {
                warn!(error = %e, "call will not be recorded");
                None
            }
        };
        let rec = recorder.as_ref().map(|r| r.path().display().to_string());
        journal.open(
            from.as_deref(),
            to.as_deref(),
            now.wall,
            &start.stream_id,
            rec.as_deref(),
        );
        for (at, detail) in std::mem::take(&mut self.early_errors) {
            journal.event(at, "bad_frame", &detail);
        }
        let mut calendar = match self.svc.store.booked_from(now.wall).await {
            Ok(c) => c,
            Err(e) => {
                error!(error = %e, "cannot read the calendar; bookings will be refused by the store");
                Vec::new()
            }
        };
        // The executive's own busy time, as last read in the background: never waited for.
        match self.svc.busy.snapshot() {
            Some(s) => calendar.extend(
                s.busy
                    .iter()
                    .filter(|b| b.end > now.wall)
                    .map(crate::logic::ical::Busy::to_booked),
            ),
            None if self.svc.busy.enabled() => {
                warn!("the executive's calendar has not been read yet; slots are offered without its busy time");
                journal.event(
                    now.wall,
                    "calendar_unread",
                    "the executive's calendar has not been read",
                );
            }
            None => {}
        }
        // The desk's contacts count with the persona's lists: a caller blocked (or made a VIP)
        // from the desk is screened so from the next call on.
        let persona = match self.svc.store.contacts().await {
            Ok(c) if c.is_empty() => self.svc.persona.clone(),
            Ok(c) => {
                let listed: Vec<_> = c.iter().map(crate::store::ContactView::listed).collect();
                Arc::new(self.svc.persona.with_contacts(&listed))
            }
            Err(e) => {
                error!(error = %e, "cannot read the desk's contacts; screening by the persona's lists alone");
                journal.event(now.wall, "contacts_unread", &e.to_string());
                self.svc.persona.clone()
            }
        };
        let mut dialog = Dialog::new(persona);
        let on_call = self.svc.config.can_transfer() && self.svc.persona.on_call_at(now.wall);
        dialog.set_transfer_available(on_call);
        let (conductor, first) = match Conductor::start(
            self.settings(),
            self.detector(),
            dialog,
            from,
            calendar,
            now,
        ) {
            Ok(started) => started,
            Err(e) => {
                error!(error = %e, "cannot build the call's resampler; hanging up");
                journal.event(now.wall, "session_failed", &e.to_string());
                self.closed = true;
                return;
            }
        };
        let lane = Lane::new();
        let stt_tx = self.start_stt_worker(lane);
        self.live = Some(Live {
            sid,
            conductor,
            journal,
            recorder,
            stt_tx: Some(stt_tx),
            lane,
            _active: self.svc.metrics.call_started(),
        });
        self.carry_out(first).await;
    }

    /// What judges the caller's frames for speech: this call's own Silero state, or energy.
    fn detector(&self) -> Detector {
        match &self.svc.vad {
            Some(silero) => Detector::Model(Box::new(silero.voice())),
            None => Detector::Energy,
        }
    }

    /// The conductor's rules, from the config.
    fn settings(&self) -> conductor::Settings {
        let c = &self.svc.config;
        conductor::Settings {
            vad: c.vad.clone(),
            barge_in_ms: c.barge_in_ms,
            pause_playback_ms: c.pause_playback_ms,
            silence_timeout: Duration::from_secs(c.silence_timeout_secs),
            echo_margin_db: c.echo_margin_db,
            fault_panic_on: c.fault_panic_on.clone(),
        }
    }

    /// The call's transcriptions, on the server's one pool as the call's own lane: its turns'
    /// own passes one at a time, in order; each speculative pass on a task of its own, so one
    /// waiting for a worker never holds up the turn's pass behind it (which then drops it,
    /// `Transcriber::transcribe_final`). A dropped pass is answered `Internal::Shed`.
    fn start_stt_worker(&self, lane: Lane) -> mpsc::Sender<SttJob> {
        let (tx, mut rx) = mpsc::channel::<SttJob>(8);
        let svc = self.svc.clone();
        let back = self.internal_tx.clone();
        let span = self.span.clone();
        tokio::spawn(
            async move {
                while let Some((job, audio, early)) = rx.recv().await {
                    if early {
                        let (svc, back) = (svc.clone(), back.clone());
                        tokio::spawn(
                            async move {
                                let started = Instant::now();
                                let answer = match svc.stt.transcribe_speculative(lane, audio).await
                                {
                                    Ok(Speculative::Heard(t)) => Internal::Transcribed(job, Ok(t)),
                                    Ok(Speculative::Dropped(why)) => {
                                        svc.metrics.stt_dropped(why.label());
                                        Internal::Shed(job)
                                    }
                                    Err(e) => Internal::Transcribed(job, Err(e)),
                                };
                                if matches!(answer, Internal::Transcribed(..)) {
                                    svc.metrics
                                        .stt_duration
                                        .observe(started.elapsed().as_secs_f64());
                                }
                                // The call may be over: nobody to tell.
                                let _ = back.send(answer).await;
                            }
                            .instrument(span.clone()),
                        );
                        continue;
                    }
                    let started = Instant::now();
                    let result = svc.stt.transcribe_final(lane, audio).await;
                    svc.metrics
                        .stt_duration
                        .observe(started.elapsed().as_secs_f64());
                    if back.send(Internal::Transcribed(job, result)).await.is_err() {
                        break;
                    }
                }
            }
            .instrument(self.span.clone()),
        );
        tx
    }

    /// Hands the conductor an input (once the call is live) and carries out what it asks.
    async fn feed(&mut self, input: Input) {
        let now = self.now();
        let Some(live) = self.live.as_mut() else {
            if matches!(input, Input::Closed | Input::Stop) {
                self.closed = true;
            }
            return;
        };
        let outputs = live.conductor.handle(input, now);
        self.carry_out(outputs).await;
    }

    /// Carries out the conductor's outputs in order; the answer to a transfer goes back to it
    /// once the batch is done, and what it asks then is carried out too.
    async fn carry_out(&mut self, outputs: Vec<Output>) {
        let mut batch = outputs;
        while !batch.is_empty() {
            let mut answers = Vec::new();
            for o in batch {
                if let Some(answer) = self.execute(o).await {
                    answers.push(answer);
                }
            }
            batch = Vec::new();
            for answer in answers {
                let now = self.now();
                if let Some(live) = self.live.as_mut() {
                    batch.extend(live.conductor.handle(answer, now));
                }
            }
        }
    }

    /// Does one output; returns the conductor's answer when it waits for one.
    async fn execute(&mut self, o: Output) -> Option<Input> {
        let live = self.live.as_mut()?;
        match o {
            Output::Send(frame) => {
                if let Some(r) = live.recorder.as_mut() {
                    match &frame {
                        Outbound::Media(audio) => r.agent(audio),
                        Outbound::Clear => r.agent_cleared(),
                        Outbound::Mark(_) => {}
                    }
                }
                self.send(SessionOutput::Frame(frame)).await;
            }
            Output::Close => self.send(SessionOutput::Close).await,
            Output::Transcribe { job, audio, early } => {
                let sent = match &live.stt_tx {
                    Some(tx) => tx.send((job, audio, early)).await.is_ok(),
                    None => false,
                };
                if !sent {
                    error!(job, "the transcriber is gone; an utterance is lost");
                    return Some(Input::Transcribed { job, text: None });
                }
            }
            Output::Promote { job } => {
                debug!(
                    job,
                    "the turn ended on a speculative pass: it waits as the turn's own"
                );
                self.svc.stt.promote(live.lane);
            }
            Output::Synthesize { say_id, sentences } => self.synthesize(say_id, sentences),
            Output::Turn {
                seq,
                speaker,
                text,
                at,
                latency_ms,
            } => {
                if let (Speaker::Agent, Some(ms)) = (speaker, latency_ms) {
                    self.svc.metrics.reply(ms);
                }
                live.journal.turn(seq, speaker, &text, at, latency_ms)
            }
            Output::CutTurn { seq, heard } => live.journal.cut_turn(seq, &heard),
            Output::Note { at, kind, detail } => live.journal.event(at, kind, &detail),
            Output::Caller(info) => live.journal.caller(&info),
            Output::Outcome { outcome, summary } => live.journal.outcome(outcome, summary),
            Output::Calendar(change) => self.change_calendar(change),
            Output::Transfer { to } => return Some(Input::TransferDone(self.transfer(&to).await)),
        }
        None
    }

    /// Synthesises a reply sentence by sentence off the loop; each comes back as it is ready.
    fn synthesize(&self, say_id: u64, sentences: Vec<String>) {
        let svc = self.svc.clone();
        let back = self.internal_tx.clone();
        let span = self.span.clone();
        tokio::task::spawn_blocking(move || {
            let _g = span.enter();
            for (index, sentence) in sentences.into_iter().enumerate() {
                let started = Instant::now();
                let audio = tts::speak_line(svc.tts.as_ref(), &sentence);
                svc.metrics
                    .tts_duration
                    .observe(started.elapsed().as_secs_f64());
                let msg = Internal::Synthesised {
                    say_id,
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

    async fn on_internal(&mut self, msg: Internal) {
        let input = match msg {
            Internal::Transcribed(job, result) => {
                let text = match result {
                    Ok(t) => {
                        debug!(
                            reliable = t.reliable(),
                            no_speech_prob = t.no_speech_prob,
                            avg_logprob = t.avg_logprob,
                            compression_ratio = t.compression_ratio,
                            redecoded = t.redecoded,
                            "whisper's signals"
                        );
                        Some(t.text)
                    }
                    Err(e) => {
                        error!(error = %e, "transcription failed");
                        None
                    }
                };
                Input::Transcribed { job, text }
            }
            Internal::Shed(job) => Input::Shed { job },
            Internal::Calendar { result, note } => {
                if let (Some((kind, detail)), Some(live)) = (note, self.live.as_ref()) {
                    info!(call_sid = %live.sid, kind, %detail, "calendar changed");
                    live.journal.event(self.svc.clock.now(), kind, &detail);
                }
                Input::Calendar(result)
            }
            Internal::Synthesised {
                say_id,
                index,
                text,
                audio,
            } => {
                let audio = audio.unwrap_or_else(|e| {
                    error!(error = %e, "speech synthesis failed; sentence skipped");
                    Vec::new()
                });
                Input::Synthesised {
                    say_id,
                    index,
                    text,
                    audio,
                }
            }
        };
        self.feed(input).await;
    }

    /// Makes a calendar change the dialog asked for, off the loop (the caller's audio never
    /// waits on the database); the result comes back as [`Internal::Calendar`].
    fn change_calendar(&self, change: CalendarChange) {
        let Some(live) = self.live.as_ref() else {
            return;
        };
        let sid = live.sid.clone();
        let now = self.svc.clock.now();
        let svc = self.svc.clone();
        let back = self.internal_tx.clone();
        let work = async move {
            let store = &svc.store;
            // At the caller's "yes", the time is checked against a fresh read of the
            // executive's calendar (the database still refuses overlaps with our own).
            let wished = match &change {
                CalendarChange::Book(m) => Some((m.start, m.end)),
                CalendarChange::Move { start, end, .. } => Some((*start, *end)),
                CalendarChange::Cancel { .. } => None,
            };
            if let (Some((start, end)), Some(cal)) = (wished, svc.caldav.as_ref()) {
                let limit = Duration::from_millis(svc.config.calendar.confirm_timeout_ms);
                let zone = svc.persona.timezone;
                match cal.busy_within(start, end, zone, limit).await {
                    Ok(found) if found.busy.iter().any(|b| b.start < end && b.end > start) => {
                        info!(start = %stamp(start), "the executive's calendar took that time since the call started");
                        let note = Some((
                            "calendar_busy",
                            format!("{} is busy in the executive's calendar", stamp(start)),
                        ));
                        let _ = back
                            .send(Internal::Calendar {
                                result: Err(CalendarFailure::Taken),
                                note,
                            })
                            .await;
                        return;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        warn!(error = %e, "the executive's calendar cannot be read to confirm a time; taking a request instead");
                        svc.metrics.calendar_failures.inc();
                        let note = Some((
                            "tentative_request",
                            format!(
                                "{}: not booked, the executive's calendar could not be read ({e})",
                                stamp(start)
                            ),
                        ));
                        let _ = back
                            .send(Internal::Calendar {
                                result: Err(CalendarFailure::Unavailable),
                                note,
                            })
                            .await;
                        return;
                    }
                }
            }
            let (result, note) = match change {
                CalendarChange::Book(m) => {
                    let new = NewAppointment {
                        start: m.start,
                        end: m.end,
                        caller_name: m.caller_name,
                        caller_number: m.caller_number,
                        purpose: m.purpose,
                        call_sid: Some(sid.clone()),
                    };
                    let r = store.book(&new, now).await;
                    let note = r
                        .as_ref()
                        .ok()
                        .map(|id| ("booked", format!("{id} at {}", stamp(m.start))));
                    (r, note)
                }
                CalendarChange::Move { id, start, end } => {
                    let r = store.move_appointment(&id, start, end, now).await;
                    let note = r
                        .as_ref()
                        .ok()
                        .map(|()| ("rescheduled", format!("{id} to {}", stamp(start))));
                    (r.map(|()| id), note)
                }
                CalendarChange::Cancel { id } => {
                    let r = store.cancel_appointment(&id, now).await;
                    let note = r.as_ref().ok().map(|()| ("cancelled", id.clone()));
                    (r.map(|()| id), note)
                }
            };
            if result.is_ok() {
                // Its event in the executive's calendar is written from the queue.
                svc.calendar_wake.notify_one();
            }
            let result = result.map_err(|e| match e {
                BookError::Taken => CalendarFailure::Taken,
                other => {
                    error!(error = %other, "calendar change failed");
                    svc.metrics.calendar_failures.inc();
                    CalendarFailure::Unavailable
                }
            });
            let _ = back.send(Internal::Calendar { result, note }).await;
        };
        tokio::spawn(work.instrument(self.span.clone()));
    }

    /// Redirects the live call to the on-call human through the provider's REST API. On
    /// success the provider ends the media stream, and so do we.
    async fn transfer(&self, to: &str) -> Result<(), String> {
        let sid = self
            .live
            .as_ref()
            .map(|l| l.sid.clone())
            .unwrap_or_default();
        let say = self.svc.persona.line("transfer_connecting", &[]);
        let status_url = format!(
            "{}/{}/dial-status",
            self.svc.config.public_base(),
            self.svc.provider.name()
        );
        self.svc
            .provider
            .transfer(&sid, to, &say, &status_url)
            .await
            .map_err(|e| e.to_string())
    }

    async fn finish(&mut self) {
        // Nothing the caller said is lost: an utterance cut off by the hang-up is transcribed,
        // and every transcription still running is logged before the call is closed.
        self.closed = true;
        let now = self.now();
        let Some(live) = self.live.as_mut() else {
            return;
        };
        let flushed = live.conductor.line_closed(now);
        self.carry_out(flushed).await;
        if let Some(live) = self.live.as_mut() {
            live.stt_tx = None;
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while self
            .live
            .as_ref()
            .is_some_and(|l| l.conductor.awaiting_answers())
        {
            match tokio::time::timeout_at(deadline, self.internal_rx.recv()).await {
                // A calendar answer may release transcripts held behind it; speech synthesised
                // now is for nobody.
                Ok(Some(
                    msg @ (Internal::Transcribed(..)
                    | Internal::Shed(_)
                    | Internal::Calendar { .. }),
                )) => self.on_internal(msg).await,
                Ok(Some(Internal::Synthesised { .. })) => {}
                Ok(None) | Err(_) => {
                    warn!("transcriptions or a calendar change unfinished at hang-up");
                    break;
                }
            }
        }
        let now = self.now();
        let Some(live) = self.live.as_mut() else {
            return;
        };
        if let Some(r) = live.recorder.as_mut() {
            if let Err(e) = r.finish() {
                warn!(error = %e, "recording not finalised");
            }
        }
        let last = live.conductor.finish(now);
        self.carry_out(last).await;
        self.close_record().await;
    }

    /// Ends the call's record, with the notifications its stored record calls for, in one
    /// transaction.
    async fn close_record(&mut self) {
        let Some(live) = self.live.as_ref() else {
            return;
        };
        let sid = live.sid.clone();
        // Everything the call logged is written before its record is read and closed.
        live.journal.flush().await;
        let status: CallStatus = live.conductor.status();
        let now = self.svc.clock.now();
        // Escalations and messages go into the outbox in the transaction that closes the call.
        let (notes, outcome) = match self.svc.store.get_call(&sid).await {
            Ok(Some(call)) => (crate::notify::for_call(&self.svc, &call), call.outcome),
            Ok(None) => (Vec::new(), None),
            Err(e) => {
                error!(error = %e, "cannot read the call back to notify about it");
                (Vec::new(), None)
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
        self.svc
            .metrics
            .call_ended(status.as_str(), outcome.map(|o| o.as_str()));
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
