package org.trovej.taskmanager.compute.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The guest configuration's edits after an upgrade: one key, one section, the rest of the file as it was. */
class IniTextTest {

    private static final String AGENT = """
            # Written by the TroveJ task manager (local back end)
            [DEFAULT]
            transport_url = rabbit://u:secret@127.0.0.1:5672/
            report_interval = 10

            [postgresql]
            bind_host = 127.1.0.1
            bin_dir = /var/cache/trovej/postgres-binaries/zonky-1/bin
            run_as = postgres
            """;

    @Test
    void aSectionIsReplacedWholeAndNothingElseChanges() {
        Map<String, String> section = new LinkedHashMap<>();
        section.put("bind_host", "127.1.0.1");
        section.put("bin_dir", "/usr/lib/postgresql/15/bin");

        String edited = IniText.replaceSection(AGENT, "postgresql", section);

        assertThat(edited).contains("transport_url = rabbit://u:secret@127.0.0.1:5672/\nreport_interval = 10\n")
                .contains("[postgresql]\nbind_host = 127.1.0.1\nbin_dir = /usr/lib/postgresql/15/bin\n")
                .doesNotContain("zonky").doesNotContain("run_as");
        assertThat(IniText.replaceSection(edited, "postgresql", section)).isEqualTo(edited);
        assertThat(IniText.replaceSection("[DEFAULT]\na = 1\n", "mariadb", Map.of("mysqld", "/usr/sbin/mariadbd")))
                .isEqualTo("[DEFAULT]\na = 1\n\n[mariadb]\nmysqld = /usr/sbin/mariadbd\n");
    }

    @Test
    void aKeyIsSetInItsSectionOnly() {
        String info = "[DEFAULT]\nguest_id = g1\ndatastore_version = 14\ntenant_id = t\n";

        assertThat(IniText.replaceKey(info, "DEFAULT", "datastore_version", "15"))
                .isEqualTo("[DEFAULT]\nguest_id = g1\ndatastore_version = 15\ntenant_id = t\n");
        assertThat(IniText.replaceKey("[DEFAULT]\nguest_id = g1\n\n[other]\ndatastore_version = x\n", "DEFAULT",
                "datastore_version", "15"))
                .isEqualTo("[DEFAULT]\nguest_id = g1\ndatastore_version = 15\n\n[other]\ndatastore_version = x\n");
    }
}
