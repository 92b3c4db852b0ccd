-- LOG-4: set-password links are deleted once expired (a background job, in bounded batches);
-- this index finds them without reading the whole table.
CREATE INDEX password_tokens_expiry ON password_tokens (expires_at);
