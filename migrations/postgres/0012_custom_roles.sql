-- ADM-7: a company's custom role names are unique within the company, case-insensitively
-- (seeded and merchant roles have no organization and are not concerned). The database keeps
-- the rule, so two racing "Save"s cannot both create "Buyers".
CREATE UNIQUE INDEX roles_custom_name ON roles (organization_id, lower(name)) WHERE organization_id IS NOT NULL;

-- ADM-5: the Sites tab lists the merchant's active specialty sites by name.
CREATE INDEX sites_active_name ON sites (is_active, name);
