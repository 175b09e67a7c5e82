#!/usr/bin/env bash
# Benchmark: 20 approvals at once on one server, approve -> RUNNING p50/p95, against the same containers created
# and started directly through docker-java with an nginx reload each, measured in the same run; prints the ratios.
# Needs the test services: sudo bash scripts/test-services.sh. BENCH_APPROVALS changes the number (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests install
mvn -q -B -ntp -pl infra dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Dbench.approvals="${BENCH_APPROVALS:-20}" \
    -cp "infra/target/test-classes:infra/target/classes:$(cat infra/target/bench.classpath)" \
    com.gpudash.infra.bench.ProvisioningBenchmark
