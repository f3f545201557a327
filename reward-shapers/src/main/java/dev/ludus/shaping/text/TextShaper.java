package dev.ludus.shaping.text;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * The skeleton of a shaper that scores what the agent wrote, turn by turn (interface {@link RewardShaper} → this
 * skeleton → the shapers of this package): it walks the episode's turns once (every turn, or only the last when
 * made {@code lastTurnOnly}, which makes it episode-scoped) and writes what its subclass pays each turn, under as
 * many components as the subclass names. A subclass says only what one turn pays ({@link #scores}); whatever it
 * carries from turn to turn (sentences seen so far, the task's gold calls) lives in the function it returns.
 *
 * <p>Immutable and thread-safe when the subclass is (the per-episode state lives in {@link #scores}' result).
 */
abstract class TextShaper implements RewardShaper {
  /** Where a turn's scores go: one contribution per component. */
  @FunctionalInterface
  interface Contributions {
    void add(String component, double value);
  }

  /** What one episode pays: the contributions of one turn, asked turn by turn in order. */
  @FunctionalInterface
  interface TurnScores {
    void score(Turn turn, Contributions out);
  }

  private final boolean lastTurnOnly;

  /** @param lastTurnOnly whether only the episode's last turn is scored (then the scope is the episode) */
  TextShaper(boolean lastTurnOnly) {
    this.lastTurnOnly = lastTurnOnly;
  }

  @Override
  public Scope scope() {
    return lastTurnOnly ? Scope.EPISODE : Scope.TURN;
  }

  /** What {@code episode} pays at its turns; called once per episode, then asked turn by turn in order. */
  abstract TurnScores scores(Episode episode);

  @Override
  public final List<RewardContribution> shape(Episode episode) {
    List<Turn> turns = episode.turns();
    TurnScores scores = scores(episode);
    List<RewardContribution> out = new ArrayList<>();
    for (int i = lastTurnOnly ? Math.max(0, turns.size() - 1) : 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      scores.score(t, (component, value) -> out.add(new RewardContribution(t.index(), component, value)));
    }
    return out;
  }
}
