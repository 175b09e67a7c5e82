package com.gpudash.command.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.gpudash.api.MovableClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final String HOME = "192.0.2.10";
    private static final String ELSEWHERE = "198.51.100.7";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-25T20:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 5, 20, 100, Duration.ofMinutes(15),
            Duration.ofSeconds(1), Duration.ofMinutes(15), 4, 6);

    @Test
    void eachFailureBeyondTheFifthDoublesTheWaitUpToTheMaximum() {
        failTimes("alice", HOME, 4);
        assertThat(throttle.throttledUntil("alice", HOME)).isEmpty();

        throttle.recordFailure("alice", HOME);

        assertThat(throttle.throttledUntil("alice", HOME)).contains(clock.instant().plusSeconds(1));
        long expected = 1;
        for (int failure = 6; failure <= 20; failure++) {
            clock.advance(throttle.throttledUntil("alice", HOME).map(until -> Duration.between(clock.instant(), until))
                    .orElseThrow());
            assertThat(throttle.throttledUntil("alice", HOME)).isEmpty();
            throttle.recordFailure("alice", HOME);
            expected = Math.min(expected * 2, 15 * 60);
            assertThat(throttle.throttledUntil("alice", HOME)).as("after failure %d", failure)
                    .contains(clock.instant().plusSeconds(expected));
        }
        assertThat(expected).isEqualTo(15 * 60);
    }

    @Test
    void failuresFromAnotherAddressDoNotHoldTheOwner() {
        failTimes("alice", ELSEWHERE, 8);

        assertThat(throttle.throttledUntil("alice", ELSEWHERE)).isPresent();
        assertThat(throttle.throttledUntil("alice", HOME)).isEmpty();
    }

    @Test
    void everySpellingOfTheNameSharesOneCount() {
        throttle.recordFailure("alice", HOME);
        throttle.recordFailure("ALICE", HOME);
        throttle.recordFailure("alice ", HOME);
        throttle.recordFailure(" Alice", HOME);
        throttle.recordFailure("alice\t", HOME);

        assertThat(throttle.throttledUntil("alice", HOME)).isPresent();
        assertThat(throttle.throttledUntil("aLiCe   ", HOME)).isPresent();
        assertThat(throttle.throttledUntil("bob", HOME)).isEmpty();
    }

    @Test
    void oneAddressTryingManyNamesIsHeldForEveryName() {
        for (int name = 0; name < 19; name++) {
            throttle.recordFailure("user" + name, ELSEWHERE);
        }
        assertThat(throttle.throttledUntil("someone", ELSEWHERE)).isEmpty();

        throttle.recordFailure("user19", ELSEWHERE);

        assertThat(throttle.throttledUntil("someone", ELSEWHERE)).contains(clock.instant().plusSeconds(1));
        assertThat(throttle.throttledUntil("someone", HOME)).isEmpty();
    }

    @Test
    void guessingSpreadOverAddressesHoldsTheAccountButNotWhereItLoggedInBefore() {
        throttle.recordSuccess("alice", HOME);
        for (int address = 0; address < 100; address++) {
            throttle.recordFailure("alice", "203.0.113." + address);
        }

        assertThat(throttle.throttledUntil("alice", "203.0.113.200")).contains(clock.instant().plusSeconds(1));
        assertThat(throttle.throttledUntil("alice", HOME)).isEmpty();
    }

    @Test
    void failuresAreForgottenAWindowAfterTheLastWaitEnded() {
        failTimes("alice", HOME, 4);
        clock.advance(Duration.ofMinutes(15));

        throttle.recordFailure("alice", HOME);
        assertThat(throttle.throttledUntil("alice", HOME)).isEmpty();

        failTimes("alice", HOME, 4); // the fifth in a row now
        clock.advance(Duration.ofSeconds(1).plusMinutes(14));
        throttle.recordFailure("alice", HOME);
        assertThat(throttle.throttledUntil("alice", HOME)).as("still counting: the sixth waits 2 s")
                .contains(clock.instant().plusSeconds(2));
    }

    @Test
    void aSuccessForgetsTheAccountsFailures() {
        failTimes("alice", HOME, 4);
        throttle.recordSuccess("alice", HOME);

        throttle.recordFailure("alice", HOME);

        assertThat(throttle.throttledUntil("alice", HOME)).isEmpty();
    }

    @Test
    void oneAddressAndTheNodeGetALimitedNumberOfChecksAtOnce() {
        for (int check = 0; check < 4; check++) {
            assertThat(throttle.startCheck(HOME)).isEqualTo(LoginThrottle.Check.STARTED);
        }
        assertThat(throttle.startCheck(HOME)).isEqualTo(LoginThrottle.Check.ADDRESS_BUSY);
        assertThat(throttle.startCheck(ELSEWHERE)).isEqualTo(LoginThrottle.Check.STARTED);
        assertThat(throttle.startCheck(ELSEWHERE)).isEqualTo(LoginThrottle.Check.STARTED);
        assertThat(throttle.startCheck("203.0.113.1")).as("the seventh on the node")
                .isEqualTo(LoginThrottle.Check.SERVER_BUSY);

        throttle.checked(HOME);

        assertThat(throttle.startCheck("203.0.113.1")).isEqualTo(LoginThrottle.Check.STARTED);
        assertThat(throttle.startCheck(HOME)).isEqualTo(LoginThrottle.Check.SERVER_BUSY);
    }

    private void failTimes(String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.recordFailure(username, address);
        }
    }
}
