-- TroveJ: the whole Trove data model on PostgreSQL.
--
-- Conventions (shared with Trove, so REST and RPC ids/timestamps round-trip unchanged):
--   * ids are UUID strings as Trove, guests and clients exchange them: varchar(36)
--     (varchar(64) where Trove allows longer ids: modules, instance_modules, instance_faults);
--   * tenant (project) ids are varchar(64), Keystone's own width;
--   * timestamps are naive "timestamp" holding UTC, like Trove's DateTime columns;
--   * soft delete: rows are kept with deleted = true and deleted_at set. "deleted" is
--     NOT NULL so that "deleted = false" filters never silently drop rows.

-- ---------------------------------------------------------------------------
-- Datastores and their versions
-- ---------------------------------------------------------------------------

CREATE TABLE datastores (
    id                  varchar(36)  PRIMARY KEY,
    name                varchar(255) NOT NULL,
    default_version_id  varchar(36),  -- FK added below, after datastore_versions exists
    CONSTRAINT datastores_name_uq UNIQUE (name)
);

CREATE TABLE datastore_versions (
    id             varchar(36)  PRIMARY KEY,
    datastore_id   varchar(36)  NOT NULL REFERENCES datastores (id),
    name           varchar(255) NOT NULL,
    -- Trove defaults the version number to the name, so it is never empty; NOT NULL also
    -- keeps the unique constraint below effective (NULLs would never collide).
    version        varchar(255) NOT NULL,
    manager        varchar(255),
    image_id       varchar(36),
    image_tags     varchar(255),  -- comma-separated Glance tags, as Trove stores them
    packages       text,          -- comma-separated, as Trove stores them
    active         boolean      NOT NULL DEFAULT false,
    -- Filled per manager from configuration by the application; nullable because a
    -- manager without a default has none.
    registry_ext   text,
    repl_strategy  text,
    CONSTRAINT datastore_versions_ds_name_version_uq UNIQUE (datastore_id, name, version)
);

-- Deleting a version that is a datastore's default leaves that datastore without one,
-- as Trove's management API does.
ALTER TABLE datastores
    ADD CONSTRAINT datastores_default_version_fk
    FOREIGN KEY (default_version_id) REFERENCES datastore_versions (id) ON DELETE SET NULL;

-- Version <-> flavor ("flavor") and version <-> volume type ("volume_type") bindings.
-- Unbinding soft-deletes; binding again revives the same row, hence the unique key spans
-- deleted rows too.
CREATE TABLE datastore_version_metadata (
    id                    varchar(36)  PRIMARY KEY,
    datastore_version_id  varchar(36)  NOT NULL REFERENCES datastore_versions (id) ON DELETE CASCADE,
    key                   varchar(128) NOT NULL,
    value                 varchar(128),
    created               timestamp    NOT NULL,
    updated_at            timestamp,
    deleted               boolean      NOT NULL DEFAULT false,
    deleted_at            timestamp,
    CONSTRAINT datastore_version_metadata_version_key_value_uq UNIQUE (datastore_version_id, key, value)
);

CREATE TABLE capabilities (
    id           varchar(36)  PRIMARY KEY,
    name         varchar(255) NOT NULL,
    description  varchar(255) NOT NULL,
    enabled      boolean,
    CONSTRAINT capabilities_name_uq UNIQUE (name)
);

CREATE TABLE capability_overrides (
    id                    varchar(36) PRIMARY KEY,
    datastore_version_id  varchar(36) NOT NULL REFERENCES datastore_versions (id) ON DELETE CASCADE,
    capability_id         varchar(36) NOT NULL REFERENCES capabilities (id) ON DELETE CASCADE,
    enabled               boolean,
    CONSTRAINT capability_overrides_version_capability_uq UNIQUE (datastore_version_id, capability_id)
);

-- Validation rules for configuration-group values, per datastore version. Trove hard-deletes
-- these rows (with the version); deleted/deleted_at are kept for row-shape compatibility
-- with older Trove dumps and are not part of the unique key.
CREATE TABLE datastore_configuration_parameters (
    id                    varchar(36)  PRIMARY KEY,
    name                  varchar(128) NOT NULL,
    datastore_version_id  varchar(36)  NOT NULL REFERENCES datastore_versions (id) ON DELETE CASCADE,
    restart_required      boolean      NOT NULL DEFAULT false,
    max_size              varchar(40),  -- strings: bounds may exceed 64-bit integers
    min_size              varchar(40),
    data_type             varchar(128) NOT NULL,
    deleted               boolean      NOT NULL DEFAULT false,
    deleted_at            timestamp,
    CONSTRAINT datastore_configuration_parameters_version_name_uq UNIQUE (datastore_version_id, name)
);

-- ---------------------------------------------------------------------------
-- Configuration groups
-- ---------------------------------------------------------------------------

CREATE TABLE configurations (
    id                    varchar(36)  PRIMARY KEY,
    name                  varchar(64)  NOT NULL,
    description           varchar(256),
    tenant_id             varchar(64)  NOT NULL,
    datastore_version_id  varchar(36)  NOT NULL REFERENCES datastore_versions (id),
    created               timestamp,
    updated               timestamp,
    deleted               boolean      NOT NULL DEFAULT false,
    deleted_at            timestamp
);
CREATE INDEX configurations_tenant_deleted_idx ON configurations (tenant_id, deleted, id);
CREATE INDEX configurations_datastore_version_idx ON configurations (datastore_version_id);

-- Values are written by upsert on (configuration_id, configuration_key): re-adding a key
-- revives its soft-deleted row rather than inserting a second one.
CREATE TABLE configuration_parameters (
    configuration_id     varchar(36)  NOT NULL REFERENCES configurations (id) ON DELETE CASCADE,
    configuration_key    varchar(128) NOT NULL,
    configuration_value  text,
    deleted              boolean      NOT NULL DEFAULT false,
    deleted_at           timestamp,
    PRIMARY KEY (configuration_id, configuration_key)
);

-- ---------------------------------------------------------------------------
-- Clusters and instances
-- ---------------------------------------------------------------------------

CREATE TABLE clusters (
    id                    varchar(36)  PRIMARY KEY,
    name                  varchar(255) NOT NULL,
    tenant_id             varchar(64)  NOT NULL,
    task_id               integer      NOT NULL,
    datastore_version_id  varchar(36)  NOT NULL REFERENCES datastore_versions (id),
    configuration_id      varchar(36)  REFERENCES configurations (id),
    created               timestamp    NOT NULL,
    updated               timestamp    NOT NULL,
    deleted               boolean      NOT NULL DEFAULT false,
    deleted_at            timestamp
);
CREATE INDEX clusters_tenant_deleted_idx ON clusters (tenant_id, deleted, id);

CREATE TABLE instances (
    id                    varchar(36)  PRIMARY KEY,
    name                  varchar(255),
    tenant_id             varchar(64),
    hostname              varchar(255),
    compute_instance_id   varchar(36),   -- Nova server id
    task_id               integer,
    task_description      varchar(255),
    task_start_time       timestamp,
    server_status         varchar(64),   -- legacy cached Nova status; Trove still maps it
    volume_id             varchar(36),   -- Cinder volume id
    volume_size           integer,       -- GB
    volume_type           varchar(255),
    flavor_id             varchar(255),  -- Nova flavor ids are strings
    -- Nullable like Trove's: history rows outlive a deleted version (the management API
    -- refuses to delete a version that live instances use).
    datastore_version_id  varchar(36)  REFERENCES datastore_versions (id) ON DELETE SET NULL,
    configuration_id      varchar(36)  REFERENCES configurations (id),
    slave_of_id           varchar(36)  REFERENCES instances (id) ON DELETE SET NULL,  -- REST replica_of
    cluster_id            varchar(36)  REFERENCES clusters (id),
    shard_id              varchar(36),
    type                  varchar(64),   -- cluster member role
    region_id             varchar(255),
    availability_zone     varchar(255),
    -- Per-instance RPC key, encrypted at rest with inst_rpc_key_encr_key (base64 text).
    -- NULL when secure RPC messaging is disabled: that instance's traffic is plaintext.
    encrypted_key         text,
    access                jsonb,         -- {"is_public": bool, "allowed_cidrs": [..]}
    addresses             jsonb,         -- [{"type", "address", "network"}, ..]
    ssl_mode              varchar(16),
    ssl_ref               text,          -- Barbican container href
    created               timestamp,
    updated               timestamp,
    deleted               boolean      NOT NULL DEFAULT false,
    deleted_at            timestamp
);
-- Tenant listings: WHERE tenant_id = ? AND deleted = false AND id > :marker ORDER BY id.
CREATE INDEX instances_tenant_deleted_idx ON instances (tenant_id, deleted, id);
CREATE INDEX instances_slave_of_idx ON instances (slave_of_id);
CREATE INDEX instances_cluster_idx ON instances (cluster_id);
CREATE INDEX instances_configuration_idx ON instances (configuration_id);
CREATE INDEX instances_datastore_version_idx ON instances (datastore_version_id);
CREATE INDEX instances_compute_instance_idx ON instances (compute_instance_id);

-- Guest-reported service status, one row per instance.
CREATE TABLE service_statuses (
    id                  varchar(36) PRIMARY KEY,
    instance_id         varchar(36) NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    status_id           integer     NOT NULL,
    status_description  varchar(64) NOT NULL,
    updated_at          timestamp,  -- time of the last heartbeat applied: guest liveness
    -- The guest's "sent" stamp (float UNIX seconds with microseconds) of the last heartbeat
    -- applied. double precision because a single-precision float cannot even resolve whole
    -- seconds at current epoch values, which would break out-of-order detection.
    sent                double precision,
    created             timestamp,
    deleted             boolean     NOT NULL DEFAULT false,
    CONSTRAINT service_statuses_instance_uq UNIQUE (instance_id)
);

-- Last "sent" stamp accepted per (instance, conductor method): messages carrying an older
-- stamp arrived out of order and are dropped. double precision for the reason above.
CREATE TABLE conductor_lastseen (
    instance_id  varchar(36) NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    method_name  varchar(64) NOT NULL,
    sent         double precision,
    PRIMARY KEY (instance_id, method_name)
);

CREATE TABLE instance_faults (
    id           varchar(64) PRIMARY KEY,
    instance_id  varchar(36) NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    message      text        NOT NULL,
    details      text        NOT NULL,
    created      timestamp   NOT NULL,
    updated      timestamp   NOT NULL,
    deleted      boolean     NOT NULL DEFAULT false,
    deleted_at   timestamp
);
-- REST shows the newest non-deleted fault of an instance.
CREATE INDEX instance_faults_instance_idx ON instance_faults (instance_id, deleted, updated);

-- GET /root answers from this history, not from the guest. deleted_at later than created
-- means root was disabled again.
CREATE TABLE root_enabled_history (
    instance_id  varchar(36)  PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
    user_id      varchar(255),  -- Keystone user who enabled root (Trove's column "user")
    created      timestamp,
    deleted_at   timestamp
);

-- Guest agent version reports (legacy guest upgrade path).
CREATE TABLE agent_heartbeats (
    id                   varchar(36)  PRIMARY KEY,
    instance_id          varchar(36)  NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    guest_agent_version  varchar(255),
    updated_at           timestamp    NOT NULL,
    deleted              boolean      NOT NULL DEFAULT false,
    deleted_at           timestamp,
    CONSTRAINT agent_heartbeats_instance_uq UNIQUE (instance_id)
);
CREATE INDEX agent_heartbeats_version_idx ON agent_heartbeats (guest_agent_version);

-- Designate records created for instance hostnames (only used when DNS support is on).
CREATE TABLE dns_records (
    name       varchar(255) PRIMARY KEY,
    record_id  varchar(64)
);

-- ---------------------------------------------------------------------------
-- Backups
-- ---------------------------------------------------------------------------

CREATE TABLE backups (
    id                    varchar(36)  PRIMARY KEY,
    name                  varchar(255) NOT NULL,
    description           varchar(512),
    location              text,          -- object URL (REST locationRef)
    backup_type           varchar(32),
    size                  double precision,  -- GB, fractional
    tenant_id             varchar(64),
    state                 varchar(32)  NOT NULL,
    -- Backups outlive their instance; NULL for backups registered with restore_from.
    instance_id           varchar(36)  REFERENCES instances (id) ON DELETE SET NULL,
    checksum              varchar(64),
    backup_timestamp      timestamp,
    parent_id             varchar(36)  REFERENCES backups (id),  -- incremental backup's parent
    datastore_version_id  varchar(36)  REFERENCES datastore_versions (id) ON DELETE SET NULL,
    storage_driver        varchar(255),  -- swift, cinder, ...
    created               timestamp,
    updated               timestamp,
    deleted               boolean      NOT NULL DEFAULT false,
    deleted_at            timestamp
);
CREATE INDEX backups_instance_deleted_idx ON backups (instance_id, deleted, created);
CREATE INDEX backups_tenant_deleted_idx ON backups (tenant_id, deleted, created);
CREATE INDEX backups_parent_idx ON backups (parent_id);
CREATE INDEX backups_datastore_version_idx ON backups (datastore_version_id);

-- Where a project's (instance_id = '') or one instance's backups go. Upserted and
-- hard-deleted through /backup_strategies; '' rather than NULL keeps the unique key
-- effective for the project-wide row, so instance_id has no foreign key.
CREATE TABLE backup_strategy (
    id               varchar(36)  PRIMARY KEY,
    tenant_id        varchar(64)  NOT NULL,
    instance_id      varchar(36)  NOT NULL DEFAULT '',
    backend          varchar(255) NOT NULL,
    swift_container  varchar(255),
    created          timestamp,
    updated          timestamp,
    CONSTRAINT backup_strategy_tenant_instance_uq UNIQUE (tenant_id, instance_id)
);

-- ---------------------------------------------------------------------------
-- Quotas
-- ---------------------------------------------------------------------------

CREATE TABLE quotas (
    id          varchar(36)  PRIMARY KEY,
    tenant_id   varchar(64)  NOT NULL,
    resource    varchar(255) NOT NULL,
    hard_limit  integer,
    created     timestamp,
    updated     timestamp,
    CONSTRAINT quotas_tenant_resource_uq UNIQUE (tenant_id, resource)
);

CREATE TABLE quota_usages (
    id         varchar(36)  PRIMARY KEY,
    tenant_id  varchar(64)  NOT NULL,
    resource   varchar(255) NOT NULL,
    in_use     integer      NOT NULL DEFAULT 0,
    reserved   integer      NOT NULL DEFAULT 0,
    created    timestamp,
    updated    timestamp,
    CONSTRAINT quota_usages_tenant_resource_uq UNIQUE (tenant_id, resource)
);

CREATE TABLE reservations (
    id        varchar(36) PRIMARY KEY,
    usage_id  varchar(36) NOT NULL REFERENCES quota_usages (id) ON DELETE CASCADE,
    delta     integer     NOT NULL,
    status    varchar(36),  -- New, Reserved, Committed, Rolled Back
    created   timestamp,
    updated   timestamp
);
CREATE INDEX reservations_usage_idx ON reservations (usage_id);

-- ---------------------------------------------------------------------------
-- Modules
-- ---------------------------------------------------------------------------

-- datastore_id / datastore_version_id NULL mean "any". They carry no foreign keys: Trove
-- lets a datastore version be deleted while (soft-deleted) modules still name it.
CREATE TABLE modules (
    id                    varchar(64)  PRIMARY KEY,
    name                  varchar(255) NOT NULL,
    type                  varchar(255) NOT NULL,
    contents              text         NOT NULL,
    description           varchar(255),
    tenant_id             varchar(64),   -- NULL: visible to all projects
    datastore_id          varchar(64),
    datastore_version_id  varchar(64),
    auto_apply            boolean      NOT NULL DEFAULT false,
    visible               boolean      NOT NULL DEFAULT true,
    live_update           boolean      NOT NULL DEFAULT false,
    priority_apply        boolean      NOT NULL DEFAULT false,
    apply_order           integer      NOT NULL DEFAULT 5,
    is_admin              boolean      NOT NULL DEFAULT false,
    md5                   varchar(32)  NOT NULL,
    created               timestamp    NOT NULL,
    updated               timestamp    NOT NULL,
    deleted               boolean      NOT NULL DEFAULT false,
    deleted_at            timestamp
);
-- One live module per (type, tenant, datastore, version, name), where NULL ("any")
-- matches NULL as Trove's duplicate check does; deleted modules never collide.
CREATE UNIQUE INDEX modules_live_key_uq ON modules (
    type, COALESCE(tenant_id, ''), COALESCE(datastore_id, ''), COALESCE(datastore_version_id, ''), name)
    WHERE NOT deleted;
CREATE INDEX modules_tenant_deleted_idx ON modules (tenant_id, deleted);

CREATE TABLE instance_modules (
    id           varchar(64) PRIMARY KEY,
    instance_id  varchar(36) NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    module_id    varchar(64) NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    md5          varchar(32) NOT NULL,
    created      timestamp   NOT NULL,
    updated      timestamp   NOT NULL,
    deleted      boolean     NOT NULL DEFAULT false,
    deleted_at   timestamp
);
CREATE INDEX instance_modules_instance_idx ON instance_modules (instance_id, deleted);
CREATE INDEX instance_modules_module_idx ON instance_modules (module_id, deleted);

-- ---------------------------------------------------------------------------
-- Legacy tables: still part of Trove's model, unused by current Trove code paths
-- (security groups moved to Neutron, images to datastore_versions, usage to notifications).
-- ---------------------------------------------------------------------------

CREATE TABLE security_groups (
    id           varchar(36)  PRIMARY KEY,
    name         varchar(255),
    description  varchar(255),
    user_id      varchar(255),  -- Trove's column "user"
    tenant_id    varchar(64),
    created      timestamp,
    updated      timestamp,
    deleted      boolean      NOT NULL DEFAULT false,
    deleted_at   timestamp
);

CREATE TABLE security_group_rules (
    id               varchar(36)  PRIMARY KEY,
    group_id         varchar(36)  REFERENCES security_groups (id) ON DELETE CASCADE ON UPDATE CASCADE,
    parent_group_id  varchar(36)  REFERENCES security_groups (id) ON DELETE CASCADE ON UPDATE CASCADE,
    protocol         varchar(255),
    from_port        integer,
    to_port          integer,
    cidr             varchar(255),
    created          timestamp,
    updated          timestamp,
    deleted          boolean      NOT NULL DEFAULT false,
    deleted_at       timestamp
);
CREATE INDEX security_group_rules_group_idx ON security_group_rules (group_id);

CREATE TABLE security_group_instance_associations (
    id                 varchar(36) PRIMARY KEY,
    security_group_id  varchar(36) REFERENCES security_groups (id) ON DELETE CASCADE ON UPDATE CASCADE,
    instance_id        varchar(36) REFERENCES instances (id) ON DELETE CASCADE ON UPDATE CASCADE,
    created            timestamp,
    updated            timestamp,
    deleted            boolean     NOT NULL DEFAULT false,
    deleted_at         timestamp
);
CREATE INDEX security_group_instance_associations_instance_idx
    ON security_group_instance_associations (instance_id);
CREATE INDEX security_group_instance_associations_group_idx
    ON security_group_instance_associations (security_group_id);

CREATE TABLE service_images (
    id            varchar(36)  PRIMARY KEY,
    service_name  varchar(255),
    image_id      varchar(255)
);

CREATE TABLE usage_events (
    id                varchar(36) PRIMARY KEY,
    instance_name     varchar(255),
    tenant_id         varchar(64),
    nova_instance_id  varchar(36),
    instance_size     integer,
    nova_volume_id    varchar(36),
    volume_size       integer,
    end_time          timestamp,
    updated           timestamp
);
