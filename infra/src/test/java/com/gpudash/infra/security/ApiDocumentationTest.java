package com.gpudash.infra.security;

import com.gpudash.api.user.Permission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.gpudash.api.user.Role;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md, the HTTP contract, and {@link RoutePermissions}, the table every request is decided by, name the same
 * routes with the same callers: a route added to one and forgotten in the other fails here. Maven runs the tests in
 * the module directory, so the document is one level up.
 */
class ApiDocumentationTest {

    private static final Path DOCUMENT = Path.of("..", "docs", "api.md");
    private static final Pattern ROUTE_HEADING = Pattern.compile("^### `([A-Z]+) (\\S+)`$");
    private static final Pattern WHO = Pattern.compile("^Who: (anyone|signed in|`([A-Z_]+)` \\(([A-Z, ]+)\\))$");
    private static final Pattern PERMISSION_ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| ([A-Z, ]+) \\|$");

    /** A route as the document states it: its heading, and the {@code Who:} line under it. */
    private record DocumentedRoute(String route, String who) {
    }

    private static List<String> lines() {
        try {
            return Files.readAllLines(DOCUMENT, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fail("cannot read " + DOCUMENT.toAbsolutePath().normalize(), e);
        }
    }

    private static List<DocumentedRoute> documentedRoutes() {
        List<String> lines = lines();
        List<DocumentedRoute> routes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher heading = ROUTE_HEADING.matcher(lines.get(i));
            if (heading.matches()) {
                String who = i + 1 < lines.size() ? lines.get(i + 1) : "";
                routes.add(new DocumentedRoute(heading.group(1) + " " + heading.group(2), who));
            }
        }
        return routes;
    }

    private static String key(RoutePermissions.Route route) {
        return route.method().name() + " " + route.pattern().getPatternString();
    }

    /** The roles that hold a permission, in the order of {@link Role}, as the document writes them. */
    private static String holders(Permission permission) {
        return Arrays.stream(Role.values())
                .filter(role -> Permission.heldBy(role).contains(permission))
                .map(Role::name)
                .collect(Collectors.joining(", "));
    }

    /** What the {@code Who:} line of a route must say, from the table. */
    private static String expectedWho(RoutePermissions.Route route) {
        if (route.permission() != null) {
            return "Who: `" + route.permission() + "` (" + holders(route.permission()) + ")";
        }
        return route.audience() == RoutePermissions.Audience.ANYONE ? "Who: anyone" : "Who: signed in";
    }

    @Test
    void documentsEveryRouteOfThePermissionTableAndNoOther() {
        List<String> documented = documentedRoutes().stream().map(DocumentedRoute::route).toList();
        List<String> table = RoutePermissions.CONTRACT.stream().map(ApiDocumentationTest::key).toList();

        assertThat(documented).as("route headings of %s", DOCUMENT).doesNotHaveDuplicates();
        assertThat(documented).as("routes in RoutePermissions but not in %s", DOCUMENT).containsAll(table);
        assertThat(table).as("routes in %s but not in RoutePermissions", DOCUMENT).containsAll(documented);
    }

    @Test
    void saysForEveryRouteWhoMayCallItAsThePermissionTableDoes() {
        Map<String, String> documented = new LinkedHashMap<>();
        documentedRoutes().forEach(route -> documented.put(route.route(), route.who()));

        for (RoutePermissions.Route route : RoutePermissions.CONTRACT) {
            String who = documented.get(key(route));
            assertThat(who).as("the line under the heading of %s", key(route)).matches(WHO);
            assertThat(who).as("who may call %s", key(route)).isEqualTo(expectedWho(route));
        }
    }

    @Test
    void listsTheRolesOfEveryPermission() {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : lines()) {
            Matcher row = PERMISSION_ROW.matcher(line);
            if (row.matches()) {
                rows.put(row.group(1), row.group(2));
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (Permission permission : Permission.values()) {
            expected.put(permission.name(), holders(permission));
        }

        assertThat(rows).isEqualTo(expected);
    }
}
