package org.trovej.taskmanager.compute.local;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the host has of something (an engine's installations), looked for once, when first asked: looking runs
 * the programs found, which takes a while.
 */
final class FoundOnce<T> {

    private final Supplier<List<T>> lookFor;
    private volatile List<T> found;

    FoundOnce(Supplier<List<T>> lookFor) {
        this.lookFor = lookFor;
    }

    List<T> get() {
        List<T> current = found;
        if (current == null) {
            synchronized (this) {
                current = found;
                if (current == null) {
                    current = List.copyOf(lookFor.get());
                    found = current;
                }
            }
        }
        return current;
    }
}
