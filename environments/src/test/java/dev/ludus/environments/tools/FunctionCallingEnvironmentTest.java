package dev.ludus.environments.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FunctionCallingEnvironmentTest {
  static final FunctionCallingProvider PROVIDER = new FunctionCallingProvider();
  static final BoundEnvironment DEFAULT = PROVIDER.bind(FunctionCallingConfig.defaults());

  @Test
  void envChecker_passesWithTheDefaults() {
    System.out.println(EnvChecker.check(DEFAULT).assertPassed());
  }

  @Test
  void oracle_solvesEveryGeneratedTask() {
    Agent oracle = DEFAULT.oracle().orElseThrow();
    Map<String, Integer> byCategory = new TreeMap<>();
    for (long i = 0; i < 600; i++) {
      Task task = DEFAULT.tasks().task(i, 11);
      Played p = EnvTestKit.play(DEFAULT, oracle, task, i, 24);
      assertTrue(p.succeeded(), task.fields().get("category") + " " + task.id() + ": " + p.actions() + "\n" + p.steps());
      byCategory.merge(task.fields().get("category"), 1, Integer::sum);
    }
    System.out.println(byCategory);
  }

  @Test
  void random_staysNearZero() {
    Agent random = DEFAULT.randomAgent();
    int won = 0;
    int n = 400;
    for (long i = 0; i < n; i++) {
      Task task = DEFAULT.tasks().task(i, 5);
      if (EnvTestKit.play(DEFAULT, random, task, i, 24).succeeded()) {
        won++;
      }
    }
    System.out.println("random: " + won + "/" + n);
    assertTrue(won < n / 10, won + " of " + n);
  }
}
