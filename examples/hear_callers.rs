//! Puts the caller corpus's utterances through the phone path — the caller's voice at their
//! speaking rate, 8 kHz µ-law with their line noise, rubato to 16 kHz, whisper — and appends
//! what whisper heard to `tests/data/callers/heard.jsonl`, keyed by voice, rate, noise and
//! text, so the text-level corpus (`tests/callers.rs`, `benches/callers.rs`) hears callers as
//! the server would. Renderings already in the file are skipped, so it can be run in pieces.
//!
//! Usage: `cargo run --release --example hear_callers -- [LIMIT]` (default: every utterance;
//! the whole corpus takes a long while on a small machine). Needs `scripts/setup.sh`.
//! `-- --say VOICE "text" …` only prints what whisper hears of each text in that voice, on a
//! clean line and at −45 dBFS noise, for trying out a phrasing.
//!
//! Voices: a fact sheet names its voice, one of the caller voices of `tts::caller` (joe, kumo),
//! never the agent's own. The rate is applied by resampling (faster speech is also slightly
//! higher).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use frontdesk::audio::{g711, resample};
use frontdesk::persona::Persona;
use frontdesk::sim::corpus::{corpus_now, generate, Heard, HeardKey, HeardRow, CORPUS_SEED};
use frontdesk::sim::Noise;
use frontdesk::stt::Stt;
use frontdesk::tts::caller::CallerVoice;
use frontdesk::tts::{self, Speech, TtsEngine};

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

/// What whisper hears of `text` said by `voice` at `rate` over a line with `noise_dbfs`.
async fn hear(
    stt: &Stt,
    voice: &dyn TtsEngine,
    text: &str,
    rate: f32,
    noise_dbfs: Option<f32>,
) -> anyhow::Result<String> {
    let speech = voice.synthesize(text)?;
    // Faster speech: the same samples played at a higher rate.
    let speech = Speech {
        rate: (speech.rate as f32 * rate).round() as u32,
        samples: speech.samples,
    };
    let mut mulaw = tts::to_line(&speech)?;
    if let Some(db) = noise_dbfs {
        Noise::new(Noise::SEED).add_to(&mut mulaw, db);
    }
    let pcm = resample::resample(&g711::decode_to_f32(&mulaw), 8_000, 16_000)?;
    Ok(stt.transcribe(pcm).await?.text)
}

/// `--say VOICE TEXT…`: what whisper hears of each text, clean and noisy.
async fn say(args: &[String]) -> anyhow::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let persona = Persona::load(&root.join("prompts/persona.toml"))?;
    let model = std::env::var("FRONTDESK_STT_MODEL").unwrap_or("models/ggml-tiny.en.bin".into());
    let stt = Stt::load(&root.join(model), &persona.stt_prompt(), 2)?;
    let Some((voice, texts)) = args.split_first() else {
        anyhow::bail!("usage: --say VOICE TEXT…");
    };
    let voice = voice_for(voice, &root.join(".venv/bin/python"), &mut HashMap::new())?;
    for text in texts {
        for noise in [None, Some(-45.0)] {
            let heard = hear(&stt, voice.as_ref(), text, 1.0, noise).await?;
            println!("{text:?} ({noise:?} dBFS) -> {heard:?}");
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
    let limit: usize = args
        .first()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(usize::MAX);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let persona = Persona::load(&root.join("prompts/persona.toml"))?;
    let out_path = root.join("tests/data/callers/heard.jsonl");
    std::fs::create_dir_all(out_path.parent().expect("has a parent"))?;
    let done = Heard::load(&out_path)?;
    let stt = Stt::load(
        &root.join("models/ggml-tiny.en.bin"),
        &persona.stt_prompt(),
        2,
    )?;
    let python = root.join(".venv/bin/python");
    let mut voices = HashMap::new();
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&out_path)?;
    let corpus = generate(&persona, corpus_now(), CORPUS_SEED, 180);
    let mut rendered = 0;
    'calls: for sheet in &corpus {
        for text in sheet.utterances() {
            if rendered >= limit {
                break 'calls;
            }
            let key = HeardKey::new(sheet, &text);
            if done.contains(&key) {
                continue;
            }
            let voice = voice_for(&sheet.voice, &python, &mut voices)?;
            let heard = hear(&stt, voice.as_ref(), &text, sheet.rate, sheet.noise_dbfs).await?;
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
