package dev.ludus.runner.bench;

import dev.ludus.api.Episode;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.runner.store.EpisodeReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The crash-consistency check: plays rollouts in child JVMs ({@code ludus rollout}, then {@code --resume}) and kills
 * them with SIGKILL at random moments while they write episodes, again and again. After every kill the episode file
 * must read back (a torn final line is allowed and counted; nothing else may be unreadable) and hold no episode
 * twice; each run, resumed until it finishes, must hold exactly its N episodes, the same (task, seed) pairs as an
 * uninterrupted run of the same configuration.
 *
 * <p>Design: one uninterrupted child run gives the reference set; then runs of N episodes are started and killed,
 * each kill at a random delay (up to {@code maxDelayMillis}) after the child's file began to grow, so kills land
 * while episodes are written; a run whose child finishes on its own is checked and the next run starts, until
 * {@code kills} kills were made. Not thread-safe; one check at a time.
 */
public final class CrashCheck {
  private static final EpisodeCodec PLAIN = EpisodeCodec.plain();

  private CrashCheck() {}

  /**
   * What to check.
   *
   * @param kills SIGKILLs to make in all (at least 1)
   * @param episodes episodes of each run
   * @param concurrency episodes in flight
   * @param env the environment
   * @param agent the agent
   * @param seed the runs' seed
   * @param maxDelayMillis the most a kill waits after the file began to grow
   * @param work where the run directories go
   * @param javaOptions options of the child JVMs (heap, GC)
   */
  public record Options(int kills, int episodes, int concurrency, String env, String agent, long seed,
      long maxDelayMillis, Path work, List<String> javaOptions) {
    public Options {
      if (kills < 1) {
        throw new IllegalArgumentException("kills must be at least 1, was " + kills);
      }
      if (episodes < 1 || concurrency < 1 || maxDelayMillis < 0) {
        throw new IllegalArgumentException("episodes and concurrency must be at least 1, maxDelayMillis at least 0");
      }
      Objects.requireNonNull(env, "env");
      Objects.requireNonNull(agent, "agent");
      Objects.requireNonNull(work, "work");
      javaOptions = List.copyOf(javaOptions);
    }
  }

  /**
   * What the check found.
   *
   * @param kills SIGKILLs made
   * @param runs runs played (each resumed until finished)
   * @param resumes child processes started with {@code --resume}
   * @param episodesChecked episodes read back after kills, in all
   * @param duplicates episodes found twice in a file (after a kill or at the end); must be 0
   * @param tornLines torn final lines seen after kills (allowed; a resume cuts them off)
   * @param unreadable files that did not read back after a kill; must be 0
   * @param finishedRuns runs that finished with exactly N distinct episodes equal to the reference set
   * @param problems what went wrong, one line each; empty when the check passed
   */
  public record Report(int kills, int runs, int resumes, long episodesChecked, long duplicates, long tornLines,
      long unreadable, int finishedRuns, List<String> problems) {
    public boolean passed() {
      return problems.isEmpty() && finishedRuns == runs;
    }

    public String oneLine() {
      return "crash check: " + kills + " kills over " + runs + " runs (" + resumes + " resumes), " + episodesChecked
          + " episodes read back after kills, " + duplicates + " duplicates, " + tornLines + " torn lines, "
          + unreadable + " unreadable files; " + finishedRuns + "/" + runs + " runs completed to exactly the "
          + "uninterrupted run's episodes" + (problems.isEmpty() ? "" : "; PROBLEMS: " + String.join("; ", problems));
    }
  }

  /** Runs the check, printing a line per run to {@code log}. */
  public static Report run(Options o, PrintStream log) throws IOException, InterruptedException {
    Files.createDirectories(o.work());
    Random random = new Random(o.seed() * 31 + 7);
    List<String> problems = new ArrayList<>();
    Path referenceDir = runToEnd(o, o.work().resolve("reference"), null);
    Map<String, Integer> reference = pairs(referenceDir.resolve("episodes.jsonl"));
    if (reference.size() != o.episodes()) {
      problems.add("the uninterrupted run holds " + reference.size() + " distinct (task, seed) pairs, not "
          + o.episodes());
    }
    int kills = 0;
    int runs = 0;
    int resumes = 0;
    int finished = 0;
    long checked = 0;
    long duplicates = 0;
    long torn = 0;
    long unreadable = 0;
    while (kills < o.kills()) {
      runs++;
      Path parent = o.work().resolve("run-" + runs);
      Path runDir = null;
      int runKills = 0;
      boolean done = false;
      while (!done) {
        if (kills >= o.kills() && runDir != null) {
          runToEnd(o, parent, runDir);
          resumes++;
          done = true;
          break;
        }
        Process child = start(o, parent, runDir);
        if (runDir != null) {
          resumes++;
        }
        Path file = runDir != null ? runDir.resolve("episodes.jsonl") : null;
        long base = file != null && Files.exists(file) ? Files.size(file) : 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // wait until the child writes episodes (or ends), then a random moment more
        while (child.isAlive() && System.nanoTime() < deadline) {
          if (file == null) {
            runDir = runDirectory(parent).orElse(null);
            file = runDir != null ? runDir.resolve("episodes.jsonl") : null;
          }
          if (file != null && Files.exists(file) && Files.size(file) > base) {
            break;
          }
          Thread.sleep(2);
        }
        if (child.isAlive()) {
          long delay = o.maxDelayMillis() == 0 ? 0 : (long) (random.nextDouble() * o.maxDelayMillis());
          child.waitFor(delay, TimeUnit.MILLISECONDS);
        }
        if (child.isAlive()) {
          child.destroyForcibly(); // SIGKILL
          child.waitFor();
          kills++;
          runKills++;
        } else if (child.exitValue() == 0) {
          done = true;
        } else {
          problems.add("run " + runs + ": the child exited with " + child.exitValue());
          return report(kills, runs, resumes, checked, duplicates, torn, unreadable, finished, problems);
        }
        if (runDir == null) {
          runDir = runDirectory(parent).orElse(null);
        }
        if (runDir == null || !Files.exists(runDir.resolve("episodes.jsonl"))) {
          runDir = null; // killed before it wrote anything: start this run again
          continue;
        }
        Check c = check(runDir.resolve("episodes.jsonl"));
        checked += c.episodes;
        duplicates += c.duplicates;
        torn += c.torn ? 1 : 0;
        if (c.error != null) {
          unreadable++;
          problems.add("run " + runs + " after kill " + kills + ": " + c.error);
        }
      }
      Check end = check(runDir.resolve("episodes.jsonl"));
      duplicates += end.duplicates;
      Map<String, Integer> got = pairs(runDir.resolve("episodes.jsonl"));
      boolean same = end.error == null && !end.torn && end.episodes == o.episodes() && got.equals(reference);
      if (same) {
        finished++;
      } else {
        problems.add("run " + runs + " finished with " + end.episodes + " episodes (" + got.size() + " distinct pairs)"
            + (got.equals(reference) ? "" : ", not the uninterrupted run's set")
            + (end.error != null ? ", " + end.error : ""));
      }
      log.println("run " + runs + ": " + runKills + " kills, " + end.episodes + " episodes at the end, "
          + (same ? "same set as the uninterrupted run" : "DIFFERENT"));
      log.flush();
    }
    return report(kills, runs, resumes, checked, duplicates, torn, unreadable, finished, problems);
  }

  private static Report report(int kills, int runs, int resumes, long checked, long duplicates, long torn,
      long unreadable, int finished, List<String> problems) {
    return new Report(kills, runs, resumes, checked, duplicates, torn, unreadable, finished, List.copyOf(problems));
  }

  /** What one look at an episode file found. */
  private record Check(long episodes, long duplicates, boolean torn, String error) {}

  private static Check check(Path file) {
    Set<String> ids = new HashSet<>();
    long[] dup = {0};
    try {
      EpisodeReader.ReadResult r = EpisodeReader.forEach(file, PLAIN, e -> {
        if (!ids.add(e.id())) {
          dup[0]++;
        }
      });
      return new Check(r.episodes(), dup[0], r.hasTornLine(), null);
    } catch (RuntimeException e) {
      return new Check(ids.size(), dup[0], false, e.getMessage());
    }
  }

  /** How often each (task id, task seed, episode seed) occurs in the file. */
  private static Map<String, Integer> pairs(Path file) {
    Map<String, Integer> out = new HashMap<>();
    EpisodeReader.forEach(file, PLAIN, (Episode e) ->
        out.merge(e.task().id() + "/" + e.task().seed() + "/" + e.seed(), 1, Integer::sum));
    return out;
  }

  /** Plays a run (or resumes {@code runDir}) in a child to its end; returns its run directory. */
  private static Path runToEnd(CrashCheck.Options o, Path parent, Path runDir) throws IOException,
      InterruptedException {
    Process child = start(o, parent, runDir);
    if (!child.waitFor(30, TimeUnit.MINUTES)) {
      child.destroyForcibly();
      throw new IllegalStateException("a child rollout did not finish in 30 minutes");
    }
    if (child.exitValue() != 0) {
      throw new IllegalStateException("a child rollout exited with " + child.exitValue() + "; see "
          + parent.resolve("child.log"));
    }
    return runDir != null ? runDir : runDirectory(parent).orElseThrow();
  }

  /** Starts {@code ludus rollout} (or {@code --resume runDir}) in a child JVM of this class path. */
  static Process start(Options o, Path parent, Path runDir) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(o.javaOptions());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.ludus.runner.cli.Ludus");
    cmd.add("rollout");
    if (runDir != null) {
      cmd.addAll(List.of("--resume", runDir.toString()));
    } else {
      cmd.addAll(List.of("--env", o.env(), "--agent", o.agent(), "--episodes", String.valueOf(o.episodes()),
          "--concurrency", String.valueOf(o.concurrency()), "--seed", String.valueOf(o.seed()), "--out",
          parent.toString()));
    }
    cmd.add("--no-progress");
    Files.createDirectories(parent);
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(parent.resolve("child.log").toFile())).start();
  }

  /** The run directory a child created under {@code parent}, once it has its configuration. */
  private static Optional<Path> runDirectory(Path parent) {
    if (!Files.isDirectory(parent)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(parent)) {
      return s.filter(Files::isDirectory).filter(d -> Files.exists(d.resolve("config.yaml"))).findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
