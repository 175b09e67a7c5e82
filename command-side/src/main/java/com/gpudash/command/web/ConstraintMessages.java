package com.gpudash.command.web;

import jakarta.validation.ConstraintValidatorContext;

/** How a constraint says in its own words why a value is refused. */
public final class ConstraintMessages {

    private ConstraintMessages() {
    }

    /**
     * Replaces the constraint's default message with {@code message}, taken literally: a message template
     * interprets braces and dollars, and a reason may hold both (a pattern, a URI).
     */
    public static void refuse(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(literal(message)).addConstraintViolation();
    }

    /** As {@link #refuse(ConstraintValidatorContext, String)}, for a constraint on a whole object: on its {@code property}. */
    public static void refuse(ConstraintValidatorContext context, String property, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(literal(message)).addPropertyNode(property).addConstraintViolation();
    }

    private static String literal(String message) {
        return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
