package dev.ludus.environments.dialogue;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.environments.dialogue.intent.IntentDiscoveryConfig;
import dev.ludus.environments.dialogue.intent.IntentDiscoveryProvider;
import dev.ludus.environments.dialogue.personalisation.PersonalisationConfig;
import dev.ludus.environments.dialogue.personalisation.PersonalisationProvider;
import dev.ludus.environments.dialogue.persuasion.PersuasionConfig;
import dev.ludus.environments.dialogue.persuasion.PersuasionProvider;
import dev.ludus.environments.dialogue.support.EmotionalSupportConfig;
import dev.ludus.environments.dialogue.support.EmotionalSupportProvider;
import dev.ludus.environments.dialogue.tutoring.TutoringConfig;
import dev.ludus.environments.dialogue.tutoring.TutoringProvider;
import org.junit.jupiter.api.Test;

/**
 * The dialogue worlds whose oracle reads everything from the request declare {@code oracleActsFromAnyState}, so that
 * DAgger may label a policy's own states: after the random agent's first turn, the oracle takes over from wherever
 * that turn led and still wins where the conversation goes on. An oracle that counted only its own turns or trusted
 * its own earlier messages would answer the wrong state (ask an attribute the user has given, hint a skill already
 * taught, run out of turns).
 */
class OracleFromAnyStateTest {
  private static final int SEEDS = 60;

  /** The random agent for the first turn, then the oracle. */
  private static Agent mixed(BoundEnvironment env) {
    Agent random = env.randomAgent();
    Agent oracle = env.oracle().orElseThrow();
    return request -> request.turn() < 1 ? random.act(request) : oracle.act(request);
  }

  /** Plays {@value #SEEDS} seeds; returns {episodes that went on after the random turn, won among them}. */
  private static int[] play(BoundEnvironment env, String name, int maxTurns) {
    assertTrue(env.oracleActsFromAnyState(), name + " declares oracleActsFromAnyState");
    Agent agent = mixed(env);
    int alive = 0;
    int won = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Played p = EnvTestKit.play(env, agent, Task.generated(name, seed), seed, maxTurns);
      if (p.steps().size() > 1) {
        alive++;
        won += p.succeeded() ? 1 : 0;
      }
    }
    return new int[] {alive, won};
  }

  private static void assertWins(int[] r, double share, String name) {
    assertTrue(r[0] >= SEEDS / 2, name + ": " + r[0] + " of " + SEEDS + " conversations went on after the random turn");
    assertTrue(r[1] >= share * r[0], name + ": the oracle won " + r[1] + " of the " + r[0] + " it took over");
  }

  @Test
  void emotionalSupportOracleMeetsTheNeedAfterARandomTurn() {
    assertWins(play(new EmotionalSupportProvider().bind(EmotionalSupportConfig.defaults()), "emotional-support", 8),
        0.9, "emotional-support");
  }

  @Test
  void tutoringOracleAnswersTheStudentsLatestLineAfterARandomTurn() {
    assertWins(play(new TutoringProvider().bind(TutoringConfig.defaults()), "tutoring", 15), 0.9, "tutoring");
  }

  @Test
  void intentDiscoveryOracleAsksWhatIsStillUnknownAfterARandomTurn() {
    assertWins(play(new IntentDiscoveryProvider().bind(IntentDiscoveryConfig.defaults()), "intent-discovery", 12),
        0.9, "intent-discovery");
  }

  @Test
  void persuasionOracleReplaysTheConversationAfterARandomTurn() {
    assertWins(play(new PersuasionProvider().bind(PersuasionConfig.defaults()), "persuasion", 10), 0.8, "persuasion");
  }

  @Test
  void personalisationOracleAsksAboutWhatIsStillUnheardAfterARandomTurn() {
    assertWins(play(new PersonalisationProvider().bind(PersonalisationConfig.defaults()), "personalisation", 12),
        0.9, "personalisation");
  }
}
