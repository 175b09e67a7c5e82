package com.gpudash.api.audit;

/**
 * A call was refused before it reached a handler (401 or 403), or a login was refused. The actor and source
 * address are in the event's {@link AuditMetadata} like for every other event; the payload says what was asked.
 *
 * @param status the HTTP status the caller got
 * @param reason why, in words (no secrets: never a token or a password)
 */
public record AccessDenied(String method, String route, int status, String reason) {
}
