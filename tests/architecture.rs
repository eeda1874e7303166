//! The map's invariants, checked on the source: the pure core (`src/logic/`) does no IO, reads
//! no clock and imports no shell, and nothing outside `src/providers/` names a provider's wire
//! fields (ARCHITECTURE.md).

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

/// The sans-IO core: everything under `src/logic/` (the dialog and its readers, the call
/// conductor, the date/time parser, the calendar rules, the shared typed values), unit tests
/// aside.
fn core_files() -> Vec<PathBuf> {
    let mut files = rust_files(&src().join("logic"));
    files.retain(|p| p.file_name().is_some_and(|n| n != "tests.rs"));
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
        "crate::speech::stt",
        "crate::speech::tts",
        "crate::notify",
        "crate::call",
        "crate::http",
        "crate::app",
        // Metrics are the shell's: it records them from the core's outputs.
        "prometheus_client",
        "crate::metrics",
        "crate::caldav",
        "crate::calendar_sync",
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
fn only_providers_name_a_providers_wire_fields() {
    const WIRE: &[&str] = &[
        "CallSid",
        "DialCallStatus",
        "streamSid",
        "X-Twilio-Signature",
        "x-twilio-signature",
        "<Dial",
        "<Stream url",
    ];
    let providers = src().join("providers");
    let mut found = Vec::new();
    for file in rust_files(&src()) {
        if file.starts_with(&providers) {
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
        "wire fields outside providers:\n{}",
        found.join("\n")
    );
}

/// The top-level module (`src/<top>.rs` or `src/<top>/…`) a file belongs to.
fn top_module(file: &Path) -> String {
    let rel = file.strip_prefix(src()).expect("under src");
    let first = rel.components().next().expect("a file").as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// Which top-level modules each one's code (comments and unit tests aside) names as `crate::x`.
fn module_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut graph = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for file in rust_files(&src()) {
        let from = top_module(&file);
        if from == "lib" || from == "main" {
            continue;
        }
        let deps = graph.entry(from.clone()).or_default();
        for (_, line) in code_lines(&file) {
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let is_module =
                    src().join(&name).is_dir() || src().join(format!("{name}.rs")).is_file();
                if is_module && name != from {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

/// A cycle in `graph`, if there is one (as the path around it).
fn find_cycle(
    graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_top_level_modules_import_no_cycle() {
    let graph = module_graph();
    assert!(
        graph.contains_key("logic") && graph.contains_key("call"),
        "{graph:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}\n{graph:#?}", cycle.join(" -> "));
    }
    // The core imports nothing but itself and the pure audio code.
    let core: Vec<&String> = graph["logic"].iter().filter(|m| *m != "audio").collect();
    assert!(core.is_empty(), "logic imports {core:?}");
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
    let mut looped = std::collections::BTreeMap::new();
    looped.insert("a".to_string(), ["b".to_string()].into());
    looped.insert("b".to_string(), ["c".to_string()].into());
    looped.insert("c".to_string(), ["a".to_string()].into());
    assert_eq!(find_cycle(&looped).unwrap(), ["a", "b", "c", "a"]);
    looped.get_mut("c").unwrap().clear();
    assert_eq!(find_cycle(&looped), None);
}
