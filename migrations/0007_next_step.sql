-- A call's next step is data, not the tail of its summary: `summary` holds what happened,
-- `next_step` what happens now (a missed transfer replaces the next step without re-reading
-- prose). Summaries written before are split where they said " Next step: " (with SQLite's
-- instr(): only an existing SQLite log has old summaries; a PostgreSQL schema starts with both
-- columns and has nothing to split).
ALTER TABLE calls ADD COLUMN next_step TEXT;
UPDATE calls
SET next_step = substr(summary, instr(summary, ' Next step: ') + 12),
    summary = substr(summary, 1, instr(summary, ' Next step: ') - 1)
WHERE instr(summary, ' Next step: ') > 0;
