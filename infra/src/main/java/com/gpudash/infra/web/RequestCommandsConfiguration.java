package com.gpudash.infra.web;

import com.gpudash.command.web.CommandSender;
import com.gpudash.query.web.RequestCommands;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/** Lends the command side's {@link CommandSender} to the query side's endpoints that start operations. */
@Configuration(proxyBeanMethods = false)
class RequestCommandsConfiguration {

    @Bean
    RequestCommands requestCommands(CommandSender sender) {
        return new RequestCommands() {
            @Override
            public Mono<Void> send(Object command) {
                return sender.send(command);
            }

            @Override
            public Mono<String> correlationId() {
                return sender.correlationId();
            }
        };
    }
}
