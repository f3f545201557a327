package dev.ludus.environments.dialogue.personalisation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.simulators.profile.PersonalisationSignals;
import dev.ludus.simulators.profile.ProfileAnswer;
import dev.ludus.simulators.profile.ProfileFact;
import dev.ludus.simulators.profile.ProfileTable;
import dev.ludus.simulators.profile.UserProfile;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PersonalisationEnvironmentTest {
  private static final PersonalisationProvider PROVIDER = new PersonalisationProvider();
  private static final BoundEnvironment DEFAULT = PROVIDER.bind(PersonalisationConfig.defaults());

  @Test
  void isRegisteredByName() {
    assertTrue(Registry.load().environments().get(PersonalisationProvider.NAME) instanceof PersonalisationProvider);
  }

  @Test
  void envChecker_passes() {
    EnvChecker.Report report = EnvChecker.check(DEFAULT).assertPassed();
    assertTrue(report.toString().matches("(?s).*declared, [1-9][0-9]* secret values checked.*"), report.toString());
  }

  @Test
  void oracle_learnsEveryProfileAndRandomDoesNot() {
    Agent oracle = DEFAULT.oracle().orElseThrow();
    Agent random = DEFAULT.randomAgent();
    int randomSuccesses = 0;
    for (long i = 0; i < 40; i++) {
      Task task = DEFAULT.tasks().task(i, 1);
      Played po = EnvTestKit.play(DEFAULT, oracle, task, i, 12);
      assertTrue(po.succeeded(), "task " + i + ": " + po.actions());
      assertTrue(po.last().terminated());
      assertEquals(1.0, po.last().signals().get(PersonalisationSignals.PROFILE_F1).orElseThrow());
      assertTrue(po.steps().stream().allMatch(s -> s.signals().get(PersonalisationSignals.RESPONSE_OK).orElseThrow()));
      randomSuccesses += EnvTestKit.play(DEFAULT, random, task, i, 12).succeeded() ? 1 : 0;
    }
    assertTrue(randomSuccesses < 10, "random successes " + randomSuccesses);
  }

  @Test
  void eachTurnPaysProfileF1PlusTheResponseCheck() {
    UserProfile profile = ProfileTable.builtIn().find("user-01").orElseThrow();
    Task task = new Task("p/user-01", 0, Map.of("profile", "user-01"));
    List<String> gold = profile.facts().stream().map(ProfileFact::text).toList();
    Played p = EnvTestKit.replay(DEFAULT, task, 0, List.of(
        Message.assistant(ProfileAnswer.format(List.of(gold.get(1)), "Where do you live?")),
        Message.assistant(ProfileAnswer.format(List.of(), "You are amazing!")),
        Message.assistant("Where do you live?"),
        Message.assistant(ProfileAnswer.format(gold, "Thanks for telling me about your home."))));
    assertEquals(2.0 / 11.0 + 1.0, p.steps().get(0).reward(), 1e-12);
    assertEquals(0.0, p.steps().get(1).reward(), 1e-12, "flattery and no profile");
    StepResult malformed = p.steps().get(2);
    assertEquals(0.0, malformed.reward());
    assertTrue(malformed.signals().has(StandardSignals.INVALID_ACTION));
    StepResult full = p.steps().get(3);
    assertEquals(2.0, full.reward(), 1e-12);
    assertTrue(full.terminated());
    assertTrue(full.signals().get(StandardSignals.SUCCESS).orElseThrow());
  }

  @Test
  void truncation_judgesTheLastProfile() {
    BoundEnvironment env = PROVIDER.bind(PersonalisationConfig.defaults().withMaxTurns(1));
    Played p = EnvTestKit.replay(env, DEFAULT.tasks().task(0, 0), 0,
        List.of(Message.assistant(ProfileAnswer.format(List.of(), "How about work?"))));
    assertTrue(p.last().truncated());
    assertFalse(p.last().signals().get(StandardSignals.SUCCESS).orElseThrow());
  }

  @Test
  void sameTaskSeedAndActions_giveTheSameTrace() {
    Agent random = DEFAULT.randomAgent();
    for (long i = 0; i < 5; i++) {
      Task task = DEFAULT.tasks().task(i, 7);
      assertEquals(EnvTestKit.play(DEFAULT, random, task, i, 12).steps(),
          EnvTestKit.play(DEFAULT, random, task, i, 12).steps());
    }
  }

  @Test
  void theSystemPromptNamesTopicsButNoFact() {
    String prompt = PersonalisationEnvironment.systemPrompt(PersonalisationConfig.defaults());
    assertTrue(prompt.contains("work, family, pets"), prompt);
    for (UserProfile u : ProfileTable.builtIn().profiles()) {
      for (ProfileFact f : u.facts()) {
        assertFalse(prompt.toLowerCase(Locale.ROOT).contains(f.text().toLowerCase(Locale.ROOT)));
      }
    }
  }

  @Test
  void badConfigurations_areRefusedNamingTheField() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new PersonalisationConfig(12, null, 0.15, 0, null))
        .getMessage().startsWith("successF1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new PersonalisationConfig(12, null, 2, 0.8, null))
        .getMessage().startsWith("revealShare"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new PersonalisationConfig(12, "/no/such.json", 0.15, 0.8, null)).getMessage().startsWith("profiles:"));
  }
}
