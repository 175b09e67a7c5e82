package com.gpudash.saga.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import com.gpudash.agent.ContainerRuntime;
import com.gpudash.agent.DockerEndpoint;
import com.gpudash.agent.SshTarget;
import com.gpudash.agent.docker.DockerContainerRuntime;
import com.gpudash.agent.docker.DockerSettings;
import com.gpudash.api.DomainException;
import com.gpudash.api.image.FetchServerImage;
import com.gpudash.api.image.FetchServerImages;
import com.gpudash.api.image.ImageView;
import com.gpudash.api.image.ServerImages;
import com.gpudash.api.server.ServerConnection;
import com.gpudash.api.server.ServerId;
import com.gpudash.saga.worker.ServerConnections;
import com.gpudash.testsupport.RequiresServices;
import com.gpudash.testsupport.TestServices;
import com.gpudash.testsupport.TestServices.Service;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The image questions, asked through a query bus as the endpoints ask them, of the real Docker Engine. */
@RequiresServices(Service.DOCKER)
class ImageCatalogTest {

    private static final ServerId LOCAL = ServerId.random();
    /** Registered, but nothing listens at its engine's port. */
    private static final ServerId DEAD = ServerId.random();

    private final ContainerRuntime runtime = new DockerContainerRuntime(DockerSettings.defaults());
    private final QueryGateway queries;

    ImageCatalogTest() {
        SimpleQueryBus bus = SimpleQueryBus.builder().build();
        new AnnotationQueryHandlerAdapter<>(new ImageCatalog(runtime, servers())).subscribe(bus);
        queries = DefaultQueryGateway.builder().queryBus(bus).build();
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void theImagesOfAServerAreListedNewestFirst() {
        ServerImages answer = queries.query(new FetchServerImages(LOCAL), ServerImages.class).join();

        assertThat(answer.answered()).isTrue();
        assertThat(answer.serverId()).isEqualTo(LOCAL);
        assertThat(answer.images()).isNotEmpty().allSatisfy(image -> assertThat(image.serverId()).isEqualTo(LOCAL));
        assertThat(answer.images()).anySatisfy(image -> assertThat(image.tags()).contains(TestServices.dockerImage()));
        assertThat(answer.images()).extracting(ImageView::createdAt)
                .isSortedAccordingTo(Comparator.nullsLast(Comparator.<Instant>reverseOrder()));
    }

    @Test
    void oneImageIsFoundByNameWithItsSizeAndAMissingOneIsNoImage() {
        ServerImages found = queries.query(new FetchServerImage(LOCAL, TestServices.dockerImage()), ServerImages.class).join();
        ServerImages missing = queries.query(new FetchServerImage(LOCAL, "no-such-image:0"), ServerImages.class).join();

        assertThat(found.images()).singleElement().satisfies(image -> {
            assertThat(image.id()).startsWith("sha256:");
            assertThat(image.sizeBytes()).isPositive();
        });
        assertThat(missing.answered()).isTrue();
        assertThat(missing.images()).isEmpty();
    }

    @Test
    void anEngineThatDoesNotAnswerIsAnAnswerSayingWhy() {
        ServerImages list = queries.query(new FetchServerImages(DEAD), ServerImages.class).join();
        ServerImages one = queries.query(new FetchServerImage(DEAD, "busybox"), ServerImages.class).join();

        assertThat(list.answered()).isFalse();
        assertThat(list.images()).isEmpty();
        assertThat(list.engineProblem()).isNotBlank();
        assertThat(one.answered()).isFalse();
    }

    @Test
    void anUnknownServerIsRefusedAsNotFound() {
        assertThatThrownBy(() -> queries.query(new FetchServerImages(ServerId.random()), ServerImages.class).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(DomainException.class,
                        refusal -> assertThat(refusal.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
    }

    private static ServerConnections servers() {
        Map<ServerId, DockerEndpoint> engines = Map.of(LOCAL, DockerEndpoint.of(TestServices.dockerEndpoint()),
                DEAD, DockerEndpoint.of("tcp://127.0.0.1:1"));
        return new ServerConnections() {
            @Override
            public DockerEndpoint docker(ServerId serverId) {
                return Optional.ofNullable(engines.get(serverId))
                        .orElseThrow(() -> DomainException.notFound("No server " + serverId));
            }

            @Override
            public Optional<SshTarget> ssh(ServerId serverId) {
                return Optional.empty();
            }

            @Override
            public DockerEndpoint docker(ServerConnection server) {
                throw new UnsupportedOperationException("images are asked of servers by id");
            }

            @Override
            public Optional<SshTarget> ssh(String host, int port, String user, String pinnedHostKey) {
                throw new UnsupportedOperationException("images are asked of servers by id");
            }
        };
    }
}
