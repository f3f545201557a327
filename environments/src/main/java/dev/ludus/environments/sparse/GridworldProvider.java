package dev.ludus.environments.sparse;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registers {@code gridworld}: pick up a key, open a locked door and reach the goal, seeing only a small
 * window (see {@link GridworldConfig}). Its oracle is omniscient rather than exploring: it regenerates the
 * level from the task seed, replays its own earlier actions, and takes the first action of a shortest
 * plan. Its random agent picks one of the six actions uniformly. Stateless and thread-safe.
 */
public final class GridworldProvider implements EnvironmentProvider<GridworldConfig> {
  public static final String NAME = "gridworld";

  public GridworldProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Two rooms, a key and a locked door, seen through a small window; reward only at the goal.";
  }

  @Override
  public Class<GridworldConfig> configType() {
    return GridworldConfig.class;
  }

  @Override
  public GridworldConfig defaultConfig() {
    return GridworldConfig.defaults();
  }

  @Override
  public AnyEnvironment create(GridworldConfig config) {
    return new GridworldEnvironment(Objects.requireNonNull(config, "config"));
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION, StandardSignals.SUBGOAL,
        SparseSignals.STEPS_TO_GOAL);
  }

  /**
   * True when the view covers the whole grid from every cell ({@code view >= 2 * max(width, height) - 5}, e.g. 5 x 5
   * seen through 5 x 5): each observation then shows the whole state (the grid, the turns left, what the agent
   * carries), and nothing earlier adds to it.
   */
  @Override
  public boolean observationsSupersede(GridworldConfig config) {
    return config.view() >= 2 * Math.max(config.width(), config.height()) - 5;
  }

  /** The oracle replays the conversation's actions, whoever made them, and plans from there: it acts from any state. */
  @Override
  public boolean oracleActsFromAnyState(GridworldConfig config) {
    return true;
  }

  @Override
  public Optional<Agent> oracle(GridworldConfig config) {
    Objects.requireNonNull(config, "config");
    return Optional.of(request -> {
      try (GridworldEnvironment game = Scripted.replay(new GridworldEnvironment(config), request)) {
        if (game.done()) {
          return Scripted.over();
        }
        Optional<List<GridCommand>> plan = game.level().plan(game.state());
        if (plan.isEmpty() || plan.get().isEmpty()) {
          return Scripted.failure("no plan reaches the goal from " + game.state());
        }
        return Scripted.say("<action>" + plan.get().get(0).word + "</action>");
      }
    });
  }

  @Override
  public Agent randomAgent(GridworldConfig config) {
    Objects.requireNonNull(config, "config");
    GridCommand[] all = GridCommand.values();
    return request -> Scripted.say(all[Scripted.random(request).nextInt(all.length)].word);
  }
}
