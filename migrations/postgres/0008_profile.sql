-- PRO-1, PRO-2: an e-mail address a person asked for (a new primary address from /profile, or
-- one more address from /profile/emails) waits here until its confirmation link is followed;
-- only then is it stored in email_addresses. So forgot-login (LOG-4), which looks addresses up
-- in email_addresses, never finds an address nobody has proved to hold. Only the SHA-256 of a
-- link's token is kept (SEC-7).
CREATE TABLE email_confirmations (
    token_hash    TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES persons (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    address       TEXT NOT NULL,
    make_primary  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX email_confirmations_person ON email_confirmations (person_id);
CREATE INDEX email_confirmations_user ON email_confirmations (user_id);
