package com.gpudash.infra.identity;

import com.gpudash.infra.TestAdmin;
import org.springframework.boot.test.context.SpringBootTest;

/** A context of its own, on an H2 file of its own: its admins are demoted. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"DATA_DIR=target/test-data/h2-last-admin", "management.server.port=0",
                "LOG_FILE=target/test-data/h2-last-admin.log", "ADMIN_PASSWORD=" + TestAdmin.PASSWORD,
                "gpudash.security.bcrypt-cost=4"})
class LastAdminRaceH2Test extends LastAdminRaceContract {
}
