//! The dashboard's pages and forms: thin handlers that read the store, fill a view and render
//! it.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Duration as Span, NaiveDate, Timelike, Utc};
use futures_util::Stream;
use tracing::info;

use super::views::{self, Chrome};
use super::{internal, page, Posted, Session};
use crate::services::Services;
use crate::store::{CallView, Speaker};

async fn chrome(svc: &Services, s: &Session, section: &'static str) -> Chrome {
    let unhandled = svc.store.unhandled_count().await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "cannot count the unhandled inbox items");
        0
    });
    Chrome {
        user: s.user.clone(),
        csrf: s.csrf.clone(),
        section,
        unhandled,
    }
}

/// A date typed in the filter (`YYYY-MM-DD`, the persona's zone) as the instant its day starts.
fn day_start(text: &str, tz: chrono_tz::Tz) -> Result<Option<chrono::DateTime<Utc>>, String> {
    use chrono::TimeZone;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date like 2026-11-24"))?;
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    Ok(tz
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc)))
}

/// A stored name chosen in the filter (`""`: any).
fn chosen<T: std::str::FromStr>(text: &str, what: &str) -> Result<Option<T>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("{text:?} is not a {what}"))
}

/// The calls list's filter from the query, as the store takes it.
fn call_filter(
    q: &HashMap<String, String>,
    tz: chrono_tz::Tz,
) -> (views::CallsFilter, Result<crate::store::CallFilter, String>) {
    let get = |k: &str| q.get(k).map_or("", |v| v.trim()).to_string();
    let f = views::CallsFilter {
        from: get("from"),
        to: get("to"),
        outcome: get("outcome"),
        category: get("category"),
        urgency: get("urgency"),
        handled: get("handled"),
        q: get("q"),
        error: None,
    };
    let filter = store_filter(&f, tz);
    (f, filter)
}

/// The form's filter as the store takes it, or what in it was not understood.
fn store_filter(
    f: &views::CallsFilter,
    tz: chrono_tz::Tz,
) -> Result<crate::store::CallFilter, String> {
    Ok(crate::store::CallFilter {
        since: day_start(&f.from, tz)?,
        until: day_start(&f.to, tz)?.map(|t| t + Span::days(1)),
        outcome: chosen(&f.outcome, "call outcome")?,
        category: chosen(&f.category, "caller category")?,
        urgency: chosen(&f.urgency, "level of urgency")?,
        inbox: None,
        handled: match f.handled.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        text: (!f.q.is_empty()).then(|| f.q.clone()),
    })
}

fn name_of<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// Who called, as a person reads it: the name, else the number, else "Unknown caller".
fn caller_label(c: &CallView) -> String {
    c.caller
        .name
        .clone()
        .or_else(|| c.from.clone())
        .unwrap_or_else(|| "Unknown caller".into())
}

fn row(c: &CallView, svc: &Services) -> views::CallRow {
    let line = c
        .summary
        .as_deref()
        .or(c.purpose.as_deref())
        .map(views::one_line)
        .unwrap_or_default();
    views::CallRow {
        sid: c.call_sid.clone(),
        when: views::when(&c.started_at, svc.persona.timezone),
        caller: caller_label(c),
        category: name_of(c.category),
        urgency: name_of(c.urgency),
        urgent: c
            .urgency
            .is_some_and(|u| u != crate::logic::domain::Urgency::Routine),
        outcome: name_of(c.outcome),
        status: c.status.to_string(),
        line,
    }
}

/// `GET /desk/calls`: calls, newest first, filtered by the query (date range in the persona's
/// zone, outcome, category, urgency, handled, words said), 50 a page; and the calls in
/// progress (live).
pub async fn calls(
    State(svc): State<Arc<Services>>,
    s: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    use crate::logic::domain::{Category, Outcome, Urgency};
    let (mut f, filter) = call_filter(&q, svc.persona.timezone);
    let after = match q.get("after").filter(|a| !a.is_empty()) {
        Some(a) => match crate::store::Cursor::decode(a) {
            Ok(c) => Some(c),
            Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        },
        None => None,
    };
    let (rows, older) = match filter {
        Err(e) => {
            f.error = Some(e);
            (Vec::new(), None)
        }
        Ok(filter) => {
            let request = crate::store::PageRequest { limit: 50, after };
            match svc.store.find_calls(&filter, &request).await {
                Ok(found) => {
                    let older = found.next.map(|c| {
                        let mut pairs: Vec<(String, String)> = q
                            .iter()
                            .filter(|(k, _)| *k != "after")
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        pairs.sort();
                        pairs.push(("after".into(), c.encode()));
                        let query: Vec<String> = pairs
                            .iter()
                            .map(|(k, v)| format!("{}={}", url_escape(k), url_escape(v)))
                            .collect();
                        format!("/desk/calls?{}", query.join("&"))
                    });
                    (found.items.iter().map(|c| row(c, &svc)).collect(), older)
                }
                Err(e) => return internal(e),
            }
        }
    };
    page(&views::Calls {
        rows,
        older,
        f,
        outcomes: Outcome::ALL.iter().map(|v| v.as_str()).collect(),
        categories: Category::ALL.iter().map(|v| v.as_str()).collect(),
        urgencies: Urgency::ALL.iter().map(|v| v.as_str()).collect(),
        chrome: chrome(&svc, &s, "calls").await,
    })
}

/// Percent-encodes a query value.
fn url_escape(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `GET /desk/inbox`: escalations, messages, missed calls and requests, newest first: what
/// still needs a human (or, with `?show=handled`, what was handled).
pub async fn inbox(
    State(svc): State<Arc<Services>>,
    s: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let handled = q.get("show").is_some_and(|v| v == "handled");
    let filter = crate::store::InboxFilter {
        handled: Some(handled),
        ..Default::default()
    };
    let request = crate::store::PageRequest {
        limit: 200,
        after: None,
    };
    let items = match svc.store.inbox(&filter, &request).await {
        Ok(p) => p.items,
        Err(e) => return internal(e),
    };
    let tz = svc.persona.timezone;
    page(&views::Inbox {
        handled,
        items: items
            .into_iter()
            .map(|i| views::InboxRow {
                kind: i.kind.to_string().replace('_', " "),
                when: views::when(&i.started_at, tz),
                caller: i
                    .caller
                    .name
                    .clone()
                    .or_else(|| i.from.clone())
                    .unwrap_or_else(|| "Unknown caller".into()),
                urgency: name_of(i.urgency),
                urgent: i
                    .urgency
                    .is_some_and(|u| u != crate::logic::domain::Urgency::Routine),
                purpose: i.purpose.clone().unwrap_or_default(),
                headline: i.headline,
                handled: i.handled,
                sid: i.call_sid,
            })
            .collect(),
        chrome: chrome(&svc, &s, "inbox").await,
    })
}

/// `POST /desk/inbox/{sid}/handled`: marks an item handled (`handled=1`) or reopens it.
pub async fn set_handled(
    State(svc): State<Arc<Services>>,
    Path(sid): Path<String>,
    posted: Posted,
) -> Response {
    let at = (posted.field("handled") == "1").then(|| svc.clock.now());
    match svc.store.set_handled(&sid, at).await {
        Ok(Some(_)) => {
            info!(call_sid = %sid, handled = at.is_some(), user = %posted.session.user, "inbox item marked");
            Redirect::to(&back_to(&posted, "/desk/inbox")).into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "not an inbox item").into_response(),
        Err(e) => internal(e),
    }
}

/// `POST /desk/calls/{sid}/block`: blocks the caller's number (their contact becomes blocked,
/// or a blocked contact is added); screening refuses their next call.
pub async fn block(
    State(svc): State<Arc<Services>>,
    Path(sid): Path<String>,
    posted: Posted,
) -> Response {
    let call = match svc.store.get_call(&sid).await {
        Ok(Some(c)) => c,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such call").into_response(),
        Err(e) => return internal(e),
    };
    // The caller ID, what screening looks a caller up by (a callback number they gave may be
    // someone else's).
    let Some(number) = call.from.clone() else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "this call has no caller ID to block",
        )
            .into_response();
    };
    match svc
        .store
        .block_number(&number, call.caller.name.as_deref(), svc.clock.now())
        .await
    {
        Ok(_) => {
            info!(call_sid = %sid, user = %posted.session.user, "caller blocked from the dashboard");
            Redirect::to(&format!("/desk/calls/{sid}")).into_response()
        }
        Err(crate::store::ContactError::Invalid(m)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, m).into_response()
        }
        Err(e) => internal(e),
    }
}

fn contact_rows(list: Vec<crate::store::ContactView>) -> Vec<views::ContactRow> {
    list.into_iter()
        .map(|c| views::ContactRow {
            id: c.id,
            kind: c.kind.to_string(),
            name: c.name.unwrap_or_default(),
            company: c.company.unwrap_or_default(),
            role: c.role.unwrap_or_default(),
            number: c.number.unwrap_or_default(),
            note: c.note.unwrap_or_default(),
        })
        .collect()
}

async fn contacts_page(svc: &Services, s: &Session, error: Option<String>) -> Response {
    match svc.store.contacts().await {
        Ok(desk) => {
            let list = crate::store::ContactView::with_persona(desk, &svc.persona.screening);
            let status = if error.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            let mut r = page(&views::ContactsPage {
                contacts: contact_rows(list),
                error,
                chrome: chrome(svc, s, "contacts").await,
            });
            *r.status_mut() = status;
            r
        }
        Err(e) => internal(e),
    }
}

/// `GET /desk/contacts`: VIPs, known and blocked callers (the desk's, then the persona's).
pub async fn contacts(State(svc): State<Arc<Services>>, s: Session) -> Response {
    contacts_page(&svc, &s, None).await
}

/// The contact a form describes.
fn new_contact(posted: &Posted) -> Result<crate::store::NewContact, String> {
    let text = |k: &str| Some(posted.field(k).trim().to_string()).filter(|v| !v.is_empty());
    Ok(crate::store::NewContact {
        kind: chosen(posted.field("kind"), "kind of contact")?,
        name: text("name"),
        company: text("company"),
        role: text("role"),
        number: text("number"),
        escalate: posted.field("escalate") == "1",
        note: text("note"),
    })
}

/// `POST /desk/contacts`: adds a contact; `POST /desk/contacts/{id}`: replaces what it holds.
async fn save_contact(svc: &Services, id: Option<&str>, posted: Posted) -> Response {
    let new = match new_contact(&posted) {
        Ok(n) => n,
        Err(e) => return contacts_page(svc, &posted.session, Some(e)).await,
    };
    let now = svc.clock.now();
    let saved = match id {
        Some(id) => svc.store.update_contact(id, &new, now).await,
        None => svc.store.add_contact(&new, now).await,
    };
    match saved {
        Ok(_) => {
            info!(contact = id.unwrap_or("new"), user = %posted.session.user, "contact saved from the dashboard");
            Redirect::to("/desk/contacts").into_response()
        }
        Err(crate::store::ContactError::Store(e)) => internal(e),
        Err(crate::store::ContactError::NotFound(_)) => {
            (StatusCode::NOT_FOUND, "no such contact").into_response()
        }
        Err(e) => contacts_page(svc, &posted.session, Some(e.to_string())).await,
    }
}

/// `POST /desk/contacts`: adds a contact.
pub async fn add_contact(State(svc): State<Arc<Services>>, posted: Posted) -> Response {
    save_contact(&svc, None, posted).await
}

/// `POST /desk/contacts/{id}`: replaces what a desk contact holds.
pub async fn edit_contact(
    State(svc): State<Arc<Services>>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    save_contact(&svc, Some(&id), posted).await
}

/// `POST /desk/contacts/{id}/delete`: removes a desk contact.
pub async fn delete_contact(
    State(svc): State<Arc<Services>>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    match svc.store.delete_contact(&id).await {
        Ok(true) => {
            info!(contact = %id, user = %posted.session.user, "contact removed from the dashboard");
            Redirect::to("/desk/contacts").into_response()
        }
        Ok(false) => (StatusCode::NOT_FOUND, "no such contact").into_response(),
        Err(e) => internal(e),
    }
}

/// The calls in progress, rendered as the live list.
async fn live_fragment(svc: &Services) -> String {
    let mut calls = Vec::new();
    match svc.store.open_calls().await {
        Ok(open) => {
            for sid in open {
                if let Ok(Some(c)) = svc.store.get_call(&sid).await {
                    let turns = c.turns.as_deref().unwrap_or_default();
                    calls.push(views::LiveCall {
                        caller: caller_label(&c),
                        since: views::when(&c.started_at, svc.persona.timezone),
                        turns: turns.len(),
                        last: turns
                            .last()
                            .map(|t| format!("{}: {}", t.speaker, t.text))
                            .unwrap_or_default(),
                        sid: c.call_sid,
                    });
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot read the live calls"),
    }
    askama::Template::render(&views::Live { calls }).unwrap_or_default()
}

/// `GET /desk/live`: server-sent events, one `live` event with the live list whenever it
/// changes (checked every second), until the browser leaves or the server shuts down.
pub async fn live(
    State(svc): State<Arc<Services>>,
    _s: Session,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let closing = svc.closing.subscribe();
    let stream = futures_util::stream::unfold(
        (svc, closing, None::<String>),
        |(svc, mut closing, last)| async move {
            loop {
                if *closing.borrow() {
                    return None;
                }
                if last.is_some() {
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                        _ = closing.changed() => return None,
                    }
                }
                let html = live_fragment(&svc).await;
                if last.as_deref() != Some(html.as_str()) {
                    let event = Event::default().event("live").data(html.clone());
                    return Some((Ok(event), (svc, closing, Some(html))));
                }
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Seconds from the call's start to `stamp`.
fn offset(start: Option<chrono::DateTime<Utc>>, stamp: &str) -> f64 {
    match (start, views::instant(stamp)) {
        (Some(s), Some(t)) => (t - s).num_milliseconds() as f64 / 1000.0,
        _ => 0.0,
    }
}

/// `GET /desk/calls/{sid}`: one call: caller card, screening, the transcript as a timeline
/// with latencies and barge-ins, the recording, notifications, the appointment it made.
pub async fn call(
    State(svc): State<Arc<Services>>,
    s: Session,
    Path(sid): Path<String>,
) -> Response {
    let c = match svc.store.get_call(&sid).await {
        Ok(Some(c)) => c,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such call").into_response(),
        Err(e) => return internal(e),
    };
    let tz = svc.persona.timezone;
    // Blocked as the next call from this number would be screened: the desk's contacts
    // merged into the persona's lists.
    let blocked = match (svc.store.contacts().await, c.from.as_deref()) {
        (Ok(list), Some(from)) => {
            let listed: Vec<_> = list.iter().map(crate::store::ContactView::listed).collect();
            svc.persona
                .screening
                .with_contacts(&listed)
                .by_number(from)
                .is_some_and(|(category, _)| category == crate::logic::domain::Category::Blocked)
        }
        (Ok(_), None) => false,
        (Err(e), _) => return internal(e),
    };
    let recording = match svc.store.recording_path(&sid).await {
        Ok(Some(p)) if std::path::Path::new(&p).is_file() => {
            Some(format!("/desk/calls/{sid}/recording.wav"))
        }
        Ok(_) => None,
        Err(e) => return internal(e),
    };
    let start = views::instant(&c.started_at);
    let mut timeline: Vec<(f64, views::Entry)> = Vec::new();
    for t in c.turns.iter().flatten() {
        let at = offset(start, &t.started_at);
        let (kind, who) = match t.speaker {
            Speaker::Agent => ("agent", "Agent".to_string()),
            Speaker::Caller => ("caller", caller_label(&c)),
        };
        timeline.push((
            at,
            views::Entry {
                at_secs: format!("{at:.1}"),
                at: views::clock_time(at),
                kind: kind.into(),
                who,
                text: t.text.clone(),
                latency: t
                    .latency_ms
                    .map(|ms| format!("reply in {ms} ms"))
                    .unwrap_or_default(),
                interrupted: t.interrupted,
            },
        ));
    }
    for e in c.events.iter().flatten() {
        let at = offset(start, &e.at);
        timeline.push((
            at,
            views::Entry {
                at_secs: format!("{at:.1}"),
                at: views::clock_time(at),
                kind: "event".into(),
                who: e.kind.replace('_', " "),
                text: e.detail.clone(),
                latency: String::new(),
                interrupted: false,
            },
        ));
    }
    timeline.sort_by(|a, b| a.0.total_cmp(&b.0));
    let appointments = match svc.store.list_appointments(tz).await {
        Ok(list) => list
            .into_iter()
            .filter(|a| a.call_sid.as_deref() == Some(sid.as_str()))
            .map(|a| views::ApptRow {
                when: views::when(&a.start, tz),
                week: format!("/desk/week?week={}", a.start.get(..10).unwrap_or("")),
                purpose: a.purpose.unwrap_or_default(),
                booked: a.status == "booked",
                status: a.status,
                id: a.id,
            })
            .collect(),
        Err(e) => return internal(e),
    };
    let duration = match (start, c.ended_at.as_deref().and_then(views::instant)) {
        (Some(a), Some(b)) => views::clock_time((b - a).num_milliseconds() as f64 / 1000.0),
        _ => String::new(),
    };
    let view = views::CallPage {
        chrome: chrome(&svc, &s, "calls").await,
        blocked,
        inbox: c.inbox.map(|k| k.to_string().replace('_', " ")),
        handled: c.handled_at.is_some(),
        caller: caller_label(&c),
        company: c.caller.company.clone().unwrap_or_default(),
        callback: c.caller.callback_number.clone().unwrap_or_default(),
        from: c.from.clone().unwrap_or_default(),
        category: name_of(c.category),
        urgency: name_of(c.urgency),
        urgent: c
            .urgency
            .is_some_and(|u| u != crate::logic::domain::Urgency::Routine),
        reason: c.escalation_reason.clone().unwrap_or_default(),
        outcome: name_of(c.outcome),
        status: c.status.to_string(),
        when: views::when(&c.started_at, tz),
        duration,
        summary: c.summary.clone().unwrap_or_default(),
        purpose: c.purpose.clone().unwrap_or_default(),
        message: c.message.clone().unwrap_or_default(),
        recording,
        timeline: timeline.into_iter().map(|(_, e)| e).collect(),
        notifications: c
            .notifications
            .iter()
            .flatten()
            .map(|n| views::NoteRow {
                channel: n.channel.to_string(),
                event: n.event.to_string(),
                status: n.status.clone(),
                attempts: n.attempts,
                last_error: n.last_error.clone().unwrap_or_default(),
                when: n
                    .delivered_at
                    .as_deref()
                    .or(n.due_at.as_deref())
                    .map(|t| views::when(t, tz))
                    .unwrap_or_default(),
            })
            .collect(),
        appointments,
        sid: c.call_sid,
    };
    page(&view)
}

/// A single byte range `bytes=a-b` (or `a-`, or `-n`) of a body `len` long, if it fits.
fn byte_range(header: &str, len: u64) -> Option<(u64, u64)> {
    let spec = header.strip_prefix("bytes=")?.trim();
    if spec.contains(',') || len == 0 {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (len.saturating_sub(n), len - 1)
        }
        (a, "") => (a.parse().ok()?, len - 1),
        (a, b) => (a.parse().ok()?, b.parse::<u64>().ok()?.min(len - 1)),
    };
    (start <= end && start < len).then_some((start, end))
}

/// `GET /desk/calls/{sid}/recording.wav`: the call's recording for the page's player (with
/// byte ranges, so the player can jump to a turn).
pub async fn recording(
    State(svc): State<Arc<Services>>,
    _s: Session,
    Path(sid): Path<String>,
    headers: HeaderMap,
) -> Response {
    let path = match svc.store.recording_path(&sid).await {
        Ok(Some(p)) => p,
        Ok(None) => return (StatusCode::NOT_FOUND, "no recording").into_response(),
        Err(e) => return internal(e),
    };
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return (StatusCode::NOT_FOUND, "recording file missing").into_response();
    };
    let len = bytes.len() as u64;
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|r| byte_range(r, len));
    match range {
        Some(Some((a, b))) => (
            StatusCode::PARTIAL_CONTENT,
            [
                (header::CONTENT_TYPE, "audio/wav".to_string()),
                (header::ACCEPT_RANGES, "bytes".to_string()),
                (header::CONTENT_RANGE, format!("bytes {a}-{b}/{len}")),
            ],
            bytes[a as usize..=b as usize].to_vec(),
        )
            .into_response(),
        Some(None) => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            [(header::CONTENT_RANGE, format!("bytes */{len}"))],
        )
            .into_response(),
        None => (
            [
                (header::CONTENT_TYPE, "audio/wav"),
                (header::ACCEPT_RANGES, "bytes"),
            ],
            bytes,
        )
            .into_response(),
    }
}

/// `GET /desk/week?week=YYYY-MM-DD`: the week (Monday to Sunday) holding that date, in the
/// persona's zone, with today's line; this week by default.
pub async fn week(
    State(svc): State<Arc<Services>>,
    s: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let tz = svc.persona.timezone;
    let now = svc.clock.now().with_timezone(&tz);
    let today = now.date_naive();
    let day = q
        .get("week")
        .and_then(|w| NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
        .unwrap_or(today);
    let monday = day - Span::days(i64::from(day.weekday().num_days_from_monday()));
    let sunday = monday + Span::days(6);
    let list = match svc.store.list_appointments(tz).await {
        Ok(list) => list,
        Err(e) => return internal(e),
    };
    let in_week: Vec<_> = list
        .into_iter()
        .filter_map(|a| {
            let start = chrono::DateTime::parse_from_rfc3339(&a.start)
                .ok()?
                .with_timezone(&tz);
            let end = chrono::DateTime::parse_from_rfc3339(&a.end)
                .ok()?
                .with_timezone(&tz);
            (start.date_naive() >= monday && start.date_naive() <= sunday)
                .then_some((start, end, a))
        })
        .collect();
    // The hours shown: the meeting hours, widened to every appointment and to now.
    let rules = &svc.persona.meetings;
    let mut first = rules.start.hour().saturating_sub(1);
    let mut last = (rules.end.hour() + 1).min(24);
    for (start, end, _) in &in_week {
        first = first.min(start.hour());
        last = last.max((end.hour() + 1).min(24));
    }
    if today >= monday && today <= sunday {
        first = first.min(now.hour());
        last = last.max((now.hour() + 1).min(24));
    }
    let span = f64::from((last - first) * 60);
    let pct = |h: u32, m: u32| {
        let minutes = f64::from(h * 60 + m) - f64::from(first * 60);
        format!("{:.2}", (minutes / span * 100.0).clamp(0.0, 100.0))
    };
    let days = (0..7)
        .map(|i| {
            let date = monday + Span::days(i);
            let is_today = date == today;
            views::Day {
                label: date.format("%a %-d").to_string(),
                today: is_today,
                now_top: is_today.then(|| pct(now.hour(), now.minute())),
                now_label: now.format("%-I:%M %p").to_string(),
                items: in_week
                    .iter()
                    .filter(|(start, _, _)| start.date_naive() == date)
                    .map(|(start, end, a)| {
                        let minutes = (*end - *start).num_minutes().max(15) as f64;
                        views::WeekItem {
                            id: a.id.clone(),
                            top: pct(start.hour(), start.minute()),
                            height: format!("{:.2}", minutes / span * 100.0),
                            time: format!("{}–{}", start.format("%-I:%M"), end.format("%-I:%M %p")),
                            who: a
                                .caller_name
                                .clone()
                                .or_else(|| a.caller_number.clone())
                                .unwrap_or_default(),
                            purpose: a.purpose.clone().unwrap_or_default(),
                            call: a.call_sid.as_ref().map(|c| format!("/desk/calls/{c}")),
                            booked: a.status == "booked",
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let link = |d: NaiveDate| format!("/desk/week?week={}", d.format("%Y-%m-%d"));
    page(&views::Week {
        chrome: chrome(&svc, &s, "week").await,
        title: format!("Week of {}", monday.format("%B %-d, %Y")),
        zone: format!("{} ({})", svc.persona.city, tz.name()),
        prev: link(monday - Span::days(7)),
        next: link(monday + Span::days(7)),
        this_week: link(today),
        hours: (first..last)
            .map(|h| views::HourMark {
                label: format!(
                    "{} {}",
                    if h % 12 == 0 { 12 } else { h % 12 },
                    if h < 12 { "AM" } else { "PM" }
                ),
                top: pct(h, 0),
            })
            .collect(),
        days,
        here: link(monday),
    })
}

/// Where a form asks to go back to: a dashboard path, else `fallback`.
fn back_to(posted: &Posted, fallback: &str) -> String {
    let to = posted.field("back");
    if to.starts_with("/desk/") && !to.starts_with("/desk//") {
        to.to_string()
    } else {
        fallback.to_string()
    }
}

/// `POST /desk/appointments/{id}/cancel`: cancels a booked appointment, freeing its time.
pub async fn cancel(
    State(svc): State<Arc<Services>>,
    Path(id): Path<String>,
    posted: Posted,
) -> Response {
    match svc.store.cancel_appointment(&id, svc.clock.now()).await {
        Ok(()) => {
            info!(appointment = %id, user = %posted.session.user, "appointment cancelled from the dashboard")
        }
        Err(crate::store::BookError::NotFound(_)) => {
            return (StatusCode::NOT_FOUND, "no booked appointment with that id").into_response()
        }
        Err(e) => return internal(e),
    }
    Redirect::to(&back_to(&posted, "/desk/week")).into_response()
}

#[cfg(test)]
mod tests {
    use super::{byte_range, call_filter};
    use std::collections::HashMap;

    /// The filter form read as the store takes it: dates are whole days in the persona's
    /// zone, names are the stored ones, and what is not understood is said.
    #[test]
    fn the_calls_filter_is_read_in_the_personas_zone() {
        let tz = chrono_tz::America::New_York;
        let q = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let (f, filter) = call_filter(
            &q(&[
                ("from", "2026-11-24"),
                ("to", " 2026-11-25 "),
                ("outcome", "message"),
                ("handled", "no"),
                ("q", " renewal "),
            ]),
            tz,
        );
        assert!(f.is_set());
        let filter = filter.unwrap();
        let stamp = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339());
        assert_eq!(
            (stamp(filter.since), stamp(filter.until)),
            (
                Some("2026-11-24T05:00:00+00:00".into()),
                Some("2026-11-26T05:00:00+00:00".into())
            )
        );
        assert_eq!(filter.outcome, Some(crate::logic::domain::Outcome::Message));
        assert_eq!(
            (filter.handled, filter.text.as_deref()),
            (Some(false), Some("renewal"))
        );

        let (f, filter) = call_filter(&q(&[]), tz);
        assert!(!f.is_set());
        assert_eq!(filter.unwrap(), crate::store::CallFilter::default());

        for (k, v, says) in [
            ("from", "24/11/2026", "is not a date"),
            ("outcome", "lunch", "is not a call outcome"),
            ("urgency", "soon", "is not a level of urgency"),
        ] {
            let (_, filter) = call_filter(&q(&[(k, v)]), tz);
            assert!(
                filter.as_ref().is_err_and(|e| e.contains(says)),
                "{k}={v}: {filter:?}"
            );
        }
    }

    #[test]
    fn byte_ranges_are_read_and_bounded() {
        assert_eq!(byte_range("bytes=0-", 100), Some((0, 99)));
        assert_eq!(byte_range("bytes=10-19", 100), Some((10, 19)));
        assert_eq!(byte_range("bytes=90-200", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=100-", 100), None);
        assert_eq!(byte_range("bytes=5-1", 100), None);
        assert_eq!(byte_range("bytes=0-1,3-4", 100), None);
        assert_eq!(byte_range("items=0-1", 100), None);
        assert_eq!(byte_range("bytes=0-", 0), None);
    }
}
