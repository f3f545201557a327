package dev.ludus.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Turn;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The law of {@link RewardShaper.Scope#TURN}: a per-turn shaper's contribution to turn t depends only on
 * turns 0..t, so shaping any prefix of an episode gives the same contributions for the prefix's turns as
 * shaping the whole episode. Checked for every registered shaper that declares it.
 */
class TurnScopeConformanceTest {
  /** Configs for shapers whose defaults cannot run on their own (a required field). */
  private static final Map<String, String> SIGNAL_FOR = Map.of("potential", "candidate-entropy", "signal-reward", "candidate-entropy");

  private static Episode randomEpisode(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    EpisodeBuilder b = EpisodeBuilder.on("task-" + seed).field("answer", "paris").field("gold_calls", "[]")
        .startSignals(Signals.builder().put(StandardSignals.CANDIDATE_ENTROPY, 6.0).put(StandardSignals.EMOTION, 50.0)
            .build());
    String[] texts = {"<think>first, let me check</think><answer>paris</answer>", "Is it an animal?",
        "wait, is it red? Is it red?", "<answer>london</answer>", "I think that the answer is paris, therefore paris.",
        "up"};
    double h = 6.0;
    int turns = 2 + rng.nextInt(6);
    for (int t = 0; t < turns; t++) {
      h = Math.max(0, h - rng.nextInt(3));
      Signals.Builder s = Signals.builder().put(StandardSignals.CANDIDATE_ENTROPY, h)
          .put(StandardSignals.EMOTION, 20.0 + rng.nextInt(60));
      if (rng.nextInt(3) == 0) {
        s.put(StandardSignals.SUBGOAL, rng.nextBoolean() ? "key-picked" : "door-opened");
      }
      b.turn(Message.assistant(texts[rng.nextInt(texts.length)]), rng.nextInt(4) == 0 ? 1.0 : 0.0, s.build(),
          List.of(Message.user(rng.nextBoolean() ? "yes" : "no")));
    }
    return b.build();
  }

  private static Episode prefix(Episode e, int length) {
    List<Turn> turns = new ArrayList<>(e.turns().subList(0, length));
    return new Episode(e.schema(), e.id(), e.env(), e.agent(), e.task(), e.seed(), EpisodeStatus.TRUNCATED, null, false,
        0, e.start(), e.tools(), e.startSignals(), turns, List.of(), 0, 0);
  }

  private static Map<String, Double> upTo(List<RewardContribution> cs, int turns) {
    Map<String, Double> m = new TreeMap<>();
    for (RewardContribution c : cs) {
      if (c.turn() < turns) {
        m.put(c.turn() + "/" + c.component(), c.value());
      }
    }
    return m;
  }

  @Test
  void everyPerTurnShaperGivesThePrefixOfAnEpisodeTheSameRewardsAsTheWholeEpisode() {
    int checked = 0;
    for (ShaperProvider<?> p : Registry.load().shapers().all()) {
      RewardShaper shaper = create(p);
      if (shaper == null || shaper.scope() != RewardShaper.Scope.TURN) {
        continue;
      }
      checked++;
      for (long seed = 0; seed < 40; seed++) {
        Episode full = randomEpisode(seed);
        List<RewardContribution> whole = shaper.shape(full);
        for (int len = 1; len < full.turns().size(); len++) {
          assertEquals(upTo(whole, len), upTo(shaper.shape(prefix(full, len)), len),
              p.name() + " (scope TURN) looked past turn " + (len - 1) + " on seed " + seed);
        }
      }
    }
    assertTrue(checked >= 8, "most built-in shapers are per-turn; checked " + checked);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static RewardShaper create(ShaperProvider p) {
    Object config = p.defaultConfig();
    if (SIGNAL_FOR.containsKey(p.name())) {
      try {
        Class<?> type = p.configType();
        var components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
          args[i] = components[i].getAccessor().invoke(config);
          if (components[i].getName().equals("signal")) {
            args[i] = SIGNAL_FOR.get(p.name());
          }
        }
        Class<?>[] types = java.util.Arrays.stream(components).map(c -> c.getType()).toArray(Class<?>[]::new);
        config = type.getDeclaredConstructor(types).newInstance(args);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    try {
      return p.create(config);
    } catch (UnsupportedOperationException e) {
      return null; // needs the run's context (an LLM judge on a chat endpoint): scored per episode, not per turn
    }
  }
}
