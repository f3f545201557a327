package dev.ludus.runner.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.RolloutOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A rollout as data, separate from the live objects that play it: what a worker needs to build the same environment
 * and agents through its own registry (names and resolved configurations), with the run's id and options, so that
 * match {@code i} plays the same task with the same seed and id on any node. Immutable; sent with every lease.
 *
 * @param runId the run's id, the prefix of every episode id
 * @param env the environment's registered name
 * @param envConfig its resolved configuration (defaults filled in)
 * @param agent the agent's registered name (every seat without an agent of its own)
 * @param agentConfig its resolved configuration
 * @param seats agents of their own for some seats of a multi-agent environment, by seat
 * @param options counts, seed, group size and limits (the coordinator's; a worker plays single matches)
 * @param device where an in-process model runs ({@code --device}), or null
 * @param llm the run's named chat endpoints (its {@code llm:} section, never an API key), or null
 */
public record RolloutDescription(String runId, String env, JsonNode envConfig, String agent, JsonNode agentConfig,
    Map<String, Seat> seats, RolloutOptions options, String device, JsonNode llm) {

  /** A seat's own agent. */
  public record Seat(String agent, JsonNode agentConfig) {
    public Seat {
      Objects.requireNonNull(agent, "agent");
    }
  }

  public RolloutDescription {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(options, "options");
    seats = seats == null ? Map.of() : Map.copyOf(seats);
  }

  /** The description of a run built from these live parts. */
  public static RolloutDescription of(String runId, BoundEnvironment env, Plugins.ConfiguredAgent agent,
      Map<String, Plugins.ConfiguredAgent> seatAgents, RolloutOptions options, String device) {
    Map<String, Seat> seats = new LinkedHashMap<>();
    seatAgents.forEach((seat, a) -> seats.put(seat, new Seat(a.name(), Json.JSON.valueToTree(a.config()))));
    JsonNode llm = env.context().chatEndpoints().isEmpty() ? null
        : Json.JSON.valueToTree(new java.util.TreeMap<>(env.context().chatEndpoints()));
    return new RolloutDescription(runId, env.name(), Json.JSON.valueToTree(env.config()), agent.name(),
        Json.JSON.valueToTree(agent.config()), seats, options, device, llm);
  }
}
