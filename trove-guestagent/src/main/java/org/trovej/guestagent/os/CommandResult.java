package org.trovej.guestagent.os;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a command ended and what it printed. */
public record CommandResult(String command, int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** The last lines of stderr (else stdout): the part of a failure worth putting in an error message. */
    public String tail(int lines) {
        String text = stderr.isBlank() ? stdout : stderr;
        String[] all = text.strip().split("\n");
        return Arrays.stream(all, Math.max(0, all.length - lines), all.length)
                .map(String::strip).collect(Collectors.joining(" | "));
    }
}
