-- Server names are unique among servers that exist. The command side keeps this table in the same transaction
-- as the event append, so a second server with a taken name is refused even when both requests race.
CREATE TABLE server_name_registry (
    name      VARCHAR(64) NOT NULL,
    server_id VARCHAR(36) NOT NULL,
    PRIMARY KEY (name)
)${table_options};

-- The servers read model, written by the server projection, read by the query endpoints.
CREATE TABLE server_view (
    id              VARCHAR(36)   NOT NULL,
    name            VARCHAR(64)   NOT NULL,
    host            VARCHAR(255)  NOT NULL,
    docker_endpoint VARCHAR(512)  NOT NULL,
    ssh_port        INT           NOT NULL,
    ssh_user        VARCHAR(32)   NOT NULL,
    ssh_host_key    VARCHAR(2048),
    status          VARCHAR(16)   NOT NULL,
    status_reason   VARCHAR(1024),
    gpu_count       INT           NOT NULL,
    max_containers  INT           NOT NULL,
    containers      INT           NOT NULL,
    created_at      TIMESTAMP(3)  NOT NULL,
    updated_at      TIMESTAMP(3)  NOT NULL,
    PRIMARY KEY (id)
)${table_options};

CREATE INDEX ix_server_view_name ON server_view (name);

CREATE TABLE server_gpu_view (
    server_id          VARCHAR(36)  NOT NULL,
    uuid               VARCHAR(128) NOT NULL,
    gpu_index          INT          NOT NULL,
    name               VARCHAR(255),
    memory_total_bytes BIGINT,
    PRIMARY KEY (server_id, uuid)
)${table_options};
