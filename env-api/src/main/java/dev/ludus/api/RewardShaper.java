package dev.ludus.api;

import java.util.List;
import java.util.Set;

/**
 * Turns an episode into per-turn reward contributions, reading the turns, the environment's rewards and
 * the signals. A per-turn shaper's contribution to turn {@code t} depends only on turns {@code 0..t}; an
 * episode shaper may read the whole episode. Weights, combiners and transforms are applied by the shaping
 * pipeline, which records every contribution in the episode's reward ledger.
 *
 * <p>{@link #shape} is quick CPU work: the pipeline calls it inline, on whatever thread scores the group
 * (an event loop in the runtime). A shaper that waits on a model or the network implements the optional
 * {@link GroupShaper} ability instead, which scores a whole group and answers with a {@code CompletionStage}.
 *
 * <p>Thread-safety: implementations are stateless or thread-safe; the pipeline calls one instance from
 * many episodes at once.
 */
public interface RewardShaper {
  /** Whether contributions depend only on the past ({@link Scope#TURN}) or on the whole episode. */
  enum Scope {
    TURN,
    EPISODE
  }

  Scope scope();

  /**
   * The keys of the signals this shaper reads, made once (a configured signal name becomes a key at
   * construction, e.g. {@code SignalKey.of(name, Double.class)}); the shaper reads them with
   * {@link Signals#get(SignalKey)}. A run fails before it starts, naming the shaper and the signal, if its
   * environment does not publish one of them or publishes it under a type the key cannot read
   * ({@link SignalKey#reads}).
   */
  default Set<SignalKey<?>> requiredSignals() {
    return Set.of();
  }

  /**
   * The raw contributions for {@code episode}, at most one per turn and component. Failed episodes are
   * not shaped. Shapers read gold data (answers, gold tool calls) from {@code episode.task().fields()}.
   */
  List<RewardContribution> shape(Episode episode);
}
