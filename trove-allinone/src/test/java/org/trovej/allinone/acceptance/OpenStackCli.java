package org.trovej.allinone.acceptance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.trovej.testsupport.CliCommand.Result;
import org.trovej.testsupport.CliCommand;

/**
 * Debian's real {@code openstack} command (python3-openstackclient + python3-troveclient) pointed at TroveJ
 * without Keystone: {@code --os-auth-type none --os-endpoint http://host:port/v1.0/<project>}.
 */
public final class OpenStackCli {

    private final String endpoint;

    public OpenStackCli(String endpoint) {
        this.endpoint = endpoint;
    }

    public static void requireInstalled() {
        try {
            Process p = new ProcessBuilder("openstack", "--version").redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("`openstack --version` failed");
            }
            Process t = new ProcessBuilder("/usr/bin/python3", "-c", "import troveclient").redirectErrorStream(true)
                    .start();
            if (!t.waitFor(60, TimeUnit.SECONDS) || t.exitValue() != 0) {
                throw new AssertionError("python3-troveclient is not installed");
            }
        } catch (IOException e) {
            throw new AssertionError("the OpenStack client is not installed: run scripts/ensure-services (or "
                    + "apt-get install python3-openstackclient python3-troveclient)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("openstack", "--os-auth-type", "none", "--os-endpoint",
                endpoint));
        command.addAll(List.of(args));
        return CliCommand.run(command);
    }
}
