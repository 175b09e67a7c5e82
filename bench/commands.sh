#!/usr/bin/env bash
# Benchmark: profile updates at 16 concurrent clients through the command gateway and through
# PUT /api/admin/users/{id}, against a raw JDBC select+insert+commit loop at the same concurrency; and one command on
# an aggregate with 100,000 events against one with 10; and write -> visible for one client beside 200 commands/s. Prints ratios and writes infra/target/bench/command-path.txt.
# Needs MariaDB (the test services). Extra arguments are JVM options, e.g.
#   bash bench/commands.sh -Dbench.seconds=30 -XX:StartFlightRecording=filename=commands.jfr,settings=profile
set -euo pipefail
cd "$(dirname "$0")/.."
# Built and resolved in the reactor: nothing is installed into the local Maven repository.
mvn -q -B -ntp -pl infra -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cd infra
exec java "$@" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    com.gpudash.infra.bench.CommandPathBenchmark
