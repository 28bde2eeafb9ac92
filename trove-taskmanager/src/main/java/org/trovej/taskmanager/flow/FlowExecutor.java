package org.trovej.taskmanager.flow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.trovej.common.rpc.RpcRetryLater;
import org.trovej.taskmanager.TaskManagerProperties;

/**
 * The threads flows run on, apart from the RPC server's: a message is acknowledged when its flow's future
 * completes, and the RPC workers stay free meanwhile. Stopping interrupts the flows; they give their
 * instances up where they are, and their messages go back to the queue for the next task manager.
 */
@Component
public class FlowExecutor {

    private static final Logger log = LoggerFactory.getLogger(FlowExecutor.class);

    /** A flow's body. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private final int threads;
    private volatile ExecutorService pool;
    private volatile boolean stopping = true;

    public FlowExecutor(TaskManagerProperties properties) {
        this.threads = properties.flowWorkers();
    }

    public synchronized void start() {
        if (pool != null) {
            return;
        }
        AtomicInteger counter = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "flow-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        stopping = false;
    }

    /** Interrupts the running flows and waits a little for them to put their instances down. */
    public synchronized void stop() {
        stopping = true;
        ExecutorService current = pool;
        pool = null;
        if (current == null) {
            return;
        }
        current.shutdownNow();
        try {
            if (!current.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Some flows did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean stopping() {
        return stopping;
    }

    /** Runs {@code body}; the future completes (null) when it is done. */
    public CompletableFuture<JsonNode> submit(String what, Body body) {
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        ExecutorService current = pool;
        if (current == null || stopping) {
            done.completeExceptionally(new RpcRetryLater("task manager is stopping", null));
            return done;
        }
        try {
            current.execute(() -> {
                try {
                    body.run();
                    done.complete(NullNode.getInstance());
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new RpcRetryLater("task manager is stopping: " + what, e));
        }
        return done;
    }
}
