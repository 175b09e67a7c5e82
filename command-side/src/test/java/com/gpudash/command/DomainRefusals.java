package com.gpudash.command;

import static org.hamcrest.Matchers.equalTo;

import com.gpudash.api.DomainException;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;

/** What the aggregate tests expect of a refused command: its reason, its message, and no event. */
public final class DomainRefusals {

    private DomainRefusals() {
    }

    /** A conflict with exactly this message, as Axon's {@code expectExceptionMessage(String)}. */
    public static void expectConflict(ResultValidator<?> result, String message) {
        expectConflict(result, equalTo(message));
    }

    public static void expectConflict(ResultValidator<?> result, Matcher<String> message) {
        result.expectException(withReason(DomainException.Reason.CONFLICT))
                .expectExceptionMessage(message)
                .expectNoEvents();
    }

    public static Matcher<DomainException> withReason(DomainException.Reason reason) {
        return new FeatureMatcher<>(equalTo(reason), "a DomainException with reason", "reason") {
            @Override
            protected DomainException.Reason featureValueOf(DomainException exception) {
                return exception.reason();
            }
        };
    }
}
