package dev.ludus.runner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Registry;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.environments.sparse.FeasibleRange;
import dev.ludus.environments.sparse.SparseSignals;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every registered environment's signals survive the episode file: played in process by its oracle and its
 * random agent, stored, and read back typed by the registry, each signal value {@code equals} the value the
 * environment published, and so does the whole episode.
 */
class BuiltInSignalsRoundTripTest {
  private static final Registry REGISTRY = Registry.load();
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(1_000));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @Test
  void everyBuiltInEnvironmentsSignalsReadBackAsTheTypedValuesItPublished(@TempDir Path dir) throws Exception {
    Map<String, Episode> played = new LinkedHashMap<>();
    Map<String, EnvironmentProvider<?>> providers = new LinkedHashMap<>();
    Path file = dir.resolve("episodes.jsonl");
    try (EpisodeStore store = EpisodeStore.open(file)) {
      for (String name : REGISTRY.environments().names()) {
        EnvironmentProvider<?> provider = REGISTRY.environments().get(name);
        BoundEnvironment env = BoundEnvironment.ofUnchecked(provider, provider.defaultConfig());
        List<Agent> agents = new ArrayList<>();
        env.oracle().ifPresent(agents::add);
        agents.add(env.randomAgent());
        for (int a = 0; a < agents.size(); a++) {
          String agentName = a == agents.size() - 1 ? "random" : "oracle";
          try (Agent agent = agents.get(a)) {
            for (Episode e : play(new Rollout(name + "-" + agentName, env, agentName, agent,
                RolloutOptions.of(4, 4, 11).withGroupSize(2)))) {
              store.append(e).toCompletableFuture().get(30, TimeUnit.SECONDS);
              played.put(e.id(), e);
              providers.put(e.id(), provider);
            }
          }
        }
      }
    }
    assertTrue(REGISTRY.environments().names().containsAll(
        List.of("guess-number", "gridworld", "frozen-lake", "sokoban", "twenty-questions", "deal-or-no-deal")));

    List<Episode> typed = EpisodeReader.readAll(file, REGISTRY);
    List<Episode> plain = EpisodeReader.readAll(file);
    assertEquals(played.size(), typed.size());
    int values = 0;
    int convertedFromPlain = 0;
    for (int i = 0; i < typed.size(); i++) {
      Episode back = typed.get(i);
      Episode original = played.get(back.id());
      for (SignalKey<?> key : providers.get(back.id()).signals()) {
        List<Signals> published = signalsOf(original);
        List<Signals> read = signalsOf(back);
        List<Signals> readPlain = signalsOf(plain.get(i));
        for (int s = 0; s < published.size(); s++) {
          Object value = published.get(s).raw(key.name()).orElse(null);
          assertEquals(value, read.get(s).raw(key.name()).orElse(null), back.id() + " " + key.name() + " at " + s);
          if (value != null) {
            values++;
            assertTrue(key.type().isInstance(read.get(s).raw(key.name()).orElseThrow()), key.name());
            if (!value.equals(readPlain.get(s).raw(key.name()).orElseThrow())) {
              convertedFromPlain++;
            }
            assertEquals(value, readPlain.get(s).get(key).orElseThrow(), "the typed getter of a plain read");
          }
        }
      }
      assertEquals(original, back, "the whole episode " + back.id());
    }
    assertTrue(values > 500, "signal values compared: " + values);
    assertTrue(convertedFromPlain > 0, "some values (feasible-range) differ from their plain JSON form");

    Episode guess = typed.stream().filter(e -> e.env().equals("guess-number")).findFirst().orElseThrow();
    FeasibleRange range = guess.turns().get(0).signals().get(SparseSignals.FEASIBLE_RANGE).orElseThrow();
    assertTrue(range.count() >= 1);
  }

  private static List<Signals> signalsOf(Episode e) {
    List<Signals> all = new ArrayList<>();
    all.add(e.startSignals());
    e.turns().forEach(t -> all.add(t.signals()));
    return all;
  }

  private static List<Episode> play(Rollout rollout) throws Exception {
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    runtime.run(rollout, e -> {
      got.add(e);
      return CompletableFuture.completedFuture(null);
    }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    int seats = rollout.environment().multiAgent() ? rollout.environment().seats().size() : 1;
    assertEquals(rollout.options().episodes() * seats, got.size(), "one episode per seat of every match");
    return List.copyOf(got);
  }
}
