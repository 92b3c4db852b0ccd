-- ADM-1 (issue 11): the contact search looks a prefix up in this table instead of testing every
-- contact of the company. Each of a contact's terms (the person's lower-cased first and last
-- name, the username of the contact's current login, each of the person's e-mail addresses) is
-- a row, so a prefix is one range of `contact_terms_search` within the company, and a search
-- costs what it finds, not the company's size. Each row carries what the list sorts by (the
-- lower-cased last and first name) and the person, so the page is chosen from that index alone. The triggers below keep it in step with every
-- write to the four sources; nothing else writes it. Terms compare in byte order (COLLATE
-- "binary", a copy of "C" from 0014), where a prefix is exactly a range. Keep in step with
-- migrations/sqlite.
CREATE TABLE contact_terms (
    contact_id       TEXT NOT NULL,
    term             TEXT COLLATE "binary" NOT NULL,
    organization_id  TEXT NOT NULL,
    person_id        TEXT NOT NULL,
    last_name_key    TEXT NOT NULL,
    first_name_key   TEXT NOT NULL,
    PRIMARY KEY (contact_id, term)
);
CREATE INDEX contact_terms_search
    ON contact_terms (organization_id, term, last_name_key, first_name_key, contact_id, person_id);

-- Every term of every contact, as the sources hold them now; the triggers copy the rows of the
-- contacts a write touched.
CREATE VIEW contact_terms_source AS
    SELECT c.id AS contact_id, c.person_id, c.organization_id, lower(p.first_name) AS term,
           lower(p.last_name) AS last_name_key, lower(p.first_name) AS first_name_key
      FROM contacts c JOIN persons p ON p.id = c.person_id
    UNION ALL
    SELECT c.id, c.person_id, c.organization_id, lower(p.last_name), lower(p.last_name), lower(p.first_name)
      FROM contacts c JOIN persons p ON p.id = c.person_id
    UNION ALL
    SELECT c.id, c.person_id, c.organization_id, u.lower_username, lower(p.last_name), lower(p.first_name)
      FROM contacts c JOIN persons p ON p.id = c.person_id
      JOIN users u ON u.id = (SELECT u2.id FROM users u2 WHERE u2.contact_id = c.id AND u2.released_at IS NULL
                              ORDER BY u2.created_at DESC, u2.id LIMIT 1)
    UNION ALL
    SELECT c.id, c.person_id, c.organization_id, lower(m.address), lower(p.last_name), lower(p.first_name)
      FROM contacts c JOIN persons p ON p.id = c.person_id JOIN email_addresses m ON m.person_id = c.person_id;

INSERT INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
    SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source ON CONFLICT DO NOTHING;

-- The terms of these contacts again, from the sources.
CREATE FUNCTION contact_terms_refresh(contacts TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM contact_terms WHERE contact_id = ANY (contacts);
    INSERT INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE contact_id = ANY (contacts)
        ON CONFLICT DO NOTHING;
END $$;

CREATE FUNCTION contact_terms_of_contact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM contact_terms WHERE contact_id = OLD.id;
    ELSE
        PERFORM contact_terms_refresh(ARRAY[NEW.id]);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER contact_terms_contact_insert AFTER INSERT ON contacts
    FOR EACH ROW EXECUTE FUNCTION contact_terms_of_contact();
CREATE TRIGGER contact_terms_contact_update AFTER UPDATE OF person_id, organization_id ON contacts
    FOR EACH ROW EXECUTE FUNCTION contact_terms_of_contact();
CREATE TRIGGER contact_terms_contact_delete AFTER DELETE ON contacts
    FOR EACH ROW EXECUTE FUNCTION contact_terms_of_contact();

CREATE FUNCTION contact_terms_of_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM contact_terms_refresh(ARRAY(SELECT id FROM contacts WHERE person_id = NEW.id));
    RETURN NULL;
END $$;
CREATE TRIGGER contact_terms_person_update AFTER UPDATE OF first_name, last_name ON persons
    FOR EACH ROW EXECUTE FUNCTION contact_terms_of_person();

CREATE FUNCTION contact_terms_of_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM contact_terms_refresh(ARRAY[NEW.contact_id]);
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM contact_terms_refresh(ARRAY[OLD.contact_id, NEW.contact_id]);
    ELSE
        PERFORM contact_terms_refresh(ARRAY[OLD.contact_id]);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER contact_terms_user_insert AFTER INSERT ON users
    FOR EACH ROW WHEN (NEW.contact_id IS NOT NULL) EXECUTE FUNCTION contact_terms_of_user();
CREATE TRIGGER contact_terms_user_update AFTER UPDATE OF contact_id, lower_username, released_at, created_at ON users
    FOR EACH ROW EXECUTE FUNCTION contact_terms_of_user();
CREATE TRIGGER contact_terms_user_delete AFTER DELETE ON users
    FOR EACH ROW WHEN (OLD.contact_id IS NOT NULL) EXECUTE FUNCTION contact_terms_of_user();

CREATE FUNCTION contact_terms_of_email() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    persons TEXT[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        persons := ARRAY[NEW.person_id];
    ELSIF TG_OP = 'UPDATE' THEN
        persons := ARRAY[OLD.person_id, NEW.person_id];
    ELSE
        persons := ARRAY[OLD.person_id];
    END IF;
    PERFORM contact_terms_refresh(ARRAY(SELECT id FROM contacts WHERE person_id = ANY (persons)));
    RETURN NULL;
END $$;
CREATE TRIGGER contact_terms_email_insert AFTER INSERT ON email_addresses
    FOR EACH ROW WHEN (NEW.person_id IS NOT NULL) EXECUTE FUNCTION contact_terms_of_email();
CREATE TRIGGER contact_terms_email_update AFTER UPDATE OF address, person_id ON email_addresses
    FOR EACH ROW EXECUTE FUNCTION contact_terms_of_email();
CREATE TRIGGER contact_terms_email_delete AFTER DELETE ON email_addresses
    FOR EACH ROW WHEN (OLD.person_id IS NOT NULL) EXECUTE FUNCTION contact_terms_of_email();
