package org.trovej.api.instance;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * A row of {@code instance_faults}: why a flow failed. Written by the task manager and the conductor; the API
 * writes one only when it could not hand a request to the task manager at all.
 */
@Entity
@Table(name = "instance_faults")
public class InstanceFault implements Persistable<String> {

    @Id
    private String id;

    @Column(name = "instance_id")
    private String instanceId;

    private String message;

    private String details;

    private LocalDateTime created;

    private LocalDateTime updated;

    private boolean deleted;

    @Transient
    private boolean isNew;

    protected InstanceFault() {
    }

    static InstanceFault of(String id, String instanceId, String message, String details, LocalDateTime now) {
        InstanceFault fault = new InstanceFault();
        fault.isNew = true;
        fault.id = id;
        fault.instanceId = instanceId;
        fault.message = message;
        fault.details = details;
        fault.created = now;
        fault.updated = now;
        return fault;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @Override
    public String getId() {
        return id;
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
