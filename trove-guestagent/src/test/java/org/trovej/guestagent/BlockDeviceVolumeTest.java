package org.trovej.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.trovej.common.json.PythonJson;
import org.trovej.common.rpc.RpcClient;
import org.trovej.common.rpc.RpcContext;
import org.trovej.common.rpc.RpcTransport;
import org.trovej.common.rpc.SecureSerializer;
import org.trovej.common.rpc.Topics;
import org.trovej.guestagent.os.OsUser;
import org.trovej.testsupport.TestInfrastructure;

/**
 * The OpenStack back end's volume, with a loop device standing in for the Cinder disk: a real agent and
 * PostgreSQL 15 put the data on it, grow it after the "volume" was extended, keep it across a redelivered
 * prepare, an agent restart after a "VM reboot" and an unmount/mount, and fail clearly when the disk never
 * appears. Needs root and loop devices; without them it fails, it does not skip.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlockDeviceVolumeTest {

    private static final Duration CALL = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long MB = 1024 * 1024;

    private final String exchange = "trove_gv_" + UUID.randomUUID().toString().substring(0, 8);
    private final List<GuestInstance> instances = new ArrayList<>();
    private Path base;
    private Path backingFile;
    private String loopDevice;
    private final List<String> extraLoopDevices = new ArrayList<>();
    private RpcTransport transport;
    private RpcClient taskManager;
    private RecordingConductor conductor;
    private GuestInstance db;
    private String filesystemUuid;

    @BeforeAll
    void setUp() throws Exception {
        if (!OsUser.isRoot()) {
            fail("BlockDeviceVolumeTest formats and mounts a loop device: it must run as root (runs as "
                    + OsUser.current() + ")");
        }
        base = Files.createTempDirectory("trove-gv-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        backingFile = base.resolve("cinder-volume.img");
        setLength(backingFile, 64 * MB);
        Run loop = run("losetup", "-f", "--show", backingFile.toString());
        if (loop.code != 0 || !loop.out.strip().startsWith("/dev/loop")) {
            fail("Could not set up a loop device (losetup -f --show): " + loop.out
                    + " -- this test needs loop device support (modprobe loop; in a container: --privileged)");
        }
        loopDevice = loop.out.strip();
        transport = RpcTransport.connect(TestInfrastructure.get().amqpUri(), exchange, "guestvolume-test",
                Duration.ofSeconds(20));
        taskManager = new RpcClient(transport);
        conductor = new RecordingConductor(transport);
        db = newInstance("");
    }

    @AfterAll
    void tearDown() throws Exception {
        for (GuestInstance instance : instances) {
            instance.cleanUp();
            if (mountedSource(instance.dataDir) != null) {
                Run umount = run("umount", instance.dataDir.toString());
                if (umount.code != 0) {
                    run("umount", "-l", instance.dataDir.toString());
                }
            }
        }
        if (loopDevice != null) {
            run("losetup", "-d", loopDevice);
        }
        extraLoopDevices.forEach(d -> run("losetup", "-d", d));
        if (conductor != null) {
            conductor.close();
        }
        if (taskManager != null) {
            taskManager.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (base != null && instances.stream().allMatch(i -> mountedSource(i.dataDir) == null)) {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** An instance whose agent config has {@code defaultLines} in [DEFAULT] and its own state_dir. */
    private GuestInstance newInstance(String defaultLines) throws Exception {
        GuestInstance instance = new GuestInstance(base, exchange, 2, null, true);
        instances.add(instance);
        conductor.register(instance.id, instance.key);
        Path conf = instance.configDir.resolve("trove-guestagent.conf");
        Files.writeString(conf, Files.readString(conf).replaceFirst("\\[DEFAULT]\n", "[DEFAULT]\nstate_dir = "
                + base.resolve(instance.id).resolve("state") + "\n" + defaultLines + "\n"));
        return instance;
    }

    private RpcClient.Target guest(GuestInstance instance) {
        return taskManager.target(Topics.guest(instance.id), "1.1", new SecureSerializer(instance.key));
    }

    /** What Trove's task manager sends on OpenStack: the device Nova reported and where to mount it. */
    private static ObjectNode prepareArgs(GuestInstance instance, String devicePath) {
        ObjectNode args = PythonJson.object();
        args.putArray("packages");
        args.putArray("databases").addObject().put("_name", "appdb");
        args.put("memory_mb", 256);
        ObjectNode user = args.putArray("users").addObject();
        user.put("_name", "appuser");
        user.put("_password", "s3cret-Pass");
        user.put("_host", "%");
        user.putArray("_databases").addObject().put("_name", "appdb");
        args.put("device_path", devicePath);
        args.put("mount_point", instance.dataDir.toString());
        args.putNull("backup_info");
        args.putNull("config_contents");
        args.putNull("root_password");
        args.putNull("overrides");
        args.putNull("cluster_config");
        args.putNull("snapshot");
        args.putArray("modules");
        args.put("ds_version", "15");
        return args;
    }

    @Test
    @Order(1)
    void prepareFormatsTheBlankDeviceMountsItAtTheDataDirectoryAndStartsTheDatabaseThere() throws Exception {
        assertThat(run("blkid", "-p", loopDevice).code).as("the volume starts blank").isEqualTo(2);
        transport.predeclare(Topics.guest(db.id), db.id);
        guest(db).cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepareArgs(db, loopDevice));
        db.startAgent();
        assertThat(conductor.awaitLatestStatus(db.id, "healthy", WAIT)).isEqualTo("healthy");

        assertThat(mountedSource(db.dataDir)).isEqualTo(loopDevice + " ext4");
        assertThat(Files.getOwner(db.dataDir).getName()).isEqualTo(GuestInstance.RUN_AS);
        assertThat(Files.isDirectory(db.dataDir.resolve("lost+found"))).as("the data is on the new file system")
                .isTrue();
        assertThat(db.pgData().resolve("PG_VERSION")).exists();
        filesystemUuid = run("blkid", "-p", "-o", "value", "-s", "UUID", loopDevice).out.strip();
        assertThat(filesystemUuid).isNotEmpty();
        try (Connection c = db.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('survives')");
        }
        Files.writeString(db.dataDir.resolve("written-before.txt"), "still here");
    }

    @Test
    @Order(2)
    void resizeFsGrowsTheFileSystemOnlineAfterTheVolumeWasExtended() throws Exception {
        long before = Files.getFileStore(db.dataDir).getTotalSpace();
        String startedBefore = postmasterStart(db);
        setLength(backingFile, 128 * MB); // Cinder extended the volume
        ObjectNode args = PythonJson.object();
        args.put("device_path", loopDevice);
        args.put("mount_point", db.dataDir.toString());
        args.put("online", true);
        assertThat(guest(db).call(RpcContext.service(), "resize_fs", args, CALL).isNull()).isTrue();

        long after = Files.getFileStore(db.dataDir).getTotalSpace();
        System.out.printf("file system size before %d MB, after %d MB%n", before / MB, after / MB);
        assertThat(after).isGreaterThan(before + 50 * MB);
        assertThat(mountedSource(db.dataDir)).isEqualTo(loopDevice + " ext4");
        assertKept(db);
        if (canResizeOnline()) {
            assertThat(postmasterStart(db)).as("grown in place: the database kept running").isEqualTo(startedBefore);
        } else {
            // ext4's online resize needs CAP_SYS_RESOURCE, which this container lacks: grown with the database
            // stopped meanwhile, and it is back
            System.out.println("no CAP_SYS_RESOURCE: resize_fs fell back to an offline resize");
            assertThat(postmasterStart(db)).isNotEqualTo(startedBefore);
        }
        assertThat(conductor.awaitLatestStatus(db.id, "healthy", WAIT)).isEqualTo("healthy");
    }

    @Test
    @Order(3)
    void aRedeliveredPrepareNeitherReformatsNorReinitialises() throws Exception {
        int before = conductor.heartbeats(db.id).size();
        guest(db).cast(RpcContext.service(), "prepare", prepareArgs(db, loopDevice));
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                .isEqualTo("healthy");
        assertThat(conductor.statuses(db.id).subList(before, conductor.statuses(db.id).size()))
                .doesNotContain("building");
        assertThat(run("blkid", "-p", "-o", "value", "-s", "UUID", loopDevice).out.strip()).isEqualTo(filesystemUuid);
        assertThat(Files.readString(db.dataDir.resolve("written-before.txt"))).isEqualTo("still here");
        assertKept(db);
    }

    @Test
    @Order(4)
    void afterAVmRebootTheAgentMountsTheVolumeAgainBeforeStartingTheDatabase() throws Exception {
        db.stopAgent();
        db.killDatabase(); // the VM goes down: the database dies, the file system is no longer mounted
        assertThat(run("umount", db.dataDir.toString()).code).isZero();
        assertThat(mountedSource(db.dataDir)).isNull();

        int before = conductor.heartbeats(db.id).size();
        db.startAgent(); // boot: no prepare, the agent knows the device from its state file
        assertThat(conductor.awaitHeartbeat(db.id, h -> h.status().equals("healthy"), before, WAIT))
                .isEqualTo("healthy");
        assertThat(mountedSource(db.dataDir)).isEqualTo(loopDevice + " ext4");
        assertKept(db);
    }

    @Test
    @Order(5)
    void unmountVolumeAndMountVolumeUnmountAndMountTheDevice() throws Exception {
        guest(db).call(RpcContext.service(), "stop_db", PythonJson.object(), CALL);
        ObjectNode args = PythonJson.object();
        args.put("device_path", loopDevice);
        args.put("mount_point", db.dataDir.toString());
        guest(db).call(RpcContext.service(), "unmount_volume", args, CALL);
        assertThat(mountedSource(db.dataDir)).isNull();

        // Trove's offline resize: database stopped, volume unmounted, extended, resize_fs(online=False)
        setLength(backingFile, 192 * MB);
        ObjectNode resize = args.deepCopy();
        resize.put("online", false);
        guest(db).call(RpcContext.service(), "resize_fs", resize, CALL);
        assertThat(mountedSource(db.dataDir)).as("left unmounted, as it was found").isNull();

        args.put("write_to_fstab", false);
        guest(db).call(RpcContext.service(), "mount_volume", args, CALL);
        assertThat(mountedSource(db.dataDir)).isEqualTo(loopDevice + " ext4");
        assertThat(Files.getFileStore(db.dataDir).getTotalSpace()).isGreaterThan(150 * MB);
        guest(db).call(RpcContext.service(), "restart", PythonJson.object(), CALL);
        assertKept(db);
    }

    @Test
    @Order(6)
    void aDeviceThatNeverAppearsFailsPrepareSayingWhichAndWhatToDo() throws Exception {
        String missing = "/dev/trovej-missing-" + UUID.randomUUID().toString().substring(0, 8);
        // volume_device wins over the device Nova reported
        GuestInstance broken = newInstance("volume_device = " + missing + "\nvolume_device_wait = 1");
        transport.predeclare(Topics.guest(broken.id), broken.id);
        guest(broken).cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepareArgs(broken, "/dev/vdb"));
        broken.startAgent();

        assertThat(conductor.awaitLatestStatus(broken.id, "failed to spawn", WAIT)).isEqualTo("failed to spawn");
        RecordingConductor.Fault fault = conductor.awaitFault(broken.id, WAIT);
        assertThat(fault).isNotNull();
        assertThat(fault.message()).contains("Volume device " + missing + " did not appear within 1 s")
                .contains("volume_device").doesNotContain("/dev/vdb");
        assertThat(broken.portOpen()).isFalse();
        assertThat(mountedSource(broken.dataDir)).isNull();
    }

    @Test
    @Order(7)
    void aDeviceHoldingSomethingElseThanAFileSystemIsNeverFormatted() throws Exception {
        Path swapFile = base.resolve("swap.img");
        setLength(swapFile, 16 * MB);
        Run loop = run("losetup", "-f", "--show", swapFile.toString());
        assertThat(loop.code).as(loop.out).isZero();
        String swap = loop.out.strip();
        extraLoopDevices.add(swap);
        assertThat(run("mkswap", swap).code).isZero();
        String before = run("blkid", "-p", "-o", "value", "-s", "UUID", swap).out.strip();

        GuestInstance other = newInstance("volume_device = " + swap);
        transport.predeclare(Topics.guest(other.id), other.id);
        guest(other).cast(RpcContext.user("u1", "tenant-1", false), "prepare", prepareArgs(other, "/dev/vdb"));
        other.startAgent();

        assertThat(conductor.awaitLatestStatus(other.id, "failed to spawn", WAIT)).isEqualTo("failed to spawn");
        assertThat(conductor.awaitFault(other.id, WAIT).message()).contains(swap).contains("swap")
                .contains("refusing to format");
        assertThat(run("blkid", "-p", "-o", "value", "-s", "UUID", swap).out.strip()).isEqualTo(before);
        assertThat(mountedSource(other.dataDir)).isNull();
    }

    private static void assertKept(GuestInstance instance) throws Exception {
        try (Connection c = instance.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT v FROM kept");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
        }
    }

    private static String postmasterStart(GuestInstance instance) throws Exception {
        try (Connection c = instance.connect("appdb", "appuser", "s3cret-Pass"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT pg_postmaster_start_time()::text");
            rs.next();
            return rs.getString(1);
        }
    }

    /** Whether this process may grow a mounted ext4 file system (CAP_SYS_RESOURCE, bit 24). */
    private static boolean canResizeOnline() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 24)) != 0;
            }
        }
        return false;
    }

    /** "SOURCE FSTYPE" of the file system mounted exactly at {@code dir}, or null. */
    private static String mountedSource(Path dir) {
        Run found = run("findmnt", "-n", "-r", "-o", "SOURCE,FSTYPE", "--mountpoint", dir.toString());
        return found.code == 0 && !found.out.isBlank() ? found.out.strip() : null;
    }

    private static void setLength(Path file, long length) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length); // sparse, like truncate -s
        }
    }

    private record Run(int code, String out) {
    }

    private static Run run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, String.join(" ", command) + " timed out");
            }
            return new Run(p.exitValue(), out);
        } catch (Exception e) {
            return new Run(-1, String.join(" ", command) + ": " + e);
        }
    }
}
