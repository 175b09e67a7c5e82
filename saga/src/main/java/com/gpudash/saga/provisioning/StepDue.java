package com.gpudash.saga.provisioning;

/**
 * The payload of the saga's step deadline. {@code ticket} names the wait it was scheduled for: a deadline that
 * fires after the saga has moved on (it was already due while an answer was being handled) is ignored.
 */
record StepDue(int ticket) {
}
