-- The command side's view of identity, written in the same transaction as the events (see UserAccounts):
-- the unique keys make a second account with a taken username or e-mail roll the whole command back.
-- Usernames are lower case by rule; e-mail addresses are compared through email_key, their lower-case form.
-- Times are epoch milliseconds (UTC), which JDBC and R2DBC drivers of both databases read the same way.
CREATE TABLE user_accounts (
    user_id     VARCHAR(36)  NOT NULL,
    username    VARCHAR(32)  NOT NULL,
    email       VARCHAR(254) NOT NULL,
    email_key   VARCHAR(254) NOT NULL,
    full_name   VARCHAR(200),
    role        VARCHAR(16)  NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    approved_at BIGINT,
    approved_by VARCHAR(36),
    PRIMARY KEY (user_id),
    CONSTRAINT uk_user_accounts_username UNIQUE (username),
    CONSTRAINT uk_user_accounts_email UNIQUE (email_key)
)${table_options};

CREATE INDEX ix_user_accounts_role_status ON user_accounts (role, status);

-- bcrypt hashes, outside the event store: events only record that a password was set.
CREATE TABLE user_credentials (
    user_id       VARCHAR(36) NOT NULL,
    password_hash VARCHAR(72) NOT NULL,
    updated_at    BIGINT      NOT NULL,
    PRIMARY KEY (user_id)
)${table_options};

-- Sessions by the SHA-256 of their token: a leaked table does not let anyone in.
CREATE TABLE sessions (
    token_hash CHAR(64)    NOT NULL,
    user_id    VARCHAR(36) NOT NULL,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    PRIMARY KEY (token_hash)
)${table_options};

CREATE INDEX ix_sessions_user ON sessions (user_id);
CREATE INDEX ix_sessions_expiry ON sessions (expires_at);

-- The query side's users read model, kept by the users-projection tracking processor.
CREATE TABLE users_view (
    user_id     VARCHAR(36)  NOT NULL,
    username    VARCHAR(32)  NOT NULL,
    email       VARCHAR(254) NOT NULL,
    full_name   VARCHAR(200),
    role        VARCHAR(16)  NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    approved_at BIGINT,
    approved_by VARCHAR(36),
    PRIMARY KEY (user_id)
)${table_options};

CREATE INDEX ix_users_view_username ON users_view (username);
CREATE INDEX ix_users_view_status ON users_view (status);
CREATE INDEX ix_users_view_role ON users_view (role);
