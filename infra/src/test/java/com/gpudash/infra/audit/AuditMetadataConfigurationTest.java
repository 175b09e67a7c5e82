package com.gpudash.infra.audit;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.saga.worker.AfterCommit;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who a command is attributed to, depending on where the application sends it from. */
class AuditMetadataConfigurationTest {

    private static final AuditMetadata ADMIN = new AuditMetadata("admin-id", "gpuadmin", "ADMIN", "10.0.0.1", "request-1");

    @Test
    void aCommandSentForARequestKeepsItsActor() {
        CommandMessage<?> command = GenericCommandMessage.asCommandMessage("Approve").andMetaData(ADMIN.asMap());

        assertThat(AuditMetadata.from(AuditMetadataConfiguration.attributed(command).getMetaData())).isEqualTo(ADMIN);
    }

    /** A registration has no session: it stays anonymous, with its source and the request's correlation id. */
    @Test
    void aCommandSentForARequestWithoutASessionStaysAnonymous() {
        AuditMetadata anonymous = new AuditMetadata(null, null, null, "10.0.0.2", "request-2");
        CommandMessage<?> command = GenericCommandMessage.asCommandMessage("Register").andMetaData(anonymous.asMap());

        assertThat(AuditMetadata.from(AuditMetadataConfiguration.attributed(command).getMetaData()))
                .isEqualTo(anonymous);
    }

    /** The command inherited the admin's metadata from the event (correlation data); it is the system's now. */
    @Test
    void aCommandSentWhileHandlingAnEventIsTheSystemsOnBehalfOfTheRequester() {
        UnitOfWork<?> handling = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("Approved")
                .andMetaData(ADMIN.asMap()));
        try {
            CommandMessage<?> command = GenericCommandMessage.asCommandMessage("NextStep").andMetaData(ADMIN.asMap());

            Map<String, ?> metadata = AuditMetadataConfiguration.attributed(command).getMetaData();

            assertThat(AuditMetadata.from(metadata)).isEqualTo(AuditMetadata.system("request-1"));
            assertThat(metadata.get(AuditMetadata.ON_BEHALF_OF)).isEqualTo("gpuadmin");
        } finally {
            handling.rollback();
        }
    }

    /** A worker answers on a thread of its own, after the step command's unit of work committed. */
    @Test
    void aWorkersAnswerKeepsTheCorrelationOfTheStepThatAskedForIt() {
        Map<String, String> step = new java.util.HashMap<>(AuditMetadata.system("request-1").asMap());
        step.put(AuditMetadata.ON_BEHALF_OF, "gpuadmin");
        AtomicReference<Map<String, ?>> answered = new AtomicReference<>();
        Executor sameThread = Runnable::run;
        UnitOfWork<?> stepHandling = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("PlaceIt")
                .andMetaData(step));
        AfterCommit.run(sameThread, () -> answered.set(AuditMetadataConfiguration.attributed(
                GenericCommandMessage.asCommandMessage("RecordPlaced")).getMetaData()));
        assertThat(answered.get()).as("not before the commit").isNull();

        stepHandling.commit();

        assertThat(AuditMetadata.from(answered.get())).isEqualTo(AuditMetadata.system("request-1"));
        assertThat(answered.get().get(AuditMetadata.ON_BEHALF_OF)).isEqualTo("gpuadmin");
        assertThat(AfterCommit.causeMetaData()).isEmpty();
    }

    @Test
    void aCommandNobodyAskedForStartsACorrelationOfItsOwn() {
        Map<String, ?> first = AuditMetadataConfiguration.attributed(GenericCommandMessage.asCommandMessage("Poll")).getMetaData();
        Map<String, ?> second = AuditMetadataConfiguration.attributed(GenericCommandMessage.asCommandMessage("Poll")).getMetaData();

        assertThat(AuditMetadata.from(first).actorUsername()).isEqualTo(AuditMetadata.SYSTEM);
        assertThat(AuditMetadata.from(first).correlationId()).isNotBlank()
                .isNotEqualTo(AuditMetadata.from(second).correlationId());
        assertThat(first).doesNotContainKey(AuditMetadata.ON_BEHALF_OF);
    }
}
