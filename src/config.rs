//! One typed configuration: a TOML file (`--config`) with `FRONTDESK_*` environment overrides,
//! validated at startup. Every error names the key that is wrong and why.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;

use crate::audio::vad::{VadConfig, VadEngine};

/// A configuration error that names its key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("invalid {key}: {reason}")]
    Invalid { key: String, reason: String },
}

fn invalid(key: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_string(),
        reason: reason.into(),
    }
}

/// `value` of `key` as a whole number.
/// Checks a CalDAV collection's URL: http(s), with no credentials in it. Never echoes it (it
/// may hold a password).
fn check_calendar_url(key: &str, url: &str) -> Result<(), ConfigError> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {
            if !u.username().is_empty() || u.password().is_some() {
                return Err(invalid(
                    key,
                    "must not hold credentials: set calendar.user and calendar.password, or calendar.token",
                ));
            }
            Ok(())
        }
        _ => Err(invalid(
            key,
            "must be an http(s) URL of a calendar, like https://caldav.fastmail.com/dav/calendars/user/you@example.com/Default/",
        )),
    }
}

/// Whether a `busy_calendars` entry is meant as a URL (it has a scheme, `://`) rather than a
/// calendar's name.
pub fn is_calendar_url(entry: &str) -> bool {
    entry.contains("://")
}

/// Whether `token` can go in an `Authorization: Bearer` header as it is: visible ASCII, no
/// spaces or line breaks (so not `Bearer …` either).
pub fn bearer_token_ok(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic())
}

fn whole<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, ConfigError> {
    value
        .trim()
        .parse()
        .map_err(|_| invalid(key, format!("{value:?} is not a whole number")))
}

/// Which voice speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TtsChoice {
    /// hibari when installed, else espeak-ng.
    #[default]
    Auto,
    /// The natural hibari voice (a warm Python worker).
    Hibari,
    /// espeak-ng: instant, robotic, no setup.
    Espeak,
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server listens on (`FRONTDESK_LISTEN`).
    pub listen: SocketAddr,
    /// The public base URL Twilio reaches us at (`FRONTDESK_PUBLIC_URL`); defaults to `http://{listen}`.
    pub public_url: Option<String>,
    /// Database URL (`FRONTDESK_DATABASE_URL`), e.g. `sqlite://data/frontdesk.db`.
    pub database_url: String,
    /// Twilio auth token (`FRONTDESK_TWILIO_AUTH_TOKEN`): when set, webhooks must be signed.
    pub twilio_auth_token: Option<String>,
    /// Bearer token for `/api` (`FRONTDESK_API_TOKEN`); generated per run when unset.
    pub api_token: Option<String>,
    /// The whisper GGML model file (`FRONTDESK_MODEL`).
    pub model: PathBuf,
    /// The voice (`FRONTDESK_TTS`: `hibari`, `espeak` or `auto`).
    pub tts: TtsChoice,
    /// The Python that has `hibari-tts` installed (`FRONTDESK_PYTHON`).
    pub python: PathBuf,
    /// The persona file (`FRONTDESK_PERSONA`).
    pub persona: PathBuf,
    /// Where call recordings go (`FRONTDESK_RECORDINGS`).
    pub recordings: PathBuf,
    /// The instant the clock starts from (`FRONTDESK_NOW`, RFC 3339), for demos and tests.
    pub now: Option<DateTime<FixedOffset>>,
    /// Threads whisper may use for one transcription (`FRONTDESK_STT_THREADS`); one that
    /// others wait beside runs on one (see `stt_workers`).
    pub stt_threads: usize,
    /// Transcriptions that may run at once, across all calls (`FRONTDESK_STT_WORKERS`): the rest
    /// wait their turn, first come first served. Default: as many as the cores, sharing them:
    /// one alone runs on `stt_threads`, several at once on one thread each. Set, each runs on
    /// `stt_threads`. `0` lifts the bound (every call decodes at once, as before the pool).
    pub stt_workers: Option<usize>,
    /// Sentences the voice remembers and serves without synthesising again
    /// (`FRONTDESK_TTS_CACHE`); the persona's fixed sentences are spoken ahead at startup.
    /// `0` turns the memory off.
    pub tts_cache: usize,
    /// Seconds of caller silence before the agent prompts (`FRONTDESK_SILENCE_TIMEOUT`).
    pub silence_timeout_secs: u64,
    /// Voice activity detection and endpointing.
    pub vad: VadConfig,
    /// How far (dB) the caller must be above the agent's own outgoing level to count as barge-in
    /// rather than echo; higher is stricter.
    pub echo_margin_db: f32,
    /// Speech (ms) that interrupts the agent even before it is transcribed.
    pub barge_in_ms: u32,
    /// Speech (ms) over the agent that pauses its playback until the caller's words are known
    /// (`FRONTDESK_PAUSE_PLAYBACK_MS`): a backchannel or echo lets it go on, anything else
    /// interrupts. 0: off.
    pub pause_playback_ms: u32,
    /// The Twilio account (`FRONTDESK_TWILIO_ACCOUNT_SID`): with the auth token, urgent calls
    /// are transferred live to the on-call human through Twilio's REST API.
    pub twilio_account_sid: Option<String>,
    /// Twilio's REST API base URL (`FRONTDESK_TWILIO_API_BASE`).
    pub twilio_api_base: String,
    /// Where escalations and messages are POSTed as JSON (`FRONTDESK_WEBHOOK_URL`).
    pub webhook_url: Option<String>,
    /// The HMAC-SHA256 key for `X-Frontdesk-Signature` (`FRONTDESK_WEBHOOK_SECRET`).
    pub webhook_secret: Option<String>,
    /// A Slack (or Slack-compatible: Mattermost, Rocket.Chat…) incoming-webhook URL
    /// (`FRONTDESK_SLACK_WEBHOOK_URL`): escalations and messages are posted there too.
    pub slack_webhook_url: Option<String>,
    /// Email over SMTP: escalations and messages are mailed too.
    pub email: EmailConfig,
    /// Delivery retries and the morning digest.
    pub delivery: DeliveryConfig,
    /// The executive's own calendar over CalDAV, read as busy time. Unset: off.
    pub calendar: CalendarConfig,
    /// Fault injection for resilience tests: a call session that hears these words panics, so
    /// a test can check that the call is still closed and its escalations still sent. Unset
    /// (the default) in any real deployment.
    pub fault_panic_on: Option<String>,
    /// The key that signs the dashboard's session cookies and form tokens
    /// (`FRONTDESK_SESSION_SECRET`, at least 32 characters); generated once and kept in the
    /// database when unset.
    pub session_secret: Option<String>,
    /// Dashboard users given in the config (`[[users]]`), besides those added with
    /// `frontdesk user add`.
    pub users: Vec<UserConfig>,
}

/// A dashboard user from the config: a name and an argon2 password hash (PHC string, as
/// `frontdesk user hash` prints it), never the password itself.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    pub name: String,
    pub password_hash: String,
}

/// Email over SMTP. All three of `smtp_url`, `from` and `to` are needed to send email.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailConfig {
    /// The SMTP server (`FRONTDESK_SMTP_URL`): `smtps://user:pass@host` (TLS),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtp://host:25` (plain, for a
    /// relay on the same machine). Credentials in the URL are percent-encoded.
    pub smtp_url: Option<String>,
    /// The sender (`FRONTDESK_EMAIL_FROM`), e.g. `Frontdesk <frontdesk@example.com>`.
    pub from: Option<String>,
    /// The recipients (`FRONTDESK_EMAIL_TO`, comma-separated).
    pub to: Vec<String>,
}

impl EmailConfig {
    /// Whether email is configured.
    pub fn enabled(&self) -> bool {
        self.smtp_url.is_some()
    }
}

/// The executive's CalDAV calendar, whose events the agent books around. Without `caldav_url`
/// the feature is off and only Frontdesk's own appointments count.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarConfig {
    /// The calendar collection's URL (`FRONTDESK_CALDAV_URL`), e.g.
    /// `https://caldav.fastmail.com/dav/calendars/user/alex@example.com/Default/`, or the
    /// server's root or the user's principal, from which the calendars are discovered at
    /// startup (`caldav::discover`).
    pub caldav_url: Option<String>,
    /// The display name of the calendar bookings go to, when `caldav_url` leads to several
    /// (`FRONTDESK_CALDAV_CALENDAR`; case-insensitive).
    pub calendar_name: Option<String>,
    /// The CalDAV user name (`FRONTDESK_CALDAV_USER`), for Basic auth.
    pub user: Option<String>,
    /// The password, preferably an app password (`FRONTDESK_CALDAV_PASSWORD`).
    pub password: Option<String>,
    /// A bearer token sent as `Authorization: Bearer …` instead of a user and password
    /// (`FRONTDESK_CALDAV_TOKEN`), e.g. an OAuth 2.0 access token for Google's CalDAV.
    pub token: Option<String>,
    /// A file holding the bearer token, read afresh for every request
    /// (`FRONTDESK_CALDAV_TOKEN_FILE`), so a refresher outside Frontdesk can rotate it.
    pub token_file: Option<PathBuf>,
    /// More calendar collections on the same server, read with the same credentials, whose
    /// events are busy time too (`FRONTDESK_CALDAV_BUSY_CALENDARS`, comma-separated): each a
    /// collection's URL or a calendar's display name, found like `calendar_name`. Bookings are
    /// written only to `caldav_url`'s calendar.
    pub busy_calendars: Vec<String>,
    /// Seconds between reads of the calendar and the feeds (`FRONTDESK_CALDAV_POLL_SECS`).
    pub poll_secs: u64,
    /// Read-only iCalendar subscription feeds whose events are busy time too
    /// (`FRONTDESK_CALENDAR_FEEDS`, comma-separated), e.g. a shared calendar's secret address.
    pub feeds: Vec<String>,
    /// The secret in the export feed's URL, `/calendar/<secret>.ics`
    /// (`FRONTDESK_CALENDAR_EXPORT_SECRET`). Unset: no export feed. Change it to revoke.
    pub export_secret: Option<String>,
    /// Milliseconds a booking waits for a fresh read of the calendar at the caller's "yes"
    /// before it is taken as a request for the office to confirm.
    pub confirm_timeout_ms: u64,
}

impl Default for CalendarConfig {
    fn default() -> Self {
        Self {
            caldav_url: None,
            calendar_name: None,
            user: None,
            password: None,
            token: None,
            token_file: None,
            busy_calendars: Vec::new(),
            poll_secs: 30,
            feeds: Vec::new(),
            export_secret: None,
            confirm_timeout_ms: 3000,
        }
    }
}

impl std::fmt::Debug for CalendarConfig {
    // The password and the token are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CalendarConfig")
            .field("caldav_url", &self.caldav_url)
            .field("calendar_name", &self.calendar_name)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("token", &self.token.as_ref().map(|_| "…"))
            .field("token_file", &self.token_file)
            .field("busy_calendars", &self.busy_calendars)
            .field("poll_secs", &self.poll_secs)
            .field("feeds", &self.feeds.len())
            .field("export_secret", &self.export_secret.as_ref().map(|_| "…"))
            .field("confirm_timeout_ms", &self.confirm_timeout_ms)
            .finish()
    }
}

impl CalendarConfig {
    /// Whether a CalDAV calendar is configured.
    pub fn enabled(&self) -> bool {
        self.caldav_url.is_some()
    }

    /// Whether any outside busy time is read: the CalDAV calendar or a feed.
    pub fn reads_busy_time(&self) -> bool {
        self.enabled() || !self.feeds.is_empty()
    }
}

/// How notifications are retried: exponential backoff with jitter, then given up on (and shown
/// as `failed` in the API and the log).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliveryConfig {
    /// Attempts before giving up.
    pub max_attempts: u32,
    /// The first retry's delay; each further one doubles it.
    pub backoff_base_ms: u64,
    /// No retry waits longer than this.
    pub backoff_max_secs: u64,
    /// One attempt's time limit.
    pub timeout_secs: u64,
    /// Hold routine messages (not escalations) for one morning digest per channel
    /// (`FRONTDESK_DIGEST`: true or false).
    pub digest: bool,
    /// When the digest goes out, `HH:MM` in the persona's time zone (`FRONTDESK_DIGEST_AT`).
    pub digest_at: String,
}

impl DeliveryConfig {
    /// The digest's local time of day, if `digest_at` is a valid `HH:MM`.
    pub fn digest_time(&self) -> Option<chrono::NaiveTime> {
        chrono::NaiveTime::parse_from_str(self.digest_at.trim(), "%H:%M").ok()
    }
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 20,
            backoff_base_ms: 2_000,
            backoff_max_secs: 900,
            timeout_secs: 10,
            digest: false,
            digest_at: "08:00".into(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            database_url: "sqlite://data/frontdesk.db".into(),
            twilio_auth_token: None,
            api_token: None,
            model: PathBuf::from("models/ggml-tiny.en.bin"),
            tts: TtsChoice::Auto,
            python: PathBuf::from(".venv/bin/python"),
            persona: PathBuf::from("prompts/persona.toml"),
            recordings: PathBuf::from("data/recordings"),
            now: None,
            stt_threads: 2,
            stt_workers: None,
            tts_cache: 512,
            silence_timeout_secs: 8,
            vad: VadConfig::default(),
            echo_margin_db: -12.0,
            barge_in_ms: 900,
            pause_playback_ms: 80,
            twilio_account_sid: None,
            twilio_api_base: "https://api.twilio.com".into(),
            webhook_url: None,
            webhook_secret: None,
            slack_webhook_url: None,
            email: EmailConfig::default(),
            delivery: DeliveryConfig::default(),
            calendar: CalendarConfig::default(),
            fault_panic_on: None,
            session_secret: None,
            users: Vec::new(),
        }
    }
}

/// How large the transcription pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSize {
    /// Transcriptions that may run at once.
    pub workers: usize,
    /// Threads they may use together (the cores given to whisper). One transcription alone
    /// takes up to the model's threads of them; beside others waiting, one each.
    pub threads: usize,
}

impl Config {
    /// How many transcriptions may run at once and on how many threads together (`None`: no
    /// bound), from `stt_workers`, `stt_threads` and the machine's cores.
    pub fn stt_pool(&self) -> Option<PoolSize> {
        let threads = self.stt_threads.max(1);
        match self.stt_workers {
            Some(0) => None,
            Some(n) => Some(PoolSize {
                workers: n,
                threads: n * threads,
            }),
            None => {
                // As many as the cores, sharing them: one alone on `stt_threads`.
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                Some(PoolSize {
                    workers: cores,
                    threads: cores,
                })
            }
        }
    }

    /// Loads `path` (if any), then applies `FRONTDESK_*` overrides from the process environment.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let vars: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with("FRONTDESK_"))
            .collect();
        Self::load_with(path, &vars)
    }

    /// Like [`Config::load`] with an explicit environment (for tests).
    pub fn load_with(path: Option<&Path>, env: &[(String, String)]) -> Result<Self, ConfigError> {
        let mut cfg = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.to_path_buf(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: p.to_path_buf(),
                    message: e.to_string(),
                })?
            }
            None => Config::default(),
        };
        for (key, value) in env {
            cfg.apply_env(key, value)?;
        }
        cfg.validate()?;
        Ok(cfg)
    }

    fn apply_env(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        let opt = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
        match key {
            "FRONTDESK_LISTEN" => {
                self.listen = value.trim().parse().map_err(|_| {
                    invalid(
                        key,
                        format!("{value:?} is not an address like 127.0.0.1:8080"),
                    )
                })?
            }
            "FRONTDESK_PUBLIC_URL" => self.public_url = opt(value),
            "FRONTDESK_DATABASE_URL" => self.database_url = value.trim().to_string(),
            "FRONTDESK_TWILIO_AUTH_TOKEN" => self.twilio_auth_token = opt(value),
            "FRONTDESK_API_TOKEN" => self.api_token = opt(value),
            "FRONTDESK_SESSION_SECRET" => self.session_secret = opt(value),
            "FRONTDESK_WEBHOOK_URL" => self.webhook_url = opt(value),
            "FRONTDESK_TWILIO_ACCOUNT_SID" => self.twilio_account_sid = opt(value),
            "FRONTDESK_TWILIO_API_BASE" => {
                self.twilio_api_base = value.trim().trim_end_matches('/').to_string()
            }
            "FRONTDESK_WEBHOOK_SECRET" => self.webhook_secret = opt(value),
            "FRONTDESK_SLACK_WEBHOOK_URL" => self.slack_webhook_url = opt(value),
            "FRONTDESK_SMTP_URL" => self.email.smtp_url = opt(value),
            "FRONTDESK_EMAIL_FROM" => self.email.from = opt(value),
            "FRONTDESK_EMAIL_TO" => {
                self.email.to = value
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "FRONTDESK_DIGEST" => {
                self.delivery.digest = match value.trim().to_ascii_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => true,
                    "0" | "false" | "no" | "off" | "" => false,
                    _ => return Err(invalid(key, format!("{value:?} is not true or false"))),
                }
            }
            "FRONTDESK_CALDAV_URL" => self.calendar.caldav_url = opt(value),
            "FRONTDESK_CALDAV_CALENDAR" => self.calendar.calendar_name = opt(value),
            "FRONTDESK_CALDAV_USER" => self.calendar.user = opt(value),
            "FRONTDESK_CALDAV_PASSWORD" => self.calendar.password = opt(value),
            "FRONTDESK_CALDAV_TOKEN" => self.calendar.token = opt(value),
            "FRONTDESK_CALDAV_TOKEN_FILE" => {
                self.calendar.token_file = opt(value).map(PathBuf::from)
            }
            "FRONTDESK_CALDAV_BUSY_CALENDARS" => {
                self.calendar.busy_calendars = value
                    .split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "FRONTDESK_CALDAV_POLL_SECS" => self.calendar.poll_secs = whole(key, value)?,
            "FRONTDESK_CALENDAR_FEEDS" => {
                self.calendar.feeds = value
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "FRONTDESK_CALENDAR_EXPORT_SECRET" => self.calendar.export_secret = opt(value),
            "FRONTDESK_DIGEST_AT" => self.delivery.digest_at = value.trim().to_string(),
            "FRONTDESK_MODEL" => self.model = PathBuf::from(value),
            "FRONTDESK_PYTHON" => self.python = PathBuf::from(value),
            "FRONTDESK_PERSONA" => self.persona = PathBuf::from(value),
            "FRONTDESK_RECORDINGS" => self.recordings = PathBuf::from(value),
            "FRONTDESK_TTS" => {
                self.tts = match value.trim().to_ascii_lowercase().as_str() {
                    "hibari" => TtsChoice::Hibari,
                    "espeak" | "espeak-ng" => TtsChoice::Espeak,
                    "auto" | "" => TtsChoice::Auto,
                    _ => {
                        return Err(invalid(
                            key,
                            format!("{value:?} is not one of hibari, espeak, auto"),
                        ))
                    }
                }
            }
            "FRONTDESK_NOW" => {
                self.now = match opt(value) {
                    None => None,
                    Some(v) => Some(parse_instant(&v).ok_or_else(|| {
                        invalid(
                            key,
                            format!(
                                "{v:?} is not an RFC 3339 instant like 2026-11-23T19:30:00-05:00"
                            ),
                        )
                    })?),
                }
            }
            "FRONTDESK_STT_THREADS" => self.stt_threads = whole(key, value)?,
            "FRONTDESK_STT_WORKERS" => self.stt_workers = Some(whole(key, value)?),
            "FRONTDESK_TTS_CACHE" => self.tts_cache = whole(key, value)?,
            "FRONTDESK_PAUSE_MS" => self.vad.pause_ms = whole(key, value)?,
            "FRONTDESK_COMPLETE_END_SILENCE_MS" => {
                self.vad.complete_end_silence_ms = whole(key, value)?
            }
            "FRONTDESK_UNDERSTOOD_END_SILENCE_MS" => {
                self.vad.understood_end_silence_ms = whole(key, value)?
            }
            "FRONTDESK_VAD" => {
                self.vad.engine = match value.trim() {
                    "auto" => VadEngine::Auto,
                    "silero" => VadEngine::Silero,
                    "energy" | "" => VadEngine::Energy,
                    other => {
                        return Err(invalid(
                            key,
                            format!("{other:?} is not auto, silero or energy"),
                        ))
                    }
                }
            }
            "FRONTDESK_PAUSE_PLAYBACK_MS" => self.pause_playback_ms = whole(key, value)?,
            "FRONTDESK_SILENCE_TIMEOUT" => {
                self.silence_timeout_secs = value.trim().parse().map_err(|_| {
                    invalid(key, format!("{value:?} is not a whole number of seconds"))
                })?
            }
            // Variables for other tools (e.g. FRONTDESK_LOG) are not config keys.
            _ => {}
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.public_url {
            let parsed = url::Url::parse(url).map_err(|e| {
                invalid("public_url (FRONTDESK_PUBLIC_URL)", format!("{url:?}: {e}"))
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(invalid(
                    "public_url (FRONTDESK_PUBLIC_URL)",
                    format!("{url:?} must start with https:// (or http:// for local testing)"),
                ));
            }
        }
        if let Some(url) = &self.webhook_url {
            let parsed = url::Url::parse(url).map_err(|e| {
                invalid(
                    "webhook_url (FRONTDESK_WEBHOOK_URL)",
                    format!("{url:?}: {e}"),
                )
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(invalid(
                    "webhook_url (FRONTDESK_WEBHOOK_URL)",
                    format!("{url:?} must be an http(s) URL"),
                ));
            }
            if self.webhook_secret.is_none() {
                return Err(invalid(
                    "webhook_secret (FRONTDESK_WEBHOOK_SECRET)",
                    "is needed to sign what is sent to the webhook",
                ));
            }
        }
        if let Some(url) = &self.slack_webhook_url {
            match url::Url::parse(url) {
                Ok(u) if matches!(u.scheme(), "http" | "https") => {}
                _ => {
                    return Err(invalid(
                        "slack_webhook_url (FRONTDESK_SLACK_WEBHOOK_URL)",
                        "must be an http(s) URL like https://hooks.slack.com/services/…",
                    ))
                }
            }
        }
        self.validate_email()?;
        self.validate_calendar()?;
        self.validate_users()?;
        if self.delivery.digest_time().is_none() {
            return Err(invalid(
                "delivery.digest_at (FRONTDESK_DIGEST_AT)",
                format!(
                    "{:?} is not a time of day like 08:00",
                    self.delivery.digest_at
                ),
            ));
        }
        if url::Url::parse(&self.twilio_api_base).is_err() {
            return Err(invalid(
                "twilio_api_base (FRONTDESK_TWILIO_API_BASE)",
                format!("{:?} is not a URL", self.twilio_api_base),
            ));
        }
        if self.twilio_account_sid.is_some() && self.twilio_auth_token.is_none() {
            return Err(invalid(
                "twilio_auth_token (FRONTDESK_TWILIO_AUTH_TOKEN)",
                "is needed with FRONTDESK_TWILIO_ACCOUNT_SID to transfer calls",
            ));
        }
        if self.delivery.max_attempts == 0 || self.delivery.backoff_base_ms == 0 {
            return Err(invalid(
                "delivery.max_attempts",
                "max_attempts and backoff_base_ms must be at least 1",
            ));
        }
        if !self.database_url.starts_with("sqlite:") {
            return Err(invalid(
                "database_url (FRONTDESK_DATABASE_URL)",
                format!(
                    "{:?}: only sqlite: URLs are supported in this version",
                    self.database_url
                ),
            ));
        }
        if self.stt_threads == 0 {
            return Err(invalid(
                "stt_threads (FRONTDESK_STT_THREADS)",
                "must be at least 1",
            ));
        }
        if self.silence_timeout_secs == 0 {
            return Err(invalid(
                "silence_timeout_secs (FRONTDESK_SILENCE_TIMEOUT)",
                "must be at least 1",
            ));
        }
        if self.vad.end_silence_ms < 200 || self.vad.long_end_silence_ms < self.vad.end_silence_ms {
            return Err(invalid(
                "vad.end_silence_ms",
                "must be ≥ 200 and not more than vad.long_end_silence_ms",
            ));
        }
        if self.vad.complete_end_silence_ms > self.vad.end_silence_ms {
            return Err(invalid(
                "vad.complete_end_silence_ms (FRONTDESK_COMPLETE_END_SILENCE_MS)",
                "must not be more than vad.end_silence_ms: a complete answer never waits longer \
                 than an ordinary one",
            ));
        }
        if !(self.vad.complete_end_silence_ms..=self.vad.end_silence_ms)
            .contains(&self.vad.understood_end_silence_ms)
        {
            return Err(invalid(
                "vad.understood_end_silence_ms (FRONTDESK_UNDERSTOOD_END_SILENCE_MS)",
                "must be between vad.complete_end_silence_ms and vad.end_silence_ms: an \
                 understood request waits no less than a complete answer, and no more than an \
                 ordinary sentence",
            ));
        }
        let (open, hold) = (self.vad.speech_threshold, self.vad.hold_threshold);
        if !(0.0 < hold && hold <= open && open < 1.0) {
            return Err(invalid(
                "vad.speech_threshold, vad.hold_threshold",
                "must be probabilities with 0 < hold_threshold ≤ speech_threshold < 1",
            ));
        }
        if self.vad.request_end_silence_ms < self.vad.end_silence_ms
            || self.vad.request_end_silence_ms > self.vad.long_end_silence_ms
        {
            return Err(invalid(
                "vad.request_end_silence_ms",
                "must be between vad.end_silence_ms and vad.long_end_silence_ms",
            ));
        }
        if !(self.vad.end_silence_ms..=self.vad.long_end_silence_ms)
            .contains(&self.vad.spelling_end_silence_ms)
        {
            return Err(invalid(
                "vad.spelling_end_silence_ms",
                "must be between vad.end_silence_ms and vad.long_end_silence_ms",
            ));
        }
        Ok(())
    }

    fn validate_calendar(&self) -> Result<(), ConfigError> {
        let c = &self.calendar;
        for feed in &c.feeds {
            if !url::Url::parse(feed).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
                // Never echo the URL: a feed's address is its secret.
                return Err(invalid(
                    "calendar.feeds (FRONTDESK_CALENDAR_FEEDS)",
                    "must be http(s) URLs of iCalendar feeds (webcal:// is https://)",
                ));
            }
        }
        if let Some(secret) = &c.export_secret {
            if secret.len() < 16
                || !secret
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
            {
                return Err(invalid(
                    "calendar.export_secret (FRONTDESK_CALENDAR_EXPORT_SECRET)",
                    "must be at least 16 letters, digits, '-' or '_' (e.g. the output of `openssl rand -hex 16`)",
                ));
            }
        }
        if c.poll_secs == 0 {
            return Err(invalid(
                "calendar.poll_secs (FRONTDESK_CALDAV_POLL_SECS)",
                "must be at least 1",
            ));
        }
        let Some(url) = &c.caldav_url else {
            if c.user.is_some()
                || c.calendar_name.is_some()
                || c.password.is_some()
                || c.token.is_some()
                || c.token_file.is_some()
                || !c.busy_calendars.is_empty()
            {
                return Err(invalid(
                    "calendar.caldav_url (FRONTDESK_CALDAV_URL)",
                    "is needed with calendar.calendar_name, user, password, token, token_file or busy_calendars",
                ));
            }
            return Ok(());
        };
        check_calendar_url("calendar.caldav_url (FRONTDESK_CALDAV_URL)", url)?;
        for other in c.busy_calendars.iter().filter(|b| is_calendar_url(b)) {
            let key = "calendar.busy_calendars (FRONTDESK_CALDAV_BUSY_CALENDARS)";
            check_calendar_url(key, other)?;
            if other.trim_end_matches('/') == url.trim_end_matches('/') {
                return Err(invalid(
                    key,
                    "must not repeat calendar.caldav_url, whose events are busy time already",
                ));
            }
        }
        if c.user.is_some() != c.password.is_some() {
            return Err(invalid(
                "calendar.user and calendar.password (FRONTDESK_CALDAV_USER, FRONTDESK_CALDAV_PASSWORD)",
                "are needed together",
            ));
        }
        if c.token.is_some() && c.token_file.is_some() {
            return Err(invalid(
                "calendar.token and calendar.token_file (FRONTDESK_CALDAV_TOKEN, FRONTDESK_CALDAV_TOKEN_FILE)",
                "are two ways to give one token: set one of them",
            ));
        }
        if c.user.is_some() && (c.token.is_some() || c.token_file.is_some()) {
            return Err(invalid(
                "calendar.token (FRONTDESK_CALDAV_TOKEN, FRONTDESK_CALDAV_TOKEN_FILE)",
                "cannot be used with calendar.user and calendar.password: a server takes either a bearer token or a user and password",
            ));
        }
        if c.token.as_deref().is_some_and(|t| !bearer_token_ok(t)) {
            // Never echo the token.
            return Err(invalid(
                "calendar.token (FRONTDESK_CALDAV_TOKEN)",
                "must be the token alone (no spaces or line breaks, no \"Bearer \" in front)",
            ));
        }
        Ok(())
    }

    fn validate_email(&self) -> Result<(), ConfigError> {
        let e = &self.email;
        let Some(url) = &e.smtp_url else {
            if e.from.is_some() || !e.to.is_empty() {
                return Err(invalid(
                    "email.smtp_url (FRONTDESK_SMTP_URL)",
                    "is needed to send email to email.to",
                ));
            }
            return Ok(());
        };
        let key = "email.smtp_url (FRONTDESK_SMTP_URL)";
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "smtp" | "smtps") => {}
            // Never echo the URL: it may hold the password.
            _ => {
                return Err(invalid(
                    key,
                    "must be smtps://user:pass@host, smtp://user:pass@host:587?tls=required or smtp://host:25",
                ))
            }
        }
        if let Err(err) = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url) {
            return Err(invalid(key, err.to_string()));
        }
        let from = e.from.as_deref().ok_or_else(|| {
            invalid(
                "email.from (FRONTDESK_EMAIL_FROM)",
                "is needed to send email",
            )
        })?;
        if let Err(err) = from.parse::<lettre::message::Mailbox>() {
            return Err(invalid(
                "email.from (FRONTDESK_EMAIL_FROM)",
                format!("{from:?}: {err}"),
            ));
        }
        if e.to.is_empty() {
            return Err(invalid(
                "email.to (FRONTDESK_EMAIL_TO)",
                "is needed to send email: one address or more",
            ));
        }
        for to in &e.to {
            if let Err(err) = to.parse::<lettre::message::Mailbox>() {
                return Err(invalid(
                    "email.to (FRONTDESK_EMAIL_TO)",
                    format!("{to:?}: {err}"),
                ));
            }
        }
        Ok(())
    }

    /// Whether live transfer through Twilio's REST API is configured.
    pub fn can_transfer(&self) -> bool {
        self.twilio_account_sid.is_some() && self.twilio_auth_token.is_some()
    }

    /// The public base URL without a trailing slash.
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }

    /// Whether the dashboard's cookies must be `Secure`: the public base URL is https.
    pub fn https(&self) -> bool {
        self.public_base().starts_with("https://")
    }

    fn validate_users(&self) -> Result<(), ConfigError> {
        if let Some(secret) = &self.session_secret {
            if secret.chars().count() < 32 {
                return Err(invalid(
                    "session_secret (FRONTDESK_SESSION_SECRET)",
                    "must be at least 32 characters (e.g. `openssl rand -hex 32`)",
                ));
            }
        }
        for (i, user) in self.users.iter().enumerate() {
            if user.name.trim().is_empty() {
                return Err(invalid(&format!("users[{i}].name"), "is empty"));
            }
            if argon2::PasswordHash::new(&user.password_hash).is_err() {
                return Err(invalid(
                    &format!("users[{i}].password_hash"),
                    "is not an argon2 hash (make one with `frontdesk user hash`)",
                ));
            }
        }
        Ok(())
    }

    /// The websocket URL Twilio should stream to.
    pub fn stream_url(&self, provider: &str) -> String {
        let base = self.public_base();
        let ws = if let Some(rest) = base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else if let Some(rest) = base.strip_prefix("http://") {
            format!("ws://{rest}")
        } else {
            base
        };
        format!("{ws}/{provider}/stream")
    }
}

fn parse_instant(v: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(v).ok().or_else(|| {
        // Accept a naive instant as UTC, as a convenience for tests.
        chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S")
            .ok()
            .map(|n| n.and_utc().fixed_offset())
    })
}

/// The clock: real time, or real time shifted to start at a configured instant.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    offset: chrono::Duration,
}

impl Clock {
    /// A clock that reads `start` now and then advances in real time.
    pub fn starting_at(start: Option<DateTime<FixedOffset>>) -> Self {
        let offset = match start {
            Some(s) => s.with_timezone(&Utc) - Utc::now(),
            None => chrono::Duration::zero(),
        };
        Self { offset }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_sensible() {
        let c = Config::load_with(None, &[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.stream_url("twilio"), "ws://127.0.0.1:8080/twilio/stream");
    }

    #[test]
    fn env_overrides_and_public_url() {
        let c = Config::load_with(
            None,
            &env(&[
                ("FRONTDESK_LISTEN", "0.0.0.0:9000"),
                ("FRONTDESK_PUBLIC_URL", "https://desk.example.com/"),
                ("FRONTDESK_TTS", "espeak"),
                ("FRONTDESK_NOW", "2026-11-23T19:30:00-05:00"),
            ]),
        )
        .unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(
            c.stream_url("telnyx"),
            "wss://desk.example.com/telnyx/stream"
        );
        assert_eq!(c.tts, TtsChoice::Espeak);
        assert_eq!(c.now.unwrap().to_rfc3339(), "2026-11-23T19:30:00-05:00");
    }

    #[test]
    fn bad_values_name_their_key() {
        for (k, v) in [
            ("FRONTDESK_LISTEN", "nowhere"),
            ("FRONTDESK_TTS", "robot"),
            ("FRONTDESK_NOW", "yesterday"),
            ("FRONTDESK_PUBLIC_URL", "ftp://x"),
            ("FRONTDESK_DATABASE_URL", "mysql://x"),
            ("FRONTDESK_UNDERSTOOD_END_SILENCE_MS", "900"),
            ("FRONTDESK_UNDERSTOOD_END_SILENCE_MS", "100"),
            ("FRONTDESK_COMPLETE_END_SILENCE_MS", "800"),
        ] {
            let err = Config::load_with(None, &env(&[(k, v)]))
                .unwrap_err()
                .to_string();
            let short = k.trim_start_matches("FRONTDESK_");
            assert!(
                err.contains(k) || err.to_lowercase().contains(&short.to_lowercase()),
                "{err}"
            );
        }
    }

    #[test]
    fn notification_channels_are_checked() {
        let c = Config::load_with(
            None,
            &env(&[
                (
                    "FRONTDESK_SLACK_WEBHOOK_URL",
                    "https://hooks.slack.com/services/T/B/x",
                ),
                ("FRONTDESK_SMTP_URL", "smtp://127.0.0.1:2525"),
                ("FRONTDESK_EMAIL_FROM", "Frontdesk <desk@example.com>"),
                (
                    "FRONTDESK_EMAIL_TO",
                    "alex@example.com, Sam <sam@example.com>",
                ),
                ("FRONTDESK_DIGEST", "yes"),
                ("FRONTDESK_DIGEST_AT", "7:30"),
            ]),
        )
        .unwrap();
        assert!(c.email.enabled());
        assert_eq!(c.email.to.len(), 2);
        assert!(c.delivery.digest);
        assert_eq!(
            c.delivery.digest_time(),
            chrono::NaiveTime::from_hms_opt(7, 30, 0)
        );
        for (pairs, key) in [
            (
                vec![("FRONTDESK_SLACK_WEBHOOK_URL", "hooks.slack.com")],
                "slack_webhook_url",
            ),
            (
                vec![("FRONTDESK_SMTP_URL", "http://mail.example.com")],
                "smtp_url",
            ),
            (
                vec![("FRONTDESK_SMTP_URL", "smtp://127.0.0.1:25")],
                "email.from",
            ),
            (
                vec![
                    ("FRONTDESK_SMTP_URL", "smtp://127.0.0.1:25"),
                    ("FRONTDESK_EMAIL_FROM", "desk@example.com"),
                ],
                "email.to",
            ),
            (
                vec![
                    ("FRONTDESK_SMTP_URL", "smtp://127.0.0.1:25"),
                    ("FRONTDESK_EMAIL_FROM", "desk@example.com"),
                    ("FRONTDESK_EMAIL_TO", "not an address"),
                ],
                "email.to",
            ),
            (vec![("FRONTDESK_EMAIL_TO", "alex@example.com")], "smtp_url"),
            (vec![("FRONTDESK_DIGEST", "sometimes")], "FRONTDESK_DIGEST"),
            (vec![("FRONTDESK_DIGEST_AT", "8am")], "digest_at"),
        ] {
            let err = Config::load_with(None, &env(&pairs))
                .unwrap_err()
                .to_string();
            assert!(err.contains(key), "{pairs:?}: {err}");
        }
        let err = Config::load_with(
            None,
            &env(&[("FRONTDESK_SMTP_URL", "http://user:hunter2@mail.example.com")]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            !err.contains("hunter2"),
            "the password is not echoed: {err}"
        );
    }

    #[test]
    fn the_calendar_is_off_unless_configured_and_checked() {
        assert!(!Config::load_with(None, &[]).unwrap().calendar.enabled());
        let c = Config::load_with(
            None,
            &env(&[
                ("FRONTDESK_CALDAV_URL", "https://dav.example.com/cal/alex/"),
                ("FRONTDESK_CALDAV_USER", "alex"),
                ("FRONTDESK_CALDAV_PASSWORD", "app-secret"),
            ]),
        )
        .unwrap();
        assert!(c.calendar.enabled());
        assert_eq!(c.calendar.user.as_deref(), Some("alex"));
        assert!(!format!("{c:?}").contains("app-secret"));
        for (pairs, key) in [
            (
                vec![("FRONTDESK_CALDAV_URL", "dav.example.com")],
                "caldav_url",
            ),
            (
                vec![(
                    "FRONTDESK_CALDAV_URL",
                    "https://alex:hunter2@dav.example.com/",
                )],
                "caldav_url",
            ),
            (vec![("FRONTDESK_CALDAV_USER", "alex")], "caldav_url"),
            (
                vec![
                    ("FRONTDESK_CALDAV_URL", "https://dav.example.com/"),
                    ("FRONTDESK_CALDAV_USER", "alex"),
                ],
                "calendar.password",
            ),
            (
                vec![("FRONTDESK_CALDAV_POLL_SECS", "often")],
                "FRONTDESK_CALDAV_POLL_SECS",
            ),
        ] {
            let err = Config::load_with(None, &env(&pairs))
                .unwrap_err()
                .to_string();
            assert!(err.contains(key), "{pairs:?}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn a_calendar_takes_a_token_or_a_password_and_more_busy_calendars() {
        let url = ("FRONTDESK_CALDAV_URL", "https://dav.example.com/cal/alex/");
        let c = Config::load_with(
            None,
            &env(&[
                url,
                ("FRONTDESK_CALDAV_TOKEN", "ya29.secret-token"),
                (
                    "FRONTDESK_CALDAV_BUSY_CALENDARS",
                    " https://dav.example.com/cal/family/ ,,https://dav.example.com/cal/travel/",
                ),
            ]),
        )
        .unwrap();
        assert_eq!(c.calendar.token.as_deref(), Some("ya29.secret-token"));
        assert_eq!(
            c.calendar.busy_calendars,
            [
                "https://dav.example.com/cal/family/",
                "https://dav.example.com/cal/travel/"
            ]
        );
        assert!(!format!("{c:?}").contains("ya29"), "{c:?}");
        // With a root URL, the calendars are found by name at startup.
        let c = Config::load_with(
            None,
            &env(&[
                ("FRONTDESK_CALDAV_URL", "https://dav.example.com/"),
                ("FRONTDESK_CALDAV_CALENDAR", "Work"),
                ("FRONTDESK_CALDAV_BUSY_CALENDARS", "Family, Travel plans"),
            ]),
        )
        .unwrap();
        assert_eq!(c.calendar.calendar_name.as_deref(), Some("Work"));
        assert_eq!(c.calendar.busy_calendars, ["Family", "Travel plans"]);
        let err = Config::load_with(None, &env(&[("FRONTDESK_CALDAV_CALENDAR", "Work")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("caldav_url"), "{err}");
        let c = Config::load_with(
            None,
            &env(&[url, ("FRONTDESK_CALDAV_TOKEN_FILE", "/run/secrets/caldav")]),
        )
        .unwrap();
        assert_eq!(
            c.calendar.token_file.as_deref(),
            Some(Path::new("/run/secrets/caldav"))
        );
        for (pairs, key) in [
            (
                vec![
                    url,
                    ("FRONTDESK_CALDAV_USER", "alex"),
                    ("FRONTDESK_CALDAV_PASSWORD", "hunter2"),
                    ("FRONTDESK_CALDAV_TOKEN", "hunter2"),
                ],
                "calendar.token",
            ),
            (
                vec![
                    url,
                    ("FRONTDESK_CALDAV_TOKEN", "hunter2"),
                    ("FRONTDESK_CALDAV_TOKEN_FILE", "/run/secrets/caldav"),
                ],
                "calendar.token_file",
            ),
            (
                vec![url, ("FRONTDESK_CALDAV_TOKEN", "Bearer hunter2")],
                "calendar.token",
            ),
            (vec![("FRONTDESK_CALDAV_TOKEN", "hunter2")], "caldav_url"),
            (
                vec![(
                    "FRONTDESK_CALDAV_BUSY_CALENDARS",
                    "https://dav.example.com/cal/family/",
                )],
                "caldav_url",
            ),
            (
                vec![
                    url,
                    (
                        "FRONTDESK_CALDAV_BUSY_CALENDARS",
                        "ftp://dav.example.com/family/",
                    ),
                ],
                "busy_calendars",
            ),
            (
                vec![
                    url,
                    (
                        "FRONTDESK_CALDAV_BUSY_CALENDARS",
                        "https://alex:hunter2@dav.example.com/cal/family/",
                    ),
                ],
                "busy_calendars",
            ),
            (
                vec![
                    url,
                    (
                        "FRONTDESK_CALDAV_BUSY_CALENDARS",
                        "https://dav.example.com/cal/alex",
                    ),
                ],
                "busy_calendars",
            ),
        ] {
            let err = Config::load_with(None, &env(&pairs))
                .unwrap_err()
                .to_string();
            assert!(err.contains(key), "{pairs:?}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn the_example_file_is_valid_and_holds_the_defaults() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("frontdesk.example.toml");
        let c = Config::load_with(Some(&p), &[]).unwrap();
        let d = Config::default();
        assert_eq!(format!("{c:?}"), format!("{d:?}"));
    }

    #[test]
    fn unknown_file_keys_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "listen = \"127.0.0.1:1\"\nlisen = 3\n").unwrap();
        let err = Config::load_with(Some(&p), &[]).unwrap_err().to_string();
        assert!(err.contains("lisen"), "{err}");
    }

    #[test]
    fn the_clock_starts_where_told() {
        let start = DateTime::parse_from_rfc3339("2026-11-23T19:30:00-05:00").unwrap();
        let c = Clock::starting_at(Some(start));
        let d = c.now() - start.with_timezone(&Utc);
        assert!(d.num_seconds().abs() < 5);
    }
}
