package dev.ludus.runner.cli;

import dev.ludus.api.Episode;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.shaping.ShapingPipeline;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The live progress bar of {@code ludus train}: training episodes played out of the run's total, with the
 * success rate and the mean shaped return over the last iteration's worth of episodes (a sliding window, so
 * the figures follow the policy as it learns). Only on a terminal; elsewhere the trainer's one line per
 * iteration is the progress. Thread-safe: episodes end on many threads.
 *
 * <p>The trainer's own lines go to the same terminal; {@link #lines} wraps its writer so that each line first
 * clears the bar's line, and the bar redraws below it on its next refresh.
 */
final class TrainProgress implements EpisodeListener, AutoCloseable {
  private final ProgressBar bar;
  private final int window;
  private final boolean[] successes;
  private final double[] returns;
  private long done;

  private TrainProgress(long total, int window, PrintStream err) {
    this.window = Math.max(1, window);
    this.successes = new boolean[this.window];
    this.returns = new double[this.window];
    this.bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(err, 120)).continuousUpdate()
        .build();
  }

  /**
   * A bar over {@code total} training episodes, or null when not on a terminal or when disabled.
   *
   * @param window episodes in the sliding window of the live figures (one iteration's)
   */
  static TrainProgress startIfTerminal(long total, int window, PrintStream err, boolean enabled) {
    return enabled && System.console() != null ? new TrainProgress(total, window, err) : null;
  }

  @Override
  public void onEpisode(Episode e) {
    double shaped = ShapingPipeline.shapedReturn(e);
    String status;
    synchronized (this) {
      int slot = (int) (done % window);
      successes[slot] = e.success();
      returns[slot] = shaped;
      done++;
      status = status();
    }
    bar.step();
    bar.setExtraMessage(status);
  }

  /** Success rate and mean shaped return over the window; call holding the lock. */
  private String status() {
    int n = (int) Math.min(done, window);
    int ok = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      ok += successes[i] ? 1 : 0;
      sum += returns[i];
    }
    return String.format(Locale.ROOT, " success %.2f  mean reward %.3f (last %d episodes)", ok / (double) n, sum / n,
        n);
  }

  /** A writer whose every line first clears the terminal line the bar is drawn on. */
  PrintWriter lines(PrintWriter out) {
    return new PrintWriter(new LineClearing(out), true);
  }

  @Override
  public void close() {
    bar.close();
  }

  /** Writes {@code "\r\033[2K"} before the first character of every line. */
  static final class LineClearing extends FilterWriter {
    private boolean atLineStart = true;

    LineClearing(Writer out) {
      super(out);
    }

    @Override
    public void write(int c) throws IOException {
      if (atLineStart) {
        out.write("\r\033[2K");
      }
      out.write(c);
      atLineStart = c == '\n';
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(buf[i]);
      }
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(s.charAt(i));
      }
    }
  }
}
