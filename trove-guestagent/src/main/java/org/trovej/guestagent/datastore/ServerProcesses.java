package org.trovej.guestagent.datastore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What the agent needs to know of a server process beyond what {@link ProcessHandle} tells. */
public final class ServerProcesses {

    private ServerProcesses() {
    }

    /**
     * Alive and not a zombie waiting to be reaped: a server the agent launched itself stays its child, and the
     * JDK counts a zombie as alive.
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
            return process.isAlive();
        }
    }

    /** Waits until the process has gone; false when it is still there after {@code timeout}. */
    public static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Pause.sleep(50);
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
