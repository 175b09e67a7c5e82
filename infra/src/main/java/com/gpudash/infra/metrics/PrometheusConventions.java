package com.gpudash.infra.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes every meter follow Prometheus' conventions, as {@code promtool check metrics} judges them: Axon names its
 * meters and tags in camelCase ({@code eventProcessor.successCounter}, {@code payloadType}), some JVM meters use
 * abbreviated units, and meters without a description get no HELP line. Our own meters are named right from the
 * start; this filter only mends what libraries bring.
 */
@Configuration(proxyBeanMethods = false)
class PrometheusConventions {

    private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");
    /** Meters whose only unit is an abbreviation (ms, ns) that a filter cannot convert; a better twin exists. */
    private static final Set<String> ABBREVIATED_UNITS = Set.of("jvm.compilation.time", "process.cpu.time");

    @Bean
    MeterFilter dropMetersWithAbbreviatedUnits() {
        return MeterFilter.deny(id -> ABBREVIATED_UNITS.contains(id.getName()));
    }

    @Bean
    MeterFilter prometheusNamesAndHelp() {
        return new MeterFilter() {
            // Boot applies MeterFilter beans to every registry, so this one place covers the whole scrape.
            @Override
            public Meter.Id map(Meter.Id id) {
                String name = id.getName();
                if (name.equals("system.cpu.count")) {
                    // A gauge may not end in _count: Prometheus reserves that suffix for histograms and summaries.
                    name = "system.cpu.logical.processors";
                } else if (!name.equals(name.toLowerCase(Locale.ROOT))) {
                    // promtool refuses a type in a name; Axon's counter and timer of one outcome share the rest
                    // of their names, so the timer becomes a duration: ..._success_total, ..._success_duration_seconds.
                    name = "axon." + snakeCase(name).replaceAll("_counter$", "").replaceAll("_timer$", ".duration");
                }
                List<Tag> tags = id.getTags().stream().map(tag -> Tag.of(snakeCase(tag.getKey()), tag.getValue())).toList();
                String description = id.getDescription() != null ? id.getDescription()
                        : name.replace('.', ' ').replace('_', ' ');
                return new Meter.Id(name, Tags.of(tags), id.getBaseUnit(), description, id.getType());
            }
        };
    }

    /** {@code eventProcessor.successCounter} → {@code event_processor.success_counter}; dots stay. */
    static String snakeCase(String name) {
        return CAMEL_HUMP.matcher(name).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
    }
}
