package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL ({@code postgresql}): the installations {@link PostgresInstallations} finds, one datastore version per
 * major version, port {@code trovej.local.database-port}, and template clusters shared by the host's guests.
 */
public class PostgresEngine implements LocalEngine {

    public static final String MANAGER = "postgresql";

    private final LocalProperties properties;
    private final PostgresInstallations installations;

    public PostgresEngine(LocalProperties properties, PostgresInstallations installations) {
        this.properties = properties;
        this.installations = installations;
    }

    @Override
    public String displayName() {
        return "PostgreSQL";
    }

    @Override
    public List<String> managers() {
        return List.of(MANAGER);
    }

    @Override
    public List<EngineInstallation> installations() {
        return installations.all().stream().sorted(Comparator.comparingInt(PostgresInstallation::major))
                .map(PostgresEngine::of).toList();
    }

    @Override
    public Optional<EngineInstallation> forVersion(String versionNumber, String versionName) {
        return installations.forVersion(versionNumber, versionName).map(PostgresEngine::of);
    }

    private static EngineInstallation of(PostgresInstallation pg) {
        return new EngineInstallation(Integer.toString(pg.major()), pg.version(), pg.binDir(), pg.source());
    }

    @Override
    public int port() {
        return properties.databasePort();
    }

    @Override
    public String runAs() {
        return properties.runAs();
    }

    /** Shared by every guest on this host: the first one builds a template cluster, the others copy it. */
    @Override
    public void prepareHost(LocalLayout layout, String databaseUser) throws IOException {
        Path templates = layout.templatesDir();
        if (!Files.isDirectory(templates)) {
            Files.createDirectories(templates);
            Files.setPosixFilePermissions(templates, PosixFilePermissions.fromString("rwx------"));
            if (databaseUser != null) {
                HostUsers.requireReachable(templates, databaseUser);
                HostUsers.chown(templates, databaseUser);
            }
        }
    }

    @Override
    public Map<String, String> guestSection(LocalLayout layout, String instanceId, String address,
                                            EngineInstallation installation, String databaseUser) {
        Map<String, String> section = new LinkedHashMap<>();
        section.put("bind_host", address);
        section.put("port", Integer.toString(port()));
        section.put("data_dir", layout.volumeDir(instanceId).toString());
        section.put("bin_dir", installation.location().toString());
        if (databaseUser != null) {
            section.put("run_as", databaseUser);
        }
        section.put("socket_dir", layout.socketDir(instanceId).toString());
        // TroveJ: initdb once per PostgreSQL version on this host, then every new instance copies that cluster
        section.put("template_dir", layout.templatesDir().toString());
        return section;
    }

    @Override
    public ServerPidFile serverPidFile(LocalLayout layout, String instanceId) {
        // SIGINT: PostgreSQL's fast shutdown
        return new ServerPidFile(layout.pgData(instanceId).resolve("postmaster.pid"), "postgres", "INT");
    }
}
