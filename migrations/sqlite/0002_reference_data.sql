-- Reference data that is always present (SPEC REG-4, §7 permissions and roles, settings with
-- their defaults). Identical in migrations/sqlite and migrations/postgres. Stable IDs so later
-- migrations and tests can refer to them; times are 2026-01-01T00:00:00Z.

INSERT INTO settings (key, value, updated_at) VALUES
    ('password_min_length', '12', 1767225600000),
    ('password_hard_to_guess', '1', 1767225600000),
    ('mandate_business_phone', '0', 1767225600000),
    ('universal_approver', 'admin', 1767225600000),
    ('approval_timeout_minutes', '0', 1767225600000),
    ('auto_create_account', '1', 1767225600000),
    ('inactivate_customer_data_on_rejection', '1', 1767225600000),
    ('primary_users_manage_users', '1', 1767225600000),
    ('multi_customer_access', '0', 1767225600000),
    ('session_idle_minutes', '30', 1767225600000),
    ('session_absolute_hours', '12', 1767225600000),
    ('sign_in_delay_after_failures', '5', 1767225600000),
    ('sign_in_lock_after_failures', '20', 1767225600000),
    ('sign_in_lock_minutes', '15', 1767225600000),
    ('merchant_name', 'Gatehouse Store', 1767225600000),
    ('sender_address', 'Gatehouse Store <no-reply@gatehouse.example>', 1767225600000),
    ('support_contact', 'support@gatehouse.example', 1767225600000);

INSERT INTO permissions (code, description) VALUES
    ('PENDING_APPROVALS', 'Approve or reject requests routed to the user'),
    ('PENDING_APPROVALS_GROUP', 'Approve or reject requests routed to the user''s approval groups'),
    ('MANAGE_CONTACTS', 'Manage the company''s contacts'),
    ('MANAGE_USERS', 'Create users and manage their credentials'),
    ('ASSIGN_ROLES', 'Assign roles to the company''s users'),
    ('ASSIGN_SITES', 'Assign specialty sites to the company''s users'),
    ('ASSIGN_ACCOUNTS', 'Assign the company''s accounts to its users'),
    ('MANAGE_ROLES', 'Manage the company''s custom roles'),
    ('ORG_DETAILS', 'See the company profile'),
    ('UPDATE_ORG_DETAILS', 'Update the company profile'),
    ('ORG_ADMINISTRATORS', 'See the company''s administrators'),
    ('VIEW_ACCOUNTS', 'See the company''s accounts');

INSERT INTO roles (id, key, name, description, organization_id, is_seeded, created_at) VALUES
    ('00000000-0000-7000-8000-000000000101', 'business_user', 'Business User', 'A company''s staff member', NULL, 1, 1767225600000),
    ('00000000-0000-7000-8000-000000000102', 'primary_user', 'Primary User', 'A company administrator', NULL, 1, 1767225600000),
    ('00000000-0000-7000-8000-000000000103', 'partner_business_user', 'Partner Business User', 'A partner''s staff member', NULL, 1, 1767225600000),
    ('00000000-0000-7000-8000-000000000104', 'partner_primary_user', 'Partner Primary User', 'A partner administrator', NULL, 1, 1767225600000);

INSERT INTO role_permissions (role_id, permission_code) VALUES
    ('00000000-0000-7000-8000-000000000101', 'ORG_DETAILS'),
    ('00000000-0000-7000-8000-000000000101', 'ORG_ADMINISTRATORS'),
    ('00000000-0000-7000-8000-000000000101', 'VIEW_ACCOUNTS'),
    ('00000000-0000-7000-8000-000000000103', 'ORG_DETAILS'),
    ('00000000-0000-7000-8000-000000000103', 'ORG_ADMINISTRATORS'),
    ('00000000-0000-7000-8000-000000000103', 'VIEW_ACCOUNTS');

INSERT INTO role_permissions (role_id, permission_code)
    SELECT '00000000-0000-7000-8000-000000000102', code FROM permissions;
INSERT INTO role_permissions (role_id, permission_code)
    SELECT '00000000-0000-7000-8000-000000000104', code FROM permissions;

-- APR-2: "the company's primary users" as the single step of the default definition.
INSERT INTO approval_definitions (id, key, name, created_at) VALUES
    ('00000000-0000-7000-8000-000000000201', 'company_primary_users', 'Approval by the company''s primary users', 1767225600000);

INSERT INTO approval_steps (id, definition_id, position, approver_kind, approver_user_id, approval_group_id) VALUES
    ('00000000-0000-7000-8000-000000000211', '00000000-0000-7000-8000-000000000201', 1, 'primary_users', NULL, NULL);

INSERT INTO user_types (id, key, group_key, kind, long_name, short_name, approval_definition_id, is_active, is_self_service, sort_order, created_at, updated_at) VALUES
    ('00000000-0000-7000-8000-000000000301', 'individual', 'individual', 'individual', 'Register as an individual', 'Individual', NULL, 1, 1, 10, 1767225600000, 1767225600000),
    ('00000000-0000-7000-8000-000000000302', 'company_primary', 'company', 'company_admin', 'Register your company', 'Administrator', NULL, 1, 1, 20, 1767225600000, 1767225600000),
    ('00000000-0000-7000-8000-000000000303', 'company_business', 'company', 'company_business', 'Register as a user of an existing company', 'Business user', '00000000-0000-7000-8000-000000000201', 1, 1, 30, 1767225600000, 1767225600000),
    ('00000000-0000-7000-8000-000000000304', 'partner_primary', 'partner', 'partner_admin', 'Register as a partner', 'Partner administrator', NULL, 0, 1, 40, 1767225600000, 1767225600000),
    ('00000000-0000-7000-8000-000000000305', 'partner_business', 'partner', 'partner_business', 'Register as a user of an existing partner', 'Partner business user', '00000000-0000-7000-8000-000000000201', 0, 1, 50, 1767225600000, 1767225600000),
    ('00000000-0000-7000-8000-000000000306', 'online_access_individual', 'individual', 'online_access_individual', 'Need online access to your existing account?', 'Online access (individual)', NULL, 0, 1, 15, 1767225600000, 1767225600000),
    ('00000000-0000-7000-8000-000000000307', 'online_access_business', 'company', 'online_access_business', 'Need online access to your company''s existing account?', 'Online access (business)', '00000000-0000-7000-8000-000000000201', 0, 1, 35, 1767225600000, 1767225600000);

INSERT INTO user_type_roles (user_type_id, role_id) VALUES
    ('00000000-0000-7000-8000-000000000302', '00000000-0000-7000-8000-000000000102'),
    ('00000000-0000-7000-8000-000000000303', '00000000-0000-7000-8000-000000000101'),
    ('00000000-0000-7000-8000-000000000304', '00000000-0000-7000-8000-000000000104'),
    ('00000000-0000-7000-8000-000000000305', '00000000-0000-7000-8000-000000000103'),
    ('00000000-0000-7000-8000-000000000307', '00000000-0000-7000-8000-000000000101');
