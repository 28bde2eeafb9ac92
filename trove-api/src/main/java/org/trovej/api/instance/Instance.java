package org.trovej.api.instance;

import org.trovej.api.persistence.AssignedIdEntity;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.trovej.api.web.Timestamps;
import org.trovej.common.status.InstanceTask;

/**
 * A row of {@code instances}. The API creates it and changes name, access and the task; the task manager owns
 * the rest (server status, addresses, volume, flavor after a resize, ...). Updates write only the columns that
 * changed ({@link DynamicUpdate}), so the API never overwrites what the task manager wrote meanwhile.
 */
@Entity
@Table(name = "instances")
@DynamicUpdate
public class Instance extends AssignedIdEntity {


    private String name;

    @Column(name = "tenant_id")
    private String tenantId;

    private String hostname;

    @Column(name = "compute_instance_id")
    private String computeInstanceId;

    @Column(name = "task_id")
    private Integer taskId;

    @Column(name = "task_description")
    private String taskDescription;

    @Column(name = "task_start_time")
    private LocalDateTime taskStartTime;

    @Column(name = "server_status")
    private String serverStatus;

    @Column(name = "volume_id")
    private String volumeId;

    @Column(name = "volume_size")
    private Integer volumeSize;

    @Column(name = "volume_type")
    private String volumeType;

    @Column(name = "flavor_id")
    private String flavorId;

    @Column(name = "datastore_version_id")
    private String datastoreVersionId;

    @Column(name = "configuration_id")
    private String configurationId;

    @Column(name = "slave_of_id")
    private String slaveOfId;

    @Column(name = "cluster_id")
    private String clusterId;

    @Column(name = "shard_id")
    private String shardId;

    @Column(name = "region_id")
    private String regionId;

    @Column(name = "availability_zone")
    private String availabilityZone;

    @Column(name = "encrypted_key")
    private String encryptedKey;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> access;

    @JdbcTypeCode(SqlTypes.JSON)
    private List<Map<String, Object>> addresses;

    private LocalDateTime created;

    private LocalDateTime updated;

    private boolean deleted;

    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;


    protected Instance() {
    }

    /** A new record as the create request makes it: building, server BUILD. */
    static Instance building(String id, String name, String tenantId, String flavorId, Integer volumeSize,
                             String volumeType, String datastoreVersionId, String regionId, String availabilityZone,
                             String encryptedKey, Map<String, Object> access) {
        Instance instance = new Instance();
        instance.assignNew(id);
        instance.name = name;
        instance.tenantId = tenantId;
        instance.flavorId = flavorId;
        instance.volumeSize = volumeSize;
        instance.volumeType = volumeType;
        instance.datastoreVersionId = datastoreVersionId;
        instance.regionId = regionId;
        instance.availabilityZone = availabilityZone;
        instance.encryptedKey = encryptedKey;
        instance.access = access;
        instance.serverStatus = "BUILD";
        instance.setTask(InstanceTask.BUILDING);
        instance.created = Timestamps.nowUtc();
        instance.updated = instance.created;
        return instance;
    }

    void setTask(InstanceTask task) {
        taskId = task.code();
        taskDescription = task.description();
    }

    void rename(String newName) {
        name = newName;
    }

    void replaceAccess(Map<String, Object> newAccess) {
        access = newAccess;
    }

    /** A replica's source ({@code slave_of_id}); null makes the instance standalone. */
    void followSource(String sourceId) {
        slaveOfId = sourceId;
    }

    void detachConfiguration() {
        configurationId = null;
    }

    void attachConfiguration(String id) {
        configurationId = id;
    }

    /** A create that never reached the task manager: the record is kept, marked deleted. */
    void markAbandoned() {
        deleted = true;
        deletedAt = Timestamps.nowUtc();
    }

    public boolean isDeleted() {
        return deleted;
    }

    public LocalDateTime getDeletedAt() {
        return deletedAt;
    }

    public String getTaskDescription() {
        return taskDescription;
    }

    /** Trove's save(): every change stamps {@code updated}. */
    @PreUpdate
    void touch() {
        updated = Timestamps.nowUtc();
    }




    public InstanceTask getTask() {
        return InstanceTask.fromCode(taskId);
    }

    public String getName() {
        return name;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getHostname() {
        return hostname;
    }

    public String getComputeInstanceId() {
        return computeInstanceId;
    }

    public String getServerStatus() {
        return serverStatus;
    }

    public String getVolumeId() {
        return volumeId;
    }

    public Integer getVolumeSize() {
        return volumeSize;
    }

    public String getVolumeType() {
        return volumeType;
    }

    public String getFlavorId() {
        return flavorId;
    }

    public String getDatastoreVersionId() {
        return datastoreVersionId;
    }

    public String getConfigurationId() {
        return configurationId;
    }

    public String getSlaveOfId() {
        return slaveOfId;
    }

    public String getClusterId() {
        return clusterId;
    }

    public String getShardId() {
        return shardId;
    }

    public String getRegionId() {
        return regionId;
    }

    /** The zone the create asked for; null when it named none. */
    public String getAvailabilityZone() {
        return availabilityZone;
    }

    public String getEncryptedKey() {
        return encryptedKey;
    }

    public Map<String, Object> getAccess() {
        return access;
    }

    public List<Map<String, Object>> getAddresses() {
        return addresses;
    }

    public LocalDateTime getCreated() {
        return created;
    }

    public LocalDateTime getUpdated() {
        return updated;
    }
}
