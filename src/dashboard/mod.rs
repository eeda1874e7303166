//! The executive's desk: a server-rendered web dashboard (askama templates and one stylesheet,
//! compiled into the binary) behind a sign-in: the inbox (what a human still has to look at,
//! marked handled or reopened), calls (filtered, their transcripts and recordings, live calls
//! over server-sent events, blocking a caller), the week's appointments and the contacts
//! screening reads.
//!
//! - `auth`: password hashes, signed session cookies, form tokens (CSRF), the lockout.
//! - `pages`: the pages and the forms they post.
//! - `views`: what each template shows, already formatted (times in the persona's zone).
//!
//! **Architecture Invariant:** every page but sign-in needs a session; every form is posted
//! through [`Posted`], which checks the session and its form token, so a form without a valid
//! token is refused (403) before any handler runs. Templates autoescape everything they show.
//! The dashboard reads and writes through the store's ports only, never SQL.

pub mod auth;
mod pages;
mod views;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use tracing::{error, info, warn};

use crate::services::Services;

/// The dashboard's routes, all under `/desk` (and `/`, which leads there).
pub fn routes() -> Router<Arc<Services>> {
    let desk = Router::new()
        .route("/desk", get(|| async { Redirect::to("/desk/inbox") }))
        .route("/desk/inbox", get(pages::inbox))
        .route("/desk/inbox/{sid}/handled", post(pages::set_handled))
        .route("/desk/calls/{sid}/block", post(pages::block))
        .route(
            "/desk/contacts",
            get(pages::contacts).post(pages::add_contact),
        )
        .route("/desk/contacts/{id}", post(pages::edit_contact))
        .route("/desk/contacts/{id}/delete", post(pages::delete_contact))
        .route("/desk/signin", get(sign_in_page).post(sign_in))
        .route("/desk/signout", post(sign_out))
        .route("/desk/calls", get(pages::calls))
        .route("/desk/calls/{sid}", get(pages::call))
        .route("/desk/calls/{sid}/recording.wav", get(pages::recording))
        .route("/desk/live", get(pages::live))
        .route("/desk/week", get(pages::week))
        .route("/desk/appointments/{id}/cancel", post(pages::cancel))
        .route("/desk/static/desk.css", get(stylesheet))
        .route("/desk/static/desk.js", get(script))
        .layer(axum::middleware::map_response(guard_headers));
    Router::new()
        .route("/", get(|| async { Redirect::to("/desk") }))
        .merge(desk)
}

/// Headers on every dashboard response: no caching of caller data, no framing, only our own
/// scripts, styles and media.
async fn guard_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: header::HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(h, header::CACHE_CONTROL, "no-store");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         media-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; \
         base-uri 'none'",
    );
    response
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../templates/dashboard/desk.css"),
    )
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../templates/dashboard/desk.js"),
    )
        .into_response()
}

/// A signed-in browser: the session's user and its form token. Extracting it from a request
/// without a valid session redirects to the sign-in page.
pub struct Session {
    pub user: String,
    pub id: String,
    pub csrf: String,
}

/// The way to the sign-in page, for a request without a valid session.
fn to_sign_in() -> Response {
    Redirect::to("/desk/signin").into_response()
}

impl FromRequestParts<Arc<Services>> for Session {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        svc: &Arc<Services>,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = auth::cookie(&parts.headers, auth::SESSION_COOKIE) else {
            return Err(to_sign_in());
        };
        let Some(id) = auth::session_id_from_cookie(&svc.session_key, value) else {
            warn!("a session cookie this instance did not sign was refused");
            return Err(to_sign_in());
        };
        match svc.store.session_user(id, svc.clock.now()).await {
            Ok(Some(user)) => Ok(Session {
                user,
                id: id.to_string(),
                csrf: auth::csrf_token(&svc.session_key, id),
            }),
            Ok(None) => Err(to_sign_in()),
            Err(e) => Err(internal(e)),
        }
    }
}

/// A form posted by a signed-in browser with its session's form token (`csrf`): the session
/// and the form's fields. Without a session: to the sign-in page; without the right token: 403.
pub struct Posted {
    pub session: Session,
    pub fields: HashMap<String, String>,
}

impl Posted {
    /// A field's value, or "".
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

impl FromRequest<Arc<Services>> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, svc: &Arc<Services>) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, svc).await?;
        let req = Request::from_parts(parts, body);
        let Form(fields) = Form::<HashMap<String, String>>::from_request(req, svc)
            .await
            .map_err(IntoResponse::into_response)?;
        let given = fields.get("csrf").map_or("", String::as_str);
        if !auth::verify(&svc.session_key, "csrf", &session.id, given) {
            warn!(user = %session.user, "a form without its session's token was refused");
            return Err(forbidden());
        }
        Ok(Posted { session, fields })
    }
}

fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        Html("<!doctype html><title>Refused</title><p>This form has expired or did not come from this dashboard. Go back, reload the page and try again.</p>"),
    )
        .into_response()
}

/// A server error page; the cause goes to the log, not to the browser.
pub(crate) fn internal(e: impl std::fmt::Display) -> Response {
    error!(error = %e, "dashboard error");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html("<!doctype html><title>Error</title><p>Something went wrong; see the server log.</p>"),
    )
        .into_response()
}

/// A rendered template as a page, or a server error.
pub(crate) fn page(t: &impl askama::Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => internal(e),
    }
}

/// `GET /desk/signin`: the form, tied to a fresh nonce in its own cookie.
async fn sign_in_page(State(svc): State<Arc<Services>>) -> Response {
    sign_in_form(&svc, StatusCode::OK, None, "")
}

fn sign_in_form(svc: &Services, status: StatusCode, error: Option<&str>, name: &str) -> Response {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let view = views::SignIn {
        csrf: auth::sign(&svc.session_key, "signin", &nonce),
        error: error.map(str::to_string),
        name: name.to_string(),
    };
    let mut r = page(&view);
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(svc, auth::SIGNIN_COOKIE, &nonce, 3600))
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// `POST /desk/signin`: name and password, with the form's token. Refused with the reason
/// (wrong, or locked out after repeated failures); else a session and its cookie.
async fn sign_in(
    State(svc): State<Arc<Services>>,
    headers: axum::http::HeaderMap,
    Form(fields): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| fields.get(k).map_or("", String::as_str);
    let nonce = auth::cookie(&headers, auth::SIGNIN_COOKIE).unwrap_or("");
    if nonce.is_empty() || !auth::verify(&svc.session_key, "signin", nonce, get("csrf")) {
        warn!("a sign-in without its form's token was refused");
        return forbidden();
    }
    let name = get("name").trim();
    let now = svc.clock.now();
    match auth::check_sign_in(&svc, name, get("password"), now).await {
        Err(e) => internal(e),
        Ok(Err(auth::Refusal::LockedOut)) => {
            warn!(user = name, "sign-in refused: locked out");
            sign_in_form(
                &svc,
                StatusCode::TOO_MANY_REQUESTS,
                Some(&format!(
                    "Too many failed sign-ins for this name. Try again in {} minutes.",
                    auth::LOCKOUT_MINUTES
                )),
                name,
            )
        }
        Ok(Err(auth::Refusal::Wrong)) => {
            warn!(user = name, "sign-in refused: wrong name or password");
            sign_in_form(
                &svc,
                StatusCode::UNAUTHORIZED,
                Some("Wrong name or password."),
                name,
            )
        }
        Ok(Ok(())) => {
            let id = format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            );
            let expires = now + chrono::Duration::hours(auth::SESSION_HOURS);
            if let Err(e) = svc.store.open_session(&id, name, now, expires).await {
                return internal(e);
            }
            info!(user = name, "signed in to the dashboard");
            let cookie = auth::set_cookie(
                &svc,
                auth::SESSION_COOKIE,
                &auth::session_cookie_value(&svc.session_key, &id),
                auth::SESSION_HOURS * 3600,
            );
            let mut r = Redirect::to("/desk").into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            if let Ok(v) =
                HeaderValue::from_str(&auth::set_cookie(&svc, auth::SIGNIN_COOKIE, "", 0))
            {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
    }
}

/// `POST /desk/signout`: ends the session (its row is deleted) and clears the cookie.
async fn sign_out(State(svc): State<Arc<Services>>, posted: Posted) -> Response {
    if let Err(e) = svc.store.close_session(&posted.session.id).await {
        return internal(e);
    }
    info!(user = %posted.session.user, "signed out of the dashboard");
    let mut r = Redirect::to("/desk/signin").into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(&svc, auth::SESSION_COOKIE, "", 0)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
