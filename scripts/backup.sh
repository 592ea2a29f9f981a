#!/bin/sh
# One backup of the database, then the backups older than the retention removed.
#
#   scripts/backup.sh                      # the database named by DATABASE_URL, or by libpq's PG* variables
#   BACKUP_DIR=/backups BACKUP_KEEP_DAYS=14 scripts/backup.sh
#
# Writes BACKUP_DIR/ita-YYYYMMDDTHHMMSSZ.dump (pg_dump's custom format, compressed; UTC time in the
# name), first under a .partial name so that an interrupted dump never looks like a backup, and reads
# the archive's table of contents back before keeping it. Only after a good backup are the files older
# than BACKUP_KEEP_DAYS days deleted, so failing backups never remove the last good ones.
# Uploaded files are rows of the database (ita.storage.files), so the dump holds them too.
# The docker-compose.yml `backup` service runs this once a day; scripts/restore.sh puts a dump back.
set -eu
umask 077  # the dump holds password hashes and personal data

dir=${BACKUP_DIR:-var/backups}
keep=${BACKUP_KEEP_DAYS:-14}
case $keep in '' | *[!0-9]*) echo "BACKUP_KEEP_DAYS must be a whole number of days, not '$keep'" >&2; exit 2 ;; esac

if [ -n "${DATABASE_URL:-}" ]; then
    set -- --dbname="$DATABASE_URL"
else
    set --
fi

mkdir -p "$dir"
target="$dir/ita-$(date -u +%Y%m%dT%H%M%SZ).dump"
trap 'rm -f "$target.partial"' EXIT
pg_dump --format=custom --file="$target.partial" "$@"
pg_restore --list "$target.partial" >/dev/null
mv "$target.partial" "$target"
trap - EXIT
echo "backup: $target ($(wc -c <"$target") bytes)"

find "$dir" -maxdepth 1 -type f -name 'ita-*.dump' -mtime +"$keep" -print -delete | sed 's/^/backup: removed /'
find "$dir" -maxdepth 1 -type f -name 'ita-*.dump.partial' -mmin +1440 -delete
