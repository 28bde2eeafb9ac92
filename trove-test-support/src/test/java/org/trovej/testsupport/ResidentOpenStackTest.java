package org.trovej.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The resident {@code openstack} answers as the command run as a process does: same exit code, stdout and stderr,
 * for a success, a client-side failure and an argument error; and one command's environment does not leak into
 * the next.
 */
class ResidentOpenStackTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static void sameAsAProcess(Map<String, String> env, String... args) {
        CliCommand.Result resident = ResidentOpenStack.run(List.of(args), env, TIMEOUT);
        List<String> command = new java.util.ArrayList<>(List.of("openstack"));
        command.addAll(List.of(args));
        CliCommand.Result process = CliCommand.runProcess(command, env);
        assertThat(resident).as(String.join(" ", args)).isEqualTo(process);
    }

    @Test
    void answersAsTheCommandRunAsAProcess() {
        sameAsAProcess(null, "--version");
        sameAsAProcess(Map.of(), "database", "instance", "list");
        sameAsAProcess(Map.of(), "database", "instance", "show");
    }

    /** osc-lib caches each service's client on its ClientManager class: a command must not get the last one's. */
    @Test
    void eachCommandTalksToItsOwnEndpoint() {
        for (int port : new int[] {9, 10, 9}) {
            CliCommand.Result result = ResidentOpenStack.run(List.of("--os-auth-type", "none", "--os-endpoint",
                    "http://127.0.0.1:" + port + "/v1.0/p" + port, "database", "instance", "list"), null, TIMEOUT);
            assertThat(result.stderr()).contains("http://127.0.0.1:" + port + "/v1.0/p" + port + "/instances");
        }
    }

    @Test
    void eachCommandHasOnlyItsOwnEnvironment() {
        Map<String, String> noauth = Map.of("OS_AUTH_TYPE", "none", "OS_ENDPOINT", "http://127.0.0.1:9/v1.0/p");
        assertThat(ResidentOpenStack.run(List.of("database", "instance", "list"), noauth, TIMEOUT).stderr())
                .contains("127.0.0.1", "9");
        CliCommand.Result next = ResidentOpenStack.run(List.of("database", "instance", "list"), Map.of(), TIMEOUT);
        assertThat(next.exitCode()).isEqualTo(1);
        assertThat(next.stderr()).contains("auth-url").doesNotContain("127.0.0.1");
    }
}
