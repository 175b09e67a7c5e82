package com.gpudash.infra.metrics;

import com.gpudash.infra.security.RoutePermissions;
import com.gpudash.query.traffic.UserTraffic;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;

/** Wires {@link TrafficMetering} around the application and first into its filter chain. */
@Configuration(proxyBeanMethods = false)
class TrafficConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    TrafficMetering trafficMetering(RoutePermissions routes, MeterRegistry registry, UserTraffic users) {
        return new TrafficMetering(routes, registry, users);
    }

    @Bean
    HttpHandlerDecoratorFactory trafficMeteringAroundTheApplication(TrafficMetering metering) {
        return metering::decorate;
    }
}
