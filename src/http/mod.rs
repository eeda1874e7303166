//! HTTP: the telephony provider's webhooks and media-stream websocket (through its
//! [`Provider`](crate::providers::Provider)), the JSON API, and the monitoring routes
//! (`health`: `/healthz`, `/readyz`, `/metrics`).
//!
//! **Architecture Invariant:** handlers are thin: they check, translate and hand over to
//! `telephony`, `call` and `store`. The websocket handler is the only place a provider's
//! adapter meets a call session.

mod health;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use tokio::sync::mpsc;
use tracing::{error, info, warn};

use crate::call::{self, SessionInput, SessionOutput};
use crate::notify;
use crate::providers::{FrameError, Reply};
use crate::services::Services;

/// The application's routes.
pub fn router(services: Arc<Services>) -> Router {
    let mut router = Router::new();
    if services.config.calendar.export_secret.is_some() {
        // The bookings as an iCalendar feed at a secret URL; not mounted when no secret is set.
        router = router.route("/calendar/{file}", get(export_feed));
    }
    router
        // Monitoring, open to probes and scrapers: no caller data (see `health`).
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        // The provider's webhooks and media stream, under its name ("/twilio/voice").
        .nest(&format!("/{}", services.provider.name()), provider_routes())
        .route("/api/calls", get(list_calls))
        .route("/api/calls/{call_sid}", get(get_call))
        .route("/api/calls/{call_sid}/recording.wav", get(get_recording))
        .route("/api/appointments", get(list_appointments))
        .route("/api/notifications", get(list_notifications))
        .with_state(services)
}

/// A provider's routes: the call webhook, the media stream, the transfer callback.
fn provider_routes() -> Router<Arc<Services>> {
    Router::new()
        .route("/voice", post(voice))
        .route("/stream", get(stream))
        .route("/dial-status", post(dial_status))
}

/// Checks that a webhook comes from the provider (its signature, when a secret is
/// configured): `None` when it holds, else the refusal to send back.
fn webhook_refusal(
    svc: &Services,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    params: &[(String, String)],
) -> Option<Response> {
    let mut url = format!("{}{}", svc.config.public_base(), uri.path());
    if let Some(q) = uri.query() {
        url.push('?');
        url.push_str(q);
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    if svc.provider.verify(&url, params, &header) {
        None
    } else {
        warn!(%url, provider = svc.provider.name(), "webhook refused: signature missing or wrong");
        Some((StatusCode::FORBIDDEN, "invalid webhook signature").into_response())
    }
}

/// A provider webhook's form parameters, extracted only when its signature holds (when a
/// secret is configured); otherwise the request is refused with 403.
struct WebhookForm(Vec<(String, String)>);

impl FromRequest<Arc<Services>> for WebhookForm {
    type Rejection = Response;

    async fn from_request(req: Request, svc: &Arc<Services>) -> Result<Self, Self::Rejection> {
        // The URI as sent: a nested router sees its path without the provider's prefix.
        let uri = req
            .extensions()
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| req.uri().clone(), |o| o.0.clone());
        let headers = req.headers().clone();
        let Form(params) = Form::<Vec<(String, String)>>::from_request(req, svc)
            .await
            .map_err(IntoResponse::into_response)?;
        match webhook_refusal(svc, &uri, &headers, &params) {
            Some(refused) => Err(refused),
            None => Ok(Self(params)),
        }
    }
}

fn reply(r: Reply) -> Response {
    ([(header::CONTENT_TYPE, r.content_type)], r.body).into_response()
}

/// `POST /{provider}/voice`: the provider asks what to do with an incoming call; we connect
/// its media stream to us, with a per-call token the websocket must present.
async fn voice(State(svc): State<Arc<Services>>, WebhookForm(params): WebhookForm) -> Response {
    let call = match svc.provider.incoming_call(&params) {
        Ok(call) => call,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let (sid, from, to) = (
        call.call_id.as_str(),
        call.from.as_deref(),
        call.to.as_deref(),
    );
    let now = svc.clock.now();
    if let Err(e) = svc.store.begin_call(sid, from, to, now).await {
        error!(call_sid = sid, error = %e, "cannot record incoming call");
        return reply(svc.provider.say_and_hang_up(
            "We're sorry, this line cannot take calls right now. Please try again later.",
        ));
    }
    let (from, to) = (from.unwrap_or(""), to.unwrap_or(""));
    info!(call_sid = sid, from, to, "incoming call");
    let token = svc.stream_token(sid);
    reply(svc.provider.connect_stream(
        &svc.config.stream_url(svc.provider.name()),
        &[("token", &token), ("from", from), ("to", to)],
    ))
}

/// `POST /{provider}/dial-status`: how a live transfer ended. Answered: the call ends
/// when the human hangs up. Not answered (busy, no answer, failed): the caller is told they will
/// be called back, and the on-call human is notified again, with the call log, that the transfer
/// was missed; this is recorded once, however often the provider retries.
async fn dial_status(
    State(svc): State<Arc<Services>>,
    WebhookForm(params): WebhookForm,
) -> Response {
    let ended = match svc.provider.transfer_ended(&params) {
        Ok(ended) => ended,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let (call_sid, status) = (ended.call_id.as_str(), ended.status.as_str());
    let now = svc.clock.now();
    if ended.answered {
        info!(call_sid, status, "transfer answered");
        if let Err(e) = svc
            .store
            .add_event(call_sid, now, "transfer_answered", status)
            .await
        {
            error!(call_sid, error = %e, "cannot record the answered transfer");
        }
        return reply(svc.provider.hang_up());
    }
    warn!(
        call_sid,
        status, "transfer NOT answered; notifying the on-call human again"
    );
    match svc.store.get_call(call_sid).await {
        Ok(Some(call)) => {
            let noted = call
                .events
                .iter()
                .flatten()
                .any(|e| e.kind == "transfer_unanswered");
            if !noted {
                let mut amended = call.clone();
                let summary = notify::transfer_missed_summary(
                    call.summary_parts.as_ref(),
                    status,
                    &svc.persona.assistant.name,
                );
                amended.summary = Some(summary.text());
                let notes = notify::for_call(&svc, &amended);
                match svc
                    .store
                    .amend_call_notifying(
                        call_sid,
                        now,
                        "transfer_unanswered",
                        status,
                        &summary,
                        &notes,
                        chrono::Utc::now(),
                    )
                    .await
                {
                    Ok(true) => svc.outbox.notify_one(),
                    // A retry racing this one recorded it first.
                    Ok(false) => {}
                    Err(e) => error!(call_sid, error = %e, "cannot record the missed transfer"),
                }
            }
        }
        Ok(None) => warn!(call_sid, "dial status for a call we have no record of"),
        Err(e) => error!(call_sid, error = %e, "cannot read the call"),
    }
    reply(
        svc.provider
            .say_and_hang_up(&svc.persona.line("transfer_unanswered", &[])),
    )
}

/// `GET /{provider}/stream`: the media-stream websocket.
async fn stream(State(svc): State<Arc<Services>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| serve_stream(socket, svc))
}

async fn serve_stream(mut socket: WebSocket, svc: Arc<Services>) {
    let (in_tx, in_rx) = mpsc::channel::<SessionInput>(512);
    let (out_tx, mut out_rx) = mpsc::channel::<SessionOutput>(512);
    let mut adapter = svc.provider.adapter();
    let session = tokio::spawn(call::run(svc, in_rx, out_tx));
    loop {
        tokio::select! {
            msg = socket.recv() => {
                let input = match msg {
                    Some(Ok(Message::Text(text))) => match adapter.parse(text.as_str()) {
                        Ok(frame) => SessionInput::Frame(frame),
                        Err(e) => SessionInput::BadFrame(e),
                    },
                    Some(Ok(Message::Binary(_))) => SessionInput::BadFrame(FrameError::Binary),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | None => SessionInput::Closed,
                    Some(Err(e)) => {
                        warn!(error = %e, "media stream broke");
                        SessionInput::Closed
                    }
                };
                let closed = matches!(input, SessionInput::Closed);
                if in_tx.send(input).await.is_err() || closed {
                    break;
                }
            }
            out = out_rx.recv() => match out {
                Some(SessionOutput::Frame(frame)) => {
                    if socket.send(Message::Text(adapter.encode(&frame).into())).await.is_err() {
                        let _ = in_tx.send(SessionInput::Closed).await;
                        break;
                    }
                }
                Some(SessionOutput::Close) | None => {
                    close_cleanly(&mut socket).await;
                    break;
                }
            }
        }
    }
    drop(in_tx);
    if let Err(e) = session.await {
        error!(error = %e, "call session panicked");
    }
}

/// Hangs up our side of the stream with a close handshake: the close frame, then whatever the
/// provider still had in flight, until its own close (or a second), so it sees an orderly end
/// rather than a reset connection.
async fn close_cleanly(socket: &mut WebSocket) {
    if socket.send(Message::Close(None)).await.is_err() {
        return;
    }
    let drain = async {
        while let Some(Ok(msg)) = socket.recv().await {
            if matches!(msg, Message::Close(_)) {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), drain).await;
}

fn authorized(svc: &Services, headers: &HeaderMap) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    !given.is_empty()
        && given.len() == svc.api_token.len()
        && given
            .bytes()
            .zip(svc.api_token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        Json(serde_json::json!({"error": "missing or wrong bearer token (FRONTDESK_API_TOKEN)"})),
    )
        .into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    error!(error = %e, "API error");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(serde_json::json!({"error": "internal error; see the server log"})),
    )
        .into_response()
}

#[derive(Deserialize)]
struct ListQuery {
    limit: Option<i64>,
}

/// `GET /api/calls`: the most recent calls, newest first (`?limit=`, default 50, at most 500).
async fn list_calls(
    State(svc): State<Arc<Services>>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    if !authorized(&svc, &headers) {
        return unauthorized();
    }
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    match svc.store.list_calls(limit).await {
        Ok(calls) => Json(calls).into_response(),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
struct NotificationQuery {
    status: Option<String>,
    limit: Option<i64>,
}

/// `GET /api/notifications`: notifications across calls, newest first (`?status=failed`,
/// `pending` or `delivered`; `?limit=`, default 50, at most 500).
async fn list_notifications(
    State(svc): State<Arc<Services>>,
    headers: HeaderMap,
    Query(q): Query<NotificationQuery>,
) -> Response {
    if !authorized(&svc, &headers) {
        return unauthorized();
    }
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    if let Some(s) = status {
        if !matches!(s, "pending" | "delivered" | "failed") {
            return (
                StatusCode::BAD_REQUEST,
                Json(serde_json::json!({"error": format!("status {s:?} is not pending, delivered or failed")})),
            )
                .into_response();
        }
    }
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    match svc.store.list_notifications(status, limit).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => internal(e),
    }
}

/// `GET /api/appointments`: booked and cancelled appointments.
/// `GET /calendar/<secret>.ics`: every booked appointment as iCalendar, for a calendar app to
/// subscribe to. The secret in the path is the only key (calendar apps send no token); a wrong
/// one is a 404, as for a route that does not exist.
async fn export_feed(State(svc): State<Arc<Services>>, Path(file): Path<String>) -> Response {
    let Some(secret) = svc.config.calendar.export_secret.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = file.strip_suffix(".ics").unwrap_or("");
    if !same_secret(given.as_bytes(), secret.as_bytes()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let appointments = match svc.store.appointments().await {
        Ok(a) => a,
        Err(e) => return internal(e),
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

async fn list_appointments(State(svc): State<Arc<Services>>, headers: HeaderMap) -> Response {
    if !authorized(&svc, &headers) {
        return unauthorized();
    }
    match svc.store.list_appointments(svc.persona.timezone).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => internal(e),
    }
}

/// `GET /api/calls/{call_sid}`: one call with its turns, events and notifications.
async fn get_call(
    State(svc): State<Arc<Services>>,
    headers: HeaderMap,
    Path(sid): Path<String>,
) -> Response {
    if !authorized(&svc, &headers) {
        return unauthorized();
    }
    match svc.store.get_call(&sid).await {
        Ok(Some(call)) => Json(call).into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({"error": "no such call"})),
        )
            .into_response(),
        Err(e) => internal(e),
    }
}

/// `GET /api/calls/{call_sid}/recording.wav`: the call's two-leg recording.
async fn get_recording(
    State(svc): State<Arc<Services>>,
    headers: HeaderMap,
    Path(sid): Path<String>,
    Query(_q): Query<HashMap<String, String>>,
) -> Response {
    if !authorized(&svc, &headers) {
        return unauthorized();
    }
    let path = match svc.store.recording_path(&sid).await {
        Ok(Some(p)) => p,
        Ok(None) => return (StatusCode::NOT_FOUND, "no recording").into_response(),
        Err(e) => return internal(e),
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, "audio/wav")], bytes).into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "recording file missing").into_response(),
    }
}
