//! The JSON API under `/api`: the call log (calls found by filter, a page at a time; one call;
//! its recording), appointments (list, create, cancel), the inbox (list, mark handled, reopen),
//! contacts (list, create, edit, delete, block a number) and notifications. Every route needs
//! the bearer token ([`Bearer`]); every error is `{"error": "<message>"}` ([`ApiError`]). Each
//! handler is documented with `#[utoipa::path]`, and the router is built from those
//! documents ([`routes`]), so the OpenAPI document (`openapi`) is the router's own.
//!
//! **Architecture Invariant:** handlers are thin: they read the request, ask the store, and
//! answer; what a call is screened by, which calls are inbox items and what a booking may
//! overlap are decided in `logic` and `store`, the same for the API as for a call.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequestParts, OriginalUri, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tracing::error;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::logic::domain::{Category, ContactKind, InboxKind, Outcome, Urgency};
use crate::services::Services;
use crate::store::{
    AppointmentView, BookError, CallFilter, CallView, ContactError, ContactSource, ContactView,
    Cursor, InboxFilter, InboxItem, NewAppointment, NewContact, NotificationView, Page,
    PageRequest,
};

/// The API's routes, each with its OpenAPI operation.
pub(super) fn routes() -> OpenApiRouter<Arc<Services>> {
    OpenApiRouter::new()
        .routes(routes!(list_calls))
        .routes(routes!(get_call))
        .routes(routes!(get_recording))
        .routes(routes!(list_appointments, create_appointment))
        .routes(routes!(cancel_appointment))
        .routes(routes!(list_inbox))
        .routes(routes!(mark_handled))
        .routes(routes!(reopen))
        .routes(routes!(list_contacts, create_contact))
        .routes(routes!(get_contact, update_contact, delete_contact))
        .routes(routes!(block_caller))
        .routes(routes!(list_notifications))
}

/// The longest page a list returns.
pub const MAX_LIMIT: i64 = 500;
/// A list's page when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 50;

/// An error as the API answers it: the status, and `{"error": "<message>"}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

/// The body of every error.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in words.
    pub error: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// A failure of ours: logged in full, answered without detail.
    fn internal(e: impl std::fmt::Display) -> Self {
        error!(error = %e, "API error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; see the server log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody {
            error: self.message,
        });
        if self.status == StatusCode::UNAUTHORIZED {
            return (self.status, [(header::WWW_AUTHENTICATE, "Bearer")], body).into_response();
        }
        (self.status, body).into_response()
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::internal(e)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::bad_request(r.body_text())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        // A body that is not JSON is a bad request; JSON of the wrong shape (a missing field, a
        // kind that does not exist) is unprocessable, as axum tells them apart.
        Self::new(r.status(), r.body_text())
    }
}

impl From<ContactError> for ApiError {
    fn from(e: ContactError) -> Self {
        match e {
            ContactError::Invalid(m) => Self::unprocessable(m),
            e @ ContactError::NumberTaken { .. } => Self::new(StatusCode::CONFLICT, e.to_string()),
            e @ ContactError::NotFound(_) => Self::not_found(e.to_string()),
            ContactError::Store(e) => Self::internal(e),
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Proof that a request carries the API's bearer token (`FRONTDESK_API_TOKEN`); a request
/// without it, or with another, is answered 401 before anything else is read.
pub struct Bearer;

impl FromRequestParts<Arc<Services>> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        svc: &Arc<Services>,
    ) -> Result<Self, Self::Rejection> {
        if super::authorized(svc, &parts.headers) {
            Ok(Self)
        } else {
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing or wrong bearer token (FRONTDESK_API_TOKEN)",
            ))
        }
    }
}

/// A page size from the query: the default when absent, refused outside 1..=[`MAX_LIMIT`].
fn limit(given: Option<i64>) -> ApiResult<i64> {
    match given {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(format!(
            "limit {n} is not between 1 and {MAX_LIMIT}"
        ))),
    }
}

/// The page a query asks for.
fn page(given_limit: Option<i64>, cursor: Option<&str>) -> ApiResult<PageRequest> {
    Ok(PageRequest {
        limit: limit(given_limit)?,
        after: cursor
            .filter(|c| !c.is_empty())
            .map(Cursor::decode)
            .transpose()
            .map_err(|e| ApiError::bad_request(e.to_string()))?,
    })
}

/// An instant from the query: RFC 3339, or a date (`YYYY-MM-DD`) in the executive's zone,
/// read as the start of that day, or with `end_of_day` as the start of the next (so `until`
/// a date includes that day).
fn instant(
    name: &str,
    text: Option<&str>,
    tz: chrono_tz::Tz,
    end_of_day: bool,
) -> ApiResult<Option<DateTime<Utc>>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    let bad = || {
        ApiError::bad_request(format!(
            "{name} {text:?} is neither an RFC 3339 instant nor a date YYYY-MM-DD"
        ))
    };
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad())?;
    let day = if end_of_day {
        day.succ_opt().ok_or_else(bad)?
    } else {
        day
    };
    let midnight = day.and_hms_opt(0, 0, 0).ok_or_else(bad)?;
    midnight
        .and_local_timezone(tz)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or_else(bad)
}

/// A stored name from the query (`outcome=message`): absent or empty is none; a name that is
/// not one of `all` is refused, naming the parameter and the names it takes.
fn named<T: Copy>(
    param: &str,
    given: Option<String>,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> ApiResult<Option<T>> {
    let Some(given) = given.filter(|g| !g.is_empty()) else {
        return Ok(None);
    };
    match all.iter().copied().find(|v| name(*v) == given) {
        Some(v) => Ok(Some(v)),
        None => Err(ApiError::bad_request(format!(
            "{param} {given:?} is not one of: {}",
            all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// A yes/no from the query: `true` or `false`; absent or empty is none.
fn flag(param: &str, given: Option<String>) -> ApiResult<Option<bool>> {
    match given.as_deref() {
        None | Some("") => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(ApiError::bad_request(format!(
            "{param} {other:?} is not true or false"
        ))),
    }
}

/// A list's answer: the page as a JSON array, and when more follow, the next page's cursor in
/// `X-Next-Cursor` and its URL in `Link: <…>; rel="next"` (the request's own query with the
/// cursor replaced).
fn paged<T: Serialize>(uri: &OriginalUri, page: Page<T>, extra: &[(&str, String)]) -> Response {
    let mut headers = HeaderMap::new();
    if let Some(next) = page.next.as_ref().map(Cursor::encode) {
        let kept = uri
            .0
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .filter(|(k, _)| k != "cursor")
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .append_pair("cursor", &next)
            .finish();
        let link = format!("<{}?{query}>; rel=\"next\"", uri.0.path());
        if let (Ok(cursor), Ok(link)) = (HeaderValue::from_str(&next), HeaderValue::from_str(&link))
        {
            headers.insert("x-next-cursor", cursor);
            headers.insert(header::LINK, link);
        }
    }
    for (name, value) in extra {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    }
    (headers, Json(page.items)).into_response()
}

// ----- calls --------------------------------------------------------------------------------

/// Which calls to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    /// Calls that started at or after this: an RFC 3339 instant, or a date (`YYYY-MM-DD`, the
    /// executive's time zone).
    since: Option<String>,
    /// Calls that started before this instant, or on or before this date.
    until: Option<String>,
    #[param(value_type = Option<Outcome>)]
    outcome: Option<String>,
    #[param(value_type = Option<Category>)]
    category: Option<String>,
    #[param(value_type = Option<Urgency>)]
    urgency: Option<String>,
    /// Only calls in the inbox for this reason.
    #[param(value_type = Option<InboxKind>)]
    inbox: Option<String>,
    /// `true`: calls marked handled; `false`: inbox items not handled yet.
    #[param(value_type = Option<bool>)]
    handled: Option<String>,
    /// Words said on the call (its transcript), or in the caller's name, message, purpose or
    /// summary; case-insensitive.
    q: Option<String>,
    /// Calls a page (1 to 500; 50 when absent).
    limit: Option<i64>,
    /// The `X-Next-Cursor` of the page before.
    cursor: Option<String>,
}

/// `GET /api/calls`: calls, newest first, a page at a time.
#[utoipa::path(
    get,
    path = "/api/calls",
    tag = "calls",
    operation_id = "list_calls",
    params(CallQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Calls, newest first (without turns or events).",
         body = [CallView], headers(
            ("X-Next-Cursor" = String, description = "The cursor for the next page, when more follow"),
            ("Link" = String, description = "`<URL of the next page>; rel=\"next\"`, when more follow"))),
        (status = 400, description = "A filter, limit or cursor that cannot be read", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
    )
)]
async fn list_calls(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    uri: OriginalUri,
    query: Result<Query<CallQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = query?;
    let tz = svc.persona.timezone;
    let filter = CallFilter {
        since: instant("since", q.since.as_deref(), tz, false)?,
        until: instant("until", q.until.as_deref(), tz, true)?,
        outcome: named("outcome", q.outcome, Outcome::ALL, |v| v.as_str())?,
        category: named("category", q.category, Category::ALL, |v| v.as_str())?,
        urgency: named("urgency", q.urgency, Urgency::ALL, |v| v.as_str())?,
        inbox: named("inbox", q.inbox, InboxKind::ALL, |v| v.as_str())?,
        handled: flag("handled", q.handled)?,
        text: q.q,
    };
    let page = page(q.limit, q.cursor.as_deref())?;
    let found = svc.store.find_calls(&filter, &page).await?;
    Ok(paged(&uri, found, &[]))
}

/// `GET /api/calls/{call_sid}`: one call with its turns, events and notifications.
#[utoipa::path(
    get,
    path = "/api/calls/{call_sid}",
    tag = "calls",
    operation_id = "get_call",
    params(("call_sid" = String, Path, description = "The call's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The call, with its turns, events and notifications", body = CallView),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "No such call", body = ErrorBody),
    )
)]
async fn get_call(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    Path(sid): Path<String>,
) -> ApiResult<Json<CallView>> {
    match svc.store.get_call(&sid).await? {
        Some(call) => Ok(Json(call)),
        None => Err(ApiError::not_found(format!("no call {sid}"))),
    }
}

/// `GET /api/calls/{call_sid}/recording.wav`: the call's two-leg recording.
#[utoipa::path(
    get,
    path = "/api/calls/{call_sid}/recording.wav",
    tag = "calls",
    operation_id = "get_recording",
    params(("call_sid" = String, Path, description = "The call's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stereo 8 kHz WAV: the caller left, the agent right",
         content_type = "audio/wav", body = Vec<u8>),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "No such call, or no recording", body = ErrorBody),
    )
)]
async fn get_recording(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    Path(sid): Path<String>,
) -> ApiResult<Response> {
    let Some(path) = svc.store.recording_path(&sid).await? else {
        return Err(ApiError::not_found(format!("no recording of call {sid}")));
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => Ok(([(header::CONTENT_TYPE, "audio/wav")], bytes).into_response()),
        Err(_) => Err(ApiError::not_found(format!(
            "the recording file of call {sid} is missing"
        ))),
    }
}

// ----- appointments -------------------------------------------------------------------------

/// Which appointments to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AppointmentQuery {
    /// `booked` or `cancelled`; all when absent.
    status: Option<String>,
}

/// `GET /api/appointments`: appointments, earliest first, times in the executive's zone.
#[utoipa::path(
    get,
    path = "/api/appointments",
    tag = "appointments",
    operation_id = "list_appointments",
    params(AppointmentQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Appointments, earliest first", body = [AppointmentView]),
        (status = 400, description = "A status that is not booked or cancelled", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
    )
)]
async fn list_appointments(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    query: Result<Query<AppointmentQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<AppointmentView>>> {
    let Query(q) = query?;
    let status = q.status.filter(|s| !s.is_empty());
    if let Some(s) = status.as_deref() {
        if !matches!(s, "booked" | "cancelled") {
            return Err(ApiError::bad_request(format!(
                "status {s:?} is not booked or cancelled"
            )));
        }
    }
    let mut list = svc.store.list_appointments(svc.persona.timezone).await?;
    list.retain(|a| status.as_deref().is_none_or(|s| a.status == s));
    Ok(Json(list))
}

/// An appointment to book from the desk.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentBody {
    /// When it starts (RFC 3339, with an offset).
    start: String,
    /// When it ends (RFC 3339); the persona's meeting length when absent.
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    caller_name: Option<String>,
    #[serde(default)]
    caller_number: Option<String>,
    #[serde(default)]
    purpose: Option<String>,
    /// The call it was asked for on, if any.
    #[serde(default)]
    call_sid: Option<String>,
}

/// `POST /api/appointments`: books an appointment through the store's one booking path, the
/// one a phone booking takes, so an overlap with any booked appointment is refused (409), and
/// so is one with the executive's own calendar as last read.
#[utoipa::path(
    post,
    path = "/api/appointments",
    tag = "appointments",
    operation_id = "create_appointment",
    request_body = AppointmentBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Booked", body = AppointmentView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 409, description = "The time overlaps a booked appointment or the executive's calendar", body = ErrorBody),
        (status = 422, description = "A start or end that cannot be read, or an end not after the start", body = ErrorBody),
    )
)]
async fn create_appointment(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    body: Result<Json<AppointmentBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let read = |name: &str, text: &str| {
        DateTime::parse_from_rfc3339(text.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                ApiError::unprocessable(format!(
                    "{name} {text:?} is not an RFC 3339 instant (e.g. 2026-11-25T14:00:00-05:00)"
                ))
            })
    };
    let start = read("start", &b.start)?;
    let end = match b.end.as_deref() {
        Some(e) => read("end", e)?,
        None => start + svc.persona.meetings.length(),
    };
    if end <= start {
        return Err(ApiError::unprocessable("end must be after start"));
    }
    if end - start > chrono::Duration::hours(24) {
        return Err(ApiError::unprocessable(
            "an appointment lasts at most 24 hours",
        ));
    }
    let busy = svc.busy.snapshot();
    if busy
        .iter()
        .flat_map(|s| s.busy.iter())
        .any(|b| b.start < end && start < b.end)
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "that time overlaps the executive's own calendar",
        ));
    }
    let text = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let new = NewAppointment {
        start,
        end,
        caller_name: text(b.caller_name),
        caller_number: text(b.caller_number),
        purpose: text(b.purpose),
        call_sid: text(b.call_sid),
    };
    let id = match svc.store.book(&new, svc.clock.now()).await {
        Ok(id) => id,
        Err(BookError::Taken) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "that time overlaps a booked appointment",
            ))
        }
        Err(e) => return Err(ApiError::internal(e)),
    };
    match svc.store.appointment(&id, svc.persona.timezone).await? {
        Some(a) => Ok((StatusCode::CREATED, Json(a)).into_response()),
        None => Err(ApiError::internal(format!("appointment {id} vanished"))),
    }
}

/// `POST /api/appointments/{id}/cancel`: cancels a booked appointment and frees its time.
#[utoipa::path(
    post,
    path = "/api/appointments/{id}/cancel",
    tag = "appointments",
    operation_id = "cancel_appointment",
    params(("id" = String, Path, description = "The appointment's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Cancelled", body = AppointmentView),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "No booked appointment with that id", body = ErrorBody),
    )
)]
async fn cancel_appointment(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    Path(id): Path<String>,
) -> ApiResult<Json<AppointmentView>> {
    match svc.store.cancel_appointment(&id, svc.clock.now()).await {
        Ok(()) => {}
        Err(BookError::NotFound(_)) => {
            return Err(ApiError::not_found(format!("no booked appointment {id}")))
        }
        Err(e) => return Err(ApiError::internal(e)),
    }
    match svc.store.appointment(&id, svc.persona.timezone).await? {
        Some(a) => Ok(Json(a)),
        None => Err(ApiError::not_found(format!("no appointment {id}"))),
    }
}

// ----- inbox --------------------------------------------------------------------------------

/// Which inbox items to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    #[param(value_type = Option<InboxKind>)]
    kind: Option<String>,
    /// `false`: what still needs a human; `true`: what was handled; both when absent.
    #[param(value_type = Option<bool>)]
    handled: Option<String>,
    #[param(value_type = Option<Urgency>)]
    urgency: Option<String>,
    /// Items a page (1 to 500; 50 when absent).
    limit: Option<i64>,
    /// The `X-Next-Cursor` of the page before.
    cursor: Option<String>,
}

/// `GET /api/inbox`: escalations, messages, missed calls and meetings booked, moved or
/// cancelled by phone, newest first, each handled or not; `X-Unhandled-Count` counts what is
/// not handled yet.
#[utoipa::path(
    get,
    path = "/api/inbox",
    tag = "inbox",
    operation_id = "list_inbox",
    params(InboxQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Inbox items, newest first", body = [InboxItem], headers(
            ("X-Unhandled-Count" = i64, description = "Inbox items not handled yet (all of them, whatever the filter)"),
            ("X-Next-Cursor" = String, description = "The cursor for the next page, when more follow"),
            ("Link" = String, description = "`<URL of the next page>; rel=\"next\"`, when more follow"))),
        (status = 400, description = "A filter, limit or cursor that cannot be read", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
    )
)]
async fn list_inbox(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    uri: OriginalUri,
    query: Result<Query<InboxQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = query?;
    let filter = InboxFilter {
        kind: named("kind", q.kind, InboxKind::ALL, |v| v.as_str())?,
        handled: flag("handled", q.handled)?,
        urgency: named("urgency", q.urgency, Urgency::ALL, |v| v.as_str())?,
    };
    let page = page(q.limit, q.cursor.as_deref())?;
    let items = svc.store.inbox(&filter, &page).await?;
    let unhandled = svc.store.unhandled_count().await?;
    Ok(paged(
        &uri,
        items,
        &[("x-unhandled-count", unhandled.to_string())],
    ))
}

/// `POST /api/inbox/{call_sid}/handled`: marks an inbox item handled.
#[utoipa::path(
    post,
    path = "/api/inbox/{call_sid}/handled",
    tag = "inbox",
    operation_id = "mark_handled",
    params(("call_sid" = String, Path, description = "The call's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The item, handled", body = InboxItem),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "The call is not in the inbox", body = ErrorBody),
    )
)]
async fn mark_handled(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    Path(sid): Path<String>,
) -> ApiResult<Json<InboxItem>> {
    handle(&svc, &sid, Some(svc.clock.now())).await
}

/// `POST /api/inbox/{call_sid}/reopen`: puts a handled item back among the unhandled.
#[utoipa::path(
    post,
    path = "/api/inbox/{call_sid}/reopen",
    tag = "inbox",
    operation_id = "reopen",
    params(("call_sid" = String, Path, description = "The call's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The item, not handled", body = InboxItem),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "The call is not in the inbox", body = ErrorBody),
    )
)]
async fn reopen(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    Path(sid): Path<String>,
) -> ApiResult<Json<InboxItem>> {
    handle(&svc, &sid, None).await
}

async fn handle(
    svc: &Services,
    sid: &str,
    at: Option<DateTime<Utc>>,
) -> ApiResult<Json<InboxItem>> {
    match svc.store.set_handled(sid, at).await? {
        Some(item) => Ok(Json(item)),
        None => Err(ApiError::not_found(format!(
            "call {sid} is not in the inbox"
        ))),
    }
}

// ----- contacts -----------------------------------------------------------------------------

/// Which contacts to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactQuery {
    #[param(value_type = Option<ContactKind>)]
    kind: Option<String>,
}

/// `GET /api/contacts`: the desk's contacts, then the persona's screening entries that no
/// desk contact replaces (`source` `persona`, no `id`: edited in its file).
#[utoipa::path(
    get,
    path = "/api/contacts",
    tag = "contacts",
    operation_id = "list_contacts",
    params(ContactQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Contacts: the desk's, then the persona's", body = [ContactView]),
        (status = 400, description = "A kind that is not vip, known or blocked", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
    )
)]
async fn list_contacts(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    query: Result<Query<ContactQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<ContactView>>> {
    let Query(q) = query?;
    let kind = named("kind", q.kind, ContactKind::ALL, |v| v.as_str())?;
    let desk = svc.store.contacts().await?;
    let all = ContactView::with_persona(desk, &svc.persona.screening)
        .into_iter()
        .filter(|c| kind.is_none_or(|k| c.kind == k))
        .collect();
    Ok(Json(all))
}

/// A contact as the desk writes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    kind: ContactKind,
    /// Needed for a VIP or known contact; a blocked one needs a name or a number.
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    company: Option<String>,
    /// Free text the escalation rules can match ("board member").
    #[serde(default)]
    role: Option<String>,
    /// Any formatting, at least 7 digits; one contact per number.
    #[serde(default)]
    number: Option<String>,
    /// Always hand this caller to a human.
    #[serde(default)]
    escalate: bool,
    /// Free text for the desk.
    #[serde(default)]
    note: Option<String>,
}

impl From<ContactBody> for NewContact {
    fn from(b: ContactBody) -> Self {
        Self {
            kind: Some(b.kind),
            name: b.name,
            company: b.company,
            role: b.role,
            number: b.number,
            escalate: b.escalate,
            note: b.note,
        }
    }
}

/// `POST /api/contacts`: adds a contact; screening counts it from the next call.
#[utoipa::path(
    post,
    path = "/api/contacts",
    tag = "contacts",
    operation_id = "create_contact",
    request_body = ContactBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = ContactView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 409, description = "Another contact has that number", body = ErrorBody),
        (status = 422, description = "A contact that is not valid (the message says why)", body = ErrorBody),
    )
)]
async fn create_contact(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    body: Result<Json<ContactBody>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) = body?;
    let added = svc.store.add_contact(&b.into(), svc.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(added)).into_response())
}

/// `GET /api/contacts/{id}`: one of the desk's contacts.
#[utoipa::path(
    get,
    path = "/api/contacts/{id}",
    tag = "contacts",
    operation_id = "get_contact",
    params(("id" = String, Path, description = "The contact's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contact", body = ContactView),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "No such contact", body = ErrorBody),
    )
)]
async fn get_contact(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    Path(id): Path<String>,
) -> ApiResult<Json<ContactView>> {
    match svc.store.contact(&id).await? {
        Some(c) => Ok(Json(c)),
        None => Err(ApiError::not_found(format!("no contact {id}"))),
    }
}

/// `PUT /api/contacts/{id}`: replaces what a contact holds.
#[utoipa::path(
    put,
    path = "/api/contacts/{id}",
    tag = "contacts",
    operation_id = "update_contact",
    params(("id" = String, Path, description = "The contact's id")),
    request_body = ContactBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contact as it is now", body = ContactView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "No such contact", body = ErrorBody),
        (status = 409, description = "Another contact has that number", body = ErrorBody),
        (status = 422, description = "A contact that is not valid (the message says why)", body = ErrorBody),
    )
)]
async fn update_contact(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    Path(id): Path<String>,
    body: Result<Json<ContactBody>, JsonRejection>,
) -> ApiResult<Json<ContactView>> {
    let Json(b) = body?;
    Ok(Json(
        svc.store
            .update_contact(&id, &b.into(), svc.clock.now())
            .await?,
    ))
}

/// `DELETE /api/contacts/{id}`: removes a contact.
#[utoipa::path(
    delete,
    path = "/api/contacts/{id}",
    tag = "contacts",
    operation_id = "delete_contact",
    params(("id" = String, Path, description = "The contact's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "No such contact", body = ErrorBody),
    )
)]
async fn delete_contact(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if svc.store.delete_contact(&id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("no contact {id}")))
    }
}

/// A caller to block: by number, or the caller ID of a call.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockBody {
    /// The number to block (any formatting).
    #[serde(default)]
    number: Option<String>,
    /// Block the caller ID of this call instead.
    #[serde(default)]
    call_sid: Option<String>,
    /// A name to keep with a new blocked contact.
    #[serde(default)]
    name: Option<String>,
}

/// `POST /api/contacts/block`: blocks a caller by number (or a call's caller ID): their
/// contact becomes blocked, or a blocked contact is added. The next call from that number is
/// screened as blocked.
#[utoipa::path(
    post,
    path = "/api/contacts/block",
    tag = "contacts",
    operation_id = "block_caller",
    request_body = BlockBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The blocked contact", body = ContactView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 404, description = "No such call", body = ErrorBody),
        (status = 422, description = "Neither a number nor a call with a caller ID, or a number that is not one", body = ErrorBody),
    )
)]
async fn block_caller(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    body: Result<Json<BlockBody>, JsonRejection>,
) -> ApiResult<Json<ContactView>> {
    let Json(b) = body?;
    let number = match (b.number.filter(|n| !n.trim().is_empty()), b.call_sid) {
        (Some(n), _) => n,
        (None, Some(sid)) => {
            let call = svc
                .store
                .get_call(&sid)
                .await?
                .ok_or_else(|| ApiError::not_found(format!("no call {sid}")))?;
            call.from
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| ApiError::unprocessable(format!("call {sid} has no caller ID")))?
        }
        (None, None) => {
            return Err(ApiError::unprocessable(
                "give the number to block, or the call_sid of a call from it",
            ))
        }
    };
    let blocked = svc
        .store
        .block_number(&number, b.name.as_deref(), svc.clock.now())
        .await?;
    debug_assert_eq!(blocked.source, ContactSource::Desk);
    Ok(Json(blocked))
}

// ----- notifications ------------------------------------------------------------------------

/// Which notifications to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// `pending`, `delivered` or `failed`; all when absent.
    status: Option<String>,
    /// At most this many (1 to 500; 50 when absent).
    limit: Option<i64>,
}

/// `GET /api/notifications`: notifications across calls, newest first.
#[utoipa::path(
    get,
    path = "/api/notifications",
    tag = "notifications",
    operation_id = "list_notifications",
    params(NotificationQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Notifications, newest first", body = [NotificationView]),
        (status = 400, description = "A status or limit that cannot be read", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
    )
)]
async fn list_notifications(
    _: Bearer,
    State(svc): State<Arc<Services>>,
    query: Result<Query<NotificationQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<NotificationView>>> {
    let Query(q) = query?;
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    if let Some(s) = status {
        if !matches!(s, "pending" | "delivered" | "failed") {
            return Err(ApiError::bad_request(format!(
                "status {s:?} is not pending, delivered or failed"
            )));
        }
    }
    let limit = limit(q.limit)?;
    Ok(Json(svc.store.list_notifications(status, limit).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_query_are_days_in_the_executives_zone() {
        let tz = chrono_tz::America::New_York;
        let at = |t: &str, end| {
            instant("since", Some(t), tz, end)
                .unwrap()
                .map(crate::store::stamp)
        };
        assert_eq!(
            at("2026-11-24", false).as_deref(),
            Some("2026-11-24T05:00:00.000Z")
        );
        assert_eq!(
            at("2026-11-24", true).as_deref(),
            Some("2026-11-25T05:00:00.000Z")
        );
        assert_eq!(
            at("2026-11-24T10:00:00+01:00", true).as_deref(),
            Some("2026-11-24T09:00:00.000Z")
        );
        assert_eq!(at("", false), None);
        let err = instant("until", Some("tuesday"), tz, true).unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        assert!(err.message.contains("until \"tuesday\""), "{}", err.message);
    }

    #[test]
    fn limits_outside_the_range_are_refused() {
        assert_eq!(limit(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(limit(Some(500)).unwrap(), 500);
        for bad in [0, -1, 501] {
            assert_eq!(
                limit(Some(bad)).unwrap_err().status,
                StatusCode::BAD_REQUEST
            );
        }
        assert_eq!(
            page(None, Some("garbage")).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }
}
