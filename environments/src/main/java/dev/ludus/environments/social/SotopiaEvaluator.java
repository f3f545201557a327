package dev.ludus.environments.social;

import dev.ludus.environments.social.SotopiaProfiles.AgentProfile;
import dev.ludus.environments.social.SotopiaProfiles.EnvironmentProfile;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Scores a finished {@code sotopia} episode on Sotopia's seven dimensions, one score set per agent. The seam between
 * the environment and its judge: {@link RuleProxyEvaluator} now; an LLM judge (Sotopia's {@code
 * EvaluationForTwoAgents} prompt through the shared chat client) with the LLM-in-the-loop work, which is why the answer
 * is a {@link CompletionStage}. Implementations are thread-safe.
 */
interface SotopiaEvaluator {
  CompletionStage<List<Scores>> evaluate(Episode episode);

  /**
   * One agent's action, in order.
   *
   * @param agent 0 or 1, as {@code agent_goals}
   * @param action what it did ({@link SotopiaAction#NONE} when its message was not understood)
   * @param understood whether its message could be read
   */
  record Turn(int agent, SotopiaAction action, boolean understood) {}

  /**
   * A finished episode as the judge sees it (both sides).
   *
   * @param scenario the environment profile
   * @param agents the two agent profiles
   * @param turns every turn, in order
   */
  record Episode(EnvironmentProfile scenario, List<AgentProfile> agents, List<Turn> turns) {
    /** The value of the last proposal the other agent accepted, if any (a later agreement replaces an earlier). */
    Optional<Integer> agreement() {
      Integer pending = null;
      int proposer = -1;
      Integer agreed = null;
      for (Turn t : turns) {
        if (t.action().accepts() && pending != null && t.agent() != proposer) {
          agreed = pending;
          pending = null;
        }
        Optional<Integer> p = t.action().proposal();
        if (p.isPresent()) {
          pending = p.get();
          proposer = t.agent();
        }
      }
      return Optional.ofNullable(agreed);
    }
  }

  /** One agent's scores on Sotopia's scales. */
  record Scores(double goal, double believability, double knowledge, double secret, double relationship,
      double socialRules, double financial) {
    /** Sotopia's overall score: the mean of the seven. */
    double overall() {
      return (goal + believability + knowledge + secret + relationship + socialRules + financial) / 7;
    }
  }
}
