package com.gpudash.saga.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.GpuProbe;
import com.gpudash.agent.HostStats;
import com.gpudash.api.PeriodicTask;
import com.gpudash.api.server.FetchRegisteredServers;
import com.gpudash.api.server.GpuDevice;
import com.gpudash.api.server.RecordGpuInventory;
import com.gpudash.api.server.RecordServerStatus;
import com.gpudash.api.server.RegisteredServer;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.server.ServerStatsView;
import com.gpudash.api.server.ServerStatus;
import com.gpudash.saga.worker.ServerConnections;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Polls every registered server once per interval, many at a time, each with its own time limit, so a slow or
 * dead server never delays the others. Telemetry is not event-sourced: the latest reading of each server is kept
 * here for the stats endpoint and the gauges; only a change of a server's status or GPU inventory becomes a command.
 * Which servers are registered is the query side's answer to {@link FetchRegisteredServers}, asked every round.
 */
@Component
public class TelemetryPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TelemetryPoller.class);
    private static final Duration MAX_POLL_TIME = Duration.ofSeconds(10);

    private final QueryGateway queries;
    private final CommandGateway commands;
    private final ServerCollector collector;
    private final TelemetryMetrics metrics;
    private final Duration interval;
    private final int concurrency;
    private final Map<ServerId, ServerReading> latest = new ConcurrentHashMap<>();
    private final Map<ServerId, ServerStatus> reportedStatus = new ConcurrentHashMap<>();
    private final Map<ServerId, Set<GpuDevice>> reportedInventory = new ConcurrentHashMap<>();
    private final PeriodicTask rounds;
    private final AtomicInteger pollThreads = new AtomicInteger();
    private volatile ExecutorService workers;

    public TelemetryPoller(QueryGateway queries, CommandGateway commands, ServerConnections connections,
                           ContainerRuntime runtime, ObjectProvider<HostStats> hostStats, ObjectProvider<GpuProbe> gpuProbe,
                           MeterRegistry registry, TelemetrySettings settings) {
        this.queries = queries;
        this.commands = commands;
        this.collector = new ServerCollector(connections, runtime, Optional.ofNullable(hostStats.getIfAvailable()),
                Optional.ofNullable(gpuProbe.getIfAvailable()), settings.diskPath(), Clock.systemUTC());
        this.metrics = new TelemetryMetrics(registry);
        this.interval = settings.interval();
        this.concurrency = settings.concurrency();
        this.rounds = new PeriodicTask("telemetry-round", Duration.ZERO, interval, this::round);
    }

    /** The latest reading of a server; empty when it has not been polled since it was registered or since the start. */
    public Optional<ServerStatsView> latest(ServerId serverId) {
        return Optional.ofNullable(latest.get(serverId)).map(ServerReading::stats);
    }

    /**
     * Polls every server once and waits until each has answered or run out of time. Rounds never overlap.
     *
     * @return how long the round took
     */
    public synchronized Duration pollAll() {
        long started = System.nanoTime();
        List<RegisteredServer> servers = registeredServers();
        long limitMillis = pollTimeLimit(interval).toMillis();
        List<CompletableFuture<Void>> polls = servers.stream()
                .map(server -> CompletableFuture.supplyAsync(() -> collector.collect(server), workers)
                        .completeOnTimeout(timedOut(server, limitMillis), limitMillis, TimeUnit.MILLISECONDS)
                        .exceptionally(failure -> failed(server, failure))
                        .thenAccept(this::record))
                .toList();
        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).join();
        Set<ServerId> registered = servers.stream().map(RegisteredServer::id).collect(Collectors.toSet());
        latest.keySet().retainAll(registered);
        reportedStatus.keySet().retainAll(registered);
        reportedInventory.keySet().retainAll(registered);
        metrics.publish(latest.values());
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * How long one server may take: four fifths of the interval, at most 10 s. A poll that runs out of time is
     * abandoned, not waited for (its thread finishes it in the background), and the server counts as OFFLINE.
     */
    public static Duration pollTimeLimit(Duration interval) {
        return Duration.ofMillis(Math.max(1000, Math.min(interval.toMillis() * 4 / 5, MAX_POLL_TIME.toMillis())));
    }

    private void record(ServerReading reading) {
        RegisteredServer server = reading.server();
        latest.put(server.id(), reading);
        metrics.recordCollection(reading);
        ServerStatus status = reading.up() ? ServerStatus.ONLINE : ServerStatus.OFFLINE;
        if (reportedStatus.getOrDefault(server.id(), server.status()) != status) {
            send(new RecordServerStatus(server.id(), status, reading.downReason()), server);
            reportedStatus.put(server.id(), status);
        }
        Set<GpuDevice> inventory = reading.gpus().stream()
                .filter(gpu -> gpu.uuid() != null && gpu.index() != null)
                .map(gpu -> new GpuDevice(gpu.uuid(), gpu.index(), gpu.name(), gpu.memoryTotalBytes()))
                .collect(Collectors.toSet());
        // An unreachable shell says nothing about the GPUs; only a successful probe may change the inventory.
        boolean probed = reading.up() && reading.stats().problems().stream().noneMatch(p -> p.startsWith("SSH") || p.startsWith("probe"));
        if (probed && !inventory.equals(reportedInventory.get(server.id()))) {
            send(new RecordGpuInventory(server.id(), List.copyOf(inventory)), server);
            reportedInventory.put(server.id(), inventory);
        }
    }

    private void send(Object command, RegisteredServer server) {
        try {
            commands.sendAndWait(command);
        } catch (RuntimeException e) {
            // A server removed during the round refuses its last status; the next round no longer polls it.
            log.info("Could not record telemetry of server {}: {}", server.name(), e.getMessage());
        }
    }

    private ServerReading timedOut(RegisteredServer server, long limitMillis) {
        String reason = "no answer within " + limitMillis + " ms";
        return new ServerReading(server, new ServerStatsView(server.id(), java.time.Instant.now(), null, null, null,
                List.of(), null, List.of(reason)), false, reason, List.of(), TimeUnit.MILLISECONDS.toNanos(limitMillis),
                List.of("timeout"));
    }

    private ServerReading failed(RegisteredServer server, Throwable failure) {
        log.warn("Polling server {} failed unexpectedly", server.name(), failure);
        String reason = "poll failed: " + failure;
        return new ServerReading(server, new ServerStatsView(server.id(), java.time.Instant.now(), null, null, null,
                List.of(), null, List.of(reason)), false, reason, List.of(), 0, List.of("poller"));
    }

    private List<RegisteredServer> registeredServers() {
        return queries.query(new FetchRegisteredServers(), ResponseTypes.multipleInstancesOf(RegisteredServer.class)).join();
    }

    private void round() {
        Duration took = pollAll();
        if (took.compareTo(interval) > 0) {
            log.warn("A telemetry round took {} ms, longer than the {} s interval", took.toMillis(), interval.toSeconds());
        }
    }

    @Override
    public void start() {
        workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "telemetry-poll-" + pollThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        rounds.start();
    }

    @Override
    public void stop() {
        rounds.stop();
        workers.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return rounds.isRunning();
    }

    @Override
    public int getPhase() {
        // After Axon (which runs in the default phase) has started, so commands can be sent; stopped before it.
        return Integer.MAX_VALUE - 100;
    }
}
