package com.gpudash.command.container;

import static com.gpudash.api.container.ContainerStatus.FAILED;
import static com.gpudash.api.container.ContainerStatus.PROVISIONING;
import static com.gpudash.api.container.ContainerStatus.REMOVED;
import static com.gpudash.api.container.ContainerStatus.REMOVING;
import static com.gpudash.api.container.ContainerStatus.REQUESTED;
import static com.gpudash.api.container.ContainerStatus.RUNNING;
import static com.gpudash.api.container.ContainerStatus.STOPPED;
import static com.gpudash.command.DomainRefusals.expectConflict;
import static com.gpudash.command.DomainRefusals.withReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.gpudash.api.DomainException;
import com.gpudash.api.container.AbandonProvisioning;
import com.gpudash.api.container.ContainerAlreadyRunning;
import com.gpudash.api.container.ContainerAlreadyStopped;
import com.gpudash.api.container.ContainerFoundMissing;
import com.gpudash.api.container.ContainerId;
import com.gpudash.api.container.ContainerOperationFailed;
import com.gpudash.api.container.ContainerPlaced;
import com.gpudash.api.container.ContainerProvisioned;
import com.gpudash.api.container.ContainerRemovalFailed;
import com.gpudash.api.container.ContainerRemovalRequested;
import com.gpudash.api.container.ContainerRemoved;
import com.gpudash.api.container.ContainerRequested;
import com.gpudash.api.container.ContainerStartRequested;
import com.gpudash.api.container.ContainerStarted;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.ContainerStatusDrifted;
import com.gpudash.api.container.ContainerStepFailed;
import com.gpudash.api.container.ContainerStopRequested;
import com.gpudash.api.container.DockerContainerCreated;
import com.gpudash.api.container.DockerContainerRemoved;
import com.gpudash.api.container.DockerContainerStarted;
import com.gpudash.api.container.DockerContainerStopped;
import com.gpudash.api.container.FailProvisioning;
import com.gpudash.api.container.FailRemoval;
import com.gpudash.api.operation.OperationId;
import com.gpudash.api.container.ProvisioningAbandoned;
import com.gpudash.api.container.ProvisioningFailed;
import com.gpudash.api.container.RecordContainerDrift;
import com.gpudash.api.container.RecordContainerMissing;
import com.gpudash.api.container.RecordContainerPlaced;
import com.gpudash.api.container.RecordDockerContainerCreated;
import com.gpudash.api.container.RecordDockerContainerRemoved;
import com.gpudash.api.container.RecordDockerContainerStarted;
import com.gpudash.api.container.RecordDockerContainerStopped;
import com.gpudash.api.container.RecordRouteActivated;
import com.gpudash.api.container.RecordRouteDeactivated;
import com.gpudash.api.container.RecordStepFailed;
import com.gpudash.api.container.RecordWorkspacePrepared;
import com.gpudash.api.container.RemoveContainer;
import com.gpudash.api.container.RequestContainer;
import com.gpudash.api.container.RouteActivated;
import com.gpudash.api.container.RouteDeactivated;
import com.gpudash.api.container.StartContainer;
import com.gpudash.api.container.StopContainer;
import com.gpudash.api.container.WorkspacePrepared;
import com.gpudash.api.server.ServerId;
import com.gpudash.api.user.UserId;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerAssignmentTest {

    private static final UserId USER = UserId.of("6a1c2f0e-3b4d-4c5e-8f70-9a8b7c6d5e4f");
    private static final ContainerId CONTAINER = ContainerId.forUser(USER);
    private static final ServerId SERVER = ServerId.of("5e0d6c1a-2b3c-4d5e-8f60-7a8b9c0d1e2f");
    private static final ServerId OTHER_SERVER = ServerId.of("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    /** The provisioning. */
    private static final OperationId PROVISION = OperationId.of("00000000-0000-4000-8000-000000000001");
    /** The operation under test, after the history. */
    private static final OperationId NEXT = OperationId.of("00000000-0000-4000-8000-000000000002");
    private static final OperationId EARLIER_STOP = OperationId.of("00000000-0000-4000-8000-000000000003");
    private static final OperationId EARLIER_REMOVAL = OperationId.of("00000000-0000-4000-8000-000000000004");
    private static final OperationId LATER = OperationId.of("00000000-0000-4000-8000-000000000005");
    private static final List<String> GPUS = List.of("GPU-aaaa");
    private static final String URL = "https://dash.example.org/ada/";

    private AggregateTestFixture<ContainerAssignment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ContainerAssignment.class);
    }

    @Test
    void isOneContainerPerUser() {
        assertThat(ContainerId.forUser(USER)).isEqualTo(CONTAINER);
        assertThat(ContainerId.forUser(UserId.random())).isNotEqualTo(CONTAINER);
    }

    @Nested
    class Requesting {

        @Test
        void theFirstRequestCreatesTheContainer() {
            fixture.givenNoPriorActivity()
                    .when(new RequestContainer(CONTAINER, USER, "ada", null, 1, PROVISION))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(requested());
        }

        @Test
        void aFailedContainerMayBeRequestedAgainOnAnotherServer() {
            fixture.given(historyOf(FAILED))
                    .when(new RequestContainer(CONTAINER, USER, "ada", OTHER_SERVER, 2, NEXT))
                    .expectEvents(new ContainerRequested(CONTAINER, USER, "ada", OTHER_SERVER, 2, NEXT));
        }

        @Test
        void theSameRequestTwiceRecordsNothing() {
            fixture.given(requested())
                    .when(new RequestContainer(CONTAINER, USER, "ada", null, 1, PROVISION))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anotherRequestWhileOneIsInFlightIsRefused() {
            expectConflict(fixture.given(historyOf(PROVISIONING))
                            .when(new RequestContainer(CONTAINER, USER, "ada", null, 1, NEXT)),
                    containsString("is PROVISIONING; a new provisioning requires status FAILED (operation " + PROVISION
                            + " is in progress)"));
        }

        @Test
        void theContainerIdMustBeTheUsers() {
            fixture.givenNoPriorActivity()
                    .when(new RequestContainer(ContainerId.forUser(UserId.random()), USER, "ada", null, 1, PROVISION))
                    .expectException(withReason(DomainException.Reason.INVALID))
                    .expectExceptionMessage(containsString("is not the one of user " + USER))
                    .expectNoEvents();
        }

        @Test
        void theUsernameMustBeOneThatCanNameAContainerAndARoute() {
            for (String username : new String[]{"Ada", "../etc", "ada lovelace", "a"}) {
                fixture.givenNoPriorActivity()
                        .when(new RequestContainer(CONTAINER, USER, username, null, 1, PROVISION))
                        .expectException(withReason(DomainException.Reason.INVALID))
                        .expectExceptionMessage(containsString("Username '" + username + "' does not match"))
                        .expectNoEvents();
            }
        }

        @Test
        void theGpuCountMustNotBeNegative() {
            fixture.givenNoPriorActivity()
                    .when(new RequestContainer(CONTAINER, USER, "ada", null, -1, PROVISION))
                    .expectException(withReason(DomainException.Reason.INVALID))
                    .expectExceptionMessage("gpuCount must not be negative, got -1")
                    .expectNoEvents();
        }
    }

    /** The commands a person sends (through the HTTP layer), from every status. */
    @Nested
    class Transitions {

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("allowedTransitions")
        void allowed(ContainerStatus from, Object command, List<Object> expectedEvents) {
            fixture.given(historyOf(from))
                    .when(command)
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(expectedEvents.toArray());
        }

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("refusedTransitions")
        void refused(ContainerStatus from, Object command) {
            expectConflict(fixture.given(historyOf(from)).when(command), containsString("is " + from + ";"));
        }

        @Test
        void theMatrixHoldsEveryStatusAndCommandExactlyOnce() {
            Set<String> pairs = new HashSet<>();
            Stream.concat(allowedTransitions(), refusedTransitions()).forEach(arguments -> {
                Object[] values = arguments.get();
                assertThat(pairs.add(values[0] + " " + values[1])).as("%s %s twice", values[0], values[1]).isTrue();
            });
            Set<String> everyPair = new HashSet<>();
            for (ContainerStatus status : ContainerStatus.values()) {
                commands().forEach(command -> everyPair.add(status + " " + command));
            }
            assertThat(pairs).isEqualTo(everyPair);
        }

        static Stream<Arguments> allowedTransitions() {
            return Stream.of(
                    arguments(FAILED, request(), List.of(new ContainerRequested(CONTAINER, USER, "ada", null, 1,
                            NEXT))),
                    arguments(FAILED, remove(), List.of(new ContainerRemoved(CONTAINER, NEXT, null))),
                    arguments(RUNNING, start(), List.of(new ContainerAlreadyRunning(CONTAINER, NEXT))),
                    arguments(RUNNING, stop(), List.of(new ContainerStopRequested(CONTAINER, NEXT, SERVER,
                            "gpudash-ada"))),
                    arguments(RUNNING, remove(), List.of(new ContainerRemovalRequested(CONTAINER, NEXT, SERVER,
                            "gpudash-ada", "/ada/"))),
                    arguments(STOPPED, start(), List.of(new ContainerStartRequested(CONTAINER, NEXT, SERVER,
                            "gpudash-ada"))),
                    arguments(STOPPED, stop(), List.of(new ContainerAlreadyStopped(CONTAINER, NEXT))),
                    arguments(STOPPED, remove(), List.of(new ContainerRemovalRequested(CONTAINER, NEXT, SERVER,
                            "gpudash-ada", "/ada/"))));
        }

        static Stream<Arguments> refusedTransitions() {
            return Stream.of(
                    arguments(REQUESTED, request()),
                    arguments(REQUESTED, start()),
                    arguments(REQUESTED, stop()),
                    arguments(REQUESTED, remove()),
                    arguments(PROVISIONING, request()),
                    arguments(PROVISIONING, start()),
                    arguments(PROVISIONING, stop()),
                    arguments(PROVISIONING, remove()),
                    arguments(RUNNING, request()),
                    arguments(STOPPED, request()),
                    arguments(FAILED, start()),
                    arguments(FAILED, stop()),
                    arguments(REMOVING, request()),
                    arguments(REMOVING, start()),
                    arguments(REMOVING, stop()),
                    arguments(REMOVING, remove()),
                    arguments(REMOVED, request()),
                    arguments(REMOVED, start()),
                    arguments(REMOVED, stop()),
                    arguments(REMOVED, remove()));
        }

        private static List<Object> commands() {
            return List.of(request(), start(), stop(), remove());
        }

        // Named so that a failing case reads "RUNNING: StartContainer", not the record's whole toString.
        private static Object request() {
            return named("RequestContainer", new RequestContainer(CONTAINER, USER, "ada", null, 1, NEXT));
        }

        private static Object start() {
            return named("StartContainer", new StartContainer(CONTAINER, NEXT));
        }

        private static Object stop() {
            return named("StopContainer", new StopContainer(CONTAINER, NEXT));
        }

        private static Object remove() {
            return named("RemoveContainer", new RemoveContainer(CONTAINER, NEXT));
        }
    }

    @Nested
    class Provisioning {

        @Test
        void recordsEveryStepInOrderAndEndsRunning() {
            fixture.given(requested())
                    .when(new RecordContainerPlaced(CONTAINER, PROVISION, SERVER, GPUS))
                    .expectEvents(placed());
            fixture.given(requested(), placed())
                    .when(new RecordWorkspacePrepared(CONTAINER, PROVISION))
                    .expectEvents(workspacePrepared());
            fixture.given(requested(), placed(), workspacePrepared())
                    .when(new RecordDockerContainerCreated(CONTAINER, PROVISION, "c0ffee", "gpudash-ada", "gpu-dev-env:latest", 4.0, 17179869184L))
                    .expectEvents(created());
            fixture.given(requested(), placed(), workspacePrepared(), created())
                    .when(new RecordDockerContainerStarted(CONTAINER, PROVISION, 32768))
                    .expectEvents(started());
            fixture.given(requested(), placed(), workspacePrepared(), created(), started())
                    .when(new RecordRouteActivated(CONTAINER, PROVISION, "/ada/", URL))
                    .expectEvents(new RouteActivated(CONTAINER, PROVISION, "/ada/", URL),
                            new ContainerProvisioned(CONTAINER, PROVISION));
        }

        @Test
        void anAnswerOutOfOrderIsRefused() {
            expectConflict(fixture.given(requested())
                            .when(new RecordDockerContainerCreated(CONTAINER, PROVISION, "c0ffee", "gpudash-ada", "gpu-dev-env:latest", 4.0, 17179869184L)),
                    containsString("awaits the answer to step PLACEMENT, not CREATE"));
            expectConflict(fixture.given(requested(), placed())
                            .when(new RecordRouteActivated(CONTAINER, PROVISION, "/ada/", URL)),
                    containsString("awaits the answer to step WORKSPACE, not ROUTE"));
        }

        /** A step re-sent after a lost answer may run twice, and both runs answer. */
        @Test
        void theSameAnswerTwiceRecordsNothing() {
            List<Object> untilStarted = List.of(requested(), placed(), workspacePrepared(), created(), started());
            for (Object answer : List.of(new RecordContainerPlaced(CONTAINER, PROVISION, SERVER, GPUS),
                    new RecordWorkspacePrepared(CONTAINER, PROVISION),
                    new RecordDockerContainerCreated(CONTAINER, PROVISION, "c0ffee", "gpudash-ada", "gpu-dev-env:latest", 4.0, 17179869184L),
                    new RecordDockerContainerStarted(CONTAINER, PROVISION, 32768))) {
                fixture.given(untilStarted)
                        .when(answer)
                        .expectSuccessfulHandlerExecution()
                        .expectNoEvents();
            }
        }

        @Test
        void anAnswerThatContradictsARecordedOneIsRefused() {
            expectConflict(fixture.given(requested(), placed())
                            .when(new RecordContainerPlaced(CONTAINER, PROVISION, OTHER_SERVER, List.of("GPU-zzzz"))),
                    containsString("has a different answer to step PLACEMENT already"));
            expectConflict(fixture.given(requested(), placed(), workspacePrepared(), created(), started())
                            .when(new RecordDockerContainerStarted(CONTAINER, PROVISION, 40000)),
                    containsString("has a different answer to step START already"));
        }

        @Test
        void anAnswerForAnotherOperationIsRefused() {
            expectConflict(fixture.given(requested())
                            .when(new RecordContainerPlaced(CONTAINER, NEXT, SERVER, GPUS)),
                    containsString("has no operation " + NEXT + " in progress"));
        }

        @Test
        void thePlacementMustReserveTheRequestedNumberOfGpus() {
            fixture.given(requested())
                    .when(new RecordContainerPlaced(CONTAINER, PROVISION, SERVER, List.of("GPU-aaaa", "GPU-bbbb")))
                    .expectException(withReason(DomainException.Reason.INVALID))
                    .expectExceptionMessage(containsString("asked for 1 GPU(s); the placement reserved 2"))
                    .expectNoEvents();
        }

        @Test
        void recordsAFailureOfTheAwaitedStep() {
            fixture.given(requested(), placed())
                    .when(new RecordStepFailed(CONTAINER, PROVISION, ContainerStep.WORKSPACE, "ssh: timeout", true))
                    .expectEvents(new ContainerStepFailed(CONTAINER, PROVISION, ContainerStep.WORKSPACE,
                            "ssh: timeout", true));
        }

        @Test
        void refusesAFailureOfAStepThatIsNotAwaited() {
            expectConflict(fixture.given(requested(), placed())
                            .when(new RecordStepFailed(CONTAINER, PROVISION, ContainerStep.PLACEMENT, "late", true)),
                    containsString("awaits the answer to step WORKSPACE, not PLACEMENT"));
        }
    }

    @Nested
    class Compensation {

        @Test
        void abandoningIsRecordedOnce() {
            fixture.given(requested(), placed())
                    .when(new AbandonProvisioning(CONTAINER, PROVISION, "too slow"))
                    .expectEvents(new ProvisioningAbandoned(CONTAINER, PROVISION, "too slow"));
            fixture.given(requested(), placed(), abandoned())
                    .when(new AbandonProvisioning(CONTAINER, PROVISION, "too slow"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        /** The timeout and the last answer may cross: whichever the aggregate records first wins. */
        @Test
        void aSuccessAfterAbandoningIsTooLate() {
            expectConflict(fixture.given(requested(), placed(), workspacePrepared(), created(), started(), abandoned())
                            .when(new RecordRouteActivated(CONTAINER, PROVISION, "/ada/", URL)),
                    containsString("was abandoned; the answer to step ROUTE is too late"));
        }

        @Test
        void abandoningAProvisionedContainerIsRefused() {
            expectConflict(fixture.given(historyOf(RUNNING))
                            .when(new AbandonProvisioning(CONTAINER, PROVISION, "too slow")),
                    containsString("is RUNNING; abandoning requires status REQUESTED or PROVISIONING"));
        }

        @Test
        void recordsRouteAndContainerTakenDownOnce() {
            List<Object> history = List.of(requested(), placed(), workspacePrepared(), created(), started(),
                    abandoned());
            fixture.given(history)
                    .when(new RecordRouteDeactivated(CONTAINER, PROVISION))
                    .expectEvents(new RouteDeactivated(CONTAINER, PROVISION, "/ada/"));
            fixture.given(concat(history, new RouteDeactivated(CONTAINER, PROVISION, "/ada/")))
                    .when(new RecordRouteDeactivated(CONTAINER, PROVISION))
                    .expectNoEvents();
            fixture.given(concat(history, new RouteDeactivated(CONTAINER, PROVISION, "/ada/")))
                    .when(new RecordDockerContainerRemoved(CONTAINER, PROVISION))
                    .expectEvents(new DockerContainerRemoved(CONTAINER, PROVISION, "gpudash-ada"));
            fixture.given(concat(history, new DockerContainerRemoved(CONTAINER, PROVISION, "gpudash-ada")))
                    .when(new RecordDockerContainerRemoved(CONTAINER, PROVISION))
                    .expectNoEvents();
        }

        @Test
        void takingDownWithoutAbandoningIsRefused() {
            expectConflict(fixture.given(requested(), placed(), workspacePrepared(), created())
                            .when(new RecordDockerContainerRemoved(CONTAINER, PROVISION)),
                    containsString("is PROVISIONING and not being taken down"));
        }

        @Test
        void recordsAFailedCompensationStepButNoOtherFailure() {
            fixture.given(requested(), placed(), workspacePrepared(), created(), abandoned())
                    .when(new RecordStepFailed(CONTAINER, PROVISION, ContainerStep.REMOVE, "docker: down", true))
                    .expectEvents(new ContainerStepFailed(CONTAINER, PROVISION, ContainerStep.REMOVE, "docker: down",
                            true));
            expectConflict(fixture.given(requested(), placed(), workspacePrepared(), created(), abandoned())
                            .when(new RecordStepFailed(CONTAINER, PROVISION, ContainerStep.START, "late", false)),
                    containsString("is being taken down; a failure of step START is not wanted"));
        }

        @Test
        void failingEndsTheProvisioningFailed() {
            fixture.given(requested(), placed(), abandoned())
                    .when(new FailProvisioning(CONTAINER, PROVISION, "Could not prepare the workspace: disk full"))
                    .expectEvents(new ProvisioningFailed(CONTAINER, PROVISION,
                            "Could not prepare the workspace: disk full"));
        }
    }

    @Nested
    class StartAndStop {

        @Test
        void aStartedContainerIsRunning() {
            List<Object> starting = concat(historyOf(STOPPED),
                    new ContainerStartRequested(CONTAINER, NEXT, SERVER, "gpudash-ada"));
            fixture.given(starting)
                    .when(new RecordDockerContainerStarted(CONTAINER, NEXT, 32768))
                    .expectEvents(new ContainerStarted(CONTAINER, NEXT, 32768));
            fixture.given(concat(starting, new ContainerStarted(CONTAINER, NEXT, 32768)))
                    .when(new StartContainer(CONTAINER, LATER))
                    .expectEvents(new ContainerAlreadyRunning(CONTAINER, LATER));
        }

        @Test
        void aStoppedContainerIsStopped() {
            List<Object> stopping = concat(historyOf(RUNNING),
                    new ContainerStopRequested(CONTAINER, NEXT, SERVER, "gpudash-ada"));
            fixture.given(stopping)
                    .when(new RecordDockerContainerStopped(CONTAINER, NEXT))
                    .expectEvents(new DockerContainerStopped(CONTAINER, NEXT));
        }

        @Test
        void oneOperationAtATime() {
            List<Object> starting = concat(historyOf(STOPPED),
                    new ContainerStartRequested(CONTAINER, NEXT, SERVER, "gpudash-ada"));
            expectConflict(fixture.given(starting).when(new StopContainer(CONTAINER, OperationId.random())),
                    containsString("is busy with operation " + NEXT));
            fixture.given(starting)
                    .when(new StartContainer(CONTAINER, NEXT))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aFailedStartFailsTheOperationAndLeavesTheContainerStopped() {
            List<Object> starting = concat(historyOf(STOPPED),
                    new ContainerStartRequested(CONTAINER, NEXT, SERVER, "gpudash-ada"));
            fixture.given(starting)
                    .when(new RecordStepFailed(CONTAINER, NEXT, ContainerStep.START, "docker: no such container",
                            false))
                    .expectEvents(new ContainerOperationFailed(CONTAINER, NEXT,
                            "Could not start the container: docker: no such container"));
            fixture.given(concat(starting, new ContainerOperationFailed(CONTAINER, NEXT, "Could not start")))
                    .when(new StopContainer(CONTAINER, LATER))
                    .expectEvents(new ContainerAlreadyStopped(CONTAINER, LATER));
        }

        @Test
        void aFailureOfAnotherStepIsRefused() {
            expectConflict(fixture.given(concat(historyOf(STOPPED),
                                    new ContainerStartRequested(CONTAINER, NEXT, SERVER, "gpudash-ada")))
                            .when(new RecordStepFailed(CONTAINER, NEXT, ContainerStep.STOP, "?", false)),
                    containsString("awaits the answer to step START, not STOP"));
        }

        @Test
        void anAnswerWithoutAnOperationIsRefused() {
            expectConflict(fixture.given(historyOf(RUNNING)).when(new RecordDockerContainerStopped(CONTAINER, NEXT)),
                    containsString("has no operation " + NEXT + " in progress"));
        }
    }

    @Nested
    class Removal {

        @Test
        void routeThenContainerGoAndTheContainerIsRemoved() {
            fixture.given(historyOf(REMOVING))
                    .when(new RecordRouteDeactivated(CONTAINER, EARLIER_REMOVAL))
                    .expectEvents(new RouteDeactivated(CONTAINER, EARLIER_REMOVAL, "/ada/"));
            fixture.given(concat(historyOf(REMOVING), new RouteDeactivated(CONTAINER, EARLIER_REMOVAL, "/ada/")))
                    .when(new RecordDockerContainerRemoved(CONTAINER, EARLIER_REMOVAL))
                    .expectEvents(new DockerContainerRemoved(CONTAINER, EARLIER_REMOVAL, "gpudash-ada"),
                            new ContainerRemoved(CONTAINER, EARLIER_REMOVAL, SERVER));
        }

        @Test
        void theSameRemovalTwiceRecordsNothing() {
            fixture.given(historyOf(REMOVING))
                    .when(new RemoveContainer(CONTAINER, EARLIER_REMOVAL))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void recordsAFailedStep() {
            fixture.given(historyOf(REMOVING))
                    .when(new RecordStepFailed(CONTAINER, EARLIER_REMOVAL, ContainerStep.UNROUTE, "nginx -t", false))
                    .expectEvents(new ContainerStepFailed(CONTAINER, EARLIER_REMOVAL, ContainerStep.UNROUTE,
                            "nginx -t", false));
        }

        @Test
        void aRemovalThatCannotFinishFailsKeepingItsServerAndMayBeAskedForAgain() {
            List<Object> failed = concat(historyOf(REMOVING),
                    new ContainerRemovalFailed(CONTAINER, EARLIER_REMOVAL, "Could not remove the container"));
            fixture.given(historyOf(REMOVING))
                    .when(new FailRemoval(CONTAINER, EARLIER_REMOVAL, "Could not remove the container"))
                    .expectEvents(new ContainerRemovalFailed(CONTAINER, EARLIER_REMOVAL,
                            "Could not remove the container"));
            fixture.given(failed)
                    .when(new FailRemoval(CONTAINER, EARLIER_REMOVAL, "Could not remove the container"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
            fixture.given(failed)
                    .when(new RemoveContainer(CONTAINER, NEXT))
                    .expectEvents(new ContainerRemovalRequested(CONTAINER, NEXT, SERVER, "gpudash-ada", "/ada/"));
            expectConflict(fixture.given(failed).when(new RequestContainer(CONTAINER, USER, "ada", null, 1, NEXT)),
                    containsString("failed to be removed and still holds server"));
        }

        @Test
        void aStartDuringARemovalIsRefused() {
            expectConflict(fixture.given(historyOf(REMOVING)).when(new StartContainer(CONTAINER, NEXT)),
                    containsString("is REMOVING; a start requires status RUNNING or STOPPED"));
        }
    }

    @Nested
    class Reconciliation {

        @Test
        void aContainerStoppedOrStartedOutsideTakesTheStatusFound() {
            fixture.given(historyOf(RUNNING))
                    .when(new RecordContainerDrift(CONTAINER, STOPPED, "exited"))
                    .expectEvents(new ContainerStatusDrifted(CONTAINER, RUNNING, STOPPED, "exited"));
            fixture.given(historyOf(STOPPED))
                    .when(new RecordContainerDrift(CONTAINER, RUNNING, "running"))
                    .expectEvents(new ContainerStatusDrifted(CONTAINER, STOPPED, RUNNING, "running"));
            fixture.given(historyOf(RUNNING))
                    .when(new RecordContainerDrift(CONTAINER, RUNNING, "running"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anOperationInProgressExplainsWhatIsFound() {
            List<Object> stopping = concat(historyOf(RUNNING),
                    new ContainerStopRequested(CONTAINER, NEXT, SERVER, "gpudash-ada"));
            expectConflict(fixture.given(stopping).when(new RecordContainerDrift(CONTAINER, STOPPED, "exited")),
                    containsString("is busy with operation"));
            expectConflict(fixture.given(stopping).when(new RecordContainerMissing(CONTAINER, SERVER, "gpudash-ada")),
                    containsString("is busy with operation"));
            expectConflict(fixture.given(historyOf(REMOVING))
                    .when(new RecordContainerMissing(CONTAINER, SERVER, "gpudash-ada")),
                    containsString("is REMOVING;"));
        }

        @Test
        void aMissingContainerFailsKeepingItsServerUntilItIsRemoved() {
            List<Object> missing = concat(historyOf(RUNNING), new ContainerFoundMissing(CONTAINER, SERVER,
                    "gpudash-ada", "Container gpudash-ada was not found on its server; remove it, then request a new one"));
            fixture.given(historyOf(RUNNING))
                    .when(new RecordContainerMissing(CONTAINER, SERVER, "gpudash-ada"))
                    .expectEvents(missing.get(missing.size() - 1));
            fixture.given(missing)
                    .when(new RemoveContainer(CONTAINER, NEXT))
                    .expectEvents(new ContainerRemovalRequested(CONTAINER, NEXT, SERVER, "gpudash-ada", "/ada/"));
        }
    }

    private static List<Object> historyOf(ContainerStatus status) {
        List<Object> running = List.of(requested(), placed(), workspacePrepared(), created(), started(),
                new RouteActivated(CONTAINER, PROVISION, "/ada/", URL), new ContainerProvisioned(CONTAINER, PROVISION));
        List<Object> stopped = concat(running, new ContainerStopRequested(CONTAINER, EARLIER_STOP, SERVER,
                "gpudash-ada"), new DockerContainerStopped(CONTAINER, EARLIER_STOP));
        List<Object> removing = concat(running, new ContainerRemovalRequested(CONTAINER, EARLIER_REMOVAL, SERVER,
                "gpudash-ada", "/ada/"));
        return switch (status) {
            case REQUESTED -> List.of(requested());
            case PROVISIONING -> List.of(requested(), placed());
            case RUNNING -> running;
            case STOPPED -> stopped;
            case FAILED -> List.of(requested(), placed(), abandoned(),
                    new ProvisioningFailed(CONTAINER, PROVISION, "Could not prepare the workspace: disk full"));
            case REMOVING -> removing;
            case REMOVED -> concat(removing, new RouteDeactivated(CONTAINER, EARLIER_REMOVAL, "/ada/"),
                    new DockerContainerRemoved(CONTAINER, EARLIER_REMOVAL, "gpudash-ada"),
                    new ContainerRemoved(CONTAINER, EARLIER_REMOVAL, SERVER));
        };
    }

    private static List<Object> concat(List<Object> history, Object... more) {
        List<Object> all = new ArrayList<>(history);
        all.addAll(List.of(more));
        return all;
    }

    private static ContainerRequested requested() {
        return new ContainerRequested(CONTAINER, USER, "ada", null, 1, PROVISION);
    }

    private static ContainerPlaced placed() {
        return new ContainerPlaced(CONTAINER, PROVISION, SERVER, GPUS);
    }

    private static WorkspacePrepared workspacePrepared() {
        return new WorkspacePrepared(CONTAINER, PROVISION);
    }

    private static DockerContainerCreated created() {
        return new DockerContainerCreated(CONTAINER, PROVISION, "c0ffee", "gpudash-ada", "gpu-dev-env:latest", 4.0, 17179869184L);
    }

    private static DockerContainerStarted started() {
        return new DockerContainerStarted(CONTAINER, PROVISION, 32768);
    }

    private static ProvisioningAbandoned abandoned() {
        return new ProvisioningAbandoned(CONTAINER, PROVISION, "too slow");
    }
}
