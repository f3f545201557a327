package dev.ludus.shaping.signal;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Turn;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code retrieval-credit}: a per-turn reward for searches that find the current question's gold passages,
 * after the turn-level retrieval reward of <i>ChatR1</i> (catalog A13), which aligns each turn's retrieval with
 * the user's current question in conversational QA. ChatR1's code is not public and its paper gives no formula,
 * so this rule is <b>reconstructed</b> [INFERRED]: what the abstract describes (retrieval relevance to the
 * current turn's gold passage), on the signals a search environment publishes.
 *
 * <p>Formula: on each turn that searched (its signals hold {@code hitSignal}, e.g. search-qa's secret
 * {@code gold-retrieved}): {@code r_t = hit} if it retrieved a gold passage and, when {@code progressSignal} is
 * set, the count it names (search-qa's {@code supporting-facts-found}) rose on this turn (a new fact, so that
 * searching the same passage again pays nothing); {@code r_t = miss} if it retrieved no gold passage; 0
 * otherwise. Turns that did not search get nothing. Stateless and thread-safe.
 */
public final class RetrievalCreditShaperProvider implements ShaperProvider<RetrievalCreditShaperProvider.Config> {

  /**
   * The configuration of {@code retrieval-credit}. Immutable; validated on construction.
   *
   * @param hitSignal the boolean signal that a turn's search found a gold passage; default {@code gold-retrieved}
   * @param progressSignal a count that must rise for a hit to pay (new evidence only); default
   *     {@code supporting-facts-found}; empty for every hit
   * @param hit the reward of a hit; default 1.0
   * @param miss the reward of a search that found no gold passage; default 0.0
   */
  public record Config(String hitSignal, String progressSignal, double hit, double miss) {
    public Config {
      hitSignal = SignalReads.requireName("hitSignal", hitSignal == null ? "gold-retrieved" : hitSignal);
      progressSignal = progressSignal == null ? "supporting-facts-found" : progressSignal.strip();
      if (!progressSignal.isEmpty()) {
        SignalReads.requireName("progressSignal", progressSignal);
      }
      SignalReads.requireFinite("hit", hit);
      SignalReads.requireFinite("miss", miss);
    }

    public static Config defaults() {
      return new Config("gold-retrieved", "supporting-facts-found", 1.0, 0.0);
    }
  }

  @Override
  public String name() {
    return "retrieval-credit";
  }

  @Override
  public String description() {
    return "per-turn credit for searches that find new gold passages of the current question (ChatR1, reconstructed)";
  }

  @Override
  public String formula() {
    return "r_t = hit if gold retrieved at t (and the facts found rose), miss if a search found no gold, else 0";
  }

  @Override
  public String reference() {
    return "ChatR1: turn-level rewards for conversational search QA, catalog A13 [ABSTRACT; formula reconstructed]";
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
  public RewardShaper create(Config c) {
    SignalKey<Boolean> hit = SignalReads.flagKey(c.hitSignal());
    SignalKey<Double> progress = c.progressSignal().isEmpty() ? null : SignalReads.numberKey(c.progressSignal());
    return new SignalShaper("retrieval-credit", progress == null ? Set.of(hit) : Set.of(hit, progress)) {
      @Override
      TurnRewards rewards(Episode episode) {
        double[] before = {progress == null ? 0 : SignalReads.number(episode.startSignals(), progress, -1).orElse(0)};
        return index -> {
          Turn t = episode.turns().get(index);
          double after = progress == null ? 0 : SignalReads.number(t.signals(), progress, t.index()).orElse(before[0]);
          boolean fresh = progress == null || after > before[0];
          before[0] = after;
          if (!t.signals().has(hit)) {
            return OptionalDouble.empty();
          }
          boolean gold = SignalReads.flag(t.signals(), hit, t.index());
          return OptionalDouble.of(gold ? (fresh ? c.hit() : 0.0) : c.miss());
        };
      }
    };
  }
}
