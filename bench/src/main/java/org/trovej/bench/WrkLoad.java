package org.trovej.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load from a second process: Debian's {@code wrk} (C, epoll), so that the figures are the API's, not those
 * of a load generator sharing the API's JVM and its two cores' worth of garbage collection. Used when wrk is
 * installed; the JDK client otherwise (the figures then include its own cost, ~0.5 ms a request).
 */
final class WrkLoad {

    /** What one wrk run measured. */
    record Figures(double requestsPerSecond, double p50Millis, double p99Millis, long requests, long non2xx) {
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    private WrkLoad() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param paths the request paths, one picked at random per request (a single one for a fixed URL)
     */
    static Figures run(String baseUrl, List<String> paths, String[] headers, int connections, Duration duration)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("trovej-wrk", ".lua");
        try {
            StringBuilder lua = new StringBuilder("paths = {");
            for (String p : paths) {
                lua.append('"').append(p).append("\",");
            }
            lua.append("}\nrequest = function()\n  return wrk.format(\"GET\", paths[math.random(#paths)])\nend\n");
            Files.writeString(script, lua.toString(), StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of("wrk", "-t", Integer.toString(Math.min(connections, 2)),
                    "-c", Integer.toString(connections), "-d", duration.toSeconds() + "s", "--latency",
                    "-s", script.toString()));
            for (int i = 0; i < headers.length; i += 2) {
                command.add("-H");
                command.add(headers[i] + ": " + headers[i + 1]);
            }
            command.add(baseUrl);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("wrk failed: " + out);
            }
            return new Figures(number(RATE, out), percentile(out, "50%"), percentile(out, "99%"),
                    (long) number(TOTAL, out), matchOrZero(NON_2XX, out));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static double number(Pattern pattern, String out) throws IOException {
        Matcher m = pattern.matcher(out);
        if (!m.find()) {
            throw new IOException("unexpected wrk output: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static long matchOrZero(Pattern pattern, String out) {
        Matcher m = pattern.matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** A latency-distribution line, e.g. {@code 50%  812.00us}, in milliseconds. */
    private static double percentile(String out, String which) throws IOException {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            throw new IOException("no " + which + " latency in wrk output: " + out);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
