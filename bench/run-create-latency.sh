#!/usr/bin/env bash
# Create -> ACTIVE+HEALTHY latency on the embedded default next to the floor (initdb + first start of the
# same PostgreSQL, measured in the same run), then N concurrent creates (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install -pl bench,trove-guestagent -am
# the control plane runs with ParallelGC (scripts/trovej, Dockerfile): the bench measures it the same way
exec java -Xmx1g -XX:+UseParallelGC -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar create-latency "${1:-10}"
