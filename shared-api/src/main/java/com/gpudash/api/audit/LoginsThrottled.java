package com.gpudash.api.audit;

import java.time.Instant;

/**
 * Logins refused unchecked (429) from one source address for one account, beyond the first of an interval (which is
 * recorded on its own as {@link LoginThrottled}): counted, not stored one by one, so that retrying a throttled login
 * in a loop cannot fill the event store. The source address is in the event's {@link AuditMetadata}.
 *
 * @param username the account as the throttle knows it (trimmed, lower case), or {@code *} for the logins of a
 *                 source beyond the accounts tracked per interval
 * @param count    how many logins were throttled besides the first
 * @param from     the start of the interval
 * @param to       its end
 */
public record LoginsThrottled(String username, long count, Instant from, Instant to) {
}
