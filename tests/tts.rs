//! The voices: the natural hibari worker and the espeak-ng fallback both produce telephone audio;
//! the caller voices (Piper joe, Kokoro kumo) are understood by whisper over the phone
//! line, speak faster when asked, and survive their worker dying.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use frontdesk::audio::{g711, resample};
use frontdesk::config::TtsChoice;
use frontdesk::speech::tts::caller::{Caller, CallerVoice};
use frontdesk::speech::tts::{self, espeak::Espeak, TtsEngine};

fn secs(mulaw: &[u8]) -> f64 {
    mulaw.len() as f64 / 8000.0
}

fn loud_enough(mulaw: &[u8]) -> bool {
    let pcm = frontdesk::audio::g711::decode_to_f32(mulaw);
    frontdesk::audio::vad::level_dbfs(&pcm) > -30.0
}

#[test]
fn the_natural_voice_speaks_sentences_and_survives_odd_input() {
    let voice = common::caller_voice();
    assert_eq!(voice.name(), "hibari");
    let short = tts::speak_line(voice.as_ref(), "Hello.").unwrap();
    let long = tts::speak_line(
        voice.as_ref(),
        "Hello, you've reached Alex Morgan's after-hours assistant at Northwind Labs.",
    )
    .unwrap();
    assert!(secs(&short) > 0.3 && secs(&short) < 3.0, "{}", secs(&short));
    assert!(
        secs(&long) > 3.0 * secs(&short).min(1.0),
        "{} vs {}",
        secs(&long),
        secs(&short)
    );
    assert!(loud_enough(&long));
    // The voice's padding is cut: the first word starts within 60 ms of the line (hibari
    // leads with about 320 ms of silence and trails about 470), and the line ends within
    // 400 ms of the last loud frame (the kept 220 ms after the word's faint decay).
    let voiced: Vec<bool> = long.chunks(160).map(frontdesk::sim::voiced).collect();
    let first = voiced.iter().position(|v| *v).expect("a voiced frame");
    let last = voiced.iter().rposition(|v| *v).expect("a voiced frame");
    assert!(
        first * 20 <= 60,
        "the first word starts at {} ms",
        first * 20
    );
    assert!(
        (voiced.len() - 1 - last) * 20 <= 400,
        "{} ms of silence after the last word",
        (voiced.len() - 1 - last) * 20
    );
    // Empty text, odd symbols and numbers do not kill the warm worker.
    assert!(tts::speak_line(voice.as_ref(), "").unwrap().is_empty());
    tts::speak_line(voice.as_ref(), "#$%^ 6 1 7, 5 5 5 — ok?").unwrap();
    assert!(!tts::speak_line(voice.as_ref(), "Still here.")
        .unwrap()
        .is_empty());
}

#[test]
fn espeak_is_the_zero_setup_fallback() {
    let e = Espeak::new().expect("espeak-ng is installed by scripts/setup.sh");
    let line = tts::speak_line(&e, "Good evening, how can I help you?").unwrap();
    assert!(secs(&line) > 1.0 && secs(&line) < 6.0, "{}", secs(&line));
    assert!(loud_enough(&line));
}

#[test]
fn auto_falls_back_to_espeak_when_the_natural_voice_is_missing() {
    let voice = tts::start(TtsChoice::Auto, Path::new("/nonexistent/python")).unwrap();
    assert_eq!(voice.name(), "espeak-ng");
    assert!(tts::start(TtsChoice::Hibari, Path::new("/nonexistent/python")).is_err());
}

/// One warm worker per caller voice, shared by the tests in this binary.
fn caller(voice: CallerVoice) -> Arc<Caller> {
    static VOICES: OnceLock<Mutex<HashMap<&'static str, Arc<Caller>>>> = OnceLock::new();
    let mut voices = VOICES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    voices
        .entry(voice.name())
        .or_insert_with(|| {
            common::require_setup();
            Arc::new(
                Caller::start(voice, 1.0, &common::root().join(".venv/bin/python"))
                    .unwrap_or_else(|e| panic!("{e} (run scripts/setup.sh)")),
            )
        })
        .clone()
}

/// Words to score: lower case, no punctuation, number words and numerals as single digits
/// ("617-555-0142" and "six one seven …" agree; "2:30" and "two thirty" too), "p.m." as "pm".
fn words(text: &str) -> Vec<String> {
    let lower = text
        .to_lowercase()
        .replace("p.m.", "pm")
        .replace("a.m.", "am");
    let mut out = Vec::new();
    for raw in lower.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        let w = raw.trim_matches('\'');
        if w.is_empty() {
            continue;
        }
        let digits = match w {
            "zero" => "0",
            "one" => "1",
            "two" => "2",
            "three" => "3",
            "four" => "4",
            "five" => "5",
            "six" => "6",
            "seven" => "7",
            "eight" => "8",
            "nine" => "9",
            "twenty" => "20",
            "thirty" => "30",
            "forty" => "40",
            "fifty" => "50",
            _ => w,
        };
        // Digits one by one; letters stuck to them ("3pm") as a word of their own.
        let mut word = String::new();
        for c in digits.chars() {
            if c.is_ascii_digit() {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                out.push(c.to_string());
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// Word-level edit distance (substitutions, insertions, deletions).
fn edits(reference: &[String], hypothesis: &[String]) -> usize {
    let mut row: Vec<usize> = (0..=hypothesis.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, h) in hypothesis.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if r == h {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[hypothesis.len()]
}

#[test]
fn word_error_rate_counts_edits_over_reference_words() {
    let w = |s: &str| words(s);
    assert_eq!(
        w("Call me at 617-555-0142, p.m.!"),
        w("call me at six one seven five five five zero one four two pm")
    );
    assert_eq!(w("2:30 in the afternoon"), w("two thirty in the afternoon"));
    assert_eq!(w("3pm"), vec!["3", "pm"]);
    assert_eq!(w("I'd like"), vec!["i'd", "like"]);
    assert_eq!(edits(&w("a b c d"), &w("a b c d")), 0);
    assert_eq!(edits(&w("a b c d"), &w("a x c d")), 1);
    assert_eq!(edits(&w("a b c d"), &w("a c d")), 1);
    assert_eq!(edits(&w("a b c d"), &w("a b c d e f")), 2);
    assert_eq!(edits(&w("a b"), &w("")), 2);
}

/// What callers say, and the words that must come back from each line.
const CALLER_LINES: [(&str, &[&str]); 3] = [
    (
        "Hi, this is Siobhan Gallagher from Northwind, could Alex call me back about the contract?",
        &["gallagher", "northwind", "alex", "call", "back", "contract"],
    ),
    (
        "My number is six one seven, five five five, zero one four two.",
        &["6 1 7 5 5 5 0 1 4 2"],
    ),
    (
        "I could meet on Thursday at two thirty in the afternoon.",
        &["thursday", "2 3 0", "afternoon"],
    ),
];

/// The most words in a hundred whisper may get wrong from a caller voice over the phone line.
const MAX_WER: f64 = 0.2;

/// Speaks every caller line in `voice`, puts it on the 8 kHz µ-law line the simulated caller
/// sends, transcribes it as the server would, and checks the words that matter came back.
fn understood_over_the_phone_line(voice: CallerVoice) {
    let engine = caller(voice);
    let (mut errors, mut total, mut audio_secs, mut synth_secs) = (0, 0, 0.0, 0.0);
    let mut missing = Vec::new();
    for (line, critical) in CALLER_LINES {
        let started = Instant::now();
        let speech = engine.synthesize(line).unwrap();
        synth_secs += started.elapsed().as_secs_f64();
        audio_secs += speech.samples.len() as f64 / f64::from(speech.rate);
        let mulaw = tts::to_line(&speech).unwrap();
        let wide = resample::resample(&g711::decode_to_f32(&mulaw), 8_000, 16_000).unwrap();
        let heard = common::stt().transcribe_blocking(&wide).unwrap().text;
        let (reference, hypothesis) = (words(line), words(&heard));
        let e = edits(&reference, &hypothesis);
        println!(
            "{voice}: {:.0}% WER  {heard:?}",
            100.0 * e as f64 / reference.len() as f64
        );
        errors += e;
        total += reference.len();
        let joined = format!(" {} ", hypothesis.join(" "));
        for w in critical {
            if !joined.contains(&format!(" {w} ")) {
                missing.push(format!("{w:?} not in {heard:?}"));
            }
        }
    }
    let wer = errors as f64 / total as f64;
    println!(
        "{voice}: WER {:.1}% over {total} words; synthesis {:.1}x real time ({audio_secs:.1} s of speech in {synth_secs:.1} s)",
        100.0 * wer,
        audio_secs / synth_secs
    );
    assert!(missing.is_empty(), "{voice}: {missing:#?}");
    assert!(wer < MAX_WER, "{voice}: WER {wer:.3} ≥ {MAX_WER}");
}

#[test]
fn joe_is_understood_over_the_phone_line() {
    understood_over_the_phone_line(CallerVoice::Joe);
}

#[test]
fn kumo_is_understood_over_the_phone_line() {
    understood_over_the_phone_line(CallerVoice::Kumo);
}

#[test]
fn a_faster_rate_is_shorter_and_a_slower_one_longer() {
    let line = "Could you ask Alex to call me back tomorrow morning?";
    for voice in [CallerVoice::Joe, CallerVoice::Kumo] {
        let engine = caller(voice);
        let secs = |rate: f32| {
            let s = engine.synthesize_at(line, rate).unwrap();
            s.samples.len() as f64 / f64::from(s.rate)
        };
        // Piper draws phoneme lengths with noise, so rates far apart keep the order certain.
        let (slow, normal, fast) = (secs(0.7), secs(1.0), secs(1.5));
        println!("{voice}: {slow:.2} s at 0.7, {normal:.2} s at 1.0, {fast:.2} s at 1.5");
        assert!(normal > 1.5, "{voice}: {normal} s");
        assert!(
            fast < 0.85 * normal && fast > 0.5 * normal,
            "{voice}: {fast} vs {normal}"
        );
        assert!(slow > 1.1 * normal, "{voice}: {slow} vs {normal}");
        assert!(engine.synthesize_at(line, 2.5).is_err());
        assert!(engine.synthesize_at(line, 0.0).is_err());
    }
}

#[test]
fn a_caller_voice_survives_odd_input_and_its_worker_dying() {
    let engine = caller(CallerVoice::Joe);
    assert_eq!(engine.name(), "joe");
    assert!(tts::speak_line(engine.as_ref(), "").unwrap().is_empty());
    tts::speak_line(engine.as_ref(), "#$%^ 6 1 7, 5 5 5 — ok?").unwrap();
    let pid = engine.worker_pid().expect("a warm worker");
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(std::time::Duration::from_millis(200));
    let line = tts::speak_line(engine.as_ref(), "Still here.").unwrap();
    assert!(secs(&line) > 0.3 && loud_enough(&line), "{}", secs(&line));
    let restarted = engine.worker_pid().expect("a new worker");
    assert_ne!(restarted, pid);
}

#[test]
fn a_missing_caller_voice_fails_to_start_with_the_reason() {
    let e = tts::start_caller(CallerVoice::Joe, 1.0, Path::new("/nonexistent/python"))
        .err()
        .expect("no python, no voice");
    assert!(e.to_string().contains("joe"), "{e}");
}
