package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.testsupport.TestInfrastructure;

/**
 * Runs the agent as its own process with the recommended JVM flags, prepares a database through it and
 * prints how long it took to start and how much memory it holds (figures, not assertions: they depend on
 * the machine). Uses the fat jar when it is newer than the compiled classes, else the test class path.
 * Other flags for comparison: {@code -Dguestagent.jvm.flags="..."} (add {@code -XX:NativeMemoryTracking=summary}
 * for the JVM's own breakdown of what grew during the prepare).
 */
class GuestAgentFootprintTest {

    /** The flags recommended for the agent (bin/trove-guestagent uses them; see the module README). */
    static final List<String> JVM_FLAGS = List.of("-Xmx32m", "-Xms8m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss256k", "-XX:ReservedCodeCacheSize=16m",
            "-XX:MaxMetaspaceSize=48m", "-XX:-UsePerfData");

    @Test
    void startUpTimeAndResidentMemory() throws Exception {
        String exchange = "trove_fp_" + UUID.randomUUID().toString().substring(0, 8);
        Path base = Files.createTempDirectory("trove-ga-fp-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        GuestInstance instance = new GuestInstance(base, exchange, 2, null, true);
        Path log = base.resolve("agent.log");
        Process agent = null;
        try (RpcTransport transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, "fp-test",
                Duration.ofSeconds(20)); RpcClient client = new RpcClient(transport);
             RecordingConductor conductor = new RecordingConductor(transport)) {
            conductor.register(instance.id, instance.key);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> flags = System.getProperty("guestagent.jvm.flags") == null ? JVM_FLAGS
                    : List.of(System.getProperty("guestagent.jvm.flags").split(" "));
            command.addAll(flags);
            String launched = launchTarget(command);
            command.addAll(Arrays.asList(instance.args()));

            long t0 = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            // glibc's per-thread malloc arenas cost megabytes of RSS in a process this small
            builder.environment().put("MALLOC_ARENA_MAX", System.getProperty("guestagent.malloc.arenas", "2"));
            agent = builder.start();
            long startedMs = -1;
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20)) {
                if (Files.readString(log).contains("Started in")) {
                    startedMs = (System.nanoTime() - t0) / 1_000_000;
                    break;
                }
                assertThat(agent.isAlive()).as("agent exited: %s", Files.readString(log)).isTrue();
                Thread.sleep(5);
            }
            assertThat(startedMs).as("agent did not start: %s", Files.readString(log)).isPositive();
            long idleRss = rssKb(agent.pid(), "VmRSS");
            boolean nmt = flags.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking"));
            if (nmt) {
                jcmd(agent.pid(), "VM.native_memory", "baseline");
            }

            RpcClient.Target guest = client.target(Topics.guest(instance.id), "1.1", new SecureSerializer(instance.key));
            ObjectNode args = PythonJson.object();
            args.put("memory_mb", 256);
            args.putArray("databases").addObject().put("_name", "fpdb");
            ObjectNode user = args.putArray("users").addObject();
            user.put("_name", "fpuser");
            user.put("_password", "fp-Pass-1");
            user.putArray("_databases").addObject().put("_name", "fpdb");
            args.put("root_password", "r00t-Pass");
            guest.cast(RpcContext.service(), "prepare", args);
            assertThat(conductor.awaitLatestStatus(instance.id, "healthy", Duration.ofSeconds(60)))
                    .as(Files.readString(log)).isEqualTo("healthy");
            for (int i = 0; i < 20; i++) {
                guest.call(RpcContext.service(), "get_filesystem_stats", PythonJson.object(), Duration.ofSeconds(15));
            }
            Thread.sleep(5000); // a few heartbeats and probes
            long rss = rssKb(agent.pid(), "VmRSS");
            long hwm = rssKb(agent.pid(), "VmHWM");
            long anon = rssKb(agent.pid(), "RssAnon");
            long file = rssKb(agent.pid(), "RssFile");
            if (nmt) {
                System.out.println(jcmd(agent.pid(), "VM.native_memory", "summary.diff"));
            }
            System.out.printf("guest agent footprint (%s, flags %s):%n  start-up to serving: %d ms (wall, "
                    + "process launch to 'Started')%n  RSS idle before prepare: %d kB%n  RSS after prepare + 20 "
                    + "calls + heartbeats: %d kB (peak %d kB; anonymous %d kB, file-backed %d kB shared with other "
                    + "agents)%n", launched, String.join(" ", flags), startedMs, idleRss, rss, hwm, anon, file);
        } finally {
            if (agent != null) {
                agent.destroy(); // SIGTERM: the shutdown hook stops consuming, the database stays up
                agent.waitFor(15, TimeUnit.SECONDS);
                agent.destroyForcibly();
            }
            instance.killDatabase();
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Adds -jar (fat jar, when fresh) or -cp (test class path minus test classes) and the main class. */
    private static String launchTarget(List<String> command) throws Exception {
        Path classes = Path.of("target", "classes");
        Path jar = Path.of("target", "trove-guestagent-0.1.0-SNAPSHOT-all.jar");
        if (Files.exists(jar) && Files.getLastModifiedTime(jar).compareTo(newest(classes)) >= 0) {
            command.addAll(List.of("-jar", jar.toString()));
            return "fat jar";
        }
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        command.addAll(List.of("-cp", classPath, GuestAgentMain.class.getName()));
        return "class path";
    }

    private static FileTime newest(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.getLastModifiedTime(p);
                } catch (Exception e) {
                    return FileTime.fromMillis(0);
                }
            }).max(Comparator.naturalOrder()).orElse(FileTime.fromMillis(0));
        }
    }

    /** Diagnostics when -XX:NativeMemoryTracking is among the flags (-Dguestagent.jvm.flags=...). */
    private static String jcmd(long pid, String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        return new String(p.getInputStream().readAllBytes());
    }

    private static long rssKb(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
