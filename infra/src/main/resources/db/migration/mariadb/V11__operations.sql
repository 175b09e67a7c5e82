-- The operations read model behind /api/operations/{id}; target and result are JSON objects.
CREATE TABLE operation_view (
    id            VARCHAR(36)  NOT NULL,
    type          VARCHAR(32)  NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    target        TEXT,
    owner_user_id VARCHAR(36),
    started_at    TIMESTAMP(3) NOT NULL,
    finished_at   TIMESTAMP(3),
    result        TEXT,
    error         VARCHAR(2048),
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
