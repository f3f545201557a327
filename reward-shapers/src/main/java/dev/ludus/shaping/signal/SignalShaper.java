package dev.ludus.shaping.signal;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.SignalKey;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The skeleton of a turn-scoped shaper that reads signals (interface {@link RewardShaper} → this skeleton → the
 * shapers of this package): it declares the signals it reads, walks the turns once, and writes one contribution
 * under its component for every turn its subclass pays. A subclass says only what an episode pays at each turn
 * ({@link #rewards}), with whatever it must carry from turn to turn held in the function it returns.
 *
 * <p>Immutable and thread-safe when the subclass is (the per-episode state lives in {@link #rewards}' result).
 */
abstract class SignalShaper implements RewardShaper {
  /** What one episode pays: the reward of turn {@code t}, or empty for no contribution at that turn. */
  @FunctionalInterface
  interface TurnRewards {
    OptionalDouble at(int turn);
  }

  private final String component;
  private final Set<SignalKey<?>> signals;

  /**
   * @param component the ledger component every contribution is written under
   * @param signals the keys of the signals the shaper reads (checked before a run starts)
   */
  SignalShaper(String component, Set<? extends SignalKey<?>> signals) {
    this.component = component;
    this.signals = Set.copyOf(signals);
  }

  @Override
  public Scope scope() {
    return Scope.TURN;
  }

  @Override
  public final Set<SignalKey<?>> requiredSignals() {
    return signals;
  }

  /** What {@code episode} pays at each of its turns; called once per episode, then asked turn by turn in order. */
  abstract TurnRewards rewards(Episode episode);

  @Override
  public final List<RewardContribution> shape(Episode episode) {
    TurnRewards rewards = rewards(episode);
    int turns = episode.turns().size();
    List<RewardContribution> out = new ArrayList<>(turns);
    for (int t = 0; t < turns; t++) {
      OptionalDouble r = rewards.at(t);
      if (r.isPresent()) {
        out.add(new RewardContribution(t, component, r.getAsDouble()));
      }
    }
    return out;
  }

  /**
   * The skeleton of a shaper over the state series {@code s_0 .. s_T} of one numeric signal
   * ({@link SignalReads#numericStates}): each turn pays a function of the states before and after it; turns before
   * the signal's first known value pay nothing.
   */
  abstract static class OverStates extends SignalShaper {
    private final SignalKey<Double> signal;

    /** Over the numeric signal named {@code signal}, which becomes its key here. */
    OverStates(String component, String signal) {
      this(component, SignalReads.numberKey(signal));
    }

    private OverStates(String component, SignalKey<Double> signal) {
      super(component, Set.of(signal));
      this.signal = signal;
    }

    /** The reward of turn {@code turn}, whose state went from {@code before} to {@code after}. */
    abstract double reward(Episode episode, int turn, double before, double after);

    @Override
    final TurnRewards rewards(Episode episode) {
      double[] v = SignalReads.numericStates(episode, signal);
      return t -> Double.isNaN(v[t]) ? OptionalDouble.empty() : OptionalDouble.of(reward(episode, t, v[t], v[t + 1]));
    }
  }
}
