//! The server's Prometheus metrics: one [`Metrics`] per server, held in
//! [`crate::services::Services`], with its own `prometheus_client` registry (no process-global
//! recorder: several servers in one test process count apart). `GET /metrics` encodes it.
//!
//! The shell records them from what it already does: the session from the conductor's outputs
//! (a call started and closed, an agent turn's `latency_ms`, each transcription and sentence it
//! runs, a calendar change that failed), the HTTP layer the outbox's backlog when scraped.
//!
//! **Architecture Invariant:** `logic/` never touches metrics. Nothing here carries caller data:
//! no numbers, names or transcripts, and every label is from a small fixed set.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

/// The content type of [`Metrics::encode`]'s text (OpenMetrics, which Prometheus scrapes).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// How a call ended: its stored status and outcome names (`none` when it had no outcome).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Ended {
    /// `completed` or `dropped`.
    pub status: &'static str,
    /// `booked`, `message`, … or `none`.
    pub outcome: &'static str,
}

/// Why a speculative transcription was dropped unrun (`superseded`, `overtaken`, `expired`,
/// `full`: [`crate::speech::stt::Dropped`]).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DropReason {
    /// The reason's label.
    pub reason: &'static str,
}

/// One server's metrics, all named `frontdesk_…`.
pub struct Metrics {
    registry: Registry,
    /// Calls whose media stream started (`frontdesk_calls_started_total`).
    pub calls_started: Counter,
    /// Calls whose record was closed, by status and outcome (`frontdesk_calls_ended_total`).
    pub calls_ended: Family<Ended, Counter>,
    /// Calls in progress on this server (`frontdesk_calls_active`).
    pub calls_active: Gauge,
    /// From the caller's end of speech to the agent's reply, as the conductor measured it
    /// for each agent turn (`frontdesk_reply_latency_seconds`).
    pub reply_latency: Histogram,
    /// One transcription, from the request to the text, the wait for a whisper worker
    /// included (`frontdesk_stt_duration_seconds`).
    pub stt_duration: Histogram,
    /// Speculative transcriptions (the words before a pause) dropped unrun, by why
    /// (`frontdesk_stt_speculative_dropped_total`): each leaves its words to the turn's own pass.
    pub stt_dropped: Family<DropReason, Counter>,
    /// One sentence synthesised to line audio, a remembered one included
    /// (`frontdesk_tts_duration_seconds`).
    pub tts_duration: Histogram,
    /// Notifications in the outbox not yet delivered or failed, set when scraped
    /// (`frontdesk_notifications_pending`).
    pub notifications_pending: Gauge,
    /// Calendar changes that failed for a reason other than the slot being taken
    /// (`frontdesk_calendar_failures_total`).
    pub calendar_failures: Counter,
    /// Writes to the executive's calendar not yet made, set when scraped
    /// (`frontdesk_calendar_backlog`).
    pub calendar_backlog: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric at zero.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("frontdesk");
        let calls_started = Counter::default();
        let calls_ended = Family::<Ended, Counter>::default();
        let calls_active = Gauge::default();
        let reply_latency = Histogram::new([0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0]);
        let stt_duration = Histogram::new([0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0]);
        let stt_dropped = Family::<DropReason, Counter>::default();
        // Every reason shows from the first scrape, at zero.
        for why in crate::speech::stt::Dropped::ALL {
            drop(stt_dropped.get_or_create(&DropReason {
                reason: why.label(),
            }));
        }
        let tts_duration = Histogram::new([0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0]);
        let notifications_pending = Gauge::default();
        let calendar_failures = Counter::default();
        let calendar_backlog = Gauge::default();
        registry.register(
            "calls_started",
            "Calls whose media stream started",
            calls_started.clone(),
        );
        registry.register(
            "calls_ended",
            "Calls closed, by status and outcome",
            calls_ended.clone(),
        );
        registry.register(
            "calls_active",
            "Calls in progress on this server",
            calls_active.clone(),
        );
        registry.register_with_unit(
            "reply_latency",
            "From the caller's end of speech to the agent's reply, per agent turn",
            Unit::Seconds,
            reply_latency.clone(),
        );
        registry.register_with_unit(
            "stt_duration",
            "One transcription, the wait for a whisper worker included",
            Unit::Seconds,
            stt_duration.clone(),
        );
        registry.register(
            "stt_speculative_dropped",
            "Speculative transcriptions (the words before a pause) dropped unrun, by why",
            stt_dropped.clone(),
        );
        registry.register_with_unit(
            "tts_duration",
            "One sentence synthesised to line audio",
            Unit::Seconds,
            tts_duration.clone(),
        );
        registry.register(
            "notifications_pending",
            "Notifications in the outbox not yet delivered or failed",
            notifications_pending.clone(),
        );
        registry.register(
            "calendar_failures",
            "Calendar changes that failed (a taken slot aside)",
            calendar_failures.clone(),
        );
        registry.register(
            "calendar_backlog",
            "Writes to the executive's calendar not yet made (bookings, moves, cancellations)",
            calendar_backlog.clone(),
        );
        Self {
            registry,
            calls_started,
            calls_ended,
            calls_active,
            reply_latency,
            stt_duration,
            stt_dropped,
            tts_duration,
            notifications_pending,
            calendar_failures,
            calendar_backlog,
        }
    }

    /// A call started: counted, and active until the returned guard is dropped.
    pub fn call_started(&self) -> ActiveCall {
        self.calls_started.inc();
        self.calls_active.inc();
        ActiveCall(self.calls_active.clone())
    }

    /// A call's record was closed with `status` and `outcome` (stored names).
    pub fn call_ended(&self, status: &'static str, outcome: Option<&'static str>) {
        self.calls_ended
            .get_or_create(&Ended {
                status,
                outcome: outcome.unwrap_or("none"),
            })
            .inc();
    }

    /// An agent turn's reply latency, as the conductor measured it.
    pub fn reply(&self, latency_ms: i64) {
        self.reply_latency
            .observe(latency_ms.max(0) as f64 / 1000.0);
    }

    /// A speculative transcription was dropped unrun, for `reason` (a
    /// [`crate::speech::stt::Dropped`] label).
    pub fn stt_dropped(&self, reason: &'static str) {
        self.stt_dropped.get_or_create(&DropReason { reason }).inc();
    }

    /// The text exposition (OpenMetrics, ending `# EOF`).
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// A call counted as active while it lives.
#[derive(Debug)]
pub struct ActiveCall(Gauge);

impl Drop for ActiveCall {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value on the line `name` (with its labels, if any) of `text`.
    fn value(text: &str, name: &str) -> Option<f64> {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
    }

    #[test]
    fn a_call_is_counted_while_it_lives_and_by_how_it_ended() {
        let m = Metrics::new();
        let call = m.call_started();
        m.reply(640);
        m.reply(-5);
        let live = m.encode().unwrap();
        assert_eq!(value(&live, "frontdesk_calls_started_total"), Some(1.0));
        assert_eq!(value(&live, "frontdesk_calls_active"), Some(1.0));
        drop(call);
        m.call_ended("completed", Some("message"));
        m.call_ended("dropped", None);
        let text = m.encode().unwrap();
        let cases = [
            ("frontdesk_calls_active", 0.0),
            (
                "frontdesk_calls_ended_total{status=\"completed\",outcome=\"message\"}",
                1.0,
            ),
            (
                "frontdesk_calls_ended_total{status=\"dropped\",outcome=\"none\"}",
                1.0,
            ),
            ("frontdesk_reply_latency_seconds_count", 2.0),
            ("frontdesk_reply_latency_seconds_sum", 0.64),
            ("frontdesk_reply_latency_seconds_bucket{le=\"0.25\"}", 1.0),
            ("frontdesk_reply_latency_seconds_bucket{le=\"0.75\"}", 2.0),
            ("frontdesk_calendar_failures_total", 0.0),
        ];
        for (name, expected) in cases {
            assert_eq!(value(&text, name), Some(expected), "{name} in\n{text}");
        }
        assert!(text.ends_with("# EOF\n"), "{text}");
    }

    /// `frontdesk_stt_speculative_dropped_total`, by reason, as Prometheus parses the scrape.
    fn dropped(m: &Metrics) -> Vec<(String, f64)> {
        let text = m.encode().unwrap();
        let scrape =
            prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
        let mut out: Vec<(String, f64)> = scrape
            .samples
            .iter()
            .filter(|s| s.metric == "frontdesk_stt_speculative_dropped_total")
            .map(|s| {
                let reason = s.labels.get("reason").unwrap_or("").to_string();
                // The parser reads OpenMetrics' `_total` samples as untyped; the type line
                // says counter (checked below).
                match s.value {
                    prometheus_parse::Value::Counter(v) | prometheus_parse::Value::Untyped(v) => {
                        (reason, v)
                    }
                    ref other => panic!("not a single value: {other:?}"),
                }
            })
            .collect();
        assert!(
            text.contains("# TYPE frontdesk_stt_speculative_dropped counter"),
            "{text}"
        );
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn dropped_speculative_passes_are_counted_by_reason() {
        let m = Metrics::new();
        let zero = |r: &str| (r.to_string(), 0.0);
        assert_eq!(
            dropped(&m),
            vec![
                zero("expired"),
                zero("full"),
                zero("overtaken"),
                zero("superseded")
            ]
        );
        m.stt_dropped("superseded");
        m.stt_dropped("superseded");
        m.stt_dropped("expired");
        assert_eq!(
            dropped(&m),
            vec![
                ("expired".into(), 1.0),
                zero("full"),
                zero("overtaken"),
                ("superseded".into(), 2.0)
            ]
        );
    }

    #[test]
    fn two_servers_count_apart() {
        let (a, b) = (Metrics::new(), Metrics::new());
        let _call = a.call_started();
        let text = b.encode().unwrap();
        assert_eq!(value(&text, "frontdesk_calls_started_total"), Some(0.0));
    }
}
