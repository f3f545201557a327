package dev.ludus.environments.dialogue.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.PluginRef;
import dev.ludus.api.Registry;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.simulators.support.EmotionalSupportUserConfig;
import dev.ludus.simulators.support.EmotionalSupportUserProvider;
import dev.ludus.simulators.support.Move;
import dev.ludus.simulators.support.Need;
import dev.ludus.simulators.support.SupportClassifier;
import dev.ludus.simulators.support.SupportProfile;
import dev.ludus.simulators.support.SupportProfiles;
import dev.ludus.simulators.support.SupportSignals;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmotionalSupportEnvironmentTest {
  private static final EmotionalSupportProvider PROVIDER = new EmotionalSupportProvider();
  private static final BoundEnvironment DEFAULT = PROVIDER.bind(EmotionalSupportConfig.defaults());
  private static final BoundEnvironment SAGE = PROVIDER.bind(EmotionalSupportConfig.defaults().withMaxTurns(10)
      .withUser(PluginRef.of(EmotionalSupportUserProvider.NAME, EmotionalSupportUserConfig.sage())));

  private static Task profile(String id) {
    return new Task("emotional-support/" + id, 0, Map.of("profile", id));
  }

  private static Played script(String id, String... lines) {
    return EnvTestKit.replay(DEFAULT, profile(id), 1, Arrays.stream(lines).map(Message::assistant).toList());
  }

  @Test
  void envChecker_passesWithRlverAndSageSettings() {
    EnvChecker.Report report = EnvChecker.check(DEFAULT).assertPassed();
    assertTrue(report.toString().matches("(?s).*declared, [1-9][0-9]* secret values checked.*"), report.toString());
    EnvChecker.check(SAGE).assertPassed();
  }

  @Test
  void isRegisteredWithItsUser() {
    Registry registry = Registry.load();
    assertTrue(registry.environments().names().contains("emotional-support"));
    assertTrue(registry.simulators().names().contains("emotional-support-user"));
  }

  @Test
  void oracleLines_makeExactlyTheMoveThatMeetsTheirNeed() {
    for (Map.Entry<Need, List<String>> e : SupportOracle.LINES.entrySet()) {
      for (String line : e.getValue()) {
        assertEquals(Set.of(e.getKey().metBy()), SupportClassifier.read(line).moves(), line);
      }
    }
  }

  @Test
  void oracle_liftsEveryBuiltInProfileToOneHundredInFiveTurns() {
    Agent oracle = DEFAULT.oracle().orElseThrow();
    for (SupportProfile p : SupportProfiles.builtIn()) {
      Played played = EnvTestKit.play(DEFAULT, oracle, profile(p.id()), 3, 8);
      assertTrue(played.succeeded(), p.id() + ": " + played.steps());
      assertEquals(5, played.steps().size(), p.id());
      assertEquals(1.0, played.totalReward(), 1e-12);
      assertTrue(played.last().terminated());
      assertEquals(List.of(50.0, 65.0, 80.0, 90.0, 100.0), played.steps().stream()
          .map(s -> s.signals().get(StandardSignals.EMOTION).orElseThrow()).toList(), p.id());
    }
  }

  @Test
  void oracle_solvesSageSettingInSixTurnsFromForty() {
    Agent oracle = SAGE.oracle().orElseThrow();
    for (SupportProfile p : SupportProfiles.builtIn()) {
      Played played = EnvTestKit.play(SAGE, oracle, profile(p.id()), 3, 10);
      assertEquals(40.0, played.reset().signals().get(StandardSignals.EMOTION).orElseThrow());
      assertTrue(played.succeeded(), p.id());
      assertEquals(6, played.steps().size(), p.id());
    }
  }

  @Test
  void tabooMoves_driveTheUserToGoodbyeInBandFWithLowReward() {
    // support-10 wants to talk; advice is taboo for them. From 30: 20, 10, 0 -> emotion 0 ends the episode.
    Played p = script("support-10", "You should talk to your supervisor tomorrow.",
        "I'd suggest making a plan.", "You could start by writing it down.", "How about a break?");
    assertEquals(3, p.steps().size());
    StepResult last = p.last();
    assertTrue(last.terminated());
    assertEquals(0.0, last.signals().get(StandardSignals.EMOTION).orElseThrow());
    assertEquals(0.0, last.reward());
    assertEquals(false, last.signals().get(StandardSignals.SUCCESS).orElseThrow());
    assertEquals("F", last.signals().get(SupportSignals.BAND).orElseThrow());
    assertTrue(last.observation().get(0).content().contains("Bye"));
  }

  @Test
  void neutralTurns_truncateAtEightWithTheEmotionAsReward() {
    String[] lines = new String[8];
    Arrays.fill(lines, "Okay.");
    Played p = script("support-01", lines);
    assertEquals(8, p.steps().size());
    assertTrue(p.last().truncated());
    assertFalse(p.last().terminated());
    assertEquals(0.30, p.last().reward(), 1e-12);
    assertEquals(0.30, p.totalReward(), 1e-12, "only the last step pays");
  }

  @Test
  void emptyMessage_isInvalidAndLeavesTheEmotion() {
    Played p = script("support-04", "", "\u4f60\u597d");
    for (StepResult s : p.steps()) {
      assertTrue(s.signals().has(StandardSignals.INVALID_ACTION), s.toString());
      assertEquals(30.0, s.signals().get(StandardSignals.EMOTION).orElseThrow());
      assertFalse(s.done());
    }
  }

  @Test
  void repeatingAMatchingLine_countsAsNeutral() {
    Played p = script("support-01", "That sounds really hard.", "That sounds really hard.");
    assertEquals(50.0, p.steps().get(0).signals().get(StandardSignals.EMOTION).orElseThrow());
    assertEquals("neutral", p.steps().get(1).signals().get(SupportSignals.FIT).orElseThrow());
    assertEquals(50.0, p.steps().get(1).signals().get(StandardSignals.EMOTION).orElseThrow());
  }

  @Test
  void randomAgent_rarelySucceeds() {
    Agent random = DEFAULT.randomAgent();
    int solved = 0;
    for (long i = 0; i < 200; i++) {
      if (EnvTestKit.play(DEFAULT, random, DEFAULT.tasks().task(i, 3), i, 8).succeeded()) {
        solved++;
      }
    }
    assertTrue(solved < 40, solved + " of 200");
    assertTrue(Set.of(Move.values()).size() == 7);
  }
}
