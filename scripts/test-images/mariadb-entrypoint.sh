#!/bin/sh
# The part of the public mariadb image's entrypoint the compose file relies on: on the first start (an empty
# /var/lib/mysql) create the system tables, set MARIADB_ROOT_PASSWORD for root (from anywhere, as there) and create MARIADB_DATABASE with
# MARIADB_USER / MARIADB_PASSWORD allowed in it from anywhere; then run the server on every address.
set -eu

sql_string() { # value: as a quoted SQL string literal
    printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"
}

sql_name() { # value: as a quoted SQL identifier
    printf '`%s`' "$(printf '%s' "$1" | sed -e 's/`/``/g')"
}

first_start() {
    : "${MARIADB_ROOT_PASSWORD:?the first start needs MARIADB_ROOT_PASSWORD}"
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db >/dev/null
    # No network while the accounts are made, so nothing connects to a half-made server.
    mariadbd --user=mysql --skip-networking --socket=/run/mysqld/first-start.sock &
    server=$!
    tries=0
    until mariadb-admin --socket=/run/mysqld/first-start.sock -uroot ping >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -lt 120 ] || { echo "mariadb did not start for its first configuration" >&2; exit 1; }
        sleep 0.5
    done
    {
        echo "ALTER USER root@localhost IDENTIFIED BY $(sql_string "$MARIADB_ROOT_PASSWORD");"
        echo "CREATE USER root@'%' IDENTIFIED BY $(sql_string "$MARIADB_ROOT_PASSWORD");"
        echo "GRANT ALL ON *.* TO root@'%' WITH GRANT OPTION;"
        if [ -n "${MARIADB_DATABASE:-}" ]; then
            echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$MARIADB_DATABASE");"
        fi
        if [ -n "${MARIADB_USER:-}" ]; then
            echo "CREATE USER $(sql_string "$MARIADB_USER")@'%' IDENTIFIED BY $(sql_string "${MARIADB_PASSWORD:-}");"
            if [ -n "${MARIADB_DATABASE:-}" ]; then
                echo "GRANT ALL ON $(sql_name "$MARIADB_DATABASE").* TO $(sql_string "$MARIADB_USER")@'%';"
            fi
        fi
    } | mariadb --socket=/run/mysqld/first-start.sock -uroot
    kill "$server"
    wait "$server"
}

if [ "${1:-}" = mariadbd ]; then
    shift
    if [ ! -d /var/lib/mysql/mysql ]; then
        first_start
    fi
    exec mariadbd --user=mysql --bind-address=0.0.0.0 --skip-name-resolve "$@"
fi
exec "$@"
