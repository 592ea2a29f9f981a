#!/bin/sh
# Put a backup made by scripts/backup.sh back into an empty database.
#
#   scripts/restore.sh var/backups/ita-20250101T020000Z.dump
#
# The target is the database named by DATABASE_URL, or by libpq's PG* variables. It must exist and
# hold no table yet (createdb, or drop and create it first; README "Backups and restore"): this script
# refuses to mix a backup into live data. The restore runs in one transaction and stops at the first
# error, so it either restores everything or leaves the database empty. Objects get the connecting
# user as owner (--no-owner), so a dump can be restored under another role name.
set -eu

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 BACKUP.dump   (a file written by scripts/backup.sh)" >&2
    exit 2
fi
file=$1

target=${DATABASE_URL:-${PGDATABASE:-}}
if [ -z "$target" ]; then
    echo "restore: say which database: DATABASE_URL=postgres://… or PGDATABASE (with PGHOST, PGUSER…)" >&2
    exit 2
fi
set -- --dbname="$target"

pg_restore --list "$file" >/dev/null
tables=$(psql "$@" --no-psqlrc --tuples-only --no-align \
    --command="SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
if [ "$tables" != "0" ]; then
    echo "restore: the target database already has $tables tables; restore only into an empty database" >&2
    exit 1
fi
pg_restore --no-owner --no-privileges --single-transaction --exit-on-error "$@" "$file"
echo "restore: $file restored"
