package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.gpudash.infra.H2ApplicationTest;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.spring.stereotype.Saga;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every saga keeps all its state between two events. The saga store writes a saga with Axon's general serializer,
 * which the application configures as Jackson over {@code defaultAxonObjectMapper}; Jackson sees only what its
 * visibility rules show it, so a private field without a getter is silently left out and comes back null after
 * the next event. {@code SagaTestFixture} keeps the saga object in memory and never notices; this test stores each
 * saga found on the classpath, with every field set, in the application's saga store, loads it back, and compares.
 */
@H2ApplicationTest
class SagaSerializationTest {

    @Autowired
    SagaStore<Object> sagaStore;

    static Stream<Class<?>> sagas() {
        List<Class<?>> sagas = EveryField.annotatedWith(Saga.class);
        // The scan must see the saga module, or this test would pass by testing nothing.
        assertThat(sagas).extracting(Class::getSimpleName).contains("ProvisioningSaga", "ImageOperationSaga");
        return sagas.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sagas")
    void keepsEveryFieldThroughTheSagaStore(Class<?> sagaType) throws ReflectiveOperationException {
        Object saga = EveryField.filled(sagaType);
        String id = "serialization-test-" + UUID.randomUUID();

        sagaStore.insertSaga(sagaType, id, saga, Set.of());
        try {
            SagaStore.Entry<?> stored = sagaStore.loadSaga(sagaType, id);
            assertThat(stored).as("the stored saga").isNotNull();
            EveryField.assertSameFields(saga, stored.saga(), "the saga store's row " + id);
        } finally {
            sagaStore.deleteSaga(sagaType, id, Set.of());
        }
    }
}
