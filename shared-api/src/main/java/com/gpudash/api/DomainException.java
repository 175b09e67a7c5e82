package com.gpudash.api;

/**
 * A refusal by the domain: the command was well-formed but the current state does not allow it.
 * The HTTP layer maps {@link Reason} to a status and a problem type, so every module refuses the same way.
 */
public class DomainException extends RuntimeException {

    public enum Reason {
        /** 409: the state does not allow it (wrong status, name taken, last admin). */
        CONFLICT,
        /** 404: the target does not exist (or the caller may not know that it does). */
        NOT_FOUND,
        /** 400: a value the domain cannot accept, found only once the state is known. */
        INVALID,
        /** 403: the actor may not do this to this target. */
        FORBIDDEN
    }

    private final Reason reason;

    public DomainException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static DomainException conflict(String message) {
        return new DomainException(Reason.CONFLICT, message);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Reason.NOT_FOUND, message);
    }

    public static DomainException invalid(String message) {
        return new DomainException(Reason.INVALID, message);
    }

    public static DomainException forbidden(String message) {
        return new DomainException(Reason.FORBIDDEN, message);
    }
}
