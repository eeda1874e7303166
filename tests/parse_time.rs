//! `frontdesk parse-time` over the SGD booking utterances: the date and time callers ask for.
//!
//! The figures are computed over every row of the training file through the real binary, the
//! same way a reviewer runs it: `frontdesk parse-time --now 2019-03-01T09:00:00 --tz UTC`.

use std::io::Write;
use std::process::{Command, Stdio};

struct Row {
    utterance: String,
    date: Option<String>,
    time: Option<String>,
}

fn rows() -> Vec<Row> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sgd/booking-datetime-train.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("SGD data is in the repository");
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON row");
            Row {
                utterance: v["utterance"].as_str().expect("utterance").to_string(),
                date: v["date"].as_str().map(str::to_string),
                time: v["time"].as_str().map(str::to_string),
            }
        })
        .collect()
}

/// Runs the binary over `lines`; returns one parsed JSON object per line.
fn parse_time(args: &[&str], lines: &[&str]) -> Vec<serde_json::Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("parse-time")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("frontdesk runs");
    let input = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("frontdesk finishes");
    writer.join().expect("writer").expect("stdin written");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

#[test]
fn sgd_dates_and_times_are_understood() {
    let rows = rows();
    assert_eq!(rows.len(), 3396);
    let lines: Vec<&str> = rows.iter().map(|r| r.utterance.as_str()).collect();
    let got = parse_time(&["--now", "2019-03-01T09:00:00", "--tz", "UTC"], &lines);
    assert_eq!(got.len(), rows.len(), "one output line per input line");
    let (mut dates, mut date_ok, mut times, mut time_ok, mut both, mut both_ok) =
        (0, 0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    for (row, out) in rows.iter().zip(&got) {
        let d = row.date.as_deref().map(|g| out["date"].as_str() == Some(g));
        let t = row.time.as_deref().map(|g| out["time"].as_str() == Some(g));
        if let Some(ok) = d {
            dates += 1;
            date_ok += usize::from(ok);
        }
        if let Some(ok) = t {
            times += 1;
            time_ok += usize::from(ok);
        }
        if let (Some(a), Some(b)) = (d, t) {
            both += 1;
            both_ok += usize::from(a && b);
        }
        if d == Some(false) || t == Some(false) {
            misses.push(format!(
                "{:?} gold {:?} {:?} got {out}",
                row.utterance, row.date, row.time
            ));
        }
    }
    let pct = |ok: usize, n: usize| 100.0 * ok as f64 / n as f64;
    println!(
        "SGD train: date {date_ok}/{dates} = {:.2}%, time {time_ok}/{times} = {:.2}%, both {both_ok}/{both} = {:.2}%",
        pct(date_ok, dates),
        pct(time_ok, times),
        pct(both_ok, both)
    );
    for m in misses.iter().take(20) {
        println!("  miss: {m}");
    }
    assert_eq!((dates, times, both), (2008, 1940, 552));
    assert!(
        pct(date_ok, dates) >= 97.0,
        "date accuracy {:.2}%",
        pct(date_ok, dates)
    );
    assert!(
        pct(time_ok, times) >= 97.0,
        "time accuracy {:.2}%",
        pct(time_ok, times)
    );
    assert!(
        pct(both_ok, both) >= 97.0,
        "both accuracy {:.2}%",
        pct(both_ok, both)
    );
}

#[test]
fn the_command_reads_an_offset_and_a_zone() {
    // 2026-11-24T01:30Z is still Monday evening in Boston: "tomorrow" is Tuesday the 24th there.
    let got = parse_time(
        &["--now", "2026-11-24T01:30:00Z", "--tz", "America/New_York"],
        &[
            "tomorrow at 130",
            "",
            "Next Tuesday at half past three",
            "nothing to see here",
        ],
    );
    assert_eq!(
        got[0],
        serde_json::json!({"date": "2026-11-24", "time": "13:30"})
    );
    assert_eq!(got[1], serde_json::json!({"date": null, "time": null}));
    assert_eq!(
        got[2],
        serde_json::json!({"date": "2026-12-01", "time": "15:30"})
    );
    assert_eq!(got[3], serde_json::json!({"date": null, "time": null}));
}

#[test]
fn bad_arguments_are_named() {
    for (args, key) in [
        (vec!["--now", "yesterday"], "--now"),
        (
            vec!["--now", "2026-11-24T09:00:00Z", "--tz", "Mars/Base"],
            "--tz",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("parse-time")
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .expect("frontdesk runs");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(key), "{err}");
    }
}
