package org.trovej.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real OpenStack services of {@code scripts/openstack-aio} (Keystone, Glance, Placement, Nova with the fake
 * driver, Neutron, Cinder, Swift), started once per test JVM when they are not running (the script installs
 * what is missing) and left running: starting them costs a minute or more, and the next test module needs them
 * too ({@code scripts/openstack-aio stop} frees the ~3 GB they take).
 */
public final class OpenStackAio {

    private static OpenStackAio instance;

    private final Path script;
    private final Path dataDir;
    private final Map<String, String> admin;
    private final Map<String, String> trove;
    private CloudAdmin cloud;

    private OpenStackAio(Path script) {
        this.script = script;
        this.admin = exports(run(script, 120, "env", "admin"));
        this.trove = exports(run(script, 120, "env", "trove").replace("# export", "export"));
        String base = System.getenv("TROVEJ_OPENSTACK_AIO_DIR");
        this.dataDir = base != null ? Path.of(base) : script.getParent().getParent().resolve(".trovej/openstack-aio");
    }

    public static synchronized OpenStackAio start() {
        if (instance == null) {
            Path script = findScript();
            run(script, 1200, "start");
            instance = new OpenStackAio(script);
        }
        return instance;
    }

    /** The admin's OS_* environment, for the real {@code openstack} CLI. */
    public Map<String, String> admin() {
        return admin;
    }

    /** TroveJ's service user (project {@code service}): OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, OS_AUTH_URL. */
    public Map<String, String> trove() {
        return trove;
    }

    public String authUrl() {
        String url = admin.get("OS_AUTH_URL");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Swift's proxy, as the catalog's {@code object-store} endpoint names it (scripts/openstack-aio's PORT_SWIFT). */
    public String swiftUrl() {
        return "http://127.0.0.1:8888";
    }

    /** Where the stack keeps its data (Cinder's volume files are under data/cinder). */
    public Path dataDir() {
        return dataDir;
    }

    /** The admin's REST client for checks of what is in the cloud (fast, unlike the CLI). */
    public synchronized CloudAdmin cloud() {
        if (cloud == null) {
            cloud = new CloudAdmin(authUrl(), admin);
        }
        return cloud;
    }

    /** Runs the real {@code openstack} CLI as the admin; fails the test when it fails. */
    public CliCommand.Result openstack(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openstack");
        command.addAll(List.of(args));
        return CliCommand.run(command, admin).ok();
    }

    /**
     * A Cinder volume type no back end serves ({@code volume_backend_name=nowhere}): volumes of it go into
     * {@code error} at scheduling, with Cinder's message saying so. Made when missing.
     */
    public synchronized String volumeTypeWithoutBackend() {
        String name = "trovej-nowhere";
        List<String> show = List.of("openstack", "volume", "type", "show", name);
        if (CliCommand.run(show, admin).exitCode() != 0) {
            openstack("volume", "type", "create", "--public", "--property", "volume_backend_name=nowhere", name);
        }
        return name;
    }

    private static Map<String, String> exports(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("export ")) {
                continue;
            }
            for (String assignment : l.substring("export ".length()).split("\\s+")) {
                int eq = assignment.indexOf('=');
                if (eq > 0) {
                    env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
                }
            }
        }
        return env;
    }

    private static String run(Path script, int timeoutSeconds, String... args) {
        return CheckoutScripts.run(script, timeoutSeconds, "these tests need the real OpenStack services", args);
    }

    private static Path findScript() {
        return CheckoutScripts.find("openstack-aio");
    }
}
