//! A Twilio-faithful simulated caller (`frontdesk call`), for demos and tests.
//!
//! It does what Twilio does: posts the voice webhook (signed when an auth token is given),
//! follows the `<Connect><Stream>` it is told, sends `connected` and `start` with the TwiML's
//! parameters, streams the caller's audio as 20 ms µ-law frames in real time (silence between
//! lines, as a real line does), "plays" the agent's audio at real speed, echoes each `mark`
//! when playback reaches it, and honours `clear`. The caller speaks lines from a script with
//! the natural voice, waits for the agent's turn to finish, and measures each reply's latency.

pub mod bench;
pub mod corpus;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use crate::audio::{g711, resample, LINE_FRAME};
use crate::providers::twilio::{
    self, WireDtmf, WireFrame, WireMark, WireMedia, WireStart, WireStop,
};
use crate::speech::stt::Stt;
use crate::speech::tts::{self, TtsEngine};

/// A simulated call that could not be placed or completed.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("webhook request failed: {0}")]
    Webhook(String),
    #[error("webhook answered {status}: {body}")]
    WebhookStatus { status: u16, body: String },
    #[error("the webhook's answer connects no media stream: {0}")]
    NoStream(String),
    #[error("websocket failed: {0}")]
    Socket(String),
    #[error("caller voice failed: {0}")]
    Voice(#[from] crate::speech::tts::TtsError),
    #[error("script line {line}: {reason}")]
    Script { line: usize, reason: String },
}

/// One step of a caller script.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Wait for the agent to finish, then say this.
    Say(String),
    /// Say this at once, even over the agent (barge-in).
    SayNow(String),
    /// Wait for the agent to finish, then press a key.
    Dtmf(char),
    /// Stay silent this long.
    Wait(Duration),
    /// Wait for the agent to finish, then hang up.
    Hangup,
    /// Send this text frame as is (for tests of bad input).
    Raw(String),
}

impl Step {
    /// The words the caller says in this step, if it is a spoken one.
    pub fn spoken(&self) -> Option<&str> {
        match self {
            Step::Say(t) | Step::SayNow(t) => Some(t),
            _ => None,
        }
    }
}

/// Parses a script: one caller line a line; `#` comments; `@now TEXT` barges in;
/// `@dtmf D`, `@wait SECONDS`, `@hangup`, `@raw FRAME`.
pub fn parse_script(text: &str) -> Result<Vec<Step>, SimError> {
    let mut steps = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason: &str| SimError::Script {
            line: i + 1,
            reason: reason.to_string(),
        };
        let step = if let Some(rest) = line.strip_prefix('@') {
            let (cmd, arg) = rest.split_once(' ').unwrap_or((rest, ""));
            match cmd {
                "now" => Step::SayNow(arg.trim().to_string()),
                "dtmf" => Step::Dtmf(
                    arg.trim()
                        .chars()
                        .next()
                        .filter(|c| c.is_ascii_digit() || *c == '*' || *c == '#')
                        .ok_or_else(|| err("@dtmf wants one key: 0-9, * or #"))?,
                ),
                "wait" => Step::Wait(Duration::from_secs_f64(
                    arg.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|s| *s >= 0.0 && *s < 600.0)
                        .ok_or_else(|| err("@wait wants seconds"))?,
                )),
                "hangup" => Step::Hangup,
                "raw" => Step::Raw(arg.to_string()),
                _ => {
                    return Err(err(
                        "unknown command; use @now, @dtmf, @wait, @hangup or @raw",
                    ))
                }
            }
        } else {
            Step::Say(line.to_string())
        };
        steps.push(step);
    }
    Ok(steps)
}

/// How to place the call.
#[derive(Clone)]
pub struct SimOptions {
    /// Where the server listens, e.g. `http://127.0.0.1:8080`.
    pub server: String,
    /// The URL Twilio would have signed (the server's public URL); defaults to `server`.
    pub public_url: Option<String>,
    /// Twilio auth token to sign the webhook with.
    pub auth_token: Option<String>,
    /// Bearer token to fetch the call log afterwards.
    pub api_token: Option<String>,
    /// Caller ID.
    pub from: String,
    /// The number called.
    pub to: String,
    /// The call id (generated when `None`).
    pub call_sid: Option<String>,
    /// Silence after the agent's audio that ends its turn.
    pub turn_gap: Duration,
    /// The longest to wait for any one agent turn.
    pub max_wait: Duration,
    /// Print the conversation as it happens.
    pub print: bool,
    /// Steady noise on the caller's line (dBFS), as on a bad connection.
    pub line_noise_dbfs: Option<f32>,
    /// The agent's own voice coming back down the caller's line, this many dB down.
    pub echo_db: Option<f32>,
    /// Told when the webhook has answered, just before the media stream opens (tests use it to
    /// do something to the server at that moment).
    pub answered: Option<Arc<tokio::sync::Notify>>,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            server: "http://127.0.0.1:8080".into(),
            public_url: None,
            auth_token: None,
            api_token: None,
            from: "+16175550123".into(),
            to: "+16175550100".into(),
            call_sid: None,
            turn_gap: Duration::from_millis(1200),
            max_wait: Duration::from_secs(40),
            print: false,
            line_noise_dbfs: None,
            echo_db: None,
            answered: None,
        }
    }
}

/// One side's turn as the simulated caller experienced it.
#[derive(Debug, Clone)]
pub struct SimTurn {
    /// `caller` or `agent`.
    pub speaker: &'static str,
    /// The caller's scripted words, or the agent's words as transcribed by the caller's side
    /// (empty when no transcriber was given): what the caller's [`Ears`] heard.
    pub text: String,
    /// For agent turns: the reply latency, from the caller's last voiced frame to the agent's
    /// first voiced frame (silences either side excluded), as the caller hears the gap.
    pub latency_ms: Option<u64>,
    /// Seconds of audio.
    pub audio_secs: f64,
}

/// What happened on the call.
#[derive(Debug, Clone)]
pub struct SimReport {
    pub call_sid: String,
    pub turns: Vec<SimTurn>,
    /// The server hung up (closed the stream) rather than the caller.
    pub server_hung_up: bool,
    /// `clear` messages received (barge-ins).
    pub clears: usize,
    /// All agent audio received, µ-law.
    pub agent_audio: Vec<u8>,
    /// The call log as the server's API returned it afterwards (when an API token was given).
    pub call_log: Option<serde_json::Value>,
    /// When each of the agent's media frames arrived.
    pub media_arrivals: Vec<Instant>,
    /// From the media stream's start to the greeting's first voiced frame.
    pub greeting_ms: Option<u64>,
    /// Times the caller started a line over the agent's audio (barge-ins).
    pub barge_attempts: usize,
    /// Each time the server stopped for one (its `clear`): from the caller's first voiced frame
    /// to the end of the agent's audio, which is the `clear`, or earlier when the server paused
    /// to listen and what it had sent ran out with no more after it.
    pub barge_stops_ms: Vec<u64>,
    /// Times the agent's audio came over a line the caller had already begun (the agent spoke
    /// over the caller, or went on after a gap): not barge-ins, since the caller did not
    /// interrupt anything, and a sign that a turn ended before the caller had finished.
    pub overlaps: usize,
    /// Each time the server stopped for one, timed as a barge-in's stop is, from the caller's
    /// first voiced frame over the agent's audio.
    pub overlap_stops_ms: Vec<u64>,
}

/// How long an agent that went quiet while the caller spoke over it may take to say, with its
/// `clear`, that it stopped for them (the server gives up a pause after 3 s).
const PAUSE_VERDICT: Duration = Duration::from_secs(4);

/// A 20 ms frame louder than this (dBFS) is voiced: speech, not silence or a synthesiser's
/// lead-in.
pub const VOICED_DBFS: f32 = -45.0;

/// Whether a µ-law frame is voiced.
pub fn voiced(mulaw: &[u8]) -> bool {
    crate::audio::vad::level_dbfs(&g711::decode_to_f32(mulaw)) > VOICED_DBFS
}

/// The stream URL and parameters from `<Connect><Stream>` TwiML, as Twilio reads it.
pub use crate::providers::twilio::parse_connect_stream as parse_twiml;

/// The caller's phone: agent audio waits here and plays at real speed, 20 ms a tick.
struct Playback {
    /// Audio received and not yet played.
    playout: VecDeque<u8>,
    /// Bytes received / played so far (marks sit at a received-byte position).
    received: u64,
    played: u64,
    marks: VecDeque<(u64, String)>,
    last_media: Option<Instant>,
    turn_audio: Vec<u8>,
    turn_first: Option<Instant>,
    /// The first voiced frame of the agent's turn.
    turn_voiced: Option<Instant>,
    /// What the caller's microphone picks up of the agent, delayed (for echo tests).
    echo_line: VecDeque<i16>,
}

impl Playback {
    fn busy(&self) -> bool {
        !self.playout.is_empty() || !self.marks.is_empty()
    }
}

/// A small deterministic noise source for line noise (shared by the live caller and the
/// corpus renderer, so a noise level means the same on both).
pub struct Noise(u32);

impl Noise {
    /// The live caller's seed.
    pub const SEED: u32 = 0x5eed;

    /// A source starting from `seed`.
    pub fn new(seed: u32) -> Self {
        Self(seed)
    }

    /// The peak amplitude of uniform noise whose RMS is `dbfs`.
    pub fn amplitude(dbfs: f32) -> f32 {
        10f32.powf(dbfs / 20.0) * 3f32.sqrt()
    }

    /// Adds noise at `dbfs` to µ-law audio in place.
    pub fn add_to(&mut self, mulaw: &mut [u8], dbfs: f32) {
        let a = Self::amplitude(dbfs);
        for b in mulaw {
            let x = g711::decode(*b) as f32 / 32768.0 + self.sample() * a;
            *b = g711::encode(g711::f32_to_i16(x));
        }
    }

    /// The next sample in [-1, 1].
    pub fn sample(&mut self) -> f32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (self.0 >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
    }
}

/// Places one call and plays `steps`. `voice` speaks the caller's lines; `transcriber`, when
/// given, transcribes the agent's turns.
pub async fn place_call(
    opts: &SimOptions,
    steps: &[Step],
    voice: Arc<dyn TtsEngine>,
    transcriber: Option<Stt>,
) -> Result<SimReport, SimError> {
    let ears = transcriber.map(|stt| Box::new(stt) as Box<dyn Ears>);
    place_script(opts, steps, voice, ears.as_deref()).await
}

/// Places one call that plays the fixed script `steps`, the agent's turns heard by `ears`
/// (beside the line: the caller reads the next line once the agent has finished, however long
/// the ears take).
pub async fn place_script(
    opts: &SimOptions,
    steps: &[Step],
    voice: Arc<dyn TtsEngine>,
    ears: Option<&dyn Ears>,
) -> Result<SimReport, SimError> {
    let mut script = Steps { steps, next: 0 };
    place_call_with(opts, &mut script, voice, ears).await
}

/// How the simulated caller hears the agent's turns.
#[async_trait::async_trait]
pub trait Ears: Send + Sync {
    /// The words of one agent turn (its µ-law audio as it arrived).
    async fn hear(&self, mulaw: &[u8]) -> String;
}

/// Whisper's ears: each stretch of the agent's audio between pauses, transcribed.
#[async_trait::async_trait]
impl Ears for Stt {
    async fn hear(&self, mulaw: &[u8]) -> String {
        transcribe_line(self, mulaw).await
    }
}

/// Where a simulated caller's steps come from: a fixed script ([`place_call`]) or a caller who
/// decides what to say on hearing the agent (the caller corpus's spoken run).
pub trait CallerScript: Send {
    /// The next step, when it is known before the agent has spoken (a fixed script's); `None`
    /// for a caller who only decides on hearing the agent.
    fn peek(&self) -> Option<&Step>;
    /// Whether no step is left: the caller hangs up once the agent has finished.
    fn finished(&self) -> bool;
    /// Takes the next step, given what the agent said since the caller's last step (as the
    /// caller's transcriber heard it; empty without one). `None`: the caller hangs up.
    fn take(&mut self, agent_said: &str) -> Option<Step>;
    /// Whether the next step waits until the ears have heard the agent's last turn (a caller who
    /// decides on hearing it). A fixed script speaks once the agent has finished, as a person
    /// reading from a sheet would, while its ears are still transcribing.
    fn listens(&self) -> bool {
        true
    }
}

/// A fixed script, step by step.
struct Steps<'a> {
    steps: &'a [Step],
    next: usize,
}

impl CallerScript for Steps<'_> {
    fn peek(&self) -> Option<&Step> {
        self.steps.get(self.next)
    }

    fn finished(&self) -> bool {
        self.next >= self.steps.len()
    }

    fn take(&mut self, _agent_said: &str) -> Option<Step> {
        let step = self.steps.get(self.next).cloned();
        self.next += 1;
        step
    }

    fn listens(&self) -> bool {
        false
    }
}

/// Places one call whose caller follows `script`. `voice` speaks the caller's lines;
/// `ears`, when given, hear the agent's turns (and tell a reactive caller what the agent said).
pub async fn place_call_with(
    opts: &SimOptions,
    script: &mut dyn CallerScript,
    voice: Arc<dyn TtsEngine>,
    ears: Option<&dyn Ears>,
) -> Result<SimReport, SimError> {
    let call_sid = opts
        .call_sid
        .clone()
        .unwrap_or_else(|| format!("CA{}", uuid::Uuid::new_v4().simple()));
    let server = opts.server.trim_end_matches('/');
    let params = twilio::voice_webhook_form(&call_sid, &opts.from, &opts.to);
    let client = reqwest::Client::new();
    let mut req = client.post(format!("{server}/twilio/voice")).form(&params);
    if let Some(token) = &opts.auth_token {
        let base = opts
            .public_url
            .as_deref()
            .unwrap_or(server)
            .trim_end_matches('/');
        let sig = twilio::signature(token, &format!("{base}/twilio/voice"), &params);
        req = req.header(twilio::SIGNATURE_HEADER, sig);
    }
    let resp = req
        .send()
        .await
        .map_err(|e| SimError::Webhook(e.to_string()))?;
    let status = resp.status().as_u16();
    let body = resp
        .text()
        .await
        .map_err(|e| SimError::Webhook(e.to_string()))?;
    if status != 200 {
        return Err(SimError::WebhookStatus { status, body });
    }
    let (stream_url, custom) =
        parse_twiml(&body).ok_or_else(|| SimError::NoStream(body.clone()))?;
    if let Some(answered) = &opts.answered {
        answered.notify_one();
    }
    let (mut ws, _) = tokio_tungstenite::connect_async(stream_url.as_str())
        .await
        .map_err(|e| SimError::Socket(format!("{stream_url}: {e}")))?;

    let stream_sid = format!("MZ{}", uuid::Uuid::new_v4().simple());
    let mut seq: u64 = 0;
    let mut next_seq = || {
        seq += 1;
        Some(seq.to_string())
    };
    let mut connected = WireFrame::new("connected");
    connected.protocol = Some("Call".into());
    connected.version = Some("1.0.0".into());
    let mut start = WireFrame::new("start");
    start.sequence_number = next_seq();
    start.stream_sid = Some(stream_sid.clone());
    start.start = Some(WireStart {
        account_sid: "ACsimulated".into(),
        stream_sid: stream_sid.clone(),
        call_sid: call_sid.clone(),
        tracks: vec!["inbound".into()],
        custom_parameters: custom.into_iter().collect(),
        media_format: Some(twilio::WireMediaFormat {
            encoding: "audio/x-mulaw".into(),
            sample_rate: 8000,
            channels: 1,
        }),
    });
    let sock = |e: tokio_tungstenite::tungstenite::Error| SimError::Socket(e.to_string());
    ws.send(Message::Text(connected.to_json().into()))
        .await
        .map_err(sock)?;
    ws.send(Message::Text(start.to_json().into()))
        .await
        .map_err(sock)?;

    let mut report = SimReport {
        call_sid: call_sid.clone(),
        turns: Vec::new(),
        server_hung_up: false,
        clears: 0,
        agent_audio: Vec::new(),
        call_log: None,
        media_arrivals: Vec::new(),
        greeting_ms: None,
        barge_attempts: 0,
        barge_stops_ms: Vec::new(),
        overlaps: 0,
        overlap_stops_ms: Vec::new(),
    };
    let stream_started = Instant::now();
    let mut play = Playback {
        playout: VecDeque::new(),
        received: 0,
        played: 0,
        marks: VecDeque::new(),
        last_media: None,
        turn_audio: Vec::new(),
        turn_first: None,
        turn_voiced: None,
        echo_line: VecDeque::new(),
    };
    // The echo path: 120 ms of delay.
    let echo_delay = 960;
    let echo_gain = opts.echo_db.map(|db| 10f32.powf(db / 20.0));
    let noise_amp = opts.line_noise_dbfs.map(Noise::amplitude);
    let mut noise = Noise::new(Noise::SEED);
    let mut outgoing: VecDeque<u8> = VecDeque::new();
    let mut chunk: u64 = 0;
    // What the agent said since the caller's last step.
    let mut agent_said: Vec<String> = Vec::new();
    let mut speech_end: Option<Instant> = None;
    // The caller's last voiced frame so far, and the first of an utterance said over the agent
    // that the server has not yet stopped for.
    let mut last_voiced: Option<Instant> = None;
    let mut barging: Option<Instant> = None;
    // Whether `barging` is a barge-in (the caller began their line over the agent) rather than
    // an overlap (the agent's audio came over a line already begun).
    let mut interrupting = false;
    // The caller's current line has had a voiced frame.
    let mut line_voiced = false;
    // While barging: when the agent's audio ran out (and stayed out, so far).
    let mut ran_dry: Option<Instant> = None;
    let mut waiting_since = Instant::now();
    let mut wait_until: Option<Instant> = None;
    let mut caller_hung_up = false;
    let mut awaiting_reply = true;
    // When the caller last finished saying or keying something.
    let mut last_action: Option<Instant> = None;
    // The agent's last turn while the caller's ears still listen to it: whisper runs beside
    // the line, which keeps flowing 20 ms a frame as a phone line does (awaited in the loop, a
    // slow transcription on a busy machine stopped the caller's audio for seconds, and the
    // server rightly heard a silent line). The turn's index in the report and whether it
    // answered the caller's last step.
    let mut hearing: VecDeque<(BoxFuture<'_, String>, usize, bool)> = VecDeque::new();
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    // A send that fails once the stream runs means the server has let go of the line (a
    // transfer, a hang-up whose close frame is still on its way): the call is over, as on a
    // real phone, not a failed simulation.
    macro_rules! send_or_end {
        ($line:lifetime, $msg:expr) => {
            if let Err(e) = ws.send($msg).await {
                tracing::debug!(error = %e, "the line closed while the caller was sending");
                report.server_hung_up = !caller_hung_up;
                break $line;
            }
        };
    }

    // Turns printed so far: in the order taken, each agent turn once its words are heard.
    let mut printed = 0;
    'line: loop {
        if opts.print {
            print_turns(&report, &mut printed, hearing.front().map(|h| h.1));
        }
        tokio::select! {
            text = async { hearing.front_mut().map(|h| &mut h.0).expect("guarded").await }, if !hearing.is_empty() => {
                let Some((_, index, answered)) = hearing.pop_front() else { continue };
                heard_turn(&mut report, index, text, &mut agent_said);
                if script.listens() {
                    if answered && outgoing.is_empty() {
                        awaiting_reply = false;
                    }
                    waiting_since = Instant::now();
                }
            }
            msg = ws.next() => {
                let text = match msg {
                    Some(Ok(Message::Text(t))) => t.to_string(),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {
                        report.server_hung_up = !caller_hung_up;
                        break;
                    }
                    Some(Ok(_)) => continue,
                };
                let Ok(frame) = serde_json::from_str::<WireFrame>(&text) else { continue };
                let now = Instant::now();
                match frame.event.as_str() {
                    "media" => {
                        let Some(m) = frame.media else { continue };
                        let Ok(bytes) = twilio::decode_payload(&m.payload) else { continue };
                        play.playout.extend(bytes.iter().copied());
                        play.received += bytes.len() as u64;
                        if play.turn_first.is_none() {
                            play.turn_first = Some(now);
                        }
                        // Audio again: a gap between sentences, not a stop.
                        ran_dry = None;
                        if play.turn_voiced.is_none() && voiced(&bytes) {
                            play.turn_voiced = Some(now);
                            if report.greeting_ms.is_none() {
                                report.greeting_ms =
                                    Some(now.duration_since(stream_started).as_millis() as u64);
                            }
                        }
                        play.last_media = Some(now);
                        report.media_arrivals.push(now);
                        play.turn_audio.extend_from_slice(&bytes);
                        report.agent_audio.extend_from_slice(&bytes);
                    }
                    "mark" => {
                        if let Some(m) = frame.mark {
                            play.marks.push_back((play.received, m.name));
                        }
                    }
                    "clear" => {
                        // Twilio drops the buffered audio and returns the pending marks.
                        report.clears += 1;
                        if let Some(b) = barging.take() {
                            let stopped = ran_dry.take().unwrap_or(now).min(now);
                            let ms = stopped.duration_since(b).as_millis() as u64;
                            if interrupting {
                                report.barge_stops_ms.push(ms);
                            } else {
                                report.overlap_stops_ms.push(ms);
                            }
                        }
                        play.played += play.playout.len() as u64;
                        play.playout.clear();
                    }
                    _ => {}
                }
            }
            _ = tick.tick() => {
                let now = Instant::now();
                // Play 20 ms of agent audio; its echo goes down the caller's line later.
                let n = play.playout.len().min(LINE_FRAME);
                let playing: Vec<u8> = play.playout.drain(..n).collect();
                play.played += n as u64;
                // The agent's audio ran out under the caller: where it stopped, if the server's
                // `clear` follows with nothing sent in between.
                if barging.is_some() && play.playout.is_empty() && ran_dry.is_none() {
                    ran_dry = Some(now);
                }
                if echo_gain.is_some() {
                    play.echo_line.extend(playing.iter().map(|&b| g711::decode(b)));
                    play.echo_line.extend(std::iter::repeat_n(0, LINE_FRAME - n));
                }
                // Echo marks whose audio has played.
                while play.marks.front().is_some_and(|(at, _)| *at <= play.played) {
                    let Some((_, name)) = play.marks.pop_front() else { break };
                    let mut f = WireFrame::new("mark");
                    f.sequence_number = next_seq();
                    f.stream_sid = Some(stream_sid.clone());
                    f.mark = Some(WireMark { name });
                    send_or_end!('line, Message::Text(f.to_json().into()));
                }
                // The caller's line: speech if queued, else silence, 20 ms a frame.
                let mut frame = vec![g711::SILENCE; LINE_FRAME];
                let had_speech = !outgoing.is_empty();
                for b in frame.iter_mut() {
                    match outgoing.pop_front() {
                        Some(s) => *b = s,
                        None => break,
                    }
                }
                if had_speech && voiced(&frame) {
                    last_voiced = Some(now);
                    // Said over the agent's audio, timed to the server's `clear`: a barge-in
                    // when the line begins over it, else the agent came over a caller already
                    // speaking (an overlap, counted apart).
                    if barging.is_none() && play.busy() && play.turn_voiced.is_some() {
                        barging = Some(now);
                        interrupting = !line_voiced;
                        if interrupting {
                            report.barge_attempts += 1;
                        } else {
                            report.overlaps += 1;
                        }
                    }
                    line_voiced = true;
                }
                if had_speech && outgoing.is_empty() {
                    speech_end = last_voiced.or(Some(now));
                    last_action = Some(now);
                    waiting_since = now;
                }
                if noise_amp.is_some() || echo_gain.is_some() {
                    for b in frame.iter_mut() {
                        let mut x = g711::decode(*b) as f32 / 32768.0;
                        if let Some(a) = noise_amp {
                            x += noise.sample() * a;
                        }
                        if let Some(g) = echo_gain {
                            if play.echo_line.len() > echo_delay {
                                x += play.echo_line.pop_front().unwrap_or(0) as f32 / 32768.0 * g;
                            }
                        }
                        *b = g711::encode(g711::f32_to_i16(x));
                    }
                }
                chunk += 1;
                let mut f = WireFrame::new("media");
                f.sequence_number = next_seq();
                f.stream_sid = Some(stream_sid.clone());
                f.media = Some(WireMedia {
                    track: Some("inbound".into()),
                    chunk: Some(chunk.to_string()),
                    timestamp: Some(((chunk - 1) * 20).to_string()),
                    payload: twilio::encode_payload(&frame),
                });
                send_or_end!('line, Message::Text(f.to_json().into()));

                // Has the agent finished its turn?
                let agent_busy = play.busy();
                // An agent that went quiet under the caller may only have paused to listen: its
                // turn is over once the server had time to say whether it stops (its `clear`).
                let paused = barging.is_some()
                    && ran_dry.is_some_and(|t| now.duration_since(t) < PAUSE_VERDICT);
                let agent_done = !agent_busy
                    && !paused
                    && play.last_media.is_some_and(|t| now.duration_since(t) >= opts.turn_gap);
                if agent_done && play.turn_first.is_some() {
                    let audio = std::mem::take(&mut play.turn_audio);
                    let first = play.turn_first.take();
                    let voiced_at = play.turn_voiced.take();
                    // The agent finished its turn without stopping: no longer a barge-in.
                    barging = None;
                    ran_dry = None;
                    let latency = match (speech_end, voiced_at) {
                        (Some(e), Some(f)) if f > e => Some(f.duration_since(e).as_millis() as u64),
                        _ => None,
                    };
                    speech_end = None;
                    report.turns.push(SimTurn {
                        speaker: "agent",
                        text: String::new(),
                        latency_ms: latency,
                        audio_secs: audio.len() as f64 / 8000.0,
                    });
                    let index = report.turns.len() - 1;
                    waiting_since = now;
                    // Only audio that began after the caller finished answers the caller.
                    let answered = match (first, last_action) {
                        (Some(f), Some(a)) => f > a,
                        (Some(_), None) => true,
                        _ => false,
                    };
                    match ears {
                        Some(ears) => hearing.push_back((Box::pin(async move { ears.hear(&audio).await }), index, answered)),
                        None => heard_turn(&mut report, index, String::new(), &mut agent_said),
                    }
                    if answered && outgoing.is_empty() && (ears.is_none() || !script.listens()) {
                        awaiting_reply = false;
                    }
                }
                if wait_until.is_some_and(|w| now >= w) {
                    wait_until = None;
                }
                let heard = hearing.is_empty() || !script.listens();
                let ready = outgoing.is_empty()
                    && heard
                    && play.turn_first.is_none()
                    && !agent_busy
                    && !awaiting_reply
                    && wait_until.is_none();
                let gave_up = awaiting_reply
                    && outgoing.is_empty()
                    && heard
                    && play.turn_first.is_none()
                    && now.duration_since(waiting_since) >= opts.max_wait;
                // A step that barges in does not wait for the agent.
                let barge = matches!(script.peek(), Some(Step::SayNow(_)) | Some(Step::Raw(_)));
                if script.finished() {
                    if ready || gave_up {
                        caller_hung_up = true;
                        break;
                    }
                    continue;
                }
                let barge_now = match script.peek() {
                    Some(Step::SayNow(_)) => play.turn_first.is_some_and(|f| now.duration_since(f) >= Duration::from_millis(1500)),
                    _ => true,
                };
                if !(ready || gave_up || (barge && barge_now && outgoing.is_empty() && wait_until.is_none())) {
                    continue;
                }
                let Some(step) = script.take(&agent_said.join(" ")) else {
                    caller_hung_up = true;
                    break;
                };
                agent_said.clear();
                waiting_since = now;
                match step {
                    Step::Say(text) | Step::SayNow(text) => {
                        let voice = voice.clone();
                        let t = text.clone();
                        let audio = tokio::task::spawn_blocking(move || tts::speak_line(voice.as_ref(), &t))
                            .await
                            .map_err(|e| SimError::Socket(e.to_string()))??;
                        let turn = SimTurn {
                            speaker: "caller",
                            text,
                            latency_ms: None,
                            audio_secs: audio.len() as f64 / 8000.0,
                        };
                        report.turns.push(turn);
                        outgoing.extend(audio);
                        line_voiced = false;
                        awaiting_reply = true;
                    }
                    Step::Dtmf(d) => {
                        let mut f = WireFrame::new("dtmf");
                        f.sequence_number = next_seq();
                        f.stream_sid = Some(stream_sid.clone());
                        f.dtmf = Some(WireDtmf { track: Some("inbound_track".into()), digit: d.to_string() });
                        send_or_end!('line, Message::Text(f.to_json().into()));
                        let turn = SimTurn { speaker: "caller", text: format!("[keypad {d}]"), latency_ms: None, audio_secs: 0.0 };
                        report.turns.push(turn);
                        speech_end = Some(now);
                        last_action = Some(now);
                        awaiting_reply = true;
                    }
                    Step::Wait(d) => wait_until = Some(now + d),
                    Step::Raw(text) => {
                        send_or_end!('line, Message::Text(text.into()));
                    }
                    Step::Hangup => {
                        caller_hung_up = true;
                        break;
                    }
                }
            }
        }
    }
    if caller_hung_up {
        let mut stop = WireFrame::new("stop");
        stop.sequence_number = next_seq();
        stop.stream_sid = Some(stream_sid.clone());
        stop.stop = Some(WireStop {
            account_sid: "ACsimulated".into(),
            call_sid: call_sid.clone(),
        });
        let _ = ws.send(Message::Text(stop.to_json().into())).await;
        let _ = ws.close(None).await;
    }
    // A turn still heard, then one still being played, when the line closed.
    while let Some((pending, index, _)) = hearing.pop_front() {
        heard_turn(&mut report, index, pending.await, &mut agent_said);
    }
    if play.turn_first.is_some() && !play.turn_audio.is_empty() {
        let audio = std::mem::take(&mut play.turn_audio);
        let latency = match (speech_end, play.turn_voiced) {
            (Some(e), Some(f)) if f > e => Some(f.duration_since(e).as_millis() as u64),
            _ => None,
        };
        report.turns.push(SimTurn {
            speaker: "agent",
            text: String::new(),
            latency_ms: latency,
            audio_secs: audio.len() as f64 / 8000.0,
        });
        let text = match ears {
            Some(ears) => ears.hear(&audio).await,
            None => String::new(),
        };
        let index = report.turns.len() - 1;
        heard_turn(&mut report, index, text, &mut agent_said);
    }
    if opts.print {
        print_turns(&report, &mut printed, None);
    }
    if let Some(token) = &opts.api_token {
        // The server writes the call's end as the stream closes; give it a moment.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let resp = client
            .get(format!("{server}/api/calls/{call_sid}"))
            .bearer_auth(token)
            .send()
            .await;
        if let Ok(r) = resp {
            if r.status().is_success() {
                report.call_log = r.json().await.ok();
            }
        }
    }
    Ok(report)
}

/// What whisper hears of the agent's audio: each stretch between pauses transcribed on its own,
/// so a long turn (a read-back of name, number and message) is heard whole.
async fn transcribe_line(stt: &Stt, mulaw: &[u8]) -> String {
    let mut heard = Vec::new();
    for piece in between_pauses(mulaw) {
        let pcm = g711::decode_to_f32(piece);
        let Ok(wide) = resample::resample(&pcm, 8_000, 16_000) else {
            continue;
        };
        if let Ok(t) = stt.transcribe(wide).await {
            if !t.text.is_empty() {
                heard.push(t.text);
            }
        }
    }
    heard.join(" ")
}

/// A pause between an agent's sentences: this many unvoiced 20 ms frames.
const PAUSE_FRAMES: usize = 12;

/// The stretches of `mulaw` between pauses of [`PAUSE_FRAMES`] or more, each with a little of
/// the quiet around it; silence alone is no stretch.
fn between_pauses(mulaw: &[u8]) -> Vec<&[u8]> {
    let frames: Vec<bool> = mulaw.chunks(LINE_FRAME).map(voiced).collect();
    let mut pieces = Vec::new();
    let (mut start, mut quiet) = (None::<usize>, 0usize);
    for (k, &v) in frames.iter().enumerate() {
        if v {
            start.get_or_insert(k.saturating_sub(PAUSE_FRAMES / 2));
            quiet = 0;
        } else if let Some(s) = start {
            quiet += 1;
            if quiet >= PAUSE_FRAMES {
                let end = k + 1 - PAUSE_FRAMES / 2;
                pieces.push(&mulaw[s * LINE_FRAME..(end * LINE_FRAME).min(mulaw.len())]);
                start = None;
            }
        }
    }
    if let Some(s) = start {
        pieces.push(&mulaw[s * LINE_FRAME..]);
    }
    pieces
}

/// Writes what the caller's ears heard of the agent's turn `index` into the report and keeps
/// its words for the caller's next decision.
fn heard_turn(report: &mut SimReport, index: usize, text: String, agent_said: &mut Vec<String>) {
    let Some(turn) = report.turns.get_mut(index) else {
        return;
    };
    turn.text = text;
    if !turn.text.is_empty() {
        agent_said.push(turn.text.clone());
    }
}

/// Prints the report's turns from `printed` on, in the order they were taken, up to the one
/// the ears are still hearing (`pending`).
fn print_turns(report: &SimReport, printed: &mut usize, pending: Option<usize>) {
    let end = pending
        .unwrap_or(report.turns.len())
        .min(report.turns.len());
    for t in report.turns.get(*printed..end).into_iter().flatten() {
        print_turn(t);
    }
    *printed = (*printed).max(end);
}

fn print_turn(t: &SimTurn) {
    match t.speaker {
        "caller" => println!("  caller ▸ {}", t.text),
        _ => {
            let latency = t
                .latency_ms
                .map(|l| format!("reply latency {l} ms"))
                .unwrap_or_else(|| "opening".into());
            let words = if t.text.is_empty() {
                format!("[{:.1} s of speech]", t.audio_secs)
            } else {
                t.text.clone()
            };
            println!("  agent  ◂ {words}   ({latency}, {:.1} s)", t.audio_secs);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_audio_is_heard_between_its_pauses() {
        let voiced_frame = |n: usize| -> Vec<u8> {
            (0..n * LINE_FRAME)
                .map(|k| g711::encode(if k % 2 == 0 { 8000 } else { -8000 }))
                .collect()
        };
        let quiet = |n: usize| vec![g711::SILENCE; n * LINE_FRAME];
        let line = [
            quiet(20),
            voiced_frame(30),
            quiet(5),
            voiced_frame(10),
            quiet(30),
            voiced_frame(25),
            quiet(3),
        ]
        .concat();
        let pieces = between_pauses(&line);
        // A 100 ms gap is within a sentence; a 600 ms one separates two.
        assert_eq!(pieces.len(), 2);
        assert!(pieces[0].iter().filter(|b| **b != g711::SILENCE).count() == 40 * LINE_FRAME);
        assert!(pieces[1].iter().filter(|b| **b != g711::SILENCE).count() == 25 * LINE_FRAME);
        assert!(between_pauses(&quiet(50)).is_empty());
    }

    #[test]
    fn scripts_parse() {
        let s =
            parse_script("# a caller\nHello there.\n\n@now Stop!\n@dtmf 1\n@wait 1.5\n@hangup\n")
                .unwrap();
        assert_eq!(
            s,
            vec![
                Step::Say("Hello there.".into()),
                Step::SayNow("Stop!".into()),
                Step::Dtmf('1'),
                Step::Wait(Duration::from_millis(1500)),
                Step::Hangup
            ]
        );
        assert!(parse_script("@dtmf x").is_err());
        assert!(parse_script("@bogus").is_err());
    }

    #[test]
    fn twiml_is_followed() {
        let xml = twilio::connect_stream_twiml(
            "ws://127.0.0.1:1/twilio/stream",
            &[("token", "a&b"), ("from", "+1")],
        );
        let (url, params) = parse_twiml(&xml).unwrap();
        assert_eq!(url, "ws://127.0.0.1:1/twilio/stream");
        assert_eq!(
            params,
            vec![("token".into(), "a&b".into()), ("from".into(), "+1".into())]
        );
    }
}
