package com.gpudash.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The module boundaries that the compiler cannot check, read from every module's main sources.
 * <p>
 * One owner per read model: the query side writes the read models and answers every question about them and about
 * Axon's tables, so no other module names those tables in its SQL. And infra only assembles (configuration,
 * security, persistence, metrics): it holds no handlers, sagas or endpoints of a feature.
 */
class ArchitectureRulesTest {

    private static final Path MIGRATIONS = Path.of("infra/src/main/resources/db/migration");

    /** The migrations that create read models; besides them, every {@code *_view} table is one. */
    private static final Set<String> READ_MODEL_MIGRATIONS = Set.of("V10__servers.sql", "V11__operations.sql",
            "V20__containers.sql", "V30__audit_log.sql", "V50__user_traffic.sql");

    /**
     * Tables those migrations create that are no read models: the command side's uniqueness registry of server
     * names (kept in the command's transaction), and the installation id that infra's configuration reads once.
     */
    private static final Set<String> NOT_READ_MODELS = Set.of("server_name_registry", "gpudash_installation");

    private static final String AXON_MIGRATION = "V1__axon_store.sql";

    /**
     * infra's persistence package configures Axon's JDBC storage (event store, tokens, sagas, dead letters) and
     * reads the positions of committed events for read-your-writes, so it is the one place outside the query side
     * that may name Axon's tables.
     */
    private static final String AXON_STORAGE_OWNER = "infra/src/main/java/com/gpudash/infra/persistence/";

    private static final String QUERY_SIDE = "query-side/";

    private static final Set<String> FEATURE_ANNOTATIONS = Set.of("@CommandHandler", "@EventHandler", "@QueryHandler",
            "@Saga", "@RestController");

    /**
     * The health endpoint and the contract document are the application's own, not a feature's; errors are answered
     * in one place for every module.
     */
    private static final Set<String> INFRA_ENDPOINTS = Set.of(
            "infra/src/main/java/com/gpudash/infra/web/HealthController.java",
            "infra/src/main/java/com/gpudash/infra/web/ApiDocumentController.java",
            "infra/src/main/java/com/gpudash/infra/web/ProblemJsonExceptionHandler.java");

    private static final Pattern CREATE_TABLE = Pattern.compile("(?i)CREATE\\s+TABLE\\s+(\\w+)");
    private static final Pattern ANNOTATION = Pattern.compile("@\\s*(?:[\\w$]+\\s*\\.\\s*)*([\\w$]+)");

    private final Path root = repositoryRoot();

    @Test
    void onlyTheQuerySideNamesReadModelTablesAndOnlyItAndAxonsStorageConfigurationNameAxonsTables() {
        assertThat(tableViolations()).as("each of these runs SQL on tables the query side owns; ask the"
                + " query side instead (an Axon query in shared-api and a @QueryHandler in query-side)").isEmpty();
    }

    @Test
    void infraHoldsNoHandlersSagasOrEndpointsOfAFeature() {
        assertThat(featureViolations()).as("each of these belongs in the module of its feature"
                + " (command-side, query-side, saga)").isEmpty();
    }

    private List<String> tableViolations() {
        Set<String> readModels = readModelTables();
        Set<String> axon = tablesOf(AXON_MIGRATION);
        // The parsing is what finds the tables: if it found none, the rule would pass on anything.
        assertThat(readModels).contains("server_view", "container_view", "route_view", "server_reservation_view",
                "operation_view", "audit_log", "user_traffic", "users_view");
        assertThat(axon).containsExactlyInAnyOrder("DomainEventEntry", "SnapshotEventEntry", "TokenEntry", "SagaEntry",
                "AssociationValueEntry", "DeadLetterEntry");

        List<String> violations = new ArrayList<>();
        for (Path file : mainSources()) {
            String path = relative(file);
            if (path.startsWith(QUERY_SIDE)) {
                continue;
            }
            Set<String> named = new TreeSet<>();
            for (String literal : JavaSource.read(file).stringLiterals()) {
                named.addAll(tablesNamedIn(literal, readModels));
                if (!path.startsWith(AXON_STORAGE_OWNER)) {
                    named.addAll(tablesNamedIn(literal, axon));
                }
            }
            if (!named.isEmpty()) {
                violations.add(path + " names " + named);
            }
        }
        return violations;
    }

    private List<String> featureViolations() {
        List<String> violations = new ArrayList<>();
        for (Path file : mainSources()) {
            String path = relative(file);
            if (!path.startsWith("infra/") || INFRA_ENDPOINTS.contains(path)) {
                continue;
            }
            Set<String> found = annotationsIn(JavaSource.read(file).code());
            found.retainAll(FEATURE_ANNOTATIONS);
            if (!found.isEmpty()) {
                violations.add(path + " holds " + found);
            }
        }
        return violations;
    }

    /** Each annotation by its simple name, however it is written ({@code @org.axonframework...QueryHandler} too). */
    private static Set<String> annotationsIn(String code) {
        Set<String> found = new TreeSet<>();
        Matcher annotation = ANNOTATION.matcher(code);
        while (annotation.find()) {
            found.add("@" + annotation.group(1));
        }
        return found;
    }

    /** The violations of files that are not known to be waiting for their move. */
    @Test
    void theRulesSeeATableNamedInATextBlockButNotInACommentAndAnAnnotationOnlyInCode() {
        JavaSource source = JavaSource.parse("""
                // SELECT * FROM server_view
                /* @RestController */
                class Probe {
                    @org.axonframework.queryhandling.QueryHandler String sql = \"""
                            SELECT id FROM ROUTE_VIEW WHERE x = 'a\\"b'
                            \""";
                    String other = "DomainEventEntry";
                    char quote = '"';
                    String notATable = "server_views";
                }
                """);

        Set<String> named = new TreeSet<>();
        for (String literal : source.stringLiterals()) {
            named.addAll(tablesNamedIn(literal, Set.of("server_view", "route_view", "DomainEventEntry")));
        }
        assertThat(named).containsExactly("DomainEventEntry", "route_view");
        assertThat(annotationsIn(source.code())).containsExactly("@QueryHandler");
    }

    private Set<String> readModelTables() {
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> migrations = Files.list(root.resolve(MIGRATIONS))) {
            for (Path migration : migrations.toList()) {
                String name = migration.getFileName().toString();
                for (String table : tablesOf(name)) {
                    if (READ_MODEL_MIGRATIONS.contains(name) || table.endsWith("_view")) {
                        tables.add(table);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tables.removeAll(NOT_READ_MODELS);
        return tables;
    }

    private Set<String> tablesOf(String migration) {
        Set<String> tables = new LinkedHashSet<>();
        Matcher created = CREATE_TABLE.matcher(read(root.resolve(MIGRATIONS).resolve(migration)));
        while (created.find()) {
            tables.add(created.group(1));
        }
        return tables;
    }

    /** Table names are matched whole and in any case: H2 folds them, and SQL keywords may be in either case. */
    private static Set<String> tablesNamedIn(String literal, Set<String> tables) {
        Set<String> named = new TreeSet<>();
        String text = literal.toLowerCase(Locale.ROOT);
        for (String table : tables) {
            if (Pattern.compile("(?<![\\w$])" + Pattern.quote(table.toLowerCase(Locale.ROOT)) + "(?![\\w$])")
                    .matcher(text).find()) {
                named.add(table);
            }
        }
        return named;
    }

    /** Every module's main Java sources, the modules being those the root pom lists. */
    private List<Path> mainSources() {
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(read(root.resolve("pom.xml")));
        List<Path> files = new ArrayList<>();
        while (module.find()) {
            Path sources = root.resolve(module.group(1)).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(sources)) {
                walk.filter(file -> file.toString().endsWith(".java")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(files).as("main sources under %s", root).isNotEmpty();
        return files;
    }

    private String relative(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** The directory of the root pom.xml (the one listing the modules), from wherever the tests run. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<modules>")) {
                return dir;
            }
        }
        throw new IllegalStateException("No pom.xml with <modules> above " + Path.of("").toAbsolutePath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Java source split into its string literals (text blocks included) and the code around them, comments left out. */
    record JavaSource(List<String> stringLiterals, String code) {

        static JavaSource read(Path file) {
            return parse(ArchitectureRulesTest.read(file));
        }

        static JavaSource parse(String source) {
            List<String> literals = new ArrayList<>();
            StringBuilder code = new StringBuilder();
            int i = 0;
            int n = source.length();
            while (i < n) {
                char c = source.charAt(i);
                if (source.startsWith("//", i)) {
                    i = end(source.indexOf('\n', i), n);
                } else if (source.startsWith("/*", i)) {
                    i = end(source.indexOf("*/", i + 2), n - 2) + 2;
                } else if (source.startsWith("\"\"\"", i)) {
                    int close = i + 3;
                    while (close < n && !(source.startsWith("\"\"\"", close) && source.charAt(close - 1) != '\\')) {
                        close++;
                    }
                    literals.add(source.substring(i + 3, Math.min(close, n)));
                    code.append("\"\"");
                    i = close + 3;
                } else if (c == '"' || c == '\'') {
                    int close = i + 1;
                    while (close < n && source.charAt(close) != c) {
                        close += source.charAt(close) == '\\' ? 2 : 1;
                    }
                    if (c == '"') {
                        literals.add(source.substring(i + 1, Math.min(close, n)));
                    }
                    code.append(c).append(c);
                    i = close + 1;
                } else {
                    code.append(c);
                    i++;
                }
            }
            return new JavaSource(literals, code.toString());
        }

        private static int end(int found, int otherwise) {
            return found < 0 ? otherwise : found;
        }
    }
}
