#!/usr/bin/env bash
# Rebuilds the read models from the event store through the running backend, and waits for the result.
#   ADMIN_USER=gpuadmin ADMIN_PASSWORD=... bash scripts/replay-projections.sh [projection ...]
# GPUDASH_URL (default http://127.0.0.1:8500) names the backend. With no projection named, all are rebuilt.
set -euo pipefail
url=${GPUDASH_URL:-http://127.0.0.1:8500}
user=${ADMIN_USER:?set ADMIN_USER}
password=${ADMIN_PASSWORD:?set ADMIN_PASSWORD}

json_string() { # the value of a top-level string field of a JSON object, enough for the answers read here
  sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"
}
quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

login=$(curl -sS -f -H 'Content-Type: application/json' \
  -d "{\"username\":$(quote "$user"),\"password\":$(quote "$password")}" "$url/api/login")
token=$(printf '%s' "$login" | json_string token)

body='{}'
if [ $# -gt 0 ]; then
  names=$(for name in "$@"; do quote "$name"; done | paste -sd, -)
  body="{\"projections\":[$names]}"
fi
answer=$(curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" \
  -w '\n%{http_code}' "$url/api/admin/projections/replay")
status=${answer##*$'\n'}
answer=${answer%$'\n'*}
if [ "$status" != 202 ]; then
  echo "replay refused ($status): $answer" >&2
  exit 1
fi
operation=$(printf '%s' "$answer" | json_string operationId)
echo "replay started: operation $operation"

while true; do
  # 404 for a moment while the operations projection itself is rebuilt.
  state=$(curl -sS -H "Authorization: Bearer $token" "$url/api/operations/$operation" || true)
  case $(printf '%s' "$state" | json_string status) in
    SUCCEEDED) echo "$state"; exit 0 ;;
    FAILED) echo "$state" >&2; exit 1 ;;
  esac
  sleep 1
done
