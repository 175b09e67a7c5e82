package com.gpudash.query.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Read models keep UTC wall-clock times, whatever the JVM's or the database session's time zone. */
public final class UtcTime {

    private UtcTime() {
    }

    public static LocalDateTime column(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant instant(LocalDateTime column) {
        return column == null ? null : column.toInstant(ZoneOffset.UTC);
    }
}
