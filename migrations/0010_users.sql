-- The dashboard's people and their sessions. Portable SQL (SQLite today, PostgreSQL later).

-- Users added with `frontdesk user add`: an argon2id hash (PHC string), never the password.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Failed sign-ins, per name (known or not): enough of them in the window locks the name out.
CREATE TABLE sign_in_failures (
    name TEXT NOT NULL,
    at   TEXT NOT NULL
);

CREATE INDEX sign_in_failures_name ON sign_in_failures (name, at);

-- A signed-in browser: the cookie carries the id, signed with the instance secret. Signing out
-- deletes the row, so a copied cookie dies with it.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Secrets this instance generated for itself when the config gave none (the session key).
CREATE TABLE instance_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
