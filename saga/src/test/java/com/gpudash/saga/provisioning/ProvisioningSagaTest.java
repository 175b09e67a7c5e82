package com.gpudash.saga.provisioning;

import static com.gpudash.api.container.ContainerStep.CREATE;
import static com.gpudash.api.container.ContainerStep.PLACEMENT;
import static com.gpudash.api.container.ContainerStep.REMOVE;
import static com.gpudash.api.container.ContainerStep.ROUTE;
import static com.gpudash.api.container.ContainerStep.START;
import static com.gpudash.api.container.ContainerStep.UNROUTE;
import static com.gpudash.api.container.ContainerStep.WORKSPACE;
import static com.gpudash.saga.provisioning.ProvisioningSaga.STEP_DEADLINE;
import static com.gpudash.saga.provisioning.ProvisioningSaga.TIMEOUT_DEADLINE;
import static java.time.Duration.ofSeconds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.gpudash.api.container.AbandonProvisioning;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerProvisioned;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStepFailed;
import com.gpudash.api.container.DockerContainerCreated;
import com.gpudash.api.container.DockerContainerRemoved;
import com.gpudash.api.container.DockerContainerStarted;
import com.gpudash.api.container.FailProvisioning;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.container.ProvisioningAbandoned;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.container.RouteActivated;
import com.gpudash.api.container.RouteDeactivated;
import com.gpudash.api.container.WorkspacePrepared;
import com.gpudash.api.container.step.ActivateRoute;
import com.gpudash.api.container.step.CreateDockerContainer;
import com.gpudash.api.container.step.DeactivateRoute;
import com.gpudash.api.container.step.PlaceContainer;
import com.gpudash.api.container.step.PrepareWorkspace;
import com.gpudash.api.container.step.RemoveDockerContainer;
import com.gpudash.api.container.step.StartDockerContainer;
import com.gpudash.api.server.ReleaseServerCapacity;
import com.gpudash.api.server.ServerCapacityReserved;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProvisioningSagaTest {

    private static final UserId USER = UserId.of("6a1c2f0e-3b4d-4c5e-8f70-9a8b7c6d5e4f");
    private static final ContainerId CONTAINER = ContainerId.forUser(USER);
    private static final String AGGREGATE = CONTAINER.value();
    private static final OperationId OPERATION = OperationId.of("00000000-0000-4000-8000-000000000001");
    private static final ServerId SERVER = ServerId.of("5e0d6c1a-2b3c-4d5e-8f60-7a8b9c0d1e2f");
    private static final ServerId OTHER_SERVER = ServerId.of("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    private static final List<String> GPUS = List.of("GPU-aaaa", "GPU-bbbb");
    private static final int HOST_PORT = 32768;

    private static final Duration ANSWER_TIMEOUT = ofSeconds(30);
    /** Three attempts keep the exhaustion tests short; the back-off is the production one. */
    private static final ProvisioningSettings SETTINGS =
            new ProvisioningSettings(ofSeconds(120), ANSWER_TIMEOUT, ofSeconds(1), ofSeconds(20), 3);

    /** A fixture keeps its sagas between given-when-then chains, so every chain starts from a new one. */
    private static SagaTestFixture<ProvisioningSaga> newFixture() {
        return sagaFixture(SETTINGS);
    }

    private static SagaTestFixture<ProvisioningSaga> sagaFixture(ProvisioningSettings settings) {
        SagaTestFixture<ProvisioningSaga> fixture = new SagaTestFixture<>(ProvisioningSaga.class);
        fixture.registerResource(settings);
        return fixture;
    }

    @Nested
    class HappyPath {

        @Test
        void aRequestStartsTheSagaWithThePlacementAndTheTimeout() throws Exception {
            newFixture().givenNoPriorActivity()
                    .whenAggregate(AGGREGATE).publishes(requested())
                    .expectActiveSagas(1)
                    .expectAssociationWith("containerId", CONTAINER)
                    .expectDispatchedCommands(place())
                    .expectScheduledDeadlineWithName(ofSeconds(120), TIMEOUT_DEADLINE)
                    .expectScheduledDeadlineWithName(ANSWER_TIMEOUT, STEP_DEADLINE);
        }

        @ParameterizedTest(name = "after {0}")
        @EnumSource(value = ContainerStep.class, names = {"PLACEMENT", "WORKSPACE", "CREATE", "START"})
        void eachAnswerSendsTheNextStepAndWaitsForItsAnswer(ContainerStep answered) throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(historyUntil(answered).toArray())
                    .whenAggregate(AGGREGATE).publishes(success(answered))
                    .expectActiveSagas(1)
                    .expectDispatchedCommands(command(ContainerStep.values()[answered.ordinal() + 1]))
                    .expectScheduledDeadlineWithName(ANSWER_TIMEOUT, STEP_DEADLINE)
                    .expectScheduledDeadlineWithName(ofSeconds(120), TIMEOUT_DEADLINE);
        }

        @Test
        void theProvisionedContainerEndsTheSagaAndItsDeadlines() throws Exception {
            List<Object> history = historyUntil(ROUTE);
            history.add(new RouteActivated(CONTAINER, OPERATION, "/ada/", "https://dash.example.org/ada/"));
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenAggregate(AGGREGATE).publishes(new ContainerProvisioned(CONTAINER, OPERATION))
                    .expectActiveSagas(0)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines();
        }

        @Test
        void anotherContainersEventsAreNotItsBusiness() throws Exception {
            ContainerId other = ContainerId.forUser(UserId.random());
            newFixture().givenAggregate(AGGREGATE).published(requested())
                    .whenAggregate(other.value()).publishes(new ContainerPlaced(other, OPERATION, SERVER, GPUS))
                    .expectNoDispatchedCommands();
        }
    }

    @Nested
    class Retries {

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = ContainerStep.class, names = {"PLACEMENT", "WORKSPACE", "CREATE", "START", "ROUTE"})
        void aRetriableFailureWaitsTheBackOff(ContainerStep failing) throws Exception {
            Duration backOff = SETTINGS.retryDelay(CONTAINER, failing, 1);
            newFixture().givenAggregate(AGGREGATE).published(historyUntil(failing).toArray())
                    .whenAggregate(AGGREGATE).publishes(failed(failing, true, "docker: connection refused"))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineWithName(backOff, STEP_DEADLINE)
                    .expectNoScheduledDeadlineWithName(ANSWER_TIMEOUT, STEP_DEADLINE);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = ContainerStep.class, names = {"PLACEMENT", "WORKSPACE", "CREATE", "START", "ROUTE"})
        void afterTheBackOffTheSameStepIsSentAgain(ContainerStep failing) throws Exception {
            List<Object> history = historyUntil(failing);
            history.add(failed(failing, true, "docker: connection refused"));
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenTimeElapses(SETTINGS.retryDelay(CONTAINER, failing, 1))
                    .expectDispatchedCommands(command(failing))
                    .expectScheduledDeadlineWithName(ANSWER_TIMEOUT, STEP_DEADLINE);
        }

        @Test
        void theSecondFailureWaitsTheSecondBackOff() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(historyUntil(CREATE).toArray())
                    .andThenAggregate(AGGREGATE).published(failed(CREATE, true, "docker: connection refused"))
                    .andThenTimeElapses(SETTINGS.retryDelay(CONTAINER, CREATE, 1))
                    .whenAggregate(AGGREGATE).publishes(failed(CREATE, true, "docker: connection refused"))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineWithName(SETTINGS.retryDelay(CONTAINER, CREATE, 2), STEP_DEADLINE);
        }

        /**
         * What a restart looks like to the saga: the answer to a step sent before the crash never comes. The stored
         * deadline fires and the same step is sent again; steps are idempotent, so it finds what the last try did.
         */
        @Test
        void aStepWithoutAnswerIsSentAgain() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(historyUntil(CREATE).toArray())
                    .whenTimeElapses(ANSWER_TIMEOUT)
                    .expectDispatchedCommands(command(CREATE))
                    .expectScheduledDeadlineWithName(ANSWER_TIMEOUT, STEP_DEADLINE)
                    .expectActiveSagas(1);
        }

        @Test
        void aFailureOfAStepNotAwaitedChangesNothing() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(historyUntil(CREATE).toArray())
                    .whenAggregate(AGGREGATE).publishes(failed(WORKSPACE, false, "late answer of an earlier try"))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineWithName(ANSWER_TIMEOUT, STEP_DEADLINE);
        }

        @Test
        void retriableFailuresGiveUpAfterTheLastAttempt() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(historyUntil(WORKSPACE).toArray())
                    .andThenAggregate(AGGREGATE).published(failed(WORKSPACE, true, "ssh: connection timed out"))
                    .andThenTimeElapses(SETTINGS.retryDelay(CONTAINER, WORKSPACE, 1))
                    .andThenAggregate(AGGREGATE).published(failed(WORKSPACE, true, "ssh: connection timed out"))
                    .andThenTimeElapses(SETTINGS.retryDelay(CONTAINER, WORKSPACE, 2))
                    .whenAggregate(AGGREGATE).publishes(failed(WORKSPACE, true, "ssh: connection timed out"))
                    .expectDispatchedCommands(new AbandonProvisioning(CONTAINER, OPERATION,
                            "Could not prepare the workspace after 3 attempts: ssh: connection timed out"))
                    .expectScheduledDeadlineWithName(ANSWER_TIMEOUT, STEP_DEADLINE);
        }

        @Test
        void aStepThatIsNeverAnsweredGivesUpAfterTheLastAttempt() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(requested())
                    .andThenTimeElapses(ANSWER_TIMEOUT)
                    .andThenTimeElapses(ANSWER_TIMEOUT)
                    .whenTimeElapses(ANSWER_TIMEOUT)
                    .expectDispatchedCommands(new AbandonProvisioning(CONTAINER, OPERATION,
                            "Could not choose a server and reserve its GPUs after 3 attempts: no answer"));
        }
    }

    @Nested
    class Timeout {

        /** Patient enough that only the provisioning timeout ends it. */
        private final ProvisioningSettings patient =
                new ProvisioningSettings(ofSeconds(120), ANSWER_TIMEOUT, ofSeconds(1), ofSeconds(20), 100);

        @Test
        void aProvisioningThatTakesTooLongIsAbandonedWithAReason() throws Exception {
            sagaFixture(patient)
                    .givenAggregate(AGGREGATE).published(historyUntil(CREATE).toArray())
                    .andThenAggregate(AGGREGATE).published(failed(CREATE, true, "docker: connection refused"))
                    .andThenTimeElapses(ofSeconds(119))
                    .whenTimeElapses(ofSeconds(1))
                    .expectDispatchedCommands(new AbandonProvisioning(CONTAINER, OPERATION,
                            "Provisioning did not finish within 120 seconds; it was still trying to create the"
                                    + " container (last error: docker: connection refused)"));
        }

        @Test
        void theTimeoutNamesTheStepEvenWithoutAnError() throws Exception {
            sagaFixture(patient)
                    .givenAggregate(AGGREGATE).published(historyUntil(PLACEMENT).toArray())
                    .andThenTimeElapses(ofSeconds(119))
                    .whenTimeElapses(ofSeconds(1))
                    .expectDispatchedCommands(new AbandonProvisioning(CONTAINER, OPERATION,
                            "Provisioning did not finish within 120 seconds; it was still trying to choose a server"
                                    + " and reserve its GPUs"));
        }
    }

    @Nested
    class Compensation {

        @Test
        void aPermanentFailureIsNotRetried() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(historyUntil(CREATE).toArray())
                    .whenAggregate(AGGREGATE).publishes(failed(CREATE, false, "image gpudash:latest not found"))
                    .expectDispatchedCommands(new AbandonProvisioning(CONTAINER, OPERATION,
                            "Could not create the container: image gpudash:latest not found"))
                    // The timeout stays until the saga ends: this may run in a deadline handler, which cancels
                    // nothing, and it does nothing when it fires past PROVISIONING.
                    .expectScheduledDeadlineWithName(ANSWER_TIMEOUT, STEP_DEADLINE);
        }

        @Test
        void nothingToUndoBeforeAnyReservation() throws Exception {
            newFixture().givenAggregate(AGGREGATE)
                    .published(requested(), failed(PLACEMENT, false, "no server has room"))
                    .whenAggregate(AGGREGATE).publishes(abandoned("reason"))
                    .expectDispatchedCommands(new FailProvisioning(CONTAINER, OPERATION,
                            "Could not choose a server and reserve its GPUs: no server has room"));
        }

        @Test
        void aReservationWhosePlacementWasNeverRecordedIsGivenBack() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(requested())
                    .andThenAggregate(SERVER.value()).published(new ServerCapacityReserved(SERVER, CONTAINER, GPUS))
                    .andThenAggregate(AGGREGATE).published(failed(PLACEMENT, false, "worker crashed"))
                    .whenAggregate(AGGREGATE).publishes(abandoned("reason"))
                    .expectDispatchedCommands(new ReleaseServerCapacity(SERVER, CONTAINER),
                            new FailProvisioning(CONTAINER, OPERATION,
                                    "Could not choose a server and reserve its GPUs: worker crashed"));
        }

        @Test
        void afterTheWorkspaceOnlyTheGpusAreGivenBack() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(abandonedAt(WORKSPACE).toArray())
                    .whenAggregate(AGGREGATE).publishes(abandoned("reason"))
                    .expectDispatchedCommands(new ReleaseServerCapacity(SERVER, CONTAINER),
                            new FailProvisioning(CONTAINER, OPERATION, "Could not prepare the workspace: disk full"));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = ContainerStep.class, names = {"CREATE", "START"})
        void aContainerThatMayExistIsRemovedBeforeTheGpusAreGivenBack(ContainerStep failing) throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(abandonedAt(failing).toArray())
                    .whenAggregate(AGGREGATE).publishes(abandoned("reason"))
                    .expectDispatchedCommands(command(REMOVE));
            newFixture().givenAggregate(AGGREGATE).published(abandonedAt(failing).toArray())
                    .andThenAggregate(AGGREGATE).published(abandoned("reason"))
                    .whenAggregate(AGGREGATE).publishes(containerRemoved())
                    .expectDispatchedCommands(new ReleaseServerCapacity(SERVER, CONTAINER),
                            new FailProvisioning(CONTAINER, OPERATION,
                                    "Could not " + failing.description() + ": reason"));
        }

        @Test
        void routeThenContainerThenGpusAreUndoneInReverseOrder() throws Exception {
            List<Object> history = abandonedAt(ROUTE);
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenAggregate(AGGREGATE).publishes(abandoned("reason"))
                    .expectDispatchedCommands(command(UNROUTE));
            history.add(abandoned("reason"));
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenAggregate(AGGREGATE).publishes(new RouteDeactivated(CONTAINER, OPERATION, "/ada/"))
                    .expectDispatchedCommands(command(REMOVE));
            history.add(new RouteDeactivated(CONTAINER, OPERATION, "/ada/"));
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenAggregate(AGGREGATE).publishes(containerRemoved())
                    .expectDispatchedCommands(new ReleaseServerCapacity(SERVER, CONTAINER),
                            new FailProvisioning(CONTAINER, OPERATION, "Could not publish the web route: reason"))
                    .expectActiveSagas(1);
            history.add(containerRemoved());
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenAggregate(AGGREGATE).publishes(new ProvisioningFailed(CONTAINER, OPERATION, "reason"))
                    .expectActiveSagas(0)
                    .expectNoScheduledDeadlines();
        }

        @Test
        void aCompensationStepIsRetriedLikeAnyStep() throws Exception {
            List<Object> history = abandonedAt(CREATE);
            history.add(abandoned("reason"));
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenAggregate(AGGREGATE).publishes(failed(REMOVE, true, "docker: connection refused"))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineWithName(SETTINGS.retryDelay(CONTAINER, REMOVE, 1), STEP_DEADLINE);
            history.add(failed(REMOVE, true, "docker: connection refused"));
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenTimeElapses(SETTINGS.retryDelay(CONTAINER, REMOVE, 1))
                    .expectDispatchedCommands(command(REMOVE));
        }

        @Test
        void whatCannotBeUndoneIsNamedInTheReasonAndTheRestIsStillUndone() throws Exception {
            List<Object> history = abandonedAt(ROUTE);
            history.add(abandoned("reason"));
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenAggregate(AGGREGATE).publishes(failed(UNROUTE, false, "nginx: config test failed"))
                    .expectDispatchedCommands(command(REMOVE));
            history.add(failed(UNROUTE, false, "nginx: config test failed"));
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenAggregate(AGGREGATE).publishes(containerRemoved())
                    .expectDispatchedCommands(new ReleaseServerCapacity(SERVER, CONTAINER),
                            new FailProvisioning(CONTAINER, OPERATION, "Could not publish the web route: reason."
                                    + " Cleaning up failed too: Could not remove the web route: nginx: config test"
                                    + " failed"));
        }

        @Test
        void theAbandonmentIsAskedForAgainWhenItIsNotRecorded() throws Exception {
            newFixture().givenAggregate(AGGREGATE)
                    .published(requested(), failed(PLACEMENT, false, "no server has room"))
                    .whenTimeElapses(ANSWER_TIMEOUT)
                    .expectDispatchedCommands(new AbandonProvisioning(CONTAINER, OPERATION,
                            "Could not choose a server and reserve its GPUs: no server has room"));
        }

        @Test
        void theFailureIsAskedForAgainWhenItIsNotRecorded() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(abandonedAt(WORKSPACE).toArray())
                    .andThenAggregate(AGGREGATE).published(abandoned("reason"))
                    .whenTimeElapses(ANSWER_TIMEOUT)
                    .expectDispatchedCommands(new ReleaseServerCapacity(SERVER, CONTAINER),
                            new FailProvisioning(CONTAINER, OPERATION, "Could not prepare the workspace: disk full"));
        }

        /** The aggregate recorded the last step before the abandonment: the container runs, nothing is undone. */
        @Test
        void aSuccessThatWinsTheRaceWithTheAbandonmentEndsTheSaga() throws Exception {
            List<Object> history = abandonedAt(ROUTE);
            history.add(new RouteActivated(CONTAINER, OPERATION, "/ada/", "https://dash.example.org/ada/"));
            newFixture().givenAggregate(AGGREGATE).published(history.toArray())
                    .whenAggregate(AGGREGATE).publishes(new ContainerProvisioned(CONTAINER, OPERATION))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(0)
                    .expectNoScheduledDeadlines();
        }

        @Test
        void anAnswerRecordedBeforeTheAbandonmentDoesNotMoveOn() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(abandonedAt(CREATE).toArray())
                    .whenAggregate(AGGREGATE).publishes(success(CREATE))
                    .expectNoDispatchedCommands();
        }
    }

    @Nested
    class Reservations {

        @Test
        void aReservationOnAServerThatWasNotChosenIsGivenBack() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(requested())
                    .andThenAggregate(OTHER_SERVER.value())
                    .published(new ServerCapacityReserved(OTHER_SERVER, CONTAINER, GPUS))
                    .andThenAggregate(SERVER.value()).published(new ServerCapacityReserved(SERVER, CONTAINER, GPUS))
                    .whenAggregate(AGGREGATE).publishes(success(PLACEMENT))
                    .expectDispatchedCommands(new ReleaseServerCapacity(OTHER_SERVER, CONTAINER),
                            command(WORKSPACE));
        }

        @Test
        void aReservationAfterThePlacementOnAnotherServerIsGivenBack() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(historyUntil(WORKSPACE).toArray())
                    .whenAggregate(OTHER_SERVER.value())
                    .publishes(new ServerCapacityReserved(OTHER_SERVER, CONTAINER, GPUS))
                    .expectDispatchedCommands(new ReleaseServerCapacity(OTHER_SERVER, CONTAINER));
        }

        @Test
        void theChosenServersReservationIsKept() throws Exception {
            newFixture().givenAggregate(AGGREGATE).published(historyUntil(WORKSPACE).toArray())
                    .whenAggregate(SERVER.value()).publishes(new ServerCapacityReserved(SERVER, CONTAINER, GPUS))
                    .expectNoDispatchedCommands();
        }
    }

    /** The events of a provisioning that has just sent {@code step}: every earlier step succeeded. */
    private static List<Object> historyUntil(ContainerStep step) {
        List<Object> history = new ArrayList<>();
        history.add(requested());
        for (ContainerStep done : List.of(PLACEMENT, WORKSPACE, CREATE, START)) {
            if (done.compareTo(step) >= 0) {
                break;
            }
            if (done == PLACEMENT) {
                history.add(new ServerCapacityReserved(SERVER, CONTAINER, GPUS));
            }
            history.add(success(done));
        }
        return history;
    }

    /** A provisioning that failed for good at {@code step} and asked for abandonment. */
    private static List<Object> abandonedAt(ContainerStep step) {
        List<Object> history = historyUntil(step);
        history.add(failed(step, false, step == WORKSPACE ? "disk full" : "reason"));
        return history;
    }

    private static ContainerRequested requested() {
        return new ContainerRequested(CONTAINER, USER, "ada", null, 2, OPERATION);
    }

    private static Object success(ContainerStep step) {
        return switch (step) {
            case PLACEMENT -> new ContainerPlaced(CONTAINER, OPERATION, SERVER, GPUS);
            case WORKSPACE -> new WorkspacePrepared(CONTAINER, OPERATION);
            case CREATE -> new DockerContainerCreated(CONTAINER, OPERATION, "c0ffee", "gpudash-ada", "gpu-dev-env:latest", 4.0, 17179869184L);
            case START -> new DockerContainerStarted(CONTAINER, OPERATION, HOST_PORT);
            default -> throw new IllegalArgumentException(step + " has no success event in these tests");
        };
    }

    private static Object command(ContainerStep step) {
        return switch (step) {
            case PLACEMENT -> place();
            case WORKSPACE -> new PrepareWorkspace(CONTAINER, OPERATION, SERVER, "ada");
            case CREATE -> new CreateDockerContainer(CONTAINER, OPERATION, SERVER, "ada", "gpudash-ada", GPUS);
            case START -> new StartDockerContainer(CONTAINER, OPERATION, SERVER, "gpudash-ada");
            case ROUTE -> new ActivateRoute(CONTAINER, OPERATION, SERVER, "/ada/", HOST_PORT);
            case UNROUTE -> new DeactivateRoute(CONTAINER, OPERATION, "/ada/");
            case REMOVE -> new RemoveDockerContainer(CONTAINER, OPERATION, SERVER, "gpudash-ada");
            case STOP -> throw new IllegalArgumentException("Provisioning never stops a container");
        };
    }

    private static PlaceContainer place() {
        return new PlaceContainer(CONTAINER, OPERATION, null, 2);
    }

    private static ContainerStepFailed failed(ContainerStep step, boolean retriable, String reason) {
        return new ContainerStepFailed(CONTAINER, OPERATION, step, reason, retriable);
    }

    private static ProvisioningAbandoned abandoned(String reason) {
        return new ProvisioningAbandoned(CONTAINER, OPERATION, reason);
    }

    private static DockerContainerRemoved containerRemoved() {
        return new DockerContainerRemoved(CONTAINER, OPERATION, "gpudash-ada");
    }
}
