-- users_view kept its times as epoch milliseconds while every other read model keeps UTC wall-clock TIMESTAMP(3)
-- (query-side's UtcTime writes and reads them all). The rows are converted in place rather than rebuilt from the
-- events, so the users page stays whole while a node upgrades. The epoch is added as a wall-clock literal, which
-- neither H2 nor MariaDB shifts by the session's time zone. The command side's identity tables (user_accounts,
-- user_credentials, sessions) are not read models and keep epoch milliseconds.
CREATE TABLE users_view_utc (
    user_id     VARCHAR(36)  NOT NULL,
    username    VARCHAR(32)  NOT NULL,
    email       VARCHAR(254) NOT NULL,
    full_name   VARCHAR(200),
    role        VARCHAR(16)  NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMP(3) NOT NULL,
    approved_at TIMESTAMP(3),
    approved_by VARCHAR(36),
    search_text VARCHAR(500),
    PRIMARY KEY (user_id)
)${table_options};

INSERT INTO users_view_utc (user_id, username, email, full_name, role, status, created_at, approved_at, approved_by,
                            search_text)
SELECT user_id, username, email, full_name, role, status,
       TIMESTAMPADD(MICROSECOND, created_at * 1000, TIMESTAMP '1970-01-01 00:00:00'),
       TIMESTAMPADD(MICROSECOND, approved_at * 1000, TIMESTAMP '1970-01-01 00:00:00'),
       approved_by, search_text
FROM users_view;

DROP TABLE users_view;
ALTER TABLE users_view_utc RENAME TO users_view;

-- The indexes of V3, V52 and V53, on the converted columns.
CREATE INDEX ix_users_view_username ON users_view (username);
CREATE INDEX ix_users_view_status ON users_view (status);
CREATE INDEX ix_users_view_role ON users_view (role);
CREATE INDEX ix_users_view_created ON users_view (created_at, user_id);
CREATE INDEX ix_users_view_status_created ON users_view (status, created_at, user_id);
CREATE INDEX ix_users_view_role_created ON users_view (role, created_at, user_id);
CREATE INDEX ix_users_view_search ON users_view (created_at, user_id, search_text);
