package com.gpudash.query.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import com.gpudash.api.user.UserId;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;

/** What per-user traffic costs in memory, and that a failed flush loses nothing. */
class UserTrafficTest {

    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final UserTraffic traffic = new UserTraffic(jdbc, Clock.systemUTC(), Duration.ofHours(1));
    private final UserId alice = UserId.of(UUID.randomUUID().toString());
    private final UserId bob = UserId.of(UUID.randomUUID().toString());

    @Test
    void memoryHoldsOneEntryPerUserSinceTheLastFlushAndNothingAfterIt() {
        for (int i = 0; i < 1000; i++) {
            traffic.request(alice);
            traffic.sent(alice, 10);
        }
        traffic.received(bob, 5);
        traffic.request(bob);
        assertThat(traffic.usersInMemory()).isEqualTo(2);

        traffic.flush();

        assertThat(traffic.usersInMemory()).isZero();
        assertThat(flushed()).extracting(UserTraffic.Flushed::userId, UserTraffic.Flushed::requests,
                        UserTraffic.Flushed::bytesIn, UserTraffic.Flushed::bytesOut)
                .containsExactlyInAnyOrder(tuple(alice, 1000L, 0L, 10_000L),
                        tuple(bob, 1L, 5L, 0L));
    }

    @Test
    void countsThatCouldNotBeStoredWaitForTheNextFlush() {
        traffic.request(alice);
        traffic.sent(alice, 7);
        doThrow(new DataAccessResourceFailureException("database gone")).when(jdbc)
                .batchUpdate(anyString(), any(Collection.class), anyInt(), any(ParameterizedPreparedStatementSetter.class));
        traffic.flush();
        assertThat(traffic.usersInMemory()).isEqualTo(1);
        traffic.request(alice);

        reset(jdbc);
        traffic.flush();

        assertThat(flushed()).singleElement().satisfies(row -> {
            assertThat(row.requests()).isEqualTo(2);
            assertThat(row.bytesOut()).isEqualTo(7);
        });
    }

    @Test
    void aFlushWithNothingCountedWritesNothing() {
        traffic.flush();

        verify(jdbc, never()).batchUpdate(anyString(), any(Collection.class), anyInt(),
                any(ParameterizedPreparedStatementSetter.class));
    }

    @SuppressWarnings("unchecked")
    private List<UserTraffic.Flushed> flushed() {
        ArgumentCaptor<Collection<UserTraffic.Flushed>> rows = ArgumentCaptor.forClass(Collection.class);
        verify(jdbc).batchUpdate(anyString(), rows.capture(), anyInt(), any(ParameterizedPreparedStatementSetter.class));
        return new ArrayList<>(rows.getValue());
    }
}
