package dev.ludus.environments.dialogue.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Registry;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.simulators.intent.IntentSignals;
import org.junit.jupiter.api.Test;

class IntentDiscoveryEnvironmentTest {
  private static final IntentDiscoveryProvider PROVIDER = new IntentDiscoveryProvider();
  private static final BoundEnvironment DEFAULT = PROVIDER.bind(IntentDiscoveryConfig.defaults());

  @Test
  void isRegisteredByName() {
    assertTrue(Registry.load().environments().get(IntentDiscoveryProvider.NAME) instanceof IntentDiscoveryProvider);
  }

  @Test
  void envChecker_passes() {
    EnvChecker.Report report = EnvChecker.check(DEFAULT).assertPassed();
    assertTrue(report.toString().matches("(?s).*declared, [1-9][0-9]* secret values checked.*"), report.toString());
    EnvChecker.check(PROVIDER.bind(IntentDiscoveryConfig.defaults().withMaxTurns(2).withExpertise("novice")))
        .assertPassed();
  }

  @Test
  void theOracleFindsEveryKnowableAttributeAndBeatsTheRandomAgent() {
    Agent oracle = DEFAULT.oracle().orElseThrow();
    Agent random = DEFAULT.randomAgent();
    double o = 0;
    double r = 0;
    for (long i = 0; i < 40; i++) {
      Task task = DEFAULT.tasks().task(i, 1);
      Played po = EnvTestKit.play(DEFAULT, oracle, task, i, 12);
      Played pr = EnvTestKit.play(DEFAULT, random, task, i, 12);
      assertTrue(po.ended() && pr.ended());
      assertFalse(po.anyInvalid());
      assertTrue(po.succeeded(), "task " + i);
      o += po.totalReward();
      r += pr.totalReward();
    }
    assertTrue(o > 2 * r, "oracle " + o / 40 + " vs random " + r / 40);
  }

  @Test
  void stepRewardsAreTheEntropyRemovedPlusTheScoreAtTheEnd() {
    for (long i = 0; i < 20; i++) {
      Played p = EnvTestKit.play(DEFAULT, DEFAULT.oracle().orElseThrow(), DEFAULT.tasks().task(i, 1), i, 12);
      double h0 = p.reset().signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow();
      double prev = h0;
      for (StepResult s : p.steps()) {
        double h = s.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow();
        double expected = prev - h + (s.done() ? s.signals().get(IntentSignals.SCORE).orElseThrow() : 0);
        assertEquals(expected, s.reward(), 1e-9);
        boolean notSure = s.signals().get(IntentSignals.NOT_SURE).orElseThrow();
        if (notSure) {
          assertEquals(prev, h, 1e-12, "'not sure' removes nothing");
        }
        prev = h;
      }
    }
  }

  @Test
  void normalisedGainsSumToTheShareOfEntropyRemovedAndAllOrNothingOutcome() {
    BoundEnvironment env = PROVIDER.bind(IntentDiscoveryConfig.defaults().withExpertise("expert")
        .withReward("normalised", "all"));
    Played p = EnvTestKit.play(env, env.oracle().orElseThrow(), env.tasks().task(3, 1), 3, 12);
    assertEquals(2.0, p.totalReward(), 1e-9, "an expert tells everything: 1 of entropy, 1 of outcome");
    assertTrue(p.succeeded());
  }

  @Test
  void aBadConfigurationNamesTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IntentDiscoveryConfig.defaults().withReward("nats", "share"));
    assertTrue(e.getMessage().contains("gain") && e.getMessage().contains("bits, normalised, none"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IntentDiscoveryConfig.defaults().withExpertise("guru"));
    assertTrue(e.getMessage().contains("expertise"), e.getMessage());
  }
}
