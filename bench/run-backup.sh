#!/usr/bin/env bash
# PostgreSQL backup and restore through TroveJ next to the raw tools on the same data, in one run:
#   bench/run-backup.sh [pgbench-scale=70] [--all-in-one-option=value ...]
# (scale 70 is about 1 GB; it needs about 5x that in free disk). Options after the scale go to the all-in-one,
# e.g. --trovej.local.guest-jvm-options=-Xmx32m,-XX:+UseSerialGC to try the guests with other JVM flags.
# An instance of the embedded all-in-one is filled with pgbench -i; then pg_basebackup -Ft -X fetch to local
# disk vs a TroveJ backup (POST /backups), untar + pg_ctl start vs a TroveJ restore (create with restorePoint),
# and the guest agent's RSS and heap idle vs during the backup. The raw tools doing Trove's work
# (pg_basebackup | gzip | openssl enc to a file, and back) are measured too, as a second baseline. Each backup and restore runs
# TROVEJ_BENCH_ROUNDS times (default 3; the figures are medians). MAVEN_ARGS (e.g. -o) is passed to mvn.
# Everything it makes lives in one temporary directory, deleted at the end, even when interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-70}"
shift || true
# shellcheck disable=SC2086
mvn -B -q -DskipTests ${MAVEN_ARGS:-} install -pl bench,trove-guestagent -am
work="$(mktemp -d /tmp/tjbk.XXXXXX)"
chmod 755 "$work"
cleanup() {
  # the bench deletes what it made itself; this is for an interrupted run: the processes still running from
  # the work directory (guest agents, their databases, the raw restore's server), then the directory
  local pids
  pids="$(grep -l -F -- "$work" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3 || true)"
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$pids" ]; then sleep 5; for pid in $pids; do kill -9 "$pid" 2>/dev/null || true; done; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# the control plane runs with ParallelGC (scripts/trovej, Dockerfile): the bench measures it the same way
java -Xmx1g -XX:+UseParallelGC -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar backup-restore "$scale" "$work" "$@"
