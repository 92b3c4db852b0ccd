-- LOG-4: a forgot-login request is only recorded on the response path; a background job
-- (server/src/jobs/login_help.rs) looks it up, creates the links and queues the e-mail, so the
-- reply takes the same time whether or not anything matched. Rows are deleted once handled.
CREATE TABLE forgot_requests (
    id           TEXT PRIMARY KEY,
    username     TEXT,
    email        TEXT,
    created_at   INTEGER NOT NULL,
    lease_until  INTEGER
);
CREATE INDEX forgot_requests_by_created ON forgot_requests (created_at);

-- LOG-4: the usernames of an address are found case-insensitively.
CREATE INDEX email_addresses_lower_address ON email_addresses (lower(address));
