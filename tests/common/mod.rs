//! Test harness: `spawn_app()` starts the real server (real whisper, real hibari voice, real
//! SQLite in a fresh temp directory) on an ephemeral port, as a user would run it.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use frontdesk::app;
use frontdesk::audio::vad::{VadConfig, VadEngine};
use frontdesk::config::{Config, TtsChoice};
use frontdesk::sim::{self, SimOptions, SimReport, Step};
use frontdesk::speech::tts::{self, TtsEngine};

pub const API_TOKEN: &str = "test-api-token";

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub services: Arc<frontdesk::services::Services>,
    pub dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails with the fix when setup has not been run.
pub fn require_setup() {
    let model = root().join("models/ggml-tiny.en.bin");
    let python = root().join(".venv/bin/python");
    assert!(
        model.is_file() && python.is_file(),
        "models/ggml-tiny.en.bin or .venv missing: run scripts/setup.sh first"
    );
}

/// The shipped persona without the spelling question, written into `dir`: the scripted calls
/// of these tests say their lines in order and were written before it (the dialog's own tests
/// and the caller corpus cover spelling).
fn scripted_persona(dir: &std::path::Path) -> PathBuf {
    let prompts = root().join("prompts");
    let text = std::fs::read_to_string(prompts.join("persona.toml")).unwrap();
    assert!(
        text.contains("spell_names = true"),
        "the shipped persona asks for spellings"
    );
    let text = text
        .replace("spell_names = true", "spell_names = false")
        .replace(
            "faq = \"faq.toml\"",
            &format!("faq = {:?}", prompts.join("faq.toml").display().to_string()),
        )
        .replace(
            "screening = \"screening.toml\"",
            &format!(
                "screening = {:?}",
                prompts.join("screening.toml").display().to_string()
            ),
        );
    let path = dir.join("persona.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The configuration tests run with: after hours in Boston (Tuesday 19:30), the hibari voice.
pub fn test_config(dir: &std::path::Path) -> Config {
    require_setup();
    base_config(dir)
}

/// [`test_config`] without the check that the model and voices are installed (for servers run
/// with the stand-in engines).
fn base_config(dir: &std::path::Path) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}/frontdesk.db", dir.display()),
        recordings: dir.join("recordings"),
        model: root().join("models/ggml-tiny.en.bin"),
        python: root().join(".venv/bin/python"),
        persona: scripted_persona(dir),
        tts: TtsChoice::Hibari,
        api_token: Some(API_TOKEN.into()),
        now: Some(chrono::DateTime::parse_from_rfc3339("2026-11-24T19:30:00-05:00").unwrap()),
        stt_threads: 1,
        // Each test names its detector; the end-to-end calls were tuned on energy, and
        // `tests/calls.rs` places one of them under Silero too.
        vad: VadConfig {
            engine: VadEngine::Energy,
            ..VadConfig::default()
        },
        ..Config::default()
    }
}

/// Starts the server with the test configuration, adjusted by `tweak`.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    tweak(&mut config);
    start_in(dir, config, None).await
}

/// Starts the server with stand-in speech engines (`frontdesk::speech::fake`): the real
/// websocket, session, conductor, dialog and SQLite, without whisper or a natural voice.
pub async fn spawn_app_with_engines(engines: app::Engines) -> TestApp {
    spawn_app_with_engines_and(engines, |_| {}).await
}

/// [`spawn_app_with_engines`] with the configuration adjusted by `tweak`.
pub async fn spawn_app_with_engines_and(
    engines: app::Engines,
    tweak: impl FnOnce(&mut Config),
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = base_config(dir.path());
    // The stand-in voice is a tone, which a trained model rightly takes for no speech.
    config.vad.engine = VadEngine::Energy;
    tweak(&mut config);
    start_in(dir, config, Some(engines)).await
}

/// Runs the server with `config` (whose files live in `dir`) until the `TestApp` is dropped.
async fn start_in(
    dir: tempfile::TempDir,
    config: Config,
    engines: Option<app::Engines>,
) -> TestApp {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let running = app::start_with(config, engines, async {
        let _ = rx.await;
    })
    .await
    .expect("server starts");
    TestApp::new(running, dir, tx)
}

/// Starts the server judging the caller's speech with `engine` (Silero from `models/`).
pub async fn spawn_app_on(engine: VadEngine) -> TestApp {
    spawn_app_with(|c| {
        c.vad.engine = engine;
        c.vad.silero_model = root().join("models/silero_vad.onnx");
    })
    .await
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The caller's natural voice, shared by the tests in one binary.
pub fn caller_voice() -> Arc<dyn TtsEngine> {
    static VOICE: OnceLock<Arc<dyn TtsEngine>> = OnceLock::new();
    VOICE
        .get_or_init(|| {
            require_setup();
            tts::start(TtsChoice::Hibari, &root().join(".venv/bin/python"))
                .expect("hibari voice starts")
        })
        .clone()
}

impl TestApp {
    /// The test's handle on a server started in `dir`, stopped by `shutdown` when dropped.
    pub fn new(
        running: app::Running,
        dir: tempfile::TempDir,
        shutdown: tokio::sync::oneshot::Sender<()>,
    ) -> Self {
        TestApp {
            base: format!("http://{}", running.addr),
            services: running.services,
            dir,
            shutdown: Some(shutdown),
        }
    }

    pub fn sim_options(&self) -> SimOptions {
        SimOptions {
            server: self.base.clone(),
            api_token: Some(API_TOKEN.into()),
            max_wait: Duration::from_secs(45),
            ..SimOptions::default()
        }
    }

    /// Places a simulated call with `script` (see `sim::parse_script`).
    pub async fn call(&self, script: &str) -> SimReport {
        self.call_with(script, |_| {}).await
    }

    pub async fn call_with(&self, script: &str, tweak: impl FnOnce(&mut SimOptions)) -> SimReport {
        let steps: Vec<Step> = sim::parse_script(script).unwrap();
        let mut opts = self.sim_options();
        tweak(&mut opts);
        sim::place_call(&opts, &steps, caller_voice(), None)
            .await
            .expect("call completes")
    }

    /// `GET` an API path with the bearer token; returns status and JSON.
    pub async fn api(&self, path: &str) -> (u16, serde_json::Value) {
        let r = reqwest::Client::new()
            .get(format!("{}{}", self.base, path))
            .bearer_auth(API_TOKEN)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// `GET` a call's recording with the bearer token.
    pub async fn recording(&self, call_sid: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(format!("{}/api/calls/{call_sid}/recording.wav", self.base))
            .bearer_auth(API_TOKEN)
            .send()
            .await
            .unwrap()
    }

    /// The stored call, waiting briefly for the session to close it.
    pub async fn stored_call(&self, call_sid: &str) -> serde_json::Value {
        for _ in 0..50 {
            let (status, call) = self.api(&format!("/api/calls/{call_sid}")).await;
            if status == 200 && call["status"] != "in_progress" {
                return call;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("call {call_sid} never closed");
    }
}

/// Turns of one speaker from a stored call.
pub fn turns<'a>(call: &'a serde_json::Value, speaker: &str) -> Vec<&'a serde_json::Value> {
    call["turns"]
        .as_array()
        .map(|t| t.iter().filter(|t| t["speaker"] == speaker).collect())
        .unwrap_or_default()
}

/// All text a speaker said, lower-cased.
pub fn said(call: &serde_json::Value, speaker: &str) -> String {
    turns(call, speaker)
        .iter()
        .map(|t| t["text"].as_str().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The project's speech to text (tiny.en with the persona's prompt), shared by the tests in one
/// binary.
pub fn stt() -> &'static frontdesk::speech::stt::Stt {
    static STT: OnceLock<frontdesk::speech::stt::Stt> = OnceLock::new();
    STT.get_or_init(|| {
        require_setup();
        let persona =
            frontdesk::persona::Persona::load(&root().join("prompts/persona.toml")).unwrap();
        frontdesk::speech::stt::Stt::load(
            &root().join("models/ggml-tiny.en.bin"),
            &persona.stt_prompt(),
            2,
        )
        .unwrap()
    })
}
