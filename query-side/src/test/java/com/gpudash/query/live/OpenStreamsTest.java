package com.gpudash.query.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.gpudash.api.user.Caller;
import com.gpudash.api.user.Role;
import com.gpudash.api.user.SessionsEnded;
import com.gpudash.api.user.UserId;
import com.gpudash.testsupport.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import reactor.core.Disposable;

/**
 * When a stream must end, without a session check: shutdown (an open stream would hold graceful shutdown for its whole
 * timeout), the session's own end, its expiry.
 */
class OpenStreamsTest {

    private final SessionCheck sessions = mock(SessionCheck.class);
    private final ApplicationContext context = mock(ApplicationContext.class);
    private final OpenStreams streams = new OpenStreams(sessions, Clock.systemUTC(), context,
            new SimpleMeterRegistry(), Duration.ofHours(1), 5, 2);

    @Test
    void aUserGetsTheirCapOfStreamsOthersTheirsAndTheNodeItsOwn() {
        UserId alice = UserId.of(UUID.randomUUID().toString());
        UserId bob = UserId.of(UUID.randomUUID().toString());
        Runnable aliceFirst = streams.admit(caller(alice, "a1"));
        streams.admit(caller(alice, "a2"));

        assertThatThrownBy(() -> streams.admit(caller(alice, "a3")))
                .isInstanceOfSatisfying(ResponseStatusException.class,
                        refused -> assertThat(refused.getStatusCode().value()).isEqualTo(429));
        streams.admit(caller(bob, "b1"));
        aliceFirst.run();
        aliceFirst.run(); // a second release gives nothing back
        streams.admit(caller(alice, "a3"));
        assertThatThrownBy(() -> streams.admit(caller(alice, "a4"))).isInstanceOf(ResponseStatusException.class);

        streams.admit(caller(bob, "b2"));
        UserId carol = UserId.of(UUID.randomUUID().toString());
        streams.admit(caller(carol, "c1")); // the fifth on the node
        assertThatThrownBy(() -> streams.admit(caller(carol, "c2"))).isInstanceOf(ResponseStatusException.class)
                .hasMessageContaining("This server");
    }

    @Test
    void everyStreamEndsWhenItsOwnContextClosesAndOneOpenedDuringShutdownEndsAtOnce() {
        AtomicReference<String> first = new AtomicReference<>();
        streams.end(caller(UserId.of(UUID.randomUUID().toString()), "s1")).subscribe(first::set);

        streams.on(new ContextClosedEvent(mock(ApplicationContext.class)));
        assertThat(first.get()).as("another context's closing").isNull();
        streams.on(new ContextClosedEvent(context));

        assertThat(first.get()).isEqualTo("shutdown");
        AtomicReference<String> late = new AtomicReference<>();
        streams.end(caller(UserId.of(UUID.randomUUID().toString()), "s2")).subscribe(late::set);
        assertThat(late.get()).isEqualTo("shutdown");
        assertThat(streams.size()).isZero();
    }

    @Test
    void aLogoutEndsThatSessionsStreamAndAnAccountChangeEveryStreamOfTheUser() {
        UserId alice = UserId.of(UUID.randomUUID().toString());
        UserId bob = UserId.of(UUID.randomUUID().toString());
        AtomicReference<String> aliceOnPhone = new AtomicReference<>();
        AtomicReference<String> aliceOnLaptop = new AtomicReference<>();
        AtomicReference<String> bobs = new AtomicReference<>();
        streams.end(caller(alice, "phone")).subscribe(aliceOnPhone::set);
        streams.end(caller(alice, "laptop")).subscribe(aliceOnLaptop::set);
        streams.end(caller(bob, "bobs")).subscribe(bobs::set);

        streams.on(new SessionsEnded("phone", null));
        assertThat(aliceOnPhone.get()).isEqualTo("session ended");
        assertThat(aliceOnLaptop.get()).isNull();

        streams.on(new SessionsEnded(null, alice));
        assertThat(aliceOnLaptop.get()).isEqualTo("session ended");
        assertThat(bobs.get()).isNull();
        assertThat(streams.size()).isEqualTo(1);
        verifyNoInteractions(sessions);
    }

    @Test
    void aStreamEndsWhenItsSessionExpiresAndIsForgottenWhenCancelled() {
        AtomicReference<String> expiring = new AtomicReference<>();
        UserId user = UserId.of(UUID.randomUUID().toString());
        streams.end(new Caller(user, "someone", Role.REGULAR, "soon", Instant.now().plusMillis(200)))
                .subscribe(expiring::set);
        Disposable cancelled = streams.end(caller(user, "other")).subscribe();
        cancelled.dispose();

        Eventually.await("the expiring stream to end and both to be forgotten", Duration.ofSeconds(5),
                () -> Optional.ofNullable(expiring.get()).filter(ended -> streams.size() == 0));

        assertThat(expiring.get()).isEqualTo("session expired");
        assertThat(streams.size()).isZero();
    }

    private static Caller caller(UserId user, String session) {
        return new Caller(user, "someone", Role.REGULAR, session, Instant.now().plus(Duration.ofHours(1)));
    }
}
