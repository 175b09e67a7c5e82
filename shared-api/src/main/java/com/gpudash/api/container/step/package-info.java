/**
 * Work for the workers behind the agent-adapter ports. Sagas send these commands and return at once; a worker
 * answers later with a {@code Record…} command to the container's aggregate, or with {@code RecordStepFailed}
 * (reason in words, {@code retriable} when a later try may succeed).
 * <p>
 * Notes for the worker implementer:
 * <ul>
 * <li>A worker's {@code @CommandHandler} runs on the sender's thread and inside its unit of work (the command bus
 * is synchronous): hand the work to an executor after the unit of work commits and return. Never call Docker,
 * SSH or nginx inside it (traps 7 and 8).</li>
 * <li>Every command may come more than once (a saga re-sends it when no answer arrived in time, also after a
 * restart), even while an earlier copy still runs. Each is idempotent through names derived from the user
 * ({@link com.gpudash.api.container.ContainerNames}) and the label {@code gpudash.container-id=<containerId>}.</li>
 * <li>{@link com.gpudash.api.container.step.PlaceContainer}: servers read model; {@code ReserveServerCapacity};
 * on its conflict try the next candidate. If {@code RecordContainerPlaced} is then refused (the provisioning
 * was abandoned or placed elsewhere meanwhile), send {@code ReleaseServerCapacity} for what was reserved.</li>
 * <li>{@link com.gpudash.api.container.step.PrepareWorkspace}: SSH; copy {@code WORKDIR_TEMPLATE} to
 * {@code WORKDIR_DEPLOY/<username>} without following symlinks out of the template; an existing directory is
 * success and is left untouched.</li>
 * <li>{@link com.gpudash.api.container.step.CreateDockerContainer}: Docker port; the name is the key: an existing
 * container of that name with our container-id label is success. GPUs only through the device request, with
 * {@code NVIDIA_VISIBLE_DEVICES} set to exactly those UUIDs (CUDA images default it to {@code all}, every GPU of the
 * server); image, CPU and memory from the settings.</li>
 * <li>{@link com.gpudash.api.container.step.StartDockerContainer}: Docker port; running already is success; answer
 * the published host port, which must stay the same across restarts of the container (the route points at it).</li>
 * <li>{@link com.gpudash.api.container.step.ActivateRoute} and
 * {@link com.gpudash.api.container.step.DeactivateRoute}: nginx port; regenerate the whole file from the routes
 * read model, test, swap atomically, reload; a failing test leaves the old file live and is a permanent failure.</li>
 * <li>{@link com.gpudash.api.container.step.StopDockerContainer} and
 * {@link com.gpudash.api.container.step.RemoveDockerContainer}: Docker port; stopped or absent already is
 * success.</li>
 * </ul>
 */
package com.gpudash.api.container.step;
