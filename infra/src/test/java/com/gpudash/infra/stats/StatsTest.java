package com.gpudash.infra.stats;

import com.gpudash.infra.H2ApplicationTest;

@H2ApplicationTest
class StatsTest extends StatsChecks {
}
