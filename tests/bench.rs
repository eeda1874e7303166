//! `frontdesk bench` end to end: it starts its own server, places a real call over a websocket,
//! waits for the call's record and reports every figure, per call, as JSON.

mod common;

use std::process::Command;

#[test]
fn the_bench_measures_a_call_against_a_server_it_starts() {
    common::require_setup();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("caller.txt");
    std::fs::write(
        &script,
        "Hi, I'd like to leave a message for Alex.\nJordan Lee.\n@hangup\n",
    )
    .unwrap();
    let json = dir.path().join("bench.json");
    let out = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .current_dir(common::root())
        .args(["bench", "--calls", "1", "--script"])
        .arg(&script)
        .arg("--json")
        .arg(&json)
        .env_remove("FRONTDESK_CONFIG")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("| now | 1 |"), "{stdout}");
    let rounds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let round = &rounds[0];
    assert_eq!(round["calls"], 1);
    assert_eq!(round["failed"], 0, "{round}");
    // The caller spoke twice and was answered twice (the name question, the number question).
    assert!(round["reply"]["n"].as_u64().unwrap() >= 2, "{round}");
    assert!(round["reply"]["p50"].as_f64().unwrap() > 0.0);
    assert_eq!(round["greeting"]["n"], 1, "{round}");
    // The server noted where the replies' latency went, and the bench read it back.
    let breakdown = &round["breakdown"];
    assert!(breakdown["replies"].as_u64().unwrap() >= 1, "{round}");
    assert!(breakdown["endpoint_p50"].as_f64().unwrap() > 0.0, "{round}");
    // The server finished with the call, and its process was sampled.
    assert_eq!(round["available"]["n"], 1, "{round}");
    assert!(
        round["resources"]["rss_peak_mb"].as_f64().unwrap() > 10.0,
        "{round}"
    );
    let wer = round["wer"]
        .as_f64()
        .expect("the stored turns were compared");
    assert!((0.0..0.5).contains(&wer), "{wer}");
    assert!(round["frames"].as_u64().unwrap() > 100, "{round}");
}
