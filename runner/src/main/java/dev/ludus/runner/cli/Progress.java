package dev.ludus.runner.cli;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.runtime.EpisodeListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A rollout's progress: episodes done, success rate, mean return and turns/s. On a terminal it is a live
 * progress bar; otherwise (CI, pipes) a plain line at every tenth of the run. Thread-safe: episodes end on
 * many threads.
 */
final class Progress implements EpisodeListener, AutoCloseable {
  private final long total;
  private final ProgressBar bar;
  private final PrintStream lines;
  private final long startNanos = System.nanoTime();
  private final LongAdder done = new LongAdder();
  private final LongAdder successes = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder turns = new LongAdder();
  private final DoubleAdder returns = new DoubleAdder();
  private final AtomicLong nextLine = new AtomicLong();
  private volatile java.util.function.Supplier<String> extra; // a part of the line someone else keeps (cluster)

  private Progress(String task, long total, PrintStream err, boolean enabled) {
    this.total = total;
    boolean terminal = enabled && System.console() != null;
    this.bar = terminal
        ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(err, 120)).build()
        : null;
    this.lines = enabled && !terminal ? err : null;
    nextLine.set(Math.max(1, total / 10));
  }

  static Progress start(String task, long total, PrintStream err, boolean enabled) {
    return new Progress(task, total, err, enabled);
  }

  @Override
  public void onEpisode(Episode e) {
    done.increment();
    turns.add(e.turns().size());
    if (e.success()) {
      successes.increment();
    }
    if (e.status() == EpisodeStatus.FAILED) {
      failed.increment();
    } else {
      returns.add(e.totalReward());
    }
    if (bar != null) {
      bar.step();
      bar.setExtraMessage(status());
    } else if (lines != null) {
      long n = done.sum();
      long mark = nextLine.get();
      if (n >= mark && nextLine.compareAndSet(mark, mark + Math.max(1, total / 10))) {
        lines.println(n + "/" + total + " episodes, " + status());
      }
    }
  }

  String status() {
    long n = Math.max(1, done.sum());
    long ok = Math.max(1, done.sum() - failed.sum());
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    String line = String.format(Locale.ROOT, "success %.2f, mean return %.2f, %.0f turns/s",
        (double) successes.sum() / n, returns.sum() / ok, turns.sum() / seconds);
    java.util.function.Supplier<String> more = extra;
    return more == null ? line : line + "; " + more.get();
  }

  /** Appends what {@code part} says (it must not block) to every progress line from now on. */
  void alongside(java.util.function.Supplier<String> part) {
    extra = part;
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
