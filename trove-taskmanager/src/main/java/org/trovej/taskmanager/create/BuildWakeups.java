package org.trovej.taskmanager.create;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.service.status.GuestStatusChannel;

/**
 * Listens on {@link GuestStatusChannel} with one connection of its own, so the build monitor can wait "until the
 * next poll or until a guest reports" ({@link #await}). If the connection is lost it is opened again; meanwhile
 * the monitor simply polls.
 */
@org.springframework.stereotype.Component
public class BuildWakeups implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildWakeups.class);
    private static final int LISTEN_SLICE_MILLIS = 500;
    private static final long RECONNECT_MILLIS = 2000;

    private final DataSource dataSource;
    private final Semaphore signal = new Semaphore(0);
    private volatile boolean running;
    private Thread listener;

    public BuildWakeups(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "build-wakeups");
        listener.setDaemon(true);
        listener.start();
    }

    /** Waits at most {@code millis}, less if a guest reported meanwhile (or since the last wait). */
    public void await(long millis) throws InterruptedException {
        if (signal.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
            signal.drainPermits();
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + GuestStatusChannel.NAME);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(LISTEN_SLICE_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        signal.release();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.debug("build wake-ups unavailable for now (the monitor polls): {}", e.getMessage());
                try {
                    Thread.sleep(RECONNECT_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (listener != null) {
            listener.interrupt();
            listener = null;
        }
    }
}
