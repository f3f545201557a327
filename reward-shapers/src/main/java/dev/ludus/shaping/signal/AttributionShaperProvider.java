package dev.ludus.shaping.signal;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code attribution}: an episode score distributed over the agent's turns by attribution weights, after
 * <i>Sotopia-RL: Reward Design for Social Intelligence</i>; catalog entry A2 [CODE: sotopia-lab/sotopia-rl].
 *
 * <p>Formula: with {@code normalized} (the default), {@code r_t = a_t / Σ_j a_j · S}, which conserves the
 * score ({@code Σ_t r_t = S}); otherwise {@code r_t = (a_t / aMax) · S}, and {@code r_t = −1} for
 * {@code a_t = −1} (the paper's {@code a_i/3 · S^d} with {@code a_i ∈ {−1, 0, 1, 2, 3}}, −1 meaning a
 * redundant utterance). If the weights sum to 0 in the normalized variant, {@code S} is spread uniformly
 * ({@code S / T} each), which keeps the conservation law.
 *
 * <p>The score {@code S} is the episode's return (the sum of the environment's rewards) or a numeric signal
 * read from the last turn (from the latest turn that publishes it, if the last does not; an episode that
 * never publishes it fails shaping). The weights {@code a_t} are {@code uniform} (1 each), {@code recency}
 * ({@code decay^(T−1−t)}) or {@code signal}: a numeric per-turn signal such as an attribution judge's label
 * ({@code −1..3}); a turn without it gets weight 0. In Sotopia-RL the labels come offline from GPT-4o over
 * the whole dialogue and the per-dimension scores are then min-max normalized and averaged; here one score
 * and one weight signal are attributed, and several dimensions are several instances of this shaper.
 *
 * <p>EPISODE-scoped: every turn's reward depends on the whole episode. Stateless and thread-safe.
 */
public final class AttributionShaperProvider implements ShaperProvider<AttributionShaperProvider.Config> {

  /** The {@code score} value that means the sum of the environment's rewards. */
  public static final String RETURN = "return";

  /** The weights, as {@code weights} names them. */
  private enum Weights {
    UNIFORM,
    RECENCY,
    SIGNAL;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Weights of(String word) {
      for (Weights w : values()) {
        if (w.word().equals(word)) {
          return w;
        }
      }
      return null;
    }
  }

  /**
   * The configuration of {@code attribution}. Immutable; validated on construction.
   *
   * @param score {@code return} (the default) for the sum of the environment's rewards, or the name of a
   *     numeric signal holding the episode score
   * @param weights {@code uniform} (the default), {@code recency} or {@code signal}
   * @param decay the recency decay, in (0, 1]; default 0.8
   * @param weightSignal the numeric per-turn signal holding the weights when {@code weights} is
   *     {@code signal} (e.g. a judge's attribution in −1..3); null (the default) otherwise
   * @param normalized whether to conserve the score ({@code a_t / Σa · S}, the default) or to scale by
   *     {@code aMax} ({@code a_t / aMax · S}, −1 for {@code a_t = −1})
   * @param aMax the largest weight when not normalized, greater than 0; default 3
   */
  public record Config(String score, String weights, double decay, String weightSignal, boolean normalized,
      double aMax) {
    public Config {
      if (!RETURN.equals(score)) {
        try {
          SignalReads.requireName("score", score);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("score must be 'return' or a kebab-case signal name, was "
              + (score == null ? "null" : "'" + score + "'"), e);
        }
      }
      Weights w = weights == null ? null : Weights.of(weights.trim().toLowerCase(Locale.ROOT));
      if (w == null) {
        throw new IllegalArgumentException("weights must be 'uniform', 'recency' or 'signal', was "
            + (weights == null ? "null" : "'" + weights + "'"));
      }
      weights = w.word();
      if (!(decay > 0 && decay <= 1)) {
        throw new IllegalArgumentException("decay must be in (0, 1], was " + decay);
      }
      if (w == Weights.SIGNAL) {
        if (weightSignal == null) {
          throw new IllegalArgumentException("weightSignal is required when weights is 'signal': the name of a "
              + "numeric per-turn signal (e.g. a judge's attribution), was null");
        }
        SignalReads.requireName("weightSignal", weightSignal);
      } else if (weightSignal != null) {
        throw new IllegalArgumentException("weightSignal is only read when weights is 'signal', but weights is '"
            + weights + "' and weightSignal is '" + weightSignal + "'");
      }
      if (!(aMax > 0 && aMax < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("aMax must be a finite number > 0, was " + aMax);
      }
    }

    /** The return, spread uniformly, normalized. */
    public static Config defaults() {
      return new Config(RETURN, "uniform", 0.8, null, true, 3.0);
    }
  }

  @Override
  public String name() {
    return "attribution";
  }

  @Override
  public String description() {
    return "an episode score spread over the turns by attribution weights (uniform, recency or a judge's signal)";
  }

  @Override
  public String formula() {
    return "r_t = a_t / Σ_j a_j · S (normalized), or r_t = (a_t / aMax) · S with −1 for a_t = −1";
  }

  @Override
  public String reference() {
    return "Sotopia-RL: Reward Design for Social Intelligence; catalog A2 [CODE: sotopia-lab/sotopia-rl]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return Config.defaults();
  }

  @Override
  public RewardShaper create(Config config) {
    return new Attribution(config);
  }

  private static final class Attribution implements RewardShaper {
    private final Config config;
    private final Weights weights;
    /** The score signal's key; null for the return. */
    private final SignalKey<Double> score;
    /** The weight signal's key; null unless the weights are a signal. */
    private final SignalKey<Double> weight;

    Attribution(Config config) {
      this.config = config;
      this.weights = Weights.of(config.weights());
      this.score = RETURN.equals(config.score()) ? null : SignalReads.numberKey(config.score());
      this.weight = weights == Weights.SIGNAL ? SignalReads.numberKey(config.weightSignal()) : null;
    }

    @Override
    public Scope scope() {
      return Scope.EPISODE;
    }

    @Override
    public Set<SignalKey<?>> requiredSignals() {
      Set<SignalKey<?>> keys = new LinkedHashSet<>();
      if (score != null) {
        keys.add(score);
      }
      if (weight != null) {
        keys.add(weight);
      }
      return Set.copyOf(keys);
    }

    @Override
    public List<RewardContribution> shape(Episode episode) {
      List<Turn> turns = episode.turns();
      int n = turns.size();
      if (n == 0) {
        return List.of();
      }
      double score = score(turns);
      double[] a = new double[n];
      double sum = 0;
      for (int t = 0; t < n; t++) {
        a[t] = switch (weights) {
          case UNIFORM -> 1;
          case RECENCY -> Math.pow(config.decay(), n - 1 - t);
          case SIGNAL -> SignalReads.number(turns.get(t).signals(), weight, t)
              .orElse(0);
        };
        sum += a[t];
      }
      List<RewardContribution> out = new ArrayList<>(n);
      for (int t = 0; t < n; t++) {
        double r;
        if (config.normalized()) {
          r = sum == 0 ? score / n : a[t] / sum * score;
        } else {
          r = a[t] == -1 ? -1 : a[t] / config.aMax() * score;
        }
        out.add(new RewardContribution(t, "attribution", r));
      }
      return out;
    }

    private double score(List<Turn> turns) {
      if (score == null) {
        double s = 0;
        for (Turn t : turns) {
          s += t.reward();
        }
        return s;
      }
      OptionalDouble s = SignalReads.lastNumber(turns, score);
      if (s.isEmpty()) {
        throw new IllegalStateException("score signal '" + config.score() + "' is not published by any turn");
      }
      return s.getAsDouble();
    }
  }
}
