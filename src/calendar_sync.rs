//! The server's calendar loops: the executive's calendar and feeds read as busy time
//! ([`poll`], [`poll_feeds`]), Frontdesk's bookings written into the calendar ([`write`]), and
//! the executive's changes to them brought back ([`reconcile`]). The CalDAV and feed clients
//! are `caldav`'s; this module wires them to the store and the services.
//!
//! [`write`] drains the store's durable queue of calendar writes ([`CalendarSync`]): each
//! brings one appointment's event in line with the appointment as it is now (PUT while it is
//! booked, with `If-Match` on the ETag last seen, or `If-None-Match: *` the first time; DELETE
//! once it is cancelled). A server that is down, slow or failing leaves the write queued and it
//! is retried with backoff (the `[delivery]` backoff), so a booking made while the calendar
//! server is away is written once it is back. [`reconcile`] runs after each read of the
//! calendar: an event of ours that the executive deleted cancels its appointment, one they
//! moved moves it.
//!
//! **Architecture Invariant:** nothing here runs on a call's path: the session queues writes
//! through the store and wakes [`write`]; what a call waits on is only the store.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tracing::{error, info, warn};

use crate::caldav::feeds::{Feed, Fetched};
use crate::caldav::{read_all, CalDav, CalDavError, Found, Precondition, Resource, Snapshot};
use crate::logic::ical::{self, BookingEvent};
use crate::services::Services;
use crate::store::{Appointment, CalendarWrite};

/// How long a claimed write is leased: longer than a request's timeout.
const LEASE_SECS: i64 = 60;

/// The resource name of appointment `id`'s event.
pub fn resource_name(id: &str) -> String {
    format!("{}{id}.ics", ical::OWN_UID_PREFIX)
}

/// The host named in our events' UIDs: the public URL's.
pub fn uid_host(services: &Services) -> String {
    url::Url::parse(&services.config.public_base())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "frontdesk.invalid".into())
}

/// The event text of an appointment, as the calendar and the export feed hold it.
pub fn event_of(services: &Services, a: &Appointment, stamp: DateTime<Utc>) -> icalendar::Event {
    let uid = ical::own_uid(&a.id, &uid_host(services));
    let call_url = a
        .call_sid
        .as_ref()
        .map(|sid| format!("{}/api/calls/{sid}", services.config.public_base()));
    ical::booking_event(&BookingEvent {
        uid: &uid,
        start: a.start,
        end: a.end,
        caller_name: a.caller_name.as_deref(),
        caller_number: a.caller_number.as_deref(),
        purpose: a.purpose.as_deref(),
        call_url: call_url.as_deref(),
        stamp,
    })
}

/// Writes the queued changes to `calendar` until the server stops: at start, when woken
/// (`Services::calendar_wake`) and when the next retry is due.
pub async fn write(services: Arc<Services>, calendar: CalDav) {
    loop {
        // The server's clock, like the bookings that queue the writes.
        let now = services.clock.now();
        let claimed = match services
            .store
            .claim_calendar_writes(now, chrono::Duration::seconds(LEASE_SECS), 16)
            .await
        {
            Ok(c) => c,
            Err(e) => {
                error!(error = %e, "cannot read the calendar's write queue");
                Vec::new()
            }
        };
        let busy = !claimed.is_empty();
        for w in claimed {
            let id = w.appointment.id.clone();
            match write_one(&services, &calendar, &w).await {
                Ok(etag) => {
                    // The server answered: the calendar is reachable, whatever the last read said.
                    services.busy.set_reachable(true);
                    info!(appointment = %id, booked = w.appointment.booked, "written to the executive's calendar");
                    if let Err(e) = services
                        .store
                        .calendar_written(&id, w.version, etag.as_deref())
                        .await
                    {
                        error!(error = %e, appointment = %id, "cannot record a calendar write");
                    }
                }
                Err(e) => {
                    let wait = crate::notify::backoff(
                        &services.config.delivery,
                        w.attempts + 1,
                        rand::random::<f64>(),
                    );
                    warn!(error = %e, appointment = %id, attempts = w.attempts + 1, retry_in = ?wait,
                        "cannot write to the executive's calendar; kept for a retry");
                    let retry = services.clock.now()
                        + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(60));
                    if let Err(e) = services
                        .store
                        .calendar_write_failed(&id, &e.to_string(), retry)
                        .await
                    {
                        error!(error = %e, appointment = %id, "cannot record a failed calendar write");
                    }
                }
            }
        }
        if busy {
            continue;
        }
        let sleep = match services.store.next_calendar_write().await {
            Ok(Some(due)) => (due - services.clock.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(Duration::from_secs(60)),
            Ok(None) => Duration::from_secs(60),
            Err(e) => {
                error!(error = %e, "cannot read the calendar's write queue");
                Duration::from_secs(5)
            }
        };
        tokio::select! {
            _ = services.calendar_wake.notified() => {}
            _ = tokio::time::sleep(sleep.max(Duration::from_millis(10))) => {}
        }
    }
}

/// Makes one write; returns the event's ETag afterwards (`None` once deleted).
async fn write_one(
    services: &Services,
    calendar: &CalDav,
    w: &CalendarWrite,
) -> Result<Option<String>, CalDavError> {
    let a = &w.appointment;
    let name = resource_name(&a.id);
    if !a.booked {
        return match calendar.delete(&name, a.calendar_etag.as_deref()).await {
            // The executive changed it meanwhile; the cancellation by phone is the later word.
            Err(CalDavError::Changed) => calendar.delete(&name, None).await.map(|()| None),
            other => other.map(|()| None),
        };
    }
    let text = ical::calendar_text([event_of(services, a, services.clock.now())], None);
    let condition = match &a.calendar_etag {
        Some(etag) => Precondition::Matches(etag),
        None => Precondition::Absent,
    };
    let written = match calendar.put(&name, text.clone(), condition).await {
        // Changed since we last saw it (or written before without an ETag kept): the change
        // by phone is the later one, made on the event as it is now.
        Err(CalDavError::Changed) => match calendar.get(&name).await? {
            Some(Resource {
                etag: Some(etag), ..
            }) => {
                calendar
                    .put(&name, text, Precondition::Matches(&etag))
                    .await
            }
            Some(_) => Err(CalDavError::Changed),
            None => calendar.put(&name, text, Precondition::Absent).await,
        },
        other => other,
    }?;
    match written {
        Some(etag) => Ok(Some(etag)),
        // A server that gives no ETag on PUT: read it, so later writes and the executive's
        // own changes can be told apart.
        None => Ok(calendar.get(&name).await?.and_then(|r| r.etag)),
    }
}

/// Brings the appointments in line with what the executive did to our events in their
/// calendar, from a fresh read: a deleted event cancels its appointment, a moved one moves it.
/// Only appointments written and not being written are looked at, each changed only if its
/// event is still the one read (compare-and-set on the ETag).
pub async fn reconcile(services: &Services, calendar: &CalDav, found: &Found, now: DateTime<Utc>) {
    let synced = match services.store.synced_appointments(now).await {
        Ok(s) => s,
        Err(e) => {
            warn!(error = %e, "cannot read the appointments to compare with the calendar");
            return;
        }
    };
    let zone = services.persona.timezone;
    for a in synced {
        let Some(seen) = a.calendar_etag.clone() else {
            continue;
        };
        let own = found.own.iter().find(|o| o.appointment_id == a.id);
        if own.is_some_and(|o| o.etag.as_deref() == Some(seen.as_str())) {
            continue;
        }
        // Not read, or changed: ask for the event itself (it may be outside the range read,
        // or our own write may have changed it after the read).
        let current = match calendar.get(&resource_name(&a.id)).await {
            Ok(c) => c,
            Err(e) => {
                warn!(error = %e, appointment = %a.id, "cannot read an appointment's event");
                continue;
            }
        };
        match current {
            None => match services.store.deleted_in_calendar(&a.id, &seen, now).await {
                Ok(true) => {
                    info!(appointment = %a.id, "the executive deleted the event: appointment cancelled")
                }
                Ok(false) => {}
                Err(e) => warn!(error = %e, appointment = %a.id, "cannot cancel an appointment"),
            },
            Some(res) if res.etag.as_deref() == Some(seen.as_str()) => {}
            Some(res) => {
                let (from, to) = (
                    now - chrono::Duration::days(366),
                    now + chrono::Duration::days(3 * 366),
                );
                let Some(times) = ical::busy(&res.text, from, to, zone).ok().and_then(|r| {
                    r.busy
                        .into_iter()
                        .find(|b| ical::own_id(&b.uid) == Some(a.id.as_str()))
                }) else {
                    warn!(appointment = %a.id, "the appointment's event no longer reads as a time; left as it is");
                    continue;
                };
                if times.start == a.start && times.end == a.end {
                    // Only its text changed (a note, say): remember the new ETag.
                    if let Err(e) = services
                        .store
                        .moved_in_calendar(&a.id, &seen, a.start, a.end, res.etag.as_deref(), now)
                        .await
                    {
                        warn!(error = %e, appointment = %a.id, "cannot note the event's new ETag");
                    }
                    continue;
                }
                match services
                    .store
                    .moved_in_calendar(
                        &a.id,
                        &seen,
                        times.start,
                        times.end,
                        res.etag.as_deref(),
                        now,
                    )
                    .await
                {
                    Ok(true) => info!(appointment = %a.id, start = %times.start,
                        "the executive moved the event: appointment moved"),
                    Ok(false) => {}
                    Err(e) => error!(error = %e, appointment = %a.id,
                        "the executive moved the event onto another booking; the appointment keeps its time"),
                }
            }
        }
    }
}

/// Reads `calendar` now and then every `poll_secs`, over the booking horizon from the clock's
/// now, keeps the latest busy set in `Services::busy`, and brings the appointments in line
/// with what the executive did to our events ([`reconcile`]). Each of its busy calendars
/// (`CalDav::busy_calendars`) is read the same way right after, as source `busy<N>`. A failed
/// read keeps that collection's last good set and is logged; it never ends the loop.
pub async fn poll(services: Arc<Services>, calendar: CalDav) {
    let every = Duration::from_secs(services.config.calendar.poll_secs);
    let zone = services.persona.timezone;
    let horizon_days = services.persona.meetings.horizon_days;
    let view = services.busy.clone();
    let others = calendar.busy_calendars();
    let mut other_failures = vec![0u32; others.len()];
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failures = 0u32;
    loop {
        ticker.tick().await;
        let now = services.clock.now();
        let to = now + chrono::Duration::days(i64::from(horizon_days) + 1);
        match calendar.busy(now, to, zone).await {
            Ok(found) => {
                for p in &found.problems {
                    warn!(problem = %p, "calendar event read approximately or skipped");
                }
                if failures > 0 || view.snapshot().is_none() {
                    info!(busy = found.busy.len(), url = %calendar.url(), "calendar read");
                    // Back after a failure: the writes waiting for it go now.
                    services.calendar_wake.notify_one();
                }
                failures = 0;
                view.set(Snapshot {
                    read_at: now,
                    busy: found.busy.clone(),
                });
                reconcile(&services, &calendar, &found, now).await;
            }
            Err(e) => {
                failures += 1;
                view.set_reachable(false);
                match view.snapshot() {
                    None => error!(
                        error = %e, url = %calendar.url(), attempts = failures,
                        "cannot read the executive's calendar: calls are offered slots without its busy time"
                    ),
                    Some(s) => warn!(
                        error = %e, url = %calendar.url(), attempts = failures, last_read = %s.read_at,
                        "cannot read the executive's calendar: calls use the last busy set read"
                    ),
                }
            }
        }
        for (i, (other, failed)) in others.iter().zip(other_failures.iter_mut()).enumerate() {
            match other.busy(now, to, zone).await {
                Ok(found) => {
                    for p in &found.problems {
                        warn!(problem = %p, url = %other.url(), "busy calendar event read approximately or skipped");
                    }
                    if *failed > 0 {
                        info!(busy = found.busy.len(), url = %other.url(), "busy calendar read again");
                    }
                    *failed = 0;
                    // Our own events there (a copy the executive made) are not busy time:
                    // the appointments are the store's.
                    view.set_source(
                        &format!("busy{i}"),
                        Snapshot {
                            read_at: now,
                            busy: found.busy,
                        },
                    );
                }
                Err(e) => {
                    *failed += 1;
                    view.set_reachable(false);
                    warn!(error = %e, url = %other.url(), attempts = *failed,
                        "cannot read a busy calendar: calls use its last busy set read, if any");
                }
            }
        }
    }
}

/// Fetches every feed now and then every `poll_secs`, and keeps each one's busy set in
/// `Services::busy` (as source `feed<N>`). A feed that fails keeps its last good set.
pub async fn poll_feeds(services: Arc<Services>, urls: Vec<String>) {
    let every = Duration::from_secs(services.config.calendar.poll_secs);
    let zone = services.persona.timezone;
    let horizon_days = services.persona.meetings.horizon_days;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_default();
    let mut feeds: Vec<Feed> = urls.iter().map(|u| Feed::new(u)).collect();
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let now = services.clock.now();
        let to = now + chrono::Duration::days(i64::from(horizon_days) + 1);
        for (i, feed) in feeds.iter_mut().enumerate() {
            match feed.fetch(&http).await {
                Ok(fetched) => {
                    if fetched == Fetched::Changed {
                        info!(feed = %feed.shown(), "calendar feed read");
                    }
                }
                Err(e) => {
                    warn!(feed = %feed.shown(), error = %e, "cannot read a calendar feed; its last busy set is kept");
                    continue;
                }
            }
            let Some(text) = feed.text().map(str::to_string) else {
                continue;
            };
            let resources = [Resource {
                text,
                ..Resource::default()
            }];
            let found = match tokio::task::spawn_blocking(move || {
                read_all(&resources, now, to, zone)
            })
            .await
            {
                Ok(f) => f,
                Err(e) => {
                    warn!(error = %e, "reading a calendar feed failed");
                    continue;
                }
            };
            for p in &found.problems {
                warn!(feed = %feed.shown(), problem = %p, "feed event read approximately or skipped");
            }
            services.busy.set_source(
                &format!("feed{i}"),
                Snapshot {
                    read_at: now,
                    busy: found.busy,
                },
            );
        }
    }
}
