package com.gpudash.infra.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the application, read from environment variables (and {@code .env}) and already checked.
 * The variable names of the Flask backend keep their meaning; see {@code .env.example} for each one.
 */
public record Settings(
        String mgmtServerIp,
        int mgmtServerPort,
        int metricsPort,
        int agentPort,
        List<String> agentsList,
        String dockerImage,
        String dockerTag,
        double dockerCpu,
        long dockerMemoryBytes,
        String workdirTemplate,
        String workdirDeploy,
        Path nginxConfigFile,
        Path dataDir,
        Optional<Database> externalDatabase,
        Optional<String> adminUsername,
        Optional<String> adminPassword,
        Duration sessionTtl,
        Optional<Path> sshPrivateKey,
        Optional<Path> sshKnownHosts,
        Optional<Path> dockerTlsCertDir,
        boolean dockerAllowPlainTcp,
        Duration telemetryInterval,
        int telemetryConcurrency,
        LogFormat logFormat,
        Containers containers) {

    /**
     * How users' containers are made, routed and watched.
     *
     * @param workspacePath  CONTAINER_WORKSPACE_PATH: where the workspace is mounted inside a container
     * @param servicePort    CONTAINER_SERVICE_PORT: the port of the web service inside a container
     * @param publishIp      CONTAINER_PUBLISH_IP: the server address that port is published on; nginx must reach it
     * @param nginxTestCommand   NGINX_TEST_COMMAND, a command line run without a shell
     * @param nginxReloadCommand NGINX_RELOAD_COMMAND, likewise
     * @param provisionTimeout   PROVISION_TIMEOUT: a provisioning not done by then is undone and fails
     * @param reconcileInterval  RECONCILE_INTERVAL: between two comparisons of the servers with the read model
     */
    public record Containers(String workspacePath, int servicePort, String publishIp, String nginxTestCommand,
                             String nginxReloadCommand, java.time.Duration provisionTimeout,
                             java.time.Duration reconcileInterval) {
    }

    /** A MySQL or MariaDB server; when absent the embedded H2 database under {@link #dataDir} is used. */
    public record Database(String host, int port, String user, String password, String name) {

        public String serverJdbcUrl() {
            return "jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=5000&socketTimeout=10000";
        }

        /**
         * Statements are prepared on the server, and batches go out in MariaDB's bulk protocol, one packet executed
         * with one prepared statement: the driver otherwise sent each row of a batch as its own text query for the
         * server to parse. A rebuild of 52,001 events (bench/replay.sh): audit 4,780 to 7,058 events/s, users 8,621
         * to 12,708. Bulk batches answer "done" without a count per row, which nothing here reads (the projections'
         * batches are idempotent upserts and updates, and Axon checks none of its batch counts).
         */
        public String jdbcUrl() {
            return "jdbc:mariadb://" + host + ":" + port + "/" + name + "?useServerPrepStmts=true&useBulkStmts=true";
        }

        public String r2dbcUrl() {
            return "r2dbc:mysql://" + host + ":" + port + "/" + name;
        }

        @Override
        public String toString() {
            return "Database[" + user + "@" + host + ":" + port + "/" + name + "]";
        }
    }

    public enum LogFormat { TEXT, JSON }

    public Path h2DatabaseFile() {
        return dataDir.resolve("gpudash").toAbsolutePath().normalize();
    }

    @Override
    public String toString() {
        // The admin password must never reach a log line through a careless toString().
        return "Settings[mgmt=" + mgmtServerIp + ":" + mgmtServerPort + ", metricsPort=" + metricsPort
                + ", database=" + externalDatabase.map(Database::toString).orElse("H2 " + h2DatabaseFile()) + "]";
    }
}
