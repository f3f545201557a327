package dev.ludus.shaping.outcome;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Turn;
import dev.ludus.shaping.signal.SignalReads;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code signal-reward}: a reward the environment computed and published as a numeric signal, paid on the turns
 * that publish it, as a ledger component of its own named after the signal. It lets an environment that can
 * score its episodes several ways (search-qa: exact match, F1, Search-R1's format-aware table, IGPO's reward)
 * pay one as its own reward ({@code outcome}) and record the others beside it, each under its own name
 * (weight 0 records a metric without rewarding it), or train on another by weighting it instead.
 *
 * <p>Formula: {@code r_t = scale · signal_t} on each turn {@code t} whose signals hold {@code signal}; nothing
 * on the others. A value that is not a finite number fails the episode's scoring with a message naming the
 * signal and the turn. Stateless and thread-safe.
 */
public final class SignalRewardShaperProvider implements ShaperProvider<SignalRewardShaperProvider.Config> {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /**
   * The configuration of {@code signal-reward}. Immutable; validated on construction.
   *
   * @param signal the numeric signal to pay, e.g. {@code search-r1-reward}; required (null in the defaults, and
   *     {@link SignalRewardShaperProvider#create} refuses it)
   * @param scale the factor; default 1.0
   */
  public record Config(String signal, double scale) {
    public Config {
      if (signal != null && !KEBAB.matcher(signal).matches()) {
        throw new IllegalArgumentException("signal must be a kebab-case signal name (e.g. search-r1-reward), was '"
            + signal + "'");
      }
      if (!Double.isFinite(scale)) {
        throw new IllegalArgumentException("scale must be a finite number, was " + scale);
      }
    }
  }

  @Override
  public String name() {
    return "signal-reward";
  }

  @Override
  public String description() {
    return "a reward the environment published as a numeric signal, as its own ledger component";
  }

  @Override
  public String formula() {
    return "r_t = scale · signal_t on the turns that publish the signal";
  }

  @Override
  public String reference() {
    return "the environment's own scores, e.g. Search-R1 qa_em_format.py and IGPO info_gain.py as search-qa "
        + "computes them [CODE]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(null, 1.0);
  }

  @Override
  public RewardShaper create(Config config) {
    if (config.signal() == null) {
      throw new IllegalArgumentException("signal must name the numeric signal to pay, e.g. search-r1-reward");
    }
    SignalKey<Double> key = SignalReads.numberKey(config.signal());
    return new RewardShaper() {
      @Override
      public Scope scope() {
        return Scope.TURN;
      }

      @Override
      public Set<SignalKey<?>> requiredSignals() {
        return Set.of(key);
      }

      @Override
      public List<RewardContribution> shape(Episode episode) {
        List<RewardContribution> out = new ArrayList<>();
        for (Turn t : episode.turns()) {
          SignalReads.number(t.signals(), key, t.index())
              .ifPresent(v -> out.add(new RewardContribution(t.index(), config.signal(), config.scale() * v)));
        }
        return out;
      }
    };
  }
}
