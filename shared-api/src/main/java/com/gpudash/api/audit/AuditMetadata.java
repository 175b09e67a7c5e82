package com.gpudash.api.audit;

import java.util.HashMap;
import java.util.Map;

/**
 * Who asked for a change, from where, and which request it belongs to. It travels as message metadata under
 * these keys on every command and every stored event, so the audit log can be projected from the event store.
 *
 * @param actorId       the caller's user id; null for anonymous callers and for the system
 * @param actorUsername the caller's username, {@value #SYSTEM} for start-up work, null for anonymous callers
 * @param actorRole     the caller's role (ADMIN, QVP, REGULAR), {@value #SYSTEM} or null
 * @param sourceIp      the caller's address as the server saw it; null for the system
 * @param correlationId one id per HTTP request, shared by every message it causes
 */
public record AuditMetadata(String actorId, String actorUsername, String actorRole, String sourceIp,
                            String correlationId) {

    public static final String ACTOR_ID = "actorId";
    public static final String ACTOR_USERNAME = "actorUsername";
    public static final String ACTOR_ROLE = "actorRole";
    public static final String SOURCE_IP = "sourceIp";
    /** Axon's own key, filled here with the request's id rather than the id of the causing message. */
    public static final String CORRELATION_ID = "correlationId";
    public static final String SYSTEM = "system";
    /**
     * On a message the system sent while carrying out a person's request (a saga step, a worker's answer): the
     * username of that person, whose request the correlation id names.
     */
    public static final String ON_BEHALF_OF = "onBehalfOf";
    /** On an event: the id of the command whose handling stored it, so the audit log groups events by command. */
    public static final String COMMAND_ID = "commandId";
    /** On an event: the simple name of the command whose handling stored it. */
    public static final String COMMAND_NAME = "commandName";
    /**
     * A request attribute set by a handler that recorded its own refusal for the audit log (a failed login), so
     * the error handler does not record it a second time as an {@link AccessDenied}.
     */
    public static final String RECORDED_ATTRIBUTE = "gpudash.audit.recorded";

    public static AuditMetadata system(String correlationId) {
        return new AuditMetadata(null, SYSTEM, SYSTEM, null, correlationId);
    }

    /** Absent values are left out rather than stored as nulls. */
    public Map<String, String> asMap() {
        Map<String, String> map = new HashMap<>();
        putIfPresent(map, ACTOR_ID, actorId);
        putIfPresent(map, ACTOR_USERNAME, actorUsername);
        putIfPresent(map, ACTOR_ROLE, actorRole);
        putIfPresent(map, SOURCE_IP, sourceIp);
        putIfPresent(map, CORRELATION_ID, correlationId);
        return map;
    }

    public static AuditMetadata from(Map<String, ?> metadata) {
        return new AuditMetadata(text(metadata, ACTOR_ID), text(metadata, ACTOR_USERNAME), text(metadata, ACTOR_ROLE),
                text(metadata, SOURCE_IP), text(metadata, CORRELATION_ID));
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String text(Map<String, ?> metadata, String key) {
        Object value = metadata.get(key);
        return value == null ? null : value.toString();
    }
}
