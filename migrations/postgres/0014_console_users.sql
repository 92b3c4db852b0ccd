-- CON-3: a Disable with a future Effective date waits here until the background job applies it
-- (server/src/jobs/user_disables.rs); a user has at most one. Applied or cancelled, the row is
-- deleted: the audit log keeps the history. Keep in step with migrations/sqlite.
CREATE TABLE user_disable_schedules (
    user_id                      TEXT PRIMARY KEY REFERENCES users (id),
    effective_at                 BIGINT NOT NULL,
    justification                TEXT NOT NULL,
    requested_by_user_id         TEXT REFERENCES users (id),
    requested_by_integration_id  TEXT REFERENCES integration_users (id),
    created_at                   BIGINT NOT NULL
);
CREATE INDEX user_disable_schedules_due ON user_disable_schedules (effective_at);

-- CON-3: the console searches ALL users by a prefix of their username, first or last name or
-- any e-mail address (store/console_users.rs). Each source is read as a range of its own index,
-- in (term, person, user) order, a page at a time, so a page costs the same at 10,000 users as
-- at 1,000,000. A prefix is a range only in byte order, whatever the database's collation
-- (en_US and friends sort "a.b" among "ab…"): the queries compare with COLLATE "binary", which
-- is SQLite's built-in byte order and, here, a copy of PostgreSQL's "C" (ids too: they break
-- ties, and the paging cursor compares them in the same order).
CREATE COLLATION IF NOT EXISTS "binary" FROM "C";
CREATE INDEX users_search_username
    ON users ((lower_username COLLATE "binary"), (person_id COLLATE "binary"), (id COLLATE "binary"));
CREATE INDEX users_search_status
    ON users (status, (lower_username COLLATE "binary"), (person_id COLLATE "binary"), (id COLLATE "binary"));
CREATE INDEX persons_search_first_name ON persons ((lower(first_name) COLLATE "binary"), (id COLLATE "binary"));
CREATE INDEX persons_search_last_name ON persons ((lower(last_name) COLLATE "binary"), (id COLLATE "binary"));
CREATE INDEX email_addresses_search ON email_addresses ((lower(address) COLLATE "binary"), (person_id COLLATE "binary"));
