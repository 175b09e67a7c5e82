package com.gpudash.infra.persistence;

import java.sql.SQLException;
import java.util.Set;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Tells Axon that an append failed because another command stored the same aggregate sequence number first,
 * so it answers with a {@code ConcurrencyException}. H2 hides the unique-key violation in
 * {@link SQLException#getNextException()}, so the whole chain is searched.
 */
class DuplicateKeyExceptionResolver implements PersistenceExceptionResolver {

    private static final String H2_UNIQUE_VIOLATION = "23505";
    private static final Set<Integer> MYSQL_DUPLICATE_KEY = Set.of(1062, 1586);

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isDuplicateKey(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDuplicateKey(SQLException exception) {
        for (SQLException sql = exception; sql != null; sql = sql.getNextException()) {
            if (H2_UNIQUE_VIOLATION.equals(sql.getSQLState()) || MYSQL_DUPLICATE_KEY.contains(sql.getErrorCode())) {
                return true;
            }
        }
        return false;
    }
}
