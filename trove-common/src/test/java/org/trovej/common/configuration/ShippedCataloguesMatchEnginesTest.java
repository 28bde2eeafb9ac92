package org.trovej.common.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The shipped catalogues are what the engines on this machine report, through the mapping: PostgreSQL on
 * 127.0.0.1:5432 ({@code trovej.test.postgres.url}, user {@code postgres}) and MariaDB on 127.0.0.1:3306
 * ({@code trovej.test.mariadb.url}, user {@code trovej_catalogue}, without privileges: scripts/ensure-services
 * creates it). An engine whose version has no shipped file fails (the
 * catalogue must be generated for it: scripts/generate-parameter-catalogues), it is never skipped. Defaults are
 * not compared: some are sized from the host (MariaDB's thread pool from its processors).
 */
class ShippedCataloguesMatchEnginesTest {

    private static final String PG_URL = System.getProperty("trovej.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=5");
    private static final String PG_USER = System.getProperty("trovej.test.postgres.user", "postgres");
    private static final String MARIADB_URL = System.getProperty("trovej.test.mariadb.url",
            "jdbc:mariadb://127.0.0.1:3306/?connectTimeout=5000");
    private static final String MARIADB_USER = System.getProperty("trovej.test.mariadb.user",
            "trovej_catalogue");
    private static final Pattern PG_VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(\\.\\d+)?");

    @Test
    void postgresql() throws SQLException {
        ParameterCatalogue live = read(EngineCatalogueReader.POSTGRES, PG_URL, PG_USER);
        assertMatches("postgresql", live);
    }

    @Test
    void mariadb() throws SQLException {
        ParameterCatalogue live = read(EngineCatalogueReader.MARIADB, MARIADB_URL, MARIADB_USER);
        assertMatches("mariadb", live);
        // the mysql manager runs the same MariaDB
        assertThat(ParameterCatalogues.rules("mysql", live.engineVersion()))
                .isEqualTo(ParameterCatalogues.rules("mariadb", live.engineVersion()));
    }

    /**
     * {@code postgres --describe-config} of each of Debian's PostgreSQL binaries says what pg_settings says for
     * that major (the shipped catalogue), for the parameters it lists: it lists no enum values, and leaves out the
     * parameters not meant for the configuration file.
     */
    @Test
    void describeConfigAgreesWithPgSettings() throws Exception {
        List<Path> binaries = debianPostgresBinaries();
        assertThat(binaries).as("no /usr/lib/postgresql/<major>/bin/postgres on this machine").isNotEmpty();
        for (Path postgres : binaries) {
            String version = run(postgres, "--version");
            Matcher m = PG_VERSION.matcher(version);
            assertThat(m.find()).as("version of %s: %s", postgres, version).isTrue();
            String major = m.group(1);
            ParameterCatalogue shipped = ParameterCatalogues.find("postgresql", major).orElseThrow(() ->
                    new AssertionError(postgres + " is PostgreSQL " + major + ", and TroveJ ships no "
                            + "postgresql-" + major + ".json: run scripts/generate-parameter-catalogues against a "
                            + "server of that major"));
            MappedParameters described = PostgresParameterRules.fromDescribeConfig(run(postgres, "--describe-config"));
            Map<String, ParameterRule> byName = byName(shipped.parameters());
            List<String> differences = new ArrayList<>();
            for (ParameterRule rule : described.rules()) {
                ParameterRule known = byName.get(rule.name());
                if (known == null) {
                    differences.add(rule.name() + ": described, not in the shipped catalogue"
                            + (shipped.excluded().containsKey(rule.name()) ? " (excluded there)" : ""));
                    continue;
                }
                // no enum values, and only strings' defaults
                ParameterRule comparable = new ParameterRule(known.name(), known.dataType(), known.min(), known.max(),
                        known.restartRequired(), null, rule.defaultValue() == null ? null : known.defaultValue());
                if (!comparable.equals(rule)) {
                    differences.add(rule.name() + ": described " + rule + ", shipped " + known);
                }
            }
            for (String name : described.excluded().keySet()) {
                if (byName.containsKey(name)) {
                    differences.add(name + ": excluded from --describe-config, shipped as settable");
                }
            }
            assertThat(differences).as("%s --describe-config against postgresql-%s.json", postgres, major).isEmpty();
            assertThat(described.rules()).as("--describe-config lists most parameters")
                    .hasSizeGreaterThan(shipped.parameters().size() * 3 / 4);
        }
    }

    private static ParameterCatalogue read(String engine, String url, String user) throws SQLException {
        try {
            return EngineCatalogueReader.read(engine, url, user, null);
        } catch (SQLException e) {
            throw new SQLException("cannot read the parameters of " + engine + " at " + url + " as " + user
                    + " (this test needs the machine's engine running, see scripts/ensure-services): "
                    + e.getMessage(), e);
        }
    }

    private static void assertMatches(String manager, ParameterCatalogue live) {
        Optional<String> file = ParameterCatalogues.resourceName(manager, live.engineVersion());
        ParameterCatalogue shipped = ParameterCatalogues.find(manager, live.engineVersion()).orElseGet(() ->
                fail("the %s server is version %s, and TroveJ ships no %s for it: generate it with "
                        + "scripts/generate-parameter-catalogues (or point the test at a server of a shipped version)",
                        manager, live.engineVersion(), file.orElse("catalogue")));
        Map<String, ParameterRule> expected = byName(live.parameters());
        Map<String, ParameterRule> actual = byName(shipped.parameters());
        List<String> differences = new ArrayList<>();
        for (String name : new TreeSet<>(Stream.concat(expected.keySet().stream(), actual.keySet().stream()).toList())) {
            ParameterRule e = expected.get(name);
            ParameterRule a = actual.get(name);
            if (e == null) {
                differences.add(name + ": shipped, but the engine does not report it (or it is excluded)");
            } else if (a == null) {
                differences.add(name + ": the engine reports it, the shipped catalogue lacks it");
            } else if (!Objects.equals(e.dataType(), a.dataType()) || !Objects.equals(e.min(), a.min())
                    || !Objects.equals(e.max(), a.max()) || e.restartRequired() != a.restartRequired()
                    || !Objects.equals(e.allowedValues(), a.allowedValues())) {
                differences.add(name + ": engine " + e + ", shipped " + a);
            }
        }
        assertThat(differences).as("%s %s (%s) against the shipped %s (from %s); regenerate with "
                + "scripts/generate-parameter-catalogues if the engine changed", manager, live.engineVersion(),
                live.source(), file.orElseThrow(), shipped.engineVersion()).isEmpty();
        assertThat(shipped.excluded()).as("the exclusions").isEqualTo(live.excluded());
    }

    private static Map<String, ParameterRule> byName(List<ParameterRule> rules) {
        Map<String, ParameterRule> map = new TreeMap<>();
        rules.forEach(r -> map.put(r.name(), r));
        return map;
    }

    private static List<Path> debianPostgresBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> d.resolve("bin").resolve("postgres")).filter(Files::isExecutable).sorted().toList();
        }
    }

    private static String run(Path program, String argument) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(program.toString(), argument).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s %s: %s", program, argument, new String(out, StandardCharsets.UTF_8))
                .isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
