-- The executive's own calendar (CalDAV): each appointment's event there, and a durable queue
-- of the writes still to make. Portable SQL (SQLite today, PostgreSQL later).

-- The ETag of the appointment's event in the executive's calendar as last written or read;
-- NULL while it is not there (never written, or deleted).
ALTER TABLE appointments ADD COLUMN calendar_etag TEXT;

-- One row per appointment whose event must be brought in line with it (PUT while it is booked,
-- DELETE once it is cancelled), inserted in the transaction that books, moves or cancels it.
-- A later change bumps `version` and makes it due at once; a write settles (deletes) the row
-- only if no change came meanwhile. Retried with backoff until the server takes it.
CREATE TABLE calendar_writes (
    appointment_id  TEXT PRIMARY KEY REFERENCES appointments (id),
    version         INTEGER NOT NULL DEFAULT 1,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,      -- also the lease: the writer pushes it ahead first
    last_error      TEXT,
    created_at      TEXT NOT NULL
);

CREATE INDEX calendar_writes_due ON calendar_writes (next_attempt_at);
