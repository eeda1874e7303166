//! The voices: the natural hibari worker and the espeak-ng fallback both produce telephone audio.

mod common;

use std::path::Path;

use frontdesk::config::TtsChoice;
use frontdesk::tts::{self, espeak::Espeak};

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
