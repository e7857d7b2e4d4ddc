#!/bin/sh
# One backup of hocbot's database into /var/lib/hocbot/backups, keeping the newest 14 (run by
# hocbot-backup.service as the hocbot user, with /etc/hocbot/hocbot.env in the environment).
set -eu
dir="${BACKUP_DIR:-/var/lib/hocbot/backups}"
keep="${BACKUP_KEEP:-14}"
bin="${HOCBOT:-/opt/hocbot/.venv/bin/hocbot}"
mkdir -p "$dir"
"$bin" db backup "$dir/hocbot-$(date +%Y%m%d-%H%M%S).bak"
ls -1t "$dir"/hocbot-*.bak | tail -n +"$((keep + 1))" | xargs -r rm --
