#!/bin/sh
# The nginx container's entrypoint in compose.yaml: runs nginx with deploy/compose/nginx.conf, and answers the
# application's requests to test or reload it (deploy/container/gpudash-nginx-request) that arrive as files in the
# directory both containers share. Only those two actions exist: the application cannot make this container run
# anything else, and needs no Docker socket, no shared process namespace and no nginx of its own.
#
# NGINX_PORT (default 80) is the port nginx listens on inside the container.
set -eu
shared=${GPUDASH_NGINX_SHARED:-/var/lib/gpudash-nginx}
requests=$shared/requests
config=/etc/nginx/gpudash-nginx.conf
port=${NGINX_PORT:-80}

case $port in
    ''|*[!0-9]*) echo "NGINX_PORT must be a port number, got '$port'" >&2; exit 2 ;;
esac
sed -e "s/@NGINX_PORT@/$port/g" -e "s#@ROUTES_DIR@#$shared/routes#g" /opt/gpudash/nginx.conf >"$config"
# The application's image made these on the shared volume; a volume mounted here first would lack them.
mkdir -p "$shared/routes" "$requests"
# Answers nobody came back for (their asker gave up) are of no use after a restart.
rm -f "$requests"/*.status "$requests"/*.output "$requests"/*.request

nginx -c "$config" -g 'daemon off;' &
nginx_pid=$!
# docker stop: nginx finishes the requests it serves, then this script ends with it.
trap 'nginx -c "$config" -s quit; wait "$nginx_pid"; exit 0' TERM INT QUIT

answer() { # request file
    request=$1
    id=${request%.request}
    action=$(cat "$request")
    rm -f "$request"
    case $action in
        test) nginx -c "$config" -t >"$id.output" 2>&1 && status=0 || status=$? ;;
        reload) nginx -c "$config" -s reload >"$id.output" 2>&1 && status=0 || status=$? ;;
        *) echo "unknown request '$action'" >"$id.output"; status=2 ;;
    esac
    echo "nginx-control: $action: exit status $status"
    echo "$status" >"$id.status.new"
    mv "$id.status.new" "$id.status"
}

while kill -0 "$nginx_pid" 2>/dev/null; do
    for request in "$requests"/*.request; do
        if [ -e "$request" ]; then
            answer "$request"
        fi
    done
    sleep 0.2
done
# nginx ended on its own: so does the container, and its restart policy applies.
wait "$nginx_pid"
