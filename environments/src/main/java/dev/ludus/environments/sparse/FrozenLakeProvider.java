package dev.ludus.environments.sparse;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.environments.text.ActionText.Direction;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registers {@code frozen-lake}: Gymnasium's FrozenLake as a text game, optionally slippery (see
 * {@link FrozenLakeConfig}). Its oracle plans on the lake regenerated from the task seed (shortest path,
 * or value iteration over the slip probabilities); its random agent picks one of the four moves
 * uniformly. Stateless and thread-safe.
 */
public final class FrozenLakeProvider implements EnvironmentProvider<FrozenLakeConfig> {
  public static final String NAME = "frozen-lake";

  public FrozenLakeProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Gymnasium's FrozenLake in text: reach the goal without falling into a hole; reward 1 at the goal.";
  }

  @Override
  public Class<FrozenLakeConfig> configType() {
    return FrozenLakeConfig.class;
  }

  @Override
  public FrozenLakeConfig defaultConfig() {
    return FrozenLakeConfig.defaults();
  }

  @Override
  public AnyEnvironment create(FrozenLakeConfig config) {
    return new FrozenLakeEnvironment(Objects.requireNonNull(config, "config"));
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION, SparseSignals.STEPS_TO_GOAL);
  }

  /**
   * True: every observation shows the whole lake with the agent on it and the turns left, and slips depend on the
   * episode seed and turn alone, so nothing earlier adds to the latest observation.
   */
  @Override
  public boolean observationsSupersede(FrozenLakeConfig config) {
    return true;
  }

  /** The oracle replays the conversation's moves, whoever made them (under the episode seed): it acts from any state. */
  @Override
  public boolean oracleActsFromAnyState(FrozenLakeConfig config) {
    return true;
  }

  @Override
  public Optional<Agent> oracle(FrozenLakeConfig config) {
    return Optional.of(new FrozenLakeOracle(Objects.requireNonNull(config, "config")));
  }

  @Override
  public Agent randomAgent(FrozenLakeConfig config) {
    Objects.requireNonNull(config, "config");
    Direction[] all = Direction.values();
    return request -> Scripted.say(all[Scripted.random(request).nextInt(all.length)].word());
  }
}
