package com.gpudash.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container engine of each GPU server. Every call names the server's endpoint; the connection behind it is
 * kept between calls. Failures are {@link ContainerRuntimeException}s: {@link RuntimeUnavailableException} (retry
 * later), {@link RuntimeNotFoundException}, {@link RuntimeConflictException} and the permanent rest.
 *
 * <p>Calls block on the network: keep them out of units of work that append events (traps 7 and 8).
 */
public interface ContainerRuntime extends AutoCloseable {

    /**
     * All containers, running or not, carrying all the given labels; an empty value matches any value of its key,
     * and an empty map lists every container.
     */
    List<ContainerState> listContainers(DockerEndpoint endpoint, Map<String, String> labels);

    /** The container with this id or name, or empty when there is none: how a retry finds what a last try did. */
    Optional<ContainerState> inspectContainer(DockerEndpoint endpoint, String idOrName);

    /** Creates (does not start) a container exactly as specified and returns its id. */
    String createContainer(DockerEndpoint endpoint, ContainerSpec spec);

    /** Starts a container; starting a running one is not an error. */
    void startContainer(DockerEndpoint endpoint, String idOrName);

    /** Stops a container, killing it after the grace period; stopping a stopped one is not an error. */
    void stopContainer(DockerEndpoint endpoint, String idOrName, Duration gracePeriod);

    /** Removes a container; {@code force} removes a running one too. */
    void removeContainer(DockerEndpoint endpoint, String idOrName, boolean force);

    List<ImageState> listImages(DockerEndpoint endpoint);

    /** The image with this id or tag, or empty when there is none. */
    Optional<ImageState> inspectImage(DockerEndpoint endpoint, String idOrTag);

    /** Removes an image; without {@code force}, an image a container uses is a {@link RuntimeConflictException}. */
    void removeImage(DockerEndpoint endpoint, String idOrTag, boolean force);

    /** Builds an image from a Dockerfile alone (no other build context) and tags it; returns the full image id. */
    String buildImage(DockerEndpoint endpoint, String dockerfile, String tag);

    /**
     * Removes the stopped (not running) containers and the dangling images no container uses, as
     * {@code docker container prune} and {@code docker image prune} do, narrowed by the request's labels; containers
     * go first, so an image only they used goes too.
     */
    PruneResult prune(DockerEndpoint endpoint, PruneRequest request);

    /**
     * What {@link #prune} would remove now, removing nothing: the same containers, and the dangling images no
     * container would use after them (their untagged parents are not listed). It reclaims no bytes.
     */
    PruneResult previewPrune(DockerEndpoint endpoint, PruneRequest request);

    /** Closes the connection kept for this endpoint, if any; the next call opens a new one. */
    void forget(DockerEndpoint endpoint);

    /** Closes every kept connection. */
    @Override
    void close();
}
