package com.gpudash.saga.cleanup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far a server cleanup reaches.
 *
 * @param onlyLabelled when not empty, a cleanup removes only containers and images carrying all these labels (an
 *     empty value matches the key alone): an operator who shares an engine with other tools can confine cleanups
 *     to what is marked for them, and tests confine them to what they made
 */
public record CleanupSettings(Map<String, String> onlyLabelled) {

    public CleanupSettings {
        onlyLabelled = Map.copyOf(onlyLabelled);
    }

    public static CleanupSettings everything() {
        return new CleanupSettings(Map.of());
    }

    /** Reads {@code key=value,key2,…}: labels separated by commas, each with or without a value. */
    public static CleanupSettings parse(String labels) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String label : labels.split(",")) {
            String trimmed = label.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String key = equals < 0 ? trimmed : trimmed.substring(0, equals).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a cleanup label needs a key, got '" + trimmed + "'");
            }
            parsed.put(key, equals < 0 ? "" : trimmed.substring(equals + 1).strip());
        }
        return new CleanupSettings(parsed);
    }
}
