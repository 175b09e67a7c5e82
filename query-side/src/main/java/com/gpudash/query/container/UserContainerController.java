package com.gpudash.query.container;

import java.util.List;

import com.gpudash.api.DomainException;
import com.gpudash.api.container.ContainerStatus;
import com.gpudash.api.container.ContainerView;
import com.gpudash.api.user.Caller;
import com.gpudash.api.user.UserView;
import com.gpudash.query.user.UserViews;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The caller's own container and the web services it offers, read through R2DBC. */
@RestController
class UserContainerController {

    /** One web service per container today: what the container serves on its service port, behind its route. */
    record Service(String name, String url) {
    }

    record Services(UserView user, ContainerView container, List<Service> services) {
    }

    private final ContainerViews containers;
    private final UserViews users;

    UserContainerController(ContainerViews containers, UserViews users) {
        this.containers = containers;
        this.users = users;
    }

    @GetMapping("/api/user/container/status")
    Mono<ContainerView> status(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return containers.ofUser(caller.userId())
                .filter(container -> container.status() != ContainerStatus.REMOVED)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("You have no container")));
    }

    @GetMapping("/api/user/services")
    Mono<Services> services(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Mono<ContainerView> container = containers.ofUser(caller.userId())
                .filter(view -> view.status() != ContainerStatus.REMOVED);
        return users.caller(caller)
                .zipWith(container.map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty()))
                .map(pair -> {
                    ContainerView view = pair.getT2().orElse(null);
                    List<Service> services = view != null && view.status() == ContainerStatus.RUNNING && view.url() != null
                            ? List.of(new Service("web", view.url())) : List.of();
                    return new Services(pair.getT1(), view, services);
                });
    }
}
