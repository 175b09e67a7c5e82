#!/usr/bin/env bash
# Benchmark: one telemetry round over 100 registered servers (real Docker Engine and sshd on loopback, plus dead
# and silent engines) as a share of the poll interval, against a sequential baseline measured in the same run.
# Needs the test services: sudo bash scripts/test-services.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -DskipTests install
mvn -q -B -ntp -pl infra dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -cp "infra/target/test-classes:infra/target/classes:$(cat infra/target/bench.classpath)" \
    com.gpudash.infra.bench.TelemetryRoundBenchmark
