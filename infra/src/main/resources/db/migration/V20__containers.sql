-- The containers read model: the contract's container object (serverName is joined from server_view).
CREATE TABLE container_view (
    id                  VARCHAR(36)   NOT NULL,
    user_id             VARCHAR(36)   NOT NULL,
    username            VARCHAR(32)   NOT NULL,
    server_id           VARCHAR(36),
    docker_container_id VARCHAR(128),
    container_name      VARCHAR(64)   NOT NULL,
    image               VARCHAR(512),
    status              VARCHAR(16)   NOT NULL,
    gpus                VARCHAR(4000) NOT NULL,
    cpus                DOUBLE,
    memory_bytes        BIGINT,
    host_port           INT,
    route_path          VARCHAR(64),
    url                 VARCHAR(512),
    failure_reason      VARCHAR(4000),
    updated_at          TIMESTAMP(3)  NOT NULL,
    PRIMARY KEY (id)
)${table_options};

CREATE INDEX ix_container_view_user ON container_view (user_id);
CREATE INDEX ix_container_view_server ON container_view (server_id);

-- The routes nginx serves: one per user whose container is started and routed.
CREATE TABLE route_view (
    username      VARCHAR(32)  NOT NULL,
    container_id  VARCHAR(36)  NOT NULL,
    upstream_host VARCHAR(255) NOT NULL,
    upstream_port INT          NOT NULL,
    PRIMARY KEY (username)
)${table_options};

-- Each server's ledger of container slots and GPUs, as placement reads it.
CREATE TABLE server_reservation_view (
    server_id    VARCHAR(36) NOT NULL,
    container_id VARCHAR(36) NOT NULL,
    gpu_count    INT         NOT NULL,
    PRIMARY KEY (server_id, container_id)
)${table_options};

-- Labels this installation's containers, so that reconciliation never touches another one's on a shared engine.
CREATE TABLE gpudash_installation (
    id VARCHAR(36) NOT NULL,
    PRIMARY KEY (id)
)${table_options};

INSERT INTO gpudash_installation (id) VALUES (${new_uuid});
