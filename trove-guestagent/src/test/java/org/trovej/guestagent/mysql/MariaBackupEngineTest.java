package org.trovej.guestagent.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the mariabackup engine that need no server: option values, the LSN, failure reasons. */
class MariaBackupEngineTest {

    @TempDir
    Path tmp;

    @Test
    void aPasswordInTheOptionFileReadsBackAsItIsWithTheServersOwnParser() throws Exception {
        String password = "a\"b\\c'd #e;f [client] x";
        Path file = tmp.resolve("backup.cnf");
        Files.writeString(file, "[client]\npassword = " + MariaBackupEngine.optionValue(password) + "\n");

        Process p = new ProcessBuilder("my_print_defaults", "--defaults-file=" + file, "client")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(out.strip()).isEqualTo("--password=" + password);
    }

    @Test
    void theLsnIsTheCheckpointsToLsn() throws Exception {
        Path checkpoints = tmp.resolve("xtrabackup_checkpoints");
        Files.writeString(checkpoints, """
                backup_type = incremental
                from_lsn = 44404
                to_lsn = 51997
                last_lsn = 52011
                recover_binlog_info = 0
                """);
        assertThat(MariaBackupEngine.toLsn(checkpoints)).contains("51997");
        assertThat(MariaBackupEngine.toLsn(tmp.resolve("absent"))).isEmpty();
    }

    @Test
    void aFailureReadsAsTheToolsErrorWithoutTimeStampsNorThePasswordHashOfTheGrantsItPrints() {
        List<String> stderr = List.of(
                "[00] 2026-12-03 04:59:42 Connecting to MariaDB server host: localhost, user: os_admin, password: set",
                "[00] 2026-12-03 04:59:42 Using server version 10.11.19-MariaDB-0+deb12u1",
                "[00] 2026-12-03 04:59:42 Error: missing required privilege RELOAD on *.*",
                "[00] 2026-12-03 04:59:42 Current privileges, as reported by 'SHOW GRANTS': ",
                "[00] 2026-12-03 04:59:42   1.GRANT SELECT, PROCESS ON *.* TO `os_admin`@`localhost` IDENTIFIED BY "
                        + "PASSWORD '*294C0732012CCCCF7BDCEE333403742C74A84A26' WITH GRANT OPTION");

        String reason = MariaBackupEngine.reason(stderr);

        assertThat(reason).isEqualTo("Error: missing required privilege RELOAD on *.*");
        assertThat(MariaBackupEngine.reason(stderr.subList(3, 5))).doesNotContain("294C07");
    }

    @Test
    void progressLinesNamingErrorsAreNotTakenForErrorsAndWithoutAnErrorTheLastLinesAreTheReason() {
        List<String> stderr = List.of(
                "[01] 2026-12-03 04:58:08 Streaming ./sys/statements_with_errors_or_warnings.frm to <STDOUT>",
                "[01] 2026-12-03 04:58:08         ...done",
                "[01] 2026-12-03 04:58:08 Streaming ./appdb/items.ibd",
                "2026-12-03  4:58:08 0 [Note] InnoDB: Starting shutdown...");

        assertThat(MariaBackupEngine.reason(stderr)).isEqualTo(
                "...done | Streaming ./appdb/items.ibd | [Note] InnoDB: Starting shutdown...");
        assertThat(MariaBackupEngine.reason(List.of(
                "[00] 2026-12-03 04:58:34 Failed to connect to MariaDB server: Access denied for user "
                        + "'nobody'@'localhost' (using password: YES).")))
                .isEqualTo("Failed to connect to MariaDB server: Access denied for user 'nobody'@'localhost' "
                        + "(using password: YES).");
    }
}
