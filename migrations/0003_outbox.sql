-- The transactional outbox: a notification is inserted in the same transaction that closes the
-- call which caused it, then a delivery worker sends it with retries. Portable SQL.

CREATE TABLE notifications (
    id              TEXT PRIMARY KEY,   -- also the idempotency key receivers see
    call_sid        TEXT NOT NULL REFERENCES calls (call_sid),
    channel         TEXT NOT NULL,      -- webhook (slack, email to follow)
    event           TEXT NOT NULL,      -- escalation | message
    reason          TEXT,
    urgency         TEXT,
    payload         TEXT NOT NULL,      -- the body, exactly as it is sent
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,      -- also the lease: a worker pushes it ahead before sending
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT
);

CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_call ON notifications (call_sid);

-- Every delivery attempt, for the reviewer.
CREATE TABLE notification_attempts (
    notification_id TEXT NOT NULL REFERENCES notifications (id),
    seq             INTEGER NOT NULL,
    at              TEXT NOT NULL,
    ok              INTEGER NOT NULL,
    detail          TEXT NOT NULL,
    PRIMARY KEY (notification_id, seq)
);
