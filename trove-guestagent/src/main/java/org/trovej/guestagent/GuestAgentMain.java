package org.trovej.guestagent;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar trove-guestagent-all.jar [--config-file <path>]... [--config-dir <dir>]}: reads the
 * configuration as Trove's guest does, waits for the broker as long as it takes, and serves until stopped.
 * Exit status 2 means the configuration is unusable (nothing was started). {@code --warm-up} before the
 * configuration runs a throwaway start-up and exits (see {@link WarmUp}).
 */
public final class GuestAgentMain {

    private GuestAgentMain() {
    }

    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        if (args.length > 0 && args[0].equals("--warm-up")) {
            WarmUp.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            System.exit(0);
        }
        GuestAgent agent;
        try {
            agent = new GuestAgent(org.trovej.guestagent.config.GuestConfig.fromArgs(args));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("trove-guestagent: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(GuestAgentMain.class);
        Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "guest-shutdown"));
        agent.start(Duration.ofDays(3650));
        // time in main only; JVM boot before main adds ~0.1 s (measure from outside for the whole figure)
        log.info("Started in {} ms", (System.nanoTime() - entered) / 1_000_000);
        new CountDownLatch(1).await();
    }
}
