package com.gpudash.api.audit;

import java.time.Instant;

/**
 * Refused calls (401 or 403) without a session, from one source address to one route, beyond the first of an
 * interval (which is recorded on its own as {@link AccessDenied}): counted, not stored one by one, so that an
 * anonymous flood cannot fill the event store. The source address is in the event's {@link AuditMetadata}.
 *
 * @param route  the path asked for, or {@code *} for the calls of a source beyond the routes tracked per interval
 * @param count  how many calls were refused besides the first
 * @param from   the start of the interval
 * @param to     its end
 */
public record AnonymousCallsDenied(String method, String route, int status, String reason, long count, Instant from,
                                   Instant to) {
}
