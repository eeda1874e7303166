//! Silero VAD (the real model, through the ONNX runtime `scripts/setup.sh` installs) on the
//! caller's line: natural speech (hibari, and Piper's joe) rendered to 8 kHz µ-law, with and
//! without steady line noise, fed frame by frame to the endpointer. It must find the speech
//! where it is, keep a phone number read in groups in one utterance, and open nothing on line
//! noise alone. Frames are counted; no wall clock is involved.

mod common;

use std::sync::{Arc, OnceLock};

use frontdesk::audio::noise::{line_noise, LineNoise};
use frontdesk::audio::vad::{level_dbfs, Detector, Endpoint, Endpointer, Patience, VadConfig};
use frontdesk::audio::{g711, resample, LINE_FRAME};
use frontdesk::speech::tts::{self, caller::CallerVoice};
use frontdesk::speech::vad::{find_runtime, Silero};

/// The model, loaded once for the whole binary.
fn silero() -> Arc<Silero> {
    static MODEL: OnceLock<Arc<Silero>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            common::require_setup();
            let root = common::root();
            let runtime = find_runtime(None, &root.join(".venv/bin/python"))
                .expect("the ONNX runtime is installed: run scripts/setup.sh");
            Arc::new(
                Silero::load(&root.join("models/silero_vad.onnx"), &runtime)
                    .expect("Silero loads: run scripts/setup.sh"),
            )
        })
        .clone()
}

/// What the endpointer made of a clip, in frames.
#[derive(Debug, Default)]
struct Heard {
    starts: Vec<usize>,
    ends: Vec<usize>,
    /// Frames judged speech.
    speech: Vec<bool>,
}

/// `clip` (8 kHz) plus `noise` over the µ-law line, through a Silero-judged endpointer.
fn hear(clip: &[f32], noise: Option<(LineNoise, f32)>, patience: Patience) -> Heard {
    let mixed: Vec<f32> = match noise {
        Some((kind, db)) => {
            let n = line_noise(kind, clip.len(), db);
            clip.iter().zip(&n).map(|(s, z)| s + z).collect()
        }
        None => clip.to_vec(),
    };
    let line = g711::decode_to_f32(&g711::encode_from_f32(&mixed));
    let wide = resample::resample(&line, 8_000, 16_000).unwrap();
    let detector = Detector::Model(Box::new(silero().voice()));
    let mut ep = Endpointer::with_detector(VadConfig::default(), detector);
    ep.set_patience(patience);
    let mut heard = Heard::default();
    for (i, frame) in line.chunks_exact(LINE_FRAME).enumerate() {
        let w = wide.get(i * 320..(i + 1) * 320).unwrap_or(&[]);
        match ep.push(frame, w, None) {
            Some(Endpoint::Started) => heard.starts.push(i),
            Some(Endpoint::Ended(_)) => heard.ends.push(i),
            _ => {}
        }
        heard.speech.push(ep.heard_speech());
    }
    heard
}

/// The frames of clean speech that carry words (within 30 dB of its loudest).
fn words(speech: &[f32]) -> Vec<bool> {
    let levels: Vec<f32> = speech.chunks(LINE_FRAME).map(level_dbfs).collect();
    let peak = levels.iter().copied().fold(-100.0f32, f32::max);
    levels.iter().map(|l| *l > peak - 30.0).collect()
}

#[test]
fn silero_finds_natural_speech_on_clean_and_noisy_lines() {
    let python = common::root().join(".venv/bin/python");
    let joe = tts::start_caller(CallerVoice::Joe, 1.0, &python).expect("joe starts");
    let voices = [("hibari", common::caller_voice()), ("joe", joe)];
    let lines = [
        "I'd like to leave a message for Alex, please.",
        "My number is six one seven, five five five, zero one four two.",
    ];
    let (lead, tail) = (75, 100);
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for (name, voice) in &voices {
        for text in lines {
            let speech = g711::decode_to_f32(&tts::speak_line(voice.as_ref(), text).unwrap());
            let mut clip = vec![0.0f32; lead * LINE_FRAME];
            clip.extend_from_slice(&speech);
            clip.extend(vec![0.0f32; tail * LINE_FRAME]);
            let mut truth = vec![false; lead];
            truth.extend(words(&speech));
            let first = truth.iter().position(|w| *w).unwrap();
            let last = truth.iter().rposition(|w| *w).unwrap();
            let mut noises = vec![None];
            for kind in [LineNoise::White, LineNoise::Pink] {
                noises.extend([-50.0, -45.0, -42.0, -40.0].map(|db| Some((kind, db))));
            }
            for noise in noises {
                let case = format!("{name} {text:?} with {noise:?}");
                // Digits are read in groups: the long patience the dialog sets for them.
                let h = hear(&clip, noise, Patience::Long);
                let said = truth.iter().filter(|w| **w).count();
                let found = truth
                    .iter()
                    .zip(&h.speech)
                    .filter(|(w, s)| **w && **s)
                    .count();
                let outside = h.speech[..first.saturating_sub(10)]
                    .iter()
                    .chain(h.speech.iter().skip(last + 50))
                    .filter(|s| **s)
                    .count();
                table.push(format!(
                    "{case}: starts {:?} ends {:?} (words {first}..={last}), {found}/{said} word frames heard, {outside} frames outside",
                    h.starts, h.ends
                ));
                if h.starts.len() != 1 || h.ends.len() != 1 {
                    failures.push(format!("{case}: want one utterance, got {h:?}"));
                    continue;
                }
                let (start, end) = (h.starts[0], h.ends[0]);
                if start + 5 < first || start > first + 10 {
                    failures.push(format!("{case}: started at {start}, words at {first}"));
                }
                // The end comes after the last word, its long silence counted from there.
                if end <= last {
                    failures.push(format!("{case}: ended at {end}, last word at {last}"));
                }
                if found * 10 < said * 8 {
                    failures.push(format!("{case}: heard {found} of {said} word frames"));
                }
                if outside > 0 {
                    failures.push(format!(
                        "{case}: {outside} frames of noise taken for speech"
                    ));
                }
            }
        }
    }
    eprintln!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn silero_opens_nothing_on_line_noise_alone() {
    let mut failures = Vec::new();
    for kind in [LineNoise::White, LineNoise::Pink, LineNoise::Hum] {
        for db in [-50.0f32, -45.0, -42.0, -40.0] {
            // Ten seconds of the line with nobody speaking.
            let h = hear(&vec![0.0; 80_000], Some((kind, db)), Patience::Normal);
            let speech = h.speech.iter().filter(|s| **s).count();
            if !h.starts.is_empty() || speech > 0 {
                failures.push(format!(
                    "{kind:?} at {db} dBFS: {speech} frames of speech, starts {:?}",
                    h.starts
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_missing_model_or_runtime_is_a_clear_error() {
    let root = common::root();
    let runtime = find_runtime(None, &root.join(".venv/bin/python")).unwrap();
    let e = Silero::load(&root.join("models/no_such_vad.onnx"), &runtime).unwrap_err();
    assert!(e.to_string().contains("run scripts/setup.sh"), "{e}");
    let e = find_runtime(Some(&root.join("no/libonnxruntime.so")), &root).unwrap_err();
    assert!(e.to_string().contains("ORT_DYLIB_PATH"), "{e}");
}
