package com.gpudash.infra.identity;

import com.gpudash.infra.H2ApplicationTest;

@H2ApplicationTest
class ReadYourWritesH2Test extends ReadYourWritesContract {
}
