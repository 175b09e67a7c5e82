package com.gpudash.infra.stats;

import com.gpudash.infra.MariaDbApplicationTest;

@MariaDbApplicationTest
class StatsOnMariaDbTest extends StatsChecks {
}
