package org.trovej.api.acceptance;

import java.util.ArrayList;
import java.util.List;

import org.trovej.testsupport.CliCommand.Result;
import org.trovej.testsupport.CliCommand;

/** Debian's {@code openstack} command without Keystone, pointed at one project's endpoint. */
final class OpenStackCommand {

    private final String endpoint;

    OpenStackCommand(String endpoint) {
        this.endpoint = endpoint;
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("openstack", "--os-auth-type", "none", "--os-endpoint",
                endpoint));
        command.addAll(List.of(args));
        return CliCommand.run(command);
    }
}
