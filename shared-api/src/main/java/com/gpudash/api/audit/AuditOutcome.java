package com.gpudash.api.audit;

/** How a recorded action ended: done, refused by the domain (or failed), or refused by RBAC before it ran. */
public enum AuditOutcome {
    SUCCESS, FAILURE, DENIED
}
