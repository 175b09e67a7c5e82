#!/usr/bin/env bash
# Starts, on loopback only, the real services the integration tests talk to:
# MariaDB, a Docker Engine with a tiny local test image (and, built once by
# test-deploy-images.sh, local Java, MariaDB and nginx images for the container
# tests), an sshd with pinned keys, plus the nginx and promtool binaries the
# tests drive themselves.
#
# Run as root on Debian (bookworm). Idempotent: a second run only checks that
# everything answers and prints the endpoints. Services keep running after the
# script exits, because Maven runs after it.
#
#   sudo scripts/test-services.sh            # then: mvn verify
#   eval "$(sudo scripts/test-services.sh | grep '^export ')"
#
# The TEST_* variables printed at the end are the ones the Java tests read, and
# the defaults below are the tests' defaults. Setting one in the environment
# overrides it; pointing a service at a non-loopback host means "use that one,
# start nothing locally".
#
# Docker notes (why the daemon flags look the way they do):
#  * The daemon runs with its own data root, exec root, pidfile and an empty
#    config file, so it never collides with, or picks up settings of, a Docker
#    the machine may have. If a daemon already answers on the endpoint it is
#    reused as is.
#  * --iptables=false / --ip-forward=false: the host firewall and routing are
#    left alone, so containers get no outbound NAT (the tests do not need it).
#    Containers still sit on the default bridge (docker0) with their own IP,
#    and published ports go through docker-proxy (the userland proxy), which
#    connects from the host straight to the container's bridge IP; no NAT
#    rules are needed for that.
#  * --ip=127.0.0.1: a port published without an address (-p 8080:8080) binds
#    to loopback instead of 0.0.0.0.
#  * Storage driver: left to dockerd (overlay2 where the kernel and backing
#    filesystem allow it, otherwise it falls back down to vfs); set
#    GPUDASH_DOCKER_STORAGE_DRIVER to force one.
set -euo pipefail

# `su` without "-" and some CI runners drop the sbin directories, where
# dockerd, sshd, mariadbd and start-stop-daemon live.
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

# ---------------------------------------------------------------- settings --
: "${TEST_DB_HOST:=127.0.0.1}"
: "${TEST_DB_PORT:=3306}"
: "${TEST_DB_USER:=root}"
: "${TEST_DB_PASSWORD:=}"
: "${TEST_DOCKER_ENDPOINT:=unix:///var/run/docker.sock}"
: "${TEST_DOCKER_IMAGE:=gpu-dev-env-test:latest}"
: "${TEST_JRE_IMAGE:=gpudash-jre-test:bookworm}"
: "${TEST_MARIADB_IMAGE:=gpudash-mariadb-test:bookworm}"
: "${TEST_NGINX_IMAGE:=gpudash-nginx-test:bookworm}"
: "${TEST_SSH_HOST:=127.0.0.1}"
: "${TEST_SSH_PORT:=2222}"
: "${TEST_SSH_USER:=root}"

STATE_DIR=/var/lib/gpudash-test
SSH_DIR=$STATE_DIR/ssh
# The OpenAPI linter, at a pinned version in a directory of its own (1.x still runs on Debian's Node.js 18).
REDOCLY_VERSION=1.34.20
REDOCLY_PREFIX=$STATE_DIR/redocly
NPM_LOG=/var/log/gpudash-npm.log

: "${TEST_SSH_PRIVATE_KEY:=$SSH_DIR/id_ed25519}"
: "${TEST_SSH_HOST_KEY_FILE:=$SSH_DIR/ssh_host_ed25519_key.pub}"
: "${TEST_SSH_KNOWN_HOSTS:=$SSH_DIR/known_hosts}"

WAIT_SECONDS=${GPUDASH_WAIT_SECONDS:-60}

PACKAGES=(mariadb-server mariadb-client docker.io busybox-static nginx
          openssh-server openssh-client prometheus curl iproute2 systemd debootstrap)
# Packages whose Debian service would listen on a public interface (or grab
# the default Docker socket) if it were started or enabled at boot.
AUTOSTART_GUARDED=(nginx openssh-server docker.io containerd)

MARIADB_RUN_DIR=/run/mysqld
MARIADB_DATADIR=/var/lib/mysql
MARIADB_SOCKET=$MARIADB_RUN_DIR/mysqld.sock
MARIADB_PIDFILE=$MARIADB_RUN_DIR/gpudash-mariadbd.pid
MARIADB_LOG=/var/log/gpudash-mariadb.log

DOCKER_DATA_ROOT=/var/lib/gpudash-docker
DOCKER_EXEC_ROOT=/var/run/gpudash-docker
DOCKER_PIDFILE=/var/run/gpudash-dockerd.pid
DOCKER_CONFIG_FILE=$STATE_DIR/dockerd.json
DOCKER_LOG=/var/log/gpudash-dockerd.log
DOCKER_UNIX_ENDPOINT=unix:///var/run/docker.sock
DOCKER_TCP_ENDPOINT=tcp://127.0.0.1:2375

SSHD_CONFIG=$SSH_DIR/sshd_config
SSHD_HOST_KEY=$SSH_DIR/ssh_host_ed25519_key
SSHD_AUTHORIZED_KEYS=$SSH_DIR/authorized_keys
SSHD_PIDFILE=$SSH_DIR/sshd.pid
SSHD_LOG=/var/log/gpudash-sshd.log

NEWLY_INSTALLED=()
POLICY_RC=/usr/sbin/policy-rc.d
POLICY_RC_BACKUP=""
POLICY_RC_OURS=0
VERIFY_CONTAINER=""

# ----------------------------------------------------------------- helpers --
log() { echo "[test-services] $*"; }
warn() { echo "[test-services] WARNING: $*" >&2; }
die() { echo "[test-services] ERROR: $*" >&2; exit 1; }

is_loopback() {
    case "$1" in
        127.*|localhost|::1|'[::1]') return 0 ;;
        *) return 1 ;;
    esac
}

port_open() { # host port
    # shellcheck disable=SC2016 # expanded by the inner bash, from $0/$1
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

show_log_tail() { # logfile
    if [[ -f $1 ]]; then
        tail -n 20 "$1" | sed 's/^/    /' >&2
    fi
}

# Polls "$@" until it succeeds; gives up after WAIT_SECONDS so CI never hangs,
# or at once if the daemon's process (pid, "-" if unknown) has died.
wait_until() { # what logfile pid command...
    local what=$1 logfile=$2 pid=$3
    shift 3
    local deadline=$((SECONDS + WAIT_SECONDS))
    until "$@" >/dev/null 2>&1; do
        if [[ $pid != - ]] && ! kill -0 "$pid" 2>/dev/null; then
            show_log_tail "$logfile"
            die "$what exited while starting; read $logfile"
        fi
        if ((SECONDS >= deadline)); then
            show_log_tail "$logfile"
            die "$what did not come up within ${WAIT_SECONDS}s; read $logfile"
        fi
        sleep 0.5
    done
}

# Writes stdin to a file only when the content differs; returns 0 when it
# changed, so callers can reload what depends on it.
write_if_changed() { # file mode
    local file=$1 mode=$2 tmp
    tmp=$(mktemp "$file.XXXXXX")
    cat >"$tmp"
    chmod "$mode" "$tmp"
    if [[ -f $file ]] && cmp -s "$tmp" "$file"; then
        rm -f "$tmp"
        return 1
    fi
    mv -f "$tmp" "$file"
}

pid_alive() { # pidfile
    [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

package_installed() {
    [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) == "ii " ]]
}

# Whatever way the script ends, leave no temporary policy or check container.
on_exit() {
    restore_service_policy
    remove_verify_container
}
trap on_exit EXIT

# --------------------------------------------------------------- packages --
# policy-rc.d "exit 101" keeps maintainer scripts from starting the distro's
# nginx/sshd/dockerd (on 0.0.0.0:80, 0.0.0.0:22, the default socket) during
# installation. Any policy the machine already had is put back afterwards.
block_service_autostart() {
    if [[ -e $POLICY_RC ]]; then
        POLICY_RC_BACKUP=$(mktemp /usr/sbin/policy-rc.d.gpudash.XXXXXX)
        cp -p "$POLICY_RC" "$POLICY_RC_BACKUP"
    fi
    POLICY_RC_OURS=1
    printf '#!/bin/sh\n# written by test-services.sh during apt-get install\nexit 101\n' >"$POLICY_RC"
    chmod 755 "$POLICY_RC"
}

restore_service_policy() {
    ((POLICY_RC_OURS)) || return 0
    if [[ -n $POLICY_RC_BACKUP ]]; then
        mv -f "$POLICY_RC_BACKUP" "$POLICY_RC"
    else
        rm -f "$POLICY_RC"
    fi
    POLICY_RC_BACKUP=""
    POLICY_RC_OURS=0
}

# policy-rc.d stops the start now; on a systemd machine the units are still
# enabled and would start (publicly) at the next boot.
disable_boot_start() {
    local pkg unit
    for pkg in "${NEWLY_INSTALLED[@]}"; do
        case $pkg in
            nginx) set -- nginx.service ;;
            openssh-server) set -- ssh.service ssh.socket ;;
            docker.io) set -- docker.service docker.socket ;;
            containerd) set -- containerd.service ;;
            *) continue ;;
        esac
        if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
            for unit in "$@"; do systemctl disable --quiet "$unit" 2>/dev/null || true; done
        elif command -v update-rc.d >/dev/null; then
            for unit in "$@"; do
                unit=${unit%.*}
                if [[ -e /etc/init.d/$unit ]]; then
                    update-rc.d "$unit" disable >/dev/null 2>&1 || true
                fi
            done
        fi
    done
}

# Belt and braces: if a maintainer script started a public listener anyway,
# stop it (only for packages this run installed, so nothing of the user's).
stop_public_autostarts() {
    local pkg
    for pkg in "${NEWLY_INSTALLED[@]}"; do
        case $pkg in
            nginx)
                if pidof nginx >/dev/null; then
                    warn "nginx was started by its package; stopping it"
                    start-stop-daemon --stop --quiet --oknodo --retry 5 --exec /usr/sbin/nginx || true
                fi ;;
            openssh-server)
                if [[ -s /run/sshd.pid ]]; then
                    warn "sshd was started by its package; stopping it"
                    start-stop-daemon --stop --quiet --oknodo --retry 5 --pidfile /run/sshd.pid || true
                fi ;;
        esac
    done
}

install_packages() {
    local wanted=() missing=() pkg
    for pkg in "${PACKAGES[@]}"; do
        # A remote database needs no local server.
        [[ $pkg == mariadb-server ]] && ! is_loopback "$TEST_DB_HOST" && continue
        wanted+=("$pkg")
    done
    for pkg in "${wanted[@]}"; do
        package_installed "$pkg" || missing+=("$pkg")
    done
    # The build itself: a machine that already has a JDK 17+ and Maven (from anywhere) keeps them.
    command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    # Node.js runs the OpenAPI linter; one installed from elsewhere (18.17 or newer) is kept.
    command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
    # ComposeStackIT brings compose.yaml up with `docker compose`, or else Debian's docker-compose (1.29).
    if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
        missing+=(docker-compose)
    fi
    if ((${#missing[@]} == 0)); then
        log "packages: all present"
        return
    fi
    for pkg in "${AUTOSTART_GUARDED[@]}"; do
        package_installed "$pkg" || NEWLY_INSTALLED+=("$pkg")
    done
    log "packages: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    block_service_autostart
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confold \
        "${missing[@]}" >/var/log/gpudash-apt.log 2>&1 \
        || { tail -n 30 /var/log/gpudash-apt.log >&2; die "apt-get install failed; read /var/log/gpudash-apt.log"; }
    restore_service_policy
    disable_boot_start
    stop_public_autostarts
    log "packages: installed (log: /var/log/gpudash-apt.log)"
}

# ----------------------------------------------------------------- mariadb --
db_tcp_login() {
    MYSQL_PWD=$TEST_DB_PASSWORD mariadb --protocol=tcp -h "$TEST_DB_HOST" -P "$TEST_DB_PORT" \
        -u "$TEST_DB_USER" --connect-timeout=3 -e 'select 1' >/dev/null 2>&1
}

db_socket_root() {
    mariadb --protocol=socket -S "$MARIADB_SOCKET" -uroot --connect-timeout=3 "$@"
}

sql_quote() { printf "'%s'" "${1//\'/\'\'}"; }

# A fresh Debian datadir only lets root in through the unix socket; the tests
# log in over TCP with TEST_DB_USER/TEST_DB_PASSWORD. Only ever done on the
# server this script started, never on one the user runs.
# The account is created for host 127.0.0.1 (the server runs with
# skip-name-resolve), which leaves root@localhost's socket login as it was.
grant_test_user() {
    local account
    account="$(sql_quote "$TEST_DB_USER")@'127.0.0.1'"
    log "mariadb: allowing $TEST_DB_USER@127.0.0.1 over TCP"
    db_socket_root -e "
        CREATE USER IF NOT EXISTS $account;
        ALTER USER $account IDENTIFIED BY $(sql_quote "$TEST_DB_PASSWORD");
        GRANT ALL PRIVILEGES ON *.* TO $account WITH GRANT OPTION;" \
        || die "mariadb: could not create $TEST_DB_USER@127.0.0.1; read $MARIADB_LOG"
}

start_mariadb() {
    install -d -o mysql -g mysql -m 755 "$MARIADB_RUN_DIR"
    if [[ ! -d $MARIADB_DATADIR/mysql ]]; then
        log "mariadb: initialising $MARIADB_DATADIR"
        mariadb-install-db --user=mysql --datadir="$MARIADB_DATADIR" --skip-test-db \
            >>"$MARIADB_LOG" 2>&1 || die "mariadb-install-db failed; read $MARIADB_LOG"
    fi
    log "mariadb: starting on 127.0.0.1:$TEST_DB_PORT"
    # Command-line options win over /etc/mysql, so whatever the distro config
    # says, this instance only listens on loopback.
    start-stop-daemon --start --oknodo --quiet --background \
        --pidfile "$MARIADB_PIDFILE" --exec /usr/sbin/mariadbd -- \
        --user=mysql --datadir="$MARIADB_DATADIR" \
        --bind-address=127.0.0.1 --port="$TEST_DB_PORT" --skip-networking=0 \
        --skip-name-resolve --socket="$MARIADB_SOCKET" \
        --pid-file="$MARIADB_PIDFILE" --log-error="$MARIADB_LOG" \
        || die "mariadb: start-stop-daemon failed; read $MARIADB_LOG"
    wait_until "MariaDB (socket $MARIADB_SOCKET)" "$MARIADB_LOG" - db_socket_root -e 'select 1'
    wait_until "MariaDB (127.0.0.1:$TEST_DB_PORT)" "$MARIADB_LOG" - port_open 127.0.0.1 "$TEST_DB_PORT"
}

ensure_mariadb() {
    if ! is_loopback "$TEST_DB_HOST"; then
        log "mariadb: TEST_DB_HOST=$TEST_DB_HOST is remote; starting nothing"
    elif port_open "$TEST_DB_HOST" "$TEST_DB_PORT"; then
        log "mariadb: already listening on $TEST_DB_HOST:$TEST_DB_PORT, reusing it"
    else
        start_mariadb
    fi
    if ! db_tcp_login; then
        if ! is_loopback "$TEST_DB_HOST"; then
            die "mariadb: cannot log in as $TEST_DB_USER at $TEST_DB_HOST:$TEST_DB_PORT over TCP (host reachable? TEST_DB_PASSWORD right?)"
        fi
        pid_alive "$MARIADB_PIDFILE" && grant_test_user
        db_tcp_login || die "mariadb: cannot log in as $TEST_DB_USER at $TEST_DB_HOST:$TEST_DB_PORT over TCP (wrong TEST_DB_PASSWORD? server log, if this script started it: $MARIADB_LOG)"
    fi
    log "mariadb: ok ($TEST_DB_USER@$TEST_DB_HOST:$TEST_DB_PORT)"
    reset_test_databases
}

# Each run of the test command starts from empty test databases (gpudash_test*): the schema is Flyway's, and a database left
# by a checkout with other migrations would fail Flyway's validation for this one.
reset_test_databases() {
    local databases db
    databases=$(MYSQL_PWD=$TEST_DB_PASSWORD mariadb --protocol=tcp -h "$TEST_DB_HOST" -P "$TEST_DB_PORT" \
        -u "$TEST_DB_USER" -N -B -e "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'gpudash\\_test%'") \
        || die "mariadb: cannot list the test databases"
    for db in $databases; do
        MYSQL_PWD=$TEST_DB_PASSWORD mariadb --protocol=tcp -h "$TEST_DB_HOST" -P "$TEST_DB_PORT" \
            -u "$TEST_DB_USER" -e "DROP DATABASE \`$db\`" || die "mariadb: cannot drop test database $db"
    done
    [[ -z $databases ]] || log "mariadb: dropped the test databases of earlier runs: $(echo $databases)"
}

# ------------------------------------------------------------------ docker --
dk() { docker -H "$TEST_DOCKER_ENDPOINT" "$@"; }

docker_answers() { timeout 10 docker -H "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

docker_endpoint_is_ours() {
    [[ $TEST_DOCKER_ENDPOINT == "$DOCKER_UNIX_ENDPOINT" || $TEST_DOCKER_ENDPOINT == "$DOCKER_TCP_ENDPOINT" ]]
}

start_dockerd() {
    local args pid
    command -v dockerd >/dev/null || die "docker: dockerd not found (is docker.io installed?)"
    install -d -m 710 "$DOCKER_DATA_ROOT"
    install -d -m 700 "$DOCKER_EXEC_ROOT"
    # An empty config file of our own: a machine-wide /etc/docker/daemon.json
    # that also sets "hosts" would otherwise make dockerd refuse to start.
    [[ -f $DOCKER_CONFIG_FILE ]] || echo '{}' >"$DOCKER_CONFIG_FILE"
    args=(--host "$DOCKER_UNIX_ENDPOINT" --host "$DOCKER_TCP_ENDPOINT"
          --config-file "$DOCKER_CONFIG_FILE"
          --data-root "$DOCKER_DATA_ROOT" --exec-root "$DOCKER_EXEC_ROOT"
          --pidfile "$DOCKER_PIDFILE"
          --exec-opt native.cgroupdriver=cgroupfs
          --iptables=false --ip-forward=false --ip-masq=false
          --userland-proxy=true --ip=127.0.0.1)
    [[ -n ${GPUDASH_DOCKER_STORAGE_DRIVER:-} ]] && args+=(--storage-driver "$GPUDASH_DOCKER_STORAGE_DRIVER")
    log "docker: starting dockerd (log: $DOCKER_LOG)"
    echo "=== $(date -Is) test-services.sh starting dockerd ${args[*]}" >>"$DOCKER_LOG"
    # Own session, so it outlives this script and the terminal. A background
    # job of a script is not a group leader, so setsid execs without forking
    # and $! is dockerd itself.
    setsid dockerd "${args[@]}" >>"$DOCKER_LOG" 2>&1 </dev/null &
    pid=$!
    disown "$pid"
    wait_until "Docker Engine ($TEST_DOCKER_ENDPOINT)" "$DOCKER_LOG" "$pid" docker_answers "$TEST_DOCKER_ENDPOINT"
    DOCKER_CHANGED=1
}

ensure_docker() {
    DOCKER_CHANGED=0
    command -v docker >/dev/null || die "docker: no docker client on PATH"
    if docker_answers "$TEST_DOCKER_ENDPOINT"; then
        log "docker: already answering on $TEST_DOCKER_ENDPOINT, reusing it"
    elif docker_endpoint_is_ours; then
        if pid_alive "$DOCKER_PIDFILE"; then
            die "docker: dockerd (pid $(cat "$DOCKER_PIDFILE")) runs but does not answer on $TEST_DOCKER_ENDPOINT; read $DOCKER_LOG"
        fi
        start_dockerd
    else
        die "docker: nothing answers on TEST_DOCKER_ENDPOINT=$TEST_DOCKER_ENDPOINT (not ours to start)"
    fi
    if docker_endpoint_is_ours && pid_alive "$DOCKER_PIDFILE"; then
        docker_answers "$DOCKER_TCP_ENDPOINT" \
            || warn "docker: $DOCKER_TCP_ENDPOINT does not answer (the unix socket does)"
    fi
    log "docker: ok (server $(dk version --format '{{.Server.Version}} API {{.Server.APIVersion}}'))"
}

# The image is made from the static busybox only: no registry is reachable,
# and this is enough for a container that serves /workspace over HTTP.
build_test_image() {
    local tmp rootfs applet
    [[ -x /bin/busybox ]] || die "image: /bin/busybox missing (is busybox-static installed?)"
    if ldd /bin/busybox >/dev/null 2>&1; then
        die "image: /bin/busybox is dynamically linked; install busybox-static"
    fi
    tmp=$(mktemp -d /tmp/gpudash-image.XXXXXX)
    rootfs=$tmp/rootfs
    mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,workspace,proc,sys,dev}
    chmod 1777 "$rootfs/tmp"
    cp /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [[ -e $rootfs/bin/$applet ]] || ln -s busybox "$rootfs/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
    printf '<!doctype html>\n<html><body><h1>gpu-dev-env-test</h1><p>workspace ok</p></body></html>\n' \
        >"$rootfs/workspace/index.html"
    # PID 1 ignores SIGTERM unless it traps it: the sh wrapper makes
    # `docker stop` return at once instead of after the 10 s kill timeout.
    tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . \
        | dk import \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'WORKDIR /workspace' \
            --change 'EXPOSE 8080' \
            --change 'LABEL org.opencontainers.image.title=gpu-dev-env-test' \
            --change 'CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; /bin/httpd -f -p 8080 -h /workspace & wait"]' \
            --message 'gpu-dev-env-test: busybox httpd serving /workspace on :8080' \
            - "$TEST_DOCKER_IMAGE" >/dev/null \
        || { rm -rf "$tmp"; die "image: docker import of $TEST_DOCKER_IMAGE failed"; }
    rm -rf "$tmp"
}

remove_verify_container() {
    if [[ -n $VERIFY_CONTAINER ]]; then
        dk rm -f "$VERIFY_CONTAINER" >/dev/null 2>&1 || true
        VERIFY_CONTAINER=""
    fi
}

# The whole lifecycle the tests rely on: create, start, reach the published
# loopback port from the host, stop, remove.
verify_container_lifecycle() {
    local hostport body t0 out
    VERIFY_CONTAINER=gpudash-test-services-check-$$
    # Output kept for failures only: with --ip-forward=false the client always
    # warns "IPv4 forwarding is disabled", which is expected here (containers
    # need no route out; the host reaches them directly on the bridge).
    out=$(dk create --name "$VERIFY_CONTAINER" -p 127.0.0.1::8080 "$TEST_DOCKER_IMAGE" 2>&1) \
        || die "docker: cannot create a container from $TEST_DOCKER_IMAGE: $out; read $DOCKER_LOG"
    dk start "$VERIFY_CONTAINER" >/dev/null \
        || die "docker: cannot start a container from $TEST_DOCKER_IMAGE; read $DOCKER_LOG"
    hostport=$(dk port "$VERIFY_CONTAINER" 8080/tcp | head -n 1)
    [[ $hostport == 127.0.0.1:* ]] || die "docker: container port 8080 not published on 127.0.0.1 (got '$hostport')"
    local deadline=$((SECONDS + 20))
    until body=$(curl -fsS --max-time 2 "http://$hostport/" 2>/dev/null) && [[ $body == *gpu-dev-env-test* ]]; do
        ((SECONDS < deadline)) || die "docker: published port http://$hostport/ not reachable from the host; read $DOCKER_LOG"
        sleep 0.5
    done
    t0=$SECONDS
    dk stop "$VERIFY_CONTAINER" >/dev/null || die "docker: cannot stop the check container"
    ((SECONDS - t0 < 8)) || warn "docker: stopping the check container took $((SECONDS - t0))s"
    dk rm "$VERIFY_CONTAINER" >/dev/null || die "docker: cannot remove the check container"
    VERIFY_CONTAINER=""
    log "docker: container create/start/publish(http://$hostport)/stop/rm ok"
}

ensure_test_image() {
    local built=0
    if dk image inspect "$TEST_DOCKER_IMAGE" >/dev/null 2>&1; then
        log "image: $TEST_DOCKER_IMAGE present"
    else
        log "image: building $TEST_DOCKER_IMAGE from busybox-static"
        build_test_image
        built=1
    fi
    # Only worth the second or two when something changed.
    if ((built || DOCKER_CHANGED)); then
        verify_container_lifecycle
    fi
}

# The local stand-ins for the public images of the Dockerfile and compose.yaml (a Java 17 runtime, MariaDB,
# nginx), made from Debian packages by their own script, which can also run alone.
ensure_deploy_images() {
    TEST_DOCKER_ENDPOINT=$TEST_DOCKER_ENDPOINT TEST_JRE_IMAGE=$TEST_JRE_IMAGE TEST_MARIADB_IMAGE=$TEST_MARIADB_IMAGE \
        TEST_NGINX_IMAGE=$TEST_NGINX_IMAGE bash "$(dirname "${BASH_SOURCE[0]}")/test-deploy-images.sh" \
        || die "images: scripts/test-deploy-images.sh failed"
}

# --------------------------------------------------------------------- ssh --
ensure_ssh_keys() {
    install -d -m 700 "$STATE_DIR" "$SSH_DIR"
    # ed25519 only: with a single host key type there is exactly one key a
    # client can be offered, so pinning it cannot be ambiguous.
    [[ -f $SSHD_HOST_KEY ]] || ssh-keygen -q -t ed25519 -N '' -C gpudash-test-host -f "$SSHD_HOST_KEY"
    [[ -f $SSHD_HOST_KEY.pub ]] || ssh-keygen -y -f "$SSHD_HOST_KEY" >"$SSHD_HOST_KEY.pub"
    if [[ ! -f $TEST_SSH_PRIVATE_KEY ]]; then
        install -d -m 700 "$(dirname "$TEST_SSH_PRIVATE_KEY")"
        ssh-keygen -q -t ed25519 -N '' -C gpudash-test-client -f "$TEST_SSH_PRIVATE_KEY"
    fi
    [[ -f $TEST_SSH_PRIVATE_KEY.pub ]] || ssh-keygen -y -f "$TEST_SSH_PRIVATE_KEY" >"$TEST_SSH_PRIVATE_KEY.pub"
    if [[ $TEST_SSH_HOST_KEY_FILE != "$SSHD_HOST_KEY.pub" ]]; then
        install -m 644 "$SSHD_HOST_KEY.pub" "$TEST_SSH_HOST_KEY_FILE"
    fi
    # The authorized key lives in the state dir, so ~/.ssh stays untouched.
    write_if_changed "$SSHD_AUTHORIZED_KEYS" 600 <"$TEST_SSH_PRIVATE_KEY.pub" || true
    local host_field="[$TEST_SSH_HOST]:$TEST_SSH_PORT" keytype key _
    [[ $TEST_SSH_PORT == 22 ]] && host_field=$TEST_SSH_HOST
    read -r keytype key _ <"$SSHD_HOST_KEY.pub"
    echo "$host_field $keytype $key" | write_if_changed "$TEST_SSH_KNOWN_HOSTS" 644 || true
}

write_sshd_config() {
    # Without PAM, OpenSSH refuses accounts whose password field starts with
    # "!" (locked) even for key logins; some installs lock root that way.
    local use_pam=no
    [[ $(getent shadow "$TEST_SSH_USER" | cut -d: -f2) == '!'* ]] && use_pam=yes
    # SetEnv SHLVL=1: bash reads ~/.bashrc for a command that sshd starts only
    # when it is a top-level shell, and SHLVL=1 makes it a nested one. A test
    # machine's root bashrc may do slow work (pyenv init: 0.5 s, and a lock
    # every command shares): 20 commands at once took the load to 40 and the
    # SSH tests past their time limits. A GPU server's login should be light
    # too (README); this keeps the tests about the product, not the bashrc.
    write_if_changed "$SSHD_CONFIG" 600 <<EOF
# Written by scripts/test-services.sh: test sshd on loopback only.
Port $TEST_SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSHD_HOST_KEY
HostKeyAlgorithms ssh-ed25519
PidFile $SSHD_PIDFILE
AuthorizedKeysFile $SSHD_AUTHORIZED_KEYS
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM $use_pam
StrictModes yes
X11Forwarding no
PrintMotd no
PrintLastLog no
AcceptEnv LANG LC_*
SetEnv SHLVL=1
Subsystem sftp internal-sftp
LogLevel INFO
EOF
}

# Runs "$@" on the test sshd as TEST_SSH_USER, trusting only its pinned host key.
ssh_run() {
    timeout 15 ssh -F /dev/null -i "$TEST_SSH_PRIVATE_KEY" -p "$TEST_SSH_PORT" \
        -o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=5 \
        -o UserKnownHostsFile="$TEST_SSH_KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null \
        -o StrictHostKeyChecking=yes -o LogLevel=ERROR \
        "$TEST_SSH_USER@$TEST_SSH_HOST" "$@"
}

ssh_login() { ssh_run true; }

# The ssh:// Docker endpoint tests run `docker system dial-stdio` through this
# sshd: the login's PATH must find the docker CLI, and its default engine must
# be the test engine.
ssh_docker() { ssh_run docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start_sshd() {
    install -d -m 755 /run/sshd # privilege separation directory
    /usr/sbin/sshd -t -f "$SSHD_CONFIG" 2>>"$SSHD_LOG" || die "sshd: config $SSHD_CONFIG rejected; read $SSHD_LOG"
    log "sshd: starting on 127.0.0.1:$TEST_SSH_PORT (log: $SSHD_LOG)"
    # sshd daemonises itself and outlives this script.
    /usr/sbin/sshd -f "$SSHD_CONFIG" -E "$SSHD_LOG" || die "sshd: failed to start; read $SSHD_LOG"
    wait_until "sshd (127.0.0.1:$TEST_SSH_PORT)" "$SSHD_LOG" - port_open 127.0.0.1 "$TEST_SSH_PORT"
}

stop_sshd() {
    start-stop-daemon --stop --quiet --oknodo --retry TERM/10/KILL/5 \
        --pidfile "$SSHD_PIDFILE" --exec /usr/sbin/sshd
    rm -f "$SSHD_PIDFILE"
}

ensure_sshd() {
    if ! is_loopback "$TEST_SSH_HOST"; then
        log "sshd: TEST_SSH_HOST=$TEST_SSH_HOST is remote; starting nothing"
        return
    fi
    ensure_ssh_keys
    # A changed config (e.g. another TEST_SSH_PORT) means a restart, not a
    # SIGHUP: a reload that cannot bind the new port would just exit.
    if write_sshd_config && pid_alive "$SSHD_PIDFILE"; then
        log "sshd: config changed, restarting"
        stop_sshd
    fi
    if port_open 127.0.0.1 "$TEST_SSH_PORT"; then
        log "sshd: already listening on 127.0.0.1:$TEST_SSH_PORT, reusing it"
    else
        start_sshd
    fi
    ssh_login || die "sshd: key login as $TEST_SSH_USER@$TEST_SSH_HOST:$TEST_SSH_PORT with pinned host key failed; read $SSHD_LOG"
    ssh_docker || die "sshd: 'docker version' as $TEST_SSH_USER over SSH does not reach the Docker Engine (the docker CLI must be on the login's PATH and reach $DOCKER_UNIX_ENDPOINT)"
    log "sshd: ok ($TEST_SSH_USER@$TEST_SSH_HOST:$TEST_SSH_PORT, host key pinned, docker CLI reaches the engine)"
}

# ------------------------------------------------------------------- nginx --
ensure_tools() {
    TEST_NGINX_BIN=${TEST_NGINX_BIN:-$(command -v nginx || true)}
    [[ -z $TEST_NGINX_BIN && -x /usr/sbin/nginx ]] && TEST_NGINX_BIN=/usr/sbin/nginx
    [[ -x $TEST_NGINX_BIN ]] || die "nginx: binary not found (is nginx installed?)"
    log "nginx: $TEST_NGINX_BIN (tests start their own instances)"
    PROMTOOL_BIN=$(command -v promtool || true)
    [[ -n $PROMTOOL_BIN ]] || die "promtool: not found (is prometheus installed?)"
    # The engine-outage tests start (and kill) a dockerd of their own, on a bridge of their own (TestDockerd).
    TEST_DOCKERD_BIN=${TEST_DOCKERD_BIN:-$(command -v dockerd || true)}
    [[ -x $TEST_DOCKERD_BIN ]] || die "dockerd: binary not found (is docker.io installed?)"
    TEST_DOCKER_BIN=${TEST_DOCKER_BIN:-$(command -v docker || true)}
    [[ -x $TEST_DOCKER_BIN ]] || die "docker: client not found (is docker.io installed?)"
    command -v ip >/dev/null || die "ip: not found (is iproute2 installed?)"
    log "dockerd: $TEST_DOCKERD_BIN (engine-outage tests start their own)"
    # SystemdUnitTest checks deploy/systemd/gpu-dashboard.service with it.
    TEST_SYSTEMD_ANALYZE_BIN=${TEST_SYSTEMD_ANALYZE_BIN:-$(command -v systemd-analyze || true)}
    [[ -x $TEST_SYSTEMD_ANALYZE_BIN ]] || die "systemd-analyze: not found (is systemd installed?)"
    log "systemd-analyze: $TEST_SYSTEMD_ANALYZE_BIN"
}

# ------------------------------------------------------------ openapi lint --
# OpenApiDocumentTest lints docs/openapi.yaml with Redocly's CLI; PolkitRuleTest runs deploy/polkit's rule in Node.
ensure_openapi_linter() {
    TEST_NODE_BIN=${TEST_NODE_BIN:-$(command -v node || true)}
    [[ -x $TEST_NODE_BIN ]] || die "node: not found (is nodejs installed?)"
    if [[ -n ${TEST_REDOCLY_BIN:-} ]]; then
        [[ -x $TEST_REDOCLY_BIN ]] || die "redocly: no executable at TEST_REDOCLY_BIN=$TEST_REDOCLY_BIN"
    else
        command -v npm >/dev/null || die "npm: not found (is npm installed?)"
        TEST_REDOCLY_BIN=$REDOCLY_PREFIX/node_modules/.bin/redocly
        if [[ $(REDOCLY_TELEMETRY=off "$TEST_REDOCLY_BIN" --version 2>/dev/null) != "$REDOCLY_VERSION" ]]; then
            log "redocly: installing @redocly/cli@$REDOCLY_VERSION into $REDOCLY_PREFIX"
            install -d -m 755 "$REDOCLY_PREFIX"
            npm install --prefix "$REDOCLY_PREFIX" --no-audit --no-fund --loglevel=error \
                "@redocly/cli@$REDOCLY_VERSION" >"$NPM_LOG" 2>&1 \
                || { tail -n 30 "$NPM_LOG" >&2; die "npm install of @redocly/cli failed; read $NPM_LOG"; }
        fi
    fi
    log "redocly: $TEST_REDOCLY_BIN ($(REDOCLY_TELEMETRY=off "$TEST_REDOCLY_BIN" --version))"
}

# ----------------------------------------------------------------- summary --
print_var() { # name
    local value=${!1}
    if [[ $value =~ ^[A-Za-z0-9_./:@+,=-]*$ ]]; then
        printf 'export %s=%s\n' "$1" "$value"
    else
        printf 'export %s=%q\n' "$1" "$value"
    fi
}

print_summary() {
    log "all services are up. Endpoints for the tests:"
    local v
    for v in TEST_DB_HOST TEST_DB_PORT TEST_DB_USER TEST_DB_PASSWORD \
             TEST_DOCKER_ENDPOINT TEST_DOCKER_IMAGE TEST_JRE_IMAGE TEST_MARIADB_IMAGE TEST_NGINX_IMAGE \
             TEST_SSH_HOST TEST_SSH_PORT TEST_SSH_USER TEST_SSH_PRIVATE_KEY \
             TEST_SSH_HOST_KEY_FILE TEST_SSH_KNOWN_HOSTS TEST_NGINX_BIN TEST_DOCKERD_BIN TEST_DOCKER_BIN \
             TEST_SYSTEMD_ANALYZE_BIN TEST_NODE_BIN TEST_REDOCLY_BIN; do
        print_var "$v"
    done
    if docker_endpoint_is_ours && pid_alive "$DOCKER_PIDFILE"; then
        log "docker: $DOCKER_UNIX_ENDPOINT and $DOCKER_TCP_ENDPOINT both reach the same engine"
        log "docker networking: default bridge, no iptables/NAT; published ports (127.0.0.1 by default) are served by docker-proxy"
    fi
    log "promtool: $PROMTOOL_BIN"
}

main() {
    [[ $(id -u) == 0 ]] || die "run as root (it installs packages and starts daemons)"
    local t0=$SECONDS
    install_packages
    install -d -m 700 "$STATE_DIR"
    ensure_mariadb
    ensure_docker
    ensure_test_image
    ensure_deploy_images
    ensure_sshd
    ensure_tools
    ensure_openapi_linter
    print_summary
    log "done in $((SECONDS - t0))s"
}

main "$@"
