package com.gpudash.infra.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
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

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * What the stores keep of an object (a saga between two events, an aggregate in its snapshot) is every instance
 * field; Jackson sees only what its visibility rules show it and silently leaves the rest out. These helpers fill
 * every field of an object with a value unlike its default and unlike every other field's, and compare two
 * objects field by field, so that a field a serializer drops or reads into another one shows.
 */
final class EveryField {

    private EveryField() {
    }

    /** The application's classes that carry {@code annotation}, found by scanning, so a new one is not forgotten. */
    static List<Class<?>> annotatedWith(Class<? extends Annotation> annotation) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(annotation));
        List<Class<?>> found = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("com.gpudash")) {
            try {
                found.add(Class.forName(candidate.getBeanClassName()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    /** An instance made with the class's no-argument constructor (as Axon and Jackson make it), every field set. */
    static Object filled(Class<?> type) throws ReflectiveOperationException {
        Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        Object instance = constructor.newInstance();
        int sample = 0;
        for (Field field : state(type)) {
            sample += 10;
            field.set(instance, sampleOf(field.getGenericType(), sample, type.getSimpleName() + "." + field.getName()));
        }
        return instance;
    }

    /** Each field of {@code read} equals that of {@code written}; {@code stored} is what the store wrote. */
    static void assertSameFields(Object written, Object read, String stored) throws IllegalAccessException {
        assertThat(read).isNotSameAs(written).isExactlyInstanceOf(written.getClass());
        for (Field field : state(written.getClass())) {
            assertThat(field.get(read)).as("%s.%s after a round trip (stored as %s)",
                    written.getClass().getSimpleName(), field.getName(), stored).isEqualTo(field.get(written));
        }
    }

    /** The instance fields; a transient one is declared not to be kept. */
    static List<Field> state(Class<?> type) {
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
     * A value unlike a field's default (null, 0, false, empty) and unlike every other field's. A collection gets two
     * elements, made from {@code n} and {@code n + 1}; a record gets a sample for each of its components.
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
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = sampleOf(components[i].getGenericType(), n + i, field + "." + components[i].getName());
                types[i] = components[i].getType();
            }
            return type.getDeclaredConstructor(types).newInstance(values);
        }
        return fail("No sample value for %s (%s): teach sampleOf this type", field, type.getName());
    }
}
