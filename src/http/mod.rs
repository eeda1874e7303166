//! HTTP: the telephony provider's webhooks and media-stream websocket (through its
//! [`Provider`](crate::providers::Provider)), the JSON API (`api`), its OpenAPI document
//! (`openapi`, at `/api/openapi.json`), and the monitoring routes (`health`: `/healthz`,
//! `/readyz`, `/metrics`). Every route is documented with `#[utoipa::path]` and mounted through
//! `utoipa_axum`, so the router and the document are built from the same attributes. The web
//! dashboard's HTML pages ([`crate::dashboard`], under `/desk`) are merged in beside them: they
//! are pages for people behind a sign-in, not part of the API or its document.
//!
//! **Architecture Invariant:** handlers are thin: they check, translate and hand over to
//! `telephony`, `call` and `store`. The websocket handler is the only place a provider's
//! adapter meets a call session.

mod api;
mod feed;
mod health;
mod openapi;

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Router};
use tokio::sync::mpsc;
use tracing::{error, info, warn};
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::call::{self, SessionInput, SessionOutput};
use crate::notify;
use crate::providers::{FrameError, Reply};
use crate::services::Services;

/// The application's routes, and the OpenAPI document built from the same attributes.
pub fn router(services: Arc<Services>) -> Router {
    let (router, doc) = documented_routes(services.provider.name()).split_for_parts();
    let doc = Arc::new(doc);
    router
        .merge(crate::dashboard::routes())
        .layer(Extension(doc))
        .with_state(services)
}

/// Every route, each with its OpenAPI operation.
fn documented_routes(provider: &str) -> OpenApiRouter<Arc<Services>> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        // Monitoring, open to probes and scrapers: no caller data (see `health`).
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::metrics))
        // The provider's webhooks and media stream, under its name ("/twilio/voice").
        .nest(&format!("/{provider}"), provider_routes())
        .routes(routes!(openapi_json))
        // The bookings as iCalendar at a secret URL (404 while no secret is set).
        .routes(routes!(feed::export_feed))
        .merge(api::routes())
}

/// A provider's routes: the call webhook, the media stream, the transfer callback.
fn provider_routes() -> OpenApiRouter<Arc<Services>> {
    OpenApiRouter::new()
        .routes(routes!(voice))
        .routes(routes!(stream))
        .routes(routes!(dial_status))
}

/// `GET /api/openapi.json`: this document, open without the token (it holds no caller data).
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "monitoring",
    operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document of every route", content_type = "application/json"))
)]
async fn openapi_json(Extension(doc): Extension<Arc<utoipa::openapi::OpenApi>>) -> Response {
    axum::Json(doc.as_ref()).into_response()
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
#[utoipa::path(
    post,
    path = "/voice",
    tag = "provider",
    operation_id = "provider_voice",
    description = "The provider's incoming-call webhook (form-encoded, signed by the provider when its auth token is set).",
    responses(
        (status = 200, description = "The provider's reply (TwiML for Twilio): connect the media stream"),
        (status = 400, description = "Not a call webhook"),
        (status = 403, description = "Signature missing or wrong"),
    )
)]
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
#[utoipa::path(
    post,
    path = "/dial-status",
    tag = "provider",
    operation_id = "provider_dial_status",
    description = "How a live transfer ended (form-encoded, signed by the provider when its auth token is set).",
    responses(
        (status = 200, description = "The provider's reply: hang up, or tell the caller they will be called back"),
        (status = 400, description = "Not a dial-status callback"),
        (status = 403, description = "Signature missing or wrong"),
    )
)]
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
#[utoipa::path(
    get,
    path = "/stream",
    tag = "provider",
    operation_id = "provider_stream",
    description = "The call's media stream (a websocket); the first frames carry the per-call token from the voice webhook's reply.",
    responses((status = 101, description = "Switching to the websocket"))
)]
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

/// Whether a request carries the API's bearer token (compared in constant time).
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
