#!/usr/bin/env bash
# Conductor benchmark: 20,000 encrypted heartbeats for 1,000 instances queued, then drained by trove-conductor.
# Uses the same infrastructure switch as the tests (TROVEJ_TEST_INFRA=auto|docker|local|embedded).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install -pl bench -am
# the control plane runs with ParallelGC (scripts/trovej, Dockerfile): the bench measures it the same way
exec java -Xmx1g -XX:+UseParallelGC -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar conductor-heartbeats "${1:-20000}" "${2:-1000}"
