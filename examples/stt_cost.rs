//! What one whisper pass costs: a fixed set of caller turns (yes/no, names, spelled letters,
//! numbers, sentences, messages: 24 lines of about 1 to 7 s) said by the agent's test voice (hibari) and a
//! caller voice (Piper joe), put on the 8 kHz µ-law line and back to 16 kHz as the server hears
//! them, transcribed by `speech::stt` as the server runs it (the same parameters, the second
//! look at a doubtful pass included) under each setting to compare, and reported as **CPU time**
//! per transcription (the process's user + system time, so it means something on a shared
//! machine where wall-clock time does not), split into the log-mel, the encoder and the decoder,
//! with the transcripts' word error rate against the script.
//!
//! Usage: `cargo run --release --example stt_cost -- [--rounds N] [--audio DIR] [--verbose]
//! SETTING…`, each SETTING a comma-separated list of `label=…`, `model=PATH` (default
//! `models/ggml-tiny.en.bin`), `threads=N` (default 2), `flash=0|1` (whisper.cpp's flash
//! attention, default 0), `ctx=N` (the smallest encoder window, default the server's). The
//! settings run interleaved (each clip under every setting in turn, round after round), so a
//! change in the machine's load falls on all of them alike. Rendered line audio is kept in
//! `--audio DIR` (default `target/stt_cost_audio`) and reused, so every run hears the same
//! clips. Needs `scripts/setup.sh`.
//!
//! Example: `cargo run --release --example stt_cost -- --rounds 5 label=f16
//! label=q8_0,model=models/ggml-tiny.en-q8_0.bin`

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use frontdesk::audio::{g711, resample};
use frontdesk::config::TtsChoice;
use frontdesk::persona::Persona;
use frontdesk::sim::bench::word_error_rate;
use frontdesk::speech::stt::{PassCost, Stt, MIN_AUDIO_CTX, SAMPLE_RATE};
use frontdesk::speech::tts::caller::CallerVoice;
use frontdesk::speech::tts::{self, TtsEngine};

/// The turns, by kind, as the script says them (numbers as digits, as `frontdesk bench` scores).
const SCRIPT: &[(&str, &str)] = &[
    ("yes/no", "Yes."),
    ("yes/no", "No, thank you."),
    ("yes/no", "Yep, that's correct."),
    ("name", "This is Jordan Lee."),
    ("name", "My name is Priya Raman, from Acme Corp."),
    ("spelled", "Haddad, H. A. D. D. A. D."),
    ("spelled", "Owusu is spelled O W U S U."),
    ("number", "Area code 415, then 555 0144."),
    ("number", "Thursday at 2:30 pm."),
    (
        "sentence",
        "I'd like to book a meeting with Alex next Tuesday afternoon.",
    ),
    (
        "message",
        "Could you tell Alex that the board dinner moved to the Seaport hotel? This is Minh Pham from Andes Solar.",
    ),
    (
        "message",
        "I'm calling to let Alex know that the payroll vendor needs a signature on the renewal before Friday.",
    ),
    ("yes/no", "That's everything, thanks. Goodbye."),
    ("name", "No, my name is Omar Haddad."),
    ("name", "This is Javier Morales from Seoul Bridge Ventures."),
    ("spelled", "Omar, O. M. A. R."),
    (
        "number",
        "No, please call me on area code 415, then 555 0144.",
    ),
    ("sentence", "I'd like to leave a message for Alex."),
    (
        "sentence",
        "I'd like to go over the quarterly budget review with Alex.",
    ),
    ("sentence", "Could you move my appointment to Friday at 10 am?"),
    ("sentence", "Can I speak to someone about my invoice?"),
    ("message", "Just that the investor deck needs one more revision."),
    ("message", "It's about the contract renewal, and it's urgent."),
    (
        "message",
        "Tell him the shipment arrives Monday morning, and he should call me back at 617 555 0199.",
    ),
];

/// One setting to measure.
struct Setting {
    label: String,
    model: PathBuf,
    threads: usize,
    flash: bool,
    min_ctx: i32,
}

impl Setting {
    fn parse(spec: &str, root: &Path) -> anyhow::Result<Self> {
        let mut s = Setting {
            label: spec.to_string(),
            model: root.join("models/ggml-tiny.en.bin"),
            threads: 2,
            flash: false,
            min_ctx: MIN_AUDIO_CTX,
        };
        for part in spec.split(',') {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| anyhow::anyhow!("{part:?}: expected key=value"))?;
            match k {
                "label" => s.label = v.to_string(),
                "model" => s.model = root.join(v),
                "threads" => s.threads = v.parse()?,
                "flash" => s.flash = v == "1" || v == "true",
                "ctx" => s.min_ctx = v.parse()?,
                _ => anyhow::bail!("{k:?}: unknown key (label, model, threads, flash, ctx)"),
            }
        }
        Ok(s)
    }
}

/// One clip on the line.
struct Clip {
    kind: &'static str,
    voice: &'static str,
    said: &'static str,
    audio: Vec<f32>,
}

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

/// Linux's `CLOCK_PROCESS_CPUTIME_ID`: CPU time of every thread of the process.
const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;

/// The CPU time this process has used (user + system, all threads, nanosecond resolution).
fn cpu_time() -> Duration {
    let mut t = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `clock_gettime` writes one `struct timespec` (two 64-bit fields on Linux x86-64
    // and aarch64) into `t`, which lives on this stack frame.
    let rc = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// The µ-law line audio of `text` in voice `name`, from `dir` when rendered before, else
/// rendered by the voice (started on first use into `engine`) and kept there.
fn line(
    dir: &Path,
    name: &str,
    engine: &mut Option<Arc<dyn TtsEngine>>,
    text: &str,
) -> anyhow::Result<Vec<u8>> {
    use sha2::{Digest, Sha256};
    let id = Sha256::digest(format!("{name}\n{text}").as_bytes());
    let hex: String = id.iter().take(12).map(|b| format!("{b:02x}")).collect();
    let path = dir.join(name).join(format!("{hex}.ulaw"));
    if let Ok(bytes) = std::fs::read(&path) {
        return Ok(bytes);
    }
    let voice = match engine {
        Some(v) => v.clone(),
        None => {
            let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
            let v = if name == "joe" {
                tts::start_caller(CallerVoice::Joe, 1.0, &python)?
            } else {
                tts::start(TtsChoice::Hibari, &python)?
            };
            engine.insert(v).clone()
        }
    };
    let mulaw = tts::speak_line(voice.as_ref(), text)?;
    std::fs::create_dir_all(path.parent().unwrap_or(dir))?;
    std::fs::write(&path, &mulaw)?;
    Ok(mulaw)
}

fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = (p / 100.0 * (v.len() - 1) as f64).round() as usize;
    v[rank.min(v.len() - 1)]
}

/// Words joined by dashes ("H-A-D-D-A-D", "555-0144") as separate words, so a spelling scores
/// letter by letter whichever way whisper writes it.
fn dashes_apart(text: &str) -> String {
    text.replace('-', " ")
}

/// What one setting measured.
#[derive(Default)]
struct Tally {
    total: Vec<f64>,
    short: Vec<f64>,
    long: Vec<f64>,
    mel: Vec<f64>,
    encode: Vec<f64>,
    decode: Vec<f64>,
    wer: Vec<f64>,
    second_looks: usize,
    misheard: Vec<String>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> anyhow::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut rounds = 3usize;
    let mut audio_dir = root.join("target/stt_cost_audio");
    let mut verbose = false;
    let mut settings = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().unwrap_or_default().parse()?,
            "--audio" => audio_dir = PathBuf::from(args.next().unwrap_or_default()),
            "--verbose" => verbose = true,
            spec => settings.push(Setting::parse(spec, &root)?),
        }
    }
    if settings.is_empty() {
        settings.push(Setting::parse("label=f16", &root)?);
    }

    // The clips, rendered once (the voices run in their own processes, stopped before any
    // measure).
    let mut clips = Vec::new();
    for name in ["hibari", "joe"] {
        let mut engine = None;
        for &(kind, said) in SCRIPT {
            let mulaw = line(&audio_dir, name, &mut engine, said)?;
            clips.push(clip(kind, name, said, &mulaw)?);
        }
    }

    let persona = Persona::load(&root.join("prompts/persona.toml"))?;
    let prompt = persona.stt_prompt();
    let mut stts = Vec::new();
    for s in &settings {
        let stt =
            Stt::load_with(&s.model, &prompt, s.threads, s.flash)?.with_min_audio_ctx(s.min_ctx);
        // One untimed pass: first-use allocations are not a pass's cost.
        stt.transcribe_blocking(&clips[0].audio)?;
        stts.push(stt);
    }

    let mut tallies: Vec<Tally> = settings.iter().map(|_| Tally::default()).collect();
    for round in 0..rounds {
        for c in &clips {
            for (k, stt) in stts.iter().enumerate() {
                let (t, cost): (_, PassCost) = stt.transcribe_costed(&c.audio, cpu_time)?;
                let tally = &mut tallies[k];
                let total = ms(cost.total);
                tally.total.push(total);
                let secs = c.audio.len() as f64 / SAMPLE_RATE as f64;
                if secs < 2.5 {
                    tally.short.push(total);
                } else {
                    tally.long.push(total);
                }
                tally.mel.push(ms(cost.before_encode));
                tally.encode.push(ms(cost.encode));
                tally.decode.push(ms(cost.decode));
                if cost.passes > 1 {
                    tally.second_looks += 1;
                }
                if round == 0 {
                    let wer = word_error_rate(&dashes_apart(c.said), &dashes_apart(&t.text))
                        .unwrap_or(0.0);
                    tally.wer.push(wer);
                    if wer > 0.0 {
                        tally.misheard.push(format!(
                            "{} {:<8} {:.0}% {:?} -> {:?}",
                            c.voice,
                            c.kind,
                            wer * 100.0,
                            c.said,
                            t.text
                        ));
                    }
                }
            }
        }
        eprintln!("round {} of {rounds} done", round + 1);
    }

    let short_n = clips
        .iter()
        .filter(|c| (c.audio.len() as f64 / SAMPLE_RATE as f64) < 2.5)
        .count();
    println!(
        "{} clips ({} under 2.5 s, {} longer; {:.1}–{:.1} s), {} rounds, CPU ms per transcription (process user+sys)\n",
        clips.len(),
        short_n,
        clips.len() - short_n,
        clips.iter().map(|c| c.audio.len()).min().unwrap_or(0) as f64 / SAMPLE_RATE as f64,
        clips.iter().map(|c| c.audio.len()).max().unwrap_or(0) as f64 / SAMPLE_RATE as f64,
        rounds
    );
    println!("| setting | threads | flash | CPU p50 / p95 | short p50 / p95 | long p50 / p95 | log-mel p50 | encoder p50 / p95 | decoder p50 / p95 | second looks | WER (mean per clip) |");
    println!("| --- | ---: | :---: | --- | --- | --- | ---: | --- | --- | ---: | ---: |");
    for (s, t) in settings.iter().zip(&tallies) {
        let wer = t.wer.iter().sum::<f64>() / t.wer.len().max(1) as f64;
        println!(
            "| {} | {} | {} | {:.0} / {:.0} | {:.0} / {:.0} | {:.0} / {:.0} | {:.0} | {:.0} / {:.0} | {:.0} / {:.0} | {} of {} | {:.1}% |",
            s.label,
            s.threads,
            if s.flash { "on" } else { "off" },
            percentile(&t.total, 50.0),
            percentile(&t.total, 95.0),
            percentile(&t.short, 50.0),
            percentile(&t.short, 95.0),
            percentile(&t.long, 50.0),
            percentile(&t.long, 95.0),
            percentile(&t.mel, 50.0),
            percentile(&t.encode, 50.0),
            percentile(&t.encode, 95.0),
            percentile(&t.decode, 50.0),
            percentile(&t.decode, 95.0),
            t.second_looks,
            t.total.len(),
            wer * 100.0
        );
    }
    if verbose {
        for (s, t) in settings.iter().zip(&tallies) {
            println!(
                "\n{}: {} clips not heard word for word",
                s.label,
                t.misheard.len()
            );
            for m in &t.misheard {
                println!("  {m}");
            }
        }
    }
    Ok(())
}

fn clip(
    kind: &'static str,
    voice: &'static str,
    said: &'static str,
    mulaw: &[u8],
) -> anyhow::Result<Clip> {
    let audio = resample::resample(&g711::decode_to_f32(mulaw), 8_000, SAMPLE_RATE)?;
    Ok(Clip {
        kind,
        voice,
        said,
        audio,
    })
}
