//! The conductor with a fake clock: every input comes at a [`Moment`] the test chooses, the
//! test plays whisper (it answers each `Transcribe` with the text it wants heard) and the voice
//! (each sentence becomes a tone of a length the test picks), so a two-minute call runs in
//! milliseconds.

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

use std::time::Instant;

use crate::audio::noise::{line_noise, LineNoise};
use crate::logic::persona::{default_persona, Persona};

/// Tuesday 2026-11-24, 19:30 in Boston: after hours.
fn evening() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T19:30:00-05:00")
        .unwrap()
        .with_timezone(&Utc)
}

/// Without early transcription at pauses: the tests of everything else see one job an
/// utterance, at its end ([`with_pauses`] turns it on).
fn settings() -> Settings {
    Settings {
        vad: VadConfig {
            pause_ms: 0,
            ..VadConfig::default()
        },
        barge_in_ms: 900,
        pause_playback_ms: 0,
        silence_timeout: Duration::from_secs(8),
        echo_margin_db: -12.0,
        fault_panic_on: None,
    }
}

/// `ms` of a 440 Hz tone at `dbfs` as 8 kHz µ-law: the agent's voice or a caller speaking.
fn tone(ms: u32, dbfs: f32) -> Vec<u8> {
    let amp = 10f32.powf(dbfs / 20.0) * std::f32::consts::SQRT_2;
    let n = (ms * 8) as usize;
    let pcm: Vec<f32> = (0..n)
        .map(|i| amp * (i as f32 * 440.0 * std::f32::consts::TAU / 8_000.0).sin())
        .collect();
    g711::encode_from_f32(&pcm)
}

/// The agent's sentences are this long on the line (a tone of 50 frames: one second).
const SENTENCE_MS: u32 = 1_000;
/// The caller speaks this loud; the agent's voice is quieter (its echo guard sits 12 dB below).
const CALLER_DB: f32 = -15.0;
const AGENT_DB: f32 = -20.0;

/// One call on a fake line: the test is the caller, whisper and the voice.
struct Line {
    c: Conductor,
    t0: Instant,
    now: Moment,
    /// Frames sent, with when (ms since the start).
    sent: Vec<(u64, Outbound)>,
    turns: Vec<(i64, Speaker, String, Option<i64>)>,
    cuts: Vec<(i64, String)>,
    notes: Vec<(&'static str, String)>,
    /// Transcriptions asked for and not answered: job and audio length (ms).
    jobs: VecDeque<(u64, usize)>,
    /// The same for the words before a pause (only with `pause_ms` set).
    early_jobs: VecDeque<(u64, usize)>,
    /// Speculative jobs made a turn's own pass, in order.
    promoted: Vec<u64>,
    /// Replies asked for and not synthesised.
    synth: VecDeque<(u64, Vec<String>)>,
    calendar: Vec<CalendarChange>,
    transfers: Vec<String>,
    closed: bool,
    /// Whether the far end answers marks.
    marks_echoed: bool,
    /// Synthesise replies as soon as they are asked for.
    auto_voice: bool,
}

impl Line {
    fn new(caller: Option<&str>, transfer: bool, settings: Settings) -> Self {
        Self::with_voice(caller, transfer, settings, true, default_persona())
    }

    /// A call to a persona that asks new callers to spell their names (as shipped).
    fn spelling_names(settings: Settings) -> Self {
        let mut persona = default_persona();
        persona.spell_names = true;
        Self::with_voice(Some("+16175550123"), false, settings, true, persona)
    }

    /// A call whose replies the test synthesises itself (`auto_voice` off).
    fn unvoiced() -> Self {
        Self::with_voice(
            Some("+16175550123"),
            false,
            settings(),
            false,
            default_persona(),
        )
    }

    fn with_voice(
        caller: Option<&str>,
        transfer: bool,
        settings: Settings,
        auto_voice: bool,
        persona: Persona,
    ) -> Self {
        let persona = std::sync::Arc::new(persona);
        let mut dialog = Dialog::new(persona);
        dialog.set_transfer_available(transfer);
        let t0 = Instant::now();
        let now = Moment {
            mono: t0,
            wall: evening(),
        };
        let (c, first) = Conductor::start(
            settings,
            Detector::Energy,
            dialog,
            caller.map(str::to_string),
            Vec::new(),
            now,
        )
        .unwrap();
        let mut line = Self {
            c,
            t0,
            now,
            sent: Vec::new(),
            turns: Vec::new(),
            cuts: Vec::new(),
            notes: Vec::new(),
            jobs: VecDeque::new(),
            early_jobs: VecDeque::new(),
            promoted: Vec::new(),
            synth: VecDeque::new(),
            calendar: Vec::new(),
            transfers: Vec::new(),
            closed: false,
            marks_echoed: true,
            auto_voice,
        };
        line.take(first);
        line
    }

    /// A call from a number the persona does not know, no transfer.
    fn call() -> Self {
        Self::new(Some("+16175550123"), false, settings())
    }

    fn ms(&self) -> u64 {
        self.now.mono.duration_since(self.t0).as_millis() as u64
    }

    fn feed(&mut self, input: Input) {
        let out = self.c.handle(input, self.now);
        self.take(out);
    }

    fn take(&mut self, outputs: Vec<Output>) {
        let mut marks = Vec::new();
        for o in outputs {
            match o {
                Output::Send(f) => {
                    if let Outbound::Mark(m) = &f {
                        marks.push(m.clone());
                    }
                    self.sent.push((self.ms(), f));
                }
                Output::Transcribe { job, audio, early } => {
                    let ms = audio.len() / 16;
                    if early {
                        self.early_jobs.push_back((job, ms));
                    } else {
                        self.jobs.push_back((job, ms));
                    }
                }
                Output::Synthesize { say_id, sentences } => {
                    self.synth.push_back((say_id, sentences))
                }
                Output::Turn {
                    seq,
                    speaker,
                    text,
                    latency_ms,
                    ..
                } => self.turns.push((seq, speaker, text, latency_ms)),
                Output::CutTurn { seq, heard } => self.cuts.push((seq, heard)),
                Output::Note { kind, detail, .. } => self.notes.push((kind, detail)),
                Output::Caller(_) | Output::Outcome { .. } => {}
                Output::Calendar(change) => self.calendar.push(change),
                Output::Transfer { to } => self.transfers.push(to),
                Output::Close => self.closed = true,
                Output::Promote { job } => self.promoted.push(job),
            }
        }
        if self.auto_voice {
            self.voice();
        }
        if self.marks_echoed {
            // The far end plays what it was sent; its mark comes back when the sentence ends,
            // which is (at most) the lead ahead of now.
            for m in marks {
                self.feed(Input::Mark(m));
            }
        }
    }

    /// The voice answers every reply asked for: each sentence a one-second tone.
    fn voice(&mut self) {
        while let Some((say_id, sentences)) = self.synth.pop_front() {
            for (index, text) in sentences.into_iter().enumerate() {
                self.feed(Input::Synthesised {
                    say_id,
                    index,
                    text,
                    audio: tone(SENTENCE_MS, AGENT_DB),
                });
            }
        }
    }

    /// 20 ms pass: the caller's frame (`frame`) arrives and the clock ticks.
    fn step(&mut self, frame: Vec<u8>) {
        self.now = self.now.after(Duration::from_millis(20));
        self.feed(Input::Media(frame));
        self.feed(Input::Tick);
    }

    /// The caller says nothing for `ms`.
    fn quiet(&mut self, ms: u32) {
        for _ in 0..ms / 20 {
            self.step(vec![g711::SILENCE; 160]);
        }
    }

    /// The caller speaks for `ms`.
    fn speak(&mut self, ms: u32) {
        let audio = tone(ms, CALLER_DB);
        for frame in audio.chunks(160) {
            self.step(frame.to_vec());
        }
    }

    /// Whisper hears `text` in the oldest utterance waiting.
    fn hear(&mut self, text: &str) {
        let (job, _) = self
            .jobs
            .pop_front()
            .expect("an utterance waits for whisper");
        self.feed(Input::Transcribed {
            job,
            text: Some(text.to_string()),
        });
    }

    /// The oldest words-before-a-pause waiting for whisper: job and audio length (ms).
    fn early_job(&mut self) -> (u64, usize) {
        self.early_jobs
            .pop_front()
            .expect("the words before the pause went to whisper")
    }

    /// Whisper answers job `job` with `text`.
    fn answer(&mut self, job: u64, text: &str) {
        self.feed(Input::Transcribed {
            job,
            text: Some(text.to_string()),
        });
    }

    /// The caller's turn was logged as "Dana Kim." and, a frame later, the agent asks for
    /// their number.
    fn name_heard_and_number_asked(&mut self) {
        assert_eq!(self.last_caller().as_deref(), Some("Dana Kim."));
        self.quiet(20);
        assert!(
            self.last_agent().contains("number"),
            "{}",
            self.last_agent()
        );
    }

    fn last_caller(&self) -> Option<String> {
        self.caller_turns().last().cloned()
    }

    /// The caller says `text` (1.5 s of speech, then silence until the endpointer cuts it),
    /// and whisper hears it.
    fn say(&mut self, text: &str) {
        self.speak(1_500);
        while self.jobs.is_empty() {
            self.quiet(20);
            assert!(
                self.ms() < 600_000,
                "the endpointer never cut the utterance"
            );
        }
        self.hear(text);
    }

    /// Waits (caller quiet) until the agent has nothing more to play.
    fn until_quiet(&mut self) {
        while self.c.is_speaking(self.now) {
            self.quiet(20);
            assert!(self.ms() < 600_000, "the agent never stopped");
        }
    }

    fn media_frames(&self) -> usize {
        self.sent
            .iter()
            .filter(|(_, f)| matches!(f, Outbound::Media(_)))
            .count()
    }

    fn clears(&self) -> usize {
        self.sent
            .iter()
            .filter(|(_, f)| matches!(f, Outbound::Clear))
            .count()
    }

    /// The texts of `speaker`'s turns, in order.
    fn turns_of(&self, speaker: Speaker) -> Vec<String> {
        self.turns
            .iter()
            .filter(|t| t.1 == speaker)
            .map(|t| t.2.clone())
            .collect()
    }

    fn agent_turns(&self) -> Vec<String> {
        self.turns_of(Speaker::Agent)
    }

    fn caller_turns(&self) -> Vec<String> {
        self.turns_of(Speaker::Caller)
    }

    /// Whether an event of `kind` was noted with a detail starting `detail`.
    fn noted(&self, kind: &str, detail: &str) -> bool {
        self.notes
            .iter()
            .any(|(k, d)| *k == kind && d.starts_with(detail))
    }

    fn last_agent(&self) -> String {
        self.agent_turns().last().cloned().unwrap_or_default()
    }
}

#[test]
fn the_greeting_is_asked_for_at_the_start_and_logged_when_it_plays() {
    let mut line = Line::call();
    assert!(
        line.agent_turns().is_empty(),
        "nothing is logged before it plays"
    );
    line.quiet(20);
    let greeting = line.last_agent();
    assert!(greeting.contains("How can I help"), "{greeting}");
    assert_eq!(line.turns[0].0, 1, "turns are numbered from 1");
    assert_eq!(line.turns[0].3, None, "the greeting answers nobody");
}

#[test]
fn speech_goes_out_at_the_speed_of_playback_a_few_frames_ahead() {
    let mut line = Line::call();
    // The first tick sends the lead; then one frame every 20 ms.
    line.quiet(20);
    assert_eq!(line.media_frames() as u64, LEAD_FRAMES);
    for n in 1..=40u64 {
        line.quiet(20);
        assert_eq!(
            line.media_frames() as u64,
            n + LEAD_FRAMES,
            "after {n} ticks"
        );
    }
}

#[test]
fn a_late_tick_catches_up_without_running_ahead() {
    let mut line = Line::call();
    line.quiet(20);
    let before = line.media_frames();
    // The loop was held up for 200 ms: the frames due in that time go out at once, no more.
    line.now = line.now.after(Duration::from_millis(200));
    line.feed(Input::Tick);
    assert_eq!(line.media_frames(), before + 10);
}

#[test]
fn each_frame_is_twenty_milliseconds_of_line_audio() {
    let mut line = Line::call();
    line.quiet(400);
    for (_, f) in &line.sent {
        if let Outbound::Media(m) = f {
            assert_eq!(m.len(), LINE_FRAME);
        }
    }
}

#[test]
fn a_mark_follows_the_last_frame_of_each_sentence() {
    let mut line = Line::call();
    line.until_quiet();
    let kinds: Vec<&Outbound> = line.sent.iter().map(|(_, f)| f).collect();
    let marks: Vec<(usize, String)> = kinds
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match f {
            Outbound::Mark(m) => Some((i, m.clone())),
            _ => None,
        })
        .collect();
    let sentences = sentences(&line.agent_turns()[0]).len();
    assert_eq!(marks.len(), sentences);
    // Each sentence is 50 frames, then its mark.
    for (n, (i, name)) in marks.iter().enumerate() {
        assert_eq!(*i, (n + 1) * 51 - 1, "mark {name} after sentence {n}");
        assert_eq!(name, &format!("s1-{n}"));
    }
}

#[test]
fn a_reply_without_its_marks_counts_as_played_a_grace_period_after_its_last_frame() {
    let mut line = Line::call();
    line.marks_echoed = false;
    line.until_quiet();
    let last_frame = line
        .sent
        .iter()
        .rev()
        .find(|(_, f)| matches!(f, Outbound::Media(_)))
        .map(|(t, _)| *t)
        .unwrap();
    let waited = line.ms() - last_frame;
    assert!(
        waited > MARK_GRACE.as_millis() as u64 && waited <= MARK_GRACE.as_millis() as u64 + 20,
        "{waited} ms"
    );
}

#[test]
fn a_reply_is_over_when_its_marks_come_back() {
    let mut line = Line::call();
    line.until_quiet();
    let last_frame = line
        .sent
        .iter()
        .rev()
        .find(|(_, f)| matches!(f, Outbound::Media(_)))
        .map(|(t, _)| *t)
        .unwrap();
    assert!(
        line.ms() - last_frame <= 20,
        "no grace period when the marks came back"
    );
}

#[test]
fn a_caller_turn_is_asked_of_whisper_when_they_stop_and_logged_when_heard() {
    let mut line = Line::call();
    line.until_quiet();
    line.speak(1_500);
    assert!(line.jobs.is_empty(), "still speaking");
    line.quiet(400);
    assert!(
        line.jobs.is_empty(),
        "a short pause is not the end of a request"
    );
    line.quiet(1_000);
    assert_eq!(line.jobs.len(), 1);
    let (_, audio_ms) = line.jobs[0];
    assert!(
        (1_500..2_300).contains(&audio_ms),
        "pre-roll, the speech and a short tail: {audio_ms} ms"
    );
    line.hear("I'd like to leave a message for Alex.");
    assert_eq!(
        line.caller_turns(),
        vec!["I'd like to leave a message for Alex.".to_string()]
    );
    assert!(
        !line.synth.is_empty() || line.c.is_speaking(line.now),
        "the agent answers"
    );
}

#[test]
fn the_reply_latency_runs_from_the_end_of_speech_to_the_first_frame() {
    let mut line = Line::call();
    line.until_quiet();
    line.speak(1_500);
    let spoke_until = line.ms();
    line.auto_voice = false;
    while line.jobs.is_empty() {
        line.quiet(20);
    }
    line.quiet(300); // whisper takes 300 ms
    line.hear("I'd like to leave a message for Alex.");
    line.quiet(200); // the voice takes 200 ms
    line.auto_voice = true;
    line.voice();
    line.quiet(20);
    let answer = line.turns.last().unwrap();
    assert_eq!(answer.1, Speaker::Agent);
    let latency = answer.3.expect("an answer has a latency") as u64;
    let expected = line.ms() - spoke_until;
    assert!(latency.abs_diff(expected) <= 40, "{latency} vs {expected}");
}

#[test]
fn turns_are_numbered_in_the_order_they_happen() {
    let mut line = Line::call();
    line.until_quiet();
    line.say("I'd like to leave a message for Alex.");
    line.until_quiet();
    line.say("Dana Kim.");
    line.until_quiet();
    let seqs: Vec<i64> = line.turns.iter().map(|t| t.0).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
    assert_eq!(
        line.turns.iter().map(|t| t.1).collect::<Vec<_>>(),
        vec![
            Speaker::Agent,
            Speaker::Caller,
            Speaker::Agent,
            Speaker::Caller,
            Speaker::Agent
        ]
    );
}

#[test]
fn long_speech_over_the_agent_clears_its_audio_and_cuts_its_turn() {
    let mut line = Line::call();
    line.quiet(1_500); // 1.5 s of the greeting played
    line.speak(1_000);
    assert_eq!(line.clears(), 1);
    assert!(!line.c.is_speaking(line.now));
    let (seq, heard) = line.cuts.last().expect("the greeting was cut").clone();
    assert_eq!(seq, 1);
    let greeting = &line.agent_turns()[0];
    assert!(
        greeting.starts_with(&heard) && heard.len() < greeting.len(),
        "{heard:?}"
    );
    assert!(line.noted("barge_in", "speech"));
}

#[test]
fn the_cut_keeps_the_sentences_played_and_the_words_heard_of_the_one_playing() {
    let mut line = Line::call();
    line.quiet(600);
    let greeting = sentences(&line.agent_turns()[0]);
    // Speech from 0.6 s interrupts 0.9 s later: the first sentence played (its mark came
    // back), the second about half.
    line.speak(1_000);
    let (_, heard) = line.cuts.last().unwrap().clone();
    let rest = heard
        .strip_prefix(greeting[0].as_str())
        .unwrap_or_else(|| panic!("{heard:?}"))
        .trim();
    let second: Vec<&str> = greeting[1].split_whitespace().collect();
    let got: Vec<&str> = rest.split_whitespace().collect();
    assert!(!got.is_empty() && got.len() < second.len(), "{rest:?}");
    assert_eq!(got, second[..got.len()]);
}

/// The voice says the greeting's first sentence as three seconds of audio (its text returned).
fn three_second_first_sentence(line: &mut Line) -> String {
    let (say_id, sentences) = line.synth.pop_front().expect("the greeting was asked for");
    let first = sentences[0].clone();
    line.feed(Input::Synthesised {
        say_id,
        index: 0,
        text: first.clone(),
        audio: tone(3_000, AGENT_DB),
    });
    first
}

#[test]
fn the_words_heard_are_those_that_fit_the_time_played() {
    let mut line = Line::unvoiced();
    // A three-second first sentence, interrupted about a second in.
    let first = three_second_first_sentence(&mut line);
    line.quiet(400);
    line.speak(1_000);
    let cleared_at = line
        .sent
        .iter()
        .find(|(_, f)| matches!(f, Outbound::Clear))
        .map(|(t, _)| *t)
        .expect("the caller barged in");
    // Its first frame went out at 20 ms; the far end plays the lead behind what was sent.
    let played_ms = cleared_at - 20 - LEAD_FRAMES * 20;
    let (_, heard) = line.cuts.last().unwrap().clone();
    assert_eq!(heard, heard_part(&first, played_ms as f64 / 3_000.0));
    assert!(!heard.is_empty() && heard.len() < first.len(), "{heard:?}");
}

#[test]
fn a_backchannel_over_the_agent_does_not_interrupt() {
    let mut line = Line::call();
    line.quiet(200);
    line.speak(300);
    line.quiet(1_300);
    assert_eq!(line.jobs.len(), 1);
    line.hear("Mhm.");
    assert_eq!(line.clears(), 0);
    assert!(line.c.is_speaking(line.now));
    assert!(
        line.caller_turns().is_empty(),
        "a backchannel is not a turn"
    );
}

/// The greeting's first words come back down the line, 300 ms of them, and the endpointer
/// cuts them: the words whisper will hear.
fn echo_of_the_greeting(line: &mut Line) -> String {
    line.quiet(20);
    let greeting = line.agent_turns()[0].clone();
    line.quiet(200);
    line.speak(300);
    line.quiet(1_300);
    greeting
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_agents_own_echo_is_not_an_interruption() {
    let mut line = Line::call();
    let echo = echo_of_the_greeting(&mut line);
    line.hear(&echo);
    assert_eq!(line.clears(), 0, "{echo:?}");
    assert!(line.caller_turns().is_empty());
}

#[test]
fn a_short_answer_over_the_agent_interrupts_once_heard() {
    let mut line = Line::call();
    line.quiet(200);
    line.speak(400);
    line.quiet(1_300);
    assert_eq!(line.clears(), 0, "too short to interrupt on its own");
    line.hear("I need Alex.");
    assert_eq!(line.clears(), 1);
    assert_eq!(line.caller_turns(), vec!["I need Alex.".to_string()]);
    assert!(line.noted("barge_in", "short"));
}

#[test]
fn quiet_sound_under_the_agents_voice_is_taken_for_its_echo() {
    let mut line = Line::call();
    line.quiet(100);
    // The agent's voice coming back 15 dB down: under the echo guard.
    for frame in tone(1_500, AGENT_DB - 15.0).chunks(160) {
        line.step(frame.to_vec());
    }
    line.quiet(1_000);
    assert_eq!(line.clears(), 0);
    assert!(line.jobs.is_empty(), "no utterance was opened");
}

#[test]
fn speech_that_whisper_cannot_make_out_is_asked_again() {
    let mut line = Line::call();
    line.until_quiet();
    let before = line.agent_turns().len();
    line.say("");
    line.until_quiet();
    assert_eq!(line.agent_turns().len(), before + 1);
    assert!(line.caller_turns().is_empty());
}

#[test]
fn a_short_burst_whisper_cannot_make_out_is_line_noise() {
    let mut line = Line::call();
    line.until_quiet();
    let before = line.agent_turns().len();
    line.speak(200);
    line.quiet(1_500);
    line.hear("");
    line.quiet(1_000);
    assert_eq!(line.agent_turns().len(), before);
    assert!(line.synth.is_empty());
}

#[test]
fn a_silent_caller_is_asked_whether_they_are_there_then_let_go() {
    let mut line = Line::call();
    line.until_quiet();
    line.quiet(7_900);
    let greeted = line.agent_turns().len();
    assert_eq!(greeted, 1, "not yet");
    line.quiet(200);
    assert!(line.last_agent().starts_with("Are you still there?"));
    line.until_quiet();
    line.quiet(8_100);
    assert!(line.last_agent().contains("I can't hear anything"));
    assert!(!line.closed, "the goodbye plays first");
    line.until_quiet();
    line.quiet(40);
    assert!(line.closed);
    assert_eq!(line.c.status(), CallStatus::Completed);
}

#[test]
fn the_silence_clock_waits_while_the_caller_is_heard_or_whisper_works() {
    let mut line = Line::call();
    line.until_quiet();
    line.speak(1_500);
    line.quiet(1_500);
    assert_eq!(line.jobs.len(), 1);
    // Whisper takes ten seconds: nobody asks whether the caller is there.
    line.quiet(10_000);
    assert_eq!(line.agent_turns().len(), 1);
    line.hear("I'd like to leave a message for Alex.");
    assert_eq!(line.agent_turns().len(), 1, "the answer is not played yet");
    line.quiet(20);
    assert_eq!(line.agent_turns().len(), 2);
}

#[test]
fn the_silence_clock_starts_when_the_agent_stops() {
    let mut line = Line::call();
    line.until_quiet();
    let stopped = line.ms();
    while line.agent_turns().len() < 2 {
        line.quiet(20);
    }
    let waited = line.ms() - stopped;
    assert!((8_000..=8_060).contains(&waited), "{waited} ms");
}

#[test]
fn a_key_pressed_over_the_agent_interrupts_and_is_a_turn() {
    let mut line = Line::call();
    line.quiet(500);
    line.feed(Input::Digit('0'));
    assert_eq!(line.clears(), 1);
    assert!(line.caller_turns().contains(&"[keypad 0]".to_string()));
    assert!(line.noted("barge_in", "keypad"));
    assert!(
        line.notes.iter().any(|(k, _)| *k == "escalation"),
        "0 asks for a person"
    );
}

#[test]
fn a_key_pressed_while_listening_does_not_clear() {
    let mut line = Line::call();
    line.until_quiet();
    line.feed(Input::Digit('5'));
    assert_eq!(line.clears(), 0);
    assert_eq!(line.caller_turns(), vec!["[keypad 5]".to_string()]);
}

#[test]
fn the_goodbye_plays_before_the_line_is_closed() {
    let mut line = Line::call();
    line.until_quiet();
    line.say("I'd like to leave a message for Alex.");
    line.until_quiet();
    line.say("Dana Kim.");
    line.until_quiet();
    // Take the caller through the message until the agent says goodbye.
    let answers = [
        "Please call me back on 617 555 0123.",
        "Just that the investor deck needs one more revision.",
        "Yes, that's right.",
        "No, that's all. Goodbye.",
    ];
    for a in answers {
        if line.closed {
            break;
        }
        line.say(a);
        if line.c.is_speaking(line.now) || !line.synth.is_empty() {
            assert!(!line.closed, "closed while the agent still talks");
        }
        line.until_quiet();
        line.quiet(40);
    }
    assert!(line.closed, "agent said: {:?}", line.agent_turns());
    assert_eq!(line.c.status(), CallStatus::Completed);
    // Nothing is sent after the close.
    let frames = line.sent.len();
    line.quiet(200);
    assert_eq!(line.sent.len(), frames);
}

#[test]
fn a_transfer_waits_for_the_agents_words_then_closes_the_line() {
    let mut line = Line::new(Some("+16175550111"), true, settings());
    line.until_quiet();
    line.say("This is Jordan Lee, there's an emergency, our servers are down right now.");
    assert!(line.transfers.is_empty(), "not while the agent speaks");
    line.quiet(20);
    assert!(line.c.is_speaking(line.now));
    line.until_quiet();
    line.quiet(20);
    assert_eq!(line.transfers, vec!["+16175550142".to_string()]);
    // While the provider works, nothing more is sent or asked.
    let sent = line.sent.len();
    line.quiet(10_000);
    assert_eq!(line.sent.len(), sent);
    assert_eq!(line.transfers.len(), 1);
    line.feed(Input::TransferDone(Ok(())));
    assert!(line.closed);
    assert_eq!(line.c.status(), CallStatus::Completed);
    assert!(line.noted("transferred", "to +16175550142"));
}

#[test]
fn a_failed_transfer_goes_back_to_the_caller() {
    let mut line = Line::new(Some("+16175550111"), true, settings());
    line.until_quiet();
    line.say("This is Jordan Lee, there's an emergency, our servers are down right now.");
    line.until_quiet();
    line.quiet(20);
    line.feed(Input::TransferDone(Err("provider said 500".into())));
    assert!(!line.closed);
    line.quiet(20);
    assert!(line
        .notes
        .iter()
        .any(|(k, d)| *k == "transfer_failed" && d.contains("500")));
    assert!(
        line.c.is_speaking(line.now),
        "the agent tells the caller what happens now"
    );
}

#[test]
fn a_hang_up_mid_sentence_still_sends_the_words_to_whisper() {
    let mut line = Line::call();
    line.until_quiet();
    line.speak(1_200);
    line.feed(Input::Stop);
    assert!(line.c.is_closed());
    let out = line.c.line_closed(line.now);
    line.take(out);
    assert_eq!(line.c.transcriptions_pending(), 1);
    line.hear("It's Dana, please call me ba");
    assert_eq!(
        line.caller_turns(),
        vec!["It's Dana, please call me ba".to_string()]
    );
    assert!(line.synth.is_empty(), "nobody to answer");
    let out = line.c.finish(line.now);
    line.take(out);
    assert_eq!(line.c.status(), CallStatus::Completed);
}

#[test]
fn a_line_that_closes_without_a_stop_is_a_dropped_call() {
    let mut line = Line::call();
    line.until_quiet();
    line.feed(Input::Closed);
    assert_eq!(line.c.status(), CallStatus::Dropped);
    let mut failed = Line::call();
    failed.c.fail();
    assert_eq!(failed.c.status(), CallStatus::Dropped);
}

#[test]
fn a_sentence_the_voice_could_not_say_is_skipped() {
    let mut line = Line::unvoiced();
    let (say_id, sentences) = line.synth.pop_front().unwrap();
    assert!(sentences.len() >= 2);
    line.feed(Input::Synthesised {
        say_id,
        index: 0,
        text: sentences[0].clone(),
        audio: Vec::new(),
    });
    for (index, text) in sentences.iter().enumerate().skip(1) {
        line.feed(Input::Synthesised {
            say_id,
            index,
            text: text.clone(),
            audio: tone(SENTENCE_MS, AGENT_DB),
        });
    }
    line.until_quiet();
    assert_eq!(line.media_frames(), 50 * (sentences.len() - 1));
}

#[test]
fn speech_synthesised_after_a_barge_in_is_dropped() {
    let mut line = Line::unvoiced();
    line.quiet(400);
    let (say_id, sentences) = line.synth.pop_front().unwrap();
    line.feed(Input::Synthesised {
        say_id,
        index: 0,
        text: sentences[0].clone(),
        audio: tone(SENTENCE_MS * 3, AGENT_DB),
    });
    line.quiet(200);
    line.speak(1_000);
    assert_eq!(line.clears(), 1);
    let frames = line.media_frames();
    line.feed(Input::Synthesised {
        say_id,
        index: 1,
        text: sentences[1].clone(),
        audio: tone(SENTENCE_MS, AGENT_DB),
    });
    line.quiet(1_000);
    assert_eq!(line.media_frames(), frames);
}

#[test]
fn a_message_request_waits_longer_for_the_caller_to_finish() {
    // After "what would you like me to tell Alex?" the endpointer waits 1.6 s, not 0.7 s.
    let mut line = Line::call();
    line.until_quiet();
    for answer in ["I'd like to leave a message for Alex.", "Dana Kim.", "Yes."] {
        line.say(answer);
        line.until_quiet();
    }
    let asked = line.last_agent();
    assert!(asked.contains("tell Alex"), "{asked}");
    line.speak(1_500);
    line.quiet(1_200);
    assert!(line.jobs.is_empty(), "cut too early after {asked:?}");
    line.quiet(600);
    assert_eq!(line.jobs.len(), 1, "after {asked:?}");
}

#[test]
fn a_yes_or_no_question_takes_a_short_pause_for_the_answer() {
    let mut line = Line::call();
    line.until_quiet();
    for answer in ["I'd like to leave a message for Alex.", "Dana Kim."] {
        line.say(answer);
        line.until_quiet();
    }
    assert!(line.last_agent().contains("best number"));
    line.speak(600);
    line.quiet(800);
    assert_eq!(line.jobs.len(), 1);
}

/// Takes the caller through a booking until the dialog asks the calendar for it.
fn book_until_asked(line: &mut Line) -> Meeting {
    line.until_quiet();
    let answers = [
        "I'd like to book a meeting with Alex about the budget review.",
        "Dana Kim.",
        "Thursday at 2pm.",
        "Yes, please.",
    ];
    for a in answers {
        if !line.calendar.is_empty() {
            break;
        }
        line.say(a);
        line.until_quiet();
        if line
            .agent_turns()
            .last()
            .is_some_and(|t| t.contains("number"))
        {
            line.say("617 555 0123.");
            line.until_quiet();
        }
    }
    match line.calendar.first().cloned() {
        Some(CalendarChange::Book(m)) => m,
        other => panic!("no booking ({other:?}): {:?}", line.agent_turns()),
    }
}

#[test]
fn a_booking_goes_to_the_calendar_and_its_answer_back_to_the_dialog() {
    let mut line = Line::call();
    let m = book_until_asked(&mut line);
    assert_eq!(m.caller_name.as_deref(), Some("Dana Kim"));
    let before = line.agent_turns().len();
    line.feed(Input::Calendar(Ok("apt-1".into())));
    line.quiet(20);
    assert_eq!(line.agent_turns().len(), before + 1);
    assert!(
        line.last_agent().contains("Thursday"),
        "{}",
        line.last_agent()
    );
}

#[test]
fn what_the_caller_says_while_the_calendar_answers_waits_for_the_answer() {
    let mut line = Line::call();
    book_until_asked(&mut line);
    // The database is slow: the caller speaks, whisper hears them, and nothing is decided
    // (nor the silence clock run) until the calendar has answered.
    line.say("Hello? Are you there?");
    line.quiet(10_000);
    let turns = line.turns.len();
    assert_eq!(
        line.caller_turns().last().map(String::as_str),
        Some("Yes, please.")
    );
    line.feed(Input::Calendar(Ok("apt-1".into())));
    line.quiet(20);
    let after: Vec<_> = line.turns[turns..]
        .iter()
        .map(|t| (t.1, t.2.clone()))
        .collect();
    assert_eq!(after[0].1, "Hello? Are you there?", "{after:?}");
    assert_eq!(after[0].0, Speaker::Caller);
    assert!(
        line.agent_turns().iter().any(|t| t.contains("Thursday")),
        "the booking was confirmed: {:?}",
        line.agent_turns()
    );
}

#[test]
fn a_fault_injected_in_a_transcript_panics_the_conductor() {
    let mut s = settings();
    s.fault_panic_on = Some("kaboom".into());
    let mut line = Line::new(Some("+16175550123"), false, s);
    line.until_quiet();
    line.speak(1_500);
    line.quiet(1_500);
    let (job, _) = line.jobs.pop_front().unwrap();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        line.c.handle(
            Input::Transcribed {
                job,
                text: Some("This is a KABOOM test".into()),
            },
            line.now,
        )
    }));
    assert!(caught.is_err());
}

#[test]
fn a_two_minute_call_runs_in_a_blink() {
    let started = Instant::now();
    let mut s = settings();
    s.silence_timeout = Duration::from_secs(60);
    let mut line = Line::new(Some("+16175550123"), false, s);
    line.until_quiet();
    for answer in ["I'd like to leave a message for Alex.", "Dana Kim.", "Yes."] {
        line.quiet(40_000);
        line.say(answer);
        line.until_quiet();
    }
    assert!(line.ms() >= 120_000, "{} ms", line.ms());
    assert!(line.last_agent().contains("tell Alex"));
    // Simulated time, not real time: some 6,000 ticks of pure code.
    assert!(started.elapsed() < Duration::from_secs(5));
}

// ----- early transcription at a pause ---------------------------------------------------------

/// The shipped pause: the words before a 120 ms pause go to whisper at once, and a complete
/// answer ends the turn 280 ms after the caller's last word.
fn with_pauses() -> Settings {
    Settings {
        vad: VadConfig::default(),
        ..settings()
    }
}

/// The turn ended on the words before the pause while whisper was still on them (a busy
/// server): those words are the caller's answer on its way, so nobody asks whether the caller
/// is there, however long whisper takes.
#[test]
fn the_silence_clock_waits_while_whisper_works_on_the_words_before_the_pause() {
    let mut line = Line::new(Some("+16175550123"), false, with_pauses());
    line.until_quiet();
    line.speak(1_500);
    line.quiet(300);
    let (job, _) = line.early_job();
    line.quiet(12_000);
    assert!(line.jobs.is_empty(), "the turn waits on the pause's pass");
    assert_eq!(line.agent_turns().len(), 1, "{:?}", line.agent_turns());
    line.answer(job, "I'd like to leave a message for Alex.");
    line.quiet(20);
    assert_eq!(line.agent_turns().len(), 2);
    assert!(line.last_agent().contains("name"), "{}", line.last_agent());
}

/// A call with early transcription, at the name question of a message.
fn at_the_name_question() -> Line {
    at_the_name_question_with(with_pauses())
}

/// [`at_the_name_question`] under `settings`.
fn at_the_name_question_with(settings: Settings) -> Line {
    let mut line = Line::new(Some("+16175550123"), false, settings);
    line.until_quiet();
    line.speak(1_500);
    line.quiet(300);
    let (job, _) = line.early_job();
    line.answer(job, "I'd like to leave a message for Alex.");
    // A request is never complete at a pause: its end reuses the words, whisper is not rerun.
    line.quiet(1_000);
    assert!(line.jobs.is_empty(), "the request was transcribed twice");
    assert_eq!(
        line.caller_turns(),
        vec!["I'd like to leave a message for Alex.".to_string()]
    );
    line.until_quiet();
    assert!(line.last_agent().contains("name"), "{}", line.last_agent());
    line
}

#[test]
fn a_complete_short_answer_ends_the_turn_at_the_pause() {
    let mut line = at_the_name_question();
    line.speak(1_000);
    let spoke_until = line.ms();
    line.quiet(260);
    let (job, _) = line.early_job();
    line.quiet(100); // whisper's time
    line.answer(job, "Dana Kim.");
    // Whisper answered after the short silence: the turn is logged and the reply on its way at
    // once, 360 ms after the words, not the 700 ms silence plus whisper's time.
    line.name_heard_and_number_asked();
    let reply = line.turns.last().unwrap().3.expect("a reply has a latency") as u64;
    assert!(
        reply <= line.ms() - spoke_until + 20 && reply < 500,
        "{reply}"
    );
    line.quiet(1_000);
    assert!(
        line.jobs.is_empty() && line.early_jobs.is_empty(),
        "transcribed again"
    );
}

#[test]
fn words_trailing_off_wait_for_the_rest() {
    let mut line = at_the_name_question();
    line.speak(1_000);
    line.quiet(260);
    let (job, _) = line.early_job();
    line.answer(job, "My name is.");
    assert_eq!(line.caller_turns().len(), 1, "cut off mid-sentence");
    // The caller goes on: at their next pause the whole utterance goes to whisper, and when
    // it ends there, those words are the turn.
    line.speak(800);
    line.quiet(800);
    assert!(line.jobs.is_empty());
    let (job, audio_ms) = line.early_job();
    assert!(
        audio_ms >= 2_000,
        "{audio_ms} ms: only the words after the pause"
    );
    assert_eq!(line.caller_turns().len(), 1);
    line.answer(job, "My name is Dana Kim.");
    assert_eq!(line.last_caller().as_deref(), Some("My name is Dana Kim."));
}

#[test]
fn a_caller_who_speaks_on_after_a_pause_is_heard_whole() {
    let mut line = at_the_name_question();
    line.speak(1_000);
    line.quiet(260);
    let (job, _) = line.early_job();
    // On again before whisper answered: a complete answer, but to words the caller has since
    // added to, so it is ignored.
    line.speak(600);
    line.answer(job, "Dana.");
    assert_eq!(line.caller_turns().len(), 1);
    line.quiet(800);
    let (job, audio_ms) = line.early_job();
    assert!(audio_ms >= 1_800, "{audio_ms}");
    assert!(line.jobs.is_empty(), "the same words were sent twice");
    line.answer(job, "Dana Kim.");
    assert_eq!(line.last_caller().as_deref(), Some("Dana Kim."));
}

#[test]
fn an_utterance_that_ends_while_whisper_has_its_words_waits_for_them() {
    let mut line = Line::new(Some("+16175550123"), false, with_pauses());
    line.until_quiet();
    line.speak(1_500);
    line.quiet(1_400); // the request's whole silence; whisper has not answered
    assert!(line.jobs.is_empty(), "the same words were sent twice");
    let (job, _) = line.early_job();
    // The pass is the turn's own now: the shell is told, so it no longer waits as speculative.
    assert_eq!(line.promoted, vec![job]);
    assert_eq!(
        line.c.transcriptions_pending(),
        1,
        "the call waits for them"
    );
    line.answer(job, "I'd like to leave a message for Alex.");
    assert_eq!(line.c.transcriptions_pending(), 0);
    assert_eq!(line.caller_turns().len(), 1);
    line.quiet(20);
    assert!(line.last_agent().contains("name"), "{}", line.last_agent());
}

// ----- the turn's end from what the caller has said so far -------------------------------------

impl Line {
    /// With early transcription: the caller speaks for `speech_ms`, whisper hears `text` in the
    /// words before their pause at once, and they stay quiet until the turn ends (at most 5 s).
    /// Returns how long after their last word the turn ended, `None` if it did not.
    fn pause_on(&mut self, speech_ms: u32, text: &str) -> Option<u64> {
        self.speak(speech_ms);
        let spoke_until = self.ms();
        let turns = self.caller_turns().len();
        self.quiet(VadConfig::default().pause_ms);
        let (job, _) = self.early_job();
        self.answer(job, text);
        while self.caller_turns().len() == turns {
            if self.ms() - spoke_until >= 5_000 {
                return None;
            }
            self.quiet(20);
        }
        assert!(self.jobs.is_empty(), "the words were transcribed twice");
        Some(self.ms() - spoke_until)
    }
}

/// The silence after an understood sentence (400 ms, shorter than the ordinary 700), give or
/// take the frame the endpointer needs to see it.
fn about_the_understood_silence(waited: Option<u64>) -> bool {
    let ms = VadConfig::default().understood_end_silence_ms as u64;
    assert!(ms < VadConfig::default().end_silence_ms as u64);
    waited.is_some_and(|w| (ms - 20..=ms + 60).contains(&w))
}

#[test]
fn a_request_the_dialog_understands_ends_after_the_understood_silence() {
    let mut line = Line::new(Some("+16175550123"), false, with_pauses());
    line.until_quiet();
    let waited = line.pause_on(1_500, "I'd like to leave a message for Alex.");
    assert!(about_the_understood_silence(waited), "{waited:?}");
    line.quiet(20);
    assert!(line.last_agent().contains("name"), "{}", line.last_agent());
}

#[test]
fn a_caller_who_adds_to_an_understood_request_within_its_silence_is_heard_whole() {
    let mut line = Line::new(Some("+16175550123"), false, with_pauses());
    line.until_quiet();
    line.speak(1_500);
    line.quiet(VadConfig::default().pause_ms);
    let (job, _) = line.early_job();
    line.answer(job, "I'd like to leave a message for Alex.");
    // They go on 100 ms before the shorter silence is over.
    let vad = VadConfig::default();
    line.quiet(vad.understood_end_silence_ms - 100 - vad.pause_ms);
    assert!(line.caller_turns().is_empty(), "cut off before the rest");
    line.speak(1_000);
    line.quiet(VadConfig::default().pause_ms);
    let (job, audio_ms) = line.early_job();
    assert!(
        audio_ms >= 2_800,
        "{audio_ms} ms: only the words after the pause"
    );
    line.answer(
        job,
        "I'd like to leave a message for Alex about the contract.",
    );
    line.quiet(VadConfig::default().end_silence_ms);
    assert_eq!(
        line.caller_turns(),
        vec!["I'd like to leave a message for Alex about the contract.".to_string()]
    );
}

#[test]
fn an_understood_request_trailing_and_waits_the_longest_silence() {
    let mut line = Line::new(Some("+16175550123"), false, with_pauses());
    line.until_quiet();
    let waited = line.pause_on(1_500, "I'd like to leave a message for Alex and");
    assert!(waited.is_some_and(|w| w >= 1_580), "{waited:?}");
}

#[test]
fn a_request_not_yet_made_waits_the_request_silence() {
    let mut line = Line::new(Some("+16175550123"), false, with_pauses());
    line.until_quiet();
    let waited = line.pause_on(1_500, "Hi, this is Dana Kim from Acme.");
    assert!(waited.is_some_and(|w| w >= 1_080), "{waited:?}");
}

#[test]
fn a_phone_number_half_read_out_is_never_cut_off() {
    // Asked for a name (an ordinary 700 ms silence), the caller gives their number too.
    let mut line = at_the_name_question();
    let turns = line.caller_turns().len();
    line.speak(1_500);
    line.quiet(260);
    let (job, _) = line.early_job();
    line.answer(job, "Dana Kim, my number is 617 555.");
    line.quiet(1_300); // longer than the question's silence, and than a request's
    assert_eq!(line.caller_turns().len(), turns, "cut off mid-number");
    assert!(line.jobs.is_empty());
    // They read the rest: the whole utterance is heard at their next pause.
    line.speak(800);
    line.quiet(260);
    let (job, audio_ms) = line.early_job();
    assert!(audio_ms >= 3_000, "{audio_ms} ms: only the last group");
    line.answer(job, "Dana Kim, my number is 617 555 0123.");
    line.quiet(40); // the short silence after a complete answer
    assert_eq!(
        line.last_caller().as_deref(),
        Some("Dana Kim, my number is 617 555 0123.")
    );
}

#[test]
fn um_at_a_pause_waits_the_longest_silence() {
    let mut line = at_the_name_question();
    let waited = line.pause_on(600, "Um.");
    assert!(waited.is_some_and(|w| w >= 1_580), "{waited:?}");
}

/// Takes a caller, with early transcription, through a booking to the question of when.
fn at_the_when_question() -> Line {
    let mut line = Line::new(Some("+16175550123"), false, with_pauses());
    line.until_quiet();
    line.pause_on(
        1_500,
        "I'd like to book a meeting with Alex about the budget review.",
    )
    .expect("the request was heard");
    line.until_quiet();
    for _ in 0..4 {
        let asked = line.last_agent();
        if asked.contains("day and time") {
            return line;
        }
        let answer = if asked.contains("name") {
            "Dana Kim."
        } else if asked.contains("number") {
            "Yes."
        } else {
            panic!("unexpected question: {asked}")
        };
        line.pause_on(800, answer).expect("a complete answer");
        line.until_quiet();
    }
    panic!("never asked when: {:?}", line.agent_turns());
}

#[test]
fn a_day_with_a_time_ends_after_the_understood_silence() {
    let mut line = at_the_when_question();
    let waited = line.pause_on(1_200, "Thursday at 2pm.");
    assert!(about_the_understood_silence(waited), "{waited:?}");
}

#[test]
fn a_day_without_a_time_waits_the_longest_silence() {
    let mut line = at_the_when_question();
    let waited = line.pause_on(800, "Thursday.");
    assert!(waited.is_some_and(|w| w >= 1_580), "{waited:?}");
}

/// A message caller (caller ID shown), at the question `want` (words of it), answering the
/// questions before it as `answer` says.
fn leaving_a_message_until(want: &str) -> Line {
    let mut line = Line::spelling_names(with_pauses());
    line.until_quiet();
    line.pause_on(1_500, "I'd like to leave a message for Alex.")
        .expect("the request was heard");
    line.until_quiet();
    for _ in 0..4 {
        let asked = line.last_agent();
        if asked.contains(want) {
            return line;
        }
        let answer = if asked.contains("spell") {
            "K-I-M."
        } else if asked.contains("name") {
            "Dana Kim."
        } else if asked.contains("number") {
            "Yes."
        } else {
            panic!("unexpected question: {asked}")
        };
        line.pause_on(800, answer).expect("an answer");
        line.until_quiet();
    }
    panic!("never asked {want:?}: {:?}", line.agent_turns());
}

#[test]
fn a_spelling_through_to_the_names_end_ends_at_the_pause() {
    let mut line = leaving_a_message_until("spell");
    let waited = line.pause_on(1_200, "K-I-M.");
    let quick = VadConfig::default().complete_end_silence_ms as u64;
    assert!(
        waited.is_some_and(|w| (quick - 20..=quick + 60).contains(&w)),
        "{waited:?}"
    );
}

/// Letters short of the name's end (or whisper's loss of some: "Lee, L. E. E." heard as "Lee
/// L.") wait the spelling's own silence: shorter than a phone number's, as callers spelling
/// their own name leave short gaps between letters.
#[test]
fn a_spelling_short_of_the_names_end_waits_the_spelling_silence() {
    let vad = VadConfig::default();
    let ms = vad.spelling_end_silence_ms as u64;
    assert!(ms < vad.long_end_silence_ms as u64);
    let mut line = leaving_a_message_until("spell");
    let waited = line.pause_on(800, "K-I.");
    assert!(
        waited.is_some_and(|w| (ms - 20..=ms + 60).contains(&w)),
        "{waited:?}"
    );
}

/// A caller who stops for 600 ms between letters (thinking, or spelling slowly) is not cut
/// off: each pause's words spell only part of the name, so the turn waits the spelling's
/// silence, and the whole spelling is one turn.
#[test]
fn a_spelling_with_long_gaps_between_letters_is_heard_whole() {
    let mut line = leaving_a_message_until("spell");
    let turns = line.caller_turns().len();
    let pause_ms = VadConfig::default().pause_ms;
    for so_far in ["K.", "K. I."] {
        line.speak(300);
        line.quiet(pause_ms);
        let (job, _) = line.early_job();
        line.answer(job, so_far);
        line.quiet(600 - pause_ms);
        assert_eq!(line.caller_turns().len(), turns, "cut off after {so_far:?}");
    }
    line.speak(300);
    line.quiet(pause_ms);
    let (job, _) = line.early_job();
    line.answer(job, "K. I. M.");
    line.quiet(400);
    assert_eq!(
        line.caller_turns().last().map(String::as_str),
        Some("K. I. M.")
    );
    assert_eq!(line.caller_turns().len(), turns + 1);
}

#[test]
fn a_message_of_a_finished_sentence_ends_after_the_understood_silence() {
    let mut line = leaving_a_message_until("tell Alex");
    let waited = line.pause_on(2_000, "The contract is ready to sign.");
    assert!(about_the_understood_silence(waited), "{waited:?}");
}

#[test]
fn a_message_trailing_on_waits_the_longest_silence() {
    let mut line = leaving_a_message_until("tell Alex");
    let waited = line.pause_on(2_000, "The contract is ready to sign, and");
    assert!(waited.is_some_and(|w| w >= 1_580), "{waited:?}");
}

/// The message's turn ended at a pause the caller meant to go on after: what they add over the
/// read-back pauses it, and joins the message rather than answering the read-back.
#[test]
fn a_message_the_caller_goes_on_with_over_the_read_back_is_kept_whole() {
    let mut line = leaving_a_message_until("tell Alex");
    line.pause_on(2_000, "The contract is ready to sign.")
        .expect("the message ended");
    line.quiet(400);
    assert!(line.c.is_speaking(line.now), "the read-back plays");
    line.pause_on(1_500, "Also, the price went up by five percent.")
        .expect("the addition was heard");
    line.until_quiet();
    let read_back = line.last_agent();
    assert!(
        read_back.contains("ready to sign") && read_back.contains("price went up"),
        "{read_back}"
    );
}

// ----- playback paused while the caller speaks over the agent ---------------------------------

/// The shipped `pause_playback_ms`: less than the 100 ms of speech that opens an utterance.
const PAUSE_PLAYBACK_MS: u32 = 80;

/// Playback pauses after [`PAUSE_PLAYBACK_MS`] of caller speech over the agent.
fn pausing(settings: Settings) -> Line {
    Line::new(
        Some("+16175550123"),
        false,
        Settings {
            pause_playback_ms: PAUSE_PLAYBACK_MS,
            ..settings
        },
    )
}

/// 400 ms into the greeting, the caller speaks over the agent for `ms` (playback pausing
/// under `settings` with the shipped [`PAUSE_PLAYBACK_MS`]).
fn speaking_over_the_agent(settings: Settings, ms: u32) -> Line {
    let mut line = pausing(settings);
    line.quiet(400);
    line.speak(ms);
    line
}

/// Agent frames sent after `ms` (since the start of the call).
fn frames_after(line: &Line, ms: u64) -> usize {
    line.sent
        .iter()
        .filter(|(t, f)| *t > ms && matches!(f, Outbound::Media(_)))
        .count()
}

#[test]
fn speech_over_the_agent_pauses_its_playback_at_once() {
    let mut line = pausing(settings());
    line.quiet(400);
    let spoke_at = line.ms();
    line.speak(400);
    // The pause comes once 80 ms of speech are heard: a few frames at most go out after the
    // caller's first word, then nothing (the far end plays out its 60 ms lead).
    let after_speech = frames_after(&line, spoke_at);
    assert!(
        after_speech <= 10,
        "{after_speech} frames after the caller spoke"
    );
    assert_eq!(frames_after(&line, spoke_at + 200), 0);
    assert_eq!(line.clears(), 0, "a pause is not yet an interruption");
    assert!(line.c.is_speaking(line.now), "the reply waits, paused");
    // Speech that goes on interrupts as before.
    line.speak(600);
    assert_eq!(line.clears(), 1);
    assert!(line.noted("barge_in", "speech"));
}

/// The pause does not wait for the utterance to open (100 ms of speech): the frame that
/// brings `pause_playback_ms` of the onset stops playback, so the caller hears the agent for
/// that and the far end's lead, no longer.
#[test]
fn the_agent_pauses_at_the_onset_of_speech_before_the_utterance_opens() {
    let mut line = pausing(settings());
    line.quiet(400);
    speaks_and_pauses_the_agent_at_the_onset(&mut line, |line| {
        assert!(!line.c.endpointer.in_speech(), "paused at the onset");
    });
    assert_eq!(line.clears(), 0, "a pause is not yet an interruption");
}

/// The caller speaks over the agent: one frame a tick went out while the first frames of
/// speech came in, none with the frame that brought `pause_playback_ms` of the onset, nor
/// after it. `at_pause` checks the line just then.
fn speaks_and_pauses_the_agent_at_the_onset(line: &mut Line, at_pause: impl Fn(&Line)) {
    let spoke_at = line.ms();
    line.speak(PAUSE_PLAYBACK_MS);
    let sent = frames_after(line, spoke_at);
    assert!(
        sent < (PAUSE_PLAYBACK_MS / 20) as usize,
        "{sent} frames went out over {PAUSE_PLAYBACK_MS} ms of the caller's speech"
    );
    at_pause(line);
    line.speak(200);
    assert_eq!(frames_after(line, spoke_at + PAUSE_PLAYBACK_MS as u64), 0);
}

/// A sound too short to open an utterance (a breath, a knock, a click over 80 ms) pauses the
/// agent only while it lasts and the start rule could still take it for speech: playback goes
/// on by itself, where it stopped, with nothing for whisper and no interruption.
#[test]
fn a_burst_too_short_for_speech_pauses_the_agent_only_briefly() {
    let mut line = pausing(settings());
    line.quiet(400);
    let before = line.media_frames();
    line.speak(PAUSE_PLAYBACK_MS);
    let spoke_until = line.ms();
    line.quiet(100);
    let resumed = frames_after(&line, spoke_until);
    assert!(resumed >= 1, "playback goes on within 100 ms of the burst");
    line.quiet(1_000);
    assert_eq!(line.clears(), 0);
    assert!(line.jobs.is_empty(), "nothing to transcribe");
    // The greeting plays on at pace: a frame a tick for the 59 ticks since the burst began,
    // but for the three it was paused (the lead sent again when it goes on makes up two of them).
    let sent = line.media_frames() - before;
    assert!(
        (56..=59).contains(&sent),
        "{sent} frames in the 1.18 s since the burst"
    );
    // And a caller who then speaks pauses it again.
    line.speak(300);
    let paused_at = line.ms();
    line.quiet(200);
    assert_eq!(frames_after(&line, paused_at), 0);
}

/// Once a backchannel has let the agent go on, the caller's next words pause it at their onset
/// again, as the first did.
#[test]
fn after_a_backchannel_the_next_words_pause_the_agent_at_their_onset() {
    let mut line = speaking_over_the_agent(settings(), 300);
    line.quiet(1_300);
    line.hear("Mhm.");
    line.quiet(200);
    speaks_and_pauses_the_agent_at_the_onset(&mut line, |_| {});
}

/// Steady line noise, however loud the line gets (−50 to −40 dBFS), is never the caller:
/// the agent is not paused, not even briefly.
#[test]
fn steady_line_noise_never_pauses_the_agent() {
    for (kind, dbfs) in [
        (LineNoise::White, -50.0),
        (LineNoise::White, -40.0),
        (LineNoise::Pink, -45.0),
        (LineNoise::Hum, -40.0),
    ] {
        let mut line = pausing(settings());
        let noise = g711::encode_from_f32(&line_noise(kind, 8 * 3_000, dbfs));
        let mut sent_each_tick = Vec::new();
        for frame in noise.chunks(160) {
            let before = line.media_frames();
            line.step(frame.to_vec());
            sent_each_tick.push(line.media_frames() - before);
        }
        // After the first tick's lead, one frame every tick while the greeting plays.
        let gaps = sent_each_tick[1..40].iter().filter(|n| **n == 0).count();
        assert_eq!(
            gaps,
            0,
            "{} at {dbfs} dBFS: {sent_each_tick:?}",
            kind.as_str()
        );
        assert_eq!(line.clears(), 0);
    }
}

#[test]
fn a_backchannel_pauses_the_agent_only_until_it_is_heard() {
    let mut line = speaking_over_the_agent(settings(), 300);
    let paused_at = line.ms();
    line.quiet(1_300);
    assert_eq!(frames_after(&line, paused_at), 0, "paused while unheard");
    let heard_at = line.ms();
    line.hear("Mhm.");
    line.quiet(200);
    assert!(
        frames_after(&line, heard_at) >= 10,
        "playback goes on once the mhm is heard"
    );
    assert_eq!(line.clears(), 0);
    assert!(
        line.caller_turns().is_empty(),
        "a backchannel is not a turn"
    );
    // Nothing was skipped or sent twice: the greeting still plays to its end, at pace.
    line.until_quiet();
    let greeting_frames = sentences(&line.agent_turns()[0]).len() * (SENTENCE_MS as usize / 20);
    assert_eq!(line.media_frames(), greeting_frames);
}

#[test]
fn the_agents_echo_pauses_it_only_until_heard() {
    let mut line = pausing(settings());
    let echo = echo_of_the_greeting(&mut line);
    let heard_at = line.ms();
    line.hear(&echo);
    line.quiet(200);
    assert!(frames_after(&line, heard_at) >= 10);
    assert_eq!(line.clears(), 0);
}

#[test]
fn a_short_answer_over_the_paused_agent_interrupts_and_is_cut_where_it_paused() {
    let mut line = Line::with_voice(
        Some("+16175550123"),
        false,
        Settings {
            pause_playback_ms: PAUSE_PLAYBACK_MS,
            ..settings()
        },
        false,
        default_persona(),
    );
    let first = three_second_first_sentence(&mut line);
    line.quiet(1_000);
    line.speak(400);
    let last_frame = line
        .sent
        .iter()
        .rev()
        .find(|(_, f)| matches!(f, Outbound::Media(_)))
        .map(|(t, _)| *t)
        .expect("the agent spoke");
    line.quiet(1_300);
    line.hear("I need Alex.");
    assert_eq!(line.clears(), 1);
    assert_eq!(line.caller_turns(), vec!["I need Alex.".to_string()]);
    // The caller heard what went out before the pause (its first frame at 20 ms, the lead
    // played out after the last), not the 1.3 s that passed while whisper listened.
    let played_ms = last_frame - 20;
    let (_, heard) = line.cuts.last().unwrap().clone();
    assert_eq!(heard, heard_part(&first, played_ms as f64 / 3_000.0));
}

#[test]
fn words_whisper_cannot_make_out_let_the_paused_agent_go_on() {
    let mut line = speaking_over_the_agent(settings(), 300);
    line.quiet(1_300);
    let heard_at = line.ms();
    line.hear("");
    line.quiet(200);
    assert!(frames_after(&line, heard_at) >= 10);
    assert_eq!(line.clears(), 0);
}

#[test]
fn a_pause_without_a_verdict_goes_on_by_itself() {
    let mut line = speaking_over_the_agent(settings(), 300);
    let paused_at = line.ms();
    // Whisper never answers.
    line.quiet(2_500);
    assert_eq!(frames_after(&line, paused_at), 0);
    line.quiet(1_000);
    assert!(frames_after(&line, paused_at) >= 10, "never a silent hang");
}

#[test]
fn with_early_words_a_backchannel_resumes_before_the_utterance_ends() {
    let mut line = speaking_over_the_agent(with_pauses(), 300);
    line.quiet(260);
    let (job, _) = line.early_job();
    let heard_at = line.ms();
    line.answer(job, "Mhm.");
    line.quiet(100);
    assert!(
        frames_after(&line, heard_at) >= 4,
        "playback went on at the pause, not after the end silence"
    );
    assert_eq!(line.clears(), 0);
}

#[test]
fn with_early_words_a_short_answer_interrupts_at_the_pause() {
    let mut line = speaking_over_the_agent(with_pauses(), 400);
    line.quiet(260);
    let (job, _) = line.early_job();
    line.answer(job, "Sorry, wrong number.");
    assert_eq!(
        line.clears(),
        1,
        "interrupted as soon as the words were known"
    );
}

#[test]
fn quiet_echo_under_the_guard_does_not_pause_the_agent() {
    let mut line = pausing(settings());
    line.quiet(100);
    let before = line.media_frames();
    for frame in tone(1_000, AGENT_DB - 15.0).chunks(160) {
        line.step(frame.to_vec());
    }
    assert!(
        line.media_frames() - before >= 45,
        "playback went on under its own echo"
    );
    assert_eq!(line.clears(), 0);
}

// ----- a complete answer ends after a short silence --------------------------------------------

impl Line {
    /// With early transcription: the caller speaks for `speech_ms` and falls quiet; whisper
    /// hears `text` in the words before the pause `whisper_ms` after it began (0: as soon as
    /// the pause is reported). Returns how long after their last word the turn ended (at most
    /// 3 s of silence), `None` if it did not.
    fn answer_after(&mut self, speech_ms: u32, text: &str, whisper_ms: u32) -> Option<u64> {
        self.speak(speech_ms);
        let spoke_until = self.ms();
        let turns = self.caller_turns().len();
        self.quiet(VadConfig::default().pause_ms);
        let (job, _) = self.early_job();
        self.quiet(whisper_ms);
        self.answer(job, text);
        while self.caller_turns().len() == turns {
            if self.ms() - spoke_until >= 3_000 {
                return None;
            }
            self.quiet(20);
        }
        assert!(
            self.jobs.is_empty() && self.early_jobs.is_empty(),
            "the words were transcribed twice"
        );
        Some(self.ms() - spoke_until)
    }
}

/// A complete short answer whisper has before the short silence is over ends the turn at
/// 280 ms, with those words: no second pass.
#[test]
fn a_complete_short_answer_ends_after_the_short_silence() {
    for (text, whisper_ms) in [("Dana Kim.", 0), ("Dana Kim.", 100)] {
        let mut line = at_the_name_question();
        let waited = line.answer_after(900, text, whisper_ms);
        assert!(
            waited.is_some_and(|w| (280..=300).contains(&w)),
            "{text:?} heard {whisper_ms} ms into the pause: ended {waited:?} ms after the words"
        );
        assert_eq!(line.last_caller().as_deref(), Some(text));
        line.quiet(20);
        assert!(
            line.last_agent().contains("number"),
            "{}",
            line.last_agent()
        );
        let timing = line.notes.iter().rev().find(|(k, _)| *k == "reply_timing");
        assert!(
            timing.is_some_and(|(_, d)| d.starts_with("end=pause")),
            "{timing:?}"
        );
    }
}

/// Whisper slower than the short silence: the turn ends the moment its words are back.
#[test]
fn a_complete_answer_whisper_is_slow_on_ends_when_it_answers() {
    let mut line = at_the_name_question();
    let waited = line.answer_after(900, "Dana Kim.", 300);
    assert!(
        waited.is_some_and(|w| (420..=440).contains(&w)),
        "{waited:?}"
    );
}

/// The short silence is the caller's, never cut: a pause the caller speaks on after is part of
/// the utterance, whatever whisper made of the words before it.
#[test]
fn a_caller_who_speaks_on_within_the_short_silence_is_heard_whole() {
    let mut line = at_the_name_question();
    let turns = line.caller_turns().len();
    line.speak(900);
    line.quiet(VadConfig::default().pause_ms);
    let (job, _) = line.early_job();
    line.answer(job, "Dana.");
    line.quiet(100); // 220 ms into the pause: not yet the short silence
    line.speak(700);
    line.quiet(1_000);
    assert_eq!(line.caller_turns().len(), turns, "cut off after \"Dana.\"");
    let (job, audio_ms) = line.early_job();
    assert!(
        audio_ms >= 1_800,
        "{audio_ms} ms: only the words after the pause"
    );
    line.answer(job, "Dana Kim from Acme.");
    assert_eq!(line.last_caller().as_deref(), Some("Dana Kim from Acme."));
    assert!(line.jobs.is_empty(), "transcribed again");
}

/// Words whisper heard before the caller spoke on are not the turn: when the utterance ends
/// before the words to its last pause went to whisper, the whole of it is transcribed again.
#[test]
fn audio_after_the_early_words_forces_a_final_pass() {
    let mut line = at_the_name_question();
    line.speak(900);
    line.quiet(VadConfig::default().pause_ms);
    let (stale, _) = line.early_job();
    // Whisper is still on the first words while the caller goes on and finishes.
    line.speak(700);
    line.quiet(700);
    assert!(line.early_jobs.is_empty(), "one pass at a time");
    let (last, audio_ms) = line
        .jobs
        .pop_front()
        .expect("the whole utterance went to whisper");
    assert!(audio_ms >= 1_800, "{audio_ms} ms");
    line.answer(stale, "Dana.");
    assert_eq!(
        line.last_caller().as_deref(),
        Some("I'd like to leave a message for Alex.")
    );
    line.answer(last, "Dana Kim from Acme.");
    assert_eq!(line.last_caller().as_deref(), Some("Dana Kim from Acme."));
}

/// When whisper answers for words the caller has since spoken on after, and they are in a
/// pause again, the words to that pause go to whisper at once, and can end the turn.
#[test]
fn a_pause_missed_while_whisper_was_busy_is_transcribed_when_it_answers() {
    let mut line = at_the_name_question();
    line.speak(900);
    line.quiet(VadConfig::default().pause_ms);
    let (stale, _) = line.early_job();
    line.speak(700);
    let spoke_until = line.ms();
    line.quiet(200);
    assert!(line.early_jobs.is_empty(), "one pass at a time");
    line.answer(stale, "Dana.");
    let (job, audio_ms) = line.early_job();
    assert!(audio_ms >= 1_800, "{audio_ms} ms");
    line.answer(job, "Dana Kim from Acme.");
    line.quiet(100);
    assert_eq!(line.last_caller().as_deref(), Some("Dana Kim from Acme."));
    let waited = line.ms() - spoke_until;
    assert!(waited <= 300, "{waited}");
    assert!(line.jobs.is_empty(), "transcribed again");
}

/// A phone number being read out is never cut off by the short silence: its first groups
/// wait the longest silence, and the turn is the whole number.
#[test]
fn a_number_mid_reading_waits_the_longest_silence() {
    for groups in ["617.", "617 555.", "Six one seven, five five five."] {
        let mut line = at_the_name_question();
        line.answer_after(900, "Dana Kim.", 0)
            .expect("the name ended the turn");
        line.until_quiet();
        assert!(
            line.last_agent().contains("number"),
            "{}",
            line.last_agent()
        );
        let turns = line.caller_turns().len();
        line.speak(900);
        line.quiet(VadConfig::default().pause_ms);
        let (job, _) = line.early_job();
        line.answer(job, groups);
        line.quiet(1_400);
        assert_eq!(line.caller_turns().len(), turns, "{groups:?} cut off");
        // The caller reads the rest: the turn is the whole number, from one more pass.
        line.speak(600);
        line.quiet(VadConfig::default().pause_ms);
        let (job, audio_ms) = line.early_job();
        assert!(audio_ms >= 3_000, "{audio_ms} ms: only the last group");
        line.answer(job, "617 555 0123.");
        line.quiet(700); // asked whether to call back on this number: the question's silence
        assert_eq!(line.last_caller().as_deref(), Some("617 555 0123."));
    }
}

/// At the number question: the name ended its turn, and the agent asks whether the number the
/// call comes from is the best one (a yes-or-no question).
fn at_the_number_question() -> Line {
    let mut line = at_the_name_question();
    line.answer_after(900, "Dana Kim.", 0)
        .expect("the name ended the turn");
    line.until_quiet();
    assert!(
        line.last_agent().contains("best number"),
        "{}",
        line.last_agent()
    );
    line
}

/// A lone yes or no is where callers go on after a comma ("No, | it's 617 …", "Yes, | that's
/// the best number"), and that pause (about 300 ms in the test callers' voice) is longer than
/// the short silence: with whisper back early in it, the turn waited 280 ms and cut the
/// caller off after "No.". It waits the understood silence, and the turn is the whole answer.
#[test]
fn a_lone_yes_or_no_is_not_cut_off_at_its_comma() {
    for (lone, whole) in [
        ("No.", "No, it's 617 555 0199."),
        ("Yes.", "Yes, that's the best number."),
    ] {
        let mut line = at_the_number_question();
        let turns = line.caller_turns().len();
        line.speak(400);
        line.quiet(VadConfig::default().pause_ms);
        let (job, _) = line.early_job();
        line.answer(job, lone); // whisper back at once
        line.quiet(220); // the comma: 340 ms in all
        assert_eq!(line.caller_turns().len(), turns, "cut off after {lone:?}");
        line.speak(1_200);
        line.quiet(VadConfig::default().pause_ms);
        let (job, audio_ms) = line.early_job();
        assert!(
            audio_ms >= 1_600,
            "{audio_ms} ms: only the words after the comma"
        );
        line.answer(job, whole);
        line.quiet(700);
        assert_eq!(line.last_caller().as_deref(), Some(whole));
        assert!(line.jobs.is_empty(), "transcribed again");
    }
}

/// A lone yes or no the caller adds nothing to ends after the understood silence; with words
/// after it, the answer is complete and ends after the short one.
#[test]
fn a_lone_yes_ends_after_the_understood_silence_a_fuller_one_after_the_short() {
    let mut line = at_the_number_question();
    let waited = line.pause_on(400, "Yes.");
    assert!(about_the_understood_silence(waited), "{waited:?}");
    let mut line = at_the_number_question();
    let waited = line.answer_after(1_200, "Yes, that's the best number.", 0);
    assert!(
        waited.is_some_and(|w| (280..=300).contains(&w)),
        "{waited:?}"
    );
}

#[test]
fn a_shed_pause_pass_leaves_the_turn_to_its_own_pass() {
    let mut line = at_the_name_question();
    line.speak(1_000);
    line.quiet(200);
    let (job, _) = line.early_job();
    // Every worker busy: the words before the pause were not run.
    line.feed(Input::Shed { job });
    assert_eq!(line.caller_turns().len(), 1);
    // The turn ends on its silence and its words go to whisper whole, once.
    line.quiet(1_200);
    let (_, audio_ms) = *line.jobs.front().expect("the turn's own pass");
    assert!(audio_ms >= 1_000, "{audio_ms} ms");
    assert_eq!(line.jobs.len(), 1);
    line.hear("Dana Kim.");
    line.name_heard_and_number_asked();
}

#[test]
fn a_pause_pass_shed_after_the_turn_ended_on_it_runs_as_the_turns_pass() {
    let mut line = at_the_name_question();
    line.speak(1_000);
    line.quiet(200);
    let (job, _) = line.early_job();
    // The turn ends on the silence while the pause's words still wait for a worker: the end
    // relies on them, sending nothing itself.
    line.quiet(1_200);
    assert!(line.jobs.is_empty(), "sent twice");
    assert_eq!(line.c.transcriptions_pending(), 1);
    // Then the pass is shed: the words go to whisper as the turn's own, and are heard.
    line.feed(Input::Shed { job });
    let (_, audio_ms) = *line.jobs.front().expect("the turn's own pass");
    assert!(audio_ms >= 1_000, "{audio_ms} ms");
    line.hear("Dana Kim.");
    line.name_heard_and_number_asked();
}

#[test]
fn a_pause_pass_dropped_after_the_turns_own_pass_went_is_ignored() {
    let mut line = at_the_name_question();
    line.speak(1_000);
    line.quiet(200);
    let (job, _) = line.early_job();
    // The caller spoke on and the turn ended on its silence: the whole utterance goes to
    // whisper as the turn's own pass, which drops the waiting pause pass in the pool.
    line.speak(600);
    line.quiet(1_200);
    let (_, audio_ms) = *line.jobs.front().expect("the turn's own pass");
    assert!(audio_ms >= 1_600, "{audio_ms} ms");
    assert!(line.promoted.is_empty(), "{:?}", line.promoted);
    line.feed(Input::Shed { job });
    // Nothing is sent again and nothing waits on the dropped pass.
    assert_eq!(line.jobs.len(), 1);
    assert_eq!(line.c.transcriptions_pending(), 1);
    line.hear("Dana Kim.");
    assert_eq!(line.c.transcriptions_pending(), 0);
    line.name_heard_and_number_asked();
}

#[test]
fn a_pause_pass_the_turn_ended_on_is_promoted_once() {
    let mut line = at_the_name_question();
    line.speak(1_000);
    line.quiet(200);
    let (job, _) = line.early_job();
    assert!(line.promoted.is_empty(), "promoted before the turn ended");
    // The turn's silence runs out while whisper has not answered: it ends on those words,
    // and the shell is told to run them as the turn's own pass, once.
    line.quiet(1_200);
    assert_eq!(line.promoted, vec![job]);
    assert!(line.jobs.is_empty(), "sent twice");
    line.quiet(400);
    assert_eq!(line.promoted, vec![job]);
    line.answer(job, "Dana Kim.");
    assert_eq!(line.last_caller().as_deref(), Some("Dana Kim."));
}

// ----- a turn the caller goes on with before the reply reaches them ----------------------------

impl Line {
    /// At the name question, the caller says "Dana." and the turn ends after the short
    /// silence; the agent's reply to it is on its way.
    fn dana_then_the_reply() -> Self {
        Self::dana_then_the_reply_with(with_pauses())
    }

    /// [`Line::dana_then_the_reply`] under `settings`.
    fn dana_then_the_reply_with(settings: Settings) -> Self {
        let mut line = at_the_name_question_with(settings);
        line.answer_after(900, "Dana.", 0)
            .expect("a complete answer ends the turn");
        assert_eq!(line.last_caller().as_deref(), Some("Dana."));
        line
    }

    /// The caller speaks for `speech_ms` and whisper hears `text` in those words; the turn
    /// ends (at most 3 s of silence).
    fn go_on(&mut self, speech_ms: u32, text: &str) {
        self.answer_after(speech_ms, text, 0)
            .expect("the words ended a turn");
    }
}

/// Both with the reply talking on and, as shipped, paused at the onset of the caller's speech.
#[test]
fn a_caller_who_goes_on_before_the_reply_reaches_them_is_heard_whole() {
    let paused = Settings {
        pause_playback_ms: PAUSE_PLAYBACK_MS,
        ..with_pauses()
    };
    for settings in [with_pauses(), paused] {
        let mut line = Line::dana_then_the_reply_with(settings);
        // The reply's first frames are out, but the caller started before they could hear it.
        line.go_on(700, "Kim, from Acme.");
        assert!(line.noted("turn_resumed", "\"Dana.\""), "{:?}", line.notes);
        assert!(line.clears() >= 1, "the reply to \"Dana.\" is cut");
        assert_eq!(line.c.dialog.caller().name.as_deref(), Some("Dana Kim"));
        assert_eq!(line.c.dialog.caller().company.as_deref(), Some("Acme"));
        // The log keeps what was said when: two caller turns.
        assert_eq!(
            line.caller_turns()[1..],
            ["Dana.".to_string(), "Kim, from Acme.".to_string()]
        );
        line.until_quiet();
        assert!(
            line.last_agent().contains("number"),
            "{}",
            line.last_agent()
        );
    }
}

#[test]
fn the_same_words_after_the_reply_was_heard_are_a_new_turn() {
    let mut line = Line::dana_then_the_reply();
    // Half a second of the reply played: the caller answers what they heard.
    line.quiet(500);
    line.go_on(700, "Kim.");
    assert!(!line.noted("turn_resumed", ""), "{:?}", line.notes);
    assert_eq!(line.c.dialog.caller().name.as_deref(), Some("Dana"));
}

#[test]
fn a_pause_whisper_ended_with_a_full_stop_joins_what_followed() {
    assert_eq!(went_on("Dana.", "Kim, from Acme."), "Dana Kim, from Acme.");
    assert_eq!(
        went_on("A message for Alex.", "It's about the contract."),
        "A message for Alex It's about the contract."
    );
    for kept in [
        "Thursday at 3 p.m.",
        "Wait...",
        "Is that Dana?",
        "It's Dana!",
    ] {
        assert_eq!(went_on(kept, "Yes."), format!("{kept} Yes."));
    }
}

#[test]
fn a_backchannel_after_the_turn_lets_the_reply_play_and_keeps_the_turn() {
    let mut line = Line::dana_then_the_reply();
    let agent_turns = line.agent_turns().len();
    line.speak(300);
    line.quiet(VadConfig::default().pause_ms);
    let (job, _) = line.early_job();
    line.answer(job, "Mhm.");
    line.quiet(1_000);
    assert!(!line.noted("turn_resumed", ""), "{:?}", line.notes);
    assert_eq!(line.clears(), 0);
    line.until_quiet();
    assert_eq!(
        line.agent_turns().len(),
        agent_turns,
        "the reply was said again"
    );
    assert_eq!(line.c.dialog.caller().name.as_deref(), Some("Dana"));
}

#[test]
fn a_turn_that_changed_the_calendar_is_never_heard_again() {
    let mut line = Line::call();
    book_until_asked(&mut line);
    assert!(line.c.resumable.is_none(), "a booking cannot be taken back");
}
