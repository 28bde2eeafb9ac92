package org.trovej.api.acceptance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Debian's {@code openstack} command without Keystone, pointed at one project's endpoint. */
final class OpenStackCommand {

    record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + stdout + "\nstderr: " + stderr, e);
            }
        }

        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("openstack exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    private final String endpoint;

    OpenStackCommand(String endpoint) {
        this.endpoint = endpoint;
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("openstack", "--os-auth-type", "none", "--os-endpoint",
                endpoint));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + " (python3-openstackclient and "
                    + "python3-troveclient must be installed)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
