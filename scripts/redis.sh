#!/usr/bin/env bash
# Install (Debian's `redis-server` package) and start a local Redis server for the tests of
# the background-job queue on a broker (MEMCON_QUEUE_URL=redis://...).
#
# Our own instance on its own port (MEMCON_TEST_REDIS_PORT, default 6390), on loopback, with
# no persistence and its files under ${TMPDIR:-/tmp}/memcon-redis: it never touches a Redis
# the machine already runs. Idempotent and quick once it is up. Prints exactly one line on
# stdout, the URL of the server; every other message goes to stderr. Typical use:
#
#   MEMCON_TEST_REDIS_URL=$(bash scripts/redis.sh)
#   export MEMCON_TEST_REDIS_URL
set -euo pipefail

# Keep stdout for the URL alone.
exec 3>&1 1>&2

NAME=redis.sh
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

PORT=${MEMCON_TEST_REDIS_PORT:-6390}
DIR=${TMPDIR:-/tmp}/memcon-redis
READY_TIMEOUT=${MEMCON_REDIS_READY_TIMEOUT:-30}
[[ "$PORT" =~ ^[0-9]+$ ]] || die "MEMCON_TEST_REDIS_PORT must be a port number, not '$PORT'"

lock memcon-redis

if ! command -v redis-server > /dev/null || ! command -v redis-cli > /dev/null; then
  apt_install redis-server
  command -v redis-server > /dev/null || die "apt-get installed redis-server but it is not on PATH"
fi

answers() { [[ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2> /dev/null)" == PONG ]]; }

if ! answers; then
  say "starting redis-server on 127.0.0.1:$PORT"
  mkdir -p "$DIR"
  detached redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes \
    --dir "$DIR" --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" \
    --save '' --appendonly no ||
    die "redis-server did not start; see $DIR/redis.log"
  deadline=$((SECONDS + READY_TIMEOUT))
  until answers; do
    ((SECONDS < deadline)) || die "Redis does not answer on 127.0.0.1:$PORT after ${READY_TIMEOUT} s; see $DIR/redis.log"
    sleep 0.2
  done
fi

echo "redis://127.0.0.1:$PORT/0" >&3
