package com.gpudash.infra.persistence;

import com.gpudash.infra.H2ApplicationTest;

@H2ApplicationTest
class H2WiringTest extends AxonWiringContract {
}
