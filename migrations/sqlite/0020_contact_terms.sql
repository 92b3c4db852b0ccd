-- ADM-1 (issue 11): the contact search looks a prefix up in this table instead of testing every
-- contact of the company. Each of a contact's terms (the person's lower-cased first and last
-- name, the username of the contact's current login, each of the person's e-mail addresses) is
-- a row, so a prefix is one range of `contact_terms_search` within the company, and a search
-- costs what it finds, not the company's size. Each row carries what the list sorts by (the
-- lower-cased last and first name) and the person, so the page is chosen from that index alone. The triggers below keep it in step with every
-- write to the four sources; nothing else writes it. Keep in step with migrations/postgres.
CREATE TABLE contact_terms (
    contact_id       TEXT NOT NULL,
    term             TEXT NOT NULL,
    organization_id  TEXT NOT NULL,
    person_id        TEXT NOT NULL,
    last_name_key    TEXT NOT NULL,
    first_name_key   TEXT NOT NULL,
    PRIMARY KEY (contact_id, term)
) WITHOUT ROWID;
CREATE INDEX contact_terms_search
    ON contact_terms (organization_id, term, last_name_key, first_name_key, contact_id, person_id);

-- Every term of every contact, as the sources hold them now; the triggers copy the rows of the
-- contacts a write touched (the conditions on contact_id and person_id reach into each arm).
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

INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
    SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source;

CREATE TRIGGER contact_terms_contact_insert AFTER INSERT ON contacts BEGIN
    INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contact_terms_contact_update AFTER UPDATE OF person_id, organization_id ON contacts BEGIN
    DELETE FROM contact_terms WHERE contact_id = OLD.id;
    INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contact_terms_contact_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_terms WHERE contact_id = OLD.id;
END;

CREATE TRIGGER contact_terms_person_update AFTER UPDATE OF first_name, last_name ON persons BEGIN
    DELETE FROM contact_terms WHERE contact_id IN (SELECT id FROM contacts WHERE person_id = OLD.id);
    INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE person_id = NEW.id;
END;

CREATE TRIGGER contact_terms_user_insert AFTER INSERT ON users WHEN NEW.contact_id IS NOT NULL BEGIN
    DELETE FROM contact_terms WHERE contact_id = NEW.contact_id;
    INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE contact_id = NEW.contact_id;
END;
CREATE TRIGGER contact_terms_user_update AFTER UPDATE OF contact_id, lower_username, released_at, created_at ON users BEGIN
    DELETE FROM contact_terms WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
    INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
END;
CREATE TRIGGER contact_terms_user_delete AFTER DELETE ON users WHEN OLD.contact_id IS NOT NULL BEGIN
    DELETE FROM contact_terms WHERE contact_id = OLD.contact_id;
    INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE contact_id = OLD.contact_id;
END;

CREATE TRIGGER contact_terms_email_insert AFTER INSERT ON email_addresses WHEN NEW.person_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE person_id = NEW.person_id;
END;
CREATE TRIGGER contact_terms_email_update AFTER UPDATE OF address, person_id ON email_addresses BEGIN
    DELETE FROM contact_terms WHERE contact_id IN (SELECT id FROM contacts WHERE person_id IN (OLD.person_id, NEW.person_id));
    INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE person_id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER contact_terms_email_delete AFTER DELETE ON email_addresses WHEN OLD.person_id IS NOT NULL BEGIN
    DELETE FROM contact_terms WHERE contact_id IN (SELECT id FROM contacts WHERE person_id = OLD.person_id);
    INSERT OR IGNORE INTO contact_terms (contact_id, term, organization_id, person_id, last_name_key, first_name_key)
        SELECT contact_id, term, organization_id, person_id, last_name_key, first_name_key FROM contact_terms_source WHERE person_id = OLD.person_id;
END;
