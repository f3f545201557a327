package dev.ludus.runner.export;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import java.util.EnumSet;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which episodes of a run an export takes. Immutable and thread-safe.
 *
 * @param statuses the statuses taken (by default completed and truncated: a failed episode is what broke, not data)
 * @param success only successful ({@code true}) or only unsuccessful ({@code false}) episodes; null for both
 * @param minIteration the first training iteration taken, or null; an episode outside a training iteration (a
 *     {@code rollout} run's) has none and is left out when an iteration bound is given
 * @param maxIteration the last training iteration taken, or null
 */
public record EpisodeFilter(Set<EpisodeStatus> statuses, Boolean success, Integer minIteration, Integer maxIteration) {
  /** A training episode's id: {@code <run>-it<iteration>[r<round>]-<index>}. */
  private static final Pattern ITERATION = Pattern.compile("-it(\\d+)(?:r\\d+)?-\\d+(?:-[^-]+)?$");

  public EpisodeFilter {
    Objects.requireNonNull(statuses, "statuses");
    if (statuses.isEmpty()) {
      throw new ConfigException("--status names no status; allowed: completed, truncated, failed");
    }
    statuses = Set.copyOf(statuses);
    if (minIteration != null && maxIteration != null && minIteration > maxIteration) {
      throw new ConfigException("--iterations " + minIteration + ".." + maxIteration + " is empty: the first iteration "
          + "is after the last");
    }
  }

  /** Completed and truncated episodes, successful or not, of any iteration. */
  public static EpisodeFilter defaults() {
    return new EpisodeFilter(EnumSet.of(EpisodeStatus.COMPLETED, EpisodeStatus.TRUNCATED), null, null, null);
  }

  /** Whether {@code e} is taken. */
  public boolean test(Episode e) {
    if (!statuses.contains(e.status()) || (success != null && e.success() != success)) {
      return false;
    }
    if (minIteration == null && maxIteration == null) {
      return true;
    }
    OptionalInt it = iteration(e);
    return it.isPresent() && (minIteration == null || it.getAsInt() >= minIteration)
        && (maxIteration == null || it.getAsInt() <= maxIteration);
  }

  /** The training iteration {@code e} was played in, read from its id; empty outside training. */
  public static OptionalInt iteration(Episode e) {
    Matcher m = ITERATION.matcher(e.id());
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }
}
