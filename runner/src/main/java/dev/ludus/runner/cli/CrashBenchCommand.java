package dev.ludus.runner.cli;

import dev.ludus.runner.bench.CrashCheck;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ludus bench crash}: the crash-consistency check ({@link CrashCheck}), killing real {@code ludus rollout}
 * processes with SIGKILL at random moments and resuming them. Exit code 0 when it passed, 1 otherwise.
 */
@Command(name = "crash", mixinStandardHelpOptions = true,
    description = "Kill real 'ludus rollout' processes with SIGKILL at random moments while they write, check after "
        + "every kill that the episode file reads back with no episode twice, and that --resume completes each run "
        + "to exactly the episodes of an uninterrupted run.")
public class CrashBenchCommand implements Callable<Integer> {
  @Option(names = "--kills", defaultValue = "50", description = "SIGKILLs in all (default: ${DEFAULT-VALUE}).")
  int kills;

  @Option(names = "--episodes", defaultValue = "3000", description = "Episodes per run (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--concurrency", defaultValue = "64", description = "Episodes in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Mixin BenchOptions.Env envOption;

  @Mixin BenchOptions.Agent agentOption;

  @Option(names = "--seed", defaultValue = "0", description = "Run seed, and the kill moments' (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--max-delay", defaultValue = "400", paramLabel = "MS",
      description = "A kill comes up to this long after the child began writing episodes (default: ${DEFAULT-VALUE}).")
  long maxDelay;

  @Option(names = "--work", paramLabel = "DIR",
      description = "Where the runs go (default: a new temporary directory, kept for inspection).")
  Path work;

  @Override
  public Integer call() throws Exception {
    String env = envOption.name;
    String agent = agentOption.name;
    Path dir = work != null ? work : Files.createTempDirectory("ludus-crash-");
    PrintStream log = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    CrashCheck.Report r = CrashCheck.run(new CrashCheck.Options(kills, episodes, concurrency, env, agent, seed, maxDelay,
        dir, List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")), log);
    System.out.println(r.oneLine());
    System.out.println("runs under: " + dir);
    return r.passed() ? 0 : 1;
  }
}
