package com.gpudash.command.web;

import java.lang.reflect.Executable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.config.AggregateConfiguration;
import org.axonframework.config.Configuration;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Names the aggregate a command is sent to, for the audit entry of a refused command: the type as the event store
 * names it ({@code DomainEventMessage.getType()}, the aggregate's simple class name) and the id in its
 * {@code @TargetAggregateIdentifier}. Read from the aggregates Axon knows, once.
 */
@Component
public class CommandTargets {

    public record Target(String type, String id) {
    }

    private final ObjectProvider<Configuration> axon;
    private final AnnotationCommandTargetResolver ids = AnnotationCommandTargetResolver.builder().build();
    private volatile Map<Class<?>, String> typesByCommand;

    CommandTargets(ObjectProvider<Configuration> axon) {
        this.axon = axon;
    }

    public Target of(CommandMessage<?> command) {
        return new Target(typeOf(command.getPayloadType()), idOf(command));
    }

    private String idOf(CommandMessage<?> command) {
        try {
            return ids.resolveTarget(command).getIdentifier();
        } catch (IllegalArgumentException noTarget) {
            return null; // a creation names no aggregate yet
        }
    }

    private String typeOf(Class<?> commandType) {
        Map<Class<?>, String> types = typesByCommand;
        if (types == null) {
            types = scan();
            typesByCommand = types;
        }
        return types.get(commandType);
    }

    private Map<Class<?>, String> scan() {
        Map<Class<?>, String> types = new HashMap<>();
        Configuration configuration = axon.getIfAvailable();
        if (configuration == null) {
            return types;
        }
        for (AggregateConfiguration<?> aggregate : configuration.findModules(AggregateConfiguration.class)) {
            Class<?> type = aggregate.aggregateType();
            Stream.<Executable>concat(Stream.of(type.getDeclaredMethods()), Stream.of(type.getDeclaredConstructors()))
                    .filter(handler -> handler.isAnnotationPresent(CommandHandler.class))
                    .map(handler -> Optional.ofNullable(handler.getParameterCount() > 0 ? handler.getParameterTypes()[0] : null))
                    .flatMap(Optional::stream)
                    .forEach(command -> types.put(command, type.getSimpleName()));
        }
        return types;
    }
}
