-- The durable call log. Portable SQL (SQLite today, PostgreSQL later): no AUTOINCREMENT,
-- timestamps as RFC 3339 UTC text, composite keys instead of serial ids.

CREATE TABLE calls (
    call_sid        TEXT PRIMARY KEY,
    stream_sid      TEXT,
    from_number     TEXT,
    to_number       TEXT,
    started_at      TEXT NOT NULL,
    ended_at        TEXT,
    status          TEXT NOT NULL DEFAULT 'in_progress'
                    CHECK (status IN ('in_progress', 'completed', 'dropped')),
    outcome         TEXT,
    caller_name     TEXT,
    caller_company  TEXT,
    callback_number TEXT,
    purpose         TEXT,
    message         TEXT,
    recording_path  TEXT
);

CREATE INDEX calls_started_at ON calls (started_at);

CREATE TABLE turns (
    call_sid    TEXT NOT NULL REFERENCES calls (call_sid),
    seq         INTEGER NOT NULL,
    speaker     TEXT NOT NULL CHECK (speaker IN ('caller', 'agent')),
    text        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    latency_ms  INTEGER,
    interrupted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (call_sid, seq)
);

-- Things that went wrong or mattered on a call (bad frames, barge-ins), for the reviewer.
CREATE TABLE call_events (
    call_sid TEXT NOT NULL REFERENCES calls (call_sid),
    seq      INTEGER NOT NULL,
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL,
    PRIMARY KEY (call_sid, seq)
);
