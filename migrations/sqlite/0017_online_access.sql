-- SEC-4 for online access (OAA-1, OAA-2): failed proofs counted per account number typed,
-- whether or not it exists, beside the per-address limit, so that guessing the other proof
-- fields of one account is as slow as guessing a password.
CREATE TABLE online_access_failures (
    account_number   TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_at  INTEGER NOT NULL,
    locked_until     INTEGER
);

-- Expired counters are deleted oldest first (store/throttle.rs `delete_expired`).
CREATE INDEX online_access_failures_by_last_failure ON online_access_failures (last_failure_at);
