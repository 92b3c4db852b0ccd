-- Gatehouse schema (SQLite). Keep in step with migrations/postgres/0001_schema.sql: a test
-- compares the tables and columns of both. Booleans are INTEGER 0/1 and times are INTEGER epoch
-- milliseconds (UTC) because sqlx's Any driver decodes nothing else (DESIGN.md "Database").

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE persons (
    id          TEXT PRIMARY KEY,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    language    TEXT NOT NULL DEFAULT 'en',
    status      TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX persons_name ON persons (lower(last_name), lower(first_name));

CREATE TABLE organizations (
    id              TEXT PRIMARY KEY,
    registry_id     TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    is_partner      INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    website         TEXT,
    annual_revenue  INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX organizations_name ON organizations (lower(name));

CREATE TABLE contacts (
    id               TEXT PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES persons (id),
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    kind             TEXT NOT NULL CHECK (kind IN ('employee_of', 'contact_of')),
    job_title        TEXT,
    status           TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX contacts_organization ON contacts (organization_id, status);
CREATE INDEX contacts_person ON contacts (person_id);

-- An e-mail address, phone or postal address belongs to a person or to an organization.
CREATE TABLE email_addresses (
    id               TEXT PRIMARY KEY,
    person_id        TEXT REFERENCES persons (id),
    organization_id  TEXT REFERENCES organizations (id),
    address          TEXT NOT NULL,
    is_primary       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    CHECK ((person_id IS NULL) <> (organization_id IS NULL))
);
CREATE INDEX email_addresses_person ON email_addresses (person_id);
CREATE INDEX email_addresses_address ON email_addresses (lower(address));

CREATE TABLE phones (
    id               TEXT PRIMARY KEY,
    person_id        TEXT REFERENCES persons (id),
    organization_id  TEXT REFERENCES organizations (id),
    number           TEXT NOT NULL,
    digits           TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('personal', 'business')),
    is_primary       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    CHECK ((person_id IS NULL) <> (organization_id IS NULL))
);
CREATE INDEX phones_person ON phones (person_id);
CREATE INDEX phones_organization ON phones (organization_id);

CREATE TABLE addresses (
    id               TEXT PRIMARY KEY,
    person_id        TEXT REFERENCES persons (id),
    organization_id  TEXT REFERENCES organizations (id),
    line1            TEXT NOT NULL,
    line2            TEXT,
    city             TEXT NOT NULL,
    region           TEXT,
    postal_code      TEXT NOT NULL,
    country          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    created_at       INTEGER NOT NULL,
    CHECK ((person_id IS NULL) <> (organization_id IS NULL))
);
CREATE INDEX addresses_person ON addresses (person_id);
CREATE INDEX addresses_organization ON addresses (organization_id);

CREATE TABLE address_usages (
    address_id    TEXT NOT NULL REFERENCES addresses (id),
    usage         TEXT NOT NULL CHECK (usage IN ('billing', 'shipping')),
    is_preferred  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (address_id, usage)
);

-- REG-11: the current value of each preference, and every change with who/when/where.
CREATE TABLE contact_preferences (
    person_id   TEXT NOT NULL REFERENCES persons (id),
    preference  TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (person_id, preference)
);

CREATE TABLE contact_preference_history (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES persons (id),
    preference    TEXT NOT NULL,
    value         TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('registration', 'profile', 'primary_user', 'console', 'import')),
    changed_by    TEXT,
    changed_at    INTEGER NOT NULL
);
CREATE INDEX contact_preference_history_person ON contact_preference_history (person_id, changed_at);

CREATE TABLE user_types (
    id                      TEXT PRIMARY KEY,
    key                     TEXT NOT NULL UNIQUE,
    group_key               TEXT CHECK (group_key IN ('individual', 'company', 'partner')),
    kind                    TEXT NOT NULL CHECK (kind IN ('individual', 'company_admin', 'company_business',
                                'partner_admin', 'partner_business', 'online_access_individual', 'online_access_business')),
    long_name               TEXT NOT NULL,
    short_name              TEXT NOT NULL,
    approval_definition_id  TEXT REFERENCES approval_definitions (id),
    is_active               INTEGER NOT NULL,
    is_self_service         INTEGER NOT NULL,
    sort_order              INTEGER NOT NULL DEFAULT 0,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);

CREATE TABLE permissions (
    code         TEXT PRIMARY KEY,
    description  TEXT NOT NULL
);

-- Seeded roles have a stable key and no organization; a company's custom roles (ADM-7) have
-- its organization_id.
CREATE TABLE roles (
    id               TEXT PRIMARY KEY,
    key              TEXT UNIQUE,
    name             TEXT NOT NULL,
    description      TEXT,
    organization_id  TEXT REFERENCES organizations (id),
    is_seeded        INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL
);
CREATE INDEX roles_organization ON roles (organization_id);

CREATE TABLE role_permissions (
    role_id          TEXT NOT NULL REFERENCES roles (id),
    permission_code  TEXT NOT NULL REFERENCES permissions (code),
    PRIMARY KEY (role_id, permission_code)
);

CREATE TABLE user_type_roles (
    user_type_id  TEXT NOT NULL REFERENCES user_types (id),
    role_id       TEXT NOT NULL REFERENCES roles (id),
    PRIMARY KEY (user_type_id, role_id)
);

CREATE TABLE approval_definitions (
    id          TEXT PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- APR-3: organization_id NULL means the group's scope is all organizations.
CREATE TABLE approval_groups (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    organization_id  TEXT REFERENCES organizations (id),
    created_at       INTEGER NOT NULL
);

CREATE TABLE approval_steps (
    id                 TEXT PRIMARY KEY,
    definition_id      TEXT NOT NULL REFERENCES approval_definitions (id),
    position           INTEGER NOT NULL,
    approver_kind      TEXT NOT NULL CHECK (approver_kind IN ('primary_users', 'user', 'group', 'universal')),
    approver_user_id   TEXT REFERENCES users (id),
    approval_group_id  TEXT REFERENCES approval_groups (id),
    UNIQUE (definition_id, position)
);

CREATE TABLE approval_group_members (
    group_id  TEXT NOT NULL REFERENCES approval_groups (id),
    user_id   TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX approval_group_members_user ON approval_group_members (user_id);

CREATE TABLE enrollments (
    id                      TEXT PRIMARY KEY,
    key                     TEXT NOT NULL UNIQUE,
    name                    TEXT NOT NULL,
    description             TEXT,
    approval_definition_id  TEXT REFERENCES approval_definitions (id),
    is_active               INTEGER NOT NULL DEFAULT 1,
    created_at              INTEGER NOT NULL
);

CREATE TABLE enrollment_roles (
    enrollment_id  TEXT NOT NULL REFERENCES enrollments (id),
    role_id        TEXT NOT NULL REFERENCES roles (id),
    PRIMARY KEY (enrollment_id, role_id)
);

CREATE TABLE user_type_enrollments (
    user_type_id   TEXT NOT NULL REFERENCES user_types (id),
    enrollment_id  TEXT NOT NULL REFERENCES enrollments (id),
    PRIMARY KEY (user_type_id, enrollment_id)
);

-- REG-8: a username is unique case-insensitively among users that are not released.
CREATE TABLE users (
    id                    TEXT PRIMARY KEY,
    person_id             TEXT NOT NULL REFERENCES persons (id),
    user_type_id          TEXT REFERENCES user_types (id),
    organization_id       TEXT REFERENCES organizations (id),
    contact_id            TEXT REFERENCES contacts (id),
    username              TEXT NOT NULL,
    lower_username        TEXT NOT NULL,
    password_hash         TEXT,
    status                TEXT NOT NULL CHECK (status IN ('pending', 'active', 'inactive', 'rejected', 'deleted')),
    released_at           INTEGER,
    is_merchant_admin     INTEGER NOT NULL DEFAULT 0,
    must_change_password  INTEGER NOT NULL DEFAULT 0,
    password_changed_at   INTEGER,
    password_expires_at   INTEGER,
    start_at              INTEGER,
    end_at                INTEGER,
    last_sign_in_at       INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_username_reserved ON users (lower_username) WHERE released_at IS NULL;
CREATE INDEX users_person ON users (person_id);
CREATE INDEX users_organization ON users (organization_id, status);

CREATE TABLE accounts (
    id                  TEXT PRIMARY KEY,
    account_number      TEXT NOT NULL UNIQUE,
    person_id           TEXT REFERENCES persons (id),
    organization_id     TEXT REFERENCES organizations (id),
    is_company_primary  INTEGER NOT NULL DEFAULT 0,
    status              TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    created_by_request  TEXT,
    created_at          INTEGER NOT NULL,
    CHECK ((person_id IS NULL) <> (organization_id IS NULL))
);
CREATE INDEX accounts_person ON accounts (person_id);
CREATE INDEX accounts_organization ON accounts (organization_id, status);

CREATE TABLE account_assignments (
    user_id     TEXT NOT NULL REFERENCES users (id),
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    is_primary  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, account_id)
);
CREATE INDEX account_assignments_account ON account_assignments (account_id);

CREATE TABLE user_roles (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id),
    role_id        TEXT NOT NULL REFERENCES roles (id),
    start_at       INTEGER,
    end_at         INTEGER,
    justification  TEXT,
    granted_by     TEXT,
    created_at     INTEGER NOT NULL,
    UNIQUE (user_id, role_id)
);
CREATE INDEX user_roles_role ON user_roles (role_id);

CREATE TABLE sites (
    id                TEXT PRIMARY KEY,
    key               TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    required_role_id  TEXT REFERENCES roles (id),
    is_active         INTEGER NOT NULL DEFAULT 1,
    created_at        INTEGER NOT NULL
);

CREATE TABLE user_sites (
    user_id     TEXT NOT NULL REFERENCES users (id),
    site_id     TEXT NOT NULL REFERENCES sites (id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, site_id)
);

-- A registration or enrollment awaiting approval. `created_*` record what the registration
-- itself created, so that rejection (REJ-1) inactivates exactly that and nothing older.
CREATE TABLE requests (
    id                       TEXT PRIMARY KEY,
    kind                     TEXT NOT NULL CHECK (kind IN ('registration', 'enrollment')),
    user_id                  TEXT NOT NULL REFERENCES users (id),
    organization_id          TEXT REFERENCES organizations (id),
    user_type_id             TEXT REFERENCES user_types (id),
    enrollment_id            TEXT REFERENCES enrollments (id),
    definition_id            TEXT REFERENCES approval_definitions (id),
    status                   TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    current_step             INTEGER NOT NULL DEFAULT 1,
    step_count               INTEGER NOT NULL DEFAULT 0,
    step_started_at          INTEGER NOT NULL,
    rerouted_to_universal    INTEGER NOT NULL DEFAULT 0,
    is_partial               INTEGER NOT NULL DEFAULT 0,
    is_online_access         INTEGER NOT NULL DEFAULT 0,
    created_person_id        TEXT REFERENCES persons (id),
    created_contact_id       TEXT REFERENCES contacts (id),
    created_organization_id  TEXT REFERENCES organizations (id),
    lease_until              INTEGER,
    submitted_at             INTEGER NOT NULL,
    decided_at               INTEGER,
    version                  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX requests_pending_by_organization ON requests (status, organization_id, submitted_at);
CREATE INDEX requests_pending_by_step ON requests (status, step_started_at);
CREATE INDEX requests_user ON requests (user_id);

CREATE TABLE request_decisions (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests (id),
    step        INTEGER NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('approved', 'rejected', 'rerouted')),
    decided_by  TEXT REFERENCES users (id),
    comment     TEXT,
    decided_at  INTEGER NOT NULL
);
CREATE INDEX request_decisions_request ON request_decisions (request_id, step);

CREATE TABLE orders (
    id                   TEXT PRIMARY KEY,
    order_number         TEXT NOT NULL UNIQUE,
    account_id           TEXT NOT NULL REFERENCES accounts (id),
    sold_to_contact_id   TEXT REFERENCES contacts (id),
    bill_to_postal_code  TEXT NOT NULL,
    placed_at            INTEGER NOT NULL
);
CREATE INDEX orders_account ON orders (account_id);

-- NOT-3: rows hold the final message; the dispatcher claims due rows with a lease.
CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    text_body        TEXT NOT NULL,
    html_body        TEXT NOT NULL,
    template         TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    lease_until      INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    data         TEXT NOT NULL,
    user_id      TEXT,
    expiry_date  INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry_date);
CREATE INDEX sessions_user ON sessions (user_id);

-- CON-5: append-only.
CREATE TABLE audit_log (
    id             TEXT PRIMARY KEY,
    at             INTEGER NOT NULL,
    actor_user_id  TEXT,
    action         TEXT NOT NULL,
    subject_type   TEXT NOT NULL,
    subject_id     TEXT NOT NULL,
    before_value   TEXT,
    after_value    TEXT,
    justification  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);

-- LOG-4: only a hash of each single-use token is kept.
CREATE TABLE password_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX password_tokens_user ON password_tokens (user_id);

CREATE TABLE integration_users (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE integration_user_groups (
    integration_user_id  TEXT NOT NULL REFERENCES integration_users (id),
    group_kind           TEXT NOT NULL CHECK (group_kind IN ('admin', 'sales')),
    group_name           TEXT NOT NULL,
    PRIMARY KEY (integration_user_id, group_kind, group_name)
);

-- SEC-4: failures counted per lower-cased username whether or not it exists, so a lock never
-- reveals which usernames are real.
CREATE TABLE sign_in_failures (
    lower_username   TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_at  INTEGER NOT NULL,
    locked_until     INTEGER
);
