package com.gpudash.api.audit;

import java.time.Instant;

/**
 * One entry of the audit log, as {@code GET /api/admin/logs} answers it.
 *
 * @param actor         the actor's username, {@value AuditMetadata#SYSTEM} for the system, the username as typed
 *                      for a failed login, null for an anonymous caller
 * @param action        the command's name ({@code ApproveUser}), or {@code Login}, {@code LoginThrottled},
 *                      {@code Logout}, {@code AccessDenied}
 * @param targetType    the aggregate type ({@code User}, {@code Server}, {@code ContainerAssignment}, …) or
 *                      {@code Route} for a refused call
 * @param detail        the events a command stored, or why it was refused
 * @param correlationId the id of the request that started it, shared by every entry it caused
 */
public record AuditEntryView(String id, Instant timestamp, String actor, String actorRole, String action,
                             String targetType, String targetId, AuditOutcome outcome, String detail,
                             String sourceIp, String correlationId) {
}
