-- APR-2: the setting `universal_approver` names a user by id, no longer by username: a
-- username can be released and registered again by anyone, who would then decide every
-- company's requests. A stored username that belongs to a merchant admin becomes that admin's
-- id; anything else is left for `bootstrap::ensure_merchant_admin`, which names the admin it
-- creates, and decides nothing meanwhile (only an active merchant admin is the universal
-- approver). Identical in migrations/sqlite and migrations/postgres.
UPDATE settings
SET value = (
    SELECT u.id FROM users u
    WHERE u.lower_username = lower(settings.value) AND u.released_at IS NULL AND u.is_merchant_admin = 1
)
WHERE key = 'universal_approver'
  AND EXISTS (
    SELECT 1 FROM users u
    WHERE u.lower_username = lower(settings.value) AND u.released_at IS NULL AND u.is_merchant_admin = 1
  );
