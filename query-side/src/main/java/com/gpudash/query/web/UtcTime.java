package com.gpudash.query.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Read models keep UTC wall-clock times, whatever the JVM's or the database session's time zone, to the
 * millisecond. Event timestamps are finer; they are cut here rather than by the database, which would round on
 * H2 and truncate on MariaDB, so that a state folded from events shows the same times as the read model.
 */
public final class UtcTime {

    private UtcTime() {
    }

    public static LocalDateTime column(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(stored(instant), ZoneOffset.UTC);
    }

    public static Instant instant(LocalDateTime column) {
        return column == null ? null : column.toInstant(ZoneOffset.UTC);
    }

    /** An event's time as a read model keeps it. */
    public static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
