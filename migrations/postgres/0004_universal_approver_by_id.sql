-- APR-2: the setting `universal_approver` names a user by id, no longer by username: a
-- username can be released and registered again by anyone, who would then decide every
-- company's requests. A stored username that belongs to a merchant admin becomes that admin's
-- id; any other username becomes empty (nobody), and `bootstrap::ensure_merchant_admin` names
-- the admin it creates. Only an active merchant admin ever acts as the universal approver.
-- Identical in migrations/sqlite and migrations/postgres.
UPDATE settings
SET value = COALESCE((
    SELECT u.id FROM users u
    WHERE u.lower_username = lower(settings.value) AND u.released_at IS NULL AND u.is_merchant_admin = 1
), '')
WHERE key = 'universal_approver'
  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = settings.value);
