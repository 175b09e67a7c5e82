package com.gpudash.saga.removal;

/** The payload of the removal saga's deadline; {@code ticket} names the wait it was scheduled for. */
record RemovalStepDue(int ticket) {
}
