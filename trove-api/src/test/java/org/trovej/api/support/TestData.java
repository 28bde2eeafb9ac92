package org.trovej.api.support;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows the API tests start from, written with plain SQL. The datastores have fixed ids and are inserted once
 * per database (every test class of the JVM shares it): postgresql with an active default "16" and an inactive
 * "12", and mysql with an inactive "8.0" only (invisible to non-admins).
 */
public final class TestData {

    public static final String POSTGRESQL = "d0000000-0000-4000-8000-000000000001";
    public static final String PG16 = "d0000000-0000-4000-8000-000000000016";
    public static final String PG12 = "d0000000-0000-4000-8000-000000000012";
    public static final String MYSQL = "d0000000-0000-4000-8000-000000000002";
    public static final String MYSQL80 = "d0000000-0000-4000-8000-000000000080";

    private TestData() {
    }

    public static void ensureDatastores(JdbcTemplate jdbc) {
        jdbc.update("INSERT INTO datastores (id, name) VALUES (?, 'postgresql'), (?, 'mysql') ON CONFLICT DO NOTHING",
                POSTGRESQL, MYSQL);
        jdbc.update("INSERT INTO datastore_versions (id, datastore_id, name, version, manager, active, packages, "
                + "image_tags) VALUES (?, ?, '16', '16.4', 'postgresql', true, 'postgresql-16,postgresql-contrib', "
                + "'trove,postgres'), (?, ?, '12', '12.19', 'postgresql', false, null, null), "
                + "(?, ?, '8.0', '8.0.36', 'mysql', false, null, null) ON CONFLICT DO NOTHING",
                PG16, POSTGRESQL, PG12, POSTGRESQL, MYSQL80, MYSQL);
        jdbc.update("UPDATE datastores SET default_version_id = ? WHERE id = ? AND default_version_id IS NULL",
                PG16, POSTGRESQL);
    }

    public static String project() {
        return "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public static LocalDateTime nowUtc() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }

    /** An instance of the given state, as the task manager and conductor would have left it. */
    public static final class InstanceRow {
        private final String id = UUID.randomUUID().toString();
        private final String project;
        private String name;
        private int task = 0x01;
        private String server = "ACTIVE";
        private int service = 0x21;
        private String serviceDescription = "healthy";
        private LocalDateTime heartbeat = nowUtc();
        private LocalDateTime created = nowUtc();
        private String flavor = "2";
        private int volume = 2;
        private String addresses;
        private String access;
        private String versionId = PG16;

        public InstanceRow(String project) {
            this.project = project;
            this.name = "i-" + id.substring(0, 8);
        }

        public InstanceRow name(String value) {
            name = value;
            return this;
        }

        public InstanceRow task(int value) {
            task = value;
            return this;
        }

        public InstanceRow server(String value) {
            server = value;
            return this;
        }

        public InstanceRow service(int code, String description) {
            service = code;
            serviceDescription = description;
            return this;
        }

        public InstanceRow heartbeat(LocalDateTime value) {
            heartbeat = value;
            return this;
        }

        public InstanceRow created(LocalDateTime value) {
            created = value;
            return this;
        }

        public InstanceRow flavor(String value) {
            flavor = value;
            return this;
        }

        public InstanceRow volume(int value) {
            volume = value;
            return this;
        }

        public InstanceRow addresses(String json) {
            addresses = json;
            return this;
        }

        public InstanceRow access(String json) {
            access = json;
            return this;
        }

        public InstanceRow version(String value) {
            versionId = value;
            return this;
        }

        public String insert(JdbcTemplate jdbc) {
            jdbc.update("INSERT INTO instances (id, name, tenant_id, task_id, task_description, server_status, "
                    + "flavor_id, volume_size, datastore_version_id, region_id, addresses, access, "
                    + "compute_instance_id, created, updated, deleted) VALUES (?, ?, ?, ?, 'test', ?, ?, ?, ?, "
                    + "'RegionOne', CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, ?, false)",
                    id, name, project, task, server, flavor, volume, versionId, addresses, access, UUID.randomUUID().toString(),
                    created, created);
            jdbc.update("INSERT INTO service_statuses (id, instance_id, status_id, status_description, updated_at, "
                    + "created, deleted) VALUES (?, ?, ?, ?, ?, ?, false)", UUID.randomUUID().toString(), id, service,
                    serviceDescription, heartbeat, created);
            return id;
        }
    }
}
