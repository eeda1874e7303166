//! A call's journal: what the session writes to the call log while the call runs (turns, a turn
//! cut by barge-in, events, the caller's details, the outcome), written in order by a task of
//! its own, so the audio loop never waits on the database. A locked or slow database delays the
//! log, never the caller's audio; [`Journal::flush`] waits until everything sent is written,
//! before the call's record is closed.
//!
//! The call's conductor numbers its turns: only it makes turns, so the numbers are known at
//! once (a cut names its turn before that turn is written) and need no `MAX(seq) + 1` read.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};
use tracing::error;

use super::{CallLog, Speaker};
use crate::logic::dialog::CallerInfo;
use crate::logic::domain::{Outcome, Summary};

enum Entry {
    /// The call's row (an upsert: the voice webhook normally made it) and its media stream.
    Open {
        from: Option<String>,
        to: Option<String>,
        at: DateTime<Utc>,
        stream_id: String,
        recording: Option<String>,
    },
    Turn {
        seq: i64,
        speaker: Speaker,
        text: String,
        at: DateTime<Utc>,
        latency_ms: Option<i64>,
    },
    CutTurn {
        seq: i64,
        heard: String,
    },
    Event {
        at: DateTime<Utc>,
        kind: String,
        detail: String,
    },
    Caller(CallerInfo),
    Outcome {
        outcome: Outcome,
        summary: Summary,
    },
    Flush(oneshot::Sender<()>),
}

/// The writer of one call's log entries.
pub struct Journal {
    tx: mpsc::UnboundedSender<Entry>,
}

impl Journal {
    /// Starts the writer for call `call_sid`, writing to `log`.
    pub fn start(log: Arc<dyn CallLog>, call_sid: String) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<Entry>();
        tokio::spawn(async move {
            while let Some(entry) = rx.recv().await {
                write(log.as_ref(), &call_sid, entry).await;
            }
        });
        Self { tx }
    }

    fn send(&self, entry: Entry) {
        if self.tx.send(entry).is_err() {
            error!("the call's journal writer is gone; an entry is lost");
        }
    }

    /// Records the call as begun (`from`, `to`, `at`: kept where the webhook already wrote
    /// them) and served by media stream `stream_id`, recorded to `recording`: the first entry.
    pub fn open(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        at: DateTime<Utc>,
        stream_id: &str,
        recording: Option<&str>,
    ) {
        self.send(Entry::Open {
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            at,
            stream_id: stream_id.to_string(),
            recording: recording.map(str::to_string),
        });
    }

    /// Appends turn `seq` (numbered by the call's conductor, from 1).
    pub fn turn(
        &self,
        seq: i64,
        speaker: Speaker,
        text: &str,
        at: DateTime<Utc>,
        latency_ms: Option<i64>,
    ) {
        self.send(Entry::Turn {
            seq,
            speaker,
            text: text.to_string(),
            at,
            latency_ms,
        });
    }

    /// Cuts turn `seq` to what the caller heard of it.
    pub fn cut_turn(&self, seq: i64, heard: &str) {
        self.send(Entry::CutTurn {
            seq,
            heard: heard.to_string(),
        });
    }

    /// Records a notable event on the call.
    pub fn event(&self, at: DateTime<Utc>, kind: &str, detail: &str) {
        self.send(Entry::Event {
            at,
            kind: kind.to_string(),
            detail: detail.to_string(),
        });
    }

    /// Stores what is known of the caller.
    pub fn caller(&self, info: &CallerInfo) {
        self.send(Entry::Caller(info.clone()));
    }

    /// Stores the call's outcome and summary.
    pub fn outcome(&self, outcome: Outcome, summary: Summary) {
        self.send(Entry::Outcome { outcome, summary });
    }

    /// Waits until every entry sent so far is written (or failed and was logged).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        self.send(Entry::Flush(done));
        let _ = wait.await;
    }
}

async fn write(store: &dyn CallLog, call_sid: &str, entry: Entry) {
    let result = match entry {
        Entry::Open {
            from,
            to,
            at,
            stream_id,
            recording,
        } => match store
            .begin_call(call_sid, from.as_deref(), to.as_deref(), at)
            .await
        {
            Ok(()) => store
                .set_stream(call_sid, &stream_id, recording.as_deref())
                .await
                .map_err(|e| ("stream", e)),
            Err(e) => Err(("start", e)),
        },
        Entry::Turn {
            seq,
            speaker,
            text,
            at,
            latency_ms,
        } => store
            .add_turn(call_sid, seq, speaker, &text, at, latency_ms)
            .await
            .map_err(|e| ("turn", e)),
        Entry::CutTurn { seq, heard } => store
            .cut_turn(call_sid, seq, &heard)
            .await
            .map_err(|e| ("cut turn", e)),
        Entry::Event { at, kind, detail } => store
            .add_event(call_sid, at, &kind, &detail)
            .await
            .map_err(|e| ("event", e)),
        Entry::Caller(info) => store
            .update_caller(call_sid, &info)
            .await
            .map_err(|e| ("caller details", e)),
        Entry::Outcome { outcome, summary } => store
            .set_outcome(call_sid, outcome, Some(&summary))
            .await
            .map_err(|e| ("outcome", e)),
        Entry::Flush(done) => {
            let _ = done.send(());
            Ok(())
        }
    };
    if let Err((what, e)) = result {
        error!(call_sid, error = %e, "cannot store the call's {what}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn entries_are_written_in_order_and_flush_waits_for_them() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/calls.db", dir.path().display());
        let store = Arc::new(crate::store::SqliteStore::open(&url).await.unwrap());
        let t0 = Utc::now();
        let j = Journal::start(store.clone(), "CAj".into());
        j.open(Some("+16175550123"), None, t0, "MZj", Some("/tmp/CAj.wav"));
        j.turn(1, Speaker::Agent, "Good evening, how can I help?", t0, None);
        j.turn(2, Speaker::Caller, "Hi.", t0, Some(700));
        // The cut names a turn that may not be written yet.
        j.cut_turn(1, "Good evening");
        j.event(t0, "barge_in", "caller spoke");
        j.caller(&CallerInfo {
            name: Some("Dana Kim".into()),
            ..CallerInfo::default()
        });
        j.flush().await;
        let call = store.get_call("CAj").await.unwrap().unwrap();
        let turns = call.turns.unwrap_or_default();
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].text, "Good evening");
        assert!(turns[0].interrupted);
        assert_eq!(turns[1].latency_ms, Some(700));
        assert_eq!(call.caller.name.as_deref(), Some("Dana Kim"));
        assert_eq!(call.from.as_deref(), Some("+16175550123"));
        assert!(call
            .events
            .unwrap_or_default()
            .iter()
            .any(|e| e.kind == "barge_in"));
    }
}
