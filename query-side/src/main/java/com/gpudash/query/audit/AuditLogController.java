package com.gpudash.query.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.DomainException;
import com.gpudash.api.audit.AuditEntryView;
import com.gpudash.api.audit.AuditOutcome;
import com.gpudash.query.audit.AuditLogSql.Filter;
import com.gpudash.query.audit.AuditLogSql.Position;
import com.gpudash.query.audit.AuditLogSql.Statement;
import com.gpudash.query.web.PageRequest;
import com.gpudash.query.web.UtcTime;
import io.r2dbc.spi.Readable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.MimeTypeUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /api/admin/logs}: the audit log, newest first, filtered by any combination of actor, action, target,
 * outcome and time ({@code from} inclusive, {@code to} exclusive), and beyond the contract by {@code correlationId}
 * (everything one request set off). As JSON it is a page whose total is exact only while counting is cheap
 * ({@link AuditLogPage}); as CSV or NDJSON it is the whole filtered log, read from R2DBC page by page as the client
 * reads it, so an export of any size holds only a couple of pages in memory.
 */
@RestController
class AuditLogController {

    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    static final MediaType CSV = MediaType.parseMediaType("text/csv");
    private static final List<String> CSV_HEADER = List.of("id", "timestamp", "actor", "actorRole", "action",
            "targetType", "targetId", "outcome", "detail", "sourceIp", "correlationId");
    /** Rows per buffer written to the client: large enough to keep the per-write cost small, small enough to stay flat. */
    private static final int ROWS_PER_WRITE = 256;
    /** Rows per query of an export. */
    private static final int EXPORT_PAGE = 1000;
    /** The order of every answer: newest first, entries of the same millisecond in the order they were projected. */
    private static final Comparator<Keyed> NEWEST_FIRST = Comparator
            .comparing((Keyed keyed) -> keyed.position().loggedAt())
            .thenComparingLong(keyed -> keyed.position().seq())
            .reversed();
    private final DatabaseClient database;
    private final ObjectMapper json;

    AuditLogController(DatabaseClient database, ObjectMapper json) {
        this.database = database;
        this.json = json;
    }

    /**
     * One method for the three answers: the Accept header chooses, and anything but an explicit CSV or NDJSON
     * (a browser's, a script's {@code *}{@code /*}, none) gets the JSON page.
     */
    @GetMapping("/api/admin/logs")
    Mono<Void> logs(@RequestParam(required = false) String actor,
                    @RequestParam(required = false) String action,
                    @RequestParam(required = false) String targetType,
                    @RequestParam(required = false) String targetId,
                    @RequestParam(required = false) String outcome,
                    @RequestParam(required = false) String from,
                    @RequestParam(required = false) String to,
                    @RequestParam(required = false) String correlationId,
                    @RequestParam(required = false) Integer page,
                    @RequestParam(required = false) Integer size,
                    ServerWebExchange exchange) {
        Filter filter = filter(actor, action, targetType, targetId, outcome, from, to, correlationId);
        ServerHttpResponse response = exchange.getResponse();
        MediaType format = format(exchange.getRequest().getHeaders().getAccept());
        if (CSV.equalsTypeAndSubtype(format)) {
            response.getHeaders().setContentType(new MediaType(CSV, StandardCharsets.UTF_8));
            response.getHeaders().set(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\"");
            Flux<String> lines = Flux.concat(Mono.just(CsvLines.line(CSV_HEADER)),
                    stream(filter).map(AuditLogController::csvLine));
            return response.writeWith(chunked(response, lines));
        }
        if (NDJSON.equalsTypeAndSubtype(format)) {
            response.getHeaders().setContentType(NDJSON);
            return response.writeWith(chunked(response, stream(filter).map(this::jsonLine)));
        }
        PageRequest request = PageRequest.of(page, size);
        return page(filter, request).map(this::json).flatMap(body -> {
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            response.getHeaders().setContentLength(body.length);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        });
    }

    private Mono<AuditLogPage> page(Filter filter, PageRequest request) {
        return bindAll(AuditLogSql.page(filter, request.size(), request.offset()))
                .map(row -> new Counted(((Number) row.get("total")).longValue(),
                        row.get("id", String.class) == null ? null : keyed(row)))
                .all()
                .collectList()
                .subscribeOn(Schedulers.boundedElastic())
                .map(rows -> {
                    long total = rows.isEmpty() ? 0 : rows.get(0).total();
                    List<AuditEntryView> items = rows.stream().map(Counted::entry).filter(Objects::nonNull)
                            .sorted(NEWEST_FIRST).map(Keyed::entry).toList();
                    return new AuditLogPage(items, total, AuditLogSql.exact(total, request.offset()), request.page(),
                            request.size());
                });
    }

    /** A row of a page: the page's total, and an entry unless the page has none. */
    private record Counted(long total, Keyed entry) {
    }

    static MediaType format(List<MediaType> accepted) {
        List<MediaType> byPreference = new ArrayList<>(accepted);
        MimeTypeUtils.sortBySpecificity(byPreference);
        byPreference.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : byPreference) {
            if (type.getQualityValue() > 0 && (type.equalsTypeAndSubtype(CSV) || type.equalsTypeAndSubtype(NDJSON))) {
                return type;
            }
            if (type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return MediaType.APPLICATION_JSON;
            }
        }
        return MediaType.APPLICATION_JSON;
    }

    /**
     * The whole filtered log, in order, one keyset page after another ({@code (logged_at, seq)} below the last
     * row sent): the next page is read while the client takes the current one, and no further ahead, so an
     * export holds about three pages in memory whatever its size and whatever the driver buffers, and never keeps
     * a query open while a slow client reads (reading a page only once the last was written left the database and
     * the writing waiting for each other). Rows added meanwhile are newer than the first page and do not shift
     * the pages.
     */
    private Flux<AuditEntryView> stream(Filter filter) {
        return keysetPage(filter, null)
                .expand(rows -> rows.size() < EXPORT_PAGE ? Mono.empty()
                        : keysetPage(filter, rows.get(rows.size() - 1).position()))
                .concatMapIterable(rows -> rows, 2)
                .map(Keyed::entry);
    }

    /** An entry with its place in the order. */
    private record Keyed(AuditEntryView entry, Position position) {
    }

    private static Keyed keyed(Readable row) {
        return new Keyed(entry(row), new Position(row.get("logged_at", LocalDateTime.class),
                ((Number) row.get("seq")).longValue()));
    }

    /**
     * The embedded H2 driver does its work on the thread that subscribes: the log's queries run on boundedElastic
     * rather than the event loop, where a count over a large filter would hold up every connection of that loop.
     */
    private Mono<List<Keyed>> keysetPage(Filter filter, Position after) {
        return bindAll(AuditLogSql.entries(filter, after, EXPORT_PAGE))
                .map(AuditLogController::keyed)
                .all()
                .collectList()
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** A few hundred lines per buffer: one write per line would cost more than the line. */
    private static Flux<DataBuffer> chunked(ServerHttpResponse response, Flux<String> lines) {
        return lines.buffer(ROWS_PER_WRITE)
                .map(batch -> response.bufferFactory().wrap(String.join("", batch).getBytes(StandardCharsets.UTF_8)));
    }

    static Filter filter(String actor, String action, String targetType, String targetId, String outcome,
                         String from, String to, String correlationId) {
        Instant since = instant("from", from);
        Instant until = instant("to", to);
        if (since != null && until != null && !since.isBefore(until)) {
            throw DomainException.invalid("from must be before to, got from=" + from + " and to=" + to);
        }
        return new Filter(text(actor), text(action), text(targetType), text(targetId), outcome(outcome), since, until,
                text(correlationId));
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static AuditOutcome outcome(String value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return AuditOutcome.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("outcome must be one of SUCCESS, FAILURE, DENIED, got '" + value + "'");
        }
    }

    private static Instant instant(String name, String value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(name + " must be an ISO-8601 UTC timestamp like 2026-11-25T20:45:07Z, got '"
                    + value + "'");
        }
    }

    private DatabaseClient.GenericExecuteSpec bindAll(Statement statement) {
        DatabaseClient.GenericExecuteSpec spec = database.sql(statement.sql());
        for (Map.Entry<String, Object> bind : statement.binds().entrySet()) {
            spec = spec.bind(bind.getKey(), bind.getValue());
        }
        return spec;
    }

    static AuditEntryView entry(Readable row) {
        return new AuditEntryView(row.get("id", String.class),
                UtcTime.instant(row.get("logged_at", LocalDateTime.class)),
                row.get("actor", String.class), row.get("actor_role", String.class), row.get("action", String.class),
                row.get("target_type", String.class), row.get("target_id", String.class),
                AuditOutcome.valueOf(row.get("outcome", String.class)), row.get("detail", String.class),
                row.get("source_ip", String.class), row.get("correlation_id", String.class));
    }

    static String csvLine(AuditEntryView entry) {
        List<String> fields = new ArrayList<>(CSV_HEADER.size());
        Function<Object, String> text = value -> value == null ? null : value.toString();
        fields.add(entry.id());
        fields.add(text.apply(entry.timestamp()));
        fields.add(entry.actor());
        fields.add(entry.actorRole());
        fields.add(entry.action());
        fields.add(entry.targetType());
        fields.add(entry.targetId());
        fields.add(text.apply(entry.outcome()));
        fields.add(entry.detail());
        fields.add(entry.sourceIp());
        fields.add(entry.correlationId());
        return CsvLines.line(fields);
    }

    private String jsonLine(AuditEntryView entry) {
        return new String(json(entry), StandardCharsets.UTF_8) + "\n";
    }

    private byte[] json(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit entry is always serializable", e);
        }
    }
}
