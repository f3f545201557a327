package dev.ludus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Registry;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's asynchronous shaper and alias syntax are this code, verbatim, and they work. */
class AsyncShaperExampleTest {
  private static final Path README = Path.of("..", "README.md");

  /** The README's judge ensemble, verbatim. */
  static final String ENSEMBLE = """
      shapers:
        - name: outcome
        - {name: batched-judge, as: judge-a}
        - {name: batched-judge, as: judge-b, config: {maxBatch: 16}}
      combiner: {name: ensemble, config: {aggregate: mean, members: [judge-a, judge-b]}}
      timeoutMillis: 30000   # a shaper that has not answered by then fails its group's episodes
      """;

  @Test
  void theReadmeShowsTheBatchedJudgeAndTheAliasSyntaxVerbatim() throws Exception {
    String code = ReadmeExamplesTest.snippet(Path.of("src/test/java/dev/ludus/examples/BatchedJudge.java"));
    assertTrue(code.lines().count() <= 45, "the example stays short: " + code.lines().count() + " lines");
    String readme = Files.readString(README);
    assertTrue(readme.contains(code), "README.md must contain BatchedJudge.java's example verbatim");
    assertTrue(readme.contains(ENSEMBLE), "README.md must contain the judge-ensemble spec verbatim");
  }

  @Test
  void theJudgeEnsembleScoresEveryTurnOffTheEventLoopUnderBothAliases() throws Exception {
    Registry registry = Registry.load();
    BoundEnvironment env = new HotCold().bind(new HotCold.Config(10));
    ShapingPipeline pipeline = ShapingFactory.build(registry, ShapingSpec.read(ENSEMBLE), env);
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    RunSummary s;
    try (EpisodeRuntime runtime = EpisodeRuntime.start()) {
      s = runtime.run(new Rollout("readme", env, "random", env.randomAgent(),
          RolloutOptions.of(32, 32, 3).withGroupSize(4), pipeline::scoreAsync), e -> {
            got.add(e);
            return CompletableFuture.completedFuture(null);
          }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    assertEquals(0, s.blockedThreadWarnings());
    assertEquals(32, got.size());
    for (Episode e : got) {
      assertTrue(e.status() != EpisodeStatus.FAILED, e.failure());
      assertEquals(Set.of("outcome", "judge-a", "judge-b"),
          e.ledger().stream().map(LedgerEntry::source).collect(Collectors.toSet()));
      for (LedgerEntry l : e.ledger()) {
        if (l.source().startsWith("judge-")) {
          assertEquals(BatchedJudge.forward(List.of(e.turns().get(l.turn()).action().content())).get(0), l.raw(), 0.0);
        }
      }
    }
  }
}
