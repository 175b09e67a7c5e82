-- GET /api/admin/logs at a million entries (issue 11): every filter and the usual combinations are read from one
-- index in newest-first order, and the page's total is counted from the same index only up to a bound.
-- "The failures of X" is the combination admins ask most, and it is sparse (a few failures among many
-- successes): with outcome second in the actor, action and target-type indexes it is one range instead of a scan
-- of all of X's rows. A filter without an outcome reads those indexes once per outcome and merges the three
-- (AuditLogController), so the single-column actor and action indexes are no longer needed.
DROP INDEX ix_audit_log_actor ON audit_log;
DROP INDEX ix_audit_log_action ON audit_log;
CREATE INDEX ix_audit_log_actor_outcome ON audit_log (actor, outcome, logged_at, seq);
CREATE INDEX ix_audit_log_action_outcome ON audit_log (action, outcome, logged_at, seq);
CREATE INDEX ix_audit_log_target_type_outcome ON audit_log (target_type, outcome, logged_at, seq);
-- targetId without targetType (allowed by the contract) could not use (target_type, target_id, …) and scanned the
-- table; a target id names one aggregate, so its own index needs no type.
CREATE INDEX ix_audit_log_target_id ON audit_log (target_id, logged_at, seq);
