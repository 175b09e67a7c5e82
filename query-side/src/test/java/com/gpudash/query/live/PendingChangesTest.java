package com.gpudash.query.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.gpudash.api.live.LiveChange;
import com.gpudash.api.live.LiveChange.Kind;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Sinks;

/** The buffer policy of a slow event stream: one entry per object, a bounded number, an overflow mark when full. */
class PendingChangesTest {

    private final AtomicInteger overflows = new AtomicInteger();

    @Test
    void aChangeOfAnObjectAlreadyWaitingTakesNoMoreRoomAndKeepsItsPlace() {
        PendingChanges pending = new PendingChanges(10, overflows::incrementAndGet);
        LiveChange first = change(Kind.CONTAINER, "a");
        LiveChange second = change(Kind.OPERATION, "b");

        pending.offer(first);
        pending.offer(second);
        pending.offer(change(Kind.CONTAINER, "a"));
        pending.offer(change(Kind.CONTAINER, "a"));

        assertThat(pending.size()).isEqualTo(2);
        assertThat(pending.poll()).isEqualTo(new PendingChanges.Changed(first));
        assertThat(pending.poll()).isEqualTo(new PendingChanges.Changed(second));
        assertThat(pending.poll()).isNull();
    }

    @Test
    void theSameIdOfAnotherKindIsAnotherObject() {
        PendingChanges pending = new PendingChanges(10, overflows::incrementAndGet);

        pending.offer(change(Kind.USER, "same"));
        pending.offer(change(Kind.CONTAINER, "same"));

        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void aFullBufferIsEmptiedForOneOverflowMarkThatGoesFirstAndCoversWhatComesUntilItIsSent() {
        PendingChanges pending = new PendingChanges(3, overflows::incrementAndGet);
        for (int i = 0; i < 3; i++) {
            pending.offer(change(Kind.CONTAINER, "c" + i));
        }

        pending.offer(change(Kind.CONTAINER, "one too many"));
        pending.offer(change(Kind.CONTAINER, "while the mark waits"));

        assertThat(overflows).hasValue(1);
        assertThat(pending.size()).isZero();
        assertThat(pending.poll()).isInstanceOf(PendingChanges.Overflow.class);
        assertThat(pending.poll()).isNull();
        LiveChange after = change(Kind.USER, "after the mark was sent");
        pending.offer(after);
        assertThat(pending.poll()).isEqualTo(new PendingChanges.Changed(after));
    }

    @Test
    void aSubscriberThatStopsAskingCostsAtMostTheCapacityHoweverMuchChanges() {
        PendingChanges pending = new PendingChanges(100, overflows::incrementAndGet);
        Sinks.Many<LiveChange> updates = Sinks.many().unicast().onBackpressureBuffer();
        List<PendingChanges.Next> received = new ArrayList<>();
        Slow subscriber = new Slow(received);
        pending.drain(updates.asFlux()).subscribe(subscriber);

        subscriber.ask(2);
        for (int i = 0; i < 1_000_000; i++) {
            updates.tryEmitNext(change(Kind.OPERATION, UUID.randomUUID().toString()));
            assertThat(pending.size()).isLessThanOrEqualTo(100);
        }

        assertThat(received).hasSize(2).allMatch(PendingChanges.Changed.class::isInstance);
        assertThat(overflows.get()).isPositive();
        subscriber.ask(1);
        assertThat(received).hasSize(3);
        assertThat(received.get(2)).isInstanceOf(PendingChanges.Overflow.class);
        subscriber.ask(1000);
        assertThat(received.size()).isLessThanOrEqualTo(3 + 100);
        assertThat(pending.size()).isZero();
    }

    @Test
    void whatIsAskedForIsSentAsSoonAsItChanges() {
        PendingChanges pending = new PendingChanges(100, overflows::incrementAndGet);
        Sinks.Many<LiveChange> updates = Sinks.many().unicast().onBackpressureBuffer();
        List<PendingChanges.Next> received = new ArrayList<>();
        Slow subscriber = new Slow(received);
        pending.drain(updates.asFlux()).subscribe(subscriber);
        subscriber.ask(5);

        LiveChange change = change(Kind.SERVER, "s");
        updates.tryEmitNext(change);

        assertThat(received).containsExactly(new PendingChanges.Changed(change));
        subscriber.dispose();
        assertThat(updates.currentSubscriberCount()).as("the updates are let go with the subscriber").isZero();
    }

    private static LiveChange change(Kind kind, String id) {
        return new LiveChange(kind, id, null);
    }

    /** Asks only when told to. */
    private static final class Slow extends BaseSubscriber<PendingChanges.Next> {

        private final List<PendingChanges.Next> received;

        Slow(List<PendingChanges.Next> received) {
            this.received = received;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
        }

        @Override
        protected void hookOnNext(PendingChanges.Next next) {
            received.add(next);
        }

        void ask(long n) {
            request(n);
        }
    }
}
