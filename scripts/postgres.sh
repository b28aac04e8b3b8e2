#!/usr/bin/env bash
# Install (Debian's `postgresql` package), start and prepare a local PostgreSQL server for
# the tests: a role `memcon` (password `memcon`) and a database `memcon_test` it owns.
#
# Idempotent and quick once everything is in place. Prints exactly one line on stdout, the
# SQLAlchemy URL of the test database; every other message goes to stderr. Typical use:
#
#   MEMCON_TEST_POSTGRES_URL=$(bash scripts/postgres.sh)
#   export MEMCON_TEST_POSTGRES_URL
set -euo pipefail

# Keep stdout for the URL alone: everything else (ours, apt's, psql's) goes to stderr.
exec 3>&1 1>&2

CLUSTER=main
ROLE=memcon
PASSWORD=memcon
DATABASE=memcon_test
READY_TIMEOUT=${MEMCON_POSTGRES_READY_TIMEOUT:-30}

NAME=postgres.sh
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

# Run a command as the `postgres` system user (PostgreSQL refuses to run its tools as root).
# From / so that psql does not complain about an unreadable working directory.
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && sudo -u postgres -- "$@")
  fi
}

lock memcon-postgres

# The newest installed server version (a directory with a `postgres` binary), or nothing.
server_version() {
  local bin
  for bin in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x "$bin" ]] && basename "$(dirname "$(dirname "$bin")")"
  done | sort -n | tail -n 1
}

# 1. Install.
VERSION=$(server_version)
if [[ -z "$VERSION" ]] || ! command -v pg_ctlcluster > /dev/null || ! command -v pg_isready > /dev/null; then
  apt_install postgresql
  VERSION=$(server_version)
  [[ -n "$VERSION" ]] || die "apt-get installed postgresql but no server binary was found"
fi

# 2. A cluster. Debian's package creates `<version> main`; make it if it is missing.
# pg_lsclusters -h: version cluster port status owner datadir logfile
cluster_field() {
  pg_lsclusters -h 2> /dev/null | awk -v v="$VERSION" -v c="$CLUSTER" -v f="$1" \
    '$1 == v && $2 == c { print $f }'
}
if [[ -z "$(cluster_field 1)" ]]; then
  say "creating cluster $VERSION $CLUSTER"
  detached "${SUDO[@]}" env LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    pg_createcluster --encoding UTF8 --locale C.UTF-8 "$VERSION" "$CLUSTER" > /dev/null
fi
PORT=$(cluster_field 3)
[[ "$PORT" =~ ^[0-9]+$ ]] || die "cannot read the port of cluster $VERSION $CLUSTER from pg_lsclusters"

# 3. Start it if it is down. The socket directory lives on a tmpfs on real machines.
if [[ "$(cluster_field 4)" != online* ]]; then
  say "starting cluster $VERSION $CLUSTER on port $PORT"
  "${SUDO[@]}" install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  detached "${SUDO[@]}" pg_ctlcluster "$VERSION" "$CLUSTER" start ||
    die "pg_ctlcluster $VERSION $CLUSTER start failed; see /var/log/postgresql/postgresql-$VERSION-$CLUSTER.log"
fi

# 4. Wait until it accepts TCP connections on localhost.
deadline=$((SECONDS + READY_TIMEOUT))
until pg_isready -q -h 127.0.0.1 -p "$PORT" -t 2; do
  if ((SECONDS >= deadline)); then
    die "PostgreSQL $VERSION $CLUSTER does not answer on 127.0.0.1:$PORT after ${READY_TIMEOUT} s;" \
      "see /var/log/postgresql/postgresql-$VERSION-$CLUSTER.log"
  fi
  sleep 0.5
done

# 5. The role and the database (created if missing; the role's password and rights reset).
psql_admin() {
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"
}
if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]]; then
  say "creating role $ROLE"
  psql_admin -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
else
  psql_admin -c "ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
fi
if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]]; then
  say "creating database $DATABASE"
  psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
fi

# 6. Check that the role really can log in over TCP with its password.
PGPASSWORD=$PASSWORD psql -X -q -w -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DATABASE" \
  -tAc "SELECT 1" > /dev/null ||
  die "cannot log in as $ROLE to $DATABASE on 127.0.0.1:$PORT (check pg_hba.conf)"

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE" >&3
