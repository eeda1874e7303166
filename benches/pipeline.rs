//! Speed and accuracy of the speech path, on this machine:
//!
//!   cargo bench --bench pipeline            (after scripts/setup.sh)
//!
//! For caller lines (fixed ones, plus booking utterances from ../shared/data/sgd when present):
//! natural voice → 8 kHz µ-law (as on a call) → 16 kHz → whisper. Prints p50/p95 of synthesis
//! and transcription time, real-time ratios, and word accuracy, for the encoder window we use
//! and for whisper's full 30 s window, so the speed-up is measured, not claimed.

use std::path::Path;
use std::time::Instant;

use frontdesk::audio::{g711, resample};
use frontdesk::config::TtsChoice;
use frontdesk::speech::stt::Stt;
use frontdesk::speech::tts;

const LINES: &[&str] = &[
    "Hi, I'd like to leave a message for Alex, please.",
    "This is Jordan Lee from Acme.",
    "Yes.",
    "No.",
    "Please call me back about the contract renewal before Friday.",
    "My number is six one seven, five five five, zero one nine nine.",
    "Can I speak to someone about the board meeting tomorrow morning?",
    "It's urgent, the server room is flooding.",
    "That's right.",
    "I'm calling from Contoso about the invoice.",
];

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Share of reference words found, in order (a simple, robust word accuracy).
fn accuracy(reference: &str, heard: &str) -> f64 {
    let r = words(reference);
    let h = words(heard);
    if r.is_empty() {
        return 1.0;
    }
    let mut j = 0;
    let mut hits = 0;
    for w in &r {
        if let Some(k) = h[j..].iter().position(|x| x == w) {
            hits += 1;
            j += k + 1;
        }
    }
    hits as f64 / r.len() as f64
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn sgd_lines(n: usize) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/sgd/booking-datetime-train.jsonl");
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .step_by(97)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["utterance"].as_str().map(str::to_string))
        .take(n)
        .collect()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let voice = tts::start(TtsChoice::Hibari, &root.join(".venv/bin/python"))
        .expect("run scripts/setup.sh");
    let persona = frontdesk::persona::Persona::load(&root.join("prompts/persona.toml")).unwrap();
    let stt = Stt::load(
        &root.join("models/ggml-tiny.en.bin"),
        &persona.stt_prompt(),
        2,
    )
    .expect("model");

    let mut lines: Vec<String> = LINES.iter().map(|s| s.to_string()).collect();
    lines.extend(sgd_lines(30));

    // Synthesis.
    let mut tts_ms = Vec::new();
    let mut tts_rt = Vec::new();
    let mut clips = Vec::new();
    for line in &lines {
        let t = Instant::now();
        let mulaw = tts::speak_line(voice.as_ref(), line).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let audio_s = mulaw.len() as f64 / 8000.0;
        tts_ms.push(ms);
        tts_rt.push(audio_s / (ms / 1000.0));
        let wide = resample::resample(&g711::decode_to_f32(&mulaw), 8_000, 16_000).unwrap();
        clips.push((line.clone(), wide, audio_s));
    }
    tts_ms.sort_by(f64::total_cmp);
    tts_rt.sort_by(f64::total_cmp);
    println!(
        "{} caller lines ({} from SGD)",
        lines.len(),
        lines.len() - LINES.len()
    );
    println!(
        "tts  hibari → 8 kHz µ-law: p50 {:.0} ms, p95 {:.0} ms; {:.0}x real time (p50)",
        pct(&tts_ms, 0.5),
        pct(&tts_ms, 0.95),
        pct(&tts_rt, 0.5)
    );

    let mut p50s = Vec::new();
    for (label, min_ctx) in [
        (
            "window sized to the clip",
            frontdesk::speech::stt::MIN_AUDIO_CTX,
        ),
        ("full 30 s window", 1500),
    ] {
        let stt = stt.clone().with_min_audio_ctx(min_ctx);
        let _ = stt.transcribe_blocking(&clips[0].1); // warm up
        let mut ms = Vec::new();
        let mut rt = Vec::new();
        let mut acc = Vec::new();
        for (line, wide, audio_s) in &clips {
            let t = Instant::now();
            let heard = stt.transcribe_blocking(wide).unwrap().text;
            let took = t.elapsed().as_secs_f64() * 1000.0;
            ms.push(took);
            rt.push(audio_s / (took / 1000.0));
            acc.push(accuracy(line, &heard));
        }
        ms.sort_by(f64::total_cmp);
        rt.sort_by(f64::total_cmp);
        let mean_acc = acc.iter().sum::<f64>() / acc.len() as f64;
        println!(
            "stt  whisper tiny.en, {label} (min {min_ctx}): p50 {:.0} ms, p95 {:.0} ms; {:.1}x real time (p50); word accuracy {:.1} %",
            pct(&ms, 0.5),
            pct(&ms, 0.95),
            pct(&rt, 0.5),
            mean_acc * 100.0
        );
        p50s.push(pct(&ms, 0.5));
    }
    println!(
        "stt  speed-up of the sized window over the full window: {:.2}x (p50)",
        p50s[1] / p50s[0]
    );
}
