package org.trovej.common.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the guest agent (of its database server) and the local back end (of its guests and their databases) need
 * to know of a process beyond what {@link ProcessHandle} tells.
 */
public final class Processes {

    private Processes() {
    }

    /**
     * Alive and not a zombie waiting to be reaped: a server the agent launched itself stays its child, a database
     * whose guest is gone is re-parented to the host's init, which may be slow to reap it; the JDK counts a zombie
     * as alive, and would wait for it to the end of every timeout.
     */
    public static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive(); // no /proc: trust the JDK
        }
    }

    /**
     * Waits until the process has gone; false when it is still there after {@code timeout}. An interrupt ends the
     * wait (the interrupt stays set for the caller).
     */
    public static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive(process);
            }
        }
        return true;
    }

    /**
     * The program the process runs: what the JDK knows, else the first word of {@code /proc/<pid>/cmdline}
     * (the JDK's answer is empty when it cannot read {@code /proc/<pid>/exe}); "" when neither tells.
     */
    public static String program(ProcessHandle process) {
        return process.info().command().orElseGet(() -> {
            try {
                byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
                String all = new String(raw, StandardCharsets.UTF_8);
                int nul = all.indexOf('\0');
                return nul < 0 ? all : all.substring(0, nul);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
