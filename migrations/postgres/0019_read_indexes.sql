-- Issue 11: indexes in the order the hot reads ask for, so each is answered without a sort.
-- The contact search (ADM-1) finds each contact's current login, once per contact of the
-- company: "WHERE contact_id = ? AND released_at IS NULL ORDER BY created_at DESC, id LIMIT 1".
CREATE INDEX users_contact_current ON users (contact_id, created_at DESC, id) WHERE released_at IS NULL;
-- A person's first e-mail address and phone (primary first, then the oldest), read for every
-- row of Pending Approvals, the contact list and the console's user list.
CREATE INDEX email_addresses_person_first ON email_addresses (person_id, is_primary DESC, created_at);
CREATE INDEX phones_person_first ON phones (person_id, is_primary DESC, created_at);
-- The last approver's comment on each row of Pending Approvals (APR-2).
CREATE INDEX request_decisions_latest ON request_decisions (request_id, decision, decided_at DESC, id DESC);
-- The indexes above lead with the same columns as these, which every write would otherwise keep
-- twice.
DROP INDEX email_addresses_person;
DROP INDEX phones_person;
DROP INDEX phones_person_created;
