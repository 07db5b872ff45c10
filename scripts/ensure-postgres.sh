#!/usr/bin/env bash
# Prints a DATABASE_URL for a PostgreSQL the tests can use, making sure one runs:
# $DATABASE_URL if set; else the machine's cluster on 127.0.0.1:5432 (started if
# stopped); else PostgreSQL installed with apt and started.
set -euo pipefail
if [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" == postgres* ]]; then echo "$DATABASE_URL"; exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
log() { echo "$*" >&2; }
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  log "Installing PostgreSQL (apt)..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
if ! ready; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    $SUDO pg_createcluster "$version" main >/dev/null
  fi
  log "Starting PostgreSQL $version..."
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || { log "PostgreSQL did not start"; exit 1; }

# Use trust auth when it is configured (as on CI machines), else the postgres superuser via sudo.
if psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  user=postgres
else
  user=$(id -un)
  $SUDO -u postgres psql -Atc "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='$user') THEN CREATE ROLE \"$user\" SUPERUSER LOGIN PASSWORD 'bellwether'; END IF; END\$\$;" >/dev/null
  echo "postgres://$user:bellwether@127.0.0.1:5432/bellwether"
  exit 0
fi
echo "postgres://$user@127.0.0.1:5432/bellwether"
