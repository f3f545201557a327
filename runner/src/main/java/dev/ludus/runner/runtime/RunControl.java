package dev.ludus.runner.runtime;

import dev.ludus.api.Episode;
import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Steers one run of {@link EpisodeRuntime#run(Rollout, EpisodeSink, EpisodeListener, RunControl)}: which matches it
 * leaves out because an earlier session already stored them (a resumed rollout), the episodes those sessions stored
 * (counted in the summary), and a graceful {@link #stop}.
 *
 * <p>Stopping: the run starts no new group of episodes (it still starts the missing members of a group it began, so
 * the group can be scored), and its stage completes once every episode it started has been taken by the sink, or
 * when {@code graceMillis} have passed, whichever comes first; the episodes still in flight then are cut: never
 * handed to the sink, counted in {@link #cut()}. Thread-safe; {@link #stop} may be called from any thread (a
 * shutdown hook), any number of times (the first grace counts).
 */
public final class RunControl {
  private final BitSet played;
  private final Consumer<Consumer<? super Episode>> prior;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicLong cut = new AtomicLong();
  private volatile long graceMillis;
  private volatile Runnable onStop;

  private RunControl(BitSet played, Consumer<Consumer<? super Episode>> prior) {
    this.played = (BitSet) played.clone();
    this.prior = Objects.requireNonNull(prior, "prior");
  }

  /** A run of every match, nothing stored before. */
  public static RunControl create() {
    return new RunControl(new BitSet(), c -> { });
  }

  /**
   * A run that leaves out the matches whose index is set in {@code played} (whole groups: a group's matches are all
   * set or none), and whose summary also counts the episodes {@code prior} replays (those stored before).
   */
  public static RunControl resuming(BitSet played, Consumer<Consumer<? super Episode>> prior) {
    return new RunControl(played, prior);
  }

  /** Asks the run to stop: no new groups; it completes once its episodes in flight are in, or after the grace. */
  public void stop(long graceMillis) {
    if (graceMillis < 0) {
      throw new IllegalArgumentException("graceMillis must be at least 0, was " + graceMillis);
    }
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    this.graceMillis = graceMillis;
    Runnable r = onStop;
    if (r != null) {
      r.run();
    }
  }

  /** Whether {@link #stop} was called. */
  public boolean stopped() {
    return stopped.get();
  }

  /** Episodes that were in flight when the run completed after a stop and were cut (0 otherwise). */
  public long cut() {
    return cut.get();
  }

  /** How many of the first {@code matches} matches are left out. */
  long skipped(long matches) {
    return played.get(0, (int) Math.min(Integer.MAX_VALUE, matches)).cardinality();
  }

  boolean skip(long match) {
    return match < Integer.MAX_VALUE && played.get((int) match);
  }

  void replayPrior(Consumer<? super Episode> into) {
    prior.accept(into);
  }

  long graceMillis() {
    return graceMillis;
  }

  /** Registers the run's reaction to a stop; runs it at once when the stop came first. */
  void onStop(Runnable reaction) {
    onStop = reaction;
    if (stopped.get()) {
      reaction.run();
    }
  }

  void setCut(long n) {
    cut.set(n);
  }
}
