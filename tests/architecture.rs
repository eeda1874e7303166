//! The map's invariants, checked on the source: the pure core does no IO and reads no clock,
//! and nothing outside `telephony` names a provider's wire fields (ARCHITECTURE.md).

use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The Rust files under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// A file's code lines with their numbers: comments and the unit tests at its end
/// (`#[cfg(test)]` onwards) left out.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = fs::read_to_string(path).expect("source is readable");
    text.lines()
        .enumerate()
        .take_while(|(_, l)| l.trim() != "#[cfg(test)]")
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect()
}

/// The sans-IO core: the dialog and its readers, the call conductor, the date/time parser, the
/// calendar rules, the shared typed values.
fn core_files() -> Vec<PathBuf> {
    let mut files = rust_files(&src().join("dialog"));
    files.extend(rust_files(&src().join("conductor")));
    files.retain(|p| p.file_name().is_some_and(|n| n != "tests.rs"));
    files.push(src().join("timeparse.rs"));
    files.push(src().join("calendar.rs"));
    files.push(src().join("domain.rs"));
    files
}

#[test]
fn the_core_does_no_io_and_reads_no_clock() {
    const FORBIDDEN: &[&str] = &[
        "tokio",
        "sqlx",
        "reqwest",
        "whisper_rs",
        "axum",
        "std::net",
        "std::fs",
        "std::process",
        "Utc::now",
        "Local::now",
        "SystemTime",
        "Instant::now",
        // The shells: storage, engines, delivery, the session and the web layer.
        "crate::store",
        "crate::stt",
        "crate::tts",
        "crate::notify",
        "crate::call",
        "crate::web",
        "crate::app",
    ];
    let mut found = Vec::new();
    for file in core_files() {
        for (n, line) in code_lines(&file) {
            for f in FORBIDDEN {
                if line.contains(f) {
                    found.push(format!("{}:{n}: {f}: {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "IO or a clock in the core:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_telephony_names_a_providers_wire_fields() {
    const WIRE: &[&str] = &[
        "CallSid",
        "DialCallStatus",
        "streamSid",
        "X-Twilio-Signature",
        "x-twilio-signature",
        "<Dial",
        "<Stream url",
    ];
    let telephony = src().join("telephony");
    let mut found = Vec::new();
    for file in rust_files(&src()) {
        if file.starts_with(&telephony) {
            continue;
        }
        let text = fs::read_to_string(&file).expect("source is readable");
        for (n, line) in text.lines().enumerate() {
            for w in WIRE {
                if line.contains(w) {
                    found.push(format!("{}:{}: {w}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "wire fields outside telephony:\n{}",
        found.join("\n")
    );
}

/// The checks above can fail: each catches what it exists for.
#[test]
fn the_checks_see_what_they_look_for() {
    let dir = std::env::temp_dir().join(format!("frontdesk-arch-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("probe.rs");
    fs::write(
        &file,
        "// tokio in a comment is fine\nlet now = Utc::now();\n#[cfg(test)]\nmod tests { use tokio; }\n",
    )
    .unwrap();
    let lines = code_lines(&file);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].1.contains("Utc::now"));
    assert_eq!(rust_files(&dir), vec![file]);
    fs::remove_dir_all(&dir).unwrap();
}
