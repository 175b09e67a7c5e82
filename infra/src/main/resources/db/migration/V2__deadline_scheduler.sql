-- db-scheduler's table: Axon's DbSchedulerDeadlineManager keeps saga deadlines here, so they survive a restart
-- (trap 5).
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            ${blob},
    execution_time       ${timestamp} NOT NULL,
    picked               BOOLEAN      NOT NULL,
    picked_by            VARCHAR(50),
    last_success         ${timestamp} NULL,
    last_failure         ${timestamp} NULL,
    consecutive_failures INT,
    last_heartbeat       ${timestamp} NULL,
    version              BIGINT       NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
)${table_options};

CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority, execution_time);
