package dev.ludus.environments.social;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyMultiAgentEnvironment;
import dev.ludus.api.MultiAgentEnvironmentProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registers {@code sotopia}: Sotopia's social scenarios for two seats, {@code agent-1} and {@code agent-2}, with its
 * profiles and scenarios (shipped tables in its schemas, or the user's own), its five action types, its termination
 * rules and its seven evaluation dimensions computed by rule proxies (see {@link SotopiaEnvironment},
 * {@link RuleProxyEvaluator}). Bots: {@code negotiator} and {@code hardliner}; the oracle plays {@code negotiator}
 * from its seat's private view. Stateless and thread-safe.
 */
public final class SotopiaProvider implements MultiAgentEnvironmentProvider<SotopiaConfig> {
  public static final String NAME = "sotopia";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Sotopia's social scenarios for two seats: profiles, relationship-dependent visibility, five action "
        + "types, seven evaluation dimensions by rule proxies.";
  }

  @Override
  public Class<SotopiaConfig> configType() {
    return SotopiaConfig.class;
  }

  @Override
  public SotopiaConfig defaultConfig() {
    return SotopiaConfig.defaults();
  }

  @Override
  public List<String> seats(SotopiaConfig config) {
    return SotopiaEnvironment.SEATS;
  }

  @Override
  public AnyMultiAgentEnvironment create(SotopiaConfig config) {
    Objects.requireNonNull(config, "config");
    return new SotopiaEnvironment(config, SotopiaProfiles.of(config.agentProfiles(), config.environmentProfiles()),
        new RuleProxyEvaluator());
  }

  @Override
  public Set<SignalKey<?>> signals() {
    Set<SignalKey<?>> out = new HashSet<>(SotopiaSignals.dimensions());
    out.addAll(List.of(StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION, SotopiaSignals.PRIVATE_GOAL,
        SotopiaSignals.PROFILE_SECRET, SotopiaSignals.OVERALL, SotopiaSignals.AGREEMENT,
        SotopiaSignals.UTTERANCE_ATTRIBUTION));
    return Set.copyOf(out);
  }

  @Override
  public Optional<Agent> oracle(SotopiaConfig config) {
    return Optional.of(SotopiaAgents.oracle());
  }

  @Override
  public Agent randomAgent(SotopiaConfig config) {
    return SotopiaAgents.random();
  }

  @Override
  public Map<String, Agent> bots(SotopiaConfig config) {
    return Map.of("negotiator", SotopiaAgents.negotiator(), "hardliner", SotopiaAgents.hardliner());
  }
}
