//! Wiring: builds the shared [`Services`] from a [`Config`] and runs the HTTP server.

use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::config::{Clock, Config};
use crate::http;
use crate::logic::domain::{Outcome, Summary};
use crate::persona::Persona;
use crate::services::Services;
use crate::speech::stt::{Stt, Transcriber, SPECULATIVE_WAIT};
use crate::speech::tts;
use crate::speech::vad::Silero;
use crate::store::{CallStatus, SqliteStore};

/// The speech engines a server runs with: whisper and the configured voice, or stand-ins
/// ([`crate::speech::fake`]) for fast session tests.
pub struct Engines {
    pub stt: Arc<dyn Transcriber>,
    pub tts: Arc<dyn tts::TtsEngine>,
}

/// Loads whisper and starts the configured voice.
pub async fn load_engines(config: &Config, persona: &Persona) -> anyhow::Result<Engines> {
    let stt = {
        let (model, prompt, threads, workers) = (
            config.model.clone(),
            persona.stt_prompt(),
            config.stt_threads,
            config.stt_pool(),
        );
        tokio::task::spawn_blocking(move || Stt::load(&model, &prompt, threads))
            .await
            .context("loading whisper")??
            .with_sized_pool(workers, SPECULATIVE_WAIT)
    };
    let tts = {
        let (choice, python) = (config.tts, config.python.clone());
        tokio::task::spawn_blocking(move || tts::start(choice, &python))
            .await
            .context("starting the voice")??
    };
    info!(
        voice = tts.name(),
        model = %config.model.display(),
        stt_workers = config
            .stt_pool()
            .map_or("unbounded".into(), |p| format!("{} on {} threads", p.workers, p.threads)),
        "ready"
    );
    // Every sentence is synthesised once; the fixed ones (greetings, questions, closings) are
    // spoken ahead, in the background, so the first call already hears them at once.
    let tts: Arc<dyn tts::TtsEngine> = if config.tts_cache == 0 {
        tts
    } else {
        let cached = Arc::new(tts::Cached::new(tts, config.tts_cache));
        let fixed: Vec<String> = persona
            .filled_lines()
            .iter()
            .flat_map(|l| crate::logic::conductor::sentences(l))
            .filter(|s| !s.contains(['{', '}']))
            .collect();
        let ahead = cached.clone();
        tokio::task::spawn_blocking(move || {
            let n = ahead.prefill(fixed.iter().map(String::as_str));
            info!(
                sentences = n,
                "the voice has spoken its fixed sentences ahead"
            );
        });
        cached
    };
    Ok(Engines {
        stt: Arc::new(stt),
        tts,
    })
}

/// Loads the persona, opens the call log, loads whisper and starts the voice (or uses
/// `engines`, when given).
pub async fn build_services(
    config: Config,
    engines: Option<Engines>,
) -> anyhow::Result<Arc<Services>> {
    let persona = Persona::load(&config.persona)
        .with_context(|| format!("loading the persona ({})", config.persona.display()))?;
    let config = resolve_calendar(config).await?;
    let store = SqliteStore::open(&config.database_url)
        .await
        .with_context(|| format!("opening the call log ({})", config.database_url))?
        .writing_calendar(config.calendar.enabled());
    let clock = Clock::starting_at(config.now);
    let Engines { stt, tts } = match engines {
        Some(e) => e,
        None => load_engines(&config, &persona).await?,
    };
    let api_token = match &config.api_token {
        Some(t) => t.clone(),
        None => {
            let t = uuid::Uuid::new_v4().simple().to_string();
            warn!("FRONTDESK_API_TOKEN is not set; this run's API token is {t}");
            t
        }
    };
    let session_key = session_key(&config, &store).await?;
    let mut stream_key = [0u8; 32];
    stream_key[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    stream_key[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    let provider = Arc::new(crate::providers::twilio::Twilio {
        auth_token: config.twilio_auth_token.clone(),
        account_sid: config.twilio_account_sid.clone(),
        api_base: config.twilio_api_base.clone(),
    });
    let vad = {
        let (cfg, python) = (config.vad.clone(), config.python.clone());
        tokio::task::spawn_blocking(move || Silero::for_config(&cfg, &python))
            .await
            .context("loading the voice activity model")?
            .with_context(|| {
                format!(
                    "[vad] engine = \"{}\": loading Silero VAD",
                    config.vad.engine.as_str()
                )
            })?
    };
    let services = Arc::new(Services {
        provider,
        vad,
        persona: Arc::new(persona),
        store: Arc::new(store),
        stt,
        tts,
        clock,
        stream_key,
        api_token,
        session_key,
        outbox: tokio::sync::Notify::new(),
        metrics: crate::metrics::Metrics::new(),
        busy: Arc::new(crate::caldav::BusyView::new(
            config.calendar.reads_busy_time(),
        )),
        caldav: crate::caldav::CalDav::from_config(&config.calendar),
        calendar_wake: tokio::sync::Notify::new(),
        closing: tokio::sync::watch::Sender::new(false),
        config,
    });
    recover_interrupted(&services)
        .await
        .context("closing the calls the last run left open")?;
    Ok(services)
}

/// Finds the calendar collections `[calendar]` leads to (once, before the calendar loops
/// start: a root or principal URL and `calendar_name`, named busy calendars) and puts their
/// URLs in the config, which every later read and write uses.
async fn resolve_calendar(mut config: Config) -> anyhow::Result<Config> {
    let resolved = crate::caldav::discover::resolve(&config.calendar)
        .await
        .context("finding the executive's calendar (calendar.caldav_url)")?;
    if let Some(r) = resolved {
        info!(
            given = config.calendar.caldav_url.as_deref().unwrap_or_default(),
            calendar = %r.main,
            busy_calendars = ?r.busy,
            "the executive's calendar, where bookings go"
        );
        config.calendar.caldav_url = Some(r.main);
        config.calendar.busy_calendars = r.busy;
    }
    Ok(config)
}

/// The dashboard's session key: from `session_secret`, or from the secret this instance
/// generated on its first start and kept in the database (so sessions survive a restart).
async fn session_key(config: &Config, store: &SqliteStore) -> anyhow::Result<[u8; 32]> {
    use crate::store::Users;
    use sha2::Digest;
    let secret = match &config.session_secret {
        Some(s) => s.clone(),
        None => {
            let fresh = format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            );
            store
                .instance_secret("session", &fresh)
                .await
                .context("keeping the dashboard's session secret")?
        }
    };
    Ok(sha2::Sha256::digest(secret.as_bytes()).into())
}

/// Closes the calls a previous run left `in_progress` (it stopped or crashed mid-call) as
/// `dropped`, and queues what they must tell a human, as if each had hung up: an urgent caller
/// cut off by a crash still reaches the on-call human, and a message still arrives.
async fn recover_interrupted(services: &Services) -> anyhow::Result<()> {
    let store = &services.store;
    let open = store.open_calls().await?;
    for sid in &open {
        let Some(mut call) = store.get_call(sid).await? else {
            continue;
        };
        if call.outcome.is_none() {
            let summary = Summary {
                account: crate::notify::CUT_OFF_SUMMARY.into(),
                next_step: None,
            };
            store
                .set_outcome(sid, Outcome::Abandoned, Some(&summary))
                .await?;
            call.outcome = Some(Outcome::Abandoned);
            call.summary = Some(summary.text());
            call.summary_parts = Some(summary);
        }
        let notes = crate::notify::for_call(services, &call);
        store
            .end_call_notifying(
                sid,
                CallStatus::Dropped,
                services.clock.now(),
                &notes,
                chrono::Utc::now(),
            )
            .await?;
        warn!(call_sid = %sid, notifications = notes.len(), "a call the last run left open was closed as dropped");
    }
    if !open.is_empty() {
        services.outbox.notify_one();
    }
    Ok(())
}

/// A server that is up.
pub struct Running {
    /// Where it listens.
    pub addr: std::net::SocketAddr,
    /// Its shared services.
    pub services: Arc<Services>,
    /// The server task.
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds `config.listen` (port 0 picks a free port), builds the services and serves until
/// `shutdown` resolves.
pub async fn start(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<Running> {
    start_with(config, None, shutdown).await
}

/// [`start`] with the given speech engines instead of whisper and the configured voice.
pub async fn start_with(
    mut config: Config,
    engines: Option<Engines>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<Running> {
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {} (FRONTDESK_LISTEN)", config.listen))?;
    let addr = listener.local_addr()?;
    config.listen = addr;
    let services = build_services(config, engines).await?;
    let app = http::router(services.clone());
    tokio::spawn(crate::notify::run(services.clone()));
    if let Some(calendar) = services.caldav.clone() {
        info!(url = ?services.config.calendar.caldav_url, "reading and writing the executive's calendar");
        tokio::spawn(crate::calendar_sync::poll(
            services.clone(),
            calendar.clone(),
        ));
        tokio::spawn(crate::calendar_sync::write(services.clone(), calendar));
    }
    if !services.config.calendar.feeds.is_empty() {
        info!(
            feeds = services.config.calendar.feeds.len(),
            "reading calendar feeds"
        );
        tokio::spawn(crate::calendar_sync::poll_feeds(
            services.clone(),
            services.config.calendar.feeds.clone(),
        ));
    }
    let closing = services.clone();
    let shutdown = async move {
        shutdown.await;
        closing.closing.send_replace(true);
    };
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    });
    info!(%addr, public = %services.config.public_base(), "listening");
    Ok(Running {
        addr,
        services,
        task,
    })
}
