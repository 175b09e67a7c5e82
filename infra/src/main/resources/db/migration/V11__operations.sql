-- The operations read model behind /api/operations/{id}; target and result are JSON objects.
CREATE TABLE operation_view (
    id            VARCHAR(36)  NOT NULL,
    type          VARCHAR(32)  NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    target        ${json_text},
    owner_user_id VARCHAR(36),
    started_at    TIMESTAMP(3) NOT NULL,
    finished_at   TIMESTAMP(3),
    result        ${json_text},
    error         VARCHAR(2048),
    PRIMARY KEY (id)
)${table_options};
