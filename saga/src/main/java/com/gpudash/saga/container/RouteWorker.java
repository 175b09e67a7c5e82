package com.gpudash.saga.container;

import java.util.concurrent.Executor;

import com.gpudash.agent.Route;
import com.gpudash.api.container.ContainerStep;
import com.gpudash.api.container.RecordRouteActivated;
import com.gpudash.api.container.RecordRouteDeactivated;
import com.gpudash.api.container.step.ActivateRoute;
import com.gpudash.api.container.step.DeactivateRoute;
import com.gpudash.saga.worker.AfterCommit;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Publishes and withdraws users' routes on nginx. The user's url is the route's path: the dashboard and the routes
 * are served by the same nginx {@code server} block, so the path alone reaches the container from the dashboard.
 */
@Component
class RouteWorker {

    private final RoutePublisher routes;
    private final ContainerReadModels readModels;
    private final StepReporter reporter;
    private final Executor executor;

    RouteWorker(RoutePublisher routes, ContainerReadModels readModels, CommandGateway commands,
                @Qualifier("workerExecutor") Executor executor) {
        this.routes = routes;
        this.readModels = readModels;
        this.reporter = new StepReporter(commands);
        this.executor = executor;
    }

    @CommandHandler
    void handle(ActivateRoute command) {
        AfterCommit.run(executor, () -> reporter.report(command.containerId(), command.operationId(),
                ContainerStep.ROUTE, () -> {
                    Route route = new Route(username(command.routePath()), readModels.serverHost(command.serverId()),
                            command.hostPort());
                    routes.publish(route);
                    return new RecordRouteActivated(command.containerId(), command.operationId(), route.path(),
                            route.path());
                }));
    }

    @CommandHandler
    void handle(DeactivateRoute command) {
        AfterCommit.run(executor, () -> reporter.report(command.containerId(), command.operationId(),
                ContainerStep.UNROUTE, () -> {
                    routes.withdraw(username(command.routePath()));
                    return new RecordRouteDeactivated(command.containerId(), command.operationId());
                }));
    }

    /** The route path is {@code /<username>/} (ContainerNames.routePath). */
    private static String username(String routePath) {
        if (!routePath.startsWith("/") || !routePath.endsWith("/") || routePath.length() < 3) {
            throw new IllegalArgumentException("not a route path: " + routePath);
        }
        return routePath.substring(1, routePath.length() - 1);
    }
}
