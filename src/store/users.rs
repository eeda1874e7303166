//! The dashboard's people: users and their password hashes, failed sign-ins (for the lockout),
//! sessions, and the secrets an instance generates for itself. The [`Users`] port, and its
//! SQLite implementation.
//!
//! **Architecture Invariant:** only hashes are stored, never a password; a session row is the
//! whole truth about a signed-in browser (signing out deletes it).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{stamp, SqliteStore, StoreError};

/// Users, failed sign-ins, sessions and instance secrets.
#[async_trait]
pub trait Users: Send + Sync {
    /// Adds a user, or replaces the password hash of one with that name.
    async fn set_user(
        &self,
        name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// A stored user's password hash (argon2 PHC string); `None` for no such user.
    async fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError>;

    /// Notes a failed sign-in for `name` (whether or not such a user exists).
    async fn note_failed_sign_in(&self, name: &str, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Failed sign-ins for `name` at or after `since`.
    async fn failed_sign_ins_since(
        &self,
        name: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError>;

    /// Forgets `name`'s failed sign-ins (after a successful one).
    async fn clear_failed_sign_ins(&self, name: &str) -> Result<(), StoreError>;

    /// Records a signed-in session.
    async fn open_session(
        &self,
        id: &str,
        user: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The user of session `id` if it exists and has not expired at `now`.
    async fn session_user(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError>;

    /// Ends session `id` (signing out).
    async fn close_session(&self, id: &str) -> Result<(), StoreError>;

    /// The instance secret called `name`: the stored one, or `fresh`, stored now, when there is
    /// none yet (two instances racing both read the one that won).
    async fn instance_secret(&self, name: &str, fresh: &str) -> Result<String, StoreError>;
}

#[async_trait]
impl Users for SqliteStore {
    async fn set_user(
        &self,
        name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
        )
        .bind(name)
        .bind(password_hash)
        .bind(stamp(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT password_hash FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("password_hash")?),
            None => None,
        })
    }

    async fn note_failed_sign_in(&self, name: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sign_in_failures (name, at) VALUES ($1, $2)")
            .bind(name)
            .bind(stamp(at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn failed_sign_ins_since(
        &self,
        name: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM sign_in_failures WHERE name = $1 AND at >= $2")
                .bind(name)
                .bind(stamp(since))
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("n")?)
    }

    async fn clear_failed_sign_ins(&self, name: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE name = $1")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn open_session(
        &self,
        id: &str,
        user: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id, user_name, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(user)
        .bind(stamp(now))
        .bind(stamp(expires))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_user(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT user_name FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id)
            .bind(stamp(now))
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("user_name")?),
            None => None,
        })
    }

    async fn close_session(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn instance_secret(&self, name: &str, fresh: &str) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .execute(&self.pool)
        .await?;
        let row = sqlx::query("SELECT value FROM instance_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("value")?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[tokio::test]
    async fn users_failures_sessions_and_secrets_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/users.db", dir.path().display());
        let store = SqliteStore::open(&url).await.unwrap();
        let t0 = at("2026-11-24T23:00:00Z");

        assert_eq!(store.password_hash("alex").await.unwrap(), None);
        store.set_user("alex", "h1", t0).await.unwrap();
        store.set_user("alex", "h2", t0).await.unwrap();
        assert_eq!(
            store.password_hash("alex").await.unwrap().as_deref(),
            Some("h2")
        );

        store.note_failed_sign_in("alex", t0).await.unwrap();
        store
            .note_failed_sign_in("alex", t0 + chrono::Duration::minutes(20))
            .await
            .unwrap();
        let since = t0 + chrono::Duration::minutes(10);
        assert_eq!(store.failed_sign_ins_since("alex", since).await.unwrap(), 1);
        assert_eq!(store.failed_sign_ins_since("sam", since).await.unwrap(), 0);
        store.clear_failed_sign_ins("alex").await.unwrap();
        assert_eq!(store.failed_sign_ins_since("alex", t0).await.unwrap(), 0);

        let expires = t0 + chrono::Duration::hours(1);
        store.open_session("s1", "alex", t0, expires).await.unwrap();
        assert_eq!(
            store.session_user("s1", t0).await.unwrap().as_deref(),
            Some("alex")
        );
        assert_eq!(store.session_user("s1", expires).await.unwrap(), None);
        assert_eq!(store.session_user("s2", t0).await.unwrap(), None);
        store.close_session("s1").await.unwrap();
        assert_eq!(store.session_user("s1", t0).await.unwrap(), None);

        assert_eq!(store.instance_secret("session", "a").await.unwrap(), "a");
        assert_eq!(store.instance_secret("session", "b").await.unwrap(), "a");
    }
}
