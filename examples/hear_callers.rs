//! Puts the caller corpus's utterances through the phone path — the caller's voice at their
//! speaking rate, 8 kHz µ-law with their line noise, rubato to 16 kHz, whisper — and appends
//! what whisper heard to `tests/data/callers/heard.jsonl`, keyed by voice, rate, noise and
//! text, so the text-level corpus (`tests/callers.rs`, `benches/callers.rs`) hears callers as
//! the server would. Renderings already in the file are skipped, so it can be run in pieces.
//! `--phrasebook NAME` (heldout … heldout9) renders a held-out phrasebook's callers instead,
//! into `tests/data/callers/heard_heldout.jsonl`, skipping renderings either file already holds.
//!
//! Each rendering is heard as the server hears a caller: the line is open before and after the
//! words, the server's endpointer cuts the utterance out (pre-roll, 200 ms tail) and whisper
//! hears each piece it cuts.
//!
//! Usage: `cargo run --release --example hear_callers -- [LIMIT] [--phrasebook NAME]
//! [--out PATH] [--model GGML] [--audio DIR] [--every K]` (default: every utterance of the
//! corpus, tiny.en, into `tests/data/callers/heard.jsonl`; the whole corpus takes about 90
//! minutes on an idle two-core machine, far longer beside builds). `--audio DIR` keeps each rendering's line audio
//! there and hears it from there next time, so two models or settings are compared on the same
//! audio; `--every K` takes every K-th call only. Needs `scripts/setup.sh`.
//! `-- --say VOICE [--rate R] "text" …` only prints what whisper hears of each text in that
//! voice, on a clean line and at −45 dBFS noise, piece by piece as the endpointer cuts it, for
//! trying out a phrasing.
//!
//! Voices: a fact sheet names its voice, one of the caller voices of `tts::caller` (joe, kumo),
//! never the agent's own. The rate is applied by resampling (faster speech is also slightly
//! higher).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use frontdesk::audio::g711;
use frontdesk::audio::resample::StreamResampler;
use frontdesk::audio::vad::{Endpoint, Endpointer, Patience, VadConfig};
use frontdesk::persona::Persona;
use frontdesk::sim::corpus::{corpus_now, Heard, HeardKey, HeardRow, Phrasebook};
use frontdesk::sim::Noise;
use frontdesk::speech::stt::Stt;
use frontdesk::speech::tts::caller::CallerVoice;
use frontdesk::speech::tts::{self, Speech, TtsEngine};

/// The engine that speaks voice `name` (a `tts::caller` voice: joe or kumo), started once per
/// voice and spoken at its natural rate (the sheet's rate is applied by resampling).
fn voice_for(
    name: &str,
    python: &std::path::Path,
    started: &mut HashMap<String, Arc<dyn TtsEngine>>,
) -> anyhow::Result<Arc<dyn TtsEngine>> {
    if let Some(v) = started.get(name) {
        return Ok(v.clone());
    }
    let voice: CallerVoice = name.parse()?;
    let v = tts::start_caller(voice, 1.0, python)?;
    started.insert(name.to_string(), v.clone());
    Ok(v)
}

/// The line audio (8 kHz µ-law) of `text` said by `voice` at `rate` over a line with
/// `noise_dbfs`: a second of open line before the words, a second and a half after.
fn render(
    voice: &dyn TtsEngine,
    text: &str,
    rate: f32,
    noise_dbfs: Option<f32>,
) -> anyhow::Result<Vec<u8>> {
    let speech = voice.synthesize(text)?;
    // Faster speech: the same samples played at a higher rate.
    let speech = Speech {
        rate: (speech.rate as f32 * rate).round() as u32,
        samples: speech.samples,
    };
    let mut mulaw = vec![g711::SILENCE; 8_000];
    mulaw.extend(tts::to_line(&speech)?);
    mulaw.extend(std::iter::repeat_n(g711::SILENCE, 12_000));
    if let Some(db) = noise_dbfs {
        Noise::new(Noise::SEED).add_to(&mut mulaw, db);
    }
    Ok(mulaw)
}

/// What whisper hears of a line, as the server hears a caller: the endpointer cuts the
/// utterances out (with its pre-roll and 200 ms tail) and whisper hears each; their texts are
/// joined.
async fn hear_line(stt: &Stt, mulaw: &[u8]) -> anyhow::Result<String> {
    let mut heard = Vec::new();
    for utterance in cut_utterances(mulaw)? {
        let text = stt.transcribe(utterance).await?.text;
        if !text.is_empty() {
            heard.push(text);
        }
    }
    Ok(heard.join(" "))
}

/// Where a rendering's line audio is kept under `dir`: named by a hash of its key, so a
/// second run (another model, another decoder setting) hears the very same audio.
fn audio_file(dir: &std::path::Path, key: &HeardKey) -> PathBuf {
    use sha2::{Digest, Sha256};
    let id = Sha256::digest(serde_json::to_vec(key).unwrap_or_default());
    let hex: String = id.iter().take(12).map(|b| format!("{b:02x}")).collect();
    dir.join(format!("{hex}.ulaw"))
}

/// The utterances the server's endpointer cuts from a µ-law line (20 ms frames, resampled to
/// 16 kHz as the server does), with the patience of an open request.
fn cut_utterances(mulaw: &[u8]) -> anyhow::Result<Vec<Vec<f32>>> {
    let mut resampler = StreamResampler::telephone_to_whisper()?;
    let mut endpointer = Endpointer::new(VadConfig::default());
    endpointer.set_patience(Patience::Request);
    let mut out = Vec::new();
    for frame in g711::decode_to_f32(mulaw).chunks(160) {
        let mut wide = Vec::with_capacity(320);
        resampler.push(frame, &mut wide)?;
        if let Some(Endpoint::Ended(u)) = endpointer.push(frame, &wide, None) {
            out.push(u.audio);
        }
    }
    out.extend(endpointer.flush().map(|u| u.audio));
    Ok(out)
}

/// `--say VOICE TEXT…`: what whisper hears of each text, clean and noisy.
async fn say(args: &[String]) -> anyhow::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let persona = Persona::load(&root.join("prompts/persona.toml"))?;
    let model = std::env::var("FRONTDESK_STT_MODEL").unwrap_or("models/ggml-tiny.en.bin".into());
    let stt = Stt::load(&root.join(model), &persona.stt_prompt(), 2)?;
    let Some((voice, mut texts)) = args.split_first() else {
        anyhow::bail!("usage: --say VOICE [--rate R] TEXT…");
    };
    let mut rate = 1.0;
    if let [flag, r, rest @ ..] = texts {
        if flag == "--rate" {
            rate = r.parse()?;
            texts = rest;
        }
    }
    let voice = voice_for(voice, &root.join(".venv/bin/python"), &mut HashMap::new())?;
    for text in texts {
        for noise in [None, Some(-45.0)] {
            let line = render(voice.as_ref(), text, rate, noise)?;
            let mut pieces = Vec::new();
            for utterance in cut_utterances(&line)? {
                let secs = utterance.len() as f32 / 16_000.0;
                let heard = stt.transcribe(utterance).await?.text;
                pieces.push(format!("[{secs:.2} s] {heard:?}"));
            }
            println!(
                "{text:?} (x{rate}, {noise:?} dBFS) -> {}",
                pieces.join(" + ")
            );
        }
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--say") {
        return say(&args[1..]).await;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus_rows = root.join("tests/data/callers/heard.jsonl");
    let mut out_path: Option<PathBuf> = None;
    let mut book = Phrasebook::Corpus;
    let mut model = root.join("models/ggml-tiny.en.bin");
    let mut audio_dir: Option<PathBuf> = None;
    let mut every = 1usize;
    let mut limit = usize::MAX;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |what: &str| {
            rest.next()
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("{what} needs a value"))
        };
        match arg.as_str() {
            "--out" => out_path = Some(value("--out")?.into()),
            "--phrasebook" => book = value("--phrasebook")?.parse().map_err(anyhow::Error::msg)?,
            "--model" => model = value("--model")?.into(),
            "--audio" => audio_dir = Some(value("--audio")?.into()),
            "--every" => every = value("--every")?.parse::<usize>()?.max(1),
            n => limit = n.parse()?,
        }
    }
    // A held-out phrasebook's rows go to their own file by default, and a rendering the
    // corpus's file already holds is the same rendering (same key), so it is not made twice.
    let held_out_default = out_path.is_none() && book != Phrasebook::Corpus;
    let out_path = out_path.unwrap_or_else(|| match book {
        Phrasebook::Corpus => corpus_rows.clone(),
        _ => root.join("tests/data/callers/heard_heldout.jsonl"),
    });
    let done = if held_out_default {
        Heard::load_all(&[&corpus_rows, &out_path])?
    } else {
        Heard::load(&out_path)?
    };
    let persona = Persona::load(&root.join("prompts/persona.toml"))?;
    std::fs::create_dir_all(out_path.parent().expect("has a parent"))?;
    if let Some(dir) = &audio_dir {
        std::fs::create_dir_all(dir)?;
    }
    let stt = Stt::load(&model, &persona.stt_prompt(), 2)?;
    let python = root.join(".venv/bin/python");
    let mut voices = HashMap::new();
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&out_path)?;
    let corpus = book.sheets(&persona, corpus_now());
    let mut rendered = 0;
    'calls: for sheet in corpus.iter().step_by(every) {
        for text in sheet.utterances() {
            if rendered >= limit {
                break 'calls;
            }
            let key = HeardKey::new(sheet, &text);
            if done.contains(&key) {
                continue;
            }
            let cached = audio_dir.as_deref().map(|d| audio_file(d, &key));
            let line = match cached.as_deref().map(std::fs::read) {
                Some(Ok(line)) => line,
                _ => {
                    let voice = voice_for(&sheet.voice, &python, &mut voices)?;
                    let line = render(voice.as_ref(), &text, sheet.rate, sheet.noise_dbfs)?;
                    if let Some(path) = &cached {
                        std::fs::write(path, &line)?;
                    }
                    line
                }
            };
            let heard = hear_line(&stt, &line).await?;
            eprintln!(
                "{} {} x{} {}: {text:?} -> {heard:?}",
                sheet.id, key.voice, key.rate, key.noise
            );
            let row = HeardRow { key, heard };
            writeln!(out, "{}", serde_json::to_string(&row)?)?;
            rendered += 1;
        }
    }
    eprintln!("rendered {rendered} utterances into {}", out_path.display());
    Ok(())
}
