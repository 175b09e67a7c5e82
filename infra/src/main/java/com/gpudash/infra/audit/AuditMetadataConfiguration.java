package com.gpudash.infra.audit;

import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

import com.gpudash.api.audit.AuditMetadata;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How {@link AuditMetadata} reaches every stored event. Endpoints send commands with the request's metadata
 * (CommandSender); a command the application sends by itself is marked as the system's here; and the correlation
 * data provider copies actor, source and correlation id from the command, or the event a handler reacts to,
 * onto every message it causes.
 */
@Configuration(proxyBeanMethods = false)
class AuditMetadataConfiguration {

    /**
     * Replaces Axon's MessageOriginProvider, which would overwrite {@code correlationId} with the id of the
     * message that caused an event; here it stays the id of the request that started it all, which is what the
     * audit log groups by.
     */
    @Bean
    CorrelationDataProvider auditCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider(AuditMetadata.ACTOR_ID, AuditMetadata.ACTOR_USERNAME,
                AuditMetadata.ACTOR_ROLE, AuditMetadata.SOURCE_IP, AuditMetadata.CORRELATION_ID);
    }

    /**
     * A command with no actor was not sent for a request, nor while handling an event (those inherit the event's
     * metadata through the correlation data): the application sent it by itself, at start-up for instance.
     */
    @Bean
    MessageDispatchInterceptor<CommandMessage<?>> systemActorForUnattributedCommands() {
        return new MessageDispatchInterceptor<>() {
            @Override
            public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
                return (index, command) -> command.getMetaData().containsKey(AuditMetadata.ACTOR_USERNAME)
                        ? command
                        : command.andMetaData(AuditMetadata.system(UUID.randomUUID().toString()).asMap());
            }
        };
    }
}
