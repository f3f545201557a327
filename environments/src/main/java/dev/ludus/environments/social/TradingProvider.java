package dev.ludus.environments.social;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyMultiAgentEnvironment;
import dev.ludus.api.MultiAgentEnvironmentProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registers {@code trading}: TextArena's SimpleNegotiation for two seats, {@code alice} and {@code bob}, trading
 * Wheat, Wood, Sheep, Brick and Ore they value privately with {@code [Offer: ... -> ...]}, {@code [Accept]} and
 * {@code [Deny]} for ten turns; the larger gain in inventory value wins (see {@link TradingEnvironment}). Bots:
 * {@code shrewd}, {@code generous} and {@code stubborn}; the oracle plays {@code shrewd} from its seat's private
 * view. Stateless and thread-safe.
 */
public final class TradingProvider implements MultiAgentEnvironmentProvider<TradingConfig> {
  public static final String NAME = "trading";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Two seats trade five resources they value privately (TextArena's SimpleNegotiation); the larger gain in "
        + "inventory value wins.";
  }

  @Override
  public Class<TradingConfig> configType() {
    return TradingConfig.class;
  }

  @Override
  public TradingConfig defaultConfig() {
    return TradingConfig.defaults();
  }

  @Override
  public List<String> seats(TradingConfig config) {
    return TradingEnvironment.SEATS;
  }

  @Override
  public AnyMultiAgentEnvironment create(TradingConfig config) {
    return new TradingEnvironment(Objects.requireNonNull(config, "config"));
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION, TradingSignals.VALUES,
        TradingSignals.INVENTORY_GAIN, TradingSignals.TRADES, TradingSignals.OUTCOME);
  }

  @Override
  public Optional<Agent> oracle(TradingConfig config) {
    return Optional.of(TradingAgents.oracle());
  }

  @Override
  public Agent randomAgent(TradingConfig config) {
    return TradingAgents.random();
  }

  @Override
  public Map<String, Agent> bots(TradingConfig config) {
    return Map.of("shrewd", TradingAgents.shrewdBot(), "generous", TradingAgents.generous(),
        "stubborn", TradingAgents.stubborn());
  }
}
