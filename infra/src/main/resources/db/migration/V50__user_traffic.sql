-- Per-user API traffic behind GET /api/admin/traffic. Each node adds what it counted since its last flush, so the
-- totals survive restarts and add up across nodes.
CREATE TABLE user_traffic (
    user_id       VARCHAR(36)  NOT NULL,
    requests      BIGINT       NOT NULL,
    bytes_in      BIGINT       NOT NULL,
    bytes_out     BIGINT       NOT NULL,
    first_seen_at TIMESTAMP(3) NOT NULL,
    last_seen_at  TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (user_id)
)${table_options};

CREATE INDEX ix_user_traffic_requests ON user_traffic (requests);
