-- PRO-2, PRO-5: the address book and phone book. "One preferred address per usage" and "one
-- primary phone" per owner (person or organization) are kept by the database itself, so two
-- racing "Make preferred" requests can never leave two preferred entries.

-- The owner (the address's person_id or organization_id) is copied onto each usage so that a
-- partial unique index can see it; both are UUIDs, so one column serves both kinds of owner.
ALTER TABLE address_usages ADD COLUMN owner_id TEXT;
UPDATE address_usages
   SET owner_id = (SELECT COALESCE(a.person_id, a.organization_id) FROM addresses a WHERE a.id = address_usages.address_id);
CREATE UNIQUE INDEX address_usages_one_preferred ON address_usages (owner_id, usage) WHERE is_preferred = 1;
CREATE INDEX address_usages_owner ON address_usages (owner_id, usage);

-- REJ-4: the lists read only active addresses, newest first.
CREATE INDEX addresses_person_status ON addresses (person_id, status, created_at);
CREATE INDEX addresses_organization_status ON addresses (organization_id, status, created_at);

CREATE UNIQUE INDEX phones_one_primary_of_person ON phones (person_id) WHERE is_primary = 1 AND person_id IS NOT NULL;
CREATE UNIQUE INDEX phones_one_primary_of_organization ON phones (organization_id) WHERE is_primary = 1 AND organization_id IS NOT NULL;
CREATE INDEX phones_person_created ON phones (person_id, created_at);
