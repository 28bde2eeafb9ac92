package org.trovej.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.trovej.allinone.AllInOneApplication;
import org.trovej.taskmanager.compute.local.LocalLayout;

/**
 * PostgreSQL backup and restore through TroveJ next to the raw tools on the same data, in one run. A PostgreSQL
 * instance is created through the REST API of the embedded all-in-one (local back end: real PostgreSQL on a
 * loopback address, one guest agent JVM per instance) and filled by {@code pgbench -i -s <scale>} (scale 70 is
 * about 1 GB). Then:
 * <ul>
 *   <li>raw backup: {@code pg_basebackup -Ft -X fetch -c fast} of the same instance to a local directory, as the
 *   same role the guest uses ({@code os_admin}); and the raw tools doing a Trove backup's work, Trove's own
 *   pipeline {@code pg_basebackup -D - | gzip | openssl enc -aes-256-cbc ...} into a local file;</li>
 *   <li>TroveJ backup: {@code POST /backups} until COMPLETED (zstd, encryption with the all-in-one's key,
 *   checksums, the local object store), with the guest agent's RSS and heap sampled idle before and during it;</li>
 *   <li>raw restore: the raw tar extracted into an empty directory and {@code pg_ctl start -w} on a free port; and
 *   the same from the pipeline's file through {@code openssl enc -d | gunzip | tar -x};</li>
 *   <li>TroveJ restore: {@code POST /instances} with a {@code restorePoint} until ACTIVE and HEALTHY, next to a
 *   plain create of the same size, so that the restore's own share shows. Compared with untar + start like for
 *   like: from the guest taking up the backup (its log's "Restoring backup") to its database accepting
 *   connections ("PostgreSQL is up"); the end-to-end figure with the new instance's provisioning is printed
 *   too.</li>
 * </ul>
 * Rates are the cluster's size (the raw tar's bytes) over each wall time, so the ratios are time ratios. Both
 * restores are checked to hold every pgbench row. Everything made is deleted at the end: instances, the backup,
 * the raw server and its directories, the state directory.
 */
final class BackupRestoreBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DATABASE = "app";
    private static final double MB = 1_000_000.0;
    private static final Duration LONG = Duration.ofMinutes(30);
    /**
     * How often the bench asks how a backup or an instance is doing: each GET costs the all-in-one about 14 ms of
     * CPU (measured below), which at 100 ms would take a seventh of a core from what is measured.
     */
    private static final long POLL_MILLIS = 250;
    /** The passphrase of the raw pipeline's openssl enc (a bench's throwaway, like its data). */
    private static final String PIPE_KEY = "bench-raw-pipeline-key";

    private final Path work;
    private final boolean root = "root".equals(System.getProperty("user.name"));
    private final long clockTicks = clockTicks();
    private String api;
    private LocalLayout layout;

    private BackupRestoreBench(Path work) {
        this.work = work;
    }

    /**
     * @param scale pgbench's scale (70: about 1 GB)
     * @param rounds how many times each backup and restore runs (the figures are the medians)
     * @param work  an empty directory (made if missing) for everything: the state directory, the raw backup and
     *              the raw restore; deleted at the end
     * @param extraArgs more arguments for the all-in-one, e.g. {@code --trovej.local.guest-jvm-options=...}
     */
    static void run(int scale, int rounds, Path work, List<String> extraArgs) throws Exception {
        new BackupRestoreBench(work.toAbsolutePath()).run(scale, rounds, extraArgs);
    }

    private void run(int scale, int rounds, List<String> extraArgs) throws Exception {
        Files.createDirectories(work, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = Files.createDirectories(work.resolve("state"));
        int volumeGb = Math.max(2, (int) Math.ceil(scale * 16.0 / 1024) + 2);
        System.out.printf("backup/restore benchmark: pgbench scale %d, %d round(s), volumes of %d GB, work directory "
                + "%s%n", scale, rounds, volumeGb, work);
        // instances listen on a port of their own: another TroveJ on this host (tests, a developer's) hands out
        // the same 127.x addresses with 5432, and one of its databases may take an address between the check at
        // create and the start after the restore
        int dbPort = freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0", "--management.server.port=0", "--trovej.state-dir=" + state, "--trovej.local.state-dir=" + state,
                "--trovej.local.database-port=" + dbPort,
                "--trovej.embedded.postgres-port=0", "--trovej.embedded.amqp-port=0",
                "--trovej.local.report-interval=1s", "--trovej.taskmanager.poll-interval=200ms",
                "--trovej.quota.instances=-1", "--trovej.quota.volumes=-1", "--trovej.quota.backups=-1",
                "--logging.level.root=WARN"));
        args.addAll(extraArgs);
        if (!extraArgs.isEmpty()) {
            System.out.println("all-in-one arguments added: " + extraArgs);
        }
        ConfigurableApplicationContext trovej = AllInOneApplication.application().run(args.toArray(String[]::new));
        List<String> instances = new ArrayList<>();
        List<String> backups = new ArrayList<>();
        // the raw tools run as the database's OS user: their directory is its
        Path raw = work.resolve("raw");
        Path rawData = raw.resolve("data");
        Path bin = null;
        try {
            api = "http://127.0.0.1:" + ((ServletWebServerApplicationContext) trovej).getWebServer().getPort()
                    + "/v1.0/bench";
            layout = trovej.getBean(LocalLayout.class);

            // --- the source instance and its data
            String source = create("bk-source", volumeGb, null, true);
            instances.add(source);
            JsonNode shown = awaitHealthy(source);
            String address = address(shown);
            bin = binDir(shown.path("datastore").path("version").asText());
            String rootPassword = enableRoot(source);
            System.out.printf("source instance %s on %s (PostgreSQL %s, %s); loading pgbench -i -s %d ...%n", source,
                    address, shown.path("datastore").path("version").asText(), bin, scale);
            long t0 = System.nanoTime();
            // server-side generation (G): the same tables and rows as the default, generated faster
            exec(List.of(bin.resolve("pgbench").toString(), "-i", "-s", Integer.toString(scale), "-I", "dtGvp",
                    "-h", address, "-p", Integer.toString(dbPort), "-U", "root", DATABASE),
                    Map.of("PGPASSWORD", rootPassword), LONG);
            psql(address, dbPort, rootPassword, "CHECKPOINT");
            long databaseBytes = Long.parseLong(psql(address, dbPort, rootPassword,
                    "SELECT sum(pg_database_size(datname)) FROM pg_database"));
            long accounts = Long.parseLong(psql(address, dbPort, rootPassword, "SELECT count(*) FROM pgbench_accounts"));
            System.out.printf("loaded in %.1f s: %d pgbench_accounts rows, databases %.0f MB%n",
                    (System.nanoTime() - t0) / 1e9, accounts, databaseBytes / MB);

            // --- backups, raw then TroveJ in each round; the guest sampled idle first, then during its backups
            Files.createDirectories(raw);
            chownToDbUser(raw);
            Path rawBackup = raw.resolve("backup");
            String adminPassword = adminPassword(source);
            long guestPid = guestPid(source).orElseThrow(() -> new IllegalStateException("no guest agent process"));
            String guestJvm = jvmOptions(guestPid);
            List<Double> rawBackupRuns = new ArrayList<>();
            List<Double> pipeBackupRuns = new ArrayList<>();
            Path pipeBackup = raw.resolve("backup.tar.gz.enc");
            List<Double> backupRuns = new ArrayList<>();
            List<Double> pipelineRuns = new ArrayList<>();
            GuestSampler.Window idle;
            GuestSampler.Window during = null;
            long dataBytes = 0;
            String guestLine = "";
            String startedLine = null;
            try (GuestSampler sampler = new GuestSampler(() -> OptionalLong.of(guestPid))) {
                Thread.sleep(1000); // jstat's first line
                long idleFrom = System.nanoTime();
                Thread.sleep(5000);
                idle = sampler.window(idleFrom, System.nanoTime());
                for (int round = 1; round <= rounds; round++) {
                    FileSystemUtils.deleteRecursively(rawBackup.toFile());
                    Cpu before = cpu(-1);
                    t0 = System.nanoTime();
                    exec(asDbUser(List.of(bin.resolve("pg_basebackup").toString(), "-h", address, "-p",
                            Integer.toString(dbPort), "-U", "os_admin", "-w", "-Ft", "-X", "fetch", "-D",
                            rawBackup.toString(), "-c", "fast", "-l", "bench raw backup")),
                            Map.of("PGPASSWORD", adminPassword), LONG);
                    double rawSeconds = (System.nanoTime() - t0) / 1e9;
                    Cpu rawCpu = cpu(-1).minus(before);
                    rawBackupRuns.add(rawSeconds);
                    dataBytes = directorySize(rawBackup);
                    System.out.printf("[%d] raw backup: %.0f MB of tar in %.2f s (%s)%n", round, dataBytes / MB,
                            rawSeconds, rawCpu.describe(false, clockTicks));

                    // the raw tools doing what a Trove backup does: Trove's own pipeline, to local disk
                    before = cpu(-1);
                    t0 = System.nanoTime();
                    exec(asDbUser(List.of("bash", "-c", "set -o pipefail; \"$0\" -h \"$1\" -p \"$2\" -U os_admin -w "
                            + "-Ft -X fetch -D - -c fast -l 'bench raw pipeline' | gzip | openssl enc -aes-256-cbc "
                            + "-md sha512 -pbkdf2 -iter 10000 -salt -pass env:BENCH_KEY > \"$3\"",
                            bin.resolve("pg_basebackup").toString(), address, Integer.toString(dbPort),
                            pipeBackup.toString())), Map.of("PGPASSWORD", adminPassword, "BENCH_KEY", PIPE_KEY), LONG);
                    double pipeSeconds = (System.nanoTime() - t0) / 1e9;
                    Cpu pipeCpu = cpu(-1).minus(before);
                    pipeBackupRuns.add(pipeSeconds);
                    System.out.printf("[%d] raw pipeline (pg_basebackup -D - | gzip | openssl enc > file): %.0f MB in "
                                    + "%.2f s (%s)%n", round, Files.size(pipeBackup) / MB, pipeSeconds,
                            pipeCpu.describe(false, clockTicks));

                    Thread.sleep(2000);
                    before = cpu(guestPid);
                    Map<String, Long> threadsBefore = threadTicks();
                    t0 = System.nanoTime();
                    String backup = createBackup(source);
                    backups.add(backup);
                    awaitBackup(backup);
                    long t1 = System.nanoTime();
                    double seconds = (t1 - t0) / 1e9;
                    Cpu backupCpu = cpu(guestPid).minus(before);
                    Map<String, Long> threadsAfter = threadTicks();
                    GuestSampler.Window window = sampler.window(t0, t1);
                    during = during == null || window.rssMaxKb() > during.rssMaxKb() ? window : during;
                    backupRuns.add(seconds);
                    awaitHealthy(source);
                    guestLine = logLine(layout.guestLog(source), "Backup " + backup + " completed in");
                    startedLine = logLine(layout.guestLog(source), "Backup " + backup + " started:");
                    Long pipelineMs = number(guestLine, "completed in (\\d+) ms");
                    pipelineRuns.add(pipelineMs == null ? Double.NaN : pipelineMs / 1000.0);
                    System.out.printf("[%d] TroveJ backup: %.2f s to COMPLETED (%s)%n    guest: %s%n    all-in-one "
                                    + "JVM's busiest threads: %s%n", round, seconds, backupCpu.describe(true, clockTicks),
                            guestLine, busiest(threadsBefore, threadsAfter, 5));
                    if (round == rounds) {
                        System.out.println("    its guest's log from the backup on:\n      " + String.join("\n      ",
                                linesFrom(layout.guestLog(source), "Backup " + backup + " started:", 8)));
                    }
                }
            }
            double dataMb = dataBytes / MB;
            // what the bench's own polling costs the all-in-one (it polls every POLL_MILLIS while a backup runs)
            Cpu beforePolls = cpu(-1);
            for (int i = 0; i < 50; i++) {
                get(api + "/backups/" + backups.get(backups.size() - 1));
                get(api + "/instances/" + source);
                Thread.sleep(100);
            }
            System.out.printf("the bench's polling alone: %.1f ms of all-in-one CPU per GET /backups/{id} + GET "
                    + "/instances/{id}%n", cpu(-1).minus(beforePolls).self() * 1000.0 / clockTicks / 50);

            // --- restores: raw untar + start until it accepts connections, TroveJ into a new instance, and a
            // plain create of the same size to show the restore's own share
            String backup = backups.get(backups.size() - 1);
            List<Double> rawRestoreRuns = new ArrayList<>();
            List<Double> pipeRestoreRuns = new ArrayList<>();
            List<Double> restoreRuns = new ArrayList<>();
            List<Double> guestRestoreRuns = new ArrayList<>();
            List<Double> restoreAndStartRuns = new ArrayList<>();
            List<Double> plainRuns = new ArrayList<>();
            GuestSampler.Window restoreWindow = null;
            Path socketDir = Files.createDirectories(raw.resolve("socket"));
            chownToDbUser(socketDir);
            for (int round = 1; round <= rounds; round++) {
                int port = freePort();
                Files.createDirectories(rawData);
                Files.setPosixFilePermissions(rawData, PosixFilePermissions.fromString("rwx------"));
                chownToDbUser(rawData);
                Cpu before = cpu(-1);
                t0 = System.nanoTime();
                exec(asDbUser(List.of("tar", "-x", "-f", rawBackup.resolve("base.tar").toString(), "-C",
                        rawData.toString())), Map.of(), LONG);
                double untarSeconds = (System.nanoTime() - t0) / 1e9;
                startRaw(bin, rawData, socketDir, port);
                double rawSeconds = (System.nanoTime() - t0) / 1e9;
                Cpu rawCpu = cpu(-1).minus(before);
                rawRestoreRuns.add(rawSeconds);
                long rawRows = Long.parseLong(psql("127.0.0.1", port, rootPassword,
                        "SELECT count(*) FROM pgbench_accounts"));
                System.out.printf("[%d] raw restore: %.2f s (untar %.2f s, start %.2f s; %s), %d rows%n", round,
                        rawSeconds, untarSeconds, rawSeconds - untarSeconds, rawCpu.describe(false, clockTicks),
                        rawRows);
                stopRaw(bin, rawData);
                FileSystemUtils.deleteRecursively(rawData.toFile());
                requireRows(accounts, rawRows, "the raw restore");

                // Trove's way back with the raw tools: openssl enc -d | gunzip | tar -x, then start
                Files.createDirectories(rawData);
                Files.setPosixFilePermissions(rawData, PosixFilePermissions.fromString("rwx------"));
                chownToDbUser(rawData);
                before = cpu(-1);
                t0 = System.nanoTime();
                exec(asDbUser(List.of("bash", "-c", "set -o pipefail; openssl enc -d -aes-256-cbc -md sha512 -pbkdf2 "
                        + "-iter 10000 -pass env:BENCH_KEY < \"$0\" | gunzip | tar -x -f - -C \"$1\"",
                        pipeBackup.toString(), rawData.toString())), Map.of("BENCH_KEY", PIPE_KEY), LONG);
                double pipeUntarSeconds = (System.nanoTime() - t0) / 1e9;
                startRaw(bin, rawData, socketDir, port);
                double pipeSeconds = (System.nanoTime() - t0) / 1e9;
                Cpu pipeCpu = cpu(-1).minus(before);
                pipeRestoreRuns.add(pipeSeconds);
                long pipeRows = Long.parseLong(psql("127.0.0.1", port, rootPassword,
                        "SELECT count(*) FROM pgbench_accounts"));
                System.out.printf("[%d] raw pipeline restore (openssl enc -d | gunzip | tar -x, start): %.2f s "
                                + "(extract %.2f s, start %.2f s; %s), %d rows%n", round, pipeSeconds, pipeUntarSeconds,
                        pipeSeconds - pipeUntarSeconds, pipeCpu.describe(false, clockTicks), pipeRows);
                stopRaw(bin, rawData);
                FileSystemUtils.deleteRecursively(rawData.toFile());
                requireRows(accounts, pipeRows, "the raw pipeline's restore");

                String restored;
                String restoredAddress;
                try (GuestSampler sampler = new GuestSampler(new PidOfNext(this, instances))) {
                    t0 = System.nanoTime();
                    restored = create("bk-restored-" + round, volumeGb, backup, false);
                    instances.add(restored);
                    JsonNode restoredShown = awaitHealthy(restored);
                    long t1 = System.nanoTime();
                    restoreRuns.add((t1 - t0) / 1e9);
                    GuestSampler.Window window = sampler.window(t0, t1);
                    restoreWindow = restoreWindow == null || window.rssMaxKb() > restoreWindow.rssMaxKb() ? window
                            : restoreWindow;
                    restoredAddress = address(restoredShown);
                }
                String restoreLine = logLine(layout.guestLog(restored), "Backup " + backup + " restored in");
                Long restoreMs = number(restoreLine, "restored in (\\d+) ms");
                guestRestoreRuns.add(restoreMs == null ? Double.NaN : restoreMs / 1000.0);
                // like for like with untar + start: from the guest taking up the backup to its database accepting
                // connections (the instance's provisioning before that has no counterpart on the raw side)
                restoreAndStartRuns.add(secondsBetween(layout.guestLog(restored), "Restoring backup " + backup,
                        "PostgreSQL is up"));
                long restoredRows = Long.parseLong(psql(restoredAddress, dbPort, rootPassword,
                        "SELECT count(*) FROM pgbench_accounts"));
                System.out.printf("[%d] TroveJ restore: %.2f s to ACTIVE+HEALTHY, %d rows%n    guest: %s%n", round,
                        restoreRuns.get(restoreRuns.size() - 1), restoredRows, restoreLine);
                if (round == rounds) {
                    System.out.println("    its guest's log from the restore on:\n      " + String.join("\n      ",
                            linesFrom(layout.guestLog(restored), "Restoring backup", 14)));
                }
                requireRows(accounts, restoredRows, "the TroveJ restore");
                delete(instances, restored);

                t0 = System.nanoTime();
                String plain = create("bk-plain-" + round, volumeGb, null, false);
                instances.add(plain);
                awaitHealthy(plain);
                plainRuns.add((System.nanoTime() - t0) / 1e9);
                System.out.printf("[%d] plain create (no restore, same flavor and volume): %.2f s%n", round,
                        plainRuns.get(plainRuns.size() - 1));
                delete(instances, plain);
            }

            // --- figures: medians of the rounds
            double rawBackupSeconds = median(rawBackupRuns);
            double backupSeconds = median(backupRuns);
            double rawRestoreSeconds = median(rawRestoreRuns);
            double pipeBackupSeconds = median(pipeBackupRuns);
            double pipeRestoreSeconds = median(pipeRestoreRuns);
            double restoreSeconds = median(restoreRuns);
            double plainSeconds = median(plainRuns);
            double restoreShare = restoreSeconds - plainSeconds;
            double restoreAndStartSeconds = median(restoreAndStartRuns);
            Long storedBytes = number(guestLine, "(\\d+) bytes stored");
            System.out.println();
            System.out.printf("RESULT data: %.0f MB (pg_basebackup's tar; databases %.0f MB); TroveJ stored %s MB "
                    + "(%s); medians of %d round(s)%n", dataMb, databaseBytes / MB, storedBytes == null ? "?"
                    : String.format("%.0f", storedBytes / MB), storedAs(startedLine), rounds);
            System.out.printf("RESULT backup: TroveJ %.1f MB/s (%.2f s to COMPLETED %s; the guest's pipeline %s), "
                            + "raw pg_basebackup %.1f MB/s (%.2f s %s): ratio %.2f (target >= 0.8)%n",
                    dataMb / backupSeconds, backupSeconds, seconds(backupRuns), seconds(pipelineRuns),
                    dataMb / rawBackupSeconds, rawBackupSeconds, seconds(rawBackupRuns),
                    rawBackupSeconds / backupSeconds);
            System.out.printf("RESULT restore: TroveJ %.1f MB/s (%.2f s %s from the guest taking up the backup to "
                            + "its database up: download+verify+decrypt+untar %s, then the start), raw untar+start "
                            + "%.1f MB/s (%.2f s %s): ratio %.2f (target >= 0.8)%n", dataMb / restoreAndStartSeconds,
                    restoreAndStartSeconds, seconds(restoreAndStartRuns), seconds(guestRestoreRuns),
                    dataMb / rawRestoreSeconds, rawRestoreSeconds, seconds(rawRestoreRuns),
                    rawRestoreSeconds / restoreAndStartSeconds);
            System.out.printf("RESULT restore end to end: TroveJ %.1f MB/s (%.2f s create->ACTIVE+HEALTHY %s, the "
                            + "new instance's provisioning included): ratio %.2f to raw untar+start%n",
                    dataMb / restoreSeconds, restoreSeconds, seconds(restoreRuns), rawRestoreSeconds / restoreSeconds);
            System.out.printf("RESULT restore share: %.2f s = the restore's %.2f s minus a plain create's %.2f s %s: "
                    + "%.1f MB/s, ratio %.2f%n", restoreShare, restoreSeconds, plainSeconds, seconds(plainRuns),
                    dataMb / restoreShare, rawRestoreSeconds / restoreShare);
            System.out.printf("RESULT against the raw tools doing Trove's work (gzip -6, openssl enc, local disk): "
                            + "backup %.1f MB/s (%.2f s %s): ratio %.2f; restore %.1f MB/s (%.2f s %s): ratio %.2f end "
                            + "to end, %.2f of the restore share%n", dataMb / pipeBackupSeconds, pipeBackupSeconds,
                    seconds(pipeBackupRuns), pipeBackupSeconds / backupSeconds, dataMb / pipeRestoreSeconds,
                    pipeRestoreSeconds, seconds(pipeRestoreRuns), pipeRestoreSeconds / restoreSeconds,
                    pipeRestoreSeconds / restoreShare);
            System.out.printf("RESULT guest agent (pid %d, %s) idle: %s%n", guestPid, guestJvm, idle.describe());
            System.out.printf("RESULT guest agent during its backup (the round with the highest RSS): %s%n",
                    during.describe());
            System.out.printf("RESULT backup memory: RSS peak %+.1f MB over idle; heap peak %s over idle "
                            + "(target <= +64 MB)%n", (during.rssMaxKb() - idle.rssMedianKb()) / 1024.0,
                    during.heapMaxKb() < 0 || idle.heapMedianKb() < 0 ? "n/a"
                            : String.format("%+.1f MB", (during.heapMaxKb() - idle.heapMedianKb()) / 1024.0));
            System.out.printf("RESULT restoring guest agent, start to HEALTHY (the round with the highest RSS): %s%n",
                    restoreWindow.describe());
        } finally {
            if (bin != null) {
                stopRaw(bin, rawData);
            }
            cleanUp(instances, backups);
            trovej.close();
            FileSystemUtils.deleteRecursively(work.toFile());
        }
    }

    private static void requireRows(long expected, long found, String what) {
        if (expected != found) {
            throw new IllegalStateException(what + " holds " + found + " pgbench_accounts rows, not " + expected);
        }
    }

    private static double median(List<Double> runs) {
        List<Double> sorted = runs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String seconds(List<Double> runs) {
        return runs.stream().map(r -> String.format("%.2f", r)).collect(java.util.stream.Collectors.joining(", ",
                "[", "]"));
    }

    /** Deletes the instance and waits until it is gone (its data and processes too), so rounds do not overlap. */
    private void delete(List<String> instances, String id) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(api + "/instances/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline && status(api + "/instances/" + id) != 404) {
            Thread.sleep(200);
        }
        while (System.nanoTime() < deadline && guestPid(id).isPresent()) {
            Thread.sleep(200);
        }
        instances.remove(id);
    }

    /** The guest of the instance created next: the one instance in the list that it did not hold yet. */
    private record PidOfNext(BackupRestoreBench bench, List<String> known) implements java.util.function.Supplier<OptionalLong> {
        PidOfNext {
            known = List.copyOf(known);
        }

        @Override
        public OptionalLong get() {
            try (Stream<Path> dirs = Files.list(bench.layout.instancesDir())) {
                for (Path dir : dirs.toList()) {
                    String id = dir.getFileName().toString();
                    if (!known.contains(id)) {
                        OptionalLong pid = bench.guestPid(id);
                        if (pid.isPresent()) {
                            return pid;
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                return OptionalLong.empty();
            }
            return OptionalLong.empty();
        }
    }

    /** The instance's guest agent: its pid file, checked against its command line (which names its config). */
    OptionalLong guestPid(String instanceId) {
        try {
            long pid = Long.parseLong(Files.readString(layout.guestPid(instanceId)).trim());
            String command = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
            return command.contains(instanceId) ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static String jvmOptions(long pid) throws IOException {
        String[] args = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0");
        return String.join(" ", Stream.of(args).filter(a -> a.startsWith("-X") && !a.startsWith("-XX:Shared"))
                .toList());
    }

    /** The os_admin password the guest keeps on the volume ({@code os_admin.cnf}). */
    private String adminPassword(String instanceId) throws IOException {
        for (String line : Files.readAllLines(layout.volumeDir(instanceId).resolve("os_admin.cnf"))) {
            String trimmed = line.strip();
            if (trimmed.startsWith("password") && trimmed.indexOf('=') > 0) {
                return trimmed.substring(trimmed.indexOf('=') + 1).strip();
            }
        }
        throw new IllegalStateException("no os_admin password in the volume of " + instanceId);
    }

    /** pg_ctl start -w of a restored cluster on 127.0.0.1:{@code port}: returns once it accepts connections. */
    private void startRaw(Path bin, Path data, Path socketDir, int port) throws Exception {
        exec(asDbUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "1800",
                "-l", socketDir.resolve("server.log").toString(), "-o", "-c listen_addresses=127.0.0.1 "
                        + "-c port=" + port + " -c unix_socket_directories=" + socketDir
                        + " -c cluster_name=bench-raw-restore", "start")), Map.of(), LONG);
    }

    private void stopRaw(Path bin, Path data) {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        try {
            exec(asDbUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w",
                    "stop")), Map.of(), Duration.ofMinutes(2));
        } catch (Exception e) {
            System.out.println("could not stop the raw restore's server: " + e.getMessage());
        }
    }

    private void cleanUp(List<String> instances, List<String> backups) {
        if (api == null) {
            return;
        }
        try {
            for (String id : instances) {
                HTTP.send(HttpRequest.newBuilder(URI.create(api + "/instances/" + id)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            for (String backup : backups) {
                HTTP.send(HttpRequest.newBuilder(URI.create(api + "/backups/" + backup)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            for (String id : instances) {
                while (System.nanoTime() < deadline && status(api + "/instances/" + id) != 404) {
                    Thread.sleep(200);
                }
            }
            for (String backup : backups) {
                while (System.nanoTime() < deadline && status(api + "/backups/" + backup) != 404) {
                    Thread.sleep(200);
                }
            }
        } catch (Exception e) {
            System.out.println("clean-up through the API incomplete (the state directory goes anyway): " + e);
        }
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    // --- API

    private String create(String name, int volumeGb, String backupId, boolean withDatabase) throws Exception {
        String body = "{\"instance\": {\"name\": \"" + name + "\", \"flavorRef\": \"d1\", \"volume\": {\"size\": "
                + volumeGb + "}, \"datastore\": {\"type\": \"postgresql\"}"
                + (withDatabase ? ", \"databases\": [{\"name\": \"" + DATABASE + "\"}]" : "")
                + (backupId == null ? "" : ", \"restorePoint\": {\"backupRef\": \"" + backupId + "\"}") + "}}";
        JsonNode created = post(api + "/instances", body, 200);
        return created.path("instance").path("id").asText();
    }

    private String enableRoot(String id) throws Exception {
        return post(api + "/instances/" + id + "/root", "{}", 200).path("user").path("password").asText();
    }

    private String createBackup(String instanceId) throws Exception {
        return post(api + "/backups", "{\"backup\": {\"name\": \"bench\", \"instance\": \"" + instanceId + "\"}}", 202)
                .path("backup").path("id").asText();
    }

    private static JsonNode post(String url, String body, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException("POST " + url + " failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private JsonNode awaitHealthy(String id) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode i = get(api + "/instances/" + id).path("instance");
            if ("ACTIVE".equals(i.path("status").asText()) && "HEALTHY".equals(i.path("operating_status").asText())) {
                return i;
            }
            if ("ERROR".equals(i.path("status").asText())) {
                throw new IllegalStateException("instance " + id + " failed: " + i.path("fault") + "\n  guest log: "
                        + String.join("\n  ", tail(layout.guestLog(id), 15)));
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("instance " + id + " not ACTIVE+HEALTHY within " + LONG);
    }

    private void awaitBackup(String id) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode b = get(api + "/backups/" + id).path("backup");
            String status = b.path("status").asText();
            if ("COMPLETED".equals(status)) {
                return;
            }
            if ("FAILED".equals(status)) {
                throw new IllegalStateException("backup " + id + " failed: " + b);
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("backup " + id + " not COMPLETED within " + LONG);
    }

    private static String address(JsonNode shown) {
        return shown.get("addresses").toString().replaceAll(".*\"address\":\\s*\"([0-9.]+)\".*", "$1");
    }

    // --- the host

    private static Path binDir(String version) {
        String major = version.replaceAll("^(\\d+).*", "$1");
        List<String> candidates = new ArrayList<>(List.of(major));
        candidates.addAll(List.of("17", "16", "15", "14", "13"));
        for (String v : candidates) {
            Path p = Path.of("/usr/lib/postgresql", v, "bin");
            if (Files.isExecutable(p.resolve("pg_basebackup"))) {
                return p;
            }
        }
        throw new IllegalStateException("the raw tools need Debian's PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
    }

    private String psql(String host, int port, String password, String sql) throws Exception {
        return exec(List.of("psql", "host=" + host + " port=" + port + " dbname=" + DATABASE + " user=root "
                + "connect_timeout=10", "-v", "ON_ERROR_STOP=1", "-tAc", sql), Map.of("PGPASSWORD", password),
                Duration.ofMinutes(10)).trim();
    }

    private List<String> asDbUser(List<String> command) {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        return full;
    }

    private void chownToDbUser(Path... paths) throws Exception {
        if (root) {
            for (Path p : paths) {
                exec(List.of("chown", "postgres", p.toString()), Map.of(), Duration.ofMinutes(1));
            }
        }
    }

    /** Runs a command to its end; its output (both streams, in a file) is answered, or shown when it fails. */
    private String exec(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        Path out = Files.createTempFile("trovej-bench-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within " + timeout);
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static List<String> tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException | RuntimeException e) {
            return List.of("(" + e.getMessage() + ")");
        }
    }

    /** Up to {@code max} lines of the log from the last one containing {@code text} on. */
    private static List<String> linesFrom(Path log, String text, int max) {
        List<String> all = tail(log, 100_000);
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).contains(text)) {
                from = i;
            }
        }
        return all.subList(from, Math.min(all.size(), from + max));
    }

    /** The last line of the guest's log containing {@code text}, without its timestamp prefix. */
    private static String logLine(Path log, String text) throws IOException {
        List<String> found = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(text))
                .toList();
        if (found.isEmpty()) {
            return "(no '" + text + "' in " + log + ")";
        }
        String line = found.get(found.size() - 1);
        return line.substring(line.indexOf(text));
    }

    /**
     * Seconds from the guest log's last line containing {@code from} to the first line after it containing
     * {@code to}, by their timestamps ({@code yyyy-MM-dd HH:mm:ss.SSS}); NaN when either is missing.
     */
    private static double secondsBetween(Path log, String from, String to) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(from)) {
                start = i;
            }
        }
        if (start < 0) {
            return Double.NaN;
        }
        for (int i = start + 1; i < lines.size(); i++) {
            if (lines.get(i).contains(to)) {
                return java.time.Duration.between(timestamp(lines.get(start)), timestamp(lines.get(i))).toMillis()
                        / 1000.0;
            }
        }
        return Double.NaN;
    }

    private static java.time.LocalDateTime timestamp(String line) {
        return java.time.LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T'));
    }

    private static Long number(String line, String regex) {
        Matcher m = Pattern.compile(regex).matcher(line);
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    /** How the guest stored the backup, from its object's name in "Backup <id> started: <object> to <url>". */
    private static String storedAs(String startedLine) {
        if (startedLine == null) {
            return "?";
        }
        String compression = startedLine.contains(".zst") ? "zstd" : startedLine.contains(".gz") ? "gzip" : "?";
        return compression + (startedLine.contains(".enc ") ? ", encrypted" : "");
    }

    // --- CPU time

    /**
     * CPU seconds (in clock ticks): the guest's JVM itself and its reaped children (pg_basebackup, tar), this JVM
     * (the API and its object store, the conductor, the task manager) and its reaped children (the raw tools),
     * and the whole machine's busy time.
     */
    private record Cpu(long guest, long guestChildren, long self, long selfChildren, long machine) {
        Cpu minus(Cpu o) {
            return new Cpu(guest - o.guest, guestChildren - o.guestChildren, self - o.self,
                    selfChildren - o.selfChildren, machine - o.machine);
        }

        String describe(boolean withGuest, long ticks) {
            String s = withGuest ? String.format("CPU s: guest JVM %.2f, its pg_basebackup/tar %.2f, ",
                    guest / (double) ticks, guestChildren / (double) ticks) : "CPU s: ";
            return s + String.format("all-in-one JVM %.2f, raw tools %.2f, whole machine %.2f",
                    self / (double) ticks, selfChildren / (double) ticks, machine / (double) ticks);
        }
    }

    /** This JVM's threads (native ones too: GC, compiler): thread name -> CPU ticks, same names summed. */
    private static Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new java.util.HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String text = Files.readString(task.resolve("stat"));
                    String name = text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "#");
                    long[] t = procTimes(task.resolve("stat"));
                    ticks.merge(name, t[0] + t[1], Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    private String busiest(Map<String, Long> before, Map<String, Long> after, int top) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
                .map(e -> String.format("%s %.2f s", e.getKey(), e.getValue() / (double) clockTicks))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static Cpu cpu(long guestPid) throws IOException {
        long[] guest = guestPid > 0 ? procTimes(Path.of("/proc", Long.toString(guestPid), "stat")) : new long[4];
        long[] self = procTimes(Path.of("/proc/self/stat"));
        String[] machine = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < machine.length; i++) {
            if (i != 4 && i != 5 && i <= 8) { // user nice system [idle iowait] irq softirq steal
                busy += Long.parseLong(machine[i]);
            }
        }
        return new Cpu(guest[0] + guest[1], guest[2] + guest[3], self[0] + self[1], self[2] + self[3], busy);
    }

    /** utime, stime, cutime, cstime of a /proc/<pid>/stat. */
    private static long[] procTimes(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14])};
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
