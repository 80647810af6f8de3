//! Argon2id password hashes. Hashing is deliberately slow, so it runs off the async threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub async fn hash(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
    })
    .await?
}

/// Checks a password against a stored hash. With no account (`stored_hash` empty) it still
/// spends the time of a hash, so response times do not tell which logins exist.
pub async fn verify(password: &str, stored_hash: &str) -> bool {
    if stored_hash.is_empty() {
        let _ = hash(password).await;
        return false;
    }
    let password = password.to_owned();
    let stored_hash = stored_hash.to_owned();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored_hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_are_salted_argon2id_and_verify() {
        let first = super::hash("voxdial2026").await.unwrap_or_default();
        let second = super::hash("voxdial2026").await.unwrap_or_default();
        assert!(first.starts_with("$argon2id$"));
        assert_ne!(first, second);
        assert!(super::verify("voxdial2026", &first).await);
        assert!(!super::verify("voxdial2027", &first).await);
        assert!(!super::verify("voxdial2026", "not a hash").await);
    }
}
