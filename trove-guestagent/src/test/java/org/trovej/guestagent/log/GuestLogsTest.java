package org.trovej.guestagent.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trovej.common.json.PythonJson;
import org.trovej.common.log.GuestLogAction;
import org.trovej.common.log.GuestLogInfo;
import org.trovej.common.objectstore.SwiftClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcFailure;
import org.trovej.guestagent.config.GuestConfig;
import org.trovej.guestagent.config.IniFile;

/**
 * Guest logs without a database: a log file the test writes, an engine whose switch is a flag, a directory store.
 * Statuses, publishing (split at guest_log_limit, lines metadata, expiry), discard, rotation, who may see what,
 * and Trove's refusals. The engines' own switching is tested against real servers (PostgresGuestLogsTest,
 * MariaDbGuestLogsTest).
 */
class GuestLogsTest {

    private static final RpcContext USER = RpcContext.user("u1", "tenant-1", false);
    private static final RpcContext ADMIN = RpcContext.user("admin", "tenant-1", true);

    @TempDir
    Path dir;
    private Path generalFile;
    private Path agentLog;
    private DirectoryLogStore store;
    private final Set<String> switchedOn = new HashSet<>();
    private int changes;

    private final EngineLogs engine = new EngineLogs() {
        @Override
        public List<UserLog> userLogs() {
            return List.of(new UserLog("general", generalFile), new UserLog("slow_query", dir.resolve("slow.log")));
        }

        @Override
        public List<String> defaultExposed() {
            return List.of("general");
        }

        @Override
        public boolean enabled(String name) {
            return switchedOn.contains(name);
        }

        @Override
        public void setEnabled(String name, boolean enabled, boolean running) {
            changes++;
            if (enabled) {
                switchedOn.add(name);
            } else {
                switchedOn.remove(name);
            }
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        generalFile = dir.resolve("general.log");
        agentLog = dir.resolve("agent").resolve("guest.log");
        Files.createDirectories(agentLog.getParent());
        Files.writeString(agentLog, "agent started\n");
        store = new DirectoryLogStore(dir.resolve("store"));
    }

    private GuestLogs logs(String... defaults) {
        StringBuilder ini = new StringBuilder("[DEFAULT]\nguest_id = inst-1\ndatastore_manager = postgresql\n"
                + "log_dir = " + agentLog.getParent() + "\nlog_file = guest.log\n");
        for (String line : defaults) {
            ini.append(line).append('\n');
        }
        GuestConfig config = GuestConfig.of(IniFile.parse(List.of(ini.toString().split("\n")), "test"));
        return new GuestLogs(LogSettings.from(config, "postgresql", engine.defaultExposed()), engine,
                context -> store, (what, change) -> change.run(), () -> true);
    }

    private static GuestLogAction action(String log, Integer enable, Integer disable, Integer publish,
                                         Integer discard) {
        return new GuestLogAction(log, enable, disable, publish, discard);
    }

    private void append(String text) throws Exception {
        Files.writeString(generalFile, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void statusesFollowTheFileAndWhatIsPublished() throws Exception {
        GuestLogs logs = logs();
        assertThat(logs.action(USER, action("general", null, null, null, null)).status()).isEqualTo("Disabled");

        GuestLogInfo enabled = logs.action(USER, action("general", 1, null, null, null));
        assertThat(enabled.status()).isEqualTo("Enabled");
        assertThat(enabled.container()).isEqualTo("None");
        assertThat(enabled.prefix()).isEqualTo("None");
        assertThat(enabled.metafile()).isEqualTo("inst-1/postgresql-general_metafile");

        append("LOG:  statement: SELECT 1\n");
        GuestLogInfo ready = logs.action(USER, action("general", null, null, null, null));
        assertThat(ready.status()).isEqualTo("Ready");
        assertThat(ready.pending()).isEqualTo(Files.size(generalFile));

        GuestLogInfo published = logs.action(USER, action("general", null, null, 1, null));
        assertThat(published.status()).isEqualTo("Published");
        assertThat(published.published()).isEqualTo(Files.size(generalFile));
        assertThat(published.pending()).isZero();
        assertThat(published.container()).isEqualTo("database_logs");
        assertThat(published.prefix()).isEqualTo("inst-1/postgresql-general/");

        append("LOG:  statement: SELECT 2\n");
        GuestLogInfo partial = logs.list(USER).get(0);
        assertThat(partial.name()).isEqualTo("general");
        assertThat(partial.status()).isEqualTo("Partial");
        assertThat(partial.pending()).isEqualTo(26);

        GuestLogInfo disabled = logs.action(USER, action("general", null, 1, null, null));
        assertThat(disabled.status()).isEqualTo("Disabled");
        assertThat(changes).isEqualTo(2);
    }

    @Test
    void publishingSplitsAtTheLimitAfterLineEndsWithLinesMetadataAndExpiry() throws Exception {
        GuestLogs logs = logs("guest_log_limit = 100", "guest_log_expiry = 3600");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append("line ").append(i).append(" ").append("x".repeat(i % 17)).append('\n');
        }
        text.append("y".repeat(250)).append('\n'); // one line longer than an object
        text.append("tail without a newline");
        append(text.toString());

        GuestLogInfo info = logs.action(USER, action("general", null, null, 1, null));

        assertThat(info.status()).isEqualTo("Published");
        List<String> objects = store.list("database_logs", "inst-1/postgresql-general/");
        assertThat(objects).hasSizeGreaterThan(5).allMatch(n -> n.matches(
                "inst-1/postgresql-general/log-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (String object : objects) {
            byte[] bytes = store.bytes("database_logs", object);
            assertThat(bytes.length).isBetween(1, 100);
            String content = new String(bytes, StandardCharsets.UTF_8);
            long newlines = content.chars().filter(c -> c == '\n').count();
            DirectoryLogStore.Stored stored = store.stored("database_logs", object);
            assertThat(stored.metadata().get("lines"))
                    .isEqualTo(Long.toString(newlines + (content.endsWith("\n") ? 0 : 1)));
            assertThat(stored.deleteAfterSeconds()).isEqualTo(3600);
            if (joined.size() < text.indexOf("yyy")) {
                assertThat(content).endsWith("\n"); // split after line ends while lines fit
            }
            joined.write(bytes);
        }
        assertThat(joined.toString(StandardCharsets.UTF_8)).isEqualTo(text.toString());
        var meta = PythonJson.parse(new String(store.bytes("database_logs", "inst-1/postgresql-general_metafile"),
                StandardCharsets.UTF_8));
        assertThat(meta.path("log_name").asText()).isEqualTo("general");
        assertThat(meta.path("log_type").asText()).isEqualTo("USER");
        assertThat(meta.path("log_file").asText()).isEqualTo(generalFile.toString());
        assertThat(meta.path("log_size").asLong()).isEqualTo(Files.size(generalFile));
        assertThat(meta.path("log_header_digest").asText()).hasSize(32);
        assertThat(store.stored("database_logs", "inst-1/postgresql-general_metafile").deleteAfterSeconds())
                .isEqualTo(3600);

        // a new agent knows what was published from the metafile
        GuestLogInfo again = logs().list(USER).get(0);
        assertThat(again.published()).isEqualTo(Files.size(generalFile));
        assertThat(again.status()).isEqualTo("Published");
        // publishing again sends only what is new
        append("\nmore\n");
        logs.action(USER, action("general", null, null, 1, null));
        assertThat(store.list("database_logs", "inst-1/postgresql-general/")).hasSize(objects.size() + 1);
    }

    @Test
    void discardRemovesTheObjectsAndTheMetafile() throws Exception {
        GuestLogs logs = logs();
        append("a\nb\n");
        logs.action(USER, action("general", null, null, 1, null));
        assertThat(store.list("database_logs", "inst-1/")).hasSize(2);

        GuestLogInfo discarded = logs.action(USER, action("general", null, null, null, 1));

        assertThat(store.list("database_logs", "inst-1/")).isEmpty();
        assertThat(discarded.published()).isZero();
        assertThat(discarded.pending()).isEqualTo(4);
        assertThat(discarded.status()).isEqualTo("Ready");
        assertThat(discarded.container()).isEqualTo("None");
    }

    @Test
    void aRotatedFileIsPublishedAnewAfterTheOldObjectsGo() throws Exception {
        GuestLogs logs = logs();
        append("first generation line 1\nfirst generation line 2\n");
        logs.action(USER, action("general", null, null, 1, null));
        String oldObject = store.list("database_logs", "inst-1/postgresql-general/").get(0);

        // same size or larger, but a different first line: rotated all the same
        Files.writeString(generalFile, "second generation, line 1\nand more than before, line 2\n");
        GuestLogInfo rotated = logs.list(USER).get(0);
        assertThat(rotated.status()).isEqualTo("Rotated");
        assertThat(rotated.pending()).isEqualTo(Files.size(generalFile));

        GuestLogInfo published = logs.action(USER, action("general", null, null, 1, null));

        assertThat(published.status()).isEqualTo("Published");
        assertThat(published.published()).isEqualTo(Files.size(generalFile));
        List<String> objects = store.list("database_logs", "inst-1/postgresql-general/");
        assertThat(objects).hasSize(1).doesNotContain(oldObject);
        assertThat(new String(store.bytes("database_logs", objects.get(0)), StandardCharsets.UTF_8))
                .startsWith("second generation");

        // a smaller file is rotated too
        Files.writeString(generalFile, "second generation, line 1\n");
        assertThat(logs.list(USER).get(0).status()).isEqualTo("Rotated");
    }

    @Test
    void theAgentsLogIsForAdminsOnlyAndCannotBeSwitched() throws Exception {
        GuestLogs logs = logs();
        assertThat(logs.list(USER)).extracting(GuestLogInfo::name).containsExactly("general");
        assertThat(logs.list(ADMIN)).extracting(GuestLogInfo::name).containsExactly("general", "slow_query", "guest");
        assertThatThrownBy(() -> logs.action(USER, action("guest", null, null, null, null)))
                .isInstanceOfSatisfying(RpcFailure.class, e -> {
                    assertThat(e.className()).isEqualTo("LogAccessForbidden");
                    assertThat(e.getMessage()).isEqualTo("You must be admin to show log 'guest'.");
                });
        assertThatThrownBy(() -> logs.action(USER, action("guest", null, null, 1, null)))
                .hasMessage("You must be admin to publish log 'guest'.");
        assertThatThrownBy(() -> logs.action(USER, action("guest", null, null, null, 1)))
                .hasMessage("You must be admin to discard log 'guest'.");
        assertThatThrownBy(() -> logs.action(USER, action("slow_query", 1, null, null, null)))
                .hasMessage("You must be admin to show log 'slow_query'.");
        assertThat(changes).isZero();

        GuestLogInfo guest = logs.action(ADMIN, action("guest", null, null, null, null));
        assertThat(guest.type()).isEqualTo("SYS");
        assertThat(guest.status()).isEqualTo("Ready");
        assertThat(guest.metafile()).isEqualTo("inst-1/postgresql-guest_metafile");
        assertThatThrownBy(() -> logs.action(ADMIN, action("guest", 1, null, null, null)))
                .isInstanceOfSatisfying(RpcFailure.class, e -> {
                    assertThat(e.className()).isEqualTo("BadRequest");
                    assertThat(e.getMessage()).isEqualTo("Cannot enable a SYSTEM log ('guest').");
                });
        assertThatThrownBy(() -> logs.action(ADMIN, action("guest", null, 1, null, null)))
                .hasMessage("Cannot disable a SYSTEM log ('guest').");
        GuestLogInfo published = logs.action(ADMIN, action("guest", 1, null, 1, null));
        assertThat(published.status()).isEqualTo("Published");
        assertThat(store.bytes("database_logs", store.list("database_logs", "inst-1/postgresql-guest/").get(0)))
                .isEqualTo(Files.readAllBytes(agentLog));
    }

    @Test
    void troveRefusalsAndAContextWithoutAStore() throws Exception {
        GuestLogs logs = logs();
        assertThatThrownBy(() -> logs.action(USER, action("nope", 1, null, null, null)))
                .isInstanceOfSatisfying(RpcFailure.class, e -> {
                    assertThat(e.module()).isEqualTo("trove.common.exception");
                    assertThat(e.className()).isEqualTo("NotFound");
                    assertThat(e.getMessage()).isEqualTo("Log 'nope' is not defined.");
                });
        assertThatThrownBy(() -> logs.action(USER, action("general", 1, 1, null, null)))
                .isInstanceOfSatisfying(RpcFailure.class, e -> {
                    assertThat(e.className()).isEqualTo("BadRequest");
                    assertThat(e.getMessage()).isEqualTo("Cannot enable and disable log 'general'.");
                });
        // publish implies enable, unless disable is given
        append("x\n");
        logs.action(USER, action("general", null, null, 1, null));
        assertThat(switchedOn).contains("general");

        GuestLogs noStore = new GuestLogs(logs().settings(), engine,
                SwiftLogStore.fromContext(new SwiftClient(), null), (what, change) -> change.run(), () -> true);
        assertThatThrownBy(() -> noStore.list(USER)).isInstanceOfSatisfying(RpcFailure.class, e -> {
            assertThat(e.className()).isEqualTo("BadRequest");
            assertThat(e.getMessage()).contains("no object store");
        });
    }
}
