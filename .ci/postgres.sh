#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the state tests (tests/state/), Debian's package.
# Prints the database URL on stdout; everything else goes to stderr. Needs root (apt-get,
# then the server runs as the `postgres` user). The server lives in a temporary directory
# and listens on 127.0.0.1 on a free port; `.ci/run` stops it on exit.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends postgresql; } >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
data=$(mktemp -d /tmp/resume-bot-pg.XXXXXX)
chown postgres:postgres "$data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
su postgres -s /bin/sh -c "'$bin/initdb' -D '$data/db' -A trust -U postgres --no-sync" >&2
su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$data/db' -l '$data/log' -w -t 60 \
  -o \"-h 127.0.0.1 -p $port -k '$data' -F\" start" >&2
echo "$data" >"${PG_DATA_FILE:-/dev/null}"
echo "postgresql://postgres@127.0.0.1:$port/postgres"
