-- The receptionist: screening results on the call, and the executive's appointments.
-- Portable SQL (SQLite today, PostgreSQL later).

ALTER TABLE calls ADD COLUMN category TEXT;
ALTER TABLE calls ADD COLUMN urgency TEXT;
ALTER TABLE calls ADD COLUMN summary TEXT;
ALTER TABLE calls ADD COLUMN escalation_reason TEXT;

CREATE TABLE appointments (
    id            TEXT PRIMARY KEY,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    caller_name   TEXT,
    caller_number TEXT,
    purpose       TEXT,
    call_sid      TEXT,
    status        TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE INDEX appointments_starts_at ON appointments (starts_at);
CREATE INDEX appointments_caller ON appointments (caller_number, status);

-- No double booking, enforced here: one row per 15-minute granule a booked appointment covers.
-- A second booking of any overlapping time violates the primary key and is refused, whichever
-- call or instance tries. Cancelling or moving deletes the rows.
CREATE TABLE appointment_slots (
    slot_start     TEXT PRIMARY KEY,
    appointment_id TEXT NOT NULL REFERENCES appointments (id)
);
