package com.gpudash.query.audit;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.gpudash.api.audit.AuditOutcome;
import com.gpudash.query.web.UtcTime;

/**
 * The SQL behind {@code GET /api/admin/logs}, apart from the controller so that the audit-log benchmark sends the
 * very same statements straight through R2DBC as its baseline.
 *
 * <p>Every answer is newest first, {@code (logged_at, seq)}, and each filter is read from an index that ends in
 * those two columns (V30, V31), so a page is a short index range. The actor, action and target-type indexes have
 * the outcome second: "the failures of X" is one range even when X has few failures among many successes. A
 * filter on one of those without an outcome is read one outcome at a time and the three ranges merged, which
 * costs three short index reads instead of a sort of all of X's entries.
 */
public final class AuditLogSql {

    /**
     * A page's total is exact when the filter matches at most this many entries past the page's start; beyond, it
     * is a lower bound. An exact count of a filter that matches a quarter of a million entries took seconds
     * (issue 11); counting this far costs about as much as reading the page.
     */
    public static final int COUNT_AHEAD = 1000;

    private static final String ORDER = " ORDER BY logged_at DESC, seq DESC";
    private static final String ENTRY_COLUMNS = "entry.seq, entry.id, entry.logged_at, entry.actor, entry.actor_role,"
            + " entry.action, entry.target_type, entry.target_id, entry.outcome, entry.detail, entry.source_ip,"
            + " entry.correlation_id";

    /** The filters of the contract, checked; a null one does not filter. */
    public record Filter(String actor, String action, String targetType, String targetId, AuditOutcome outcome,
                         Instant from, Instant to, String correlationId) {
    }

    /** An entry's place in the order, where a keyset page continues from. */
    public record Position(LocalDateTime loggedAt, long seq) {
    }

    /** SQL with named binds. */
    public record Statement(String sql, Map<String, Object> binds) {
    }

    private AuditLogSql() {
    }

    /**
     * A page and its total in one statement (one round trip, one pooled connection): a row per entry of the page
     * with the column {@code total} on every row, in no particular order (sort them newest first, by
     * {@code logged_at} then {@code seq}); a page with no entry is one row whose entry columns are null. The total
     * counts no further than {@link #COUNT_AHEAD} entries past the page's start ({@link #exact}).
     */
    public static Statement page(Filter filter, int size, long offset) {
        Statement keys = keys(filter, null, size, offset, "_k");
        Statement count = count(filter, offset + COUNT_AHEAD + 1, "_c");
        Map<String, Object> binds = new LinkedHashMap<>(count.binds());
        binds.putAll(keys.binds());
        // Unordered on purpose: sorting the joined rows would copy them, long details and all, into a temporary
        // table; the caller sorts at most a page.
        return new Statement("SELECT counted.total, " + ENTRY_COLUMNS + " FROM (" + count.sql() + ") counted"
                + " LEFT JOIN ((" + keys.sql() + ") page JOIN audit_log entry ON entry.seq = page.seq) ON 1 = 1", binds);
    }

    /** Whether the total of a page from {@code offset} is the exact number of entries, not a lower bound. */
    public static boolean exact(long total, long offset) {
        return total <= offset + COUNT_AHEAD;
    }

    /**
     * {@code limit} entries below {@code after} (from the newest if null), newest first. Read in the index's order
     * where one index serves the filter; otherwise (one range per outcome) the keys first, then those rows by
     * primary key, ordered by the keys so that only they are sorted.
     */
    public static Statement entries(Filter filter, Position after, int limit) {
        if (!byOutcome(filter)) {
            Statement where = where(filter, after, "", null);
            return new Statement("SELECT " + ENTRY_COLUMNS + " FROM audit_log entry" + where.sql()
                    + " ORDER BY entry.logged_at DESC, entry.seq DESC LIMIT " + limit, where.binds());
        }
        Statement keys = keys(filter, after, limit, 0, "");
        return new Statement("SELECT " + ENTRY_COLUMNS + " FROM (" + keys.sql() + ") page JOIN audit_log entry"
                + " ON entry.seq = page.seq ORDER BY page.logged_at DESC, page.seq DESC", keys.binds());
    }

    /**
     * How many entries match, as a column {@code total}, counting no further than {@code limit}: read from the
     * same index as the page, so it costs about as much as reading {@code limit} index entries, however many
     * entries match.
     */
    private static Statement count(Filter filter, long limit, String suffix) {
        if (!byOutcome(filter)) {
            Statement where = where(filter, null, suffix, null);
            return new Statement("SELECT COUNT(*) AS total FROM (SELECT 1 AS one FROM audit_log" + where.sql()
                    + " LIMIT " + limit + ") counted", where.binds());
        }
        List<String> branches = new ArrayList<>();
        Map<String, Object> binds = new LinkedHashMap<>();
        for (AuditOutcome outcome : AuditOutcome.values()) {
            Statement where = where(filter, null, suffix + outcome.ordinal(), outcome);
            branches.add("(SELECT 1 AS one FROM audit_log" + where.sql() + " LIMIT " + limit + ")");
            binds.putAll(where.binds());
        }
        // Each branch stops at limit: the sum can pass limit, but whenever it is below, no branch was cut short.
        return new Statement("SELECT COUNT(*) AS total FROM (" + String.join(" UNION ALL ", branches) + ") counted",
                binds);
    }

    /** The keys {@code (seq, logged_at)} of {@code limit} entries from {@code offset}, newest first. */
    private static Statement keys(Filter filter, Position after, int limit, long offset, String suffix) {
        if (!byOutcome(filter)) {
            Statement where = where(filter, after, suffix, null);
            return new Statement("SELECT seq, logged_at FROM audit_log" + where.sql() + ORDER + " LIMIT " + limit
                    + " OFFSET " + offset, where.binds());
        }
        List<String> branches = new ArrayList<>();
        Map<String, Object> binds = new LinkedHashMap<>();
        for (AuditOutcome outcome : AuditOutcome.values()) {
            Statement where = where(filter, after, suffix + outcome.ordinal(), outcome);
            branches.add("(SELECT seq, logged_at FROM audit_log" + where.sql() + ORDER + " LIMIT " + (offset + limit)
                    + ")");
            binds.putAll(where.binds());
        }
        return new Statement("SELECT seq, logged_at FROM (" + String.join(" UNION ALL ", branches) + ") branches"
                + ORDER + " LIMIT " + limit + " OFFSET " + offset, binds);
    }

    /**
     * Whether the filter is read one outcome at a time: it names an actor, action or target type and no outcome,
     * and neither a target id nor a correlation id (whose own indexes are selective enough to read as they are).
     */
    private static boolean byOutcome(Filter filter) {
        return filter.outcome() == null && filter.targetId() == null && filter.correlationId() == null
                && (filter.actor() != null || filter.action() != null || filter.targetType() != null);
    }

    /**
     * The filter as a WHERE clause, optionally below a keyset position and for one outcome; bind names end in
     * {@code suffix}, so that one statement can hold the filter more than once.
     */
    private static Statement where(Filter filter, Position after, String suffix, AuditOutcome onlyOutcome) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> binds = new LinkedHashMap<>();
        AuditOutcome outcome = onlyOutcome != null ? onlyOutcome : filter.outcome();
        equal(conditions, binds, suffix, "actor", filter.actor());
        equal(conditions, binds, suffix, "action", filter.action());
        equal(conditions, binds, suffix, "target_type", filter.targetType());
        equal(conditions, binds, suffix, "target_id", filter.targetId());
        equal(conditions, binds, suffix, "outcome", outcome == null ? null : outcome.name());
        equal(conditions, binds, suffix, "correlation_id", filter.correlationId());
        if (filter.from() != null) {
            conditions.add("logged_at >= :from_time" + suffix);
            binds.put("from_time" + suffix, UtcTime.column(filter.from()));
        }
        if (filter.to() != null) {
            conditions.add("logged_at < :to_time" + suffix);
            binds.put("to_time" + suffix, UtcTime.column(filter.to()));
        }
        if (after != null) {
            // The first condition alone is a range the (…, logged_at, seq) indexes start from; the equivalent
            // "a < t OR (a = t AND s < q)" makes H2 scan from the newest row every page.
            conditions.add("logged_at <= :after_time" + suffix + " AND (logged_at < :after_time" + suffix
                    + " OR seq < :after_seq" + suffix + ")");
            binds.put("after_time" + suffix, after.loggedAt());
            binds.put("after_seq" + suffix, after.seq());
        }
        return new Statement(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), binds);
    }

    private static void equal(List<String> conditions, Map<String, Object> binds, String suffix, String column,
                              String value) {
        if (value != null) {
            conditions.add(column + " = :" + column + suffix);
            binds.put(column + suffix, value);
        }
    }
}
