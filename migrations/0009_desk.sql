-- The executive's desk: the inbox's handled flag and the contacts kept in the database.
-- Portable SQL (SQLite today, PostgreSQL later).

-- A closed call that needs a human (an escalation, a message, a missed call, a meeting booked,
-- moved or cancelled by phone) is in the inbox until someone marks it handled; reopening it
-- clears the stamp. Which calls are inbox items is decided from the call's own columns when
-- read (see `store::sqlite`), so calls logged before this migration are in the inbox too.
ALTER TABLE calls ADD COLUMN handled_at TEXT;

CREATE INDEX calls_handled ON calls (handled_at);

-- VIPs, known and blocked callers added from the desk. Screening reads them with the
-- persona's lists at each call's start; a contact here replaces the persona's entry with the
-- same number. One contact per number: `number_key` is the number's last ten digits, the part
-- screening compares ("+1 617 555 0199" and "6175550199" are one number).
CREATE TABLE contacts (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('vip', 'known', 'blocked')),
    name       TEXT,
    company    TEXT,
    role       TEXT,
    number     TEXT,
    number_key TEXT UNIQUE,
    escalate   INTEGER NOT NULL DEFAULT 0,
    note       TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (name IS NOT NULL OR number IS NOT NULL)
);
