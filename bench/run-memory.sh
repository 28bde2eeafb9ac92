#!/usr/bin/env bash
# Memory of the all-in-one as scripts/trovej runs it (its default JVM flags, or JAVA_OPTS if set): RSS idle, at its
# peak under list/show/datastores load at 32 connections with 1,000 instances, 30 s later and after a full GC.
#   bench/run-memory.sh [instances=1000] [seconds-per-run=20]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "run-memory: needs wrk (apt-get install wrk)" >&2; exit 1; }
mvn -B -q -DskipTests install -pl bench,trove-allinone,trove-guestagent -am
exec java -Xmx256m -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar memory "${1:-1000}" "${2:-20}"
