package com.gpudash.command.web;

import java.util.UUID;
import java.util.function.UnaryOperator;

import com.gpudash.api.DomainException;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.audit.CommandRefused;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Records what a request did that no aggregate stores (a refused command, a login, a logout) as an event of the
 * {@code com.gpudash.api.audit} package, with the request's {@link AuditMetadata}, so the audit log projects it
 * from the event store like everything else. Failing to record never changes the answer the caller gets.
 */
@Component
public class AuditEvents {

    private static final Logger log = LoggerFactory.getLogger(AuditEvents.class);

    private final EventGateway events;
    private final CommandTargets targets;

    AuditEvents(EventGateway events, CommandTargets targets) {
        this.events = events;
        this.targets = targets;
    }

    /**
     * Publishes {@code event} with the request's metadata from the Reactor context, as {@code actor} changes it
     * (a login names its actor; the request was anonymous until then). Off the event loop: the append is JDBC.
     */
    public Mono<Void> record(Object event, UnaryOperator<AuditMetadata> actor) {
        return Mono.deferContextual(context -> {
                    AuditMetadata request = context.<AuditMetadata>getOrEmpty(AuditMetadata.class)
                            .orElseGet(() -> new AuditMetadata(null, null, null, null, UUID.randomUUID().toString()));
                    AuditMetadata metadata = actor.apply(request);
                    return Mono.<Void>fromRunnable(() -> publish(event, metadata));
                })
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(failure -> {
                    log.warn("Could not record {}", event.getClass().getSimpleName(), failure);
                    return Mono.empty();
                });
    }

    /** On the thread that sent {@code command}, which may block; the command's metadata is the request's. */
    void refused(CommandMessage<?> command, RuntimeException failure) {
        CommandTargets.Target target = targets.of(command);
        CommandRefused refused = new CommandRefused(command.getPayloadType().getSimpleName(), target.type(),
                target.id(), reason(failure));
        recordBlocking(refused, AuditMetadata.from(command.getMetaData()));
    }

    /** On the calling thread, which may block, with the metadata given: for work outside a request. */
    public void recordBlocking(Object event, AuditMetadata metadata) {
        try {
            publish(event, metadata);
        } catch (RuntimeException e) {
            log.warn("Could not record {}", event, e);
        }
    }

    /**
     * In a unit of work of its own, as every other event is stored: what is committed in one is announced like any
     * other write (read-your-writes waits for it, the live updates see it).
     */
    private void publish(Object event, AuditMetadata metadata) {
        EventMessage<?> message = GenericEventMessage.asEventMessage(event).andMetaData(metadata.asMap());
        DefaultUnitOfWork.startAndGet(message).execute(() -> events.publish(message));
    }

    /** A domain refusal explains itself; anything else is a fault whose details stay in the log. */
    private static String reason(RuntimeException failure) {
        if (failure instanceof DomainException || failure instanceof AggregateNotFoundException) {
            return failure.getMessage();
        }
        return "failed: " + failure.getClass().getSimpleName();
    }
}
