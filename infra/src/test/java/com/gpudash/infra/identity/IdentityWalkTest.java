package com.gpudash.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.gpudash.infra.GpuDashboardApplication;
import com.gpudash.infra.TestAdmin;
import com.gpudash.testsupport.Eventually;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The end-to-end walk on MariaDB, through HTTP, then a restart of the application on the same database.
 * It starts its own application twice, on a database of its own, since the restart is the point.
 */
@RequiresServices(Service.MARIADB)
class IdentityWalkTest {

    private static final String DATABASE = "gpudash_test_identity_walk";

    @BeforeAll
    static void freshDatabase() throws Exception {
        String url = "jdbc:mariadb://" + TestServices.dbHost() + ":" + TestServices.dbPort() + "/";
        try (Connection connection = DriverManager.getConnection(url, TestServices.dbUser(), TestServices.dbPassword())) {
            connection.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
    }

    @Test
    void registerApproveLoginLogoutCreateResetDeleteAndRestart() throws Exception {
        String aliceId;
        String bobId;
        String carolTemporaryPassword;
        String aliceOldToken;
        try (ConfigurableApplicationContext app = start()) {
            Api api = new Api(client(app));

            aliceId = api.register("alice");
            api.login("alice", Api.PASSWORD).expectStatus().isForbidden();

            String admin = api.adminToken();
            String adminId = (String) ((Map<?, ?>) api.get("/api/validate-session", admin).expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody().get("user")).get("id");
            client(app).put().uri("/api/admin/users/" + adminId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "QVP"))
                    .exchange().expectStatus().isEqualTo(409); // the only ACTIVE admin stays one
            api.post("/api/admin/users/" + aliceId + "/approve", admin, null).expectStatus().isAccepted();
            String alice = api.token("alice", Api.PASSWORD);
            api.get("/api/validate-session", alice).expectStatus().isOk()
                    .expectBody().jsonPath("$.user.status").isEqualTo("ACTIVE");
            api.post("/api/logout", alice, null).expectStatus().isNoContent();
            api.get("/api/validate-session", alice).expectStatus().isUnauthorized();
            aliceOldToken = alice;

            bobId = api.createUser(admin, "bob", "QVP");
            api.createUser(admin, "carol", "REGULAR");
            String bob = api.token("bob", Api.PASSWORD);
            String carol = api.token("carol", Api.PASSWORD);
            api.get("/api/admin/servers", bob).expectStatus().isOk(); // QVP may view servers
            api.get("/api/admin/servers", carol).expectStatus().isForbidden();

            String carolId = (String) ((Map<?, ?>) api.get("/api/validate-session", carol).expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody().get("user")).get("id");
            carolTemporaryPassword = (String) api.post("/api/admin/users/" + carolId + "/reset-password", admin, null)
                    .expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody().get("temporaryPassword");
            api.get("/api/validate-session", carol).expectStatus().isUnauthorized();
            api.login("carol", Api.PASSWORD).expectStatus().isUnauthorized();
            api.token("carol", carolTemporaryPassword);

            client(app).delete().uri("/api/users/" + bobId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .exchange().expectStatus().isAccepted();
            api.get("/api/validate-session", bob).expectStatus().isUnauthorized();
            api.login("bob", Api.PASSWORD).expectStatus().isUnauthorized();
            awaitStatus(api, admin, bobId, "DELETED");
        }

        try (ConfigurableApplicationContext app = start()) {
            Api api = new Api(client(app));
            String admin = api.adminToken();

            Map<?, ?> page = awaitUsers(api, admin, 4);
            List<?> users = (List<?>) page.get("items");
            assertThat(users).extracting(user -> ((Map<?, ?>) user).get("username") + ":" + ((Map<?, ?>) user).get("role")
                            + ":" + ((Map<?, ?>) user).get("status"))
                    .containsExactlyInAnyOrder(TestAdmin.USERNAME + ":ADMIN:ACTIVE", "alice:REGULAR:ACTIVE",
                            "bob:QVP:DELETED", "carol:REGULAR:ACTIVE");
            assertThat(page.get("total")).isEqualTo(4);
            api.get("/api/validate-session", aliceOldToken).expectStatus().isUnauthorized();
            api.token("alice", Api.PASSWORD);
            api.token("carol", carolTemporaryPassword);
            api.login("bob", Api.PASSWORD).expectStatus().isUnauthorized();
            api.get("/api/admin/users/" + aliceId + "/history", admin).expectStatus().isOk().expectBody()
                    .jsonPath("$.length()").isEqualTo(2)
                    .jsonPath("$[0].type").isEqualTo("UserRegistered")
                    .jsonPath("$[1].type").isEqualTo("UserApproved")
                    .jsonPath("$[1].actor.username").isEqualTo(TestAdmin.USERNAME);
            api.get("/api/admin/users/" + bobId + "/history", admin).expectStatus().isOk().expectBody()
                    .jsonPath("$[-1:].type").isEqualTo("UserDeleted");
            api.post("/api/register", null, Map.of("username", "bob", "password", Api.PASSWORD,
                    "email", "bob2@example.org")).expectStatus().isEqualTo(409); // a deleted user's name stays taken
        }
    }

    /** The read model is eventually consistent: after a restart its processor may still be catching up. */
    private static Map<?, ?> awaitUsers(Api api, String admin, int count) {
        AtomicReference<Map<?, ?>> last = new AtomicReference<>();
        return Eventually.await(() -> count + " users; last page: " + last.get(), Duration.ofSeconds(30), () -> {
            last.set(api.get("/api/admin/users?size=500", admin).expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody());
            return Optional.<Map<?, ?>>of(last.get()).filter(page -> Integer.valueOf(count).equals(page.get("total")));
        });
    }

    private static void awaitStatus(Api api, String admin, String userId, String status) {
        AtomicReference<Object> last = new AtomicReference<>();
        Eventually.await(() -> "user " + userId + " to be " + status + "; last: " + last.get(), Duration.ofSeconds(10),
                () -> {
                    last.set(api.get("/api/admin/users/" + userId, admin).expectBody(Map.class).returnResult()
                            .getResponseBody().get("status"));
                    return Optional.of(status).filter(expected -> expected.equals(last.get()));
                });
    }

    /**
     * Reactor Netty's global resources are shared with the Spring test contexts in this JVM; closing an
     * application that used them would stop those contexts' servers. Boot's test support turns them off for its
     * own contexts, and this does the same for these two.
     */
    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(GpuDashboardApplication.class)
                .initializers(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                    @Override
                    public Object postProcessBeforeInitialization(Object bean, String name) {
                        if (bean instanceof ReactorResourceFactory resources) {
                            resources.setUseGlobalResources(false);
                        }
                        return bean;
                    }
                }))
                .run(
                "--DB_HOST=" + TestServices.dbHost(), "--DB_PORT=" + TestServices.dbPort(),
                "--DB_USER=" + TestServices.dbUser(), "--DB_PASSWORD=" + TestServices.dbPassword(),
                "--DB_NAME=" + DATABASE, "--DATA_DIR=target/test-data/walk", "--LOG_FILE=target/test-data/walk.log",
                "--server.port=0", "--management.server.port=0", "--ADMIN_PASSWORD=" + TestAdmin.PASSWORD,
                "--gpudash.security.bcrypt-cost=4");
    }

    private static WebTestClient client(ConfigurableApplicationContext app) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
                .defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }
}
