#!/usr/bin/env bash
# Benchmark: rebuilding the read models from the event store (events/s per projection) against a raw scan of the
# event table in the same run. Needs MariaDB (the test services: sudo bash scripts/test-services.sh), or pass
# -Dbench.db=h2. Extra arguments are JVM options, e.g.
#   bash bench/replay.sh -Dbench.commands=200000
#   bash bench/replay.sh -Dbench.commands=50000 -Dbench.database=gpudash_bench_replay   (kept and reused)
# Builds the modules in this checkout (nothing is installed into the local Maven repository) and runs the
# benchmark from their classes; it exits when the report is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -pl infra -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
# The reactor's own modules appear as their jars; use their freshly compiled classes instead.
classpath=$(sed -E 's#([a-z-]+)/target/[a-z-]+-[0-9][^:]*-tests\.jar#\1/target/test-classes#g;
    s#([a-z-]+)/target/[a-z-]+-[0-9][^:]*\.jar#\1/target/classes#g' infra/target/bench.classpath)
exec java "$@" -cp "infra/target/test-classes:infra/target/classes:$classpath" \
    com.gpudash.infra.bench.ReplayBenchmark
