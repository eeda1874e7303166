-- Sequence numbers come from a counter on the parent row, bumped in the transaction that
-- inserts the child: the parent's row lock serialises concurrent writers (in PostgreSQL as in
-- SQLite), where two writers reading MAX(seq) + 1 at once would both take the same number.
-- Notification attempts already count in notifications.attempts; call events get their own.
ALTER TABLE calls ADD COLUMN events_logged INTEGER NOT NULL DEFAULT 0;
UPDATE calls SET events_logged =
    (SELECT COALESCE(MAX(seq), 0) FROM call_events WHERE call_events.call_sid = calls.call_sid);
