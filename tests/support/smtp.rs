//! A real SMTP server for tests and benchmarks: aiosmtpd (installed into `.venv` by
//! `scripts/setup.sh`) on a loopback port, run by `smtp_sink.py`, recording every message it
//! accepts. Included with `#[path]` by `tests/notify.rs` and `benches/outbox.rs`.

#![allow(dead_code)]

use std::time::{Duration, Instant};

/// A real SMTP server (aiosmtpd, from the project's venv) on a loopback port, recording what it
/// accepts; killed when dropped.
pub struct SmtpSink {
    child: std::process::Child,
    port: u16,
    out: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    pub fn start() -> Self {
        use std::io::BufRead;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mail.jsonl");
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut child = std::process::Command::new(root.join(".venv/bin/python"))
            .arg(root.join("tests/support/smtp_sink.py"))
            .arg(port.to_string())
            .arg(&out)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the SMTP server starts (run scripts/setup.sh for aiosmtpd)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        Self {
            child,
            port,
            out,
            _dir: dir,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// How many messages it has accepted (cheap enough to poll).
    pub fn count(&self) -> usize {
        std::fs::read_to_string(&self.out)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    }

    pub fn mails(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub async fn wait_mails(&self, n: usize, within: Duration) -> Vec<serde_json::Value> {
        let end = Instant::now() + within;
        while Instant::now() < end && self.mails().len() < n {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.mails()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
