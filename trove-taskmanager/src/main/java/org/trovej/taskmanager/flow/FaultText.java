package org.trovej.taskmanager.flow;

import java.util.List;

import org.trovej.common.rpc.RemoteError;

/**
 * The text of the faults the task manager records, shaped like Trove's: a message saying what failed and why,
 * and details starting with {@code Server type: taskmanager} followed by where the flow was and the causes.
 */
public final class FaultText {

    private FaultText() {
    }

    /** The most telling message of {@code cause}: its own, or its first cause's that has one. */
    public static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RemoteError remote) {
                return remote.getMessage();
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return cause.getClass().getSimpleName();
    }

    public static String details(FlowRun run, String step, Throwable cause, List<String> more) {
        StringBuilder text = new StringBuilder("Server type: taskmanager\n");
        text.append("Flow ").append(run.flow()).append(" of instance ").append(run.instanceId())
                .append(", step ").append(step).append('\n');
        for (Throwable t = cause; t != null; t = t.getCause()) {
            text.append(t == cause ? "" : "Caused by: ").append(t.getClass().getName()).append(": ")
                    .append(t.getMessage()).append('\n');
            if (t instanceof RemoteError remote) {
                remote.traceback().forEach(line -> text.append(line.endsWith("\n") ? line : line + "\n"));
            }
        }
        if (more != null && !more.isEmpty()) {
            text.append('\n');
            more.forEach(line -> text.append(line).append('\n'));
        }
        return text.toString();
    }
}
