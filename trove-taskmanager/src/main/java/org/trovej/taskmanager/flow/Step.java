package org.trovej.taskmanager.flow;

/** A named, idempotent step of a flow: a resumed flow runs the step it was at again. */
public record Step(String name, Body body) {

    @FunctionalInterface
    public interface Body {
        void run(FlowRun run) throws Exception;
    }
}
