//! Password hashing with argon2id (PHC strings), off the async runtime.
//!
//! Verification takes the same time whether or not the account exists: an unknown account is
//! checked against a fixed dummy hash, so response time does not reveal which emails exist.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::{Error, Result};

/// Shortest accepted password.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest accepted password (argon2 hashes anything, but unbounded input is a DoS vector).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Hashes `password` into a PHC string.
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| Error::Internal(format!("password hashing task failed: {e}")))?
}

/// Hashes `password` on the current thread (CLI and seeding).
pub fn hash_blocking(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h: PasswordHash| h.to_string())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches `stored` (a PHC string). With `None` — no such account, or an
/// account without a password — a dummy hash is checked so the time taken is the same.
pub async fn verify(password: &str, stored: Option<String>) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || verify_blocking(&password, stored.as_deref()))
        .await
        .unwrap_or(false)
}

fn verify_blocking(password: &str, stored: Option<&str>) -> bool {
    let candidate = stored.and_then(|s| PasswordHash::new(s).ok());
    let matched = match &candidate {
        Some(hash) => Argon2::default()
            .verify_password(password.as_bytes(), hash)
            .is_ok(),
        None => {
            if let Some(dummy) = dummy_hash() {
                let _ = Argon2::default().verify_password(password.as_bytes(), dummy);
            }
            false
        }
    };
    matched && candidate.is_some()
}

fn dummy_hash() -> Option<&'static PasswordHash> {
    static DUMMY: OnceLock<Option<PasswordHash>> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            hash_blocking("khuyenhoc-dummy-password")
                .ok()
                .and_then(|s| PasswordHash::new(&s).ok())
        })
        .as_ref()
}

/// Checks a new password against the length rules; `field` names the input for errors.
pub fn validate_new(password: &str, field: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::invalid(
            field,
            "TOO_SHORT",
            format!("a password needs at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::invalid(
            field,
            "TOO_LONG",
            "the password is too long",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_reject() {
        let stored = hash_blocking("demo-password").ok();
        assert!(
            stored
                .as_deref()
                .is_some_and(|s| s.starts_with("$argon2id$"))
        );
        assert!(verify_blocking("demo-password", stored.as_deref()));
        assert!(!verify_blocking("wrong-password", stored.as_deref()));
        assert!(!verify_blocking("demo-password", None));
        assert!(!verify_blocking("demo-password", Some("not a phc string")));
    }
}
