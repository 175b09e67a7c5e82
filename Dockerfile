# The application as a container image. Build the jar first, then the image, from the repository root:
#   mvn -B -q -DskipTests package && docker build -t gpu-dashboard .
# Nothing secret is in the image: passwords, the SSH key and every setting come from the environment at run time
# (compose.yaml passes them from .env and its secrets). See README, "Run it in containers".

# Any image with a Java 17 runtime, bash and useradd (Debian or Ubuntu based).
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# Numeric, so that files the container writes on a bind mount (and a secret it must read) are owned by a known id.
ARG GPUDASH_UID=10001
ARG GPUDASH_GID=10001

# DATA_DIR (the embedded database, if used, and the log file) and the directory shared with the nginx container
# (the routes file and the requests to test and reload nginx, see deploy/compose/nginx-control.sh). A named volume
# mounted there for the first time takes this owner.
RUN groupadd --system --gid "${GPUDASH_GID}" gpudash \
    && useradd --system --uid "${GPUDASH_UID}" --gid gpudash --home-dir /var/lib/gpu-dashboard --no-create-home \
        --shell /usr/sbin/nologin gpudash \
    && install -d -o gpudash -g gpudash -m 0750 /var/lib/gpu-dashboard \
    && install -d -o gpudash -g gpudash -m 0755 /var/lib/gpudash-nginx /var/lib/gpudash-nginx/routes \
        /var/lib/gpudash-nginx/requests

COPY deploy/container/gpudash-healthcheck deploy/container/gpudash-nginx-request /usr/local/bin/
COPY infra/target/gpu-dashboard.jar /opt/gpu-dashboard/gpu-dashboard.jar

# In a container the API must listen on every address of the container to be reachable through its published port.
# The heap follows the container's memory limit; the rest of the limit is left to metaspace, threads and Netty's
# direct buffers. A JVM out of memory exits, and the container's restart policy starts a fresh one.
ENV MGMT_SERVER_IP=0.0.0.0 \
    MGMT_SERVER_PORT=8500 \
    METRICS_PORT=8501 \
    DATA_DIR=/var/lib/gpu-dashboard \
    LOG_FILE=/var/lib/gpu-dashboard/manager_backend.log \
    NGINX_CONFIG_FILE=/var/lib/gpudash-nginx/routes/gpudash-routes.conf \
    NGINX_TEST_COMMAND="gpudash-nginx-request test" \
    NGINX_RELOAD_COMMAND="gpudash-nginx-request reload" \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"

USER gpudash:gpudash
WORKDIR /var/lib/gpu-dashboard
VOLUME ["/var/lib/gpu-dashboard"]
EXPOSE 8500 8501

# /health answers 503 while start-up work runs (migrations, the first database round trips); a first start on an
# empty database takes up to a minute or two on a small machine.
HEALTHCHECK --interval=10s --timeout=5s --start-period=180s --retries=3 CMD ["gpudash-healthcheck"]

# java itself is PID 1 (exec form, no shell): docker stop's SIGTERM reaches the JVM, which runs Spring's graceful
# shutdown (server.shutdown=graceful, 10 s per phase) and exits with 143.
ENTRYPOINT ["java", "-jar", "/opt/gpu-dashboard/gpu-dashboard.jar"]
