package org.trovej.taskmanager.compute.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The local back end's settings, under {@code trovej.local}.
 *
 * @param stateDir        where instances live ({@code <state-dir>/instances/<id>}); default {@code trovej.state-dir},
 *                        else {@code .trovej}
 * @param guestAgentJar   the guest agent's fat jar; default: {@code trove-guestagent/target/trove-guestagent-*-all.jar}
 *                        found from the working directory upwards
 * @param javaCommand     the java that runs guest agents; default this JVM's
 * @param guestJvmOptions JVM flags of a guest agent: small, because there is one per instance
 * @param reportInterval  the guests' {@code report_interval} (Trove's default is 30 s; locally heartbeats are cheap)
 * @param runAs           the OS user of PostgreSQL when the task manager runs as root; default {@code postgres}
 * @param postgresBinDirs PostgreSQL {@code bin} directories to offer besides Debian's {@code /usr/lib/postgresql/<v>/bin}
 * @param zonkyBinaries   when to use the PostgreSQL binaries bundled from Maven Central (zonky): {@code auto}: all of
 *                        them when the host has none, else those of majors older than the host's newest (whose client
 *                        programs serve them: psql, pg_basebackup, pg_upgrade to the host's), {@code always}, or
 *                        {@code never}
 * @param binariesDir     where bundled binaries are unpacked, once per machine: default {@code /var/cache/trovej}
 *                        as root, else {@code ~/.cache/trovej}
 * @param databasePort    the port every PostgreSQL instance listens on, each on its own 127.x.y.z (default 5432)
 * @param stopTimeout     how long a guest gets to stop (and stop its database) before it is killed
 * @param mariadbPort     the port every MariaDB ({@code mariadb}, {@code mysql}) instance listens on (default 3306)
 * @param mariadbRunAs    the OS user of MariaDB servers when the task manager runs as root; default {@code mysql}
 * @param mariadbServer   the MariaDB server program to offer; default Debian's {@code /usr/sbin/mariadbd} (else
 *                        {@code /usr/sbin/mysqld}) when installed
 * @param guestSupervision how often guests that should run are checked and started again when they died
 *                        (default 2 s; 0 turns supervision off), see GuestSupervisor
 * @param classDataSharing whether guests start from a class-data-sharing archive made once per agent build
 *                        (default true; see GuestClassArchive)
 */
@ConfigurationProperties(prefix = "trovej.local")
public record LocalProperties(Path stateDir, Path guestAgentJar, String javaCommand, List<String> guestJvmOptions,
                              Duration reportInterval, String runAs, List<Path> postgresBinDirs,
                              ZonkyUse zonkyBinaries, Integer databasePort, Duration stopTimeout,
                              Integer mariadbPort, String mariadbRunAs, Path mariadbServer,
                              Boolean classDataSharing, Duration guestSupervision, Path binariesDir) {

    public enum ZonkyUse { AUTO, ALWAYS, NEVER }

    public LocalProperties {
        classDataSharing = classDataSharing == null || classDataSharing;
        guestSupervision = guestSupervision == null ? Duration.ofSeconds(2) : guestSupervision;
        guestJvmOptions = guestJvmOptions == null
                ? List.of("-Xmx32m", "-Xms8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
                        "-Xss256k", "-XX:ReservedCodeCacheSize=16m")
                : List.copyOf(guestJvmOptions);
        reportInterval = reportInterval == null ? Duration.ofSeconds(10) : reportInterval;
        runAs = runAs == null || runAs.isBlank() ? "postgres" : runAs;
        postgresBinDirs = postgresBinDirs == null ? List.of() : List.copyOf(postgresBinDirs);
        zonkyBinaries = zonkyBinaries == null ? ZonkyUse.AUTO : zonkyBinaries;
        // shared by every state directory: unpacking 85 MB for each would cost every start (and every test) its time
        binariesDir = binariesDir != null ? binariesDir : HostUsers.isRoot() ? Path.of("/var/cache/trovej")
                : Path.of(System.getProperty("user.home"), ".cache", "trovej");
        databasePort = databasePort == null ? 5432 : databasePort;
        stopTimeout = stopTimeout == null ? Duration.ofSeconds(30) : stopTimeout;
        mariadbPort = mariadbPort == null ? 3306 : mariadbPort;
        mariadbRunAs = mariadbRunAs == null || mariadbRunAs.isBlank() ? "mysql" : mariadbRunAs;
        if (reportInterval.toSeconds() < 1) {
            throw new IllegalArgumentException("trovej.local.report-interval must be at least 1s");
        }
    }
}
