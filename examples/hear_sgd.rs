//! Puts SGD booking utterances through the phone path — the natural voice, 8 kHz µ-law,
//! rubato to 16 kHz, whisper — and writes what whisper heard, so the date/time parser is
//! tested on heard words, not typed ones.
//!
//! Usage: `cargo run --release --example hear_sgd -- [EVERY_NTH] > tests/data/sgd/heard.jsonl`
//! (default: every 8th row). Needs `scripts/setup.sh` (model and voice). Deterministic for a
//! given model and voice.

use std::path::PathBuf;

use frontdesk::audio::{g711, resample};
use frontdesk::config::TtsChoice;
use frontdesk::persona::Persona;
use frontdesk::speech::stt::Stt;
use frontdesk::speech::tts;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let every: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(8);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read_to_string(root.join("tests/data/sgd/booking-datetime-train.jsonl"))?;
    let prompt = Persona::load(&root.join("prompts/persona.toml"))?.stt_prompt();
    let stt = Stt::load(&root.join("models/ggml-tiny.en.bin"), &prompt, 2)?;
    let voice = tts::start(TtsChoice::Hibari, &root.join(".venv/bin/python"))?;
    for (i, line) in data.lines().enumerate() {
        if i % every != 0 {
            continue;
        }
        let row: serde_json::Value = serde_json::from_str(line)?;
        let text = row["utterance"].as_str().unwrap_or_default();
        let mulaw = tts::speak_line(voice.as_ref(), text)?;
        let pcm = resample::resample(&g711::decode_to_f32(&mulaw), 8_000, 16_000)?;
        let heard = stt.transcribe(pcm).await?.text;
        let out = serde_json::json!({
            "id": row["id"],
            "utterance": text,
            "heard": heard,
            "date": row["date"],
            "time": row["time"],
        });
        println!("{out}");
        eprintln!("{i}: {text:?} -> {heard:?}");
    }
    Ok(())
}
