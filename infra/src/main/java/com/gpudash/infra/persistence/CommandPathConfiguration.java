package com.gpudash.infra.persistence;

import java.util.List;
import java.util.Map;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What runs on a command's thread besides its handler. */
@Configuration(proxyBeanMethods = false)
public class CommandPathConfiguration {

    /**
     * The subscribing processors (the uniqueness registries and the lookup tables kept in the command's
     * transaction, see application.yml) are part of every command, and every one of them sees every event. Their
     * per-message meters (looked up by tag set for each event and each processor) were a sixth of a command's
     * CPU time (bench/commands.sh); their time is in the command bus's meters already.
     */
    @Bean
    public ConfigurerModule noMessageMonitorsInTheCommandsTransaction(EventProcessorProperties processors) {
        List<String> subscribing = processors.getProcessors().entrySet().stream()
                .filter(processor -> processor.getValue().getMode() == EventProcessorProperties.Mode.SUBSCRIBING)
                .map(Map.Entry::getKey)
                .toList();
        return configurer -> subscribing.forEach(name -> configurer.eventProcessing()
                .registerMessageMonitor(name, configuration -> NoOpMessageMonitor.INSTANCE));
    }
}
