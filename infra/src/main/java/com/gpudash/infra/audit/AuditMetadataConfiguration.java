package com.gpudash.infra.audit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.saga.worker.AfterCommit;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How {@link AuditMetadata} reaches every stored event. Endpoints send commands with the request's metadata
 * (CommandSender); the correlation data provider copies actor, source and correlation id from the command, or the
 * event a handler reacts to, onto every message it causes; and a command the application sends by itself (a saga
 * step, a worker's answer, start-up or scheduled work) is marked here as the system's, keeping the correlation id
 * of the request that started it and that request's actor as {@code onBehalfOf}.
 */
@Configuration(proxyBeanMethods = false)
class AuditMetadataConfiguration {

    /** Who a person's metadata must not leave on a message the system sends. */
    private static final Set<String> PERSONAL = Set.of(AuditMetadata.ACTOR_ID, AuditMetadata.SOURCE_IP);

    /**
     * Replaces Axon's MessageOriginProvider, which would overwrite {@code correlationId} with the id of the
     * message that caused an event; here it stays the id of the request that started it all, which is what the
     * audit log groups by.
     */
    @Bean
    CorrelationDataProvider auditCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider(AuditMetadata.ACTOR_ID, AuditMetadata.ACTOR_USERNAME,
                AuditMetadata.ACTOR_ROLE, AuditMetadata.SOURCE_IP, AuditMetadata.CORRELATION_ID,
                AuditMetadata.ON_BEHALF_OF);
    }

    /** Each event names the command whose handling stored it: the audit log makes one entry of them. */
    @Bean
    CorrelationDataProvider causingCommandDataProvider() {
        return message -> message instanceof CommandMessage<?> command
                ? Map.of(AuditMetadata.COMMAND_ID, command.getIdentifier(),
                AuditMetadata.COMMAND_NAME, command.getPayloadType().getSimpleName())
                : Map.of();
    }

    @Bean
    MessageDispatchInterceptor<CommandMessage<?>> systemActorForCommandsTheApplicationSends() {
        return new MessageDispatchInterceptor<>() {
            @Override
            public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
                return (index, command) -> attributed(command);
            }
        };
    }

    static CommandMessage<?> attributed(CommandMessage<?> command) {
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().getMessage() instanceof EventMessage<?>) {
            // A saga or an event handler reacting to an event (or a deadline): the command inherited the event's
            // metadata through the correlation data, so it names the person whose request this is.
            return asSystem(command, command.getMetaData());
        }
        if (command.getMetaData().containsKey(AuditMetadata.ACTOR_USERNAME)
                || command.getMetaData().containsKey(AuditMetadata.CORRELATION_ID)) {
            // Sent for a request, or while handling a command for one; a request without a session (a
            // registration) has no actor but its correlation id and source address, and stays anonymous.
            return command;
        }
        Optional<MetaData> cause = AfterCommit.causeMetaData();
        if (cause.isPresent()) {
            return asSystem(command, cause.get()); // a worker's answer to the step that asked for its work
        }
        // Start-up, scheduled or polling work: nobody asked, so it starts a correlation of its own.
        return command.andMetaData(AuditMetadata.system(UUID.randomUUID().toString()).asMap());
    }

    private static CommandMessage<?> asSystem(CommandMessage<?> command, Map<String, ?> cause) {
        AuditMetadata from = AuditMetadata.from(cause);
        Map<String, String> system = AuditMetadata.system(from.correlationId() != null ? from.correlationId()
                : UUID.randomUUID().toString()).asMap();
        Object onBehalfOf = AuditMetadata.SYSTEM.equals(from.actorUsername()) || from.actorUsername() == null
                ? cause.get(AuditMetadata.ON_BEHALF_OF) : from.actorUsername();
        MetaData metadata = command.getMetaData().withoutKeys(PERSONAL).mergedWith(system);
        metadata = onBehalfOf == null ? metadata.withoutKeys(Set.of(AuditMetadata.ON_BEHALF_OF))
                : metadata.and(AuditMetadata.ON_BEHALF_OF, onBehalfOf.toString());
        return command.withMetaData(metadata);
    }
}
