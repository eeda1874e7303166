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

/// What whisper heard over the phone path for every 8th SGD utterance (`examples/hear_sgd.rs`:
/// the natural voice, 8 kHz µ-law, rubato, whisper tiny.en): "the ace" for "the 8th", "to 30 in
/// the afternoon" for 2:30, "1515", "Tenam". The parser must understand callers as heard.
#[test]
fn sgd_as_whisper_heard_it_is_understood() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sgd/heard.jsonl");
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(path)
        .expect("heard SGD data is in the repository")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON row"))
        .collect();
    assert!(rows.len() >= 400);
    let lines: Vec<String> = rows
        .iter()
        .map(|r| r["heard"].as_str().unwrap_or("").replace('\n', " "))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let got = parse_time(&["--now", "2019-03-01T09:00:00", "--tz", "UTC"], &lines);
    let (mut n, mut ok) = ([0usize; 3], [0usize; 3]);
    for (row, out) in rows.iter().zip(&got) {
        let d = row["date"]
            .as_str()
            .map(|g| out["date"].as_str() == Some(g));
        let t = row["time"]
            .as_str()
            .map(|g| out["time"].as_str() == Some(g));
        for (i, r) in [d, t, d.zip(t).map(|(a, b)| a && b)]
            .into_iter()
            .enumerate()
        {
            if let Some(r) = r {
                n[i] += 1;
                ok[i] += usize::from(r);
            }
        }
        if d == Some(false) || t == Some(false) {
            println!(
                "  miss: {:?} heard {:?} got {out}",
                row["utterance"], row["heard"]
            );
        }
    }
    let pct = |i: usize| 100.0 * ok[i] as f64 / n[i] as f64;
    println!(
        "SGD as heard: date {}/{} = {:.2}%, time {}/{} = {:.2}%, both {}/{} = {:.2}%",
        ok[0],
        n[0],
        pct(0),
        ok[1],
        n[1],
        pct(1),
        ok[2],
        n[2],
        pct(2)
    );
    for (i, what) in ["date", "time", "both"].iter().enumerate() {
        assert!(pct(i) >= 97.0, "{what} accuracy as heard {:.2}%", pct(i));
    }
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
fn the_phrasings_callers_use_for_meetings() {
    // Monday 2026-11-23, 09:00 in Boston.
    let cases = [
        ("tomorrow", Some("2026-11-24"), None),
        ("next Tuesday", Some("2026-12-01"), None),
        ("this Friday afternoon", Some("2026-11-27"), None),
        ("the 12th", Some("2026-12-12"), None),
        ("March 10th", Some("2027-03-10"), None),
        ("in two weeks", Some("2026-12-07"), None),
        ("half past 3", None, Some("15:30")),
        ("quarter to 6 in the evening", None, Some("17:45")),
        ("noon", None, Some("12:00")),
        ("15:30", None, Some("15:30")),
        ("3 pm", None, Some("15:00")),
        (
            "can we do Wednesday the 2nd at 9.30?",
            Some("2026-12-02"),
            Some("09:30"),
        ),
        (
            "how about a week from Friday at 11",
            Some("2026-12-04"),
            Some("11:00"),
        ),
        (
            "the day after tomorrow at one thirty",
            Some("2026-11-25"),
            Some("13:30"),
        ),
        ("sometime next week", None, None),
        ("my number is 617 555 0123", None, None),
    ];
    let lines: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let got = parse_time(
        &["--now", "2026-11-23T09:00:00", "--tz", "America/New_York"],
        &lines,
    );
    for ((line, date, time), out) in cases.iter().zip(&got) {
        assert_eq!(out["date"].as_str(), *date, "{line}: {out}");
        assert_eq!(out["time"].as_str(), *time, "{line}: {out}");
    }
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
