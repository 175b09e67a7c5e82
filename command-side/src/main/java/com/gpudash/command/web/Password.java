package com.gpudash.command.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A new password: 8 to 72 bytes in UTF-8. bcrypt ignores every byte after the 72nd, so a longer one is refused
 * rather than silently cut. Null passes; combine with {@code @NotNull} where the password is required.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Password.Check.class)
public @interface Password {

    int MIN_BYTES = 8;
    int MAX_BYTES = 72;

    String message() default "must be 8 to 72 bytes in UTF-8";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<Password, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            return bytes >= MIN_BYTES && bytes <= MAX_BYTES;
        }
    }
}
