//! The spoken run: each generated caller places a real call. The server runs in this process
//! as `frontdesk serve` would (its own scratch database, the persona's clock set to the
//! corpus's evening), the caller speaks its lines in its own voice at its own rate over a line
//! with its noise, as 20 ms µ-law frames over the media-stream websocket in real time, and
//! answers the agent's words as the store recorded them (`StoreEars`); what the call achieved
//! is read back from the store, as the executive would find it, and scored like the text-level
//! run.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{check, CallResult, Caller, FactSheet, Observed, Reply, Transcript};
use crate::app::{self, Engines};
use crate::config::{Config, TtsChoice};
use crate::logic::dialog::{CallerInfo, Meeting};
use crate::logic::domain::Speaker;
use crate::persona::Persona;
use crate::sim::{self, CallerScript, Ears, SimOptions, Step};
use crate::speech::tts::caller::CallerVoice;
use crate::speech::tts::{self, TtsEngine};
use crate::store::{NewAppointment, Store};

/// Why a spoken call could not be placed or read back (a call that goes wrong is a failed
/// check, not an error).
#[derive(Debug, thiserror::Error)]
pub enum SpokenError {
    #[error("the server did not start: {0}")]
    Server(String),
    #[error("the caller's voice {voice:?}: {reason}")]
    Voice { voice: String, reason: String },
    #[error("the call failed: {0}")]
    Call(#[from] sim::SimError),
    #[error("reading the call back: {0}")]
    Store(String),
}

/// What every spoken call shares: the server's engines (whisper and the agent's voice, loaded
/// once), the callers' voices, and the files a server needs.
pub struct SpokenRig {
    engines: Engines,
    python: PathBuf,
    model: PathBuf,
    persona_path: PathBuf,
    voices: Mutex<HashMap<(String, String), Arc<dyn TtsEngine>>>,
}

impl SpokenRig {
    /// Loads whisper (`model`) for the server and for the callers, and the agent's voice, with
    /// the persona at `persona_path` (its FAQ and screening beside it) and Python at `python`.
    pub async fn load(
        model: PathBuf,
        python: PathBuf,
        persona_path: PathBuf,
    ) -> Result<Self, SpokenError> {
        let config = Config {
            model: model.clone(),
            python: python.clone(),
            persona: persona_path.clone(),
            tts: TtsChoice::Hibari,
            ..Config::default()
        };
        let persona =
            Persona::load(&persona_path).map_err(|e| SpokenError::Server(e.to_string()))?;
        let engines = app::load_engines(&config, &persona)
            .await
            .map_err(|e| SpokenError::Server(format!("{e:#}")))?;
        Ok(Self {
            engines,
            python,
            model,
            persona_path,
            voices: Mutex::new(HashMap::new()),
        })
    }

    /// The voice a fact sheet speaks with, at its rate (started once per voice and rate).
    fn voice(&self, sheet: &FactSheet) -> Result<Arc<dyn TtsEngine>, SpokenError> {
        let key = (sheet.voice.clone(), format!("{:.2}", sheet.rate));
        let fail = |reason: String| SpokenError::Voice {
            voice: sheet.voice.clone(),
            reason,
        };
        let mut voices = self.voices.lock().map_err(|e| fail(e.to_string()))?;
        if let Some(v) = voices.get(&key) {
            return Ok(v.clone());
        }
        let which: CallerVoice = sheet.voice.parse().map_err(|e| fail(format!("{e}")))?;
        let v =
            tts::start_caller(which, sheet.rate, &self.python).map_err(|e| fail(e.to_string()))?;
        voices.insert(key, v.clone());
        Ok(v)
    }
}

/// The caller's ears in the spoken run: the agent's words as the store recorded them, the
/// turns since the last time it listened. The caller understands the agent as the text-level
/// caller does, so the run measures how the server hears callers, not how whisper hears the
/// agent's voice (it hears "Haddad" read back as "had it", and a caller would say no).
struct StoreEars {
    store: Arc<dyn Store>,
    call_sid: String,
    heard: Mutex<usize>,
}

#[async_trait::async_trait]
impl Ears for StoreEars {
    async fn hear(&self, _mulaw: &[u8]) -> String {
        let Ok(Some(view)) = self.store.get_call(&self.call_sid).await else {
            return String::new();
        };
        let turns = view.turns.unwrap_or_default();
        let Ok(mut heard) = self.heard.lock() else {
            return String::new();
        };
        let said: Vec<String> = turns
            .iter()
            .skip(*heard)
            .filter(|t| t.speaker == Speaker::Agent)
            .map(|t| t.text.clone())
            .collect();
        *heard = turns.len();
        said.join(" ")
    }
}

/// The corpus caller as a call script: it answers what the agent said, as its ears heard it.
struct Reactive {
    caller: Caller,
    hung_up: bool,
}

impl CallerScript for Reactive {
    fn peek(&self) -> Option<&Step> {
        None
    }

    fn finished(&self) -> bool {
        self.hung_up
    }

    fn take(&mut self, agent_said: &str) -> Option<Step> {
        match self.caller.reply(agent_said) {
            Reply::Say(text) => Some(Step::Say(text)),
            Reply::Hangup => {
                self.hung_up = true;
                None
            }
        }
    }
}

/// Places `sheet`'s call against a fresh server whose clock reads `now`, and scores it.
pub async fn run_spoken_call(
    rig: &SpokenRig,
    persona: &Arc<Persona>,
    sheet: &FactSheet,
    now: DateTime<Utc>,
    print: bool,
) -> Result<CallResult, SpokenError> {
    let dir = tempfile::tempdir().map_err(|e| SpokenError::Server(e.to_string()))?;
    let config = Config {
        listen: ([127, 0, 0, 1], 0).into(),
        database_url: format!("sqlite://{}/frontdesk.db", dir.path().display()),
        recordings: dir.path().join("recordings"),
        model: rig.model.clone(),
        python: rig.python.clone(),
        persona: rig.persona_path.clone(),
        tts: TtsChoice::Hibari,
        api_token: Some("spoken-run".into()),
        now: Some(now.fixed_offset()),
        ..Config::default()
    };
    let engines = Engines {
        stt: rig.engines.stt.clone(),
        tts: rig.engines.tts.clone(),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = app::start_with(config, Some(engines), async {
        let _ = stopped.await;
    })
    .await
    .map_err(|e| SpokenError::Server(format!("{e:#}")))?;
    let store = running.services.store.clone();
    // The appointment a mover or canceller already has, under the store's own id.
    let mut seeded: Option<(String, String, DateTime<Utc>)> = None;
    if let Some(b) = &sheet.existing {
        let new = NewAppointment {
            start: b.start,
            end: b.end,
            caller_name: b.caller_name.clone(),
            caller_number: b.caller_number.clone(),
            purpose: b.purpose.clone(),
            call_sid: None,
        };
        let id = store
            .book(&new, now)
            .await
            .map_err(|e| SpokenError::Store(e.to_string()))?;
        seeded = Some((id, b.id.clone(), b.start));
    }
    let call_sid = format!("CA{}", sheet.id);
    let opts = SimOptions {
        server: format!("http://{}", running.addr),
        from: sheet
            .caller_id
            .clone()
            .unwrap_or_else(|| "anonymous".into()),
        call_sid: Some(call_sid.clone()),
        line_noise_dbfs: sheet.noise_dbfs,
        max_wait: Duration::from_secs(45),
        print,
        ..SimOptions::default()
    };
    let mut script = Reactive {
        caller: Caller::new(sheet.clone(), persona.timezone, now),
        hung_up: false,
    };
    let ears = StoreEars {
        store: store.clone(),
        call_sid: call_sid.clone(),
        heard: Mutex::new(0),
    };
    let placed = sim::place_call_with(&opts, &mut script, rig.voice(sheet)?, Some(&ears)).await;
    // The record is written as the stream closes: wait until the call is no longer open.
    let mut view = None;
    for _ in 0..50 {
        view = store
            .get_call(&call_sid)
            .await
            .map_err(|e| SpokenError::Store(e.to_string()))?;
        if view.as_ref().is_some_and(|v| v.ended_at.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let appointments = store
        .list_appointments(persona.timezone)
        .await
        .map_err(|e| SpokenError::Store(e.to_string()))?;
    let _ = stop.send(());
    placed?;
    let view = view.ok_or_else(|| SpokenError::Store(format!("no record of call {call_sid}")))?;
    let at = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| SpokenError::Store(format!("appointment time {s:?}: {e}")))
    };
    let mut obs = Observed {
        outcome: view.outcome,
        summary: view.summary.clone().unwrap_or_default(),
        caller: CallerInfo {
            name: view.caller.name.clone(),
            company: view.caller.company.clone(),
            callback_number: view.caller.callback_number.clone(),
            purpose: view.purpose.clone(),
            message: view.message.clone(),
            category: view.category,
            urgency: view.urgency,
            escalation: view.escalation_reason.clone(),
        },
        stuck: script.caller.is_stuck(),
        misrouted: script.caller.was_misrouted(),
        ..Observed::default()
    };
    for a in &appointments {
        let (start, end) = (at(&a.start)?, at(&a.end)?);
        match &seeded {
            Some((id, sheet_id, was)) if *id == a.id => {
                if a.status == "cancelled" {
                    obs.cancelled.push(sheet_id.clone());
                } else if start != *was {
                    obs.moved.push((sheet_id.clone(), start));
                }
            }
            _ if a.status != "cancelled" && a.call_sid.as_deref() == Some(call_sid.as_str()) => {
                obs.booked.push(Meeting {
                    start,
                    end,
                    caller_name: a.caller_name.clone(),
                    caller_number: a.caller_number.clone(),
                    purpose: a.purpose.clone(),
                })
            }
            _ => {}
        }
    }
    let lines = view
        .turns
        .iter()
        .flatten()
        .map(|t| (format!("{:?}", t.speaker).to_lowercase(), t.text.clone()))
        .collect();
    Ok(CallResult {
        id: sheet.id.clone(),
        classes: sheet.classes.clone(),
        result: check(&sheet.expected, &obs),
        observed: obs,
        transcript: Transcript { lines },
    })
}
