//! The caller corpus: per-class pass rates and overall.
//!
//! `cargo bench --bench callers` plays every generated call against the dialog at the text
//! level twice: as typed (the dialog alone), then as heard (each utterance as
//! `tests/data/callers/heard.jsonl` has whisper hearing it, else as typed), and prints both
//! tables. `-- --failures` adds every failing transcript of the heard run.
//!
//! `-- --phrasebook heldout [--failures]` plays instead the held-out phrasebook
//! (`corpus::heldout`: the generator's kinds of facts in wording the dialog was not written
//! against), typed, then its calls whose every utterance was rendered through whisper
//! (`hear_callers --phrasebook`, rows in `heard.jsonl` and `heard_heldout.jsonl`) typed and
//! as heard; `--failures` prints the failing transcripts of both runs. `-- --phrasebook heldout2` the
//! second one (`corpus::heldout2`), written apart from both; `-- --phrasebook heldout3` the third
//! (`corpus::heldout3`), written apart from all three; `-- --phrasebook heldout4` the fourth
//! (`corpus::heldout4`), written apart from all four; `-- --phrasebook heldout5` the fifth
//! (`corpus::heldout5`), written apart from all five; `-- --phrasebook heldout6` the sixth
//! (`corpus::heldout6`), written apart from all six; `-- --phrasebook heldout7` the seventh
//! (`corpus::heldout7`), written apart from all seven; `-- --phrasebook heldout8` the eighth
//! (`corpus::heldout8`), written apart from all eight; `-- --phrasebook heldout9` the ninth
//! (`corpus::heldout9`), written apart from all nine.
//!
//! `-- --spoken [--every K] [--only c001,c002] [--print] [--log FILE]` is the measure: every K-th call (default 1: all 180)
//! placed for real, one at a time, each against a server started for it in this process (real
//! whisper, the hibari agent, SQLite): the caller speaks in its own voice (joe or kumo) at its
//! rate over a line with its noise, in real time over the media-stream websocket, and answers
//! the agent's words (as the store recorded them) as the text-level caller does; each call is
//! scored from what the store kept. A call lasts about a minute, so the whole corpus takes
//! about three hours; `--every 6` (30 calls) about half an hour. Needs `scripts/setup.sh`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use frontdesk::persona::Persona;
use frontdesk::sim::corpus::{
    self, corpus_now, generate, run_spoken_call, Heard, Phrasebook, Report, SpokenRig, CORPUS_SEED,
};

/// Calls in the standard corpus (the same as `tests/callers.rs`).
const CALLS: usize = 180;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--spoken") {
        return tokio::runtime::Runtime::new()?.block_on(spoken(&args));
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let persona = Arc::new(Persona::load(&root.join("prompts/persona.toml"))?);
    let book = args
        .iter()
        .position(|a| a == "--phrasebook")
        .and_then(|i| args.get(i + 1))
        .map(|b| b.parse::<Phrasebook>())
        .transpose()
        .map_err(anyhow::Error::msg)?
        .unwrap_or(Phrasebook::Corpus);
    if book != Phrasebook::Corpus {
        let calls = book.sheets(&persona, corpus_now());
        let which = book.describe();
        let failures = args.iter().any(|a| a == "--failures");
        let typed = corpus::run(&persona, &calls, &Heard::none(), corpus_now());
        if failures {
            println!("{}", typed.failing_transcripts());
        }
        println!("{which}, {} calls, as typed:", calls.len());
        println!("{}", typed.table());
        println!("first failed check: {}", first_failures(&typed));
        // As heard: the calls whose every utterance was rendered (`hear_callers --phrasebook`),
        // typed and heard side by side, so whisper's share is the difference.
        let heard = Heard::load_all(&[
            &root.join("tests/data/callers/heard.jsonl"),
            &root.join("tests/data/callers/heard_heldout.jsonl"),
        ])?;
        let rendered: Vec<_> = calls.into_iter().filter(|s| heard.renders(s)).collect();
        if rendered.is_empty() {
            println!("{which}: no call rendered through whisper (examples/hear_callers.rs)");
            return Ok(());
        }
        let typed = corpus::run(&persona, &rendered, &Heard::none(), corpus_now());
        let report = corpus::run(&persona, &rendered, &heard, corpus_now());
        if failures {
            println!("{}", report.failing_transcripts());
        }
        let utterances: usize = rendered.iter().map(|s| s.utterances().len()).sum();
        println!(
            "{which}, the {} calls rendered ({utterances} utterances heard through the phone \
             path): typed {}/{}, as heard:",
            rendered.len(),
            typed.overall().passed,
            typed.overall().total,
        );
        println!("{}", report.table());
        println!("first failed check: {}", first_failures(&report));
        return Ok(());
    }
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
    println!("first failed check: {}", first_failures(&report));
    Ok(())
}

/// The first failed check of each failing call, counted by kind ("number 2, name 1").
fn first_failures(report: &Report) -> String {
    let failures: Vec<String> = report
        .failures()
        .into_iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    failures.join(", ")
}

/// `--spoken`: the corpus placed as real calls (see the module's documentation).
async fn spoken(args: &[String]) -> anyhow::Result<()> {
    let mut every = 1usize;
    let mut only: Option<Vec<String>> = None;
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        let mut value = |what: &str| {
            rest.next()
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("{what} needs a value"))
        };
        match a.as_str() {
            "--every" => every = value("--every")?.parse::<usize>()?.max(1),
            "--log" => {
                // The servers' own log, as `frontdesk serve` writes it (FRONTDESK_LOG filters).
                let file = std::fs::File::create(value("--log")?)?;
                let filter = tracing_subscriber::EnvFilter::try_from_env("FRONTDESK_LOG")
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,whisper_rs=warn"));
                tracing_subscriber::fmt()
                    .with_env_filter(filter)
                    .with_ansi(false)
                    .with_writer(std::sync::Mutex::new(file))
                    .init();
            }
            "--only" => only = Some(value("--only")?.split(',').map(str::to_string).collect()),
            _ => {}
        }
    }
    let print = args.iter().any(|a| a == "--print");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let persona_path = root.join("prompts/persona.toml");
    let persona = Arc::new(Persona::load(&persona_path)?);
    let rig = SpokenRig::load(
        root.join("models/ggml-tiny.en.bin"),
        root.join(".venv/bin/python"),
        persona_path,
    )
    .await?;
    let corpus = generate(&persona, corpus_now(), CORPUS_SEED, CALLS);
    let started = Instant::now();
    let mut calls = Vec::new();
    let chosen = corpus
        .iter()
        .step_by(every)
        .filter(|s| only.as_ref().is_none_or(|ids| ids.contains(&s.id)));
    for sheet in chosen {
        let took = Instant::now();
        let call = run_spoken_call(&rig, &persona, sheet, corpus_now(), print).await?;
        eprintln!(
            "{} [{}]: {} ({:.0} s)",
            call.id,
            call.classes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            match &call.result {
                Ok(()) => "passed".to_string(),
                Err(f) => format!("FAILED {f}"),
            },
            took.elapsed().as_secs_f64()
        );
        calls.push(call);
    }
    let report = Report { calls };
    if args.iter().any(|a| a == "--failures") {
        println!("{}", report.failing_transcripts());
    }
    println!(
        "callers, spoken: {} calls (every {every}th of {CALLS}), placed over the websocket in real \
         time, {:.0} s",
        report.calls.len(),
        started.elapsed().as_secs_f64()
    );
    println!("{}", report.table());
    println!("first failed check: {}", first_failures(&report));
    Ok(())
}
