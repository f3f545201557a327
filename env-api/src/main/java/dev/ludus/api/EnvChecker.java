package dev.ludus.api;

import java.util.List;
import java.util.Objects;

/**
 * A conformance check that any user runs on their own environment, like Gymnasium's {@code check_env}.
 *
 * <p>It plays episodes with the environment's random agent and a few malformed actions and checks the
 * contract: reset gives an observation; step before reset and step after the end are refused; the same
 * task, seed and actions give the same trace (also after a second reset of the same instance); malformed
 * actions are answered, not thrown; every signal is declared; no secret signal's value appears in the
 * agent's observation before the episode ends; episodes end; close is idempotent. The random agent is asked as the
 * runtime would ask it: with the task {@link Task#withheld() withheld}.
 *
 * <p>A multi-agent environment ({@link BoundEnvironment#multiAgent()}) is checked for the same contract, seat by
 * seat, with the random agent in every seat, and for what seats add: every seat to move first gets an opening; a
 * malformed move is answered to its seat; and no seat sees another seat's secrets, that is the values of the secret
 * signals published for another seat and another seat's {@link SeatStart#privateInfo private information}, neither in
 * its observations before the match ends nor in the requests the runtime would build for it (the conversation and the
 * task fields a privileged agent would get). A text that a move has already said, or that the seat holds as its own
 * secret of the same kind (both seats dealt the same values), does not count.
 *
 * <p>Usage: {@code EnvChecker.check(provider.bind(config)).assertPassed();}. It blocks while it waits on
 * asynchronous environments: call it from tests or the CLI, never from an event loop. An environment that
 * takes the {@link PluginContext} gets the one it is bound with, or a standalone one the check owns. The checks
 * themselves live in {@link EpisodeChecker} and {@link MatchChecker}, on the skeleton {@link CheckRun}.
 */
public final class EnvChecker {
  /** The outcome of one check. */
  public record Check(String name, boolean passed, String detail) {}

  /** All checks for one environment. */
  public record Report(String environment, List<Check> checks) {
    public boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }

    /** Throws an {@link AssertionError} listing every failed check. */
    public Report assertPassed() {
      if (!passed()) {
        StringBuilder sb = new StringBuilder("environment '" + environment + "' fails its contract:");
        for (Check c : checks) {
          if (!c.passed()) {
            sb.append("\n  - ").append(c.name()).append(": ").append(c.detail());
          }
        }
        throw new AssertionError(sb.toString());
      }
      return this;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (Check c : checks) {
        sb.append(c.passed() ? "PASS " : "FAIL ").append(c.name());
        if (!c.detail().isEmpty()) {
          sb.append(" — ").append(c.detail());
        }
        sb.append('\n');
      }
      return sb.toString();
    }
  }

  /** Options: how many seeds to try and the most steps per episode before it counts as never ending. */
  public record Options(int seeds, int maxSteps, long stepTimeoutMillis) {
    public Options {
      if (seeds < 1) {
        throw new IllegalArgumentException("seeds must be >= 1, was " + seeds);
      }
      if (maxSteps < 1) {
        throw new IllegalArgumentException("maxSteps must be >= 1, was " + maxSteps);
      }
    }

    public static Options defaults() {
      return new Options(5, 2_000, 10_000);
    }
  }

  private EnvChecker() {}

  public static Report check(BoundEnvironment env) {
    return check(env, Options.defaults());
  }

  /**
   * Checks {@code env} with {@code options}. An environment bound without a {@link PluginContext} is checked
   * with a {@link PluginContext#standalone() standalone} one that the check owns and closes when it ends.
   */
  public static Report check(BoundEnvironment env, Options options) {
    Objects.requireNonNull(env);
    Objects.requireNonNull(options);
    if (!env.hasContext()) {
      try (PluginContext.Owned context = PluginContext.standalone()) {
        return check(env.withContext(context), options);
      }
    }
    return new Report(env.name(), env.multiAgent() ? new MatchChecker(env, options).run()
        : new EpisodeChecker(env, options).run());
  }
}
