-- Routine messages can wait for the morning digest: such a notification is due at the digest
-- time and is sent together with the others due then, one message per channel. Portable SQL.

ALTER TABLE notifications ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
