package org.trovej.api.instance;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.trovej.api.web.Timestamps;
import org.trovej.common.status.InstanceTask;

/**
 * Sends a cast to the task manager once the records it refers to are committed (never from inside the
 * transaction: the task manager may read the row the moment the message lands). When the broker cannot take
 * the message, the instance is not left waiting for work that will never come: its task is set to
 * {@code onFailure} and a fault says why, then the failure goes back to the caller (503 when the broker is away,
 * see FaultHandler; {@code BrokerGate} refuses such writes before anything is changed while the connection is
 * known to be down).
 */
@Component
class TaskCasts {

    private static final Logger log = LoggerFactory.getLogger(TaskCasts.class);

    private final TransactionTemplate tx;
    private final InstanceRepository instances;
    private final InstanceFaultRepository faults;

    TaskCasts(TransactionTemplate tx, InstanceRepository instances, InstanceFaultRepository faults) {
        this.tx = tx;
        this.instances = instances;
        this.faults = faults;
    }

    void send(String instanceId, String method, InstanceTask onFailure, Runnable cast) {
        try {
            cast.run();
            log.info("Cast {} for instance {} to the task manager", method, instanceId);
        } catch (RuntimeException e) {
            log.error("Cast {} for instance {} could not be sent; the instance's task becomes {}", method,
                    instanceId, onFailure, e);
            tx.executeWithoutResult(s -> instances.lockById(instanceId).ifPresent(instance -> {
                instance.setTask(onFailure);
                faults.save(InstanceFault.of(UUID.randomUUID().toString(), instanceId,
                        "The request could not be passed to the task manager (" + method + ").",
                        String.valueOf(e), Timestamps.nowUtc()));
            }));
            throw e;
        }
    }
}
