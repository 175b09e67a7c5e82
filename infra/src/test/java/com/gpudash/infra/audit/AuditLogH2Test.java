package com.gpudash.infra.audit;

import com.gpudash.infra.H2ApplicationTest;

@H2ApplicationTest
class AuditLogH2Test extends AuditLogContract {
}
