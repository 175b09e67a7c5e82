package com.gpudash.infra.audit;

import com.gpudash.infra.MariaDbApplicationTest;

@MariaDbApplicationTest
class AuditLogMariaDbTest extends AuditLogContract {
}
