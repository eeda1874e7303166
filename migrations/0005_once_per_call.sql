-- Some events happen at most once per call, whoever records them: an unanswered live transfer
-- notifies the on-call human again exactly once, however often (or concurrently) the provider
-- retries its dial-status callback. A constraint, not a check before the insert. Portable SQL
-- (partial unique indexes exist in SQLite and PostgreSQL).

DELETE FROM call_events
WHERE kind = 'transfer_unanswered'
  AND seq > (SELECT MIN(e.seq) FROM call_events e
             WHERE e.call_sid = call_events.call_sid AND e.kind = 'transfer_unanswered');

CREATE UNIQUE INDEX call_events_once ON call_events (call_sid, kind)
WHERE kind = 'transfer_unanswered';
