package com.gpudash.infra.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.gpudash.api.DomainException;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.infra.security.AccessDeniedRecorder;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/**
 * The one place where every failure becomes an {@code application/problem+json} answer (RFC 9457), so that no
 * endpoint has to think about it: malformed or oversized bodies, unknown fields, wrong types, unknown routes,
 * domain refusals, and the security layer's refusals. Bad input is never a 500; only a real fault is, and then
 * its detail stays in the log. Every 401 and 403 answered here, whoever refused, is recorded for the audit log.
 */
@Component
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler, which would answer in its own JSON shape
public class ProblemJsonExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemJsonExceptionHandler.class);
    private static final String TYPE_PREFIX = "urn:gpudash:problem:";

    /** One offending field; {@code field} is the JSON path as the client wrote it (e.g. {@code gpus[0].uuid}). */
    public record FieldProblem(String field, String message) {
    }

    private final ObjectMapper objectMapper;
    private final AccessDeniedRecorder accessDenied;

    public ProblemJsonExceptionHandler(ObjectMapper objectMapper, AccessDeniedRecorder accessDenied) {
        this.objectMapper = objectMapper;
        this.accessDenied = accessDenied;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        ProblemDetail problem = toProblem(failure);
        HttpHeaders headers = headersOf(failure);
        boolean refused = (problem.getStatus() == HttpStatus.UNAUTHORIZED.value()
                || problem.getStatus() == HttpStatus.FORBIDDEN.value())
                && exchange.getAttribute(AuditMetadata.RECORDED_ATTRIBUTE) == null; // a failed login records itself
        boolean throttled = refused && accessDenied.throttles(exchange);
        if (throttled) {
            // A source without a session refused too often this interval: counted, not recorded, told to wait.
            refused = false;
            problem = problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-refused", "Too many refused requests",
                    "This address made too many requests without a valid session; try again later.");
            headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(accessDenied.secondsLeftInInterval()));
        }
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        byte[] body;
        try {
            body = objectMapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        response.getHeaders().addAll(headers);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        Mono<Void> write = response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        if (throttled && !accessDenied.throttledAnswerDelay().isZero()) {
            write = Mono.delay(accessDenied.throttledAnswerDelay()).then(write);
        }
        return refused ? accessDenied.record(exchange, problem.getStatus(), problem.getDetail()).then(write) : write;
    }

    private static HttpHeaders headersOf(Throwable failure) {
        if (failure instanceof AuthenticationException) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            return headers;
        }
        return failure instanceof ResponseStatusException status ? status.getHeaders() : HttpHeaders.EMPTY;
    }

    ProblemDetail toProblem(Throwable failure) {
        if (hasCause(failure, DataBufferLimitException.class)) {
            return problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Request body too large",
                    "The request body is larger than this endpoint accepts.");
        }
        if (failure instanceof DomainException refusal) {
            return domainProblem(refusal);
        }
        if (failure instanceof AuthenticationException) {
            return problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Not authenticated",
                    "This call needs a valid session: log in, then send the token as 'Authorization: Bearer <token>'"
                            + " or in the GPUDASH_SESSION cookie.");
        }
        if (failure instanceof AccessDeniedException denied) {
            return problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Not allowed: " + denied.getMessage());
        }
        if (failure instanceof AggregateNotFoundException) {
            return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", "Nothing exists under this id.");
        }
        if (hasCause(failure, RejectedExecutionException.class)) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Busy",
                    "The server is too busy to take this request now; try again shortly.");
        }
        if (failure instanceof WebExchangeBindException binding) {
            List<FieldProblem> fields = binding.getFieldErrors().stream()
                    .map(error -> new FieldProblem(error.getField(), fieldMessage(error)))
                    .toList();
            return invalid(fields);
        }
        JsonProcessingException json = findCause(failure, JsonProcessingException.class);
        if (json != null) {
            return jsonProblem(json);
        }
        if (failure instanceof UnsupportedMediaTypeStatusException unsupported) {
            return unsupportedMediaType(unsupported);
        }
        if (failure instanceof ServerWebInputException input) {
            return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", reasonOf(input));
        }
        if (failure instanceof ResponseStatusException status) {
            HttpStatus http = HttpStatus.resolve(status.getStatusCode().value());
            String title = http == null ? "Error" : http.getReasonPhrase();
            String slug = title.toLowerCase().replace(' ', '-');
            return problem(status.getStatusCode(), slug, title, reasonOf(status));
        }
        String errorId = UUID.randomUUID().toString();
        log.error("Unhandled failure {}", errorId, failure);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "An unexpected error happened; the server log has it under id " + errorId + ".");
    }

    private ProblemDetail domainProblem(DomainException refusal) {
        return switch (refusal.reason()) {
            case CONFLICT -> problem(HttpStatus.CONFLICT, "conflict", "Conflict", refusal.getMessage());
            case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "not-found", "Not found", refusal.getMessage());
            case INVALID -> problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", refusal.getMessage());
            case FORBIDDEN -> problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", refusal.getMessage());
        };
    }

    /** Spring's own reason names the Java type of the body; the caller needs only the media types. */
    private static ProblemDetail unsupportedMediaType(UnsupportedMediaTypeStatusException unsupported) {
        String sent = unsupported.getContentType() == null ? "A body without a content type"
                : "Content type '" + unsupported.getContentType() + "'";
        String supported = unsupported.getSupportedMediaTypes().stream().map(MediaType::toString).distinct()
                .collect(Collectors.joining(", "));
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported Media Type",
                sent + " is not accepted here" + (supported.isEmpty() ? "." : "; send " + supported + "."));
    }

    private ProblemDetail jsonProblem(JsonProcessingException json) {
        if (json instanceof UnrecognizedPropertyException unknown) {
            return invalid(List.of(new FieldProblem(path(unknown), "unknown field; the accepted fields are "
                    + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")))));
        }
        if (json instanceof InvalidFormatException format) {
            return invalid(List.of(new FieldProblem(path(format),
                    "cannot read '" + format.getValue() + "' as " + describe(format.getTargetType()))));
        }
        if (json instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return invalid(List.of(new FieldProblem(path(mismatch), "expected " + describe(mismatch.getTargetType()))));
        }
        if (json instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return invalid(List.of(new FieldProblem(path(mapping), rootMessage(mapping))));
        }
        String where = json.getLocation() == null ? ""
                : " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
        String what = json instanceof JsonParseException || json.getMessage() == null ? "malformed JSON" : json.getOriginalMessage();
        return problem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON", "The body is not valid JSON (" + what + ")" + where + ".");
    }

    private static ProblemDetail invalid(List<FieldProblem> fields) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
                fields.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; ")));
        problem.setProperty("errors", fields);
        return problem;
    }

    private static ProblemDetail problem(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + slug));
        problem.setTitle(title);
        return problem;
    }

    private static String path(JsonMappingException exception) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : exception.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(body)" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        Map<Class<?>, String> names = Map.of(String.class, "a string", Integer.class, "an integer", int.class, "an integer",
                Long.class, "an integer", long.class, "an integer", Boolean.class, "true or false", boolean.class, "true or false",
                Double.class, "a number", double.class, "a number");
        return names.getOrDefault(type, type.isRecord() || !type.getName().startsWith("java.") ? "a JSON object" : type.getSimpleName());
    }

    private static String fieldMessage(FieldError error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }

    private static String reasonOf(ResponseStatusException exception) {
        return exception.getReason() != null ? exception.getReason() : exception.getStatusCode().toString();
    }

    private static String rootMessage(JsonMappingException exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof JsonProcessingException processing ? processing.getOriginalMessage() : String.valueOf(root.getMessage());
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        return findCause(failure, type) != null;
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !seen.contains(cause); cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            seen.add(cause);
        }
        return null;
    }
}
