-- CON-7 (OAA-6): which record each imported row became, by the row's kind and the file's
-- external id, so that rows refer to earlier imports and importing a file again changes nothing.
-- Identical in migrations/sqlite and migrations/postgres but for the integer type.
CREATE TABLE customer_import_keys (
    kind         TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'contact', 'account', 'order')),
    external_id  TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    imported_at  BIGINT NOT NULL,
    PRIMARY KEY (kind, external_id)
);
