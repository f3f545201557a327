package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.export.EpisodeFilter;
import dev.ludus.runner.export.ExportFormat;
import dev.ludus.runner.export.ExportKeys;
import dev.ludus.runner.export.ExportListener;
import dev.ludus.runner.export.ExportRequest;
import dev.ludus.runner.export.ExportResult;
import dev.ludus.runner.export.Exporter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ludus export RUN_DIR --format F}: a run's episodes in a Python trainer's data layout. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write a run's episodes as verl, SkyRL, OpenRLHF or TRL data (Parquet or JSON Lines), token-level "
        + "rollouts, or its metrics in verl's file-logger layout.")
public class ExportCommand implements Callable<Integer> {
  /** Runs with more lines than this get a progress bar on a terminal. */
  private static final long PROGRESS_FROM = 2_000;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory (holding episodes.jsonl).")
  Path runDirectory;

  @Option(names = "--format", required = true, paramLabel = "F",
      description = "verl-rl, verl-sft, skyrl, openrlhf-sft, openrlhf-dpo, trl-messages, trl-preference, tokens, "
          + "verl-metrics.")
  String format;

  @Option(names = "--out", paramLabel = "PATH", description = "The file to write, ending in .parquet or .jsonl "
      + "(default: RUN_DIR/export/FORMAT with the format's usual extension).")
  Path out;

  @Option(names = "--status", paramLabel = "S[,S...]", split = ",", defaultValue = "completed,truncated",
      description = "Episode statuses to take: completed, truncated, failed (default: ${DEFAULT-VALUE}).")
  Set<String> statuses;

  @Option(names = "--success", arity = "1", paramLabel = "true|false", description = "Only successful (true) or only "
      + "unsuccessful (false) episodes (default: both).")
  Boolean success;

  @Option(names = "--iterations", paramLabel = "A..B", description = "Training iterations to take: A..B, A.., ..B "
      + "or N (default: all; an episode outside training has none and is left out when this is given).")
  String iterations;

  @Option(names = "--input-key", defaultValue = "input", description = "openrlhf-sft: the opening messages' key "
      + "(default: ${DEFAULT-VALUE}).")
  String inputKey;

  @Option(names = "--output-key", defaultValue = "output", description = "openrlhf-sft: the other messages' key "
      + "(default: ${DEFAULT-VALUE}).")
  String outputKey;

  @Option(names = "--prompt-key", defaultValue = "prompt", description = "openrlhf-dpo: the shared opening's key "
      + "(default: ${DEFAULT-VALUE}).")
  String promptKey;

  @Option(names = "--chosen-key", defaultValue = "chosen", description = "openrlhf-dpo: the preferred episode's key "
      + "(default: ${DEFAULT-VALUE}).")
  String chosenKey;

  @Option(names = "--rejected-key", defaultValue = "rejected", description = "openrlhf-dpo: the other episode's key "
      + "(default: ${DEFAULT-VALUE}).")
  String rejectedKey;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ExportFormat f = ExportFormat.of(format);
    Integer[] range = iterations(iterations);
    ExportRequest request = new ExportRequest(runDirectory, f, out,
        new EpisodeFilter(statuses(statuses), success, range[0], range[1]),
        new ExportKeys(inputKey, outputKey, promptKey, chosenKey, rejectedKey));
    ExportResult r;
    try (Bar bar = new Bar(!noProgress && System.console() != null, System.err)) {
      r = Exporter.export(request, bar);
    }
    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "%s: %d rows from %d of %d %s -> %s%n", f.wireName(), r.rows(), r.taken(), r.read(),
        f == ExportFormat.VERL_METRICS ? "metrics lines" : "episodes", r.file());
    r.skipped().forEach((why, n) -> w.printf(Locale.ROOT, "  skipped %d: %s%n", n, why));
    w.flush();
    return 0;
  }

  private static Set<EpisodeStatus> statuses(Set<String> names) {
    Set<EpisodeStatus> s = EnumSet.noneOf(EpisodeStatus.class);
    for (String n : names) {
      EpisodeStatus found = null;
      for (EpisodeStatus st : EpisodeStatus.values()) {
        if (st.wireName().equals(n.trim().toLowerCase(Locale.ROOT))) {
          found = st;
        }
      }
      if (found == null) {
        throw new ConfigException("--status: unknown status '" + n + "'; allowed: " + Arrays.stream(EpisodeStatus.values()).map(EpisodeStatus::wireName).collect(Collectors.joining(", ")));
      }
      s.add(found);
    }
    return s;
  }

  /** {@code A..B}, {@code A..}, {@code ..B} or {@code N} as [first, last] (null for open ends). */
  static Integer[] iterations(String spec) {
    if (spec == null) {
      return new Integer[] {null, null};
    }
    String s = spec.trim();
    try {
      int dots = s.indexOf("..");
      if (dots < 0) {
        int n = nonNegative(s);
        return new Integer[] {n, n};
      }
      String a = s.substring(0, dots);
      String b = s.substring(dots + 2);
      if (a.isEmpty() && b.isEmpty()) {
        throw new NumberFormatException();
      }
      return new Integer[] {a.isEmpty() ? null : nonNegative(a), b.isEmpty() ? null : nonNegative(b)};
    } catch (NumberFormatException e) {
      throw new ConfigException("--iterations '" + spec + "' is not a range; allowed: A..B, A.., ..B or N with "
          + "non-negative whole numbers");
    }
  }

  private static int nonNegative(String s) {
    int n = Integer.parseInt(s.trim());
    if (n < 0) {
      throw new NumberFormatException();
    }
    return n;
  }

  /** A progress bar over the lines read, on a terminal and for runs large enough to wait for. */
  private static final class Bar implements ExportListener, AutoCloseable {
    private final boolean enabled;
    private final PrintStream err;
    private ProgressBar bar;

    Bar(boolean enabled, PrintStream err) {
      this.enabled = enabled;
      this.err = err;
    }

    @Override
    public void started(long lines) {
      if (enabled && lines >= PROGRESS_FROM) {
        bar = new ProgressBarBuilder().setTaskName("export").setInitialMax(lines).setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(err, 100)).build();
      }
    }

    @Override
    public void read() {
      if (bar != null) {
        bar.step();
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
