package org.trovej.service.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure is the control-plane database being away (down, restarting, or no pooled connection within
 * {@code spring.datasource.hikari.connection-timeout}) rather than a fault of the request or of this code. The
 * Spring does not always say so in the exception's type: a pooled connection the
 * restart closed fails the query, then its rollback, and only the SQL state of the cause tells
 * ({@code 08xxx} connection exceptions, {@code 57P0x} shutting down). The API answers those with 503; the
 * conductor puts the messages that met them back on the queue.
 */
public final class DatabaseUnavailable {

    private static final String HIKARI_CLOSED = "Connection is closed";

    private DatabaseUnavailable() {
    }

    /** The cause that shows the database away, or null. */
    public static Throwable causeIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessResourceException || t instanceof RecoverableDataAccessException
                    || t instanceof QueryTimeoutException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SQLNonTransientConnectionException) {
                return deepest(t);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return t;
            }
            // Hikari's pool closed the connection because its first failure showed it broken; the rollback after
            // that failure then fails with this (no SQL state), and Spring throws that in place of the first one
            if (t instanceof SQLException sql && sql.getSQLState() == null
                    && HIKARI_CLOSED.equals(sql.getMessage())) {
                return t;
            }
        }
        return null;
    }

    private static Throwable deepest(Throwable t) {
        Throwable last = t;
        while (last.getCause() != null && last.getCause() != last) {
            last = last.getCause();
        }
        return last;
    }
}
