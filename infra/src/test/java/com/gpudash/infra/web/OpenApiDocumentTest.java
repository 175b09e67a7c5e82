package com.gpudash.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.gpudash.api.audit.AuditEntryView;
import com.gpudash.api.container.ContainerView;
import com.gpudash.api.image.ImageView;
import com.gpudash.api.operation.OperationView;
import com.gpudash.api.server.ServerStatsView;
import com.gpudash.api.server.ServerView;
import com.gpudash.api.stats.StatsView;
import com.gpudash.api.user.UserView;
import com.gpudash.infra.H2ApplicationTest;
import com.gpudash.infra.security.RoutePermissions;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/openapi.yaml, the contract as OpenAPI, names exactly the routes of {@link RoutePermissions} with the same
 * callers, exactly the routes the application has handlers for, and the shared answer objects' fields; it passes
 * Redocly's linter, and is what the application serves. Routes are compared with their variables unnamed, since the document names the one of
 * {@code /actuator/health/**} ({@code {component}}).
 */
@H2ApplicationTest
class OpenApiDocumentTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "openapi.yaml");
    private static final Path LINT_CONFIG = Path.of("..", "docs", "redocly.yaml");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Autowired
    ApplicationContext context;
    @Autowired
    WebTestClient client;

    /** An operation of the document: its route, and the operation object itself. */
    private record Operation(String route, Map<String, Object> body) {
    }

    /** {@code GET /api/admin/users/{}}: the method and the path with every variable, and {@code **}, unnamed. */
    private static String route(String method, String path) {
        return method.toUpperCase() + " " + path.replaceAll("\\{[^}]*}", "{}").replace("**", "{}");
    }

    private static Map<String, Object> document() throws IOException {
        try (Reader reader = Files.newBufferedReader(DOCUMENT, StandardCharsets.UTF_8)) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Operation> documentedOperations() throws IOException {
        Map<String, Object> document = document();
        List<Operation> operations = new ArrayList<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.forEach((key, value) -> {
            if (METHODS.contains(key)) {
                operations.add(new Operation(route(key, path), (Map<String, Object>) value));
            }
        }));
        return operations;
    }

    private static String route(RoutePermissions.Route route) {
        return route(route.method().name(), route.pattern().getPatternString());
    }

    /** Who may call a route, as {@code x-permission} says it. */
    private static String permission(RoutePermissions.Route route) {
        if (route.permission() != null) {
            return route.permission().name();
        }
        return route.audience() == RoutePermissions.Audience.ANYONE ? "anyone" : "signed in";
    }

    @Test
    void documentsEveryRouteOfThePermissionTableAndNoOther() throws IOException {
        List<String> documented = documentedOperations().stream().map(Operation::route).toList();
        List<String> table = RoutePermissions.CONTRACT.stream().map(OpenApiDocumentTest::route).toList();

        assertThat(documented).as("operations of %s", DOCUMENT).doesNotHaveDuplicates();
        assertThat(documented).as("routes in RoutePermissions but not in %s", DOCUMENT).containsAll(table);
        assertThat(table).as("routes in %s but not in RoutePermissions", DOCUMENT).containsAll(documented);
    }

    @Test
    void documentsEveryRouteTheApplicationHandlesAndNoOther() throws IOException {
        Set<String> handled = new TreeSet<>();
        context.getBean(RequestMappingHandlerMapping.class).getHandlerMethods().keySet().forEach(mapping -> {
            Set<RequestMethod> methods = mapping.getMethodsCondition().getMethods();
            assertThat(methods).as("the methods of %s", mapping).isNotEmpty();
            for (PathPattern pattern : mapping.getPatternsCondition().getPatterns()) {
                // The test-only endpoints (ProbeController and the like), opened by TestRoutes.
                if (!pattern.getPatternString().startsWith("/test/")) {
                    methods.forEach(method -> handled.add(route(method.name(), pattern.getPatternString())));
                }
            }
        });
        // The actuator's endpoints answer on the management port, from a context of their own; these are what
        // it maps there.
        String actuator = context.getBean(WebEndpointProperties.class).getBasePath();
        context.getBeansOfType(WebEndpointsSupplier.class).values().stream()
                .flatMap(supplier -> supplier.getEndpoints().stream())
                .flatMap(endpoint -> endpoint.getOperations().stream())
                .map(operation -> operation.getRequestPredicate())
                .forEach(predicate -> handled.add(route(predicate.getHttpMethod().name(),
                        actuator + "/" + predicate.getPath())));

        Set<String> documented = new TreeSet<>(documentedOperations().stream().map(Operation::route).toList());

        assertThat(handled).as("routes the application handles").contains("GET /actuator/health/{}", "GET /health");
        assertThat(documented).as("routes of %s that no handler serves", DOCUMENT).isSubsetOf(handled);
        assertThat(handled).as("routes handled but missing from %s", DOCUMENT).isSubsetOf(documented);
    }

    @Test
    @SuppressWarnings("unchecked")
    void saysForEveryOperationWhoMayCallItAndHowItIsRefused() throws IOException {
        Map<String, Operation> documented = new HashMap<>();
        documentedOperations().forEach(operation -> documented.put(operation.route(), operation));

        for (RoutePermissions.Route route : RoutePermissions.CONTRACT) {
            Operation operation = documented.get(route(route));
            assertThat(operation).as("the operation of %s", route).isNotNull();
            Map<String, Object> body = operation.body();
            Map<String, Object> responses = (Map<String, Object>) body.get("responses");

            assertThat(body.get("x-permission")).as("x-permission of %s", route).isEqualTo(permission(route));
            if (route.audience() == RoutePermissions.Audience.ANYONE) {
                assertThat(body).as("%s needs no session", route).containsEntry("security", List.of());
            } else {
                assertThat(body).as("%s takes the document's session schemes", route).doesNotContainKey("security");
                assertThat(responses).as("the answers of %s", route).containsKey("401");
            }
            if (route.permission() != null) {
                assertThat(responses).as("the answers of %s", route).containsKey("403");
            }
        }
    }

    /** The answer objects the modules share, which Jackson writes field for field as their records. */
    @Test
    @SuppressWarnings("unchecked")
    void describesTheSharedAnswerObjectsFieldForFieldAsTheirRecords() throws IOException {
        Map<String, Class<? extends Record>> objects = Map.of("User", UserView.class, "Container", ContainerView.class,
                "Server", ServerView.class, "ServerStats", ServerStatsView.class, "Operation", OperationView.class,
                "Image", ImageView.class, "AuditEntry", AuditEntryView.class, "Stats", StatsView.class);
        Map<String, Map<String, Object>> schemas = (Map<String, Map<String, Object>>)
                ((Map<String, Object>) document().get("components")).get("schemas");

        objects.forEach((name, type) -> {
            Map<String, Object> schema = schemas.get(name);
            assertThat(schema).as("the schema %s", name).isNotNull();
            Set<String> fields = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(new TreeSet<>(((Map<String, Object>) schema.get("properties")).keySet()))
                    .as("the properties of %s, the fields of %s", name, type.getSimpleName()).isEqualTo(fields);
            assertThat(new TreeSet<>((List<String>) schema.get("required")))
                    .as("%s: every field is written, null or not", name).isEqualTo(fields);
        });
    }

    @Test
    void isServedToAnyoneAsWritten() throws IOException {
        byte[] served = client.get().uri(ApiDocumentController.PATH).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("application/yaml"))
                .expectBody().returnResult().getResponseBody();

        assertThat(served).isEqualTo(Files.readAllBytes(DOCUMENT));
    }

    @Test
    @RequiresServices(Service.REDOCLY)
    void passesTheOpenApiLinter() throws Exception {
        ProcessBuilder lint = new ProcessBuilder(TestServices.redoclyBinary(), "lint",
                "--config", LINT_CONFIG.toString(), DOCUMENT.toString()).redirectErrorStream(true);
        // No usage reports and no update checks: the linter runs offline.
        lint.environment().put("REDOCLY_TELEMETRY", "off");
        lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process process = lint.start();
        String verdict = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as("redocly lint:%n%s", verdict).isZero();
        assertThat(verdict).as("redocly lint").contains("Your API description is valid").doesNotContain("warning");
    }
}
