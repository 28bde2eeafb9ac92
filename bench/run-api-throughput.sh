#!/usr/bin/env bash
# API throughput: GET /instances and GET /instances/{id} with 1,000 instances, at 1, 8 and 32 connections.
#   bench/run-api-throughput.sh [instances=1000] [seconds-per-run=10] [auth=noauth|keystone]
# keystone (or TROVEJ_BENCH_AUTH=keystone): scripts/keystone's real Keystone validates the tokens.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install -pl bench -am
# the control plane runs with ParallelGC (scripts/trovej, Dockerfile): the bench measures it the same way
exec java -Xmx1g -XX:+UseParallelGC -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar api-throughput "${1:-1000}" "${2:-10}" \
  "${3:-${TROVEJ_BENCH_AUTH:-noauth}}"
