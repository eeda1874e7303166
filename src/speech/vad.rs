//! Silero VAD v6 (MIT), a trained voice-activity model, run natively at the line's 8 kHz by
//! ONNX Runtime: the [`VoiceActivity`] the endpointer consults when `[vad] engine` is `silero`
//! (or `auto` and installed).
//!
//! The model file comes from the `pipecat-ai` wheel and the runtime from the `onnxruntime`
//! wheel, both installed by `scripts/setup.sh`; `ort` loads that `libonnxruntime.so` at run
//! time (`load-dynamic`: nothing is downloaded or linked at build time). tract, the pure-Rust
//! runtime, loads the model but cannot translate its `If` on the sample rate (tract-onnx
//! 0.23.9), so it is not used.
//!
//! One [`Silero`] (the loaded model) serves every call; each call has its own [`SileroVoice`]
//! (the model's recurrent state and the samples waiting for a whole window). The model judges
//! 256-sample windows (32 ms) with the 32 samples before each as context, as Silero's own
//! wrapper does; a 20 ms frame is answered with the latest window's probability.
//!
//! **Architecture Invariant:** this module computes, it decides nothing: the endpointer in
//! `audio::vad` reads the probability against its marks. A model that fails mid-call says "no
//! speech" and logs it, never panics.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use ort::session::Session;
use ort::value::Tensor;
use tracing::{info, warn};

use crate::audio::vad::{VadConfig, VadEngine, VoiceActivity};

/// Samples the model judges at once at 8 kHz.
const WINDOW: usize = 256;
/// Samples before each window it is given as context.
const CONTEXT: usize = 32;
/// Its recurrent state: 2 × 1 × 128 floats.
const STATE: usize = 2 * 128;
/// The line rate, the model's `sr` input.
const RATE: i64 = 8_000;

/// Why Silero could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum VadError {
    #[error("the Silero model {0} is missing: run scripts/setup.sh")]
    NoModel(PathBuf),
    #[error(
        "the ONNX runtime (libonnxruntime.so) was not found: set [vad] onnxruntime or \
         ORT_DYLIB_PATH, or run scripts/setup.sh (it installs onnxruntime into .venv); looked in {0}"
    )]
    NoRuntime(String),
    #[error("the ONNX runtime {path} cannot be loaded: {reason}")]
    Runtime { path: PathBuf, reason: String },
    #[error("the ONNX runtime is already loaded from {0}; one process uses one runtime")]
    OtherRuntime(PathBuf),
    #[error("the Silero model {path} cannot be loaded: {source}")]
    Model {
        path: PathBuf,
        #[source]
        source: ort::Error,
    },
    #[error("the Silero model does not run: {0}")]
    Run(#[from] ort::Error),
    #[error("the Silero model answered without {0}")]
    Output(&'static str),
}

/// The runtime this process tried to load (ort keeps the first path it is given for the
/// process's life), and why it failed if it did.
static RUNTIME: OnceLock<(PathBuf, Result<(), String>)> = OnceLock::new();

/// Loads ONNX Runtime from `path` once per process. ort panics on a library it cannot load or
/// one too old for it; that panic is caught here and becomes an error.
fn load_runtime(path: &Path) -> Result<(), VadError> {
    let (tried, result) = RUNTIME.get_or_init(|| {
        let attempt = std::panic::catch_unwind(|| ort::init_from(path.display()).commit());
        let result = match attempt {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(panic) => Err(panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "it panicked while loading".into())),
        };
        (path.to_path_buf(), result)
    });
    match result {
        Err(reason) => Err(VadError::Runtime {
            path: tried.clone(),
            reason: reason.clone(),
        }),
        Ok(()) if tried != path => Err(VadError::OtherRuntime(tried.clone())),
        Ok(()) => Ok(()),
    }
}

/// Where `libonnxruntime.so` is: `configured` if given, else `ORT_DYLIB_PATH`, else the one the
/// `onnxruntime` wheel put in the venv of `python` (`.venv/bin/python` →
/// `.venv/lib/python3*/site-packages/onnxruntime/capi/libonnxruntime.so*`).
pub fn find_runtime(configured: Option<&Path>, python: &Path) -> Result<PathBuf, VadError> {
    if let Some(p) = configured {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(VadError::NoRuntime(p.display().to_string()))
        };
    }
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(VadError::NoRuntime(format!(
                "ORT_DYLIB_PATH={}",
                p.display()
            )))
        };
    }
    let venv = python
        .parent()
        .and_then(Path::parent)
        .map(|v| v.join("lib"))
        .unwrap_or_default();
    let wanted = venv.join("python3*/site-packages/onnxruntime/capi/libonnxruntime.so*");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&venv)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
        .map(|e| e.path().join("site-packages/onnxruntime/capi"))
        .flat_map(|capi| std::fs::read_dir(capi).into_iter().flatten().flatten())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("libonnxruntime.so")
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
        .pop()
        .ok_or_else(|| VadError::NoRuntime(wanted.display().to_string()))
}

/// The loaded model, shared by every call.
pub struct Silero {
    session: Mutex<Session>,
}

impl std::fmt::Debug for Silero {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Silero")
    }
}

impl Silero {
    /// Loads the model at `model` with the ONNX runtime at `runtime`, one thread per run (a
    /// window takes well under a millisecond; calls share the cores with whisper).
    pub fn load(model: &Path, runtime: &Path) -> Result<Self, VadError> {
        if !model.is_file() {
            return Err(VadError::NoModel(model.to_path_buf()));
        }
        load_runtime(runtime)?;
        let wrap = |source| VadError::Model {
            path: model.to_path_buf(),
            source,
        };
        let session = Session::builder()
            .and_then(|b| b.with_intra_threads(1))
            .and_then(|b| b.with_inter_threads(1))
            .and_then(|b| b.commit_from_file(model))
            .map_err(wrap)?;
        let silero = Self {
            session: Mutex::new(session),
        };
        // One window of silence proves it runs with the inputs this code gives it.
        silero.run(&[0.0; CONTEXT + WINDOW], &mut [0.0; STATE])?;
        Ok(silero)
    }

    /// The engine the config asks for: `Some` model for `silero` (an error when it cannot be
    /// loaded) and for `auto` when it loads (else `None`, said in the log), `None` for
    /// `energy`. `python` is the venv's interpreter, where the runtime is looked for.
    pub fn for_config(cfg: &VadConfig, python: &Path) -> Result<Option<Arc<Self>>, VadError> {
        let load = || {
            let runtime = find_runtime(cfg.onnxruntime.as_deref(), python)?;
            let silero = Self::load(&cfg.silero_model, &runtime)?;
            info!(model = %cfg.silero_model.display(), runtime = %runtime.display(), "voice activity: Silero VAD");
            Ok(Arc::new(silero))
        };
        match cfg.engine {
            VadEngine::Energy => {
                info!("voice activity: energy over the noise floor ([vad] engine = \"energy\")");
                Ok(None)
            }
            VadEngine::Silero => load().map(Some),
            VadEngine::Auto => match load() {
                Ok(s) => Ok(Some(s)),
                Err(e) => {
                    warn!("voice activity: energy over the noise floor, Silero is not available ({e})");
                    Ok(None)
                }
            },
        }
    }

    /// A fresh judge for one call.
    pub fn voice(self: &Arc<Self>) -> SileroVoice {
        SileroVoice {
            model: self.clone(),
            state: [0.0; STATE],
            input: vec![0.0; CONTEXT],
            last: 0.0,
            failed: false,
        }
    }

    /// One window (`CONTEXT + WINDOW` samples): its speech probability, `state` carried on.
    fn run(&self, samples: &[f32], state: &mut [f32; STATE]) -> Result<f32, VadError> {
        let input = Tensor::from_array(([1usize, samples.len()], samples.to_vec()))?;
        let carried = Tensor::from_array(([2usize, 1, 128], state.to_vec()))?;
        let rate = Tensor::from_array(((), vec![RATE]))?;
        // A call that panicked while holding the lock left the session as it was: reuse it.
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let out = session.run(ort::inputs![
            "input" => input,
            "state" => carried,
            "sr" => rate,
        ])?;
        let (_, p) = out
            .get("output")
            .ok_or(VadError::Output("output"))?
            .try_extract_tensor::<f32>()?;
        let p = p
            .first()
            .copied()
            .ok_or(VadError::Output("a probability"))?;
        let (_, next) = out
            .get("stateN")
            .ok_or(VadError::Output("stateN"))?
            .try_extract_tensor::<f32>()?;
        if next.len() != STATE {
            return Err(VadError::Output("a 2×1×128 state"));
        }
        state.copy_from_slice(next);
        Ok(p)
    }
}

/// One call's Silero: its recurrent state, the context and the samples waiting for a window.
pub struct SileroVoice {
    model: Arc<Silero>,
    state: [f32; STATE],
    /// The context (the last `CONTEXT` samples judged), then samples not yet judged.
    input: Vec<f32>,
    last: f32,
    failed: bool,
}

impl VoiceActivity for SileroVoice {
    fn probability(&mut self, line: &[f32]) -> f32 {
        self.input.extend_from_slice(line);
        while self.input.len() >= CONTEXT + WINDOW {
            let window = &self.input[..CONTEXT + WINDOW];
            self.last = match self.model.run(window, &mut self.state) {
                Ok(p) => p,
                Err(e) => {
                    if !self.failed {
                        warn!(error = %e, "Silero failed; frames count as silence");
                        self.failed = true;
                    }
                    0.0
                }
            };
            self.input.drain(..WINDOW);
        }
        self.last
    }
}
