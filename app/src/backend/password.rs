//! Password hashing (SEC-1): argon2id at OWASP parameters, off the async runtime, at most a
//! few at a time, and the same work for unknown users as for known ones.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash as ParsedHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::domain::{CommonPasswords, Password};

/// A stored argon2id hash (PHC string). Not `Serialize`, and `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(secret: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    argon2().hash_password(secret.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

fn verify_blocking(candidate: &str, phc: &str) -> bool {
    match ParsedHash::new(phc) {
        Ok(parsed) => argon2().verify_password(candidate.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    dummy: Arc<String>,
}

impl PasswordHasher {
    /// `concurrency` bounds parallel hashes (each takes 19 MiB and a core for ~20 ms).
    pub fn new(concurrency: usize) -> Self {
        let dummy = hash_blocking("gatehouse-dummy-password-for-unknown-users").expect("dummy hash");
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))), dummy: Arc::new(dummy) }
    }

    pub async fn hash(&self, password: &Password) -> Result<PasswordHash, String> {
        self.hash_secret(password.expose_secret().to_owned()).await
    }

    async fn hash_secret(&self, secret: String) -> Result<PasswordHash, String> {
        let _permit = self.permits.acquire().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(move || hash_blocking(&secret)).await.map_err(|e| e.to_string())?.map(PasswordHash)
    }

    /// Verifies `candidate` against `stored`; with no stored hash it verifies against a dummy
    /// hash and answers false, so unknown usernames cost the same time (LOG-1).
    pub async fn verify(&self, candidate: String, stored: Option<&PasswordHash>) -> bool {
        let (phc, real) = match stored {
            Some(hash) => (hash.0.clone(), true),
            None => ((*self.dummy).clone(), false),
        };
        let Ok(_permit) = self.permits.acquire().await else { return false };
        let ok = tokio::task::spawn_blocking(move || verify_blocking(&candidate, &phc)).await.unwrap_or(false);
        ok && real
    }
}

/// Hashes an operator-supplied secret that bypasses the REG-9 policy (the bootstrap admin
/// password of OPS-5, which must be changed at first sign-in anyway).
pub async fn hash_unchecked(hasher: &PasswordHasher, secret: String) -> Result<PasswordHash, String> {
    hasher.hash_secret(secret).await
}

/// REG-9's bundled list: the ~100,000 common and breached passwords shipped by the maintained
/// `passwords` crate, checked as typed and lower-cased.
#[derive(Debug, Default, Clone, Copy)]
pub struct CommonPasswordList;

impl CommonPasswords for CommonPasswordList {
    fn contains(&self, candidate: &str) -> bool {
        passwords::analyzer::is_common_password(candidate)
            || passwords::analyzer::is_common_password(candidate.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{NoCommonList, PasswordContext, PasswordPolicy};

    fn password(raw: &str) -> Password {
        let ctx = PasswordContext { username: "someone", first_name: "Ann", last_name: "Lee" };
        Password::parse(raw.to_owned(), &PasswordPolicy::default(), &ctx, &NoCommonList).unwrap()
    }

    // covers: SEC-1
    #[tokio::test]
    async fn a_hash_is_argon2id_at_owasp_parameters_and_verifies() {
        let hasher = PasswordHasher::new(2);
        let hash = hasher.hash(&password("correct horse battery")).await.unwrap();
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hasher.verify("correct horse battery".into(), Some(&hash)).await);
        assert!(!hasher.verify("wrong horse battery".into(), Some(&hash)).await);
        assert_eq!(format!("{hash:?}"), "PasswordHash(***)");
    }

    // covers: LOG-1
    #[tokio::test]
    async fn unknown_users_never_verify_even_with_the_dummy_password() {
        let hasher = PasswordHasher::new(1);
        assert!(!hasher.verify("gatehouse-dummy-password-for-unknown-users".into(), None).await);
    }

    // covers: REG-9
    #[test]
    fn the_bundled_list_is_large_and_catches_common_passwords() {
        let list = CommonPasswordList;
        assert!(list.contains("password1"));
        assert!(list.contains("PASSWORD1"));
        assert!(list.contains("qwertyuiop"));
        assert!(!list.contains("violet-anchor-trumpet-42"));
    }
}
