package com.gpudash.infra.identity;

import com.gpudash.infra.MariaDbApplicationTest;

@MariaDbApplicationTest
class ReadYourWritesMariaDbTest extends ReadYourWritesContract {
}
