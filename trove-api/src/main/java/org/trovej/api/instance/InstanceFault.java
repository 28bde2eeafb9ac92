package org.trovej.api.instance;

import org.trovej.api.persistence.AssignedIdEntity;
import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code instance_faults}: why a flow failed. Written by the task manager and the conductor; the API
 * writes one only when it could not hand a request to the task manager at all.
 */
@Entity
@Table(name = "instance_faults")
public class InstanceFault extends AssignedIdEntity {


    @Column(name = "instance_id")
    private String instanceId;

    private String message;

    private String details;

    private LocalDateTime created;

    private LocalDateTime updated;

    private boolean deleted;


    protected InstanceFault() {
    }

    static InstanceFault of(String id, String instanceId, String message, String details, LocalDateTime now) {
        InstanceFault fault = new InstanceFault();
        fault.assignNew(id);
        fault.instanceId = instanceId;
        fault.message = message;
        fault.details = details;
        fault.created = now;
        fault.updated = now;
        return fault;
    }




    public String getInstanceId() {
        return instanceId;
    }

    public String getMessage() {
        return message;
    }

    public String getDetails() {
        return details;
    }

    public LocalDateTime getUpdated() {
        return updated;
    }
}
