//! The outbox dispatcher (NOT-3): claims due messages with a lease, sends them over SMTP or
//! writes them as `.eml` files, marks them sent, or schedules a retry with backoff.
//!
//! Delivery is at-least-once: a crash between a successful send and `mark_sent` leaves the row
//! queued, and it is sent again once its lease expires. A database that refuses the mark for a
//! moment (a full disk, a restart) does not: the dispatcher keeps the mark and writes it before
//! it sends anything else (soak, issue 11: a full disk sent one message twice). Every other
//! path sends a message at most once: only queued rows are claimed, a claim is exclusive
//! across instances, and a failed attempt never reopens a row that is already sent. Each
//! message carries `Message-ID: <outbox id@sender domain>`, so a resend is recognisable.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use app::backend::mail::lettre::message::{Mailbox, MultiPart};
use app::backend::mail::lettre::transport::smtp::client::{Tls, TlsParameters};
use app::backend::mail::lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use app::backend::settings::Settings;
use app::backend::store::outbox::{self as store, OutboxRow};
use app::backend::{Clock, Db};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::smtp_url::{parse_smtp_url, SmtpEndpoint, SmtpSecurity};

/// Messages claimed per batch.
pub const BATCH_SIZE: i64 = 20;
/// No new send starts after this much of the lease has passed; the rest go back to the queue,
/// so a slow server cannot make a lease expire under a message that is still to be sent.
const LEASE_BUDGET: Duration = Duration::from_secs(40);
/// Upper bound for one send (connect, TLS, SMTP dialogue), enforced around the whole send.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// Slack for recording the outcome and for clock differences between instances.
const LEASE_MARGIN: Duration = Duration::from_secs(20);
/// How long a claim keeps other dispatchers away from a message: longer than the latest send
/// of its batch can last (a send starts before `LEASE_BUDGET` and ends by `SEND_TIMEOUT`
/// after), so no other instance can claim — and send again — a message still being sent.
pub const LEASE_MS: i64 = (LEASE_BUDGET.as_millis() + SEND_TIMEOUT.as_millis() + LEASE_MARGIN.as_millis()) as i64;
const _: () = assert!(
    LEASE_MS as u128 >= LEASE_BUDGET.as_millis() + SEND_TIMEOUT.as_millis() + LEASE_MARGIN.as_millis(),
    "a lease must outlive the latest send it covers"
);
/// Retry delays: 5 s, 10 s, 20 s … doubling, capped at an hour.
pub const FIRST_RETRY_MS: i64 = 5_000;
pub const MAX_RETRY_MS: i64 = 3_600_000;
/// After this many failed attempts a message is `failed` (visible in the console, CON-6).
pub const MAX_ATTEMPTS: i64 = 12;
/// NOT-3: a message leaves within 10 s of its commit; polling every second keeps it well inside.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Where messages go: an SMTP server, or `.eml` files when none is configured (development).
pub enum MailTransport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>, SmtpEndpoint),
    Files(PathBuf),
}

impl MailTransport {
    /// `GATEHOUSE_SMTP_URL` (see [`parse_smtp_url`]) or, when it is unset or empty, files in
    /// `GATEHOUSE_MAIL_DIR` (created if missing).
    pub fn from_config(smtp_url: Option<&str>, mail_dir: &Path) -> anyhow::Result<Self> {
        match smtp_url.map(str::trim).filter(|url| !url.is_empty()) {
            Some(url) => {
                let endpoint = parse_smtp_url(url)?;
                let tls = |host: &str| {
                    TlsParameters::new(host.to_owned()).context("GATEHOUSE_SMTP_URL: TLS could not be set up")
                };
                let mode = match endpoint.security {
                    SmtpSecurity::Plain => Tls::None,
                    SmtpSecurity::StartTlsRequired => Tls::Required(tls(&endpoint.host)?),
                    SmtpSecurity::StartTlsOpportunistic => Tls::Opportunistic(tls(&endpoint.host)?),
                    SmtpSecurity::ImplicitTls => Tls::Wrapper(tls(&endpoint.host)?),
                };
                let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(endpoint.host.clone())
                    .port(endpoint.port)
                    .tls(mode)
                    .timeout(Some(Duration::from_secs(15)))
                    .build();
                Ok(Self::Smtp(transport, endpoint))
            }
            None => {
                std::fs::create_dir_all(mail_dir)
                    .with_context(|| format!("creating the mail directory {}", mail_dir.display()))?;
                Ok(Self::Files(mail_dir.to_owned()))
            }
        }
    }

    /// A short description for the startup log.
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp(_, endpoint) => format!("SMTP {}:{} ({})", endpoint.host, endpoint.port, endpoint.security),
            Self::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        let sending = async {
            match self {
                Self::Smtp(smtp, _) => smtp.send(message).await.map(|_| ()).map_err(|err| err.to_string()),
                Self::Files(dir) => AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|err| err.to_string()),
            }
        };
        tokio::time::timeout(SEND_TIMEOUT, sending)
            .await
            .unwrap_or_else(|_| Err(format!("no answer within {} s", SEND_TIMEOUT.as_secs())))
    }
}

/// The delay before attempt `attempts + 1`, after `attempts` failures (at least 1).
pub fn retry_delay_ms(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    FIRST_RETRY_MS.saturating_mul(1_i64 << doublings).min(MAX_RETRY_MS)
}

/// Sends the outbox. Several dispatchers (one per server instance) may share a database.
pub struct Dispatcher {
    db: Db,
    transport: MailTransport,
    clock: Arc<dyn Clock>,
    /// Messages delivered whose `mark_sent` failed: (outbox id, when it was sent).
    unmarked: std::sync::Mutex<Vec<(String, i64)>>,
}

struct Batch {
    claimed: usize,
    sent: usize,
}

impl Dispatcher {
    pub fn new(db: Db, transport: MailTransport, clock: Arc<dyn Clock>) -> Self {
        Self { db, transport, clock, unmarked: Default::default() }
    }

    fn unmarked(&self) -> std::sync::MutexGuard<'_, Vec<(String, i64)>> {
        self.unmarked.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes the marks of messages delivered earlier whose mark failed then. Until every one
    /// is written, nothing is claimed or sent: their leases must not run out.
    async fn mark_delivered_earlier(&self) -> anyhow::Result<()> {
        let pending = std::mem::take(&mut *self.unmarked());
        if pending.is_empty() {
            return Ok(());
        }
        let mut left = Vec::new();
        let mut failure = None;
        match self.db.pool().acquire().await {
            Ok(mut conn) => {
                for (id, sent_at) in pending {
                    if let Err(e) = store::mark_sent(&mut conn, &id, sent_at).await {
                        failure.get_or_insert(anyhow::Error::from(e));
                        left.push((id, sent_at));
                    }
                }
            }
            Err(e) => {
                failure = Some(e.into());
                left = pending;
            }
        }
        self.unmarked().extend(left);
        failure.map_or(Ok(()), Err)
    }

    /// Sends one batch of due messages; returns how many were delivered.
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        Ok(self.run_batch().await?.sent)
    }

    async fn run_batch(&self) -> anyhow::Result<Batch> {
        // Read every batch, so a changed sender address applies without a restart.
        let settings = {
            let mut conn = self.db.pool().acquire().await?;
            Settings::load(&mut conn).await?
        };
        // Checked before claiming: a bad setting is not the messages' fault and must not use
        // up their attempts.
        let from: Mailbox =
            settings.sender_address.parse().context("the sender_address setting is not a valid e-mail address")?;
        self.mark_delivered_earlier().await?;
        let rows = store::claim_due(&self.db, self.clock.now_ms(), LEASE_MS, BATCH_SIZE).await?;
        let started = Instant::now();
        let mut sent = 0;
        for (index, row) in rows.iter().enumerate() {
            if started.elapsed() >= LEASE_BUDGET {
                self.release(&rows[index..]).await?;
                break;
            }
            if self.deliver(row, &from).await? {
                sent += 1;
            }
        }
        Ok(Batch { claimed: rows.len(), sent })
    }

    /// One message: send, then record the outcome. `Ok(true)` when it was delivered; `Err`
    /// only when the outcome could not be recorded.
    async fn deliver(&self, row: &OutboxRow, from: &Mailbox) -> anyhow::Result<bool> {
        let outcome = match build_message(row, from) {
            Ok(message) => self.transport.send(message).await.map_err(Failure::Transient),
            Err(failure) => Err(failure),
        };
        if outcome.is_ok() {
            let sent_at = self.clock.now_ms();
            let marked = match self.db.pool().acquire().await {
                Ok(mut conn) => store::mark_sent(&mut conn, &row.id, sent_at).await.map_err(anyhow::Error::from),
                Err(e) => Err(e.into()),
            };
            if let Err(e) = marked {
                self.unmarked().push((row.id.clone(), sent_at));
                return Err(e.context("a delivered message could not be marked sent; the mark is kept"));
            }
        }
        match outcome {
            Ok(()) => {
                tracing::info!(outbox_id = %row.id, template = %row.template, attempts = row.attempts + 1, "mail sent");
                Ok(true)
            }
            Err(failure) => {
                let mut conn = self.db.pool().acquire().await?;
                let attempts = row.attempts + 1;
                let (give_up, error) = match failure {
                    Failure::Permanent(error) => (true, error),
                    Failure::Transient(error) => (attempts >= MAX_ATTEMPTS, error),
                };
                let next_attempt_at = self.clock.now_ms() + retry_delay_ms(attempts);
                store::mark_attempt_failed(&mut conn, &row.id, attempts, next_attempt_at, &error, give_up).await?;
                if give_up {
                    tracing::error!(outbox_id = %row.id, template = %row.template, attempts, %error, "mail failed; giving up");
                } else {
                    tracing::warn!(outbox_id = %row.id, template = %row.template, attempts, %error, "mail attempt failed; will retry");
                }
                Ok(false)
            }
        }
    }

    async fn release(&self, rows: &[OutboxRow]) -> anyhow::Result<()> {
        let mut conn = self.db.pool().acquire().await?;
        for row in rows {
            store::release(&mut conn, &row.id).await?;
        }
        tracing::info!(released = rows.len(), "lease budget used up; messages returned to the queue");
        Ok(())
    }

    /// Runs batches until `shutdown` turns true (or its sender is dropped): at once again after
    /// a full batch, so a backlog drains quickly, otherwise every `POLL_INTERVAL`.
    pub fn spawn(self, mut shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            tracing::info!(transport = %self.transport.describe(), "mail dispatcher started");
            while !*shutdown.borrow() {
                let batch = self.run_batch().await;
                crate::metrics::job_ran("outbox", batch.is_ok());
                let full_batch = match batch {
                    Ok(batch) => batch.claimed as i64 >= BATCH_SIZE,
                    Err(err) => {
                        tracing::warn!(error = %format!("{err:#}"), "mail dispatcher batch failed");
                        false
                    }
                };
                if full_batch {
                    continue;
                }
                tokio::select! {
                    _ = tokio::time::sleep(POLL_INTERVAL) => {}
                    changed = shutdown.changed() => {
                        if changed.is_err() {
                            break;
                        }
                    }
                }
            }
            tracing::info!("mail dispatcher stopped");
        })
    }
}

enum Failure {
    /// Can never succeed (e.g. an unparsable recipient): give up at once.
    Permanent(String),
    /// Server down, refused, timed out: try again later.
    Transient(String),
}

fn build_message(row: &OutboxRow, from: &Mailbox) -> Result<Message, Failure> {
    let to: Mailbox =
        row.recipient.parse().map_err(|err| Failure::Permanent(format!("invalid recipient address: {err}")))?;
    Message::builder()
        .message_id(Some(format!("<{}@{}>", row.id, from.email.domain())))
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .multipart(MultiPart::alternative_plain_html(row.text_body.clone(), row.html_body.clone()))
        .map_err(|err| Failure::Permanent(format!("message could not be built: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        assert_eq!(retry_delay_ms(1), 5_000);
        assert_eq!(retry_delay_ms(2), 10_000);
        assert_eq!(retry_delay_ms(4), 40_000);
        assert_eq!(retry_delay_ms(11), MAX_RETRY_MS);
        assert_eq!(retry_delay_ms(100), MAX_RETRY_MS);
    }

    // covers: NOT-3, SEC-7
    #[test]
    fn a_lease_outlives_the_latest_send_it_covers() {
        let worst_case = LEASE_BUDGET + SEND_TIMEOUT;
        assert!(Duration::from_millis(LEASE_MS as u64) >= worst_case + Duration::from_secs(10), "lease {LEASE_MS} ms");
    }

    // covers: SEC-7
    #[test]
    fn a_tls_url_builds_a_tls_transport() {
        let dir = std::env::temp_dir();
        for url in
            ["smtp://mail.example:587?tls=required", "smtp://mail.example?tls=opportunistic", "smtps://mail.example"]
        {
            let transport = MailTransport::from_config(Some(url), &dir).unwrap();
            assert!(transport.describe().contains("TLS"), "{url}: {}", transport.describe());
        }
    }

    /// A server that offers no STARTTLS and records every command it is sent.
    async fn plain_smtp_server() -> (u16, tokio::task::JoinHandle<Vec<String>>) {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            let mut commands = Vec::new();
            write.write_all(b"220 plain.example ESMTP\r\n").await.unwrap();
            while let Ok(Some(line)) = lines.next_line().await {
                let reply: &[u8] = if line.starts_with("EHLO") { b"250 plain.example\r\n" } else { b"250 ok\r\n" };
                commands.push(line);
                if write.write_all(reply).await.is_err() {
                    break;
                }
            }
            commands
        });
        (port, server)
    }

    // covers: SEC-7
    #[tokio::test]
    async fn required_starttls_sends_nothing_to_a_server_without_it() {
        let (port, server) = plain_smtp_server().await;
        let url = format!("smtp://127.0.0.1:{port}?tls=required");
        let transport = MailTransport::from_config(Some(&url), &std::env::temp_dir()).unwrap();
        let message = Message::builder()
            .from("Shop <shop@example.com>".parse().unwrap())
            .to("ann@example.com".parse().unwrap())
            .subject("Your reset link")
            .body("secret link".to_owned())
            .unwrap();
        assert!(transport.send(message).await.is_err(), "refused without STARTTLS");
        drop(transport);
        let commands = server.await.unwrap();
        assert!(commands.iter().any(|c| c.starts_with("EHLO")), "{commands:?}");
        assert!(!commands.iter().any(|c| c.starts_with("MAIL") || c.starts_with("DATA")), "{commands:?}");
    }
}
