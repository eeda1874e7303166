//! The caller corpus: per-class pass rates and overall.
//!
//! `cargo bench --bench callers` plays every generated call against the dialog at the text
//! level twice: as typed (the dialog alone), then as heard (each utterance as
//! `tests/data/callers/heard.jsonl` has whisper hearing it, else as typed), and prints both
//! tables. `-- --failures` adds every failing transcript of the heard run.
//! `-- --spoken` is reserved for placing the same calls over real websockets against a running
//! server (the caller policy, `sim::corpus::Caller`, already takes the agent's words from any
//! source); it is not built yet.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use frontdesk::persona::Persona;
use frontdesk::sim::corpus::{self, corpus_now, generate, Heard, CORPUS_SEED};

/// Calls in the standard corpus (the same as `tests/callers.rs`).
const CALLS: usize = 180;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--spoken") {
        anyhow::bail!(
            "--spoken is not built yet: it will place these calls over websockets with \
             sim::place_call, feeding sim::corpus::Caller the agent's transcribed turns"
        );
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let persona = Arc::new(Persona::load(&root.join("prompts/persona.toml"))?);
    let heard = Heard::load(&root.join("tests/data/callers/heard.jsonl"))?;
    let corpus = generate(&persona, corpus_now(), CORPUS_SEED, CALLS);
    // The same callers as typed: the dialog alone, no mishearing.
    let typed = corpus::run(&persona, &corpus, &Heard::none(), corpus_now());
    println!("callers as typed (text level, no whisper):");
    println!("{}", typed.table());
    let started = Instant::now();
    let report = corpus::run(&persona, &corpus, &heard, corpus_now());
    let took = started.elapsed();
    if args.iter().any(|a| a == "--failures") {
        println!("{}", report.failing_transcripts());
    }
    println!(
        "callers: {} calls, {} utterances heard through the phone path, text level, {:.0} ms",
        corpus.len(),
        heard.len(),
        took.as_secs_f64() * 1000.0
    );
    println!("{}", report.table());
    let failures: Vec<String> = report
        .failures()
        .into_iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    println!("first failed check: {}", failures.join(", "));
    Ok(())
}
