package dev.ludus.environments.social;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyMultiAgentEnvironment;
import dev.ludus.api.MultiAgentEnvironmentProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.TaskSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registers {@code deal-or-no-deal}: two seats, {@code alice} and {@code bob}, divide 5 to 7 books, hats and balls
 * that each values privately (Lewis et al. 2017; see {@link DealOrNoDealEnvironment} and {@link Deal}), generated or
 * loaded from the original data ({@link LewisData}). Bots: {@code greedy}, {@code fair} and {@code stubborn}; the
 * oracle plays {@code fair} from its seat's private view. Stateless and
 * thread-safe.
 */
public final class DealOrNoDealProvider implements MultiAgentEnvironmentProvider<DealOrNoDealConfig> {
  public static final String NAME = "deal-or-no-deal";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Two seats divide books, hats and balls they value privately; both score only if their choices agree.";
  }

  @Override
  public Class<DealOrNoDealConfig> configType() {
    return DealOrNoDealConfig.class;
  }

  @Override
  public DealOrNoDealConfig defaultConfig() {
    return DealOrNoDealConfig.defaults();
  }

  @Override
  public List<String> seats(DealOrNoDealConfig config) {
    return DealOrNoDealEnvironment.SEATS;
  }

  @Override
  public AnyMultiAgentEnvironment create(DealOrNoDealConfig config) {
    return new DealOrNoDealEnvironment(Objects.requireNonNull(config, "config"));
  }

  @Override
  public TaskSource tasks(DealOrNoDealConfig config) {
    if (config.data().equals("lewis")) {
      return LewisData.taskSource(NAME, LewisData.read(Path.of(config.path())));
    }
    return TaskSource.generated(NAME);
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION, DealSignals.VALUES, DealSignals.AGREEMENT,
        DealSignals.SCORE, DealSignals.JOINT_SCORE);
  }

  @Override
  public Optional<Agent> oracle(DealOrNoDealConfig config) {
    return Optional.of(DealAgents.oracle());
  }

  @Override
  public Agent randomAgent(DealOrNoDealConfig config) {
    return DealAgents.random();
  }

  @Override
  public Map<String, Agent> bots(DealOrNoDealConfig config) {
    return Map.of("greedy", DealAgents.greedy(), "fair", DealAgents.fair(), "stubborn", DealAgents.stubborn());
  }
}
