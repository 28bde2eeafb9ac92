package org.trovej.bench;

/** Entry point: {@code java -jar bench-exec.jar conductor-heartbeats [messages] [instances]}. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "conductor-heartbeats";
        switch (which) {
            case "conductor-heartbeats" -> ConductorHeartbeatBench.run(
                    args.length > 1 ? Integer.parseInt(args[1]) : 20_000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 1_000);
            case "api-throughput" -> ApiThroughputBench.run(
                    args.length > 1 ? Integer.parseInt(args[1]) : 1_000,
                    java.time.Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 10),
                    args.length > 3 ? args[3] : System.getenv().getOrDefault("TROVEJ_BENCH_AUTH", "noauth"));
            case "memory" -> MemoryBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 1_000,
                    java.time.Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 20));
            case "create-latency" -> CreateLatencyBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 10);
            case "backup-restore" -> BackupRestoreBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 70,
                    Integer.parseInt(System.getenv().getOrDefault("TROVEJ_BENCH_ROUNDS", "3")),
                    args.length > 2 ? java.nio.file.Path.of(args[2])
                            : java.nio.file.Files.createTempDirectory("tjbk"),
                    args.length > 3 ? java.util.List.of(args).subList(3, args.length) : java.util.List.of());
            default -> throw new IllegalArgumentException("unknown benchmark " + which);
        }
        System.exit(0);
    }
}
