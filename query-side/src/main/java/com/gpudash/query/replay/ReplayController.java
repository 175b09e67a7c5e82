package com.gpudash.query.replay;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.gpudash.api.DomainException;
import com.gpudash.api.audit.AuditMetadata;
import com.gpudash.api.operation.CompleteOperation;
import com.gpudash.api.operation.FailOperation;
import com.gpudash.api.operation.MarkOperationRunning;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.operation.OperationType;
import com.gpudash.api.operation.StartOperation;
import com.gpudash.query.operation.OperationViews;
import com.gpudash.query.web.RequestCommands;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Rebuilding the read models from the event store, as an operation: the call answers at once and the replay
 * runs on its own thread, since it can take minutes on a big store. While the operations projection is being
 * rebuilt, the operation itself may answer 404 for a moment: its row comes back when the replay reaches it.
 */
@RestController
@RequestMapping("/api/admin/projections")
class ReplayController {

    private static final Logger log = LoggerFactory.getLogger(ReplayController.class);
    private static final String OPERATIONS = "operation-projection";

    /** @param projections the projections to rebuild; all of them when absent */
    record ReplayRequest(@Size(min = 1, max = 32) List<String> projections) {
    }

    record Accepted(OperationId operationId, List<String> projections) {
    }

    private final ProjectionReplay replay;
    private final RequestCommands commands;
    private final CommandGateway gateway;
    private final OperationViews operations;
    /** Counted down when the application is ready: its processors run and its command handlers answer. */
    private final CountDownLatch started = new CountDownLatch(1);
    private final ExecutorService runner = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "projection-replay");
        thread.setDaemon(true);
        return thread;
    });

    ReplayController(ProjectionReplay replay, RequestCommands commands, CommandGateway gateway,
                     OperationViews operations) {
        this.replay = replay;
        this.operations = operations;
        this.commands = commands;
        this.gateway = gateway;
    }

    @GetMapping
    Mono<List<ProjectionReplay.ProjectionState>> projections() {
        return Mono.fromCallable(replay::states).subscribeOn(Schedulers.boundedElastic());
    }

    @PostMapping("/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Accepted> replay(@RequestBody(required = false) @Valid ReplayRequest body) {
        List<String> known = replay.projections();
        List<String> names = body == null || body.projections() == null ? known
                : body.projections().stream().distinct().toList();
        List<String> unknown = names.stream().filter(name -> !known.contains(name)).toList();
        if (!unknown.isEmpty()) {
            return Mono.error(DomainException.invalid("projections: unknown " + unknown + "; known are " + known));
        }
        if (!replay.begin()) {
            return Mono.error(DomainException.conflict("A replay is already running"));
        }
        OperationId operationId = OperationId.random();
        return commands.correlationId().defaultIfEmpty(operationId.value())
                .flatMap(correlationId -> commands.send(new StartOperation(operationId, OperationType.REPLAY_PROJECTIONS,
                                Map.of("projections", String.join(",", names)), null))
                        .then(Mono.fromRunnable(() -> runner.execute(() -> run(operationId, names, correlationId)))))
                .doOnError(failure -> replay.end())
                .thenReturn(new Accepted(operationId, names));
    }

    private void run(OperationId operationId, List<String> names, String correlationId) {
        Map<String, String> system = AuditMetadata.system(correlationId).asMap();
        try {
            send(new MarkOperationRunning(operationId), system);
            ProjectionReplay.Outcome outcome = replay.replay(names);
            log.info("Replayed {} ({} events) in {} s", outcome.projections(), outcome.events(), outcome.seconds());
            send(new CompleteOperation(operationId, outcome.asResult()), system);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Replay of {} failed", names, e);
            send(new FailOperation(operationId, "The replay failed: " + e.getMessage()), system);
        }
    }

    /**
     * A replay that a stopped node left unfinished: its projections are finished under the shut gate
     * ({@link ProjectionReplay#resumeInterrupted}) and its operation, which nobody would finish otherwise, completed
     * then. With no projection midway the node stopped before the reset or after the rebuild, which the store
     * cannot tell apart: the operation fails and says to start it again. The gate is shut before this returns, so
     * before any reader of the starting application reaches it.
     */
    @PostConstruct
    void resumeInterruptedReplay() throws InterruptedException {
        if (!replay.begin()) {
            return;
        }
        CountDownLatch gateShut = new CountDownLatch(1);
        runner.execute(() -> {
            try {
                ProjectionReplay.Outcome outcome = replay.resumeInterrupted(gateShut::countDown, started);
                started.await();
                replay.awaitCaughtUp(OPERATIONS);
                for (OperationId interrupted : operations.unfinished(OperationType.REPLAY_PROJECTIONS).toIterable()) {
                    log.info("Finishing the replay {} that a stop interrupted: {}", interrupted, outcome.projections());
                    // The request's correlation id is not known here; the operation's own id ties the entries.
                    Map<String, String> system = AuditMetadata.system(interrupted.value()).asMap();
                    send(outcome.projections().isEmpty()
                            ? new FailOperation(interrupted, "The application stopped during the replay, before its"
                                    + " projections were reset or after they were rebuilt; start it again to be sure")
                            : new CompleteOperation(interrupted, resumed(outcome)), system);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("Could not finish a replay that a stop interrupted", e);
            } finally {
                gateShut.countDown();
                replay.end();
            }
        });
        gateShut.await();
    }

    /** The result of a replay finished after a stop: the projections it finished then, and that it was resumed. */
    private static Map<String, Object> resumed(ProjectionReplay.Outcome outcome) {
        Map<String, Object> result = outcome.asResult();
        result.put("resumedAfterStop", true);
        return result;
    }

    @EventListener(ApplicationReadyEvent.class)
    void applicationStarted() {
        started.countDown();
    }

    private void send(Object command, Map<String, String> metadata) {
        gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metadata));
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }
}
