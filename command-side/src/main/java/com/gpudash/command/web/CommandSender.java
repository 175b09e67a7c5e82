package com.gpudash.command.web;

import java.util.Map;

import com.gpudash.api.audit.AuditMetadata;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * How endpoints send commands. The command bus handles a command and appends its events with JDBC on the
 * calling thread, and a Netty event-loop thread, which serves many requests, must never block; so this moves to a
 * thread that may block; and it attaches the request's
 * {@link AuditMetadata}, which the security layer put in the Reactor context, as the command's metadata. A command
 * that fails stores no event, so its refusal is recorded here for the audit log.
 */
@Component
public class CommandSender {

    private final CommandGateway gateway;
    private final AuditEvents audit;

    CommandSender(CommandGateway gateway, AuditEvents audit) {
        this.gateway = gateway;
        this.audit = audit;
    }

    /** Completes empty when the handler returns nothing; fails with what the handler threw. */
    public <R> Mono<R> send(Object command) {
        return Mono.deferContextual(context -> {
            Map<String, String> metadata = context.<AuditMetadata>getOrEmpty(AuditMetadata.class)
                    .map(AuditMetadata::asMap)
                    .orElse(Map.of());
            CommandMessage<?> message = GenericCommandMessage.asCommandMessage(command).andMetaData(metadata);
            return Mono.fromCallable(() -> {
                try {
                    return gateway.<R>sendAndWait(message);
                } catch (RuntimeException failure) {
                    audit.refused(message, failure);
                    throw failure;
                }
            });
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The request's correlation id: every event the request causes carries it. */
    public Mono<String> correlationId() {
        return Mono.deferContextual(context -> Mono.justOrEmpty(context.<AuditMetadata>getOrEmpty(AuditMetadata.class)
                .map(AuditMetadata::correlationId)));
    }
}
