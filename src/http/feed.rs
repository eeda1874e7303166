//! `GET /calendar/<secret>.ics`: Frontdesk's bookings as an iCalendar feed, for any calendar
//! app to subscribe to. The secret in the path is the only key (calendar apps send no token);
//! a wrong one, or none configured, is a 404, as for a route that does not exist.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tracing::error;

use crate::services::Services;

/// `GET /calendar/{file}`: every booked appointment as iCalendar when `file` is
/// `<export_secret>.ics`.
#[utoipa::path(
    get,
    path = "/calendar/{file}",
    tag = "calendar",
    operation_id = "export_feed",
    params(("file" = String, Path, description = "`<export_secret>.ics` (`[calendar] export_secret`)")),
    responses(
        (status = 200, description = "Every booked appointment as an iCalendar VCALENDAR", content_type = "text/calendar"),
        (status = 404, description = "No such feed: a wrong secret, or no export secret configured"),
    )
)]
pub(super) async fn export_feed(
    State(svc): State<Arc<Services>>,
    Path(file): Path<String>,
) -> Response {
    let Some(secret) = svc.config.calendar.export_secret.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = file.strip_suffix(".ics").unwrap_or("");
    if !same_secret(given.as_bytes(), secret.as_bytes()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let appointments = match svc.store.appointments().await {
        Ok(a) => a,
        Err(e) => {
            error!(error = %e, "export feed: reading the appointments");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error; see the server log",
            )
                .into_response();
        }
    };
    let now = chrono::Utc::now();
    let events = appointments
        .iter()
        .filter(|a| a.booked)
        .map(|a| crate::calendar_sync::event_of(&svc, a, now));
    let name = format!("{} (Frontdesk bookings)", svc.persona.executive);
    let text = crate::logic::ical::calendar_text(events, Some(&name));
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=60"),
        ],
        text,
    )
        .into_response()
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
