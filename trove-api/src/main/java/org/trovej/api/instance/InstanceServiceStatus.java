package org.trovej.api.instance;

import org.trovej.api.persistence.AssignedIdEntity;
import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.trovej.api.web.Timestamps;
import org.trovej.common.status.ServiceStatus;

/**
 * A row of {@code service_statuses}: the guest's view of its database, kept current by the conductor from
 * heartbeats; {@code updated_at} is the guest's liveness. The API sets it only at creation, on restart and on
 * reset, and like Trove stamps {@code updated_at} when it does.
 */
@Entity
@Table(name = "service_statuses")
@DynamicUpdate
public class InstanceServiceStatus extends AssignedIdEntity {


    @Column(name = "instance_id")
    private String instanceId;

    @Column(name = "status_id")
    private int statusId;

    @Column(name = "status_description")
    private String statusDescription;

    @Column(name = "updated_at")
    private LocalDateTime updatedAt;

    /** GB, as the guest's newest heartbeat reported it (written by the conductor only). */
    @Column(name = "volume_used", insertable = false, updatable = false)
    private Double volumeUsed;

    private LocalDateTime created;

    private boolean deleted;


    protected InstanceServiceStatus() {
    }

    static InstanceServiceStatus initial(String id, String instanceId, LocalDateTime now) {
        InstanceServiceStatus status = new InstanceServiceStatus();
        status.assignNew(id);
        status.instanceId = instanceId;
        status.created = now;
        status.set(ServiceStatus.NEW);
        status.updatedAt = now;
        return status;
    }

    void set(ServiceStatus status) {
        statusId = status.code();
        statusDescription = status.description();
        updatedAt = Timestamps.nowUtc();
    }




    public String getInstanceId() {
        return instanceId;
    }

    /** The stored status; a code this build does not know reads as {@code unknown}. */
    public ServiceStatus getStatus() {
        try {
            return ServiceStatus.fromCode(statusId);
        } catch (IllegalArgumentException e) {
            return ServiceStatus.UNKNOWN;
        }
    }

    public LocalDateTime getUpdatedAt() {
        return updatedAt;
    }

    public Double getVolumeUsed() {
        return volumeUsed;
    }
}
