package com.gpudash.infra.containers;

import java.time.Duration;

import com.gpudash.agent.RouteTable;
import com.gpudash.agent.nginx.NginxRouteTable;
import com.gpudash.agent.nginx.NginxSettings;
import com.gpudash.infra.config.Settings;
import com.gpudash.query.replay.ReadModelGate;
import com.gpudash.saga.cleanup.CleanupSettings;
import com.gpudash.saga.container.ContainerSettings;
import com.gpudash.saga.container.Reconciliation;
import com.gpudash.saga.container.ReconciliationSchedule;
import com.gpudash.saga.provisioning.ProvisioningSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the container sagas and workers are given: their settings and the nginx route table; how far cleanups
 * reach; and when reconciliation runs.
 */
@Configuration(proxyBeanMethods = false)
public class ContainerConfiguration {

    private static final Duration SHELL_COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(10);

    /**
     * The sagas' handlers receive it as a parameter, which Axon resolves from this bean. The retry timing tunes
     * rather than configures ({@code gpudash.provisioning.*}): tests and benchmarks shorten it, operators rarely need to.
     */
    @Bean
    public ProvisioningSettings provisioningSettings(Settings settings, Environment environment) {
        ProvisioningSettings defaults = ProvisioningSettings.defaults();
        return new ProvisioningSettings(settings.containers().provisionTimeout(),
                environment.getProperty("gpudash.provisioning.answer-timeout", Duration.class, defaults.answerTimeout()),
                environment.getProperty("gpudash.provisioning.retry-base", Duration.class, defaults.retryBase()),
                environment.getProperty("gpudash.provisioning.retry-cap", Duration.class, defaults.retryCap()),
                environment.getProperty("gpudash.provisioning.max-attempts", Integer.class, defaults.maxAttempts()));
    }

    /** The installation id is made once by the schema migration, so it is the same on every node and restart. */
    @Bean
    public ContainerSettings containerSettings(Settings settings, JdbcTemplate jdbc) {
        Settings.Containers containers = settings.containers();
        String installationId = jdbc.queryForObject("SELECT id FROM gpudash_installation", String.class);
        return new ContainerSettings(settings.dockerImage() + ":" + settings.dockerTag(), settings.dockerCpu(),
                settings.dockerMemoryBytes(), settings.workdirTemplate(), settings.workdirDeploy(),
                containers.workspacePath(), containers.servicePort(), containers.publishIp(), installationId,
                SHELL_COMMAND_TIMEOUT, STOP_GRACE_PERIOD);
    }

    @Bean
    public CleanupSettings cleanupSettings(@Value("${gpudash.cleanup.only-labelled:}") String onlyLabelled) {
        return CleanupSettings.parse(onlyLabelled);
    }

    @Bean
    public RouteTable routeTable(Settings settings) {
        return new NginxRouteTable(NginxSettings.of(settings.nginxConfigFile(),
                settings.containers().nginxTestCommand(), settings.containers().nginxReloadCommand()));
    }

    /** Replays shut the gate while they rebuild the container and route tables. */
    @Bean
    public ReconciliationSchedule reconciliationSchedule(Reconciliation reconciliation, ReadModelGate readModels,
                                                         Settings settings) {
        return new ReconciliationSchedule(reconciliation, readModels::runIfComplete,
                settings.containers().reconcileInterval());
    }
}
