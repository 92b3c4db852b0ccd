-- API-1: the JSON API's access tokens. Only the SHA-256 of a token is stored (hex), with the
-- integration user it was issued to and when it stops working (15 minutes after issue).
CREATE TABLE api_tokens (
    token_hash           TEXT PRIMARY KEY,
    integration_user_id  TEXT NOT NULL REFERENCES integration_users (id),
    issued_at            INTEGER NOT NULL,
    expires_at           INTEGER NOT NULL
);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at);
CREATE INDEX api_tokens_integration ON api_tokens (integration_user_id);

-- API-6: a POST's Idempotency-Key per client, with the hash of the request it was first used
-- for and the answer it got (status NULL while that first request is still running).
CREATE TABLE idempotency_keys (
    integration_user_id  TEXT NOT NULL REFERENCES integration_users (id),
    idempotency_key      TEXT NOT NULL,
    request_hash         TEXT NOT NULL,
    status               INTEGER,
    content_type         TEXT,
    response_body        TEXT,
    created_at           INTEGER NOT NULL,
    expires_at           INTEGER NOT NULL,
    PRIMARY KEY (integration_user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- API-3: users looked up by username whatever their status (released ones included).
CREATE INDEX users_lower_username ON users (lower_username);
-- API-2: which integration users reach an organization (sales groups).
CREATE INDEX integration_user_groups_by_group ON integration_user_groups (group_kind, group_name);
