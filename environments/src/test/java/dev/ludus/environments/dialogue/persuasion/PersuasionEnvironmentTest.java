package dev.ludus.environments.dialogue.persuasion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigBinder;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.simulators.persuasion.PersonaTable;
import dev.ludus.simulators.persuasion.Persona;
import dev.ludus.simulators.persuasion.PersuasionSignals;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PersuasionEnvironmentTest {
  private static final PersuasionProvider PROVIDER = new PersuasionProvider();
  private static final BoundEnvironment DEFAULT = PROVIDER.bind(PersuasionConfig.defaults());

  @Test
  void isRegisteredByName() {
    assertTrue(Registry.load().environments().get(PersuasionProvider.NAME) instanceof PersuasionProvider);
  }

  @Test
  void envChecker_passes() {
    EnvChecker.Report report = EnvChecker.check(DEFAULT).assertPassed();
    assertTrue(report.toString().matches("(?s).*declared, [1-9][0-9]* secret values checked.*"), report.toString());
  }

  @Test
  void envChecker_passesWithAShortConversation() {
    EnvChecker.check(PROVIDER.bind(PersuasionConfig.defaults().withMaxTurns(2))).assertPassed();
  }

  @Test
  void oracle_getsMoreThanTheRandomAgent() {
    Agent oracle = DEFAULT.oracle().orElseThrow();
    Agent random = DEFAULT.randomAgent();
    double o = 0;
    double r = 0;
    int oracleSuccesses = 0;
    for (long i = 0; i < 40; i++) {
      Task task = DEFAULT.tasks().task(i, 1);
      Played po = EnvTestKit.play(DEFAULT, oracle, task, i, 10);
      Played pr = EnvTestKit.play(DEFAULT, random, task, i, 10);
      assertTrue(po.ended() && pr.ended());
      assertFalse(po.anyInvalid(), "the oracle's messages are all readable");
      o += po.totalReward();
      r += pr.totalReward();
      oracleSuccesses += po.succeeded() ? 1 : 0;
      assertFalse(po.steps().stream().anyMatch(s -> s.signals().get(PersuasionSignals.REPETITION).orElse(false)
          || s.signals().get(PersuasionSignals.INCONSISTENCY).orElse(false)), "the oracle never repeats or contradicts");
    }
    assertTrue(o > 2 * r, "oracle " + o / 40 + " vs random " + r / 40);
    assertTrue(oracleSuccesses >= 30, "oracle successes " + oracleSuccesses);
  }

  @Test
  void theLastStepPaysTheDonationOverTwoAndEarlierStepsPayNothing() {
    Played p = EnvTestKit.play(DEFAULT, DEFAULT.oracle().orElseThrow(), DEFAULT.tasks().task(3, 1), 3, 10);
    StepResult last = p.last();
    double donation = last.signals().get(PersuasionSignals.DONATION).orElseThrow();
    assertEquals(donation / 2, last.reward(), 1e-12);
    assertEquals(donation / 2, p.totalReward(), 1e-12);
    assertEquals(donation >= 1.0, last.signals().get(StandardSignals.SUCCESS).orElseThrow());
  }

  @Test
  void truncation_paysWhatThePersuadeeIsWillingToGive() {
    BoundEnvironment env = PROVIDER.bind(PersuasionConfig.defaults().withMaxTurns(2));
    Played p = EnvTestKit.replay(env, DEFAULT.tasks().task(0, 0), 0, List.of(
        Message.assistant("Imagine a little girl going to sleep hungry every night."),
        Message.assistant("Every dollar you give will help provide food and medicine for a child.")));
    assertTrue(p.last().truncated());
    double intent = p.last().signals().get(PersuasionSignals.DONATION_INTENT).orElseThrow();
    assertEquals(intent, p.last().signals().get(PersuasionSignals.DONATION).orElseThrow());
    assertTrue(p.last().observation().get(1).content().contains("donated $"));
  }

  @Test
  void sameTaskSeedAndActions_giveTheSameTrace() {
    Agent random = DEFAULT.randomAgent();
    for (long i = 0; i < 5; i++) {
      Task task = DEFAULT.tasks().task(i, 7);
      Played a = EnvTestKit.play(DEFAULT, random, task, i, 10);
      Played b = EnvTestKit.play(DEFAULT, random, task, i, 10);
      assertEquals(a.steps(), b.steps());
    }
  }

  @Test
  void theSystemPromptNamesNoPersonaAndNoTrait() {
    String prompt = PersuasionEnvironment.systemPrompt(PersuasionConfig.defaults()).toLowerCase(Locale.ROOT);
    for (Persona persona : PersonaTable.builtIn().personas()) {
      assertFalse(prompt.contains(persona.id()));
    }
    assertFalse(prompt.contains("propensity") || prompt.contains("resistance"));
    assertTrue(prompt.contains("10 turns"));
  }

  @Test
  void badConfigurations_areRefusedNamingTheField() {
    IllegalArgumentException turns = assertThrows(IllegalArgumentException.class,
        () -> new PersuasionConfig(0, null, null));
    assertTrue(turns.getMessage().startsWith("maxTurns"));
    IllegalArgumentException file = assertThrows(IllegalArgumentException.class,
        () -> new PersuasionConfig(10, "/no/such/file.json", null));
    assertTrue(file.getMessage().startsWith("personas: persona file"), file.getMessage());
    assertThrows(Exception.class, () -> ConfigBinder.bind(PROVIDER,
        ConfigBinder.tree(Map.of("user", Map.of("name", "persuasion-user", "config", Map.of("personas", "x"))))));
  }
}
