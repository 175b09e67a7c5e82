#!/usr/bin/env bash
# Benchmark: 20 approvals at once on one server, approve -> RUNNING p50/p95, against the same containers created
# and started directly through docker-java, each with its route written and nginx tested and reloaded, measured in
# the same run; prints the overhead as ratios and writes them to infra/target/bench/provisioning.txt.
# Needs the test services: sudo bash scripts/test-services.sh. BENCH_APPROVALS changes the number (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
# Built and resolved in the reactor: nothing is installed into the local Maven repository.
mvn -q -B -ntp -pl infra -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Dbench.approvals="${BENCH_APPROVALS:-20}" \
    -cp "infra/target/test-classes:infra/target/classes:$(cat infra/target/bench.classpath)" \
    com.gpudash.infra.bench.ProvisioningBenchmark
