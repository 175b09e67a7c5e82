-- The audit log read model behind GET /api/admin/logs: one row per command outcome (the events a command stored
-- are one row), refused command, refused call, login, throttled login and logout. Rows are only ever added by
-- the projection (a replay empties and refills the table); seq keeps rows of the same millisecond in the order
-- they were projected, so the newest-first order is stable.
CREATE TABLE audit_log (
    seq            BIGINT        NOT NULL AUTO_INCREMENT,
    id             VARCHAR(36)   NOT NULL,
    logged_at      TIMESTAMP(3)  NOT NULL,
    actor          VARCHAR(254),
    actor_role     VARCHAR(16),
    action         VARCHAR(128)  NOT NULL,
    target_type    VARCHAR(64),
    target_id      VARCHAR(512),
    outcome        VARCHAR(8)    NOT NULL,
    detail         VARCHAR(4000),
    source_ip      VARCHAR(64),
    correlation_id VARCHAR(64),
    PRIMARY KEY (seq),
    CONSTRAINT ux_audit_log_id UNIQUE (id)
)${table_options};

-- Every filter of the list is an equality on one of these columns, and every answer is ordered newest first
-- (logged_at, seq): with seq in the index, a filtered page is read from the index in order, without a sort.
CREATE INDEX ix_audit_log_time ON audit_log (logged_at, seq);
CREATE INDEX ix_audit_log_actor ON audit_log (actor, logged_at, seq);
CREATE INDEX ix_audit_log_action ON audit_log (action, logged_at, seq);
CREATE INDEX ix_audit_log_target ON audit_log (target_type, target_id, logged_at, seq);
CREATE INDEX ix_audit_log_outcome ON audit_log (outcome, logged_at, seq);
CREATE INDEX ix_audit_log_correlation ON audit_log (correlation_id, logged_at, seq);
