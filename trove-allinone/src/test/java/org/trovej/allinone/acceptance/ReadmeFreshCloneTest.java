package org.trovej.allinone.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * README's set-up, as a new user follows it: {@code git clone} of this checkout into a private directory (mode
 * 0700, as {@code mktemp -d} and root's home are), nothing built beforehand, then README's own commands, read from
 * README.md and run as written — {@code scripts/trovej up}, the instance create, list, databases, users and root,
 * and {@code psql} to the new instance. Only the API's port (and the embedded services' ports) are chosen free,
 * so that a TroveJ already running on 8779 does not get in the way. The clone is of the committed HEAD.
 */
class ReadmeFreshCloneTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BUILD_AND_START = Duration.ofMinutes(20);
    private static final Duration COMMAND = Duration.ofMinutes(3);
    private static final Duration HEALTHY = Duration.ofMinutes(5);

    private Path temp;
    private Path clone;
    private Map<String, String> env;

    @AfterEach
    void cleanUp() throws Exception {
        if (clone == null) {
            return;
        }
        String log = Files.exists(clone.resolve(".trovej/logs/trovej.log"))
                ? Files.readString(clone.resolve(".trovej/logs/trovej.log")) : "";
        shell("scripts/trovej down", COMMAND);
        // the local back end's instances, wherever it chose to keep them (README: outside a private checkout)
        Matcher m = Pattern.compile("Local back end: instances in (\\S+)").matcher(log);
        if (m.find()) {
            FileSystemUtils.deleteRecursively(Path.of(m.group(1)).getParent());
        }
        FileSystemUtils.deleteRecursively(temp);
    }

    @Test
    void readmeCommandsGiveAHealthyInstanceFromAFreshCloneInAPrivateDirectory() throws Exception {
        OpenStackCli.requireInstalled();
        Path checkout = checkoutRoot();
        temp = Files.createTempDirectory("trovej-readme");
        assertThat(Files.getPosixFilePermissions(temp)).doesNotContain(PosixFilePermission.OTHERS_EXECUTE);
        clone = temp.resolve("c");
        run(List.of("git", "clone", "-q", checkout.toString(), clone.toString()), checkout, COMMAND).ok();
        assertThat(clone.resolve("trove-guestagent/target")).doesNotExist();

        int port = freePort();
        env = Map.of("SERVER_PORT", Integer.toString(port),
                "TROVEJ_EMBEDDED_POSTGRES_PORT", Integer.toString(freePort()),
                "TROVEJ_EMBEDDED_AMQP_PORT", Integer.toString(freePort()));
        List<String> commands = readmeCommands(Files.readString(clone.resolve("README.md")), port);

        String up = commands.stream().filter(c -> c.equals("scripts/trovej up")).findFirst().orElseThrow();
        shell(up, BUILD_AND_START).ok();

        String create = only(commands, "database instance create");
        shell(create, COMMAND).ok();
        String endpoint = "http://127.0.0.1:" + port + "/v1.0/myproject";
        OpenStackCli cli = new OpenStackCli(endpoint);
        JsonNode instance = awaitHealthy(cli, "db1");
        String id = instance.path("id").asText();
        assertThat(shell(only(commands, "database instance list"), COMMAND).ok().stdout()).contains("db1");

        // README: psql -h <address> -U app app, with the password the create gave
        String address = instance.path("addresses").toString()
                .replaceAll(".*\"address\":\\s*\"([0-9.]+)\".*", "$1");
        String psql = only(commands, "psql ").replace("<address>", address);
        String password = create.replaceAll(".*--users app:(\\S+).*", "$1");
        assertThat(shell("PGPASSWORD='" + password + "' " + psql + " -Atc 'SELECT current_user'", COMMAND).ok()
                .stdout().trim()).isEqualTo("app");

        // README's databases, users and root commands, on that instance
        for (String command : commands) {
            if (command.contains("<id>")) {
                shell(command.replace("<id>", id), COMMAND).ok();
            }
        }
        assertThat(cli.run("database", "db", "list", id, "-f", "json").ok().stdout()).contains("reports");
        assertThat(cli.run("database", "user", "list", id, "-f", "json").ok().stdout()).contains("analyst");
        assertThat(cli.run("database", "root", "show", id, "-f", "json").ok().json().path("is_root_enabled")
                .asBoolean()).isTrue();

        cli.run("database", "instance", "delete", id).ok();
    }

    /**
     * README's shell commands: its indented code lines (backslash continuations joined) that run TroveJ's
     * script, the openstack client or psql, with the API's port replaced by {@code port}.
     */
    static List<String> readmeCommands(String readme, int port) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = null;
        for (String line : readme.split("\n")) {
            if (current != null) {
                current.append(' ').append(line.strip());
            } else if (line.startsWith("    ") && line.strip().matches("(scripts/trovej up|openstack |psql ).*")) {
                current = new StringBuilder(line.strip());
            } else {
                continue;
            }
            if (current.toString().endsWith("\\")) {
                current.setLength(current.length() - 1);
            } else {
                commands.add(current.toString().replaceAll("\\s+", " ").replace("127.0.0.1:8779",
                        "127.0.0.1:" + port));
                current = null;
            }
        }
        // psql is shown inline in README: `psql -h <address> -U app app`
        Matcher inline = Pattern.compile("`(psql [^`]+)`").matcher(readme);
        if (inline.find()) {
            commands.add(inline.group(1));
        }
        return commands;
    }

    private static String only(List<String> commands, String containing) {
        List<String> found = commands.stream().filter(c -> c.contains(containing)).toList();
        assertThat(found).as("README's command with '%s' in %s", containing, commands).hasSize(1);
        return found.get(0);
    }

    private JsonNode awaitHealthy(OpenStackCli cli, String name) throws InterruptedException {
        long deadline = System.nanoTime() + HEALTHY.toNanos();
        JsonNode shown = null;
        while (System.nanoTime() < deadline) {
            shown = cli.run("database", "instance", "show", name, "-f", "json").ok().json();
            String status = shown.path("status").asText();
            if ("ACTIVE".equals(status) && "HEALTHY".equals(shown.path("operating_status").asText())) {
                return shown;
            }
            assertThat(status).as("instance %s: %s", name, shown).isNotEqualTo("ERROR");
            Thread.sleep(1000);
        }
        throw new AssertionError("not ACTIVE + HEALTHY within " + HEALTHY + ": " + shown);
    }

    private CommandResult shell(String command, Duration timeout) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", command), clone, timeout);
    }

    private CommandResult run(List<String> command, Path dir, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // a new user's environment: none of the test run's TroveJ, Spring or OpenStack settings
        builder.environment().keySet().removeIf(k -> k.startsWith("TROVEJ_") || k.startsWith("SPRING_")
                || k.startsWith("OS_"));
        if (env != null) {
            builder.environment().putAll(env);
        }
        Path output = Files.createTempFile("readme-command", ".log");
        try {
            Process p = builder.redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            return new CommandResult(String.join(" ", command), done ? p.exitValue() : -1, text);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    record CommandResult(String command, int exitCode, String stdout) {

        CommandResult ok() {
            if (exitCode != 0) {
                throw new AssertionError(command + (exitCode < 0 ? " timed out" : " exited " + exitCode) + ":\n"
                        + stdout);
            }
            return this;
        }
    }

    private static Path checkoutRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("scripts/trovej")) && Files.exists(dir.resolve(".git"))) {
                return dir;
            }
        }
        throw new AssertionError("no git checkout with scripts/trovej above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The parser on README's own shapes, so that a reworded README fails here, clearly, and not later. */
    @Test
    void readmeCommandsAreFoundWithTheirContinuationsJoined() throws IOException {
        List<String> commands = readmeCommands(Files.readString(checkoutRoot().resolve("README.md")), 9999);
        assertThat(commands).contains("scripts/trovej up");
        assertThat(only(commands, "database instance create")).startsWith("openstack --os-auth-type none "
                + "--os-endpoint http://127.0.0.1:9999/v1.0/myproject database instance create db1")
                .contains("--users app:App-Pass-1");
        assertThat(only(commands, "psql ")).contains("<address>");
        assertThat(commands.stream().filter(c -> c.contains("<id>"))).hasSize(3);
    }
}
