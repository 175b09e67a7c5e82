package com.gpudash.agent.docker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.ContainerRuntimeException;
import com.gpudash.agent.ContainerSpec;
import com.gpudash.agent.ContainerState;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.HostKeyMismatchException;
import com.gpudash.agent.HostShellException;
import com.gpudash.agent.ImageState;
import com.gpudash.agent.InsecureEndpointException;
import com.gpudash.agent.PruneRequest;
import com.gpudash.agent.PruneResult;
import com.gpudash.agent.RuntimeConflictException;
import com.gpudash.agent.RuntimeNotFoundException;
import com.gpudash.agent.RuntimeUnavailableException;
import com.gpudash.agent.ssh.SshHostShell;

/**
 * {@link ContainerRuntime} over docker-java, one client per endpoint: its Apache HttpClient 5 transport for unix and
 * tcp endpoints, {@link SshDialStdioHttpClient} over the SSH client's connection for ssh ones.
 *
 * <p>The API version is left to the engine (Docker 20.10 speaks API 1.41 and refuses docker-java's newest): no
 * version prefix is sent, so each engine answers in its own.
 */
public final class DockerContainerRuntime implements ContainerRuntime {

    /** What {@code NVIDIA_VISIBLE_DEVICES} says when no GPU is assigned: the NVIDIA runtime then exposes none. */
    public static final String NO_GPUS = "void";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The states a prune removes; running, paused and restarting containers count as running to the engine. */
    private static final Set<String> PRUNABLE_STATES = Set.of("created", "exited", "dead");

    private final DockerSettings settings;
    /** The SSH client ssh:// endpoints are spoken over; null where none is configured. */
    private final SshHostShell ssh;
    private final Map<DockerEndpoint, Engine> engines = new ConcurrentHashMap<>();

    /** A runtime without SSH: an ssh:// endpoint is refused. */
    public DockerContainerRuntime(DockerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ssh = null;
    }

    /** A runtime that speaks to ssh:// endpoints over {@code ssh}'s connections, sharing them with its commands. */
    public DockerContainerRuntime(DockerSettings settings, SshHostShell ssh) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ssh = Objects.requireNonNull(ssh, "ssh");
    }

    @Override
    public List<ContainerState> listContainers(DockerEndpoint endpoint, Map<String, String> labels) {
        return call(endpoint, "list containers", docker -> {
            var command = docker.listContainersCmd().withShowAll(true);
            if (!labels.isEmpty()) {
                command.withLabelFilter(labelFilters(labels));
            }
            return command.exec().stream().map(DockerContainerRuntime::listed).toList();
        });
    }

    @Override
    public Optional<ContainerState> inspectContainer(DockerEndpoint endpoint, String idOrName) {
        try {
            return Optional.of(call(endpoint, "inspect container " + idOrName,
                    docker -> inspected(docker.inspectContainerCmd(idOrName).exec())));
        } catch (RuntimeNotFoundException absent) {
            return Optional.empty();
        }
    }

    @Override
    public String createContainer(DockerEndpoint endpoint, ContainerSpec spec) {
        ExposedPort service = ExposedPort.tcp(spec.servicePort());
        Ports published = new Ports();
        // An empty host port lets Docker pick a free one on that address.
        published.bind(service, Ports.Binding.bindIp(spec.publishHostIp()));
        HostConfig host = HostConfig.newHostConfig()
                .withNanoCPUs(Math.round(spec.cpus() * 1_000_000_000d))
                .withMemory(spec.memoryBytes())
                // Equal to the memory limit: no swap on top, which Docker would otherwise allow up to the same amount.
                .withMemorySwap(spec.memoryBytes())
                .withBinds(new Bind(spec.workspaceHostPath(), new Volume(spec.workspaceContainerPath())))
                .withPortBindings(published)
                .withInit(true)
                .withPrivileged(false);
        if (!spec.gpuUuids().isEmpty()) {
            host.withDeviceRequests(List.of(new DeviceRequest()
                    .withDriver("nvidia")
                    .withDeviceIds(spec.gpuUuids())
                    .withCapabilities(List.of(List.of("gpu")))));
        }
        // Set even without GPUs: CUDA images declare NVIDIA_VISIBLE_DEVICES=all, which would otherwise expose every
        // GPU of the server wherever the NVIDIA runtime is the default.
        String visibleDevices = spec.gpuUuids().isEmpty() ? NO_GPUS : String.join(",", spec.gpuUuids());
        return call(endpoint, "create container " + spec.name(), docker -> docker.createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withEnv("NVIDIA_VISIBLE_DEVICES=" + visibleDevices)
                .withExposedPorts(service)
                .withHostConfig(host)
                .exec()
                .getId());
    }

    @Override
    public void startContainer(DockerEndpoint endpoint, String idOrName) {
        call(endpoint, "start container " + idOrName, docker -> {
            try {
                docker.startContainerCmd(idOrName).exec();
            } catch (NotModifiedException alreadyRunning) {
                // the wanted state already holds
            }
            return null;
        });
    }

    @Override
    public void stopContainer(DockerEndpoint endpoint, String idOrName, Duration gracePeriod) {
        call(endpoint, "stop container " + idOrName, docker -> {
            try {
                docker.stopContainerCmd(idOrName).withTimeout(Math.toIntExact(gracePeriod.toSeconds())).exec();
            } catch (NotModifiedException alreadyStopped) {
                // the wanted state already holds
            }
            return null;
        });
    }

    @Override
    public void removeContainer(DockerEndpoint endpoint, String idOrName, boolean force) {
        call(endpoint, "remove container " + idOrName, docker -> {
            docker.removeContainerCmd(idOrName).withForce(force).exec();
            return null;
        });
    }

    @Override
    public List<ImageState> listImages(DockerEndpoint endpoint) {
        return call(endpoint, "list images", docker -> {
            Map<String, Long> containersPerImage = containersPerImage(docker);
            return docker.listImagesCmd().exec().stream()
                    .map(image -> listed(image, containersPerImage))
                    .toList();
        });
    }

    @Override
    public Optional<ImageState> inspectImage(DockerEndpoint endpoint, String idOrTag) {
        try {
            return Optional.of(call(endpoint, "inspect image " + idOrTag, docker -> {
                InspectImageResponse image = docker.inspectImageCmd(idOrTag).exec();
                return new ImageState(image.getId(), orEmpty(image.getRepoTags()), orZero(image.getSize()),
                        Instant.parse(image.getCreated()),
                        containersPerImage(docker).getOrDefault(image.getId(), 0L).intValue());
            }));
        } catch (RuntimeNotFoundException absent) {
            return Optional.empty();
        }
    }

    @Override
    public void removeImage(DockerEndpoint endpoint, String idOrTag, boolean force) {
        call(endpoint, "remove image " + idOrTag, docker -> {
            docker.removeImageCmd(idOrTag).withForce(force).exec();
            return null;
        });
    }

    @Override
    public String buildImage(DockerEndpoint endpoint, String dockerfile, String tag) {
        return call(endpoint, "build image " + tag, docker -> {
            BuildImageResultCallback build = docker.buildImageCmd()
                    .withTarInputStream(new ByteArrayInputStream(DockerfileTar.of(dockerfile)))
                    .withTags(Set.of(tag))
                    .withPull(false)
                    // Intermediate containers go even when a step fails, or every failed build would leave one.
                    .withForcerm(true)
                    .exec(new BuildImageResultCallback());
            build.awaitImageId(settings.buildTimeout().toMillis(), TimeUnit.MILLISECONDS);
            // The build's own answer is a short id; the tag names the full one.
            return docker.inspectImageCmd(tag).exec().getId();
        });
    }

    @Override
    public PruneResult prune(DockerEndpoint endpoint, PruneRequest request) {
        List<String> containers = new ArrayList<>();
        List<String> images = new ArrayList<>();
        long reclaimed = 0;
        if (request.stoppedContainers()) {
            JsonNode answer = pruneCall(endpoint, "containers", filters(request, Map.of()));
            answer.path("ContainersDeleted").forEach(id -> containers.add(id.asText()));
            reclaimed += answer.path("SpaceReclaimed").asLong();
        }
        if (request.danglingImages()) {
            // "Deleted" names layers as well as images; only the ids that were images count as images removed.
            Set<String> imageIds = call(endpoint, "list images", docker -> docker.listImagesCmd().withShowAll(true)
                    .exec().stream().map(Image::getId).collect(Collectors.toSet()));
            JsonNode answer = pruneCall(endpoint, "images", filters(request, Map.of("dangling", List.of("true"))));
            answer.path("ImagesDeleted").forEach(entry -> {
                String deleted = entry.path("Deleted").asText("");
                if (imageIds.contains(deleted)) {
                    images.add(deleted);
                }
            });
            reclaimed += answer.path("SpaceReclaimed").asLong();
        }
        return new PruneResult(containers, images, reclaimed);
    }

    /** Mirrors the engine's prune rules: a container goes unless it runs, is paused or restarts. */
    @Override
    public PruneResult previewPrune(DockerEndpoint endpoint, PruneRequest request) {
        return call(endpoint, "preview prune", docker -> {
            List<Container> all = docker.listContainersCmd().withShowAll(true).exec();
            Set<String> containers = request.stoppedContainers()
                    ? all.stream()
                            .filter(container -> PRUNABLE_STATES.contains(container.getState()))
                            .filter(container -> inScope(request, orEmpty(container.getLabels())))
                            .map(Container::getId)
                            .collect(Collectors.toCollection(java.util.LinkedHashSet::new))
                    : Set.of();
            List<String> images = List.of();
            if (request.danglingImages()) {
                Set<String> stillUsed = all.stream()
                        .filter(container -> !containers.contains(container.getId()))
                        .map(Container::getImageId)
                        .filter(Objects::nonNull)
                        .collect(Collectors.toSet());
                images = docker.listImagesCmd().withDanglingFilter(true).exec().stream()
                        .filter(image -> !stillUsed.contains(image.getId()))
                        .filter(image -> inScope(request, orEmpty(image.getLabels())))
                        .map(Image::getId)
                        .toList();
            }
            return new PruneResult(List.copyOf(containers), images, 0);
        });
    }

    private static boolean inScope(PruneRequest request, Map<String, String> labels) {
        boolean carriesAll = request.onlyLabelled().entrySet().stream().allMatch(wanted -> labels.containsKey(wanted.getKey())
                && (wanted.getValue().isEmpty() || wanted.getValue().equals(labels.get(wanted.getKey()))));
        return carriesAll && request.exceptLabelled().stream().noneMatch(labels::containsKey);
    }

    @Override
    public void forget(DockerEndpoint endpoint) {
        Engine engine = engines.remove(endpoint);
        if (engine != null) {
            engine.close();
        }
    }

    @Override
    public void close() {
        engines.keySet().forEach(this::forget);
    }

    /**
     * docker-java's prune answer keeps only the reclaimed space; the raw call also says what was removed. Prune is
     * also the only call whose {@code label!} filter docker-java cannot express.
     */
    private JsonNode pruneCall(DockerEndpoint endpoint, String kind, Map<String, List<String>> filters) {
        String what = "prune " + kind;
        Engine engine = engine(endpoint);
        String query;
        try {
            query = URLEncoder.encode(JSON.writeValueAsString(filters), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path("/" + kind + "/prune?filters=" + query)
                .build();
        try (DockerHttpClient.Response response = engine.http().execute(request)) {
            String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = response.getStatusCode();
            if (status == 200) {
                return JSON.readTree(body);
            }
            throw translate(endpoint, what, new DockerException(body, status));
        } catch (IOException e) {
            throw new RuntimeUnavailableException(message(endpoint, what, e), e);
        } catch (ContainerRuntimeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate(endpoint, what, e);
        }
    }

    private static Map<String, List<String>> filters(PruneRequest request, Map<String, List<String>> more) {
        Map<String, List<String>> filters = new LinkedHashMap<>(more);
        if (!request.onlyLabelled().isEmpty()) {
            filters.put("label", labelFilters(request.onlyLabelled()));
        }
        if (!request.exceptLabelled().isEmpty()) {
            filters.put("label!", request.exceptLabelled().stream().sorted().toList());
        }
        return filters;
    }

    /** Docker's label filters: {@code key=value}, or {@code key} alone for any value. */
    private static List<String> labelFilters(Map<String, String> labels) {
        return labels.entrySet().stream()
                .map(label -> label.getValue().isEmpty() ? label.getKey() : label.getKey() + "=" + label.getValue())
                .sorted()
                .toList();
    }

    private <T> T call(DockerEndpoint endpoint, String what, Function<DockerClient, T> operation) {
        DockerClient docker = engine(endpoint).client();
        try {
            return operation.apply(docker);
        } catch (RuntimeException e) {
            throw translate(endpoint, what, e);
        }
    }

    private Engine engine(DockerEndpoint endpoint) {
        return engines.computeIfAbsent(endpoint, this::open);
    }

    private Engine open(DockerEndpoint endpoint) {
        refuseInsecure(endpoint);
        try {
            return connect(endpoint);
        } catch (ContainerRuntimeException e) {
            throw e;
        } catch (RuntimeException e) {
            // Unreadable certificates surface here, when the transport builds its TLS context.
            throw new ContainerRuntimeException("Docker at " + endpoint.uri() + ": cannot set up a client: " + e.getMessage(), e);
        }
    }

    private Engine connect(DockerEndpoint endpoint) {
        if (endpoint.usesSsh()) {
            return connectOverSsh(endpoint);
        }
        DefaultDockerClientConfig.Builder config = new DefaultDockerClientConfig.Builder()
                .withDockerHost(endpoint.uri().toString())
                .withDockerTlsVerify(endpoint.usesTls());
        if (endpoint.usesTls()) {
            config.withCustomSslConfig(new LocalDirectorySSLConfig(tlsDirectory(endpoint).toString()));
        }
        DefaultDockerClientConfig built = config.build();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(built.getDockerHost())
                .sslConfig(built.getSSLConfig())
                .connectionTimeout(settings.connectTimeout())
                .responseTimeout(settings.readTimeout())
                .maxConnections(settings.maxConnectionsPerEngine())
                .build();
        return new Engine(DockerClientImpl.getInstance(built, http), http);
    }

    private Engine connectOverSsh(DockerEndpoint endpoint) {
        if (ssh == null) {
            throw new ContainerRuntimeException("Docker at " + endpoint.uri() + ": an ssh:// endpoint needs the SSH"
                    + " client, and none is configured (SSH_PRIVATE_KEY)", null);
        }
        // docker-java only records the host; every request goes through the transport.
        DefaultDockerClientConfig config = new DefaultDockerClientConfig.Builder()
                .withDockerHost(endpoint.uri().toString())
                .build();
        DockerHttpClient http = new SshDialStdioHttpClient(ssh, endpoint.sshTarget(), settings.readTimeout());
        return new Engine(DockerClientImpl.getInstance(config, http), http);
    }

    private static Path tlsDirectory(DockerEndpoint endpoint) {
        Path directory = endpoint.tlsCertificateDirectory();
        for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
            if (!Files.isReadable(directory.resolve(file))) {
                throw new InsecureEndpointException("the TLS certificate directory " + directory + " of " + endpoint.uri()
                        + " has no readable " + file);
            }
        }
        return directory;
    }

    private static void refuseInsecure(DockerEndpoint endpoint) {
        endpoint.refusal().ifPresent(reason -> {
            throw new InsecureEndpointException(reason);
        });
    }

    private static ContainerRuntimeException translate(DockerEndpoint endpoint, String what, RuntimeException e) {
        String message = message(endpoint, what, e);
        if (e instanceof ContainerRuntimeException known) {
            return known;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HostKeyMismatchException mismatch) {
                // Another key will not turn into the pinned one on a retry: a person must look.
                return new ContainerRuntimeException("Docker at " + endpoint.uri() + ": " + what
                        + " refused: SSH host key mismatch: " + mismatch.getMessage(), mismatch);
            }
            if (cause instanceof HostShellException shell) {
                return shell.retriable() ? new RuntimeUnavailableException(message, shell)
                        : new ContainerRuntimeException(message, shell);
            }
        }
        if (e instanceof NotFoundException) {
            return new RuntimeNotFoundException(message, e);
        }
        if (e instanceof ConflictException) {
            return new RuntimeConflictException(message, e);
        }
        if (e instanceof DockerException docker) {
            return switch (docker.getHttpStatus()) {
                case 404 -> new RuntimeNotFoundException(message, e);
                case 409 -> new RuntimeConflictException(message, e);
                // The engine is up but busy or failing; the same call may pass later.
                case 500, 502, 503, 504 -> new RuntimeUnavailableException(message, e);
                default -> new ContainerRuntimeException(message, e);
            };
        }
        if (e instanceof DockerClientException) {
            // docker-java's own failures, such as a build whose Dockerfile does not build.
            return new ContainerRuntimeException(message, e);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                // Certificates that do not match will not match on the next try either.
                return new ContainerRuntimeException("Docker at " + endpoint.uri() + ": " + what + " failed in TLS: "
                        + cause.getMessage(), e);
            }
            if (cause instanceof IOException) {
                return new RuntimeUnavailableException(message, e);
            }
        }
        return new ContainerRuntimeException(message, e);
    }

    private static String message(DockerEndpoint endpoint, String what, Exception e) {
        return "Docker at " + endpoint.uri() + ": " + what + " failed: " + e.getMessage();
    }

    private static Map<String, Long> containersPerImage(DockerClient docker) {
        return docker.listContainersCmd().withShowAll(true).exec().stream()
                .filter(container -> container.getImageId() != null)
                .collect(Collectors.groupingBy(Container::getImageId, Collectors.counting()));
    }

    private static ContainerState listed(Container container) {
        List<ContainerState.PublishedPort> ports = new ArrayList<>();
        if (container.getPorts() != null) {
            for (var port : container.getPorts()) {
                if (port.getPublicPort() != null) {
                    ports.add(new ContainerState.PublishedPort(port.getPrivatePort(), port.getIp(), port.getPublicPort()));
                }
            }
        }
        String name = container.getNames() == null || container.getNames().length == 0 ? "" : container.getNames()[0];
        return new ContainerState(container.getId(), withoutSlash(name), container.getImage(), container.getState(),
                orEmpty(container.getLabels()), Instant.ofEpochSecond(orZero(container.getCreated())), null, null, ports);
    }

    private static ContainerState inspected(InspectContainerResponse container) {
        HostConfig host = container.getHostConfig();
        Long nanoCpus = host == null ? null : host.getNanoCPUs();
        Long memory = host == null ? null : host.getMemory();
        List<ContainerState.PublishedPort> ports = new ArrayList<>();
        if (container.getNetworkSettings() != null && container.getNetworkSettings().getPorts() != null) {
            container.getNetworkSettings().getPorts().getBindings().forEach((exposed, bindings) -> {
                if (bindings != null) {
                    for (Ports.Binding binding : bindings) {
                        // Only a started container has a port Docker chose; a range is never requested here.
                        if (binding.getHostPortSpec() != null && binding.getHostPortSpec().matches("[0-9]+")) {
                            ports.add(new ContainerState.PublishedPort(exposed.getPort(), binding.getHostIp(),
                                    Integer.parseInt(binding.getHostPortSpec())));
                        }
                    }
                }
            });
        }
        return new ContainerState(container.getId(), withoutSlash(container.getName()), container.getConfig().getImage(),
                container.getState().getStatus(), orEmpty(container.getConfig().getLabels()),
                Instant.parse(container.getCreated()),
                nanoCpus == null || nanoCpus == 0 ? null : nanoCpus / 1_000_000_000d,
                memory == null || memory == 0 ? null : memory,
                ports);
    }

    private static ImageState listed(Image image, Map<String, Long> containersPerImage) {
        List<String> tags = image.getRepoTags() == null ? List.of()
                : List.of(image.getRepoTags()).stream().filter(tag -> !"<none>:<none>".equals(tag)).toList();
        return new ImageState(image.getId(), tags, orZero(image.getSize()), Instant.ofEpochSecond(orZero(image.getCreated())),
                containersPerImage.getOrDefault(image.getId(), 0L).intValue());
    }

    private static String withoutSlash(String name) {
        // The engine names containers "/name", the leading slash standing for the local daemon.
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private record Engine(DockerClient client, DockerHttpClient http) {

        void close() {
            try {
                client.close();
            } catch (IOException e) {
                // a connection that cannot be closed cleanly is dropped all the same
            }
        }
    }
}
