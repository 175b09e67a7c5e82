package com.gpudash.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.gpudash.infra.H2ApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Bad input of every kind gets a problem+json answer with the right status, and never a 500. */
@H2ApplicationTest
class ProblemJsonTest {

    @Autowired
    WebTestClient client;

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri("/test/probe").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void aValidBodyPasses() {
        post("{\"name\":\"a\",\"count\":2,\"colour\":\"RED\"}")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("a").jsonPath("$.count").isEqualTo(2);
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        post("{\"name\":\"a\",\"count\":1,\"role\":\"ADMIN\"}")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors[0].field").isEqualTo("role")
                .jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("unknown field", "name"));
    }

    @Test
    void aWrongJsonTypeNamesTheField() {
        post("{\"name\":\"a\",\"count\":\"seven\"}")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("count");
        post("{\"name\":42,\"count\":1}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("name");
        post("{\"name\":\"a\",\"count\":1.5}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("count");
        post("{\"name\":\"a\",\"count\":1,\"colour\":\"BLUE\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("colour")
                .jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("RED", "GREEN"));
    }

    @Test
    void truncatedOrEmptyJsonIsABadRequest() {
        post("{\"name\":\"a\",")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:gpudash:problem:malformed-json");
        post("")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post("[1,2]")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void beanValidationNamesTheField() {
        post("{\"name\":\" \",\"count\":-1}")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(2)
                .jsonPath("$.errors[?(@.field == 'name')]").exists()
                .jsonPath("$.errors[?(@.field == 'count')]").exists();
    }

    @Test
    void anOversizedBodyIs413() {
        String huge = "{\"name\":\"" + "x".repeat(300 * 1024) + "\",\"count\":1}";

        post(huge)
                .expectStatus().isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void unknownRoutesWrongMethodsAndMediaTypesAreProblems() {
        // Under /test/ every route is open (TestRoutes), so the request reaches the handler mapping.
        client.get().uri("/test/no-such-thing").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.instance").isEqualTo("/test/no-such-thing");
        // Elsewhere a route the table does not list is refused before any handler.
        client.get().uri("/api/no-such-thing").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.delete().uri("/test/probe").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.post().uri("/test/probe").contentType(MediaType.TEXT_PLAIN).bodyValue("name=a").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** A 415 names the media types, never the Java type the body would have been read into. */
    @Test
    void anUnsupportedMediaTypeNamesMediaTypesOnly() {
        client.post().uri("/test/probe").contentType(MediaType.TEXT_PLAIN).bodyValue("name=a").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:gpudash:problem:unsupported-media-type")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("'text/plain'", "application/json")
                        .doesNotContain("bodyType", "com.gpudash", "Probe", "java."));
    }

    @Test
    void aDomainRefusalIsAConflictWithItsReason() {
        client.post().uri("/test/conflict").exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("the name 'alice' is taken");
    }

    @Test
    void aRealFaultIsA500ThatKeepsItsDetailInTheLog() {
        client.get().uri("/test/crash").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("server log").doesNotContain("secret internal detail"));
    }
}
