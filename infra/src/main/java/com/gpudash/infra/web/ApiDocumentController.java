package com.gpudash.infra.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the HTTP contract as OpenAPI: docs/openapi.yaml, packaged as it is written (infra's pom copies it), so what
 * clients read is the reviewed file that OpenApiDocumentTest holds against the routes. Anyone may read it: it is the
 * same for every installation and says nothing the source does not (README, "The contract").
 */
@RestController
class ApiDocumentController {

    static final String PATH = "/api/openapi.yaml";
    static final String RESOURCE = "contract/openapi.yaml";
    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final byte[] document;

    /** Read once: a jar without the document fails at start-up, not at the first request. */
    ApiDocumentController() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI document " + RESOURCE + " is not on the classpath", e);
        }
    }

    @GetMapping(path = PATH, produces = "application/yaml")
    ResponseEntity<byte[]> document() {
        return ResponseEntity.ok().contentType(YAML).body(document);
    }
}
