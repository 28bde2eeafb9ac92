package org.trovej.taskmanager.flow;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

/**
 * Steps on one instance never overlap in this task manager: a delete that arrives while a create is spawning
 * the server waits for that step, takes the instance over, and the create stops at its next step instead of
 * starting a guest for a deleted instance. One lock per instance while anyone uses it, so a long step on one
 * instance never holds up another.
 */
@Component
public class InstanceLocks {

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final Map<String, Entry> locks = new HashMap<>();

    public <T> T withLock(String instanceId, Callable<T> body) throws Exception {
        Entry entry;
        synchronized (locks) {
            entry = locks.computeIfAbsent(instanceId, id -> new Entry());
            entry.users++;
        }
        try {
            entry.lock.lockInterruptibly();
            try {
                return body.call();
            } finally {
                entry.lock.unlock();
            }
        } finally {
            synchronized (locks) {
                if (--entry.users == 0) {
                    locks.remove(instanceId);
                }
            }
        }
    }
}
