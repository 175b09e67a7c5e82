package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.gpudash.infra.MariaDbApplicationTest;
import org.junit.jupiter.api.Test;

@MariaDbApplicationTest
class MariaDbWiringTest extends AxonWiringContract {

    @Test
    void payloadColumnsHoldMoreThan64Kilobytes() {
        // Axon's own MySQL DDL uses BLOB, which holds at most 64 KB, too little for a large event.
        String type = jdbc.queryForObject("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = 'DomainEventEntry' AND COLUMN_NAME = 'payload'", String.class);

        assertThat(type).isIn("mediumblob", "longblob");
    }

    @Test
    void theApplicationsConnectionsReadCommitted() {
        // Under REPEATABLE READ the processors initialising their tokens on a new database deadlock.
        assertThat(jdbc.queryForObject("SELECT @@SESSION.tx_isolation", String.class)).isEqualTo("READ-COMMITTED");
    }
}
