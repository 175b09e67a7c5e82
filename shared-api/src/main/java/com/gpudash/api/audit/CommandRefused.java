package com.gpudash.api.audit;

/**
 * A command sent for a request was refused by the domain (or failed), so it stored no event of its own. Only the
 * command's name and target are kept, never its payload: a command may carry a password hash.
 *
 * @param commandName the command's simple class name, e.g. {@code ApproveUser}
 * @param targetType  the type of the aggregate it was sent to ({@code User}, {@code Server}, …); null when unknown
 * @param targetId    the aggregate's id; null when the command names none (a creation)
 * @param reason      why, as the caller was told
 */
public record CommandRefused(String commandName, String targetType, String targetId, String reason) {
}
