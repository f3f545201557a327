package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchQaAgentsTest {
  static PluginContext.Owned context;

  @BeforeAll
  static void open() {
    context = PluginContext.standalone();
  }

  @AfterAll
  static void close() {
    context.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tags", "tools"})
  void theOracleSolvesEveryGeneratedTaskWithFullSearchR1AndIgpoRewards(String protocol) {
    BoundEnvironment env = Episodes.bind(SearchQaConfig.defaults().withProtocol(protocol), context);
    int goldHits = 0;
    int searches = 0;
    for (int i = 0; i < 200; i++) {
      Task task = env.tasks().task(i, 7);
      Episodes.Played p = Episodes.play(env, env.oracle().orElseThrow(), task, i);
      assertTrue(p.success(), () -> "task " + task.fields().get("qa") + " steps " + p.steps());
      assertEquals(1.0, p.totalReward(), 1e-9, task.id());
      for (var s : p.steps()) {
        s.signals().get(SearchSignals.SEARCH_R1_REWARD).ifPresent(v -> assertEquals(1.0, v, 1e-9, task.id()));
        s.signals().get(SearchSignals.IGPO_REWARD).ifPresent(v -> assertEquals(1.0, v, 1e-9, task.id()));
        if (s.signals().has(SearchSignals.GOLD_RETRIEVED)) {
          searches++;
          goldHits += s.signals().get(SearchSignals.GOLD_RETRIEVED).orElseThrow() ? 1 : 0;
        }
      }
    }
    // the oracle searches each gold passage's title: BM25 finds it among the top 3 despite the near duplicates
    assertTrue(goldHits >= 0.97 * searches, goldHits + " of " + searches);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tags", "tools"})
  void theRandomAgentRarelySucceeds(String protocol) {
    BoundEnvironment env = Episodes.bind(SearchQaConfig.defaults().withProtocol(protocol), context);
    int wins = 0;
    for (int i = 0; i < 200; i++) {
      wins += Episodes.play(env, env.randomAgent(), env.tasks().task(i, 3), i).success() ? 1 : 0;
    }
    assertTrue(wins <= 10, wins + " of 200");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tags", "tools"})
  void passesTheEnvironmentContract(String protocol) {
    EnvChecker.check(Episodes.bind(SearchQaConfig.defaults().withProtocol(protocol), context)).assertPassed();
  }
}
