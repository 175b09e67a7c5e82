#!/usr/bin/env bash
# The crash and retry tests on a machine kept busy: one CPU burner per core runs beside them, as a loaded host or a
# noisy neighbour would. Runs ProvisioningCrashIT (five approvals, SIGKILL midway, restart: all five RUNNING),
# ContainerWorkerTest (workspace steps retried after a lost answer, overlapping tries) and
# AcknowledgedWritesSurviveKillIT (20 parallel registrations, SIGKILL, restart: no 201 lost; -Dcrash.rounds, default
# 10 here). Needs the test services (sudo bash scripts/test-services.sh). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
burners=()
stop_burners() { [[ ${#burners[@]} -eq 0 ]] || kill "${burners[@]}" 2>/dev/null || true; }
trap stop_burners EXIT
for _ in $(seq "$(nproc)"); do
    # A busy loop of the shell itself: no package needed.
    ( while :; do :; done ) &
    burners+=($!)
done
echo "under-load: ${#burners[@]} CPU burners running (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
mvn -B -ntp -pl infra -am verify -Dtest=ContainerWorkerTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test='ProvisioningCrashIT,AcknowledgedWritesSurviveKillIT' -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dcrash.rounds=10 "$@"
echo "under-load: passed with ${#burners[@]} CPU burners (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
