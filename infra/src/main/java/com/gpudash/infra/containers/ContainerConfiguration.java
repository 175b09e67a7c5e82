package com.gpudash.infra.provisioning;

import com.gpudash.saga.provisioning.ProvisioningSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The provisioning saga's settings: its handlers receive them as a parameter, which Axon resolves from this bean. */
@Configuration(proxyBeanMethods = false)
public class ProvisioningConfiguration {

    /** The defaults, PROVISION_TIMEOUT included (120 s), until the settings reader reads it from the environment. */
    @Bean
    public ProvisioningSettings provisioningSettings() {
        return ProvisioningSettings.defaults();
    }
}
