-- CON-5, API-6: a change made through the JSON API names its integration user as the actor.
ALTER TABLE audit_log ADD COLUMN actor_integration_id TEXT REFERENCES integration_users (id);
CREATE INDEX audit_log_actor_user ON audit_log (actor_user_id, at);
CREATE INDEX audit_log_actor_integration ON audit_log (actor_integration_id, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
