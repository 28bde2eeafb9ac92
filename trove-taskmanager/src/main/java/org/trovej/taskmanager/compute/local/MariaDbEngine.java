package org.trovej.taskmanager.compute.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB, serving the datastore managers {@code mariadb} and {@code mysql} (Debian ships MariaDB as its MySQL):
 * the host's server program ({@code trovej.local.mariadb-server}, else Debian's {@code /usr/sbin/mariadbd}, else
 * {@code /usr/sbin/mysqld}), identified by what {@code --version} says (a datastore version named after its
 * major.minor, {@code 10.11}, numbered with the full version, {@code 10.11.14}); port
 * {@code trovej.local.mariadb-port} (3306), servers run as {@code trovej.local.mariadb-run-as} ({@code mysql}).
 * Backups need the server build's own {@code mariadb-backup} and {@code mbstream}: those beside the server
 * ({@code <prefix>/bin} of a {@code <prefix>/sbin} server, or its own directory) are given to the guest.
 */
public class MariaDbEngine implements LocalEngine {

    public static final String MARIADB = "mariadb";
    public static final String MYSQL = "mysql";
    private static final Logger log = LoggerFactory.getLogger(MariaDbEngine.class);
    private static final List<Path> SYSTEM_SERVERS = List.of(Path.of("/usr/sbin/mariadbd"), Path.of("/usr/sbin/mysqld"));
    /** {@code mariadbd  Ver 10.11.14-MariaDB-0+deb12u2 for debian-linux-gnu on x86_64 (Debian 12)} */
    private static final Pattern VERSION = Pattern.compile("\\bVer\\s+(\\d+)\\.(\\d+)\\.(\\d+)");
    static final List<String> BACKUP_PROGRAMS = List.of("mariadb-backup", "mariabackup");
    static final List<String> UNPACKERS = List.of("mbstream");
    private static final Pattern REQUESTED = Pattern.compile("^\\s*(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    private final LocalProperties properties;
    private final EngineProfile profile;
    private final FoundOnce<EngineInstallation> found;

    /** Pristine datadirs in {@code <state-dir>/templates-mariadb}. */
    public MariaDbEngine(LocalProperties properties) {
        this.properties = properties;
        this.profile = new EngineProfile("MariaDB", List.of(MARIADB, MYSQL), properties.mariadbPort(),
                properties.mariadbRunAs(), "templates-mariadb");
        this.found = new FoundOnce<>(this::discover);
    }

    @Override
    public EngineProfile profile() {
        return profile;
    }

    @Override
    public List<EngineInstallation> installations() {
        return found.get();
    }

    private List<EngineInstallation> discover() {
        List<EngineInstallation> result = new ArrayList<>();
        if (properties.mariadbServer() != null) {
            identify(properties.mariadbServer(), "configured").ifPresentOrElse(result::add,
                    () -> log.warn("trovej.local.mariadb-server: {} is not a working MariaDB server",
                            properties.mariadbServer()));
        } else {
            SYSTEM_SERVERS.stream().filter(Files::isExecutable).findFirst()
                    .flatMap(server -> identify(server, "system")).ifPresent(result::add);
        }
        if (result.isEmpty()) {
            log.info("No MariaDB server on this host (looked for {}): datastores mariadb and mysql are not offered",
                    properties.mariadbServer() != null ? properties.mariadbServer() : SYSTEM_SERVERS);
        }
        result.forEach(i -> {
            log.info("MariaDB {} ({}) at {}", i.version(), i.source(), i.location());
            if (backupTool(i.location(), BACKUP_PROGRAMS).isEmpty()
                    || backupTool(i.location(), UNPACKERS).isEmpty()) {
                log.warn("No mariadb-backup and mbstream beside {}: backups and restores of its instances will fail "
                        + "(Debian: apt-get install mariadb-backup)", i.location());
            }
        });
        return result;
    }

    /**
     * The first of {@code names} in the server's directory or, for a server in {@code <prefix>/sbin}, in
     * {@code <prefix>/bin}: the tool of the same build (Debian: /usr/bin beside /usr/sbin/mariadbd).
     */
    static Optional<Path> backupTool(Path server, List<String> names) {
        Path dir = server.toAbsolutePath().normalize().getParent();
        List<Path> dirs = new ArrayList<>(List.of(dir));
        if (dir.getFileName() != null && dir.getFileName().toString().equals("sbin")) {
            dirs.add(0, dir.resolveSibling("bin"));
        }
        for (Path candidate : dirs) {
            for (String name : names) {
                Path tool = candidate.resolve(name);
                if (Files.isExecutable(tool)) {
                    return Optional.of(tool);
                }
            }
        }
        return Optional.empty();
    }

    /** What {@code <server> --version} reports, if it runs. */
    static Optional<EngineInstallation> identify(Path server, String source) {
        if (!Files.isExecutable(server)) {
            return Optional.empty();
        }
        return VersionOutput.of(List.of(server.toString(), "--no-defaults", "--version")).flatMap(output -> {
            Matcher m = VERSION.matcher(output);
            if (!m.find()) {
                return Optional.empty();
            }
            return Optional.of(new EngineInstallation(m.group(1) + "." + m.group(2),
                    m.group(1) + "." + m.group(2) + "." + m.group(3), server.toAbsolutePath().normalize(), source));
        });
    }

    /**
     * The installation whose version starts with what the datastore version asks for, part by part: {@code 10.11}
     * or {@code 10.11.14} → 10.11.14, {@code 10} → any 10.x; the version number first, else the name.
     */
    @Override
    public Optional<EngineInstallation> forVersion(String versionNumber, String versionName) {
        Optional<EngineInstallation> byNumber = matching(versionNumber);
        return byNumber.isPresent() || requested(versionNumber) != null ? byNumber : matching(versionName);
    }

    private Optional<EngineInstallation> matching(String requestedVersion) {
        String[] wanted = requested(requestedVersion);
        if (wanted == null) {
            return Optional.empty();
        }
        return installations().stream().filter(i -> {
            String[] have = i.version().split("\\.");
            for (int k = 0; k < wanted.length; k++) {
                if (k >= have.length || Integer.parseInt(have[k]) != Integer.parseInt(wanted[k])) {
                    return false;
                }
            }
            return true;
        }).findFirst();
    }

    static String[] requested(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = REQUESTED.matcher(version);
        if (!m.find()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (int g = 1; g <= 3 && m.group(g) != null; g++) {
            parts.add(m.group(g));
        }
        return parts.toArray(String[]::new);
    }

    @Override
    public Map<String, String> serverSection(LocalLayout layout, String instanceId, EngineInstallation installation,
                                             String databaseUser) {
        Map<String, String> section = new LinkedHashMap<>();
        if (databaseUser != null) {
            section.put("run_as", databaseUser);
        }
        section.put("socket", layout.socketDir(instanceId).resolve("mysqld.sock").toString());
        section.put("mysqld", installation.location().toString());
        backupTool(installation.location(), BACKUP_PROGRAMS).ifPresent(t -> section.put("mariabackup", t.toString()));
        backupTool(installation.location(), UNPACKERS).ifPresent(t -> section.put("mbstream", t.toString()));
        return section;
    }

    @Override
    public ServerPidFile serverPidFile(LocalLayout layout, String instanceId) {
        // the guest's layout: the pid file on the volume, the server started with --defaults-file=<volume>/my.cnf;
        // SIGTERM is the server's normal shutdown
        Path volume = layout.volumeDir(instanceId);
        return new ServerPidFile(volume.resolve("mariadbd.pid"), "--defaults-file=" + volume.resolve("my.cnf"),
                "TERM");
    }
}
