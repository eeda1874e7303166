//! The session with stand-in speech engines: the real server, websocket, session, conductor,
//! dialog and SQLite, with a transcriber that hears the script and a tone for a voice
//! (`frontdesk::speech::fake`). What the agent hears is exactly what the test scripted, so
//! these check the plumbing (every turn stored in order, the outcome, the close) without whisper
//! or a voice installed (the line still runs in real time: about 20 s);
//! `tests/calls.rs` runs the same paths with whisper and the natural voice.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{said, spawn_app_with_engines, turns};
use frontdesk::app::Engines;
use frontdesk::sim::{self, Ears, Step};
use frontdesk::speech::fake::{Scripted, ToneVoice};

const LINES: [&str; 4] = [
    "Hi, I'd like to leave a message for Alex, please.",
    "This is Jordan Lee from Acme.",
    "Yes.",
    "Please call me back about the contract renewal before Friday.",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_caller_leaves_a_message_through_the_real_session() {
    let heard = Scripted::new(LINES);
    let app = spawn_app_with_engines(Engines {
        stt: Arc::new(heard.clone()),
        tts: Arc::new(ToneVoice),
    })
    .await;
    let mut script: Vec<Step> = LINES.iter().map(|l| Step::Say(l.to_string())).collect();
    script.push(Step::Dtmf('1'));
    let report = sim::place_call(&app.sim_options(), &script, Arc::new(ToneVoice), None)
        .await
        .expect("call completes");

    assert!(report.server_hung_up, "{report:?}");
    assert_eq!(heard.utterances(), LINES.len(), "one utterance per line");
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["status"], "completed", "{call}");
    assert_eq!(call["outcome"], "message", "{call}");
    assert_eq!(call["caller"]["name"], "Jordan Lee", "{call}");
    assert_eq!(call["caller"]["company"], "Acme", "{call}");
    assert_eq!(call["caller"]["callback_number"], "+16175550123", "{call}");
    assert!(call["message"]
        .as_str()
        .unwrap()
        .contains("contract renewal before Friday"));
    assert!(call["summary"]
        .as_str()
        .unwrap()
        .contains("Next step: Alex to call back."));
    // Every caller line and the keypad press, in order, each answered by the agent.
    let caller: Vec<&str> = turns(&call, "caller")
        .iter()
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = LINES.to_vec();
    expected.push("[keypad 1]");
    assert_eq!(caller, expected, "{call}");
    let speakers: Vec<&str> = call["turns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["speaker"].as_str().unwrap())
        .collect();
    assert!(
        speakers.windows(2).all(|w| w[0] != w[1]),
        "turns alternate: {speakers:?}"
    );
    assert!(said(&call, "agent").contains("read that back"));
    let replies = turns(&call, "agent");
    assert!(replies
        .iter()
        .skip(1)
        .all(|t| t["latency_ms"].as_i64().is_some_and(|l| l > 0)));
}

/// Ears slower than the server's patience (a caller's transcriber on a busy machine): nine
/// seconds a turn, then how much of the agent they heard.
struct SlowEars;

#[async_trait::async_trait]
impl Ears for SlowEars {
    async fn hear(&self, mulaw: &[u8]) -> String {
        tokio::time::sleep(Duration::from_secs(9)).await;
        format!("{} ms of the agent", mulaw.len() / 8)
    }
}

/// The caller's line keeps flowing while its ears work: a scripted caller speaks as soon as the
/// agent finishes, so the server never finds the line silent, and each agent turn gets the
/// words its ears heard, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_ears_never_hold_up_the_callers_line() {
    let heard = Scripted::new(LINES);
    let app = spawn_app_with_engines(Engines {
        stt: Arc::new(heard.clone()),
        tts: Arc::new(ToneVoice),
    })
    .await;
    let script: Vec<Step> = LINES.iter().map(|l| Step::Say(l.to_string())).collect();
    let report = sim::place_script(
        &app.sim_options(),
        &script,
        Arc::new(ToneVoice),
        Some(&SlowEars),
    )
    .await
    .expect("call completes");

    let call = app.stored_call(&report.call_sid).await;
    let agent = said(&call, "agent");
    assert!(!agent.contains("still there"), "{call}");
    assert_eq!(heard.utterances(), LINES.len(), "{call}");
    assert!(agent.contains("read that back"), "{call}");
    let reported: Vec<&str> = report
        .turns
        .iter()
        .filter(|t| t.speaker == "agent")
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(reported.len(), LINES.len() + 1, "{reported:?}");
    assert!(
        reported
            .iter()
            .all(|t| t.ends_with(" ms of the agent") && !t.starts_with("0 ")),
        "{reported:?}"
    );
    let speakers: Vec<&str> = report.turns.iter().map(|t| t.speaker).collect();
    assert!(
        speakers.windows(2).all(|w| w[0] != w[1]),
        "the report keeps the turns in order: {speakers:?}"
    );
}
