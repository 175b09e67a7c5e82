package com.gpudash.agent.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.gpudash.agent.Route;
import com.gpudash.agent.RouteTableException;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestNginx;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx route table against a real nginx of the test's own, whose server block includes the generated file, in
 * front of two real upstream HTTP servers.
 */
@RequiresServices(Service.NGINX)
class NginxRouteTableTest {

    private static final Duration RELOADED_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path prefix;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final List<HttpServer> upstreams = new ArrayList<>();
    private Path routesFile;
    private TestNginx nginx;
    private int port;
    private NginxRouteTable table;

    @BeforeEach
    void startNginx() throws Exception {
        routesFile = prefix.resolve("routes.conf");
        Files.writeString(routesFile, "");
        nginx = TestNginx.start(prefix, """
                location = /ping { return 200 "pong"; }
                location / { return 404; }
                location /reserved/ { return 200 "reserved"; }
                include %s;
                """.formatted(routesFile));
        port = nginx.port();
        awaitBody("/ping", "pong"::equals);

        table = new NginxRouteTable(new NginxSettings(routesFile, nginx.command("-t"), nginx.command("-s", "reload"),
                Duration.ofSeconds(30)));
    }

    @AfterEach
    void stopNginx() throws Exception {
        nginx.close();
        upstreams.forEach(server -> server.stop(0));
    }

    @Test
    void routesEachUserToTheirOwnUpstreamWithTheForwardingAndUpgradeHeaders() throws Exception {
        int alice = upstream("alice-server");
        int bob = upstream("bob-server");

        assertThat(table.replaceAll(List.of(new Route("alice", "127.0.0.1", alice), new Route("bob", "localhost", bob)))).isTrue();

        String aliceAnswer = awaitBody("/alice/lab?x=1", body -> body.startsWith("alice-server"));
        assertThat(aliceAnswer).contains("uri=/lab?x=1", "prefix=/alice", "proto=http", "for=127.0.0.1",
                "host=127.0.0.1:" + port, "upgrade=null", "connection=close");
        assertThat(awaitBody("/bob/", body -> body.startsWith("bob-server"))).contains("uri=/");
        assertThat(rawGet("/alice/socket", "Upgrade: websocket\r\nConnection: Upgrade\r\n"))
                .contains("alice-server", "upgrade=websocket", "connection=upgrade");
        assertThat(rawGet("/alice/", "Connection: close, X-Forwarded-For\r\n")).contains("connection=close", "for=127.0.0.1");

        assertThat(table.replaceAll(List.of(new Route("bob", "localhost", bob), new Route("alice", "127.0.0.1", alice))))
                .as("the same table in another order is unchanged, so nginx is not reloaded").isFalse();
    }

    @Test
    void aTableNginxRefusesNeverGoesLiveAndLeavesNothingBehind() throws Exception {
        int alice = upstream("alice-server");
        int carol = upstream("carol-server");
        table.replaceAll(List.of(new Route("alice", "127.0.0.1", alice)));
        awaitBody("/alice/", body -> body.startsWith("alice-server"));
        String live = Files.readString(routesFile);

        // A user named like a path the main configuration serves itself: nginx -t finds a duplicate location.
        List<Route> clashing = List.of(new Route("alice", "127.0.0.1", alice), new Route("carol", "127.0.0.1", carol),
                new Route("reserved", "127.0.0.1", carol));
        assertThatThrownBy(() -> table.replaceAll(clashing))
                .isInstanceOf(RouteTableException.class)
                .hasMessageContaining("duplicate location \"/reserved/\"")
                .hasMessageContaining("previous routes stay live")
                .satisfies(refused -> assertThat(((RouteTableException) refused).retriable()).isFalse());

        assertThat(Files.readString(routesFile)).isEqualTo(live);
        try (Stream<Path> files = Files.list(prefix)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("nginx.conf", "routes.conf", "logs", "tmp", "nginx.pid");
        }
        assertThat(get("/alice/").body()).startsWith("alice-server");
        assertThat(get("/carol/").statusCode()).isEqualTo(404);
        assertThat(get("/reserved/").body()).isEqualTo("reserved");
    }

    @Test
    void aRemovedRouteAnswers404() throws Exception {
        int alice = upstream("alice-server");
        int bob = upstream("bob-server");
        table.replaceAll(List.of(new Route("alice", "127.0.0.1", alice), new Route("bob", "127.0.0.1", bob)));
        awaitBody("/bob/", body -> body.startsWith("bob-server"));

        assertThat(table.replaceAll(List.of(new Route("alice", "127.0.0.1", alice)))).isTrue();

        awaitStatus("/bob/", 404);
        assertThat(get("/alice/").body()).startsWith("alice-server");
        assertThat(Files.readString(routesFile)).doesNotContain("bob");
    }

    @Test
    void aFailingReloadIsRetriableAndTheNextCallReloadsTheSameTable() throws Exception {
        int alice = upstream("alice-server");
        List<Route> routes = List.of(new Route("alice", "127.0.0.1", alice));
        NginxRouteTable cannotReload = new NginxRouteTable(new NginxSettings(routesFile, nginx.command("-t"),
                List.of(TestServices.nginxBinary(), "-s", "no-such-signal"), Duration.ofSeconds(30)));

        assertThatThrownBy(() -> cannotReload.replaceAll(routes))
                .isInstanceOfSatisfying(RouteTableException.class, failed -> assertThat(failed.retriable()).isTrue());

        assertThat(table.replaceAll(routes)).as("the file already holds the table, but nginx was never reloaded with it")
                .isTrue();
        awaitBody("/alice/", body -> body.startsWith("alice-server"));
    }

    @Test
    void twoRoutesForOneUserAreRefusedBeforeNginxIsAsked() {
        assertThatThrownBy(() -> table.replaceAll(List.of(new Route("alice", "127.0.0.1", 1), new Route("alice", "127.0.0.1", 2))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** An upstream that answers with what it received, so the test sees what nginx passed on. */
    private int upstream(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            var headers = exchange.getRequestHeaders();
            byte[] body = (name + " uri=" + exchange.getRequestURI()
                    + " host=" + headers.getFirst("Host")
                    + " prefix=" + headers.getFirst("X-Forwarded-Prefix")
                    + " proto=" + headers.getFirst("X-Forwarded-Proto")
                    + " for=" + headers.getFirst("X-Forwarded-For")
                    + " upgrade=" + headers.getFirst("Upgrade")
                    + " connection=" + headers.getFirst("Connection")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        upstreams.add(server);
        return server.getAddress().getPort();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** java.net.http refuses to send Connection and Upgrade headers itself, so this request is written by hand. */
    private String rawGet(String path, String headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            StringBuilder answer = new StringBuilder();
            for (int read; !answer.toString().contains("connection=") && (read = in.read(buffer)) > 0; ) {
                answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            return answer.toString();
        }
    }

    /** nginx -s reload only signals the master; new workers take over a moment later. */
    private String awaitBody(String path, Predicate<String> expected) {
        AtomicReference<String> last = new AtomicReference<>();
        return Eventually.await(() -> "nginx to answer " + path + " as expected; last: " + last.get(), RELOADED_WITHIN,
                () -> {
                    try {
                        last.set(get(path).body());
                    } catch (IOException notListeningYet) {
                        last.set(notListeningYet.toString());
                        return Optional.empty();
                    }
                    return Optional.of(last.get()).filter(expected);
                });
    }

    private void awaitStatus(String path, int status) {
        Eventually.await(path + " to answer " + status, RELOADED_WITHIN,
                () -> Optional.of(get(path).statusCode()).filter(answered -> answered == status));
    }

}
