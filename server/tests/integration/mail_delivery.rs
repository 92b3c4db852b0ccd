//! Mail end to end: the outbox dispatcher delivering to a real SMTP sink (aiosmtpd, from
//! scripts/setup-test-tools.sh) on SQLite and, when `TEST_DATABASE_URL` is set, on PostgreSQL in
//! a fresh database per test (NOT-3, OPS-3). The templates are tested in mail_templates.rs.

use std::collections::BTreeSet;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::backend::mail::{self, Brand, OutgoingMail};
use app::backend::settings::Settings;
use app::backend::store::outbox;
use app::backend::{Clock, Db, DbKind, SystemClock, TestClock};
use app::domain::Language;
use app::testing;
use server::jobs::outbox::{Dispatcher, MailTransport, LEASE_MS, MAX_ATTEMPTS, MAX_RETRY_MS};
use tempfile::TempDir;

const T0: i64 = 1_800_000_000_000;

/// A real SMTP server writing every message it accepts into a Maildir.
struct SmtpSink {
    child: Child,
    maildir: TempDir,
}

impl SmtpSink {
    fn start(port: u16) -> Self {
        let tools = std::env::var_os("GATEHOUSE_TOOLS")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".gatehouse-tools"));
        let python = tools.join("venv/bin/python");
        assert!(python.exists(), "{} is missing: run scripts/setup-test-tools.sh", python.display());
        let maildir = tempfile::tempdir().expect("maildir");
        let mut child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("Maildir"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if let Some(status) = child.try_wait().expect("poll aiosmtpd") {
                panic!("aiosmtpd exited before listening: {status}");
            }
            assert!(Instant::now() < deadline, "aiosmtpd did not listen on port {port} within 20 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, maildir }
    }

    /// Every delivered message, raw.
    fn messages(&self) -> Vec<String> {
        let mut messages = Vec::new();
        for folder in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.path().join("Maildir").join(folder)) else { continue };
            for entry in entries {
                messages.push(std::fs::read_to_string(entry.expect("maildir entry").path()).expect("read message"));
            }
        }
        messages
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn smtp(port: u16) -> MailTransport {
    MailTransport::from_config(Some(&format!("smtp://127.0.0.1:{port}")), Path::new("unused")).expect("smtp transport")
}

/// The outbox ID in a delivered message's `Message-ID: <id@domain>`.
fn message_id(raw: &str) -> String {
    let line = raw.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).expect("Message-ID header");
    let start = line.find('<').expect("<") + 1;
    line[start..line.find('@').expect("@")].to_owned()
}

/// A migrated database for one test, and the test database it lives in (a SQLite file's
/// directory or a PostgreSQL database, removed when this is dropped).
struct Migrated {
    db: Db,
    _test_db: testing::TestDb,
}

impl Migrated {
    async fn on(test_db: testing::TestDb) -> Self {
        Self { db: testing::migrated_db(&test_db.url).await, _test_db: test_db }
    }

    async fn finish(self) {
        self.db.close().await;
    }
}

/// Each scenario runs on SQLite (in memory unless a constructor is named) and on PostgreSQL.
macro_rules! on_every_database {
    ($($scenario:ident $(with $sqlite:ident)?),* $(,)?) => {$(
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = on_every_database!(@sqlite $($sqlite)?);
                super::$scenario(&db.db).await;
                db.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(test_db) = app::testing::postgres().await {
                    let db = super::Migrated::on(test_db).await;
                    super::$scenario(&db.db).await;
                    db.finish().await;
                }
            }
        }
    )*};
    (@sqlite) => { super::Migrated::on(app::testing::sqlite_memory()).await };
    (@sqlite $constructor:ident) => { super::Migrated::on(app::testing::$constructor()).await };
}

on_every_database!(
    a_queued_message_is_delivered_with_text_and_html_and_marked_sent,
    an_smtp_outage_delays_a_message_but_never_loses_or_repeats_it,
    a_message_that_keeps_failing_is_given_up_and_can_be_retried,
    two_dispatchers_deliver_each_message_exactly_once with sqlite_file,
    concurrent_claims_never_share_a_message with sqlite_file,
    the_files_transport_writes_one_eml_per_message,
    a_delivered_message_whose_mark_fails_is_marked_later_not_sent_again,
    the_running_dispatcher_sends_within_ten_seconds_of_commit with sqlite_file,
);

fn brand() -> Brand {
    Brand::new(&Settings::default(), "https://shop.example/")
}

async fn queue(db: &Db, mail: &OutgoingMail, now: i64) -> String {
    let mut tx = db.begin().await.expect("begin");
    let id = mail::enqueue(&mut tx, mail, now).await.expect("enqueue");
    tx.commit().await.expect("commit");
    id
}

async fn queue_many(db: &Db, count: usize, now: i64) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for n in 0..count {
        let to = format!("user{n}@example.test");
        ids.insert(queue(db, &mail::rejected(&brand(), Language::English, &to, "Sam", None), now).await);
    }
    ids
}

async fn row(db: &Db, id: &str) -> outbox::OutboxRow {
    let mut conn = db.pool().acquire().await.expect("acquire");
    outbox::find(&mut conn, id).await.expect("find").expect("row exists")
}

fn dispatcher(db: &Db, transport: MailTransport, clock: &TestClock) -> Dispatcher {
    Dispatcher::new(db.clone(), transport, Arc::new(clock.clone()))
}

// covers: NOT-1, NOT-3
async fn a_queued_message_is_delivered_with_text_and_html_and_marked_sent(db: &Db) {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let clock = TestClock::at(T0);
    let message =
        mail::approved(&brand(), Language::English, "dana@example.test", "Dana", "dana.smith", Some("R-ACME01"));
    let id = queue(db, &message, T0).await;

    let dispatcher = dispatcher(db, smtp(port), &clock);
    assert_eq!(dispatcher.run_once().await.expect("run"), 1);

    let delivered = sink.messages();
    assert_eq!(delivered.len(), 1);
    let raw = delivered[0].to_ascii_lowercase();
    for part in
        ["multipart/alternative", "content-type: text/plain", "content-type: text/html", "to: dana@example.test"]
    {
        assert!(raw.contains(part), "missing {part} in {raw}");
    }
    assert!(delivered[0].contains("R-ACME01") && delivered[0].contains("dana.smith"));
    assert_eq!(message_id(&delivered[0]), id);
    let stored = row(db, &id).await;
    assert_eq!((stored.status.as_str(), stored.sent_at, stored.lease_until), ("sent", Some(T0), None));

    assert_eq!(dispatcher.run_once().await.expect("run again"), 0);
    assert_eq!(sink.messages().len(), 1, "a sent message is never sent again");
}

// covers: NOT-3
async fn an_smtp_outage_delays_a_message_but_never_loses_or_repeats_it(db: &Db) {
    let port = free_port(); // nothing listens yet: the SMTP server is down
    let clock = TestClock::at(T0);
    let id = queue(db, &mail::approved(&brand(), Language::English, "lee@example.test", "Lee", "lee", None), T0).await;
    let dispatcher = dispatcher(db, smtp(port), &clock);

    assert_eq!(dispatcher.run_once().await.expect("run during outage"), 0);
    let waiting = row(db, &id).await;
    assert_eq!((waiting.status.as_str(), waiting.attempts, waiting.lease_until), ("queued", 1, None));
    assert!(waiting.next_attempt_at > clock.now_ms(), "the retry is scheduled in the future");
    assert!(waiting.last_error.is_some());

    let sink = SmtpSink::start(port);
    assert_eq!(dispatcher.run_once().await.expect("run before the retry is due"), 0);
    assert!(sink.messages().is_empty(), "backoff is honoured");

    clock.advance_ms(waiting.next_attempt_at - T0 + 1);
    assert_eq!(dispatcher.run_once().await.expect("run after recovery"), 1);
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(dispatcher.run_once().await.expect("run again"), 0);
    assert_eq!(sink.messages().len(), 1, "delivered exactly once");
    assert_eq!(message_id(&sink.messages()[0]), id);
    assert_eq!(row(db, &id).await.status, "sent");
}

// covers: NOT-3, CON-6
async fn a_message_that_keeps_failing_is_given_up_and_can_be_retried(db: &Db) {
    let clock = TestClock::at(T0);
    let id = queue(db, &mail::rejected(&brand(), Language::English, "x@example.test", "X", None), T0).await;
    let dispatcher = dispatcher(db, smtp(free_port()), &clock);
    for attempt in 1..=MAX_ATTEMPTS {
        assert_eq!(dispatcher.run_once().await.expect("run"), 0);
        let stored = row(db, &id).await;
        assert_eq!(stored.attempts, attempt);
        assert_eq!(stored.status, if attempt < MAX_ATTEMPTS { "queued" } else { "failed" });
        clock.advance_ms(MAX_RETRY_MS + 1);
    }
    assert_eq!(dispatcher.run_once().await.expect("run"), 0);
    assert_eq!(row(db, &id).await.attempts, MAX_ATTEMPTS, "a failed message is not attempted again");

    let mut conn = db.pool().acquire().await.expect("acquire");
    let failed = outbox::list(&mut conn, Some("failed"), 10, 0).await.expect("list failed");
    assert_eq!(failed.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
    assert!(outbox::list(&mut conn, Some("queued"), 10, 0).await.expect("list queued").is_empty());
    outbox::retry(&mut conn, &id, clock.now_ms()).await.expect("retry");
    assert!(outbox::retry(&mut conn, &id, clock.now_ms()).await.is_err(), "only a failed message is retried");
    drop(conn);
    let requeued = row(db, &id).await;
    assert_eq!((requeued.status.as_str(), requeued.attempts), ("queued", 0));
}

// covers: NOT-3, OPS-3
async fn two_dispatchers_deliver_each_message_exactly_once(db: &Db) {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let clock = TestClock::at(T0);
    let ids = queue_many(db, 45, T0).await;
    let first = Arc::new(dispatcher(db, smtp(port), &clock));
    let second = Arc::new(dispatcher(db, smtp(port), &clock));

    let mut sent = 0;
    for _round in 0..10 {
        let (a, b) = (first.clone(), second.clone());
        let (a, b) = tokio::join!(
            tokio::spawn(async move { a.run_once().await }),
            tokio::spawn(async move { b.run_once().await })
        );
        sent += a.expect("join").expect("first") + b.expect("join").expect("second");
        if sent >= ids.len() {
            break;
        }
    }
    assert_eq!(sent, ids.len());
    let delivered: Vec<String> = sink.messages().iter().map(|raw| message_id(raw)).collect();
    assert_eq!(delivered.len(), ids.len(), "no message sent twice");
    assert_eq!(delivered.into_iter().collect::<BTreeSet<_>>(), ids, "every message sent");
}

// covers: NOT-3, OPS-3
async fn concurrent_claims_never_share_a_message(db: &Db) {
    let ids = queue_many(db, 40, T0).await;
    let claims = (0..4).map(|_| {
        let db = db.clone();
        tokio::spawn(async move { outbox::claim_due(&db, T0, 60_000, 15).await.expect("claim") })
    });
    let mut claimed = Vec::new();
    for claim in claims.collect::<Vec<_>>() {
        claimed.extend(claim.await.expect("join").into_iter().map(|r| r.id));
    }
    // A claim that loses a race may come back short, never with another claim's rows.
    claimed.extend(outbox::claim_due(db, T0, 60_000, 50).await.expect("claim the rest").into_iter().map(|r| r.id));
    let distinct: BTreeSet<String> = claimed.iter().cloned().collect();
    assert_eq!(distinct.len(), claimed.len(), "a message was claimed twice");
    assert_eq!(distinct, ids, "every message is claimed");
    assert!(outbox::claim_due(db, T0 + 59_999, 60_000, 15).await.expect("claim").is_empty(), "leases hold");
    assert_eq!(outbox::claim_due(db, T0 + 60_001, 60_000, 50).await.expect("claim").len(), 40, "leases expire");
}

// covers: NOT-3 (issue 11: on a full disk the soak saw a message sent twice: delivered, its mark
// refused, and sent again when its lease ran out)
async fn a_delivered_message_whose_mark_fails_is_marked_later_not_sent_again(db: &Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mail_dir = dir.path().join("mail");
    let transport = MailTransport::from_config(None, &mail_dir).expect("files transport");
    let clock = TestClock::at(T0);
    let ids = queue_many(db, 1, T0).await;
    let id = ids.first().expect("queued").clone();
    // The database refuses to record a delivery (as a full disk refuses any write).
    let (refuse, allow) = match db.kind() {
        DbKind::Sqlite => (
            vec![
                "CREATE TRIGGER refuse_marks BEFORE UPDATE OF status ON outbox WHEN NEW.status = 'sent' \
                  BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
            ],
            vec!["DROP TRIGGER refuse_marks"],
        ),
        DbKind::Postgres => (
            vec![
                "CREATE FUNCTION refuse_marks() RETURNS trigger AS $$ BEGIN \
                   RAISE EXCEPTION 'could not extend file: No space left on device'; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER refuse_marks BEFORE UPDATE ON outbox FOR EACH ROW \
                   WHEN (NEW.status = 'sent') EXECUTE FUNCTION refuse_marks()",
            ],
            vec!["DROP TRIGGER refuse_marks ON outbox", "DROP FUNCTION refuse_marks()"],
        ),
    };
    for sql in refuse {
        sqlx::query(sql).execute(db.pool()).await.expect("refuse marks");
    }
    let dispatcher = dispatcher(db, transport, &clock);
    let files = || std::fs::read_dir(&mail_dir).map(|d| d.count()).unwrap_or(0);
    assert!(dispatcher.run_once().await.is_err(), "the failed mark is reported");
    assert_eq!(files(), 1, "delivered");
    assert_ne!(row(db, &id).await.status, "sent");

    // Still refused: nothing is claimed or sent again, however long it waits.
    clock.advance_ms(LEASE_MS + 1);
    assert!(dispatcher.run_once().await.is_err());
    assert_eq!(files(), 1, "not sent again while its mark waits");

    for sql in allow {
        sqlx::query(sql).execute(db.pool()).await.expect("allow marks");
    }
    clock.advance_ms(LEASE_MS + 1);
    assert_eq!(dispatcher.run_once().await.expect("run"), 0);
    assert_eq!(files(), 1, "delivered exactly once");
    assert_eq!(row(db, &id).await.status, "sent", "the kept mark is written");
}

// covers: NOT-3
async fn the_files_transport_writes_one_eml_per_message(db: &Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mail_dir = dir.path().join("data/mail");
    let transport = MailTransport::from_config(None, &mail_dir).expect("files transport");
    assert!(mail_dir.is_dir(), "the mail directory is created");
    let clock = TestClock::at(T0);
    let ids = queue_many(db, 3, T0).await;
    assert_eq!(dispatcher(db, transport, &clock).run_once().await.expect("run"), 3);

    let files: Vec<PathBuf> =
        std::fs::read_dir(&mail_dir).expect("read dir").map(|e| e.expect("entry").path()).collect();
    assert_eq!(files.len(), 3);
    let mut written = BTreeSet::new();
    for file in &files {
        assert_eq!(file.extension().and_then(|e| e.to_str()), Some("eml"));
        let raw = std::fs::read_to_string(file).expect("read eml");
        assert!(raw.to_ascii_lowercase().contains("multipart/alternative"));
        written.insert(message_id(&raw));
    }
    assert_eq!(written, ids);
    for id in &ids {
        assert_eq!(row(db, id).await.status, "sent");
    }
}

// covers: NOT-3
async fn the_running_dispatcher_sends_within_ten_seconds_of_commit(db: &Db) {
    let port = free_port();
    let sink = SmtpSink::start(port);
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let running = Dispatcher::new(db.clone(), smtp(port), Arc::new(SystemClock)).spawn(shutdown);

    let committed = Instant::now();
    let now = SystemClock.now_ms();
    queue(db, &mail::approved(&brand(), Language::English, "kim@example.test", "Kim", "kim", None), now).await;
    while sink.messages().is_empty() {
        assert!(committed.elapsed() < Duration::from_secs(10), "not delivered within 10 s of commit");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send(true).expect("signal shutdown");
    tokio::time::timeout(Duration::from_secs(5), running).await.expect("dispatcher stops").expect("join");
    assert_eq!(sink.messages().len(), 1);
}
