-- SEC-4: secrets every server instance shares (the device-cookie signing key), generated once
-- at run time by the first instance that needs one. Never exposed through `settings`.
CREATE TABLE server_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- SEC-4 "device cookie": failures counted per trusted browser (its cookie's random nonce), so
-- a browser that has signed in before keeps a small budget of its own while its username is
-- locked by someone else's attempts.
CREATE TABLE device_sign_in_failures (
    device_nonce     TEXT PRIMARY KEY,
    failures         BIGINT NOT NULL,
    last_failure_at  BIGINT NOT NULL,
    locked_until     BIGINT
);

-- Expired counters are deleted oldest first (store/throttle.rs `delete_expired`).
CREATE INDEX sign_in_failures_by_last_failure ON sign_in_failures (last_failure_at);
CREATE INDEX device_sign_in_failures_by_last_failure ON device_sign_in_failures (last_failure_at);
