-- CON-2: the merchant's approval set-up, roles, enrollments and sites, edited in the console.
-- Identical in migrations/sqlite and migrations/postgres but for the integer type.

-- APR-2: a request decides the steps of the definition version it was submitted under. When a
-- definition's steps change while requests wait, its current steps are first copied to an
-- archived version and the waiting requests move to it, so that none points at a removed step
-- or past its last one. An archived version is never listed, chosen or edited.
ALTER TABLE approval_definitions ADD COLUMN archived_from TEXT REFERENCES approval_definitions (id);
ALTER TABLE approval_definitions ADD COLUMN archived_at INTEGER;
CREATE INDEX approval_definitions_archived_from ON approval_definitions (archived_from);

-- A group in use by a step is found without scanning every step.
CREATE INDEX approval_steps_group ON approval_steps (approval_group_id);

-- APR-3: approval groups are chosen by name, so names are unique, case-insensitively.
CREATE UNIQUE INDEX approval_groups_name ON approval_groups (lower(name));

-- The merchant's roles (seeded or made in the console, no organization) are chosen by name
-- (enrollments, sites, user types), so their names are unique, case-insensitively; a
-- company's custom roles have their own rule (roles_custom_name, 0012).
CREATE UNIQUE INDEX roles_merchant_name ON roles (lower(name)) WHERE organization_id IS NULL;
