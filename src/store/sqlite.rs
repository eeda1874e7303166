//! The SQLite implementation of the store's ports, through sqlx: the only one today.
//!
//! Everything SQLite-specific lives here: the connection options (WAL, foreign keys, a busy
//! timeout), the embedded migrations, and reading rows back into the ports' types. The SQL
//! itself stays portable so that PostgreSQL can implement the same ports.

use std::str::FromStr;

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};

use super::{
    stamp, Appointment, AppointmentView, Appointments, BookError, CalendarSync, CalendarWrite,
    CallFilter, CallLog, CallStatus, CallView, CallerView, ContactError, ContactSource,
    ContactView, Contacts, Cursor, EventView, Inbox, InboxFilter, InboxItem, NewAppointment,
    NewContact, NewNotification, NotificationView, Outbox, Outgoing, Page, PageRequest, Speaker,
    StoreError, TurnView,
};
use crate::logic::dialog::screen::number_key;
use crate::logic::dialog::CallerInfo;
use crate::logic::domain::{Outcome, Summary, Urgency};

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(Box::new(e))
    }
}

impl From<sqlx::Error> for BookError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => BookError::Taken,
            _ => BookError::Store(e.into()),
        }
    }
}

/// A stored name read back as its type; an unknown name is a decoding error naming the column.
fn parse_named<T>(text: &str, column: &str) -> Result<T, sqlx::Error>
where
    T: FromStr<Err = crate::logic::domain::UnknownName>,
{
    text.parse().map_err(|e| sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: Box::new(e),
    })
}

/// Column `column` of `row`, a stored name, as its type.
fn named<T>(row: &sqlx::sqlite::SqliteRow, column: &str) -> Result<T, sqlx::Error>
where
    T: FromStr<Err = crate::logic::domain::UnknownName>,
{
    parse_named(&row.try_get::<String, _>(column)?, column)
}

/// [`named`] for a column that may be NULL.
fn named_opt<T>(row: &sqlx::sqlite::SqliteRow, column: &str) -> Result<Option<T>, sqlx::Error>
where
    T: FromStr<Err = crate::logic::domain::UnknownName>,
{
    row.try_get::<Option<String>, _>(column)?
        .map(|t| parse_named(&t, column))
        .transpose()
}

/// The calls, each with `inbox_kind`: why a closed call is in the executive's inbox, the
/// same rule as what a closed call notifies (`notify::event_for`), plus meetings booked, moved
/// or cancelled by phone. Decided when read, so calls logged before migration 0009 count too.
const CALLS: &str = "(SELECT c.*, CASE
    WHEN c.status = 'in_progress' THEN NULL
    WHEN c.escalation_reason IS NOT NULL THEN 'escalation'
    WHEN c.message IS NOT NULL OR c.outcome IN ('message', 'escalated') THEN 'message'
    WHEN c.outcome IN ('booked', 'rescheduled', 'cancelled') THEN 'request'
    WHEN c.outcome = 'abandoned'
         AND COALESCE(c.category, 'new') NOT IN ('spam', 'sales', 'blocked')
         AND EXISTS (SELECT 1 FROM turns t
                     WHERE t.call_sid = c.call_sid AND t.speaker = 'caller' AND TRIM(t.text) <> '')
      THEN 'missed_call'
  END AS inbox_kind
  FROM calls c) AS calls";

/// A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally.
fn like_anywhere(text: &str) -> String {
    let mut p = String::from("%");
    for ch in text.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

/// `SELECT * FROM` the calls `filter` lets through (only inbox items when `inbox_only`), the
/// page after `page.after`, newest first; one row more than the page, to tell if more follow.
fn select_calls<'a>(
    filter: &CallFilter,
    inbox_only: bool,
    page: &PageRequest,
) -> QueryBuilder<'a, Sqlite> {
    let mut q = QueryBuilder::new(format!("SELECT * FROM {CALLS} WHERE 1 = 1"));
    if inbox_only {
        q.push(" AND inbox_kind IS NOT NULL");
    }
    if let Some(t) = filter.since {
        q.push(" AND started_at >= ").push_bind(stamp(t));
    }
    if let Some(t) = filter.until {
        q.push(" AND started_at < ").push_bind(stamp(t));
    }
    if let Some(o) = filter.outcome {
        q.push(" AND outcome = ").push_bind(o.as_str());
    }
    if let Some(c) = filter.category {
        q.push(" AND category = ").push_bind(c.as_str());
    }
    if let Some(u) = filter.urgency {
        q.push(" AND urgency = ").push_bind(u.as_str());
    }
    if let Some(k) = filter.inbox {
        q.push(" AND inbox_kind = ").push_bind(k.as_str());
    }
    match filter.handled {
        Some(true) => {
            q.push(" AND handled_at IS NOT NULL");
        }
        Some(false) => {
            q.push(" AND inbox_kind IS NOT NULL AND handled_at IS NULL");
        }
        None => {}
    }
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let p = like_anywhere(text);
        q.push(" AND (");
        for (i, column) in ["caller_name", "message", "purpose", "summary"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                q.push(" OR ");
            }
            q.push(format!("LOWER({column}) LIKE "))
                .push_bind(p.clone())
                .push(" ESCAPE '\\'");
        }
        q.push(" OR EXISTS (SELECT 1 FROM turns t WHERE t.call_sid = calls.call_sid AND LOWER(t.text) LIKE ")
            .push_bind(p)
            .push(" ESCAPE '\\'))");
    }
    if let Some(c) = &page.after {
        q.push(" AND (started_at < ")
            .push_bind(c.started_at.clone())
            .push(" OR (started_at = ")
            .push_bind(c.started_at.clone())
            .push(" AND call_sid < ")
            .push_bind(c.id.clone())
            .push("))");
    }
    q.push(" ORDER BY started_at DESC, call_sid DESC LIMIT ")
        .push_bind(page.limit.max(1) + 1);
    q
}

/// The page of `rows` (one more than the page when more follow) as calls.
fn call_page(rows: &[sqlx::sqlite::SqliteRow], limit: i64) -> Result<Page<CallView>, sqlx::Error> {
    let limit = usize::try_from(limit.max(1)).unwrap_or(usize::MAX);
    let mut items = rows
        .iter()
        .take(limit)
        .map(call_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let next = (rows.len() > limit)
        .then(|| items.last_mut())
        .flatten()
        .map(|last| Cursor {
            started_at: last.started_at.clone(),
            id: last.call_sid.clone(),
        });
    Ok(Page { items, next })
}

/// The store in one SQLite file: implements [`CallLog`], [`Appointments`] and [`Outbox`].
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pub(super) pool: SqlitePool,
    /// Bookings, moves and cancellations queue a write to the executive's calendar.
    calendar_writes: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` and runs migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|source| StoreError::Url {
                url: url.to_string(),
                source: Box::new(source),
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(5));
        let path = opts.get_filename();
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() && path.as_os_str() != ":memory:" {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
                    path: dir.display().to_string(),
                    source,
                })?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migrate(Box::new(e)))?;
        Ok(Self {
            pool,
            calendar_writes: false,
        })
    }

    /// The store with bookings, moves and cancellations queueing a write to the executive's
    /// calendar (in their own transaction), when `on`.
    pub fn writing_calendar(mut self, on: bool) -> Self {
        self.calendar_writes = on;
        self
    }

    /// Queues the write that brings appointment `id`'s event in line with it, inside `tx`.
    async fn queue_calendar_write(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        if !self.calendar_writes {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO calendar_writes (appointment_id, version, attempts, next_attempt_at, created_at)
             VALUES ($1, 1, 0, $2, $2)
             ON CONFLICT (appointment_id) DO UPDATE SET version = calendar_writes.version + 1,
                 attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = NULL",
        )
        .bind(id)
        .bind(stamp(now))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl CallLog for SqliteStore {
    async fn open_calls(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT call_sid FROM calls WHERE status = 'in_progress' ORDER BY started_at",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get("call_sid"))
            .collect::<Result<_, _>>()?)
    }

    async fn begin_call(
        &self,
        call_sid: &str,
        from: Option<&str>,
        to: Option<&str>,
        started_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO calls (call_sid, from_number, to_number, started_at, status)
             VALUES ($1, $2, $3, $4, 'in_progress')
             ON CONFLICT (call_sid) DO UPDATE SET
               from_number = COALESCE(calls.from_number, excluded.from_number),
               to_number = COALESCE(calls.to_number, excluded.to_number)",
        )
        .bind(call_sid)
        .bind(from)
        .bind(to)
        .bind(stamp(started_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn set_stream(
        &self,
        call_sid: &str,
        stream_sid: &str,
        recording: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE calls SET stream_sid = $1, recording_path = COALESCE($2, recording_path) WHERE call_sid = $3")
            .bind(stream_sid)
            .bind(recording)
            .bind(call_sid)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn add_turn(
        &self,
        call_sid: &str,
        seq: i64,
        speaker: Speaker,
        text: &str,
        started_at: DateTime<Utc>,
        latency_ms: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO turns (call_sid, seq, speaker, text, started_at, latency_ms)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(call_sid)
        .bind(seq)
        .bind(speaker.as_str())
        .bind(text)
        .bind(stamp(started_at))
        .bind(latency_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn cut_turn(&self, call_sid: &str, seq: i64, heard: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE turns SET text = $1, interrupted = 1 WHERE call_sid = $2 AND seq = $3")
            .bind(heard)
            .bind(call_sid)
            .bind(seq)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn update_caller(&self, call_sid: &str, info: &CallerInfo) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE calls SET caller_name = $1, caller_company = $2, callback_number = $3, purpose = $4, message = $5,
               category = $6, urgency = $7, escalation_reason = $8
             WHERE call_sid = $9",
        )
        .bind(info.name.as_deref().filter(|n| !n.is_empty()))
        .bind(&info.company)
        .bind(info.callback_number.as_deref().filter(|n| !n.is_empty()))
        .bind(&info.purpose)
        .bind(&info.message)
        .bind(info.category.map(|c| c.as_str()))
        .bind(info.urgency.map(|u| u.as_str()))
        .bind(&info.escalation)
        .bind(call_sid)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn set_outcome(
        &self,
        call_sid: &str,
        outcome: Outcome,
        summary: Option<&Summary>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE calls SET outcome = $1, summary = COALESCE($2, summary),
               next_step = CASE WHEN $2 IS NULL THEN next_step ELSE $3 END
             WHERE call_sid = $4",
        )
        .bind(outcome.as_str())
        .bind(summary.map(|s| s.account.as_str()))
        .bind(summary.and_then(|s| s.next_step.as_deref()))
        .bind(call_sid)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn add_event(
        &self,
        call_sid: &str,
        at: DateTime<Utc>,
        kind: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_event(&mut tx, call_sid, at, kind, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn end_call(
        &self,
        call_sid: &str,
        status: CallStatus,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.end_call_notifying(call_sid, status, at, &[], Utc::now())
            .await
    }

    async fn list_calls(&self, limit: i64) -> Result<Vec<CallView>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT * FROM {CALLS} ORDER BY started_at DESC, call_sid LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(call_from_row).collect::<Result<_, _>>()?)
    }

    async fn find_calls(
        &self,
        filter: &CallFilter,
        page: &PageRequest,
    ) -> Result<Page<CallView>, StoreError> {
        let rows = select_calls(filter, false, page)
            .build()
            .fetch_all(&self.pool)
            .await?;
        Ok(call_page(&rows, page.limit)?)
    }

    async fn get_call(&self, call_sid: &str) -> Result<Option<CallView>, StoreError> {
        let Some(row) = sqlx::query(&format!("SELECT * FROM {CALLS} WHERE call_sid = $1"))
            .bind(call_sid)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let mut call = call_from_row(&row)?;
        let turns = sqlx::query("SELECT * FROM turns WHERE call_sid = $1 ORDER BY seq")
            .bind(call_sid)
            .fetch_all(&self.pool)
            .await?;
        call.turns = Some(
            turns
                .iter()
                .map(|r| {
                    Ok(TurnView {
                        speaker: named(r, "speaker")?,
                        text: r.try_get("text")?,
                        started_at: r.try_get("started_at")?,
                        latency_ms: r.try_get("latency_ms")?,
                        interrupted: r.try_get::<i64, _>("interrupted")? != 0,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?,
        );
        let events = sqlx::query("SELECT * FROM call_events WHERE call_sid = $1 ORDER BY seq")
            .bind(call_sid)
            .fetch_all(&self.pool)
            .await?;
        call.notifications = Some(self.notifications_for(call_sid).await?);
        call.events = Some(
            events
                .iter()
                .map(|r| {
                    Ok(EventView {
                        at: r.try_get("at")?,
                        kind: r.try_get("kind")?,
                        detail: r.try_get("detail")?,
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?,
        );
        Ok(Some(call))
    }

    async fn recording_path(&self, call_sid: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT recording_path FROM calls WHERE call_sid = $1")
            .bind(call_sid)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get("recording_path")?,
            None => None,
        })
    }

    async fn check_writable(&self) -> Result<(), StoreError> {
        // A call row no one will see: inserted, then rolled back with the transaction.
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO calls (call_sid, started_at) VALUES ($1, $2)")
            .bind(format!("readyz-{}", uuid::Uuid::new_v4().simple()))
            .bind(stamp(Utc::now()))
            .execute(&mut *tx)
            .await?;
        tx.rollback().await?;
        Ok(())
    }
}

#[async_trait]
impl Outbox for SqliteStore {
    async fn end_call_notifying(
        &self,
        call_sid: &str,
        status: CallStatus,
        at: DateTime<Utc>,
        notes: &[NewNotification],
        due: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE calls SET status = $1, ended_at = $2 WHERE call_sid = $3")
            .bind(status.as_str())
            .bind(stamp(at))
            .bind(call_sid)
            .execute(&mut *tx)
            .await?;
        insert_notifications(&mut tx, call_sid, notes, due).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn amend_call_notifying(
        &self,
        call_sid: &str,
        at: DateTime<Utc>,
        kind: &str,
        detail: &str,
        summary: &Summary,
        notes: &[NewNotification],
        due: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        match insert_event(&mut tx, call_sid, at, kind, detail).await {
            Ok(()) => {}
            // An event that happens once per call (migration 0005) is already recorded:
            // nothing is amended and nobody is notified twice.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        }
        sqlx::query("UPDATE calls SET summary = $1, next_step = $2 WHERE call_sid = $3")
            .bind(&summary.account)
            .bind(&summary.next_step)
            .bind(call_sid)
            .execute(&mut *tx)
            .await?;
        insert_notifications(&mut tx, call_sid, notes, due).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let ids: Vec<String> = sqlx::query(
            "SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= $1
             ORDER BY next_attempt_at LIMIT $2",
        )
        .bind(stamp(now))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for id in ids {
            let claimed = sqlx::query(
                "UPDATE notifications SET next_attempt_at = $1
                 WHERE id = $2 AND status = 'pending' AND next_attempt_at <= $3",
            )
            .bind(stamp(now + lease))
            .bind(&id)
            .bind(stamp(now))
            .execute(&self.pool)
            .await?
            .rows_affected();
            if claimed == 0 {
                continue;
            }
            let r = sqlx::query("SELECT * FROM notifications WHERE id = $1")
                .bind(&id)
                .fetch_one(&self.pool)
                .await?;
            out.push(Outgoing {
                id,
                call_sid: r.try_get("call_sid")?,
                channel: named(&r, "channel")?,
                event: named(&r, "event")?,
                payload: r.try_get("payload")?,
                attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
                digest: r.try_get::<i64, _>("digest")? != 0,
            });
        }
        Ok(out)
    }

    async fn record_attempt(
        &self,
        id: &str,
        at: DateTime<Utc>,
        result: Result<(), String>,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let detail = match &result {
            Ok(()) => "delivered".to_string(),
            Err(e) => e.clone(),
        };
        // The attempt's number is the notification's own counter, bumped first (migration 0006).
        let seq: i64 = match (&result, retry_at) {
            (Ok(()), _) => sqlx::query_scalar(
                "UPDATE notifications SET status = 'delivered', attempts = attempts + 1, delivered_at = $1, last_error = NULL WHERE id = $2 RETURNING attempts",
            )
            .bind(stamp(at))
            .bind(id),
            (Err(e), Some(retry)) => sqlx::query_scalar(
                "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2 WHERE id = $3 RETURNING attempts",
            )
            .bind(stamp(retry))
            .bind(e.clone())
            .bind(id),
            (Err(e), None) => sqlx::query_scalar(
                "UPDATE notifications SET status = 'failed', attempts = attempts + 1, last_error = $1 WHERE id = $2 RETURNING attempts",
            )
            .bind(e.clone())
            .bind(id),
        }
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
        sqlx::query(
            "INSERT INTO notification_attempts (notification_id, seq, at, ok, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(seq)
        .bind(stamp(at))
        .bind(i64::from(result.is_ok()))
        .bind(&detail)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let r = sqlx::query(
            "SELECT MIN(next_attempt_at) AS due FROM notifications WHERE status = 'pending'",
        )
        .fetch_one(&self.pool)
        .await?;
        let due: Option<String> = r.try_get("due")?;
        Ok(due.as_deref().map(parse_stamp).transpose()?)
    }

    async fn pending_count(&self) -> Result<i64, StoreError> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM notifications WHERE status = 'pending'")
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get("n")?)
    }

    async fn notifications_for(&self, call_sid: &str) -> Result<Vec<NotificationView>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM notifications WHERE call_sid = $1 ORDER BY created_at, id")
                .bind(call_sid)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(notification_from_row)
            .collect::<Result<_, _>>()?)
    }

    async fn list_notifications(
        &self,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<NotificationView>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM notifications WHERE $1 IS NULL OR status = $1
             ORDER BY created_at DESC, id LIMIT $2",
        )
        .bind(status)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(notification_from_row)
            .collect::<Result<_, _>>()?)
    }
}

#[async_trait]
impl Appointments for SqliteStore {
    async fn book(&self, new: &NewAppointment, now: DateTime<Utc>) -> Result<String, BookError> {
        let id = format!("apt_{}", uuid::Uuid::new_v4().simple());
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO appointments (id, starts_at, ends_at, caller_name, caller_number, purpose, call_sid, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $8)",
        )
        .bind(&id)
        .bind(stamp(new.start))
        .bind(stamp(new.end))
        .bind(&new.caller_name)
        .bind(&new.caller_number)
        .bind(&new.purpose)
        .bind(&new.call_sid)
        .bind(stamp(now))
        .execute(&mut *tx)
        .await?;
        claim_slots(&mut tx, &id, new.start, new.end).await?;
        self.queue_calendar_write(&mut tx, &id, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn move_appointment(
        &self,
        id: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), BookError> {
        let mut tx = self.pool.begin().await?;
        let r = sqlx::query(
            "UPDATE appointments SET starts_at = $1, ends_at = $2, updated_at = $3 WHERE id = $4 AND status = 'booked'",
        )
        .bind(stamp(start))
        .bind(stamp(end))
        .bind(stamp(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        release_slots(&mut tx, id, r.rows_affected()).await?;
        claim_slots(&mut tx, id, start, end).await?;
        self.queue_calendar_write(&mut tx, id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn cancel_appointment(&self, id: &str, now: DateTime<Utc>) -> Result<(), BookError> {
        let mut tx = self.pool.begin().await?;
        let r = sqlx::query(
            "UPDATE appointments SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND status = 'booked'",
        )
        .bind(stamp(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        release_slots(&mut tx, id, r.rows_affected()).await?;
        self.queue_calendar_write(&mut tx, id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn booked_from(
        &self,
        from: DateTime<Utc>,
    ) -> Result<Vec<crate::logic::calendar::Booked>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM appointments WHERE status = 'booked' AND ends_at > $1 ORDER BY starts_at",
        )
        .bind(stamp(from))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(crate::logic::calendar::Booked {
                id: r.try_get("id")?,
                start: parse_stamp(&r.try_get::<String, _>("starts_at")?)?,
                end: parse_stamp(&r.try_get::<String, _>("ends_at")?)?,
                caller_name: r.try_get("caller_name")?,
                caller_number: r.try_get("caller_number")?,
                purpose: r.try_get("purpose")?,
            });
        }
        Ok(out)
    }

    async fn list_appointments(
        &self,
        tz: chrono_tz::Tz,
    ) -> Result<Vec<AppointmentView>, StoreError> {
        let rows = sqlx::query("SELECT * FROM appointments ORDER BY starts_at, id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| appointment_view_from_row(r, tz))
            .collect::<Result<_, _>>()?)
    }

    async fn appointment(
        &self,
        id: &str,
        tz: chrono_tz::Tz,
    ) -> Result<Option<AppointmentView>, StoreError> {
        let row = sqlx::query("SELECT * FROM appointments WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| appointment_view_from_row(&r, tz)).transpose()?)
    }
}

/// An appointment's row as the API shows it, times in `tz`.
fn appointment_view_from_row(
    r: &sqlx::sqlite::SqliteRow,
    tz: chrono_tz::Tz,
) -> Result<AppointmentView, sqlx::Error> {
    let local = |s: String| -> Result<String, sqlx::Error> {
        Ok(parse_stamp(&s)?
            .with_timezone(&tz)
            .to_rfc3339_opts(SecondsFormat::Secs, false))
    };
    Ok(AppointmentView {
        id: r.try_get("id")?,
        start: local(r.try_get("starts_at")?)?,
        end: local(r.try_get("ends_at")?)?,
        caller_name: r.try_get("caller_name")?,
        caller_number: r.try_get("caller_number")?,
        purpose: r.try_get("purpose")?,
        call_sid: r.try_get("call_sid")?,
        status: r.try_get("status")?,
    })
}

#[async_trait]
impl Inbox for SqliteStore {
    async fn inbox(
        &self,
        filter: &InboxFilter,
        page: &PageRequest,
    ) -> Result<Page<InboxItem>, StoreError> {
        let calls = CallFilter {
            inbox: filter.kind,
            handled: filter.handled,
            urgency: filter.urgency,
            ..CallFilter::default()
        };
        let rows = select_calls(&calls, true, page)
            .build()
            .fetch_all(&self.pool)
            .await?;
        let page_of_calls = call_page(&rows, page.limit)?;
        Ok(Page {
            items: page_of_calls
                .items
                .iter()
                .filter_map(InboxItem::of)
                .collect(),
            next: page_of_calls.next,
        })
    }

    async fn unhandled_count(&self) -> Result<i64, StoreError> {
        let n = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {CALLS} WHERE inbox_kind IS NOT NULL AND handled_at IS NULL"
        ))
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    async fn set_handled(
        &self,
        call_sid: &str,
        at: Option<DateTime<Utc>>,
    ) -> Result<Option<InboxItem>, StoreError> {
        let item =
            |row: Option<sqlx::sqlite::SqliteRow>| -> Result<Option<InboxItem>, sqlx::Error> {
                Ok(row
                    .as_ref()
                    .map(call_from_row)
                    .transpose()?
                    .as_ref()
                    .and_then(InboxItem::of))
            };
        let find = format!("SELECT * FROM {CALLS} WHERE call_sid = $1");
        let before = sqlx::query(&find)
            .bind(call_sid)
            .fetch_optional(&self.pool)
            .await?;
        if item(before)?.is_none() {
            return Ok(None);
        }
        sqlx::query("UPDATE calls SET handled_at = $1 WHERE call_sid = $2")
            .bind(at.map(stamp))
            .bind(call_sid)
            .execute(&self.pool)
            .await?;
        let after = sqlx::query(&find)
            .bind(call_sid)
            .fetch_optional(&self.pool)
            .await?;
        Ok(item(after)?)
    }
}

/// A contact's row as the API shows it.
fn contact_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<ContactView, sqlx::Error> {
    Ok(ContactView {
        id: Some(r.try_get("id")?),
        source: ContactSource::Desk,
        kind: named(r, "kind")?,
        name: r.try_get("name")?,
        company: r.try_get("company")?,
        role: r.try_get("role")?,
        number: r.try_get("number")?,
        escalate: r.try_get::<i64, _>("escalate")? != 0,
        note: r.try_get("note")?,
        created_at: Some(r.try_get("created_at")?),
        updated_at: Some(r.try_get("updated_at")?),
    })
}

impl SqliteStore {
    /// Refuses `number` when another contact than `except` has it.
    async fn number_free(&self, number: Option<&str>, except: &str) -> Result<(), ContactError> {
        let Some(key) = number.and_then(number_key) else {
            return Ok(());
        };
        let holder: Option<String> =
            sqlx::query_scalar("SELECT id FROM contacts WHERE number_key = $1 AND id <> $2")
                .bind(key)
                .bind(except)
                .fetch_optional(&self.pool)
                .await
                .map_err(StoreError::from)?;
        match holder {
            Some(id) => Err(ContactError::NumberTaken {
                number: number.unwrap_or_default().to_string(),
                id,
            }),
            None => Ok(()),
        }
    }

    async fn contact_or_not_found(&self, id: &str) -> Result<ContactView, ContactError> {
        self.contact(id)
            .await?
            .ok_or_else(|| ContactError::NotFound(id.to_string()))
    }
}

/// A write refused by the one-number-per-contact index, raced past [`SqliteStore::number_free`].
fn contact_write_error(e: sqlx::Error, number: Option<&str>) -> ContactError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ContactError::NumberTaken {
            number: number.unwrap_or_default().to_string(),
            id: "another contact".into(),
        },
        _ => ContactError::Store(e.into()),
    }
}

#[async_trait]
impl Contacts for SqliteStore {
    async fn contacts(&self) -> Result<Vec<ContactView>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM contacts ORDER BY
               CASE kind WHEN 'vip' THEN 0 WHEN 'known' THEN 1 ELSE 2 END,
               LOWER(COALESCE(name, number)), id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(contact_from_row)
            .collect::<Result<_, _>>()?)
    }

    async fn contact(&self, id: &str) -> Result<Option<ContactView>, StoreError> {
        let row = sqlx::query("SELECT * FROM contacts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(contact_from_row).transpose()?)
    }

    async fn add_contact(
        &self,
        new: &NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactView, ContactError> {
        let (kind, c) = new.checked()?;
        self.number_free(c.number.as_deref(), "").await?;
        let id = format!("con_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(
            "INSERT INTO contacts (id, kind, name, company, role, number, number_key, escalate, note, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(&id)
        .bind(kind.as_str())
        .bind(&c.name)
        .bind(&c.company)
        .bind(&c.role)
        .bind(&c.number)
        .bind(c.number.as_deref().and_then(number_key))
        .bind(i64::from(c.escalate))
        .bind(&c.note)
        .bind(stamp(now))
        .execute(&self.pool)
        .await
        .map_err(|e| contact_write_error(e, c.number.as_deref()))?;
        self.contact_or_not_found(&id).await
    }

    async fn update_contact(
        &self,
        id: &str,
        new: &NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactView, ContactError> {
        let (kind, c) = new.checked()?;
        self.contact_or_not_found(id).await?;
        self.number_free(c.number.as_deref(), id).await?;
        sqlx::query(
            "UPDATE contacts SET kind = $1, name = $2, company = $3, role = $4, number = $5,
               number_key = $6, escalate = $7, note = $8, updated_at = $9
             WHERE id = $10",
        )
        .bind(kind.as_str())
        .bind(&c.name)
        .bind(&c.company)
        .bind(&c.role)
        .bind(&c.number)
        .bind(c.number.as_deref().and_then(number_key))
        .bind(i64::from(c.escalate))
        .bind(&c.note)
        .bind(stamp(now))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(|e| contact_write_error(e, c.number.as_deref()))?;
        self.contact_or_not_found(id).await
    }

    async fn delete_contact(&self, id: &str) -> Result<bool, StoreError> {
        let r = sqlx::query("DELETE FROM contacts WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    async fn block_number(
        &self,
        number: &str,
        name: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ContactView, ContactError> {
        let wanted = NewContact {
            kind: Some(crate::logic::domain::ContactKind::Blocked),
            name: name.map(str::to_string),
            number: Some(number.to_string()),
            ..NewContact::default()
        };
        let (_, c) = wanted.checked()?;
        let key = c.number.as_deref().and_then(number_key);
        let holder: Option<String> =
            sqlx::query_scalar("SELECT id FROM contacts WHERE number_key = $1")
                .bind(&key)
                .fetch_optional(&self.pool)
                .await
                .map_err(StoreError::from)?;
        match holder {
            Some(id) => {
                sqlx::query(
                    "UPDATE contacts SET kind = 'blocked', name = COALESCE(name, $1), updated_at = $2
                     WHERE id = $3",
                )
                .bind(&c.name)
                .bind(stamp(now))
                .bind(&id)
                .execute(&self.pool)
                .await
                .map_err(StoreError::from)?;
                self.contact_or_not_found(&id).await
            }
            None => self.add_contact(&c, now).await,
        }
    }
}

#[async_trait]
impl CalendarSync for SqliteStore {
    async fn claim_calendar_writes(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> Result<Vec<CalendarWrite>, StoreError> {
        let ids: Vec<String> = sqlx::query(
            "SELECT appointment_id FROM calendar_writes WHERE next_attempt_at <= $1
             ORDER BY next_attempt_at LIMIT $2",
        )
        .bind(stamp(now))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get("appointment_id"))
        .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for id in ids {
            let claimed = sqlx::query(
                "UPDATE calendar_writes SET next_attempt_at = $1
                 WHERE appointment_id = $2 AND next_attempt_at <= $3",
            )
            .bind(stamp(now + lease))
            .bind(&id)
            .bind(stamp(now))
            .execute(&self.pool)
            .await?
            .rows_affected();
            if claimed == 0 {
                continue;
            }
            let r = sqlx::query(
                "SELECT a.*, w.version, w.attempts FROM appointments a
                 JOIN calendar_writes w ON w.appointment_id = a.id WHERE a.id = $1",
            )
            .bind(&id)
            .fetch_one(&self.pool)
            .await?;
            out.push(CalendarWrite {
                appointment: appointment_from_row(&r)?,
                version: r.try_get("version")?,
                attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
            });
        }
        Ok(out)
    }

    async fn calendar_written(
        &self,
        id: &str,
        version: i64,
        etag: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE appointments SET calendar_etag = $1 WHERE id = $2")
            .bind(etag)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM calendar_writes WHERE appointment_id = $1 AND version = $2")
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn calendar_write_failed(
        &self,
        id: &str,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE calendar_writes SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2
             WHERE appointment_id = $3",
        )
        .bind(error)
        .bind(stamp(retry_at))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn calendar_backlog(&self) -> Result<i64, StoreError> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM calendar_writes")
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get("n")?)
    }

    async fn next_calendar_write(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let r = sqlx::query("SELECT MIN(next_attempt_at) AS due FROM calendar_writes")
            .fetch_one(&self.pool)
            .await?;
        let due: Option<String> = r.try_get("due")?;
        Ok(due.as_deref().map(parse_stamp).transpose()?)
    }

    async fn synced_appointments(
        &self,
        from: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM appointments a WHERE status = 'booked' AND ends_at > $1
               AND calendar_etag IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM calendar_writes w WHERE w.appointment_id = a.id)
             ORDER BY starts_at",
        )
        .bind(stamp(from))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(appointment_from_row)
            .collect::<Result<_, _>>()?)
    }

    async fn appointments(&self) -> Result<Vec<Appointment>, StoreError> {
        let rows = sqlx::query("SELECT * FROM appointments ORDER BY starts_at, id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(appointment_from_row)
            .collect::<Result<_, _>>()?)
    }

    async fn moved_in_calendar(
        &self,
        id: &str,
        seen_etag: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        etag: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, BookError> {
        let mut tx = self.pool.begin().await?;
        let r = sqlx::query(
            "UPDATE appointments SET starts_at = $1, ends_at = $2, updated_at = $3, calendar_etag = $4
             WHERE id = $5 AND status = 'booked' AND calendar_etag = $6
               AND NOT EXISTS (SELECT 1 FROM calendar_writes w WHERE w.appointment_id = $5)",
        )
        .bind(stamp(start))
        .bind(stamp(end))
        .bind(stamp(now))
        .bind(etag)
        .bind(id)
        .bind(seen_etag)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        release_slots(&mut tx, id, 1).await?;
        claim_slots(&mut tx, id, start, end).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn deleted_in_calendar(
        &self,
        id: &str,
        seen_etag: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, BookError> {
        let mut tx = self.pool.begin().await?;
        let r = sqlx::query(
            "UPDATE appointments SET status = 'cancelled', updated_at = $1, calendar_etag = NULL
             WHERE id = $2 AND status = 'booked' AND calendar_etag = $3
               AND NOT EXISTS (SELECT 1 FROM calendar_writes w WHERE w.appointment_id = $2)",
        )
        .bind(stamp(now))
        .bind(id)
        .bind(seen_etag)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        release_slots(&mut tx, id, 1).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// An appointment's row, times in UTC.
fn appointment_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<Appointment, sqlx::Error> {
    Ok(Appointment {
        id: r.try_get("id")?,
        start: parse_stamp(&r.try_get::<String, _>("starts_at")?)?,
        end: parse_stamp(&r.try_get::<String, _>("ends_at")?)?,
        caller_name: r.try_get("caller_name")?,
        caller_number: r.try_get("caller_number")?,
        purpose: r.try_get("purpose")?,
        call_sid: r.try_get("call_sid")?,
        booked: r.try_get::<String, _>("status")? == "booked",
        calendar_etag: r.try_get("calendar_etag")?,
    })
}

/// The 15-minute granules `[start, end)` covers, as stored slot keys.
fn granules(start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<String> {
    let step = chrono::Duration::minutes(i64::from(crate::logic::calendar::GRANULE_MINUTES));
    let mut out = Vec::new();
    let mut t = start;
    while t < end {
        out.push(stamp(t));
        t += step;
    }
    out
}

/// A call's row as the API shows it (without its turns, events and notifications).
fn call_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<CallView, sqlx::Error> {
    let account: Option<String> = row.try_get("summary")?;
    let next_step: Option<String> = row.try_get("next_step")?;
    let summary = account.map(|account| Summary { account, next_step });
    Ok(CallView {
        call_sid: row.try_get("call_sid")?,
        from: row.try_get("from_number")?,
        to: row.try_get("to_number")?,
        started_at: row.try_get("started_at")?,
        ended_at: row.try_get("ended_at")?,
        status: named(row, "status")?,
        outcome: named_opt(row, "outcome")?,
        caller: CallerView {
            name: row.try_get("caller_name")?,
            company: row.try_get("caller_company")?,
            callback_number: row.try_get("callback_number")?,
        },
        purpose: row.try_get("purpose")?,
        message: row.try_get("message")?,
        category: named_opt(row, "category")?,
        urgency: named_opt(row, "urgency")?,
        summary: summary.as_ref().map(Summary::text),
        summary_parts: summary,
        escalation_reason: row.try_get("escalation_reason")?,
        inbox: named_opt(row, "inbox_kind")?,
        handled_at: row.try_get("handled_at")?,
        turns: None,
        events: None,
        notifications: None,
    })
}

fn notification_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<NotificationView, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(NotificationView {
        id: r.try_get("id")?,
        call_sid: r.try_get("call_sid")?,
        channel: named(r, "channel")?,
        event: named(r, "event")?,
        reason: r.try_get("reason")?,
        urgency: named_opt(r, "urgency")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        created_at: r.try_get("created_at")?,
        delivered_at: r.try_get("delivered_at")?,
        digest: r.try_get::<i64, _>("digest")? != 0,
        due_at: if status == "pending" {
            Some(r.try_get("next_attempt_at")?)
        } else {
            None
        },
        status,
    })
}

/// Appends an event to the call inside a transaction, numbered from the call's own counter
/// (migration 0006).
async fn insert_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    call_sid: &str,
    at: DateTime<Utc>,
    kind: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let seq: i64 = sqlx::query_scalar(
        "UPDATE calls SET events_logged = events_logged + 1 WHERE call_sid = $1 RETURNING events_logged",
    )
    .bind(call_sid)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(sqlx::Error::RowNotFound)?;
    sqlx::query(
        "INSERT INTO call_events (call_sid, seq, at, kind, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(call_sid)
    .bind(seq)
    .bind(stamp(at))
    .bind(kind)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts `notes` into the outbox inside `tx`, due at `due` or at their digest time.
async fn insert_notifications(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    call_sid: &str,
    notes: &[NewNotification],
    due: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for n in notes {
        sqlx::query(
            "INSERT INTO notifications (id, call_sid, channel, event, reason, urgency, payload, status, attempts, next_attempt_at, created_at, digest)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9, $10)",
        )
        .bind(&n.id)
        .bind(call_sid)
        .bind(n.channel.as_str())
        .bind(n.event.as_str())
        .bind(&n.reason)
        .bind(n.urgency.map(Urgency::as_str))
        .bind(&n.payload)
        .bind(stamp(n.digest_at.unwrap_or(due)))
        .bind(stamp(due))
        .bind(i64::from(n.digest_at.is_some()))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn parse_stamp(s: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Claims one `appointment_slots` row per granule `[start, end)` covers for appointment `id`:
/// the primary key refuses any overlap with another booking.
async fn claim_slots(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(), BookError> {
    for slot in granules(start, end) {
        sqlx::query("INSERT INTO appointment_slots (slot_start, appointment_id) VALUES ($1, $2)")
            .bind(slot)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Frees the time of appointment `id`, whose status update changed `updated` rows (none:
/// there is no booked appointment `id`).
async fn release_slots(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: &str,
    updated: u64,
) -> Result<(), BookError> {
    if updated == 0 {
        return Err(BookError::NotFound(id.to_string()));
    }
    sqlx::query("DELETE FROM appointment_slots WHERE appointment_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::domain::{Channel, NotifyEvent};

    async fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/log/calls.db", dir.path().display());
        let s = SqliteStore::open(&url).await.unwrap();
        (dir, s)
    }

    #[tokio::test]
    async fn events_and_attempts_written_at_once_each_get_their_own_number() {
        let (_d, s) = store().await;
        let t0 = Utc::now();
        s.begin_call("CA7", None, None, t0).await.unwrap();
        let writers = (0..40).map(|i| {
            let s = s.clone();
            tokio::spawn(async move { s.add_event("CA7", t0, "probe", &i.to_string()).await })
        });
        for w in writers {
            w.await.unwrap().unwrap();
        }
        let call = s.get_call("CA7").await.unwrap().unwrap();
        let mut details: Vec<i64> = call
            .events
            .unwrap()
            .iter()
            .map(|e| e.detail.parse().unwrap())
            .collect();
        details.sort();
        assert_eq!(details, (0..40).collect::<Vec<_>>(), "every event kept");
        let seqs: Vec<i64> =
            sqlx::query_scalar("SELECT seq FROM call_events WHERE call_sid = 'CA7' ORDER BY seq")
                .fetch_all(&s.pool)
                .await
                .unwrap();
        assert_eq!(seqs, (1..=40).collect::<Vec<_>>());
        // An event for a call that was never begun is refused, not numbered.
        assert!(s.add_event("CA-none", t0, "probe", "x").await.is_err());

        let note = NewNotification {
            id: "ntf_7".into(),
            channel: Channel::Webhook,
            event: NotifyEvent::Message,
            reason: None,
            urgency: None,
            payload: "{}".into(),
            digest_at: None,
        };
        s.end_call_notifying("CA7", CallStatus::Completed, t0, &[note], t0)
            .await
            .unwrap();
        let attempts = (0..10).map(|_| {
            let s = s.clone();
            tokio::spawn(async move {
                s.record_attempt("ntf_7", t0, Err("refused".into()), Some(t0))
                    .await
            })
        });
        for a in attempts {
            a.await.unwrap().unwrap();
        }
        let seqs: Vec<i64> = sqlx::query_scalar(
            "SELECT seq FROM notification_attempts WHERE notification_id = 'ntf_7' ORDER BY seq",
        )
        .fetch_all(&s.pool)
        .await
        .unwrap();
        assert_eq!(seqs, (1..=10).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn an_unanswered_transfer_is_noted_and_notified_once_however_often_it_is_reported() {
        let (_d, s) = store().await;
        let t0 = Utc::now();
        s.begin_call("CA9", Some("+16175550123"), None, t0)
            .await
            .unwrap();
        let note = |id: &str| NewNotification {
            id: id.into(),
            channel: Channel::Webhook,
            event: NotifyEvent::Escalation,
            reason: None,
            urgency: None,
            payload: "{}".into(),
            digest_at: None,
        };
        let (n1, n2) = (vec![note("ntf_a")], vec![note("ntf_b")]);
        let said = |account: &str| Summary {
            account: account.into(),
            next_step: Some("Jamie to call back.".into()),
        };
        let (s1, s2, s3) = (said("S1"), said("S2"), said("S3"));
        // Two retries of the same callback at once.
        let (a, b) = tokio::join!(
            s.amend_call_notifying("CA9", t0, "transfer_unanswered", "no-answer", &s1, &n1, t0),
            s.amend_call_notifying("CA9", t0, "transfer_unanswered", "no-answer", &s2, &n2, t0),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a ^ b, "exactly one is recorded: {a} {b}");
        assert_eq!(s.notifications_for("CA9").await.unwrap().len(), 1);
        let again = s
            .amend_call_notifying(
                "CA9",
                t0,
                "transfer_unanswered",
                "busy",
                &s3,
                &[note("ntf_c")],
                t0,
            )
            .await
            .unwrap();
        assert!(!again);
        let call = s.get_call("CA9").await.unwrap().unwrap();
        let noted = call
            .events
            .iter()
            .flatten()
            .filter(|e| e.kind == "transfer_unanswered")
            .count();
        assert_eq!(noted, 1);
        let kept = call.summary_parts.unwrap();
        assert!(kept.account == "S1" || kept.account == "S2", "{kept:?}");
        assert_eq!(kept.next_step.as_deref(), Some("Jamie to call back."));
        assert!(call
            .summary
            .unwrap()
            .ends_with(" Next step: Jamie to call back."));
    }

    #[tokio::test]
    async fn a_call_and_its_turns_round_trip() {
        let (_d, s) = store().await;
        let t0 = Utc::now();
        s.begin_call("CA1", Some("+16175550123"), Some("+16175550100"), t0)
            .await
            .unwrap();
        s.begin_call("CA1", None, None, t0).await.unwrap();
        s.add_turn("CA1", 1, Speaker::Agent, "Hello", t0, Some(120))
            .await
            .unwrap();
        s.add_turn("CA1", 2, Speaker::Caller, "Hi", t0, None)
            .await
            .unwrap();
        s.cut_turn("CA1", 1, "Hel").await.unwrap();
        s.update_caller(
            "CA1",
            &CallerInfo {
                name: Some("Jo".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        s.add_event("CA1", t0, "bad_frame", "frame is not valid JSON")
            .await
            .unwrap();
        s.set_outcome(
            "CA1",
            Outcome::Message,
            Some(&Summary {
                account: "Jo called.".into(),
                next_step: None,
            }),
        )
        .await
        .unwrap();
        s.end_call("CA1", CallStatus::Completed, t0).await.unwrap();
        let c = s.get_call("CA1").await.unwrap().unwrap();
        assert_eq!(c.from.as_deref(), Some("+16175550123"));
        assert_eq!(c.status, CallStatus::Completed);
        assert_eq!(c.caller.name.as_deref(), Some("Jo"));
        let turns = c.turns.unwrap();
        assert_eq!(turns[0].text, "Hel");
        assert!(turns[0].interrupted);
        assert_eq!(turns[1].speaker, Speaker::Caller);
        assert_eq!(c.events.unwrap()[0].kind, "bad_frame");
        assert_eq!(s.list_calls(10).await.unwrap().len(), 1);
        assert!(s.get_call("nope").await.unwrap().is_none());
    }

    #[tokio::test]
    async fn calls_left_open_are_listed_until_closed() {
        let (_d, s) = store().await;
        s.begin_call("CA2", None, None, Utc::now()).await.unwrap();
        s.begin_call("CA3", None, None, Utc::now()).await.unwrap();
        s.end_call("CA3", CallStatus::Completed, Utc::now())
            .await
            .unwrap();
        assert_eq!(s.open_calls().await.unwrap(), vec!["CA2".to_string()]);
    }
    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn appt(start: &str, minutes: i64) -> NewAppointment {
        let start = at(start);
        NewAppointment {
            start,
            end: start + chrono::Duration::minutes(minutes),
            caller_name: Some("Dana Kim".into()),
            caller_number: Some("+16175550111".into()),
            purpose: Some("budget review".into()),
            call_sid: None,
        }
    }

    #[tokio::test]
    async fn the_database_refuses_any_double_booking() {
        let (_d, s) = store().await;
        let now = Utc::now();
        let a = s
            .book(&appt("2026-11-25T14:00:00-05:00", 30), now)
            .await
            .unwrap();
        // Same start, and an hour-long meeting overlapping its second half: both refused.
        assert!(matches!(
            s.book(&appt("2026-11-25T14:00:00-05:00", 30), now).await,
            Err(BookError::Taken)
        ));
        assert!(matches!(
            s.book(&appt("2026-11-25T13:30:00-05:00", 60), now).await,
            Err(BookError::Taken)
        ));
        let b = s
            .book(&appt("2026-11-25T14:30:00-05:00", 30), now)
            .await
            .unwrap();
        // Moving onto a taken time fails and leaves the original where it was.
        assert!(matches!(
            s.move_appointment(
                &a,
                at("2026-11-25T14:30:00-05:00"),
                at("2026-11-25T15:00:00-05:00"),
                now
            )
            .await,
            Err(BookError::Taken)
        ));
        let booked = s.booked_from(at("2026-11-25T00:00:00Z")).await.unwrap();
        assert_eq!(booked.len(), 2);
        assert_eq!(booked[0].id, a);
        assert_eq!(booked[0].start, at("2026-11-25T14:00:00-05:00"));
        // Cancelling frees the time for someone else; a cancelled one cannot be cancelled again.
        s.cancel_appointment(&b, now).await.unwrap();
        assert!(matches!(
            s.cancel_appointment(&b, now).await,
            Err(BookError::NotFound(_))
        ));
        s.move_appointment(
            &a,
            at("2026-11-25T14:30:00-05:00"),
            at("2026-11-25T15:00:00-05:00"),
            now,
        )
        .await
        .unwrap();
        s.book(&appt("2026-11-25T14:00:00-05:00", 30), now)
            .await
            .unwrap();
        let all = s
            .list_appointments(chrono_tz::America::New_York)
            .await
            .unwrap();
        assert_eq!(all.len(), 3);
        let moved = all.iter().find(|v| v.id == a).unwrap();
        assert_eq!(moved.start, "2026-11-25T14:30:00-05:00");
        assert_eq!(moved.end, "2026-11-25T15:00:00-05:00");
        assert_eq!(all.iter().find(|v| v.id == b).unwrap().status, "cancelled");
    }
}
