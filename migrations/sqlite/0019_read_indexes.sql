-- Issue 11: the contact search (ADM-1) finds each contact's current login with
-- "WHERE contact_id = ? AND released_at IS NULL ORDER BY created_at DESC, id LIMIT 1", once per
-- contact of the company. Ordered this way, the index answers it without a sort.
CREATE INDEX users_contact_current ON users (contact_id, created_at DESC, id) WHERE released_at IS NULL;
