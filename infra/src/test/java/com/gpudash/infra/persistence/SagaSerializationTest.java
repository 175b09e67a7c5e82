package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.stereotype.Saga;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Every saga keeps all its state between two events. The saga store writes a saga with Axon's general serializer,
 * which the application configures as Jackson over {@code defaultAxonObjectMapper}; Jackson sees only what its
 * visibility rules show it, so a private field without a getter is silently left out and comes back null after
 * the next event. {@code SagaTestFixture} keeps the saga object in memory and never notices; this test writes each
 * saga found on the classpath, with every field set, the way the saga store does, reads it back, and compares.
 */
class SagaSerializationTest {

    /** Built as Axon's auto-configuration builds the general serializer when it is set to jackson. */
    private static final Serializer SAGA_SERIALIZER = JacksonSerializer.builder()
            .objectMapper(new PersistenceConfiguration().defaultAxonObjectMapper())
            .build();

    static Stream<Class<?>> sagas() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Saga.class));
        List<Class<?>> sagas = new ArrayList<>();
        for (BeanDefinition found : scanner.findCandidateComponents("com.gpudash")) {
            try {
                sagas.add(Class.forName(found.getBeanClassName()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        // The scan must see the saga module, or this test would pass by testing nothing.
        assertThat(sagas).extracting(Class::getSimpleName).contains("ProvisioningSaga");
        return sagas.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sagas")
    void keepsEveryFieldThroughTheSagaSerializer(Class<?> sagaType) throws ReflectiveOperationException {
        Object saga = newInstance(sagaType);
        List<Field> state = state(sagaType);
        int sample = 0;
        for (Field field : state) {
            sample += 2;
            field.set(saga, sampleOf(field.getGenericType(), sample, sagaType.getSimpleName() + "." + field.getName()));
        }

        SerializedObject<byte[]> stored = SAGA_SERIALIZER.serialize(saga, byte[].class);
        Object read = SAGA_SERIALIZER.deserialize(stored);

        assertThat(read).isInstanceOf(sagaType);
        for (Field field : state) {
            assertThat(field.get(read)).as("%s.%s after a round trip through the saga serializer (stored as %s)",
                    sagaType.getSimpleName(), field.getName(), new String(stored.getData()))
                    .isEqualTo(field.get(saga));
        }
    }

    private static Object newInstance(Class<?> type) throws ReflectiveOperationException {
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    /** What the saga keeps between events: its instance fields; a transient one is declared not to be kept. */
    private static List<Field> state(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
        }
        assertThat(fields).as("fields of %s", type.getSimpleName()).isNotEmpty();
        return fields;
    }

    /**
     * A value unlike a field's default (null, 0, false, empty) and unlike every other field's, so a field that is
     * dropped or read into another one shows. A collection gets two elements, made from {@code n} and {@code n + 1}.
     */
    private static Object sampleOf(Type genericType, int n, String field) throws ReflectiveOperationException {
        if (genericType instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (raw == List.class || raw == Collection.class) {
                return new ArrayList<>(List.of(sampleOf(arguments[0], n, field), sampleOf(arguments[0], n + 1, field)));
            }
            if (raw == Set.class) {
                return new LinkedHashSet<>(List.of(sampleOf(arguments[0], n, field),
                        sampleOf(arguments[0], n + 1, field)));
            }
            if (raw == Map.class) {
                Map<Object, Object> map = new LinkedHashMap<>();
                map.put(sampleOf(arguments[0], n, field), sampleOf(arguments[1], n, field));
                map.put(sampleOf(arguments[0], n + 1, field), sampleOf(arguments[1], n + 1, field));
                return map;
            }
            return fail("No sample value for %s (%s): teach sampleOf this type", field, genericType);
        }
        Class<?> type = (Class<?>) genericType;
        if (type == String.class) {
            return "value " + n;
        }
        if (type == int.class || type == Integer.class) {
            return n;
        }
        if (type == long.class || type == Long.class) {
            return (long) n;
        }
        if (type == double.class || type == Double.class) {
            return n + 0.5;
        }
        if (type == boolean.class || type == Boolean.class) {
            return true;
        }
        if (type == Instant.class) {
            return Instant.parse("2026-01-01T00:00:00.123Z").plusSeconds(n);
        }
        if (type == Duration.class) {
            return Duration.ofSeconds(n);
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[n % constants.length];
        }
        // The typed ids (ServerId, OperationId, ContainerId, ...) are made from a UUID string.
        try {
            Method of = type.getMethod("of", String.class);
            if (Modifier.isStatic(of.getModifiers()) && of.getReturnType() == type) {
                return of.invoke(null, UUID.randomUUID().toString());
            }
        } catch (NoSuchMethodException notAnId) {
            // fall through
        }
        return fail("No sample value for %s (%s): teach sampleOf this type", field, type.getName());
    }
}
