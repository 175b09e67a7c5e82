package com.gpudash.query.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds read models from the event store: each projection's processor stops, its tokens go back to the
 * start (its {@code @ResetHandler} empties its tables), its parked dead letters are dropped (the replay handles
 * those events again, in order), and it starts again and catches up.
 *
 * <p>Only processors named {@code *-projection} are replayable. Sagas, the uniqueness registries and the
 * container operations also handle events, but they act on the world (GPU servers, credentials); replaying
 * them would do that work again.
 */
@Component
public class ProjectionReplay {

    public static final String SUFFIX = "-projection";

    /**
     * A projection's processor: where it is and what is parked.
     *
     * @param rebuilding a replay of this application is rebuilding it now
     * @param position   the global index of the last event it handled (the least over its segments)
     * @param behind     how many global indexes the store's last event is ahead of {@code position}
     */
    public record ProjectionState(String name, boolean running, boolean rebuilding, Long position, long behind,
                                  long deadLetters) {
    }

    /** What a finished replay did. */
    public record Outcome(List<String> projections, long events, double seconds) {

        public Map<String, Object> asResult() {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("projections", projections);
            result.put("events", events);
            result.put("seconds", seconds);
            result.put("eventsPerSecond", seconds > 0 ? Math.round(events / seconds) : events);
            return result;
        }
    }

    private final EventProcessingConfiguration processing;
    private final ReadModelGate gate;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration timeout;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile List<String> rebuilding = List.of();

    ProjectionReplay(EventProcessingConfiguration processing, ReadModelGate gate, JdbcTemplate jdbc, Clock clock,
                     PlatformTransactionManager transactions,
                     @Value("${gpudash.replay.timeout:2h}") Duration timeout) {
        this.processing = processing;
        this.transactions = new TransactionTemplate(transactions);
        this.gate = gate;
        this.jdbc = jdbc;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** The replayable projections, by name. */
    public List<String> projections() {
        return processing.eventProcessors().entrySet().stream()
                .filter(entry -> entry.getKey().endsWith(SUFFIX))
                .filter(entry -> entry.getValue() instanceof StreamingEventProcessor)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    public List<ProjectionState> states() {
        long head = head();
        return projections().stream().map(name -> state(name, head)).toList();
    }

    private long head() {
        Long head = jdbc.queryForObject("SELECT MAX(globalIndex) FROM DomainEventEntry", Long.class);
        return head == null ? -1 : head;
    }

    /** Claims the right to replay; one replay at a time in this application. */
    public boolean begin() {
        return busy.compareAndSet(false, true);
    }

    /** Gives the right back when the replay could not be started after all. */
    public void end() {
        busy.set(false);
    }

    /** Replays the named projections and waits until they have caught up; call after {@link #begin()}. */
    public Outcome replay(List<String> names) throws InterruptedException {
        try {
            return gate.rebuilding(() -> {
                Instant started = clock.instant();
                rebuilding = List.copyOf(names);
                Long events = jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry", Long.class);
                long head = head();
                names.forEach(name -> processor(name).shutDown());
                // All the tokens reset in one transaction: a node that dies meanwhile leaves every projection asked
                // for to be rebuilt, or none, so a restart knows what to finish (resumeInterrupted).
                transactions.executeWithoutResult(transaction -> names.forEach(name -> {
                    processing.deadLetterQueue(name).ifPresent(SequencedDeadLetterQueue::clear);
                    processor(name).resetTokens();
                    forgetGapsAtReset(name);
                }));
                names.forEach(name -> processor(name).start());
                awaitReached(names, head, started.plus(timeout));
                double seconds = Duration.between(started, clock.instant()).toNanos() / 1e9;
                return new Outcome(List.copyOf(names), events == null ? 0 : events, seconds);
            });
        } finally {
            rebuilding = List.of();
            end();
        }
    }

    /**
     * At start, finishes a rebuild that a stopped node left midway. The processors go on from their stored reset
     * tokens by themselves, but readers in a new process would find the gate open and the tables half filled
     * (reconciliation taking containers for orphans, an nginx config without other users' routes). So the gate is
     * shut from the first moment, before the processors start ({@code gateShut} runs once it is), until the
     * projections whose stored tokens are reset tokens have caught up with the store; they are watched once
     * {@code started} is counted down (the processors exist and run). Answers what was finished: no projections
     * when none was midway, and the gate is open again at once. Call after {@link #begin()}; the caller
     * {@linkplain #end() ends} once it has settled the interrupted replay's operation.
     */
    public Outcome resumeInterrupted(Runnable gateShut, CountDownLatch started) throws InterruptedException {
        List<String> midway = interruptedRebuilds();
        try {
            return gate.rebuilding(() -> {
                gateShut.run();
                if (midway.isEmpty()) {
                    return new Outcome(List.of(), 0, 0);
                }
                Instant resumed = clock.instant();
                rebuilding = midway;
                started.await();
                Long events = jdbc.queryForObject("SELECT COUNT(*) FROM DomainEventEntry", Long.class);
                awaitReached(midway, head(), resumed.plus(timeout));
                double seconds = Duration.between(resumed, clock.instant()).toNanos() / 1e9;
                return new Outcome(midway, events == null ? 0 : events, seconds);
            });
        } finally {
            rebuilding = List.of();
        }
    }

    /**
     * Axon compares every event of a rebuild with the token the projection held at the reset, gaps included, by
     * merging the two tokens' gaps: with the few hundred gaps a store of bulk-appended events leaves in the last
     * 10,000 positions, that merge was half of every projection's time in a rebuild (JFR, bench/replay.sh). A gap
     * at the reset is an event not yet committed then, and all it decides is whether that event, if it ever
     * comes, counts as replayed (which only keeps it from live updates); it is dropped, and the rebuild compares
     * positions only. The tokens are claimed by this node: the processor is shut down, and the reset claimed them.
     */
    private void forgetGapsAtReset(String name) {
        TokenStore tokens = processing.tokenStore(name);
        for (int segment : tokens.fetchSegments(name)) {
            TrackingToken stored = tokens.fetchToken(name, segment);
            TrackingToken positionsOnly = withoutGapsAtReset(stored);
            if (positionsOnly != stored) {
                tokens.storeToken(positionsOnly, name, segment);
            }
        }
    }

    /** The same reset token with no gaps in its token at reset; any other token as it is. */
    static TrackingToken withoutGapsAtReset(TrackingToken token) {
        if (token instanceof ReplayToken reset && reset.getTokenAtReset() instanceof GapAwareTrackingToken atReset
                && !atReset.getGaps().isEmpty()) {
            return ReplayToken.createReplayToken(
                    GapAwareTrackingToken.newInstance(atReset.getIndex(), Collections.emptySortedSet()),
                    reset.getCurrentToken(), reset.context());
        }
        return token;
    }

    /** Waits until the projection {@code name} has handled every event stored now. */
    public void awaitCaughtUp(String name) throws InterruptedException {
        awaitReached(List.of(name), head(), clock.instant().plus(timeout));
    }

    /**
     * The projections with a reset token stored: a rebuild began and has not passed the point of its reset. Read
     * from the token table itself, which holds them before any processor starts; the processors' own statuses
     * exist only once they run, and by then a short rebuild may be over.
     */
    private List<String> interruptedRebuilds() {
        return jdbc.queryForList("SELECT DISTINCT processorName FROM TokenEntry WHERE tokenType = ?", String.class,
                        ReplayToken.class.getName()).stream()
                .filter(name -> name.endsWith(SUFFIX))
                .sorted()
                .toList();
    }

    /**
     * Axon's own "replaying" flag is no end mark: it stays set until a token covers the one at reset, gaps
     * included, which may take until later events arrive. The rebuild is done when every segment has handled
     * the event that was last when it began.
     */
    private void awaitReached(List<String> names, long head, Instant deadline) throws InterruptedException {
        while (!names.stream().allMatch(name -> reached(name, head))) {
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException("The projections had not caught up after " + timeout
                        + "; they go on in the background");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Every stored segment must be claimed and past the head: a projection of several segments whose threads have
     * not all claimed theirs yet lists only some of them.
     */
    private boolean reached(String name, long head) {
        Map<Integer, EventTrackerStatus> segments = processor(name).processingStatus();
        int stored = processing.tokenStore(name).fetchSegments(name).length;
        return !segments.isEmpty() && segments.size() >= stored && segments.values().stream()
                .allMatch(status -> !status.isErrorState() && status.getCurrentPosition().orElse(-1L) >= head);
    }

    private ProjectionState state(String name, long head) {
        StreamingEventProcessor processor = processor(name);
        long position = processor.processingStatus().values().stream()
                .mapToLong(status -> status.getCurrentPosition().orElse(-1L))
                .min()
                .orElse(-1L);
        long deadLetters = processing.deadLetterQueue(name).map(SequencedDeadLetterQueue::amountOfSequences)
                .orElse(0L);
        return new ProjectionState(name, processor.isRunning(), rebuilding.contains(name),
                position < 0 ? null : position, Math.max(0, head - position), deadLetters);
    }

    private StreamingEventProcessor processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalArgumentException("No projection " + name));
    }
}
