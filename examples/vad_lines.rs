//! Silero VAD against the energy detector on clean and noisy lines: natural speech (hibari and
//! Piper's joe) rendered to 8 kHz µ-law, alone and with white or pink noise at −50…−40 dBFS,
//! fed frame by frame to the endpointer under each detector. Prints a table:
//!
//! - frame precision and recall of "speech" against the frames that carry words in the clean
//!   rendering (within 30 dB of its peak);
//! - onset: the utterance's start event against the first word frame (ms; the start needs
//!   `start_ms` of speech, so +100 ms is on time); offset: the last frame judged speech in the
//!   utterance against the last word frame (ms; the turn ends its configured silence after it);
//! - utterances: clips heard as exactly one utterance (the long patience of a number);
//!   noise starts: utterances opened in 10 s of each noise alone;
//! - µs per 20 ms frame (p50 / p95) for the whole endpointer step, indicative only.
//!
//! ```sh
//! cargo run --release --example vad_lines
//! cargo run --release --example vad_lines -- --speech 0.5 --hold 0.5   # Silero's marks
//! ```

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use frontdesk::audio::noise::{line_noise, LineNoise};
use frontdesk::audio::vad::{
    level_dbfs, Detector, Endpoint, Endpointer, Patience, VadConfig, FRAME_MS,
};
use frontdesk::audio::{g711, resample, LINE_FRAME};
use frontdesk::config::TtsChoice;
use frontdesk::speech::tts::{self, caller::CallerVoice};
use frontdesk::speech::vad::{find_runtime, Silero};

const LINES: [&str; 4] = [
    "I'd like to leave a message for Alex, please.",
    "My number is six one seven, five five five, zero one four two.",
    "Hello, this is Jordan Lee, and I'm calling about the meeting on Thursday at two.",
    "Yes.",
];

/// One rendered line: its 8 kHz samples with lead and tail, and which frames carry words.
struct Clip {
    samples: Vec<f32>,
    truth: Vec<bool>,
}

#[derive(Default)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
    onsets: Vec<i64>,
    offsets: Vec<i64>,
    single: usize,
    clips: usize,
    noise_starts: usize,
    micros: Vec<f64>,
}

/// What one pass of a clip gave: per-frame verdicts, start and end frames.
fn run(
    cfg: &VadConfig,
    line: &[f32],
    detector: Detector,
    patience: Patience,
    micros: &mut Vec<f64>,
) -> (Vec<bool>, Vec<usize>, Vec<usize>) {
    let wide = resample::resample(line, 8_000, 16_000).unwrap_or_default();
    let mut ep = Endpointer::with_detector(cfg.clone(), detector);
    ep.set_patience(patience);
    let (mut heard, mut starts, mut ends) = (Vec::new(), Vec::new(), Vec::new());
    for (i, frame) in line.chunks_exact(LINE_FRAME).enumerate() {
        let w = wide.get(i * 320..(i + 1) * 320).unwrap_or(&[]);
        let t = Instant::now();
        let event = ep.push(frame, w, None);
        micros.push(t.elapsed().as_secs_f64() * 1e6);
        match event {
            Some(Endpoint::Started) => starts.push(i),
            Some(Endpoint::Ended(_)) => ends.push(i),
            _ => {}
        }
        heard.push(ep.heard_speech());
    }
    (heard, starts, ends)
}

fn over_line(clip: &[f32], noise: Option<(LineNoise, f32)>) -> Vec<f32> {
    let mixed: Vec<f32> = match noise {
        Some((kind, db)) => {
            let n = line_noise(kind, clip.len(), db);
            clip.iter().zip(&n).map(|(s, z)| s + z).collect()
        }
        None => clip.to_vec(),
    };
    g711::decode_to_f32(&g711::encode_from_f32(&mixed))
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn median(v: &mut [i64]) -> String {
    if v.is_empty() {
        return "–".into();
    }
    v.sort();
    let m = v[v.len() / 2];
    let worst = v.iter().copied().max_by_key(|x| x.abs()).unwrap_or(0);
    format!("{m:+} ({worst:+})")
}

fn main() -> anyhow::Result<()> {
    let mut cfg = VadConfig::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = || -> anyhow::Result<f32> {
            Ok(pair
                .get(1)
                .map(|v| v.parse())
                .transpose()?
                .unwrap_or_default())
        };
        match pair[0].as_str() {
            "--speech" => cfg.speech_threshold = value()?,
            "--hold" => cfg.hold_threshold = value()?,
            other => anyhow::bail!("unknown argument {other} (--speech P, --hold P)"),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python");
    let runtime = find_runtime(None, &python)?;
    let silero = Arc::new(Silero::load(
        &root.join("models/silero_vad.onnx"),
        &runtime,
    )?);
    let voices = [
        ("hibari", tts::start(TtsChoice::Hibari, &python)?),
        ("joe", tts::start_caller(CallerVoice::Joe, 1.0, &python)?),
    ];
    let (lead, tail) = (75usize, 100usize);
    let mut clips = Vec::new();
    for (_, voice) in &voices {
        for text in LINES {
            let speech = g711::decode_to_f32(&tts::speak_line(voice.as_ref(), text)?);
            let levels: Vec<f32> = speech.chunks(LINE_FRAME).map(level_dbfs).collect();
            let peak = levels.iter().copied().fold(-100.0f32, f32::max);
            let mut samples = vec![0.0f32; lead * LINE_FRAME];
            samples.extend_from_slice(&speech);
            samples.extend(vec![0.0f32; tail * LINE_FRAME]);
            let mut truth = vec![false; lead];
            truth.extend(levels.iter().map(|l| *l > peak - 30.0));
            truth.resize(samples.len() / LINE_FRAME, false);
            clips.push(Clip { samples, truth });
        }
    }
    let mut noises: Vec<Option<(LineNoise, f32)>> = vec![None];
    for kind in [LineNoise::White, LineNoise::Pink] {
        noises.extend([-50.0, -45.0, -42.0, -40.0].map(|db| Some((kind, db))));
    }
    println!("| line | detector | precision | recall | onset ms median (worst) | offset ms median (worst) | one utterance | starts in 10 s of noise alone | µs/frame p50 / p95 |");
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for noise in noises {
        let label = match noise {
            None => "clean".to_string(),
            Some((kind, db)) => format!("{} {db} dBFS", kind.as_str()),
        };
        for engine in ["energy", "silero"] {
            let detector = || match engine {
                "silero" => Detector::Model(Box::new(silero.voice())),
                _ => Detector::Energy,
            };
            let mut t = Tally::default();
            for clip in &clips {
                let line = over_line(&clip.samples, noise);
                let (heard, starts, ends) =
                    run(&cfg, &line, detector(), Patience::Long, &mut t.micros);
                t.clips += 1;
                for (w, s) in clip.truth.iter().zip(&heard) {
                    match (w, s) {
                        (true, true) => t.tp += 1,
                        (false, true) => t.fp += 1,
                        (true, false) => t.fn_ += 1,
                        _ => {}
                    }
                }
                let first = clip.truth.iter().position(|w| *w).unwrap_or(0) as i64;
                let last = clip.truth.iter().rposition(|w| *w).unwrap_or(0) as i64;
                if starts.len() == 1 && ends.len() == 1 {
                    t.single += 1;
                }
                if let Some(s) = starts.first() {
                    t.onsets.push((*s as i64 - first) * FRAME_MS as i64);
                    let until = ends.first().copied().unwrap_or(heard.len());
                    if let Some(l) = heard[*s..until].iter().rposition(|h| *h) {
                        t.offsets.push(((s + l) as i64 - last) * FRAME_MS as i64);
                    }
                }
            }
            if let Some(n) = noise {
                let alone = over_line(&vec![0.0; 80_000], Some(n));
                let (_, starts, _) =
                    run(&cfg, &alone, detector(), Patience::Normal, &mut Vec::new());
                t.noise_starts = starts.len();
            }
            let precision = t.tp as f64 / (t.tp + t.fp).max(1) as f64;
            let recall = t.tp as f64 / (t.tp + t.fn_).max(1) as f64;
            let (p50, p95) = (
                percentile(&mut t.micros, 0.5),
                percentile(&mut t.micros, 0.95),
            );
            println!(
                "| {label} | {engine} | {:.1}% | {:.1}% | {} | {} | {}/{} | {} | {p50:.1} / {p95:.1} |",
                precision * 100.0,
                recall * 100.0,
                median(&mut t.onsets),
                median(&mut t.offsets),
                t.single,
                t.clips,
                if noise.is_some() { t.noise_starts.to_string() } else { "–".into() },
            );
        }
    }
    Ok(())
}
