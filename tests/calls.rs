//! Spoken calls over a real websocket, end to end: the simulated Twilio caller speaks with the
//! natural voice as 8 kHz µ-law; the server runs real whisper, the real voice and real SQLite.

mod common;

use common::{said, spawn_app, spawn_app_on, spawn_app_with, turns};
use frontdesk::audio::vad::VadEngine;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_leaves_a_message_and_everything_is_logged() {
    let app = spawn_app().await;
    let report = app
        .call(
            "Hi, I'd like to leave a message for Alex, please.\n\
             This is Jordan Lee from Acme.\n\
             Yes.\n\
             Please call me back about the contract renewal before Friday.\n\
             @dtmf 1\n",
        )
        .await;

    // The agent answered with audio and hung up after its goodbye.
    assert!(
        report.server_hung_up,
        "the agent should end the call: {report:?}"
    );
    assert!(
        report.agent_audio.len() > 8000 * 20,
        "agent spoke {} s",
        report.agent_audio.len() / 8000
    );
    let agent_turns = report.turns.iter().filter(|t| t.speaker == "agent").count();
    assert!(agent_turns >= 6, "{:?}", report.turns);

    // The call, both sides' turns and the caller's details are in the database and the API.
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["status"], "completed");
    assert_eq!(call["outcome"], "message");
    assert_eq!(call["from"], "+16175550123");
    assert_eq!(call["to"], "+16175550100");
    assert_eq!(call["caller"]["callback_number"], "+16175550123");
    assert!(
        call["caller"]["name"]
            .as_str()
            .unwrap_or("")
            .contains("Jordan"),
        "{call}"
    );
    let caller = said(&call, "caller");
    for word in [
        "message",
        "jordan",
        "contract",
        "friday",
        "yes",
        "[keypad 1]",
    ] {
        assert!(
            caller.contains(word),
            "caller said {word:?}? heard: {caller}"
        );
    }
    let agent = said(&call, "agent");
    assert!(agent.contains("after-hours assistant"), "{agent}");
    assert!(agent.contains("read that back"), "{agent}");
    assert!(call["message"]
        .as_str()
        .unwrap_or("")
        .to_lowercase()
        .contains("contract"));
    // Replies carry their latency; turns are timestamped.
    let replies = turns(&call, "agent");
    assert!(
        replies
            .iter()
            .skip(1)
            .all(|t| t["latency_ms"].as_i64().is_some_and(|l| l > 0)),
        "{call}"
    );
    assert!(replies.iter().all(|t| t["started_at"]
        .as_str()
        .is_some_and(|s| s.starts_with("2026-11-"))));

    // The list shows it; the API needs the token.
    let (status, list) = app.api("/api/calls").await;
    assert_eq!(status, 200);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["call_sid"] == report.call_sid.as_str()));
    let anon = reqwest::get(format!("{}/api/calls", app.base))
        .await
        .unwrap();
    assert_eq!(anon.status(), 401);

    // Both legs were recorded.
    let wav = app.recording(&report.call_sid).await.bytes().await.unwrap();
    let reader = hound::WavReader::new(std::io::Cursor::new(wav.to_vec())).unwrap();
    assert_eq!(reader.spec().channels, 2);
    assert!(
        reader.duration() > 8000 * 20,
        "recording is {} s",
        reader.duration() / 8000
    );
}

/// The database is locked by another writer for three seconds just as the call's stream opens:
/// the greeting still goes out at the pace of playback (no gap over 100 ms), and the call's
/// records, written while it was locked, arrive afterwards, complete and in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_database_never_holds_up_the_callers_audio() {
    use sqlx::Connection;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    let app = spawn_app().await;
    let db = app.dir.path().join("frontdesk.db");
    let answered = Arc::new(tokio::sync::Notify::new());
    let locker = tokio::spawn({
        let answered = answered.clone();
        async move {
            answered.notified().await;
            let url = format!("sqlite://{}", db.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query("BEGIN EXCLUSIVE")
                .execute(&mut conn)
                .await
                .unwrap();
            let locked = Instant::now();
            // It is a real stall: another writer is refused at once.
            let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query("PRAGMA busy_timeout = 0")
                .execute(&mut other)
                .await
                .unwrap();
            let refused = sqlx::query("UPDATE calls SET to_number = to_number")
                .execute(&mut other)
                .await;
            assert!(refused.is_err(), "the lock does not hold writers off");
            tokio::time::sleep(Duration::from_secs(3)).await;
            sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
            (locked, Instant::now())
        }
    });
    let report = app
        .call_with(
            "Hi, I'd like to leave a message for Alex, please.\n\
             This is Jordan Lee from Acme.\n",
            |o| o.answered = Some(answered.clone()),
        )
        .await;
    let (locked, released) = locker.await.unwrap();

    // The greeting played while the database was locked, at its pace.
    let during: Vec<Instant> = report
        .media_arrivals
        .iter()
        .copied()
        .filter(|t| *t > locked && *t < released)
        .collect();
    assert!(
        during.len() >= 100,
        "{} agent frames arrived in the 3 s the database was locked",
        during.len()
    );
    let worst = during
        .windows(2)
        .map(|w| w[1].duration_since(w[0]))
        .max()
        .unwrap();
    assert!(
        worst <= Duration::from_millis(100),
        "a {worst:?} gap in the agent's audio while the database was locked"
    );

    // Everything logged during the stall is there, in the order it happened.
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["status"], "completed", "{call}");
    assert_eq!(call["from"], "+16175550123");
    let stored = call["turns"].as_array().unwrap();
    let speakers: Vec<&str> = stored
        .iter()
        .map(|t| t["speaker"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = report.turns.iter().map(|t| t.speaker).collect();
    assert_eq!(speakers, expected, "{call}");
    let caller = turns(&call, "caller");
    assert!(caller[0]["text"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("message"));
    assert!(caller[1]["text"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("jordan"));
    // The stream and its recording were noted too.
    assert_eq!(app.recording(&report.call_sid).await.status(), 200);
    assert!(said(&call, "agent").contains("after-hours assistant"));
    assert!(said(&call, "caller").contains("jordan"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_who_talks_over_the_agent_is_heard_and_the_agent_stops() {
    talking_over_the_agent(VadEngine::Energy).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_silero_a_caller_who_talks_over_the_agent_is_heard_and_the_agent_stops() {
    talking_over_the_agent(VadEngine::Silero).await;
}

async fn talking_over_the_agent(engine: VadEngine) {
    let app = spawn_app_on(engine).await;
    let report = app
        .call(
            "@now This is Priya Patel from Contoso, I need to leave a message.\n@wait 1\n@hangup\n",
        )
        .await;
    assert!(
        report.clears >= 1,
        "the agent should have sent clear: {report:?}"
    );
    let call = app.stored_call(&report.call_sid).await;
    let greeting = &turns(&call, "agent")[0];
    assert_eq!(greeting["interrupted"], true, "{call}");
    let heard = greeting["text"].as_str().unwrap();
    let full = "Good evening, you've reached Alex Morgan's after-hours assistant at Northwind Labs. Alex is out of the office right now. How can I help you?";
    assert!(
        heard.len() < full.len() && full.starts_with(heard),
        "logged greeting {heard:?}"
    );
    assert!(said(&call, "caller").contains("priya"), "{call}");
    // whisper may spell the surname "Padel"; the first name is what the agent used.
    assert!(
        call["caller"]["name"]
            .as_str()
            .unwrap_or("")
            .starts_with("Priya "),
        "{call}"
    );
    assert!(said(&call, "agent").contains("thank you, priya"), "{call}");
    assert!(call["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "barge_in"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agents_own_echo_and_a_backchannel_do_not_interrupt_it() {
    echo_and_backchannel(VadEngine::Energy).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_silero_the_agents_own_echo_and_a_backchannel_do_not_interrupt_it() {
    echo_and_backchannel(VadEngine::Silero).await;
}

async fn echo_and_backchannel(engine: VadEngine) {
    let app = spawn_app_on(engine).await;
    // The agent's voice comes back 20 dB down; the caller murmurs "okay" during the greeting.
    let report = app
        .call_with("@now Okay.\n@wait 6\n@hangup\n", |o| {
            o.echo_db = Some(-20.0);
            o.max_wait = std::time::Duration::from_secs(12);
        })
        .await;
    assert_eq!(report.clears, 0, "{report:?}");
    let call = app.stored_call(&report.call_sid).await;
    let greeting = &turns(&call, "agent")[0];
    assert_eq!(greeting["interrupted"], false, "{call}");
    assert!(greeting["text"]
        .as_str()
        .unwrap()
        .ends_with("How can I help you?"));
    let caller = said(&call, "caller");
    assert!(
        !caller.contains("northwind") && !caller.contains("office"),
        "echo was transcribed: {caller}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_caller_on_a_noisy_line_is_prompted_then_let_go() {
    let app = spawn_app_with(|c| c.silence_timeout_secs = 3).await;
    let report = app
        .call_with("@wait 40\n", |o| o.line_noise_dbfs = Some(-42.0))
        .await;
    assert!(report.server_hung_up, "{report:?}");
    let call = app.stored_call(&report.call_sid).await;
    assert_eq!(call["status"], "completed");
    assert_eq!(call["outcome"], "abandoned");
    assert!(
        turns(&call, "caller").is_empty(),
        "noise became words: {call}"
    );
    let agent = said(&call, "agent");
    assert!(agent.contains("are you still there"), "{agent}");
    assert!(agent.contains("goodbye"), "{agent}");
}

/// Sends raw frames over a real websocket, as a misbehaving provider would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_frames_are_logged_and_the_call_survives() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let app = spawn_app().await;
    let sid = "CAbadframes0001";
    let form = [
        ("CallSid", sid),
        ("From", "+16175550123"),
        ("To", "+16175550100"),
    ];
    let twiml = reqwest::Client::new()
        .post(format!("{}/twilio/voice", app.base))
        .form(&form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (url, params) = frontdesk::sim::parse_twiml(&twiml).unwrap();
    let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .unwrap();
    let custom: serde_json::Map<String, serde_json::Value> = params
        .into_iter()
        .map(|(k, v)| (k, serde_json::Value::String(v)))
        .collect();
    let start = serde_json::json!({
        "event": "start", "sequenceNumber": "1", "streamSid": "MZbad",
        "start": {"accountSid": "AC1", "streamSid": "MZbad", "callSid": sid, "tracks": ["inbound"],
                  "customParameters": custom,
                  "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}
    });
    let silence = frontdesk::providers::twilio::encode_payload(&[0xFF; 160]);
    let media = |payload: &str| {
        serde_json::json!({"event": "media", "streamSid": "MZbad", "media": {"track": "inbound", "payload": payload}})
            .to_string()
    };
    let frames = vec![
        Message::Text(media(&silence).into()), // media before start
        Message::Text("{not json".into()),
        Message::Text(start.to_string().into()),
        Message::Text(media("%%% not base64 %%%").into()),
        Message::Text(r#"{"event":"media","streamSid":"MZbad"}"#.into()),
        Message::Text(r#"{"event":"surprise"}"#.into()),
        Message::Text(r#"{"event":"dtmf","dtmf":{}}"#.into()),
        Message::Binary(vec![1u8, 2, 3].into()),
        Message::Text(r#"[1,2,3]"#.into()),
    ];
    for f in frames {
        ws.send(f).await.unwrap();
    }
    // The call goes on: the agent greets, and good media is still accepted.
    let mut agent_frames = 0;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while agent_frames < 50 {
        ws.send(Message::Text(media(&silence).into()))
            .await
            .unwrap();
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) if t.contains("\"media\"") => agent_frames += 1,
            Ok(Some(Ok(_))) => {}
            other => panic!("stream ended early: {other:?}"),
        }
    }
    let stop = serde_json::json!({"event": "stop", "streamSid": "MZbad", "stop": {"accountSid": "AC1", "callSid": sid}});
    ws.send(Message::Text(stop.to_string().into()))
        .await
        .unwrap();
    let _ = ws.close(None).await;

    let call = app.stored_call(sid).await;
    assert_eq!(call["status"], "completed", "{call}");
    let events: Vec<String> = call["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "bad_frame")
        .map(|e| e["detail"].as_str().unwrap().to_string())
        .collect();
    let all = events.join(" | ");
    for want in [
        "media frame arrived before the stream started",
        "not valid JSON",
        "base64",
        "missing media",
        "unknown event",
        "missing field `digit`",
        "binary",
        "does not match the protocol",
    ] {
        assert!(all.contains(want), "no {want:?} event in {all}");
    }
    assert!(said(&call, "agent").contains("after-hours assistant"));
    // The server is still healthy.
    let ok = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(ok.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_without_our_token_is_refused() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let app = spawn_app().await;
    let url = format!("{}/twilio/stream", app.base.replace("http://", "ws://"));
    let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .unwrap();
    let start = serde_json::json!({
        "event": "start", "streamSid": "MZx",
        "start": {"streamSid": "MZx", "callSid": "CAforged", "customParameters": {"token": "guess"},
                  "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}
    });
    ws.send(Message::Text(start.to_string().into()))
        .await
        .unwrap();
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next())
        .await
        .unwrap();
    assert!(
        matches!(next, None | Some(Ok(Message::Close(_))) | Some(Err(_))),
        "{next:?}"
    );
    let (status, _) = app.api("/api/calls/CAforged").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_must_be_signed_when_a_twilio_token_is_set() {
    let app = spawn_app_with(|c| {
        c.twilio_auth_token = Some("twilio-secret".into());
        c.public_url = Some("https://desk.example.com".into());
    })
    .await;
    let params = vec![
        ("CallSid".to_string(), "CAsigned".to_string()),
        ("From".to_string(), "+16175550123".to_string()),
    ];
    let post = |sig: Option<String>| {
        let mut r = reqwest::Client::new()
            .post(format!("{}/twilio/voice", app.base))
            .form(&params);
        if let Some(s) = sig {
            r = r.header("X-Twilio-Signature", s);
        }
        r.send()
    };
    assert_eq!(post(None).await.unwrap().status(), 403);
    let wrong = frontdesk::providers::twilio::signature(
        "other",
        "https://desk.example.com/twilio/voice",
        &params,
    );
    assert_eq!(post(Some(wrong)).await.unwrap().status(), 403);
    let right = frontdesk::providers::twilio::signature(
        "twilio-secret",
        "https://desk.example.com/twilio/voice",
        &params,
    );
    let resp = post(Some(right)).await.unwrap();
    assert_eq!(resp.status(), 200);
    let twiml = resp.text().await.unwrap();
    let (url, params) = frontdesk::sim::parse_twiml(&twiml).unwrap();
    assert_eq!(url, "wss://desk.example.com/twilio/stream");
    assert!(params.iter().any(|(k, v)| k == "token" && v.len() == 64));
    assert!(params
        .iter()
        .any(|(k, v)| k == "from" && v == "+16175550123"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulated_caller_signs_like_twilio() {
    // No public URL: Twilio would sign the listen address, and so does the simulated caller.
    let app = spawn_app_with(|c| c.twilio_auth_token = Some("twilio-secret".into())).await;
    let report = app
        .call_with("@hangup\n", |o| o.auth_token = Some("twilio-secret".into()))
        .await;
    let call = app.stored_call(&report.call_sid).await;
    assert!(
        said(&call, "agent").contains("after-hours assistant"),
        "{call}"
    );
}
