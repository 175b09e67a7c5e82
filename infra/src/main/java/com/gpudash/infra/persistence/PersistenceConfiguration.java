package com.gpudash.infra.persistence;

import java.time.Instant;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * One SQL database for everything: Axon's stores and the projections write through JDBC in one transaction, so a read
 * model and its processor's token move together; the query side reads through R2DBC (Boot configures that from
 * {@code spring.r2dbc.*}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DataSourceProperties.class)
public class PersistenceConfiguration {

    /**
     * With R2DBC on the classpath Boot does not create a DataSource, and without one Axon silently
     * falls back to in-memory stores. So it is declared here.
     */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(DataSourceProperties properties) {
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    /**
     * The JDBC manager is the primary one, for Axon and blocking code. An unqualified {@code @Transactional} on a
     * method returning {@code Mono} would then run with no transaction, so reactive writes name the R2DBC manager.
     */
    @Bean
    @Primary
    public PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new DuplicateKeyExceptionResolver();
    }

    /**
     * Axon would otherwise serialize events with the first ObjectMapper bean, the web one, and a web setting would
     * change how stored events read. Not a default candidate, so Boot still builds the web mapper beside it.
     */
    @Bean(name = "defaultAxonObjectMapper", defaultCandidate = false)
    public ObjectMapper defaultAxonObjectMapper() {
        return new ObjectMapper()
                .findAndRegisterModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Old events must stay readable after a field is removed from a record.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * An exception in an event handler is logged and skipped by default, which would silently lose a
     * read-model update. Propagating it makes the processor retry the event with back-off instead.
     */
    @Bean
    public ConfigurerModule propagateEventHandlerErrors() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.instance());
    }

    /**
     * A saga's processor without a token (a new database, or a saga added since) starts at the events stored since
     * this application started, not at the head of the store when it first claims its segment (Axon's default for
     * sagas). That claim may come seconds after the first requests are stored: on MariaDB the processors that
     * initialise their segments at the same moment settle it by deadlock and retry. A request stored in between
     * never started its saga (ProvisioningCrashIT met it: five approvals right after a first start, none
     * provisioned). Events stored before the application started stay unseen, as with the head.
     */
    @Bean
    public ConfigurerModule sagasStartAtApplicationStart(ApplicationContext context) {
        Instant started = Instant.now();
        return configurer -> {
            for (String saga : context.getBeanNamesForAnnotation(Saga.class)) {
                Class<?> type = context.getType(saga);
                if (type != null) {
                    // The processor Axon assigns a saga to by default: its processing group, the class's simple name.
                    configurer.eventProcessing().registerTrackingEventProcessorConfiguration(
                            type.getSimpleName() + "Processor", configuration -> TrackingEventProcessorConfiguration
                                    .forSingleThreadedProcessing()
                                    .andInitialTrackingToken(source -> source.createTokenAt(started)));
                }
            }
        };
    }

}
