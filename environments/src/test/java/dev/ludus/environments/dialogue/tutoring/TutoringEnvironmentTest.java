package dev.ludus.environments.dialogue.tutoring;

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
import dev.ludus.simulators.tutoring.Problem;
import dev.ludus.simulators.tutoring.ProblemGenerator;
import dev.ludus.simulators.tutoring.Skill;
import dev.ludus.simulators.tutoring.TeacherClassifier;
import dev.ludus.simulators.tutoring.TutoringSignals;
import dev.ludus.simulators.tutoring.TutoringTables;
import dev.ludus.simulators.tutoring.TutoringUserConfig;
import dev.ludus.simulators.tutoring.TutoringUserProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TutoringEnvironmentTest {
  private static final TutoringProvider PROVIDER = new TutoringProvider();
  private static final BoundEnvironment DEFAULT = PROVIDER.bind(TutoringConfig.defaults());

  /** A student who knows nothing and holds no misconception, with no noise: what it learns decides its attempts. */
  private static BoundEnvironment exact(List<String> kinds) {
    TutoringUserConfig c = new TutoringUserConfig(kinds, 0, 0, 2, 8, 0, 0, "", "");
    return PROVIDER.bind(TutoringConfig.defaults().withUser(PluginRef.of(TutoringUserProvider.NAME, c)));
  }

  private static Played script(BoundEnvironment env, long taskSeed, String... lines) {
    return EnvTestKit.replay(env, Task.generated("tutoring", taskSeed), 1, List.of(lines).stream()
        .map(Message::assistant).toList());
  }

  @Test
  void envChecker_passes() {
    EnvChecker.Report report = EnvChecker.check(DEFAULT).assertPassed();
    assertTrue(report.toString().matches("(?s).*declared, [1-9][0-9]* secret values checked.*"), report.toString());
  }

  @Test
  void isRegisteredWithItsStudent() {
    Registry registry = Registry.load();
    assertTrue(registry.environments().names().contains("tutoring"));
    assertTrue(registry.simulators().names().contains("tutoring-student"));
  }

  @Test
  void skillExamples_hintExactlyTheirSkillAndCorrectionsCorrect() {
    Map<String, Skill> skills = TutoringTables.skills("");
    for (Skill s : skills.values()) {
      assertEquals(List.of(s.id()), TeacherClassifier.read(s.example(), skills).hinted(), s.example());
      if (s.misconception() != null) {
        String ex = s.misconception().example();
        assertEquals(List.of(s.id()), TeacherClassifier.read(ex, skills).hinted(), ex);
        assertTrue(s.misconception().correctedBy(ex.toLowerCase()), ex);
        assertFalse(s.misconception().correctedBy(s.example().toLowerCase()), s.example());
      }
    }
  }

  @Test
  void oracle_teachesEveryGeneratedStudentWithoutLeaking() {
    Agent oracle = DEFAULT.oracle().orElseThrow();
    int solved = 0;
    int attempts = 0;
    for (long i = 0; i < 200; i++) {
      Played p = EnvTestKit.play(DEFAULT, oracle, DEFAULT.tasks().task(i, 9), i, 15);
      StepResult last = p.last();
      assertTrue(last.terminated(), "task " + i + ": " + p.actions());
      assertEquals(false, last.signals().get(TutoringSignals.LEAK).orElseThrow());
      assertTrue(p.actions().stream().noneMatch(m -> m.content().matches(".*\\d.*")), "the oracle wrote a number");
      solved += last.signals().get(TutoringSignals.ATTEMPTS_SOLVED).orElseThrow();
      attempts += 8;
    }
    assertTrue(solved > 0.8 * attempts, solved + " of " + attempts);
  }

  @Test
  void hintOnTheMissingSkill_teachesItAndTheStudentSolves() {
    BoundEnvironment env = exact(List.of("linear-equation"));
    Map<String, Skill> skills = TutoringTables.skills("");
    Played p = script(env, 3, skills.get("inverse-operation").example(), skills.get("divide-both-sides").example(),
        TeacherClassifier.END);
    assertEquals(List.of("inverse-operation", "divide-both-sides"),
        p.last().signals().get(TutoringSignals.SKILLS_LEARNED).orElseThrow());
    assertEquals(8, p.last().signals().get(TutoringSignals.ATTEMPTS_SOLVED).orElseThrow());
    assertEquals(1.0, p.last().reward());
    assertTrue(p.last().terminated());
  }

  @Test
  void endingWithoutTeaching_leavesTheStudentFailing() {
    Played p = script(exact(List.of("linear-equation")), 3, TeacherClassifier.END);
    assertEquals(0, p.last().signals().get(TutoringSignals.ATTEMPTS_SOLVED).orElseThrow());
    assertEquals(0.0, p.last().reward());
    assertEquals(false, p.last().signals().get(StandardSignals.SUCCESS).orElseThrow());
  }

  @Test
  void givingTheAnswer_isALeakAndCostsLambda() {
    Problem problem = ProblemGenerator.generate(List.of(ProblemGenerator.Kind.LINEAR_EQUATION), 3);
    Played p = script(exact(List.of("linear-equation")), 3, "The answer is " + problem.answer() + ".",
        TeacherClassifier.END);
    assertEquals(true, p.steps().get(0).signals().get(TutoringSignals.LEAK).orElseThrow());
    assertEquals(-1.0, p.last().reward());
  }

  @Test
  void workingOutKStepsBeforeTheStudentTried_isALeak_butNotAfter() {
    Problem problem = ProblemGenerator.generate(List.of(ProblemGenerator.Kind.FRACTION_ADDITION), 5);
    String l = problem.steps().get(0).results().get(0);
    String eq = problem.steps().get(1).results().get(0);
    Played early = script(exact(List.of("fraction-addition")), 5, "Use " + l + ".", "That gives " + eq + ".");
    assertEquals(false, early.steps().get(0).signals().get(TutoringSignals.LEAK).orElseThrow(), "one step is fine");
    assertEquals(true, early.steps().get(1).signals().get(TutoringSignals.LEAK).orElseThrow());
  }

  @Test
  void turnLimit_endsTheConversationForTheTeacherAndTheStudentStillAttempts() {
    Played p = script(PROVIDER.bind(TutoringConfig.defaults().withMaxTurns(2)), 4, "Hello.", "Let's see.");
    assertTrue(p.last().truncated());
    assertEquals(2, p.last().observation().size());
    assertTrue(p.last().signals().has(TutoringSignals.ATTEMPTS_SOLVED));
  }

  @Test
  void randomAgent_solvesLessOftenThanTheOracle() {
    Agent random = DEFAULT.randomAgent();
    int wins = 0;
    for (long i = 0; i < 200; i++) {
      if (EnvTestKit.play(DEFAULT, random, DEFAULT.tasks().task(i, 9), i, 15).succeeded()) {
        wins++;
      }
    }
    assertTrue(wins < 120, wins + " of 200");
  }
}
