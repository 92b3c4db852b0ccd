//! Password hashing (SEC-1): argon2id at OWASP parameters, off the async runtime, at most a
//! few at a time, and the same work for unknown users as for known ones.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{PasswordHash as ParsedHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, SemaphorePermit};

use crate::backend::error::ServiceError;
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

/// Why a hash or a verification did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    /// Every hasher stayed busy for longer than the wait limit (SEC-1): the caller answers
    /// "busy" rather than queue without end.
    #[error("every password hasher is busy")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

impl From<HashError> for ServiceError {
    fn from(err: HashError) -> Self {
        match err {
            HashError::Busy => ServiceError::Busy,
            HashError::Failed(detail) => ServiceError::Internal(detail),
        }
    }
}

/// How long a request waits for a hasher by default before it is told "busy".
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(3);

/// The threads hashes run on: as many as may hash at once, for as long as the hasher lives.
/// Each hash takes a 19 MiB block, and the allocator keeps a freed block for the thread that
/// used it. On tokio's blocking pool, where file and SQLite work runs too, every thread that
/// ever hashed kept one: the bench's peak RSS under the sign-in load was 410 MiB (issue 11's
/// limit is 400). On threads of their own, at most one block per hashing thread is kept.
struct HashThreads {
    jobs: std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>,
}

impl HashThreads {
    fn start(count: usize) -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..count {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || loop {
                    // Ends when the hasher is dropped (the sender with it).
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                })
                .expect("a hashing thread starts");
        }
        Self { jobs }
    }

    /// Runs `work` on a hashing thread. A panic in it fails this one call, not the thread.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
        let (done, answer) = tokio::sync::oneshot::channel();
        let job = Box::new(move || {
            if let Ok(value) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
                let _ = done.send(value);
            }
        });
        self.jobs.send(job).map_err(|_| HashError::Failed("the hashing threads have stopped".into()))?;
        answer.await.map_err(|_| HashError::Failed("a hash failed on its thread".into()))
    }
}

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    threads: Arc<HashThreads>,
    concurrency: u32,
    max_wait: Duration,
    dummy: Arc<String>,
    /// Requests waiting for a permit now (the metrics' queue depth).
    waiting: Arc<AtomicUsize>,
    /// Hashes and verifications started since start-up, real or against the dummy hash (LOG-1:
    /// an unknown username costs what a known one does; the tests count them).
    operations: Arc<AtomicU64>,
}

impl PasswordHasher {
    /// `concurrency` bounds parallel hashes (each takes 19 MiB and a core for ~20 ms); a caller
    /// waits at most [`DEFAULT_MAX_WAIT`] for one.
    pub fn new(concurrency: usize) -> Self {
        Self::with_max_wait(concurrency, DEFAULT_MAX_WAIT)
    }

    /// As [`PasswordHasher::new`], answering [`HashError::Busy`] after `max_wait` in the queue.
    pub fn with_max_wait(concurrency: usize, max_wait: Duration) -> Self {
        let dummy = hash_blocking("gatehouse-dummy-password-for-unknown-users").expect("dummy hash");
        let concurrency = concurrency.clamp(1, 1024);
        Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            threads: Arc::new(HashThreads::start(concurrency)),
            concurrency: concurrency as u32,
            max_wait,
            dummy: Arc::new(dummy),
            waiting: Arc::default(),
            operations: Arc::default(),
        }
    }

    /// Takes every hashing permit until the returned guard is dropped: a saturated hasher, for
    /// tests of SEC-1's busy answer.
    pub async fn occupy_all(&self) -> OwnedSemaphorePermit {
        self.permits.clone().acquire_many_owned(self.concurrency).await.expect("the semaphore is never closed")
    }

    /// Requests waiting for a hashing permit.
    pub fn queue_depth(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Hashes or verifications running now.
    pub fn in_use(&self) -> usize {
        self.concurrency as usize - self.permits.available_permits().min(self.concurrency as usize)
    }

    /// Hashes and verifications started since start-up (known and unknown usernames alike).
    pub fn operations(&self) -> u64 {
        self.operations.load(Ordering::Relaxed)
    }

    async fn permit(&self) -> Result<SemaphorePermit<'_>, HashError> {
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::Relaxed);
            }
        }
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(self.max_wait, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(closed)) => Err(HashError::Failed(closed.to_string())),
            Err(_elapsed) => Err(HashError::Busy),
        }
    }

    pub async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        self.hash_secret(password.expose_secret().to_owned()).await
    }

    async fn hash_secret(&self, secret: String) -> Result<PasswordHash, HashError> {
        let _permit = self.permit().await?;
        self.operations.fetch_add(1, Ordering::Relaxed);
        self.threads.run(move || hash_blocking(&secret)).await?.map(PasswordHash).map_err(HashError::Failed)
    }

    /// Verifies `candidate` against `stored`; with no stored hash it verifies against a dummy
    /// hash and answers false, so unknown usernames cost the same time (LOG-1).
    pub async fn verify(&self, candidate: String, stored: Option<&PasswordHash>) -> Result<bool, HashError> {
        let (phc, real) = match stored {
            Some(hash) => (hash.0.clone(), true),
            None => ((*self.dummy).clone(), false),
        };
        let _permit = self.permit().await?;
        self.operations.fetch_add(1, Ordering::Relaxed);
        let ok = self.threads.run(move || verify_blocking(&candidate, &phc)).await?;
        Ok(ok && real)
    }
}

/// Hashes an operator-supplied secret that bypasses the REG-9 policy (a generated bootstrap
/// admin password of OPS-5, which must be changed at first sign-in anyway).
pub async fn hash_unchecked(hasher: &PasswordHasher, secret: String) -> Result<PasswordHash, HashError> {
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
    async fn hashes_run_on_the_hashers_own_threads_and_a_panic_fails_only_its_call() {
        let hasher = PasswordHasher::new(2);
        let name = hasher.threads.run(|| std::thread::current().name().map(str::to_owned)).await.unwrap();
        assert!(name.is_some_and(|n| n.starts_with("argon2-")), "not on tokio's blocking pool");
        let failed = hasher.threads.run(|| -> u8 { panic!("a broken hash") }).await;
        assert!(matches!(failed, Err(HashError::Failed(_))));
        for _ in 0..3 {
            assert_eq!(hasher.threads.run(|| 7).await, Ok(7), "both threads still serve");
        }
    }

    // covers: SEC-1
    #[tokio::test]
    async fn a_hash_is_argon2id_at_owasp_parameters_and_verifies() {
        let hasher = PasswordHasher::new(2);
        let hash = hasher.hash(&password("correct horse battery")).await.unwrap();
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(hasher.verify("correct horse battery".into(), Some(&hash)).await, Ok(true));
        assert_eq!(hasher.verify("wrong horse battery".into(), Some(&hash)).await, Ok(false));
        assert_eq!(format!("{hash:?}"), "PasswordHash(***)");
    }

    // covers: SEC-1
    #[tokio::test]
    async fn a_caller_waiting_longer_than_the_limit_for_a_hasher_is_told_busy() {
        let hasher = PasswordHasher::with_max_wait(1, Duration::from_millis(50));
        // A slow hash holds the only permit.
        let slow_job = hasher.occupy_all().await;
        let answered = tokio::time::timeout(Duration::from_secs(60), hasher.hash(&password("correct horse battery")))
            .await
            .expect("an answer within the wait limit, not a queue without end");
        assert_eq!(answered, Err(HashError::Busy), "busy, not a hash");
        let answered = tokio::time::timeout(Duration::from_secs(60), hasher.verify("x".into(), None)).await;
        assert_eq!(answered, Ok(Err(HashError::Busy)), "verify answers busy too");
        drop(slow_job);
        assert!(hasher.hash(&password("correct horse battery")).await.is_ok(), "a free hasher hashes again");
    }

    // covers: LOG-1
    #[tokio::test]
    async fn unknown_users_never_verify_even_with_the_dummy_password() {
        let hasher = PasswordHasher::new(1);
        assert_eq!(hasher.verify("gatehouse-dummy-password-for-unknown-users".into(), None).await, Ok(false));
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
