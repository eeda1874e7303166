//! Monitoring routes, open to probes and scrapers without the API token: `/healthz` (the
//! process serves), `/readyz` (whisper loaded, the voice warm, the database writable) and
//! `/metrics` (Prometheus text). None of them carries caller data.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use tracing::{error, warn};

use crate::services::Services;

/// How long the database may take to prove it takes a write before `/readyz` says it does not
/// (the store's busy timeout is longer).
const DATABASE_CHECK: Duration = Duration::from_secs(2);

/// `GET /healthz`: the process serves.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "monitoring",
    operation_id = "healthz",
    responses((status = 200, description = "`ok` while the process serves", body = String, content_type = "text/plain"))
)]
pub(super) async fn healthz() -> &'static str {
    "ok"
}

/// What `/readyz` found: each check by name, passed or not.
#[derive(Debug, Default)]
pub(super) struct Readiness {
    /// Each check: its name, whether it passed, whether readiness depends on it.
    checks: Vec<(&'static str, bool, bool)>,
}

impl Readiness {
    fn check(mut self, name: &'static str, passed: bool) -> Self {
        self.checks.push((name, passed, true));
        self
    }

    /// A check that is reported but does not make the server unready: calls go on without it
    /// (the executive's calendar: bookings are queued, requests taken for the office).
    fn report(mut self, name: &'static str, passed: bool) -> Self {
        self.checks.push((name, passed, false));
        self
    }

    /// 200 when every check readiness depends on passed, else 503; the body names each check
    /// and what failed (`degraded`: reported checks that failed).
    fn answer(&self) -> (StatusCode, Value) {
        let ready = self
            .checks
            .iter()
            .all(|(_, passed, counts)| *passed || !counts);
        let checks: Map<String, Value> = self
            .checks
            .iter()
            .map(|(name, passed, _)| {
                (
                    name.to_string(),
                    json!(if *passed { "ok" } else { "failed" }),
                )
            })
            .collect();
        let failed: Vec<&str> = self
            .checks
            .iter()
            .filter(|(_, passed, counts)| !passed && *counts)
            .map(|(name, _, _)| *name)
            .collect();
        let degraded: Vec<&str> = self
            .checks
            .iter()
            .filter(|(_, passed, counts)| !passed && !*counts)
            .map(|(name, _, _)| *name)
            .collect();
        let status = if ready {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        let mut body = json!({"ready": ready, "checks": checks});
        if !ready {
            body["failed"] = json!(failed);
        }
        if !degraded.is_empty() {
            body["degraded"] = json!(degraded);
        }
        (status, body)
    }
}

/// `GET /readyz`: ready to take calls. `model`: whisper is loaded (the services hold a
/// transcriber only once it has); `voice`: the voice is warm ([`crate::speech::tts::TtsEngine::warm`],
/// nothing synthesised); `database`: a write is taken and rolled back; `calendar` (reported
/// when one is configured, never making the server unready): the CalDAV server answered its
/// last read.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "monitoring",
    operation_id = "readyz",
    responses(
        (status = 200, description = "Ready: `{\"ready\": true, \"checks\": {\"model\": \"ok\", \"voice\": \"ok\", \"database\": \"ok\"}}`", content_type = "application/json"),
        (status = 503, description = "Not ready: each check `ok` or `failed`, and `failed` naming what failed", content_type = "application/json"),
    )
)]
pub(super) async fn readyz(State(svc): State<Arc<Services>>) -> Response {
    let database = match tokio::time::timeout(DATABASE_CHECK, svc.store.check_writable()).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            warn!(error = %e, "readiness: the database takes no write");
            false
        }
        Err(_) => {
            warn!("readiness: the database did not take a write in time");
            false
        }
    };
    let mut readiness = Readiness::default()
        .check("model", true)
        .check("voice", svc.tts.warm())
        .check("database", database);
    if svc.caldav.is_some() {
        // The CalDAV server answered its last read.
        readiness = readiness.report("calendar", svc.busy.reachable());
    }
    let (status, body) = readiness.answer();
    (status, Json(body)).into_response()
}

/// `GET /metrics`: this server's metrics as Prometheus (OpenMetrics) text, the outbox's
/// backlog read from the store as it is scraped.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "monitoring",
    operation_id = "metrics",
    responses((status = 200, description = "Prometheus (OpenMetrics) text", body = String, content_type = "application/openmetrics-text"))
)]
pub(super) async fn metrics(State(svc): State<Arc<Services>>) -> Response {
    match svc.store.pending_count().await {
        Ok(n) => {
            svc.metrics.notifications_pending.set(n);
        }
        Err(e) => warn!(error = %e, "metrics: cannot count the outbox's backlog"),
    }
    match svc.store.calendar_backlog().await {
        Ok(n) => {
            svc.metrics.calendar_backlog.set(n);
        }
        Err(e) => warn!(error = %e, "metrics: cannot count the calendar's backlog"),
    }
    match svc.metrics.encode() {
        Ok(text) => ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], text).into_response(),
        Err(e) => {
            error!(error = %e, "metrics: cannot encode");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(checks: &[(&'static str, bool)], status: u16, body: Value) {
        let r = checks.iter().fold(Readiness::default(), |r, &(n, p)| {
            if n == "calendar" {
                r.report(n, p)
            } else {
                r.check(n, p)
            }
        });
        let (got_status, got_body) = r.answer();
        assert_eq!((got_status.as_u16(), got_body), (status, body));
    }

    #[test]
    fn ready_only_when_every_check_passes_and_the_failures_are_named() {
        check(
            &[("model", true), ("voice", true), ("database", true)],
            200,
            json!({"ready": true, "checks": {"model": "ok", "voice": "ok", "database": "ok"}}),
        );
        check(
            &[("model", true), ("voice", false), ("database", false)],
            503,
            json!({"ready": false, "checks": {"model": "ok", "voice": "failed", "database": "failed"},
                   "failed": ["voice", "database"]}),
        );
        // The calendar is reported, but calls go on without it.
        check(
            &[
                ("model", true),
                ("voice", true),
                ("database", true),
                ("calendar", false),
            ],
            200,
            json!({"ready": true, "checks": {"model": "ok", "voice": "ok", "database": "ok", "calendar": "failed"},
                   "degraded": ["calendar"]}),
        );
    }
}
