-- ADM-1 … ADM-3: a contact's login is found by its contact (users.contact_id), for every row of
-- Contact Management; without this index each row would read the whole users table.
CREATE INDEX users_contact ON users (contact_id);
-- ADM-1: a company's contacts are read by organization and person (the list excludes the
-- signed-in administrator's own person).
CREATE INDEX contacts_organization_person ON contacts (organization_id, person_id);
