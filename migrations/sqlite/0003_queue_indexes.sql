-- Indexes for the Pending Approvals queue branches (store/approvals.rs `queue_branches`):
-- the merchant's queue of every pending request in submission order, and requests at a step
-- of a given definition (steps that name a user).
CREATE INDEX requests_pending_by_submission ON requests (status, submitted_at);
CREATE INDEX requests_pending_by_definition ON requests (status, definition_id, current_step);
CREATE INDEX approval_steps_named_user ON approval_steps (approver_user_id);
