package org.trovej.taskmanager.compute.local;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trovej.common.configuration.ParameterRule;
import org.trovej.common.configuration.PostgresParameterRules;

/**
 * PostgreSQL ({@code postgresql}): the installations {@link PostgresInstallations} finds, one datastore version per
 * major version, port {@code trovej.local.database-port}, and template clusters shared by the host's guests.
 */
public class PostgresEngine implements LocalEngine {

    public static final String MANAGER = "postgresql";
    private static final Logger log = LoggerFactory.getLogger(PostgresEngine.class);

    private final EngineProfile profile;
    private final PostgresInstallations installations;

    /** Template clusters in {@code <state-dir>/templates} ({@code [postgresql] template_dir}). */
    public PostgresEngine(LocalProperties properties, PostgresInstallations installations) {
        this.profile = new EngineProfile("PostgreSQL", List.of(MANAGER), properties.databasePort(), properties.runAs(),
                "templates");
        this.installations = installations;
    }

    @Override
    public EngineProfile profile() {
        return profile;
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

    /**
     * {@code postgres --describe-config} of the installation, through {@link PostgresParameterRules} (for a major
     * TroveJ ships no catalogue of, e.g. the bundled binaries): no enum values, and the defaults of strings only.
     */
    @Override
    public List<ParameterRule> parameters(EngineInstallation installation) {
        Path postgres = installation.location().resolve("postgres");
        return VersionOutput.of(List.of(postgres.toString(), "--describe-config"))
                .map(output -> PostgresParameterRules.fromDescribeConfig(output).rules())
                .orElseGet(() -> {
                    log.warn("{} --describe-config did not answer: PostgreSQL {} gets no configuration parameters",
                            postgres, installation.versionName());
                    return List.of();
                });
    }

    private static EngineInstallation of(PostgresInstallation pg) {
        return new EngineInstallation(Integer.toString(pg.major()), pg.version(), pg.binDir(), pg.source());
    }

    @Override
    public Map<String, String> serverSection(LocalLayout layout, String instanceId, EngineInstallation installation,
                                             String databaseUser) {
        Map<String, String> section = new LinkedHashMap<>();
        section.put("bin_dir", installation.location().toString());
        if (databaseUser != null) {
            section.put("run_as", databaseUser);
        }
        section.put("socket_dir", layout.socketDir(instanceId).toString());
        return section;
    }

    @Override
    public ServerPidFile serverPidFile(LocalLayout layout, String instanceId) {
        // SIGINT: PostgreSQL's fast shutdown
        return new ServerPidFile(layout.pgData(instanceId).resolve("postmaster.pid"), "postgres", "INT");
    }
}
