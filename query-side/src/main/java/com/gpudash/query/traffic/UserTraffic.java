package com.gpudash.query.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.gpudash.api.PeriodicTask;
import com.gpudash.api.user.UserId;
import com.gpudash.query.web.UtcTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Requests and bytes per signed-in user. Memory holds only what was counted since the last flush, one entry per
 * user who called in that time (so never more than the number of users); every {@code gpudash.traffic.flush-interval}
 * and at shutdown the counts are added to the {@code user_traffic} table and forgotten here. The table keeps the
 * totals across restarts (up to one interval is lost if the process dies without shutting down) and adds up what
 * several nodes count.
 */
@Component
public class UserTraffic implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UserTraffic.class);

    /** What one user did since the last flush. Guarded by itself; a flushed entry is retired and replaced. */
    private static final class Counts {
        long requests;
        long bytesIn;
        long bytesOut;
        Instant firstSeen;
        Instant lastSeen;
        boolean retired;
    }

    record Flushed(UserId userId, long requests, long bytesIn, long bytesOut, Instant firstSeen,
                           Instant lastSeen) {
    }

    private final ConcurrentHashMap<UserId, Counts> counts = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final PeriodicTask flushes;

    UserTraffic(JdbcTemplate jdbc, Clock clock,
                @Value("${gpudash.traffic.flush-interval:30s}") Duration flushInterval) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.flushes = new PeriodicTask("user-traffic-flush", flushInterval, flushInterval, this::flush);
    }

    public void request(UserId user) {
        add(user, 1, 0, 0, clock.instant());
    }

    public void received(UserId user, long bytes) {
        add(user, 0, bytes, 0, null);
    }

    public void sent(UserId user, long bytes) {
        add(user, 0, 0, bytes, null);
    }

    int usersInMemory() {
        return counts.size();
    }

    private void add(UserId user, long requests, long bytesIn, long bytesOut, Instant seen) {
        while (true) {
            Counts entry = counts.computeIfAbsent(user, key -> new Counts());
            synchronized (entry) {
                if (entry.retired) {
                    continue; // flushed a moment ago: count into its successor
                }
                entry.requests += requests;
                entry.bytesIn += bytesIn;
                entry.bytesOut += bytesOut;
                if (seen != null) {
                    entry.firstSeen = entry.firstSeen == null ? seen : entry.firstSeen;
                    entry.lastSeen = seen;
                }
                return;
            }
        }
    }

    /** Adds what this node counted to the table. One flush at a time, so the table never gets a count twice. */
    synchronized void flush() {
        List<Flushed> batch = new ArrayList<>();
        for (Map.Entry<UserId, Counts> user : counts.entrySet()) {
            Counts entry = user.getValue();
            synchronized (entry) {
                entry.retired = true;
                Instant now = clock.instant();
                batch.add(new Flushed(user.getKey(), entry.requests, entry.bytesIn, entry.bytesOut,
                        entry.firstSeen == null ? now : entry.firstSeen, entry.lastSeen == null ? now : entry.lastSeen));
            }
            counts.remove(user.getKey(), entry);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            jdbc.batchUpdate("""
                            INSERT INTO user_traffic (user_id, requests, bytes_in, bytes_out, first_seen_at, last_seen_at)
                            VALUES (?, ?, ?, ?, ?, ?)
                            ON DUPLICATE KEY UPDATE requests = requests + VALUES(requests),
                                bytes_in = bytes_in + VALUES(bytes_in), bytes_out = bytes_out + VALUES(bytes_out),
                                last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))""",
                    batch, batch.size(), (statement, row) -> {
                        statement.setString(1, row.userId().value());
                        statement.setLong(2, row.requests());
                        statement.setLong(3, row.bytesIn());
                        statement.setLong(4, row.bytesOut());
                        statement.setObject(5, UtcTime.column(row.firstSeen()));
                        statement.setObject(6, UtcTime.column(row.lastSeen()));
                    });
        } catch (RuntimeException e) {
            // Kept for the next flush rather than lost (the database briefly gone, say).
            log.warn("Could not store the API traffic of {} user(s); will try again: {}", batch.size(), e.toString());
            for (Flushed row : batch) {
                add(row.userId(), row.requests(), row.bytesIn(), row.bytesOut(), row.firstSeen());
                add(row.userId(), 0, 0, 0, row.lastSeen());
            }
        }
    }

    @Override
    public void start() {
        flushes.start();
    }

    @Override
    public void stop() {
        flushes.stop();
        try {
            flush();
        } catch (RuntimeException e) {
            log.error("Flushing the API traffic at shutdown failed", e);
        }
    }

    @Override
    public boolean isRunning() {
        return flushes.isRunning();
    }

    /** Stopped after the web server (phase DEFAULT_PHASE - 2048), so the last requests are in the last flush. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
