package com.gpudash.infra.identity;

import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices.Service;
import org.springframework.boot.test.context.SpringBootTest;

/** A context of its own, on a MariaDB database of its own: its admins are demoted. */
@RequiresServices(Service.MARIADB)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"DB_HOST=${TEST_DB_HOST:127.0.0.1}", "DB_PORT=${TEST_DB_PORT:3306}",
                "DB_USER=${TEST_DB_USER:root}", "DB_PASSWORD=${TEST_DB_PASSWORD:}",
                "DB_NAME=${TEST_DB_NAME:gpudash_test}_last_admin",
                "DATA_DIR=target/test-data/mariadb-last-admin", "management.server.port=0",
                "LOG_FILE=target/test-data/mariadb-last-admin.log", "ADMIN_PASSWORD=" + TestAdmin.PASSWORD,
                "gpudash.security.bcrypt-cost=4"})
class LastAdminRaceMariaDbTest extends LastAdminRaceContract {
}
