package com.gpudash.saga.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.gpudash.agent.Route;
import com.gpudash.agent.RouteTable;
import com.gpudash.agent.RouteTableException;
import org.junit.jupiter.api.Test;

/** A fake route table that takes its time, as nginx's test and reload do, and counts its publications. */
class RoutePublisherTest {

    private static final int USERS = 20;

    private final AtomicInteger publications = new AtomicInteger();
    private volatile List<Route> served = List.of();

    @Test
    void changesAskedForWhileATableIsPublishedGoOutTogetherInTheNext() throws Exception {
        RoutePublisher publisher = new RoutePublisher(slowTable(false), new NoReadModels());

        List<Throwable> failures = publishAtOnce(publisher);

        assertThat(failures).isEmpty();
        assertThat(served).extracting(Route::username)
                .containsExactlyInAnyOrderElementsOf(usernames());
        assertThat(publications.get()).as("publications for %d changes at once", USERS).isLessThan(USERS / 2);
    }

    @Test
    void everyChangeOfAPublicationThatFailsFailsWithIt() throws Exception {
        RoutePublisher publisher = new RoutePublisher(slowTable(true), new NoReadModels());

        List<Throwable> failures = publishAtOnce(publisher);

        assertThat(failures).hasSize(USERS).allSatisfy(failure ->
                assertThat(failure).isInstanceOf(RouteTableException.class));
        assertThatThrownBy(() -> publisher.publish(new Route("late", "127.0.0.1", 9000)))
                .as("a later change is tried on its own").isInstanceOf(RouteTableException.class);
    }

    private RouteTable slowTable(boolean refuses) {
        return routes -> {
            publications.incrementAndGet();
            try {
                Thread.sleep(100); // nginx -t and a reload
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (refuses) {
                throw new RouteTableException("nginx -t refused the table", false, null);
            }
            served = List.copyOf(routes);
            return true;
        };
    }

    private List<Throwable> publishAtOnce(RoutePublisher publisher) throws InterruptedException {
        ExecutorService callers = Executors.newFixedThreadPool(USERS);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (String username : usernames()) {
                calls.add(callers.submit(() -> publisher.publish(new Route(username, "127.0.0.1", 9000))));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> call : calls) {
                try {
                    call.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            return failures;
        } finally {
            callers.shutdownNow();
        }
    }

    private static List<String> usernames() {
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            usernames.add("user" + i);
        }
        return usernames;
    }
}
