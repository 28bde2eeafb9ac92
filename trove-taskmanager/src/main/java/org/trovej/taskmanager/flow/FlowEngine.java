package org.trovej.taskmanager.flow;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.trovej.common.rpc.RpcPublishException;
import org.trovej.common.rpc.RpcRetryLater;

/**
 * Runs a flow's steps from the one it is at, each under the instance's lock and only after the step has been
 * recorded, so that a task manager that dies mid-step re-runs exactly that step when the flow resumes. How a
 * flow ends is the flow's business ({@link Ending}, {@link Failure}); the engine decides only what is not:
 * <ul>
 *   <li>taken over ({@link FlowSuperseded}): stop quietly;</li>
 *   <li>the task manager is stopping: give the instance up where it is; the message is redelivered;</li>
 *   <li>the database or the broker is unreachable: the same, the message is tried again;</li>
 *   <li>anything else: the flow's failure handling (error task, fault).</li>
 * </ul>
 */
@Component
public class FlowEngine {

    private static final Logger log = LoggerFactory.getLogger(FlowEngine.class);

    /** What happens after the last step, under the instance's lock. */
    @FunctionalInterface
    public interface Ending {
        void apply(FlowRun run) throws Exception;
    }

    /** What a failed step leaves behind; called with the failed step's name. */
    @FunctionalInterface
    public interface Failure {
        void apply(FlowRun run, String step, Exception cause);
    }

    private final FlowStore store;
    private final InstanceLocks locks;
    private final FlowExecutor executor;
    private final FlowMetrics metrics;

    public FlowEngine(FlowStore store, InstanceLocks locks, FlowExecutor executor, FlowMetrics metrics) {
        this.store = store;
        this.locks = locks;
        this.executor = executor;
        this.metrics = metrics;
    }

    public void execute(FlowRun run, List<Step> steps, Ending ending, Failure failure) {
        int first = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(run.step())) {
                first = i;
            }
        }
        if (first > 0) {
            log.info("Resuming {}", run);
        } else {
            metrics.started(run.flow());
        }
        String current = steps.isEmpty() ? run.step() : steps.get(first).name();
        try {
            for (int i = first; i < steps.size(); i++) {
                Step step = steps.get(i);
                current = step.name();
                checkNotStopping(run);
                locks.withLock(run.instanceId(), () -> {
                    store.advance(run, step.name());
                    step.body().run(run);
                    return null;
                });
            }
            checkNotStopping(run);
            locks.withLock(run.instanceId(), () -> {
                ending.apply(run);
                return null;
            });
            if (!run.isHandedOver()) {
                metrics.ended(run.flow(), FlowMetrics.Outcome.SUCCEEDED);
            }
        } catch (FlowSuperseded e) {
            log.info("{} stops: {}", run, e.getMessage());
        } catch (Exception e) {
            if (executor.stopping() || Thread.currentThread().isInterrupted() || interrupted(e)) {
                store.release(run);
                throw new RpcRetryLater(run + " interrupted: the task manager is stopping", e);
            }
            if (passing(e)) {
                // keep the claim: the redelivered message (here, or after the lease, elsewhere) resumes the step
                log.warn("{} will be retried: {}", run, e.getMessage());
                throw new RpcRetryLater(run + " at " + current + ": " + e.getMessage(), e);
            }
            log.warn("{} failed at {}: {}", run, current, e.toString());
            try {
                failure.apply(run, current, e);
                metrics.ended(run.flow(), FlowMetrics.Outcome.FAILED);
            } catch (FlowSuperseded superseded) {
                log.info("{} was taken over before its failure could be recorded", run);
            }
        } finally {
            // whatever happened, this execution is over: a redelivered message may claim the flow again
            store.forget(run);
        }
    }

    private void checkNotStopping(FlowRun run) throws InterruptedException {
        if (executor.stopping() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException(run + ": stopping");
        }
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** Failures that say nothing about the instance: its flow is worth trying again as it is. */
    static boolean passing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof CannotGetJdbcConnectionException || t instanceof RpcPublishException
                    || t instanceof RpcRetryLater) {
                return true;
            }
        }
        return false;
    }
}
