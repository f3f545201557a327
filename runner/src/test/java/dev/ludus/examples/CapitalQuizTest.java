package dev.ludus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.AgentResponse;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.NoConfig;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.runtime.RuntimeOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's plugin-context example works (ReadmeExamplesTest checks that the README shows it verbatim). */
class CapitalQuizTest {
  @Test
  void itPassesTheEnvironmentCheckerWhichGivesItAContextAndClosesIt() {
    EnvChecker.check(new CapitalQuiz().bind(NoConfig.INSTANCE)).assertPassed();
  }

  @Test
  void theRuntimeGivesItTheRunsContextSoTheKeyIsOpenedOnceAndClosedWithTheRun() throws Exception {
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    CapitalQuiz.AnswerKey key;
    RunSummary s;
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(1_000),
        Registry.load())) {
      PluginContext context = runtime.pluginContext();
      s = runtime.run(new Rollout("quiz", new CapitalQuiz().bind(NoConfig.INSTANCE), "paris",
              r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("Paris"))),
              RolloutOptions.of(40, 8, 3)),
          e -> {
            got.add(e);
            return CompletableFuture.completedFuture(null);
          }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      key = context.shared("capital-quiz/key", CapitalQuiz.AnswerKey.class, () -> null);
      assertSame(key, context.shared("capital-quiz/key", CapitalQuiz.AnswerKey.class, CapitalQuiz.AnswerKey::new));
      assertEquals(2, key.capitals.size(), "open while the run lasts");
      assertEquals(0, runtime.blockedThreadWarnings());
    }
    assertEquals(0, key.capitals.size(), "closed with the run");
    assertEquals(40, s.completed());
    long france = got.stream().filter(e -> e.start().get(0).content().contains("France")).count();
    assertTrue(france > 0 && france < 40, "both countries asked: " + france);
    assertTrue(got.stream().allMatch(e -> e.success() == e.start().get(0).content().contains("France")),
        "Paris wins France only");
  }
}
