package dev.ludus.runner.learn.advantage;

import dev.ludus.api.Episode;
import java.util.Arrays;
import java.util.Objects;

/**
 * The advantages of one episode: one per output token of each of its turns. {@code advantages()[t]} has
 * exactly as many entries as turn {@code t}'s {@link dev.ludus.api.TokenTrace#outputIds()} (none for a turn
 * without a trace), in the same order. Immutable (arrays are copied in and out) and thread-safe.
 *
 * @param episode the episode they belong to
 * @param group the index of its group in the batch
 * @param advantages per turn, per output token
 * @param valueTargets per turn, the critic's regression targets (the returns A_t + V_t) for estimators with a
 *     critic; null for the critic-free ones
 */
public record TokenAdvantages(Episode episode, int group, float[][] advantages, double[] valueTargets) {
  public TokenAdvantages {
    Objects.requireNonNull(episode, "episode");
    Objects.requireNonNull(advantages, "advantages");
    if (advantages.length != episode.turns().size()) {
      throw new IllegalArgumentException("advantages for " + advantages.length + " turns, but episode '"
          + episode.id() + "' has " + episode.turns().size());
    }
    advantages = deepCopy(advantages);
    if (valueTargets != null) {
      if (valueTargets.length != advantages.length) {
        throw new IllegalArgumentException(
            "value targets for " + valueTargets.length + " turns, but episode '" + episode.id() + "' has "
                + advantages.length);
      }
      valueTargets = valueTargets.clone();
    }
  }

  @Override
  public float[][] advantages() {
    return deepCopy(advantages);
  }

  @Override
  public double[] valueTargets() {
    return valueTargets == null ? null : valueTargets.clone();
  }

  /** Whether this carries value targets (only estimators with a critic give them). */
  public boolean hasValueTargets() {
    return valueTargets != null;
  }

  /** The number of turns. */
  public int turns() {
    return advantages.length;
  }

  /** The number of output tokens of turn {@code turn}. */
  public int tokens(int turn) {
    return advantages[turn].length;
  }

  /** The advantage of token {@code token} of turn {@code turn}. */
  public float get(int turn, int token) {
    return advantages[turn][token];
  }

  /** Every output token's advantage, turn after turn: aligned with the agent's tokens in episode order. */
  public float[] flatten() {
    int n = 0;
    for (float[] a : advantages) {
      n += a.length;
    }
    float[] flat = new float[n];
    int at = 0;
    for (float[] a : advantages) {
      System.arraycopy(a, 0, flat, at, a.length);
      at += a.length;
    }
    return flat;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenAdvantages t
        && group == t.group
        && episode.equals(t.episode)
        && Arrays.deepEquals(advantages, t.advantages)
        && Arrays.equals(valueTargets, t.valueTargets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(episode, group, Arrays.deepHashCode(advantages), Arrays.hashCode(valueTargets));
  }

  @Override
  public String toString() {
    int n = 0;
    for (float[] a : advantages) {
      n += a.length;
    }
    return "TokenAdvantages[episode " + episode.id() + ", group " + group + ", " + advantages.length + " turns, "
        + n + " tokens" + (valueTargets == null ? "" : ", with value targets") + "]";
  }

  private static float[][] deepCopy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = Objects.requireNonNull(a[i], "advantages of turn " + i).clone();
    }
    return c;
  }
}
