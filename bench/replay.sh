#!/usr/bin/env bash
# Benchmark: rebuilding the read models from the event store (events/s) against a raw scan of the event table in
# the same run. Needs MariaDB (the test services: sudo bash scripts/test-services.sh), or pass -Dbench.db=h2.
# Extra arguments are JVM options, e.g. bash bench/replay.sh -Dbench.commands=200000
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests install
mvn -q -B -ntp -pl infra dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java "$@" -cp "infra/target/test-classes:infra/target/classes:$(cat infra/target/bench.classpath)" \
    com.gpudash.infra.bench.ReplayBenchmark
