package org.trovej.api.root;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code root_enabled_history}: when root was (last) enabled on an instance and by whom, and when it was
 * disabled again. Written by the API on enable/disable and by the conductor on a guest's {@code report_root}.
 */
@Entity
@Table(name = "root_enabled_history")
public class RootHistory {

    @Id
    @Column(name = "instance_id")
    private String instanceId;

    @Column(name = "user_id")
    private String userId;

    private LocalDateTime created;

    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;

    protected RootHistory() {
    }

    /** Trove's Root.load: enabled unless disabled after it was (last) enabled. */
    public boolean enabled() {
        return deletedAt == null || created == null || !deletedAt.isAfter(created);
    }

    public String getInstanceId() {
        return instanceId;
    }

    public String getUserId() {
        return userId;
    }

    public LocalDateTime getCreated() {
        return created;
    }

    public LocalDateTime getDeletedAt() {
        return deletedAt;
    }
}
