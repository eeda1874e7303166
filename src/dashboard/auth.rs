//! Who may use the dashboard: password hashes (argon2id), signed session cookies, form tokens
//! tied to the session (CSRF), and the lockout after repeated failed sign-ins.
//!
//! A session cookie is `<id>.<HMAC-SHA256(key, "session:" + id)>`: the id names a row in the
//! `sessions` table, the signature proves this instance (its secret) issued it. A form token is
//! `HMAC-SHA256(key, "csrf:" + id)`: no storage, valid for that session only. Before sign-in,
//! the sign-in form is tied the same way to a random nonce in its own short cookie.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use hmac::Mac;

use crate::services::Services;
use crate::store::StoreError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "fd_session";
/// The sign-in form's nonce cookie.
pub const SIGNIN_COOKIE: &str = "fd_signin";
/// Failed sign-ins within [`LOCKOUT_MINUTES`] that lock a name out.
pub const LOCKOUT_FAILURES: i64 = 5;
/// The lockout window, minutes.
pub const LOCKOUT_MINUTES: i64 = 15;
/// How long a session lasts, hours.
pub const SESSION_HOURS: i64 = 7 * 24;

/// A password that could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("the password is empty")]
    EmptyPassword,
    #[error("the user name {0:?} is not valid: use letters, digits, '.', '-', '_' or '@'")]
    BadName(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An argon2id hash of `password` (PHC string) with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    if password.is_empty() {
        return Err(AuthError::EmptyPassword);
    }
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| AuthError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

/// Whether `password` matches `hash` (a PHC string); a malformed hash matches nothing.
pub fn password_matches(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Whether `name` is a user name the dashboard accepts.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
}

/// Adds (or re-keys) a dashboard user in the database: what `frontdesk user add` does.
pub async fn add_user(
    store: &dyn crate::store::Users,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    if !valid_name(name) {
        return Err(AuthError::BadName(name.to_string()));
    }
    let hash = hash_password(password)?;
    store.set_user(name, &hash, now).await?;
    Ok(())
}

fn mac(key: &[u8; 32], purpose: &str, value: &str) -> hmac::Hmac<sha2::Sha256> {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts any key");
    mac.update(purpose.as_bytes());
    mac.update(b":");
    mac.update(value.as_bytes());
    mac
}

/// Hex HMAC of `value` for `purpose` under `key`.
pub fn sign(key: &[u8; 32], purpose: &str, value: &str) -> String {
    crate::hex(&mac(key, purpose, value).finalize().into_bytes())
}

/// Whether `signature` (hex) is `value`'s for `purpose`, compared in constant time.
pub fn verify(key: &[u8; 32], purpose: &str, value: &str, signature: &str) -> bool {
    let Some(bytes) = unhex(signature) else {
        return false;
    };
    mac(key, purpose, value).verify_slice(&bytes).is_ok()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// The session cookie's value for session `id`.
pub fn session_cookie_value(key: &[u8; 32], id: &str) -> String {
    format!("{id}.{}", sign(key, "session", id))
}

/// The session id a cookie value carries, if this instance signed it.
pub fn session_id_from_cookie<'a>(key: &[u8; 32], value: &'a str) -> Option<&'a str> {
    let (id, signature) = value.rsplit_once('.')?;
    verify(key, "session", id, signature).then_some(id)
}

/// The form token for session `id`.
pub fn csrf_token(key: &[u8; 32], session_id: &str) -> String {
    sign(key, "csrf", session_id)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when served over https.
pub fn set_cookie(svc: &Services, name: &str, value: &str, max_age_secs: i64) -> String {
    let secure = if svc.config.https() { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Why a sign-in was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Wrong name or password.
    Wrong,
    /// Too many failures lately: refused whatever the password.
    LockedOut,
}

/// Checks a sign-in: the lockout first, then the config's users, then the database's. A
/// failure is counted against the name tried, known or not.
pub async fn check_sign_in(
    svc: &Services,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), Refusal>, StoreError> {
    let since = now - chrono::Duration::minutes(LOCKOUT_MINUTES);
    if svc.store.failed_sign_ins_since(name, since).await? >= LOCKOUT_FAILURES {
        svc.store.note_failed_sign_in(name, now).await?;
        return Ok(Err(Refusal::LockedOut));
    }
    let stored = match svc.config.users.iter().find(|u| u.name == name) {
        Some(u) => Some(u.password_hash.clone()),
        None => svc.store.password_hash(name).await?,
    };
    let known = stored.is_some();
    // A name with no user still costs a hash, so timing does not tell names apart.
    let hash = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
    let ok = tokio::task::spawn_blocking({
        let password = password.to_string();
        move || password_matches(&hash, &password)
    })
    .await
    .unwrap_or(false);
    if ok && known {
        svc.store.clear_failed_sign_ins(name).await?;
        Ok(Ok(()))
    } else {
        svc.store.note_failed_sign_in(name, now).await?;
        Ok(Err(Refusal::Wrong))
    }
}

/// A valid argon2id hash of a random string nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$JmE5dM1fmGSxnKXmb+PV0nDxj1WX0pBT0MUm3PnkmYo";

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    #[test]
    fn a_password_matches_its_hash_only() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(password_matches(&h, "correct horse"));
        assert!(!password_matches(&h, "correct horsE"));
        assert!(!password_matches("not a hash", "correct horse"));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(matches!(hash_password(""), Err(AuthError::EmptyPassword)));
    }

    #[test]
    fn a_session_cookie_holds_only_under_its_key() {
        let v = session_cookie_value(&KEY, "abc");
        assert_eq!(session_id_from_cookie(&KEY, &v), Some("abc"));
        assert_eq!(session_id_from_cookie(&[8; 32], &v), None);
        assert_eq!(session_id_from_cookie(&KEY, "abc"), None);
        assert_eq!(session_id_from_cookie(&KEY, "abd.00"), None);
        let forged = format!("abd.{}", &v[4..]);
        assert_eq!(session_id_from_cookie(&KEY, &forged), None);
        assert_eq!(session_id_from_cookie(&KEY, "x.zz"), None);
        assert_eq!(session_id_from_cookie(&KEY, "x.é1"), None);
    }

    #[test]
    fn a_form_token_belongs_to_one_session() {
        let t = csrf_token(&KEY, "s1");
        assert!(verify(&KEY, "csrf", "s1", &t));
        assert!(!verify(&KEY, "csrf", "s2", &t));
        assert!(!verify(&KEY, "session", "s1", &t));
    }

    #[test]
    fn cookies_are_read_from_every_header() {
        let mut h = axum::http::HeaderMap::new();
        h.append("cookie", "a=1; fd_session=x.y".parse().unwrap());
        h.append("cookie", "b=2".parse().unwrap());
        assert_eq!(cookie(&h, "fd_session"), Some("x.y"));
        assert_eq!(cookie(&h, "b"), Some("2"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn names_are_plain() {
        for ok in ["alex", "sam.lee", "a_b-c@x"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "a b", "<x>", &"a".repeat(65)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
