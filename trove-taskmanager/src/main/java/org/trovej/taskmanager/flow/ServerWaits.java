package org.trovej.taskmanager.flow;

import java.time.Duration;

import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.Server;
import org.trovej.taskmanager.compute.ServerStatus;
import org.trovej.taskmanager.instance.InstanceRecords;
import org.trovej.taskmanager.instance.InstanceRow;

/**
 * The waits of flows that take a server down and bring it back (reboot, rebuild): the server ACTIVE again (its
 * status recorded), then the guest reporting the database healthy; each a {@link StepFailure} naming what was seen
 * when its time is up.
 */
public final class ServerWaits {

    private final ComputeDriver compute;
    private final InstanceRecords records;
    private final Duration poll;

    public ServerWaits(ComputeDriver compute, InstanceRecords records, Duration poll) {
        this.compute = compute;
        this.records = records;
        this.poll = poll;
    }

    /** @param after what brought the server down ("the reboot"), for the failure's text */
    public void awaitActive(String instanceId, String serverId, Duration timeout, String after)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Server server = compute.findServer(serverId)
                    .orElseThrow(() -> new StepFailure("server " + serverId + " is gone"));
            if (server.status() == ServerStatus.ACTIVE) {
                records.setServerStatus(instanceId, ServerStatus.ACTIVE.name());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("the server was not ACTIVE " + timeout.toSeconds() + " s after " + after
                        + " (" + server.status() + (server.fault() == null ? "" : ": " + server.fault()) + ")");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    public void awaitHealthy(String instanceId, Duration timeout, String after) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InstanceRow row = records.find(instanceId)
                    .orElseThrow(() -> new StepFailure("instance " + instanceId + " is gone"));
            if ("healthy".equals(row.serviceStatus())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("the guest did not report the database healthy within " + timeout.toSeconds()
                        + " s of " + after + " (" + row.serviceStatus() + ")");
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
