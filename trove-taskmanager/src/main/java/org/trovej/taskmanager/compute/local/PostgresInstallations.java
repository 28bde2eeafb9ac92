package org.trovej.taskmanager.compute.local;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL installations guests can run, found once: the configured {@code bin} directories, then
 * Debian's {@code /usr/lib/postgresql/<v>/bin}, then the binaries bundled from Maven Central for majors not found yet:
 * all of them when the host has none, else those older than the host's newest major, whose client programs (psql,
 * pg_basebackup, pg_upgrade) serve them; always or never, as configured. Each is identified by what its
 * {@code postgres} says it is, not by its directory name.
 */
public class PostgresInstallations {

    private static final Logger log = LoggerFactory.getLogger(PostgresInstallations.class);
    private static final Path DEBIAN_LAYOUT = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(\\.\\d+)?");
    private static final Pattern LEADING_MAJOR = Pattern.compile("^\\s*(\\d+)");

    private final LocalProperties properties;
    private final FoundOnce<PostgresInstallation> found;

    public PostgresInstallations(LocalProperties properties) {
        this.properties = properties;
        this.found = new FoundOnce<>(this::discover);
    }

    public List<PostgresInstallation> all() {
        return found.get();
    }

    /**
     * The installation for a datastore version: matched on the major version its version number (or else
     * its name) starts with, e.g. {@code 15} or {@code 15.4} → PostgreSQL 15.
     */
    public Optional<PostgresInstallation> forVersion(String versionNumber, String versionName) {
        Integer major = major(versionNumber);
        if (major == null) {
            major = major(versionName);
        }
        if (major == null) {
            return Optional.empty();
        }
        int wanted = major;
        return all().stream().filter(i -> i.major() == wanted).findFirst();
    }

    static Integer major(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = LEADING_MAJOR.matcher(version);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    private List<PostgresInstallation> discover() {
        List<PostgresInstallation> result = new ArrayList<>();
        for (Path dir : properties.postgresBinDirs()) {
            identify(dir, "configured").ifPresentOrElse(result::add,
                    () -> log.warn("trovej.local.postgres-bin-dirs: {} holds no working postgres", dir));
        }
        if (properties.zonkyBinaries() != LocalProperties.ZonkyUse.ALWAYS) {
            debianBinDirs().forEach(dir -> identify(dir, "system").ifPresent(result::add));
        }
        if (properties.zonkyBinaries() != LocalProperties.ZonkyUse.NEVER) {
            int newestOnHost = result.stream().mapToInt(PostgresInstallation::major).max().orElse(Integer.MAX_VALUE);
            boolean hostHasNone = result.isEmpty();
            java.util.function.IntPredicate offered = major -> result.stream().noneMatch(r -> r.major() == major)
                    && (properties.zonkyBinaries() == LocalProperties.ZonkyUse.ALWAYS || hostHasNone
                    || major < newestOnHost);
            for (URL bundle : ZonkyBinaries.bundles()) {
                // a bundle whose name says it will not be offered is not unpacked (85 MB) just to be identified
                Integer named = ZonkyBinaries.majorOf(bundle);
                if (named != null && !offered.test(named)) {
                    continue;
                }
                identify(ZonkyBinaries.unpack(bundle, properties.binariesDir().resolve("postgres-binaries")), "zonky")
                        .filter(i -> offered.test(i.major()))
                        .ifPresent(result::add);
            }
        }
        if (result.isEmpty()) {
            log.warn("No PostgreSQL binaries found (looked in {}, {}); local instances cannot be created",
                    properties.postgresBinDirs(), DEBIAN_LAYOUT);
        }
        result.forEach(i -> log.info("PostgreSQL {} ({}) in {}", i.version(), i.source(), i.binDir()));
        return result;
    }

    private static List<Path> debianBinDirs() {
        if (!Files.isDirectory(DEBIAN_LAYOUT)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_LAYOUT)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("postgres")))
                    .sorted(Comparator.comparing(Path::toString).reversed())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** What the {@code postgres} in {@code binDir} reports, if it runs. */
    static Optional<PostgresInstallation> identify(Path binDir, String source) {
        Path postgres = binDir.resolve("postgres");
        if (!Files.isExecutable(postgres) || !Files.isExecutable(binDir.resolve("initdb"))) {
            return Optional.empty();
        }
        return VersionOutput.of(List.of(postgres.toString(), "--version")).flatMap(output -> {
            Matcher m = VERSION.matcher(output);
            if (!m.find()) {
                return Optional.empty();
            }
            String version = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            return Optional.of(new PostgresInstallation(Integer.parseInt(m.group(1)), version,
                    binDir.toAbsolutePath().normalize(), source));
        });
    }
}
