package com.gpudash.infra.config;

import java.util.Map;

/**
 * The few words in which the two databases' DDL differs; the migrations are otherwise one set of files. Start-up
 * hands one of these to Flyway, and a test that runs the migrations itself uses the same.
 */
public final class MigrationPlaceholders {

    public static final Map<String, String> MARIADB = Map.of(
            "table_options", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
            "blob", "LONGBLOB",
            "json_text", "TEXT",
            "timestamp", "TIMESTAMP(6)",
            "new_uuid", "UUID()");

    public static final Map<String, String> H2 = Map.of(
            "table_options", "",
            "blob", "BLOB",
            "json_text", "VARCHAR(16000)",
            "timestamp", "TIMESTAMP(6) WITH TIME ZONE",
            "new_uuid", "CAST(RANDOM_UUID() AS VARCHAR(36))");

    private MigrationPlaceholders() {
    }
}
