package dev.ludus.shaping.outcome;

import dev.ludus.api.Episode;
import dev.ludus.api.NoConfig;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code outcome}: the environment's own reward, turn by turn ({@code r_t = r^env_t}). The baseline every
 * other shaper is compared against. Stateless and thread-safe.
 */
public final class OutcomeShaperProvider implements ShaperProvider<NoConfig> {
  @Override
  public String name() {
    return "outcome";
  }

  @Override
  public String description() {
    return "the environment's own reward, unchanged";
  }

  @Override
  public String formula() {
    return "r_t = r^env_t";
  }

  @Override
  public String reference() {
    return "Sutton & Barto, Reinforcement Learning: An Introduction (2018), the task reward";
  }

  @Override
  public Class<NoConfig> configType() {
    return NoConfig.class;
  }

  @Override
  public NoConfig defaultConfig() {
    return NoConfig.INSTANCE;
  }

  @Override
  public RewardShaper create(NoConfig config) {
    return new Outcome();
  }

  private static final class Outcome implements RewardShaper {
    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public List<RewardContribution> shape(Episode episode) {
      List<RewardContribution> out = new ArrayList<>(episode.turns().size());
      for (Turn t : episode.turns()) {
        out.add(new RewardContribution(t.index(), "outcome", t.reward()));
      }
      return out;
    }
  }
}
