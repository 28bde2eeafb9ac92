package org.trovej.api.instance;

import java.util.List;
import java.util.Map;

/**
 * Trove's {@code ignore_dbs} / {@code ignore_users} defaults per datastore manager: names users may not create
 * because the service itself uses them.
 */
record ReservedNames(List<String> databases, List<String> users) {

    private static final ReservedNames MYSQL = new ReservedNames(
            List.of("mysql", "information_schema", "performance_schema", "sys"), List.of("os_admin", "root"));
    private static final Map<String, ReservedNames> BY_MANAGER = Map.of(
            "postgresql", new ReservedNames(List.of("os_admin", "postgres"), List.of("os_admin", "postgres")),
            "mysql", MYSQL,
            "mariadb", MYSQL);

    static ReservedNames of(String manager) {
        return BY_MANAGER.getOrDefault(manager, MYSQL);
    }
}
