package org.trovej.api.guest;

import org.trovej.common.guest.GuestSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Trove's guest models' rules, case by case (the REST tests cover how they are worded in responses). */
class DatastoreRulesTest {

    private final DatastoreRules mysql = DatastoreRules.of("mysql");
    private final DatastoreRules postgresql = DatastoreRules.of("postgresql");

    @Test
    void mysqlSchemaNames() {
        for (String ok : new String[] {"ab", "my_db-1", "a b", "a?#@ b", "x".repeat(64)}) {
            mysql.checkSchemaName(ok);
        }
        for (String bad : new String[] {"a", "a\tb", "a\u00a0b", "a.b", "é1", "ab\n", "a\\b"}) {
            assertThatThrownBy(() -> mysql.checkSchemaName(bad)).as(bad).isInstanceOf(DatastoreRules.Invalid.class);
        }
        assertThatThrownBy(() -> mysql.checkSchemaName("x".repeat(65))).hasMessage("Schema name '" + "x".repeat(65)
                + "' is too long. Max length = 64.");
        assertThat(DatastoreRules.of("mariadb").ignoredDbs()).isEqualTo(mysql.ignoredDbs());
    }

    @Test
    void mysqlUsersHostsAndPasswords() {
        mysql.checkUserName("sixteen-chars-ok");
        assertThatThrownBy(() -> mysql.checkUserName(" lead")).hasMessage("' lead' is not a valid user name.");
        for (String bad : new String[] {"a'b", "a\"b", "a;b", "a`b", "a,b", "a/b", "a\\b", "tail "}) {
            assertThatThrownBy(() -> mysql.checkPassword(bad)).as(bad)
                    .hasMessage("The password is not a valid password.");
        }
        for (String host : new String[] {"%", "10.0.0.1", "10.0.0.%", "10.0.0.0/24", "%.1.2.3", "::1", "fe80::/64",
                "10.0.0", "192.168.1.0/255.255.255.0"}) {
            mysql.checkHost(host);
        }
        for (String host : new String[] {"localhost", "010.0.0.1", "300.1.1.1", "10.0.0.1/33", "1.2.3.4.5",
                "10.0.0.0/255.0.255.0"}) {
            assertThatThrownBy(() -> mysql.checkHost(host)).as(host).hasMessage("'" + host
                    + "' is not a valid hostname.");
        }
    }

    @Test
    void mysqlCharacterSetsAndCollations() {
        assertThat(mysql.schema("db", null, null)).isEqualTo(new GuestSchema("db", null, null));
        assertThat(mysql.schema("db", "utf8mb4", null)).isEqualTo(new GuestSchema("db", null, "utf8mb4"));
        assertThat(mysql.schema("db", "utf8mb4", "utf8mb4_bin")).isEqualTo(new GuestSchema("db", "utf8mb4_bin",
                "utf8mb4"));
        assertThat(mysql.schema("db", "", "utf8mb4_0900_ai_ci")).isEqualTo(new GuestSchema("db",
                "utf8mb4_0900_ai_ci", "utf8mb4"));
        assertThatThrownBy(() -> mysql.schema("db", "utf8mb4", "utf8mb4_0900_ai_ci"))
                .hasMessage("utf8mb4_0900_ai_ci not a valid collation for charset utf8mb4.");
    }

    @Test
    void postgresqlRules() {
        for (String ok : new String[] {"ab", "é db", "Ünïcode-名前", "x".repeat(63)}) {
            postgresql.checkSchemaName(ok);
        }
        for (String bad : new String[] {"a", "ab ", "x".repeat(64)}) {
            assertThatThrownBy(() -> postgresql.checkSchemaName(bad)).as(bad)
                    .isInstanceOf(DatastoreRules.Invalid.class);
        }
        postgresql.checkUserName("x".repeat(63));
        postgresql.checkHost("localhost");
        postgresql.checkPassword("any 'thing' goes;");
        assertThatThrownBy(() -> postgresql.checkUserName("x".repeat(64))).hasMessageEndingWith("Max length = 63.");
        assertThatThrownBy(() -> postgresql.checkReservedUser("postgres"))
                .hasMessage("User name \"postgres\" is on the reserved list: ['os_admin', 'postgres'].");
        assertThat(postgresql.hiddenDb("template0")).isTrue();
        assertThat(postgresql.schema("db", "UTF8", "C")).isEqualTo(new GuestSchema("db", "C", "UTF8"));
        assertThat(postgresql.rootUserName()).isEqualTo("root");
    }

    @Test
    void otherManagersOnlyRefuseEmptyNames() {
        DatastoreRules redis = DatastoreRules.of("redis");
        redis.checkSchemaName("a");
        assertThatThrownBy(() -> redis.checkSchemaName("")).hasMessage("Schema name empty.");
        assertThat(DatastoreRules.SUPPORTED_MANAGERS).containsExactlyInAnyOrder("mysql", "mariadb", "postgresql");
    }
}
