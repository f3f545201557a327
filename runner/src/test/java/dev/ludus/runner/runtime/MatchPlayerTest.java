package dev.ludus.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.Registry;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Plugins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runtime's seam for cluster mode: matches offered to a {@link MatchPlayer} that plays some elsewhere (here, on
 * a second runtime through {@link EpisodeRuntime#play}) and declines the others give the same episodes as a local
 * run, each delivered once, in complete scored groups.
 */
class MatchPlayerTest {
  private static final int EPISODES = 40;
  private static final int GROUP = 4;

  @Test
  void matchesPlayedElsewhereOrDeclinedGiveTheEpisodesOfALocalRunEachOnce() throws Exception {
    Registry registry = Registry.load();
    try (EpisodeRuntime here = EpisodeRuntime.start(RuntimeOptions.defaults(), registry);
        EpisodeRuntime away = EpisodeRuntime.start(RuntimeOptions.defaults(), registry)) {
      BoundEnvironment env = Plugins.environment(registry, "guess-number", null);
      try (Plugins.ConfiguredAgent oracle = Plugins.agent(registry, "oracle", null, env)) {
        RolloutOptions options = RolloutOptions.of(EPISODES, 8, 11).withGroupSize(GROUP);
        List<Integer> groupSizes = new ArrayList<>();
        Scorer scorer = group -> {
          synchronized (groupSizes) {
            groupSizes.add(group.size());
          }
          return CompletableFuture.completedFuture(group);
        };
        Rollout rollout = new Rollout("run", env, "oracle", oracle.agent(), options, scorer);
        Map<String, Episode> local = byId(run(here, rollout, null));
        groupSizes.clear();

        AtomicInteger playedAway = new AtomicInteger();
        AtomicInteger declined = new AtomicInteger();
        Rollout remote = new Rollout("run", env, "oracle", oracle.agent(), options, Scorer.none());
        MatchPlayer player = index -> {
          if (index % 2 == 1) {
            declined.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("declined"));
          }
          playedAway.incrementAndGet();
          return away.play(remote, index);
        };
        List<Episode> mixed = run(here, rollout, player);
        assertEquals(EPISODES, mixed.size(), "each episode delivered once");
        Map<String, Episode> clustered = byId(mixed);
        assertEquals(local.keySet(), clustered.keySet());
        for (String id : local.keySet()) {
          assertEquals(messages(local.get(id)), messages(clustered.get(id)), id + " played the same");
          assertEquals(local.get(id).totalReward(), clustered.get(id).totalReward(), id);
        }
        assertEquals(EPISODES / 2, playedAway.get());
        assertEquals(EPISODES / 2, declined.get());
        assertEquals(EPISODES / GROUP, groupSizes.size(), "every group scored once");
        assertTrue(groupSizes.stream().allMatch(g -> g == GROUP), "whole groups: " + groupSizes);
      }
    }
  }

  private static List<Episode> run(EpisodeRuntime runtime, Rollout rollout, MatchPlayer player) throws Exception {
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    EpisodeSink sink = e -> {
      got.add(e);
      return CompletableFuture.completedFuture(null);
    };
    RunSummary s = (player == null ? runtime.run(rollout, sink, EpisodeListener.none())
        : runtime.run(rollout, sink, EpisodeListener.none(), RunControl.create(), player))
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(EPISODES, s.episodes());
    return List.copyOf(got);
  }

  private static Map<String, Episode> byId(List<Episode> episodes) {
    return episodes.stream().collect(Collectors.toMap(Episode::id, e -> e, (a, b) -> {
      throw new AssertionError("episode " + a.id() + " twice");
    }, TreeMap::new));
  }

  private static List<String> messages(Episode e) {
    List<String> out = new ArrayList<>();
    for (Turn t : e.turns()) {
      out.add(String.valueOf(t.action()) + " -> " + t.observation());
    }
    return out;
  }
}
