//! The `frontdesk` binary: parses the command line and calls into the library.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use frontdesk::config::Config;
use frontdesk::sim::{self, SimOptions};
use frontdesk::speech::{stt::Stt, tts};
use frontdesk::{app, audio, persona::Persona};

#[derive(Parser)]
#[command(
    name = "frontdesk",
    version,
    about = "An open-source after-hours voice receptionist"
)]
struct Cli {
    /// Configuration file (TOML); FRONTDESK_* environment variables override it.
    #[arg(long, global = true, env = "FRONTDESK_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Answer calls: serve the Twilio webhook, the media stream and the API.
    Serve,
    /// Place a simulated Twilio call against a running server and print the conversation.
    Call {
        /// The caller's script: one line a turn (see README).
        #[arg(long)]
        script: PathBuf,
        /// The server's base URL (default: http://<listen address>).
        #[arg(long)]
        server: Option<String>,
        /// Caller ID.
        #[arg(long, default_value = "+16175550123")]
        from: String,
        /// Number called.
        #[arg(long, default_value = "+16175550100")]
        to: String,
        /// Do not transcribe the agent's audio on the caller's side.
        #[arg(long)]
        no_transcribe: bool,
        /// The caller's voice: joe (Piper, American male) or kumo (Kokoro, Japanese-accented
        /// male). Default: the configured agent voice (FRONTDESK_TTS).
        #[arg(long)]
        voice: Option<tts::caller::CallerVoice>,
        /// The caller's speaking rate with --voice: 1.0 is the voice's own, 1.3 faster, 0.8 slower
        /// (0.5 to 2).
        #[arg(long, default_value_t = 1.0, requires = "voice")]
        rate: f32,
    },
    /// Measure the server from the callers' side: rounds of concurrent simulated calls over
    /// loopback websockets, each figure as p50 / p95 / max (see BENCHMARKS.md).
    Bench {
        /// Concurrent calls in each round, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,4,8")]
        calls: Vec<usize>,
        /// Rounds of each size against each server (taken in turn, the baseline's and this
        /// one's alternating), pooled into one row: every call's figures together, so the
        /// barge-in stop (one a round) and the tails get enough samples for a p95.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        repeat: u32,
        /// The callers' scripts, played in turn (default: the demo message, booking and
        /// barge-in calls in prompts/).
        #[arg(long)]
        script: Vec<PathBuf>,
        /// A running server to call (its CPU and RSS with --pid). Default: start this binary's
        /// `serve` on a free port with a scratch database, and stop it afterwards.
        #[arg(long)]
        server: Option<String>,
        /// The process id of the --server, to sample its CPU and memory.
        #[arg(long, requires = "server")]
        pid: Option<u32>,
        /// The callers' voice (never the agent's own).
        #[arg(long, default_value = "joe")]
        voice: tts::caller::CallerVoice,
        /// Steady noise on the callers' lines, in dBFS (e.g. -42).
        #[arg(long, allow_hyphen_values = true)]
        noise: Option<f32>,
        /// Also write every figure, per call, as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Also start a server running the pipeline as it was before the speed work (every
        /// call decoding at once, no early transcription at pauses, every sentence
        /// synthesised anew, talking on over the caller until barge_in_ms:
        /// FRONTDESK_STT_WORKERS=0, FRONTDESK_PAUSE_MS=0, FRONTDESK_TTS_CACHE=0,
        /// FRONTDESK_PAUSE_PLAYBACK_MS=0) and play each round against it first, so each figure has
        /// its baseline from the same run.
        #[arg(long, conflicts_with = "server")]
        baseline: bool,
    },
    /// Transcribe a WAV file with the same speech-to-text path calls use.
    Transcribe {
        /// A WAV file (any rate; stereo is mixed down).
        file: PathBuf,
    },
    /// Read utterances on stdin, one a line; print the date and time each asks for as JSON
    /// (`{"date": "YYYY-MM-DD"|null, "time": "HH:MM"|null}`), with the parser the dialog uses.
    ParseTime {
        /// The instant "today" and "tomorrow" are relative to: RFC 3339, with or without an
        /// offset (without one it is wall-clock time in --tz). Default: now.
        #[arg(long)]
        now: Option<String>,
        /// IANA time zone the caller speaks in (default: the persona's, else UTC).
        #[arg(long)]
        tz: Option<String>,
    },
    /// List the calendars found from calendar.caldav_url with the configured credentials (each
    /// one's name and URL) and which one bookings go to: for setting up calendar_name.
    Calendars,
    /// Dashboard users: add one to the database, or print a password hash for the config.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Add a dashboard user (or set a new password for one) in the database. The password is
    /// read from the terminal without echo, or as the first line of stdin when piped.
    Add {
        /// The name to sign in with (letters, digits, '.', '-', '_', '@').
        name: String,
    },
    /// Print an argon2id hash of a password (read like `add`'s) for a `[[users]]` entry in the
    /// config file.
    Hash,
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FRONTDESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,whisper_rs=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging();
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Call {
            script,
            server,
            from,
            to,
            no_transcribe,
            voice,
            rate,
        } => {
            let caller = CallerOptions {
                from,
                to,
                no_transcribe,
                voice,
                rate,
            };
            call(config, script, server, caller).await
        }
        Command::Bench {
            calls,
            repeat,
            script,
            server,
            pid,
            voice,
            noise,
            json,
            baseline,
        } => {
            let target = match server {
                Some(url) => BenchTarget::Running { url, pid },
                None => BenchTarget::Start {
                    config: cli.config.clone(),
                    baseline,
                },
            };
            let opts = BenchOptions {
                calls,
                repeat,
                scripts: script,
                voice,
                noise,
                json,
            };
            bench(config, target, opts).await
        }
        Command::Transcribe { file } => transcribe(config, file).await,
        Command::ParseTime { now, tz } => parse_time(&config, now.as_deref(), tz.as_deref()),
        Command::User { action } => user(config, action).await,
        Command::Calendars => calendars(config).await,
    }
}

/// Prints the calendars `[calendar]` leads to; fails when none can be chosen.
async fn calendars(config: Config) -> anyhow::Result<()> {
    let (text, problem) = frontdesk::caldav::discover::listing(&config.calendar)
        .await
        .context("finding the calendars at calendar.caldav_url")?;
    print!("{text}");
    if let Some(problem) = problem {
        bail!(problem);
    }
    Ok(())
}

/// A password from the terminal (asked twice, without echo) or the first line of stdin.
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.is_empty() {
        bail!("the password is empty");
    }
    Ok(password)
}

async fn user(config: Config, action: UserAction) -> anyhow::Result<()> {
    use frontdesk::dashboard::auth;
    match action {
        UserAction::Add { name } => {
            if !auth::valid_name(&name) {
                bail!(
                    "{name:?} is not a valid user name: use letters, digits, '.', '-', '_' or '@'"
                );
            }
            let password = read_password()?;
            let store = frontdesk::store::SqliteStore::open(&config.database_url)
                .await
                .with_context(|| format!("opening the database ({})", config.database_url))?;
            auth::add_user(&store, &name, &password, chrono::Utc::now()).await?;
            println!("user {name} can now sign in to the dashboard");
        }
        UserAction::Hash => println!("{}", auth::hash_password(&read_password()?)?),
    }
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let running = app::start(config, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    let base = running.services.config.public_base();
    eprintln!(
        "frontdesk is answering at {base}/twilio/voice (media stream {})",
        running
            .services
            .config
            .stream_url(running.services.provider.name())
    );
    eprintln!(
        "call log API: http://{}/api/calls (Authorization: Bearer <FRONTDESK_API_TOKEN>)",
        running.addr
    );
    let config = &running.services.config;
    let channels = frontdesk::notify::channels(config);
    if channels.is_empty() {
        tracing::warn!("no notification channel is configured: escalations and messages stay in the call log only (set FRONTDESK_WEBHOOK_URL, FRONTDESK_SLACK_WEBHOOK_URL or FRONTDESK_SMTP_URL)");
    } else {
        let digest = if config.delivery.digest {
            format!(
                "; routine messages wait for the digest at {}",
                config.delivery.digest_at
            )
        } else {
            String::new()
        };
        let names: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
        eprintln!("notifications: {}{digest}", names.join(", "));
    }
    if config.can_transfer() {
        eprintln!(
            "live transfer: to {} inside the on-call window",
            running.services.persona.assistant.phone
        );
    }
    running.task.await??;
    Ok(())
}

/// Who calls in `frontdesk call`.
/// Which server `frontdesk bench` measures.
enum BenchTarget {
    Running {
        url: String,
        pid: Option<u32>,
    },
    Start {
        config: Option<PathBuf>,
        baseline: bool,
    },
}

struct BenchOptions {
    calls: Vec<usize>,
    repeat: u32,
    scripts: Vec<PathBuf>,
    voice: tts::caller::CallerVoice,
    noise: Option<f32>,
    json: Option<PathBuf>,
}

async fn bench(config: Config, target: BenchTarget, opts: BenchOptions) -> anyhow::Result<()> {
    use frontdesk::sim::bench::{self, BenchServer};
    let paths = if opts.scripts.is_empty() {
        ["demo-call.txt", "demo-booking.txt", "bench-barge-in.txt"]
            .iter()
            .map(|f| PathBuf::from("prompts").join(f))
            .collect()
    } else {
        opts.scripts.clone()
    };
    let mut scripts = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading script {}", path.display()))?;
        let steps = sim::parse_script(&text)?;
        if steps.is_empty() {
            bail!("script {} has no lines", path.display());
        }
        scripts.push(steps);
    }
    if opts.calls.contains(&0) {
        bail!("--calls: every round needs at least one call");
    }
    // Each caller line spoken once, before any call: the calls only stream it.
    let lines: Vec<String> = scripts
        .iter()
        .flatten()
        .filter_map(sim::Step::spoken)
        .map(str::to_string)
        .collect();
    let (python, voice) = (config.python.clone(), opts.voice);
    let voice: Arc<dyn tts::TtsEngine> = tokio::task::spawn_blocking(move || {
        let engine = tts::start_caller(voice, 1.0, &python)?;
        tts::Rehearsed::new(engine, lines.iter().map(String::as_str))
    })
    .await?
    .context("speaking the callers' lines")
    .map(|r| Arc::new(r) as Arc<dyn tts::TtsEngine>)?;
    // The servers to measure: (label, url, pid, API token); the baseline first.
    let mut started = Vec::new();
    let mut targets = Vec::new();
    match target {
        BenchTarget::Running { url, pid } => {
            targets.push(("now", url, pid, config.api_token.clone()))
        }
        BenchTarget::Start {
            config: path,
            baseline,
        } => {
            let exe = std::env::current_exe().context("finding this program")?;
            let mut runs = vec![("now", vec![])];
            if baseline {
                let before = [
                    ("FRONTDESK_STT_WORKERS", "0"),
                    ("FRONTDESK_PAUSE_MS", "0"),
                    ("FRONTDESK_TTS_CACHE", "0"),
                    ("FRONTDESK_PAUSE_PLAYBACK_MS", "0"),
                ]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .to_vec();
                runs.insert(0, ("baseline", before));
            }
            for (label, env) in runs {
                eprintln!("starting the {label} server ({}) …", exe.display());
                let server = BenchServer::start(&exe, path.as_deref(), &env)
                    .await
                    .map_err(anyhow::Error::msg)?;
                targets.push((
                    label,
                    server.url.clone(),
                    Some(server.pid),
                    Some(server.api_token.clone()),
                ));
                started.push(server);
            }
        }
    }
    let api_token = targets[0].3.clone();
    if api_token.is_none() {
        eprintln!("(no FRONTDESK_API_TOKEN: availability after hang-up and the error rate are not measured)");
    }
    let sim_opts = SimOptions {
        public_url: config.public_url.clone(),
        auth_token: config.twilio_auth_token.clone(),
        api_token,
        line_noise_dbfs: opts.noise,
        max_wait: Duration::from_secs(30),
        ..SimOptions::default()
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "frontdesk bench: {} scripts, caller voice {}, line noise {}, {cores} cores",
        scripts.len(),
        opts.voice,
        opts.noise
            .map_or("none".to_string(), |n| format!("{n} dBFS"))
    );
    let mut rounds = Vec::new();
    for &n in &opts.calls {
        let mut played: Vec<Vec<bench::Round>> = vec![Vec::new(); targets.len()];
        for k in 1..=opts.repeat {
            for ((label, url, pid, token), played) in targets.iter().zip(played.iter_mut()) {
                eprintln!(
                    "round: {n} concurrent calls ({label}, {k} of {}) …",
                    opts.repeat
                );
                let opts = SimOptions {
                    server: url.clone(),
                    api_token: token.clone(),
                    ..sim_opts.clone()
                };
                let round = bench::run_round(label, n, &scripts, voice.clone(), &opts, *pid).await;
                for c in round.per_call.iter().filter_map(|c| c.failed.as_deref()) {
                    eprintln!("  a call failed: {c}");
                }
                played.push(round);
            }
        }
        rounds.extend(played.into_iter().filter_map(bench::Round::pooled));
    }
    print!("{}", bench::table(&rounds));
    print!("{}", bench::ratios(&rounds));
    print!("{}", bench::overlaps(&rounds));
    println!("\nWhere the reply latency went (the server's reply_timing notes, medians in ms):\n");
    print!("{}", bench::breakdown_table(&rounds));
    if let Some(path) = &opts.json {
        std::fs::write(path, serde_json::to_string_pretty(&rounds)?)
            .with_context(|| format!("writing {}", path.display()))?;
        println!("every figure, per call: {}", path.display());
    }
    Ok(())
}

struct CallerOptions {
    from: String,
    to: String,
    no_transcribe: bool,
    voice: Option<tts::caller::CallerVoice>,
    rate: f32,
}

async fn call(
    config: Config,
    script: PathBuf,
    server: Option<String>,
    caller: CallerOptions,
) -> anyhow::Result<()> {
    let CallerOptions {
        from,
        to,
        no_transcribe,
        voice,
        rate,
    } = caller;
    let text = std::fs::read_to_string(&script)
        .with_context(|| format!("reading script {}", script.display()))?;
    let steps = sim::parse_script(&text)?;
    if steps.is_empty() {
        bail!("script {} has no lines", script.display());
    }
    let voice = {
        let (choice, python) = (config.tts, config.python.clone());
        tokio::task::spawn_blocking(move || match voice {
            Some(v) => tts::start_caller(v, rate, &python),
            None => tts::start(choice, &python),
        })
        .await?
        .context("starting the caller's voice")?
    };
    // The caller's lines are spoken before dialling, so a slow voice answers on time.
    let voice: Arc<dyn tts::TtsEngine> = Arc::new({
        let lines: Vec<String> = steps
            .iter()
            .filter_map(sim::Step::spoken)
            .map(str::to_string)
            .collect();
        tokio::task::spawn_blocking(move || {
            tts::Rehearsed::new(voice, lines.iter().map(String::as_str))
        })
        .await?
        .context("speaking the caller's lines")?
    });
    let transcriber = if no_transcribe {
        None
    } else {
        let model = config.model.clone();
        let prompt = Persona::load(&config.persona)
            .map(|p| p.stt_prompt())
            .unwrap_or_default();
        match tokio::task::spawn_blocking(move || Stt::load(&model, &prompt, 2)).await? {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("(not transcribing the agent: {e})");
                None
            }
        }
    };
    let opts = SimOptions {
        server: server.unwrap_or_else(|| format!("http://{}", config.listen)),
        public_url: config.public_url.clone(),
        auth_token: config.twilio_auth_token.clone(),
        api_token: config.api_token.clone(),
        from,
        to,
        print: true,
        max_wait: Duration::from_secs(30),
        ..SimOptions::default()
    };
    println!(
        "Calling {} from {} in the {} voice …",
        opts.server,
        opts.from,
        voice.name()
    );
    let report = sim::place_call(&opts, &steps, voice, transcriber).await?;
    println!(
        "Call {} ended ({}).",
        report.call_sid,
        if report.server_hung_up {
            "the agent hung up"
        } else {
            "the caller hung up"
        }
    );
    let latencies: Vec<u64> = report.turns.iter().filter_map(|t| t.latency_ms).collect();
    if !latencies.is_empty() {
        let mut sorted = latencies.clone();
        sorted.sort_unstable();
        println!(
            "Reply latency over {} turns (the caller's last voiced frame to the agent's first, as `frontdesk bench` counts it): median {} ms, worst {} ms.",
            sorted.len(),
            sorted[sorted.len() / 2],
            sorted[sorted.len() - 1]
        );
    }
    if let Some(g) = report.greeting_ms {
        println!("Greeting heard {g} ms after the media stream opened.");
    }
    if let Some(log) = &report.call_log {
        println!("\nCall log as stored by the server:");
        println!(
            "  status {}, outcome {}, caller {} ({}), callback {}",
            log["status"].as_str().unwrap_or("?"),
            log["outcome"].as_str().unwrap_or("-"),
            log["caller"]["name"].as_str().unwrap_or("-"),
            log["caller"]["company"].as_str().unwrap_or("-"),
            log["caller"]["callback_number"].as_str().unwrap_or("-"),
        );
        for t in log["turns"].as_array().into_iter().flatten() {
            let latency = t["latency_ms"]
                .as_i64()
                .map(|l| format!("  [{l} ms]"))
                .unwrap_or_default();
            println!(
                "  {:6} {}{}",
                t["speaker"].as_str().unwrap_or("?"),
                t["text"].as_str().unwrap_or(""),
                latency
            );
        }
    }
    Ok(())
}

async fn transcribe(config: Config, file: PathBuf) -> anyhow::Result<()> {
    let reader =
        hound::WavReader::open(&file).with_context(|| format!("reading {}", file.display()))?;
    let spec = reader.spec();
    let channels = spec.channels.max(1) as usize;
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Int => {
            let scale = (1i64 << (spec.bits_per_sample.saturating_sub(1))) as f32;
            reader
                .into_samples::<i32>()
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .map(|s| s as f32 / scale)
                .collect()
        }
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .collect::<Result<Vec<_>, _>>()?,
    };
    let mono: Vec<f32> = samples
        .chunks(channels)
        .map(|c| c.iter().sum::<f32>() / c.len() as f32)
        .collect();
    let wide = audio::resample::resample(&mono, spec.sample_rate, 16_000)?;
    let prompt = Persona::load(&config.persona)
        .map(|p| p.stt_prompt())
        .unwrap_or_default();
    let stt = Arc::new(Stt::load(&config.model, &prompt, config.stt_threads)?);
    let t = stt.transcribe(wide).await?;
    println!("{}", t.text);
    Ok(())
}

/// The wall-clock time in `tz` of `--now`: an RFC 3339 instant, or a local time without offset.
fn local_now(text: &str, tz: chrono_tz::Tz) -> anyhow::Result<chrono::NaiveDateTime> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&tz).naive_local());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Ok(t);
        }
    }
    bail!("--now {text:?} is not an RFC 3339 time (e.g. 2019-03-01T09:00:00 or 2019-03-01T09:00:00-05:00)")
}

fn parse_time(config: &Config, now: Option<&str>, tz: Option<&str>) -> anyhow::Result<()> {
    use std::io::{BufRead, Write};
    let tz: chrono_tz::Tz = match tz {
        Some(name) => name.parse().map_err(|_| {
            anyhow::anyhow!("--tz {name:?} is not an IANA time zone (e.g. America/New_York)")
        })?,
        None => Persona::load(&config.persona)
            .map(|p| p.timezone)
            .unwrap_or(chrono_tz::UTC),
    };
    let now = match now {
        Some(text) => local_now(text, tz)?,
        None => frontdesk::config::Clock::starting_at(config.now)
            .now()
            .with_timezone(&tz)
            .naive_local(),
    };
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.context("reading stdin")?;
        let when = frontdesk::logic::timeparse::parse(&line, now);
        let row = serde_json::json!({
            "date": when.date.map(|d| d.format("%Y-%m-%d").to_string()),
            "time": when.time.map(|t| t.format("%H:%M").to_string()),
        });
        writeln!(out, "{row}")?;
        out.flush()?;
    }
    Ok(())
}
