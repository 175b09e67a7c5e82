package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * With R2DBC on the classpath Boot creates no DataSource, and Axon then silently runs on in-memory stores. These tests
 * look at what really runs, and prove that JDBC writes and R2DBC reads meet in the same database. Run once per
 * database.
 */
abstract class AxonWiringContract {

    /** An event payload of the test's own; Axon stores it with its own ObjectMapper. */
    record ProbeHappened(String what, int times) {
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    EventStore eventStore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DatabaseClient r2dbc;

    @Test
    void axonStoresEverythingInTheSqlDatabase() {
        assertThat(context.getBean(EventStorageEngine.class)).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(context.getBean(TokenStore.class)).isInstanceOf(JdbcTokenStore.class);
        assertThat(context.getBean(SagaStore.class)).isInstanceOf(JdbcSagaStore.class);
        assertThat(context.getBean(org.axonframework.common.transaction.TransactionManager.class))
                .isInstanceOf(SpringTransactionManager.class);
        assertThat(context.getBean(DeadlineManager.class)).isInstanceOf(DbSchedulerDeadlineManager.class);
    }

    /**
     * Deadlines that fell due while the application was down run as soon as the scheduler starts; they need the
     * sagas and the command handlers, which Axon starts with the context. ProvisioningCrashIT shows the whole story.
     */
    @Test
    void theDeadlineSchedulerStartsOnlyOnceTheContextIsReady() {
        assertThat(context.getBean(com.github.kagkarlsson.scheduler.boot.config.DbSchedulerStarter.class))
                .isInstanceOf(com.github.kagkarlsson.scheduler.boot.config.startup.ContextReadyStart.class);
    }

    @Test
    void axonSerializesWithItsOwnObjectMapperNotTheWebOne(@Autowired @Qualifier("eventSerializer") Serializer events,
                                                         @Autowired @Qualifier("serializer") Serializer general,
                                                         @Autowired ObjectMapper webMapper) {
        ObjectMapper axonMapper = context.getBean("defaultAxonObjectMapper", ObjectMapper.class);

        assertThat(events).isInstanceOfSatisfying(JacksonSerializer.class,
                jackson -> assertThat(jackson.getObjectMapper()).isSameAs(axonMapper));
        // The saga store writes sagas with the general serializer; SagaSerializationTest builds the same one.
        assertThat(general).isInstanceOfSatisfying(JacksonSerializer.class,
                jackson -> assertThat(jackson.getObjectMapper()).isSameAs(axonMapper));
        assertThat(webMapper).isNotSameAs(axonMapper);
    }

    @Test
    void anAppendedEventIsReadBackThroughJdbcAndR2dbc() {
        String aggregateId = UUID.randomUUID().toString();

        eventStore.publish(new GenericDomainEventMessage<>("Probe", aggregateId, 0, new ProbeHappened("stored", 3)));

        assertThat(eventStore.readEvents(aggregateId).asStream().map(m -> (Object) m.getPayload()).toList())
                .containsExactly(new ProbeHappened("stored", 3));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry WHERE aggregateIdentifier = ?",
                Long.class, aggregateId)).isEqualTo(1L);
        Long viaR2dbc = r2dbc.sql("SELECT COUNT(*) AS n FROM DomainEventEntry WHERE aggregateIdentifier = :id")
                .bind("id", aggregateId)
                .map(row -> row.get("n", Long.class))
                .one()
                .block();
        assertThat(viaR2dbc).isEqualTo(1L);
    }

    @Test
    void aSecondEventWithTheSameSequenceNumberIsAConcurrencyConflict() {
        // H2 reports the duplicate key in getNextException(): recognised only because the resolver looks there.
        String aggregateId = UUID.randomUUID().toString();
        eventStore.publish(new GenericDomainEventMessage<>("Probe", aggregateId, 0, new ProbeHappened("first", 1)));
        eventStore.publish(new GenericDomainEventMessage<>("Probe", aggregateId, 1, new ProbeHappened("second", 1)));

        assertThatThrownBy(() -> eventStore.publish(
                new GenericDomainEventMessage<>("Probe", aggregateId, 1, new ProbeHappened("racing", 1))))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(context.getBean(PersistenceExceptionResolver.class)).isInstanceOf(DuplicateKeyExceptionResolver.class);
    }

    @Test
    void theAccountsTableIsWrittenInTheAppendingTransactionAndTheReadModelByATrackingProcessor(
            @Autowired org.axonframework.config.EventProcessingConfiguration processing) {
        assertThat(processing.eventProcessor("user-accounts")).get()
                .isInstanceOf(org.axonframework.eventhandling.SubscribingEventProcessor.class);
        assertThat(processing.eventProcessor("users-projection")).get()
                .isInstanceOf(org.axonframework.eventhandling.TrackingEventProcessor.class);
    }

    /** Two threads, one per segment of a new store, so that the users' rows are written over two connections. */
    @Test
    void theUsersProjectionRunsTwoSegmentsAtOnce(@Autowired org.axonframework.config.EventProcessingConfiguration processing) {
        assertThat(processing.eventProcessor("users-projection", org.axonframework.eventhandling.TrackingEventProcessor.class))
                .get().extracting(org.axonframework.eventhandling.TrackingEventProcessor::maxCapacity).isEqualTo(2);
        assertThat(processing.eventProcessor("audit-projection", org.axonframework.eventhandling.TrackingEventProcessor.class))
                .as("one segment: the audit log numbers entries in the events' order")
                .get().extracting(org.axonframework.eventhandling.TrackingEventProcessor::maxCapacity).isEqualTo(1);
    }

    @Test
    void flywayOwnsTheSchema() {
        List<String> applied = jdbc.queryForList(
                "SELECT version FROM flyway_schema_history WHERE success = TRUE AND version IS NOT NULL ORDER BY installed_rank",
                String.class);

        assertThat(applied).startsWith("1", "2", "3");
    }
}
