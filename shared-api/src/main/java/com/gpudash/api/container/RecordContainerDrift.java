package com.gpudash.api.container;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Reconciliation found the container running or stopped other than recorded (started or stopped outside the
 * dashboard); refused while an operation is in progress, and nothing is recorded when it agrees.
 *
 * @param observed RUNNING or STOPPED
 * @param dockerState the engine's own word for it, such as {@code exited}
 */
public record RecordContainerDrift(@TargetAggregateIdentifier ContainerId containerId, ContainerStatus observed,
                                   String dockerState) {
}
