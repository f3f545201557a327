package dev.ludus.runner.runtime;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import java.util.Map;
import java.util.Objects;

/**
 * One rollout's plan: which environment, which agent, and the options. Immutable.
 *
 * <p>In a multi-agent environment ({@link BoundEnvironment#multiAgent()}) the runtime plays matches and drives one
 * agent per seat: the seat's own from {@code seatAgents}, or else {@code agent} (so a rollout without seat agents is
 * self-play, every seat played by the same agent instance). Each match records one episode per seat, named for the
 * seat's agent.
 *
 * @param runId the run's id, the prefix of every episode id
 * @param environment the environment with its configuration
 * @param agentName the agent's registered name, recorded in every episode (of every seat without its own agent)
 * @param agent the agent (shared by all episodes, and by every seat without its own agent; the caller closes it)
 * @param options counts, seed and limits
 * @param scorer scores each finished group (the shaping pipeline) before the sinks see it
 * @param seatAgents agents of their own for some seats of a multi-agent environment, by seat (the caller closes
 *     them); empty for a single-agent one
 */
public record Rollout(String runId, BoundEnvironment environment, String agentName, Agent agent,
    RolloutOptions options, Scorer scorer, Map<String, SeatAgent> seatAgents) {

  /**
   * The agent that plays one seat.
   *
   * @param name its registered name, recorded in the seat's episodes
   * @param agent the agent
   */
  public record SeatAgent(String name, Agent agent) {
    public SeatAgent {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(agent, "agent");
    }
  }

  /**
   * @throws ConfigException when a seat agent names a seat the environment does not have, or the environment has
   *     no seats
   */
  public Rollout {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(agentName, "agentName");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(scorer, "scorer");
    seatAgents = seatAgents == null ? Map.of() : Map.copyOf(seatAgents);
    if (!seatAgents.isEmpty() && !environment.multiAgent()) {
      throw new ConfigException("environment '" + environment.name() + "' has no seats: agents per seat apply to "
          + "multi-agent environments only");
    }
    for (String seat : seatAgents.keySet()) {
      if (!environment.seats().contains(seat)) {
        throw new ConfigException("environment '" + environment.name() + "' has no seat '" + seat + "'; its seats: "
            + String.join(", ", environment.seats()));
      }
    }
  }

  /** A rollout with one agent: a single-agent environment's, or every seat's (self-play). */
  public Rollout(String runId, BoundEnvironment environment, String agentName, Agent agent, RolloutOptions options,
      Scorer scorer) {
    this(runId, environment, agentName, agent, options, scorer, Map.of());
  }

  /** A rollout whose episodes are not scored. */
  public Rollout(String runId, BoundEnvironment environment, String agentName, Agent agent, RolloutOptions options) {
    this(runId, environment, agentName, agent, options, Scorer.none());
  }

  /** The agent that plays {@code seat}: its own, or the rollout's agent. */
  public SeatAgent seat(String seat) {
    SeatAgent own = seatAgents.get(seat);
    return own != null ? own : new SeatAgent(agentName, agent);
  }

  /** This rollout with {@code seats} playing their seats (the others keep the rollout's agent). */
  public Rollout withSeatAgents(Map<String, SeatAgent> seats) {
    return new Rollout(runId, environment, agentName, agent, options, scorer, seats);
  }

  /** This rollout on {@code env} (e.g. the same environment bound to the run's context). */
  public Rollout withEnvironment(BoundEnvironment env) {
    return new Rollout(runId, env, agentName, agent, options, scorer, seatAgents);
  }
}
