package org.trovej.taskmanager.flow;

import org.springframework.stereotype.Component;
import org.trovej.service.guest.GuestAgentClient;
import org.trovej.taskmanager.compute.ComputeDriver;
import org.trovej.taskmanager.compute.VolumeDriver;
import org.trovej.taskmanager.instance.InstanceRecords;

/**
 * What every flow on an existing instance works with: the flows' persisted state, the engine that runs their
 * steps, the executor they run on, and the instance itself: its records, its guest, its server and its volume.
 */
@Component
public record InstanceFlowParts(FlowStore store, FlowEngine engine, FlowExecutor executor, InstanceRecords records,
                                GuestAgentClient guests, ComputeDriver compute, VolumeDriver volumes) {
}
