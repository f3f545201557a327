package dev.ludus.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.api.Registry;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Task;
import dev.ludus.api.TaskSource;
import dev.ludus.api.Turn;
import dev.ludus.environments.social.DealSignals;
import dev.ludus.runner.store.EpisodeReader;
import dev.ludus.runner.store.EpisodeStore;
import dev.ludus.runner.testenv.CountdownProvider;
import dev.ludus.runner.testenv.DuelProvider;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime drives one agent per seat of a multi-agent environment and records one episode per seat with a shared
 * match id: self-play, a policy against a bot, per-seat groups, failures and time-outs per match, privilege.
 */
class MatchRuntimeTest {
  private static final Registry REGISTRY = Registry.load();
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    // 5 s, not 1: on a loaded 2-core machine every event loop was seen "blocked" for 1-2.3 s at the same instant
    // (the process starved of CPU, not a loop blocked by the code); a real block (a wait on the loop itself)
    // still shows, and EpisodeRuntimeTest checks that the checker fires
    runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(5_000));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private long blockedBefore;

  @BeforeEach
  void countBlockedWarnings() {
    blockedBefore = runtime.blockedThreadWarnings();
  }

  @AfterEach
  void noEventLoopWasBlocked() {
    assertEquals(0, runtime.blockedThreadWarnings() - blockedBefore, "the blocked-thread checker fired in this test");
  }

  private static BoundEnvironment deal() {
    EnvironmentProvider<?> p = REGISTRY.environments().get("deal-or-no-deal");
    return BoundEnvironment.ofUnchecked(p, p.defaultConfig());
  }

  private record Played(RunSummary summary, List<Episode> episodes) {}

  private static Played run(Rollout rollout, Scorer scorer) throws Exception {
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    RunSummary s = runtime.run(new Rollout(rollout.runId(), rollout.environment(), rollout.agentName(),
        rollout.agent(), rollout.options(), scorer, rollout.seatAgents()), e -> {
          got.add(e);
          return CompletableFuture.completedFuture(null);
        }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new Played(s, List.copyOf(got));
  }

  /** An agent that keeps every request it gets and answers with {@code inner}. */
  private static final class Recording implements PrivilegedAgent {
    final Agent inner;
    final ConcurrentLinkedQueue<AgentRequest> requests = new ConcurrentLinkedQueue<>();

    Recording(Agent inner) {
      this.inner = inner;
    }

    @Override
    public java.util.concurrent.CompletionStage<AgentResponse> act(AgentRequest request) {
      requests.add(request);
      return inner.act(request);
    }
  }

  /** Like {@link Recording}, but not privileged. */
  private static Agent recordingPlain(Agent inner, ConcurrentLinkedQueue<AgentRequest> into) {
    return r -> {
      into.add(r);
      return inner.act(r);
    };
  }

  /** An agent that answers with {@code inner} and keeps the ids of the episodes the runtime says ended. */
  private static final class Told implements PrivilegedAgent {
    final Agent inner;
    final ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> ended = new ConcurrentLinkedQueue<>();

    Told(Agent inner) {
      this.inner = inner;
    }

    @Override
    public java.util.concurrent.CompletionStage<AgentResponse> act(AgentRequest request) {
      asked.add(request.episodeId());
      return inner.act(request);
    }

    @Override
    public void episodeEnded(String episodeId) {
      ended.add(episodeId);
    }
  }

  /** Issue 19 (cached generation): a seat's agent may keep per-episode state, released when it hears the end. */
  @Test
  void eachSeatsAgentHearsOnceThatEachOfItsEpisodesEndedUnderTheIdItWasAskedWith() throws Exception {
    BoundEnvironment env = deal();
    Told alice = new Told(env.oracle().orElseThrow());
    Told bob = new Told(env.oracle().orElseThrow());
    Played p = run(new Rollout("told", env, "oracle", alice, RolloutOptions.of(12, 4, 3))
        .withSeatAgents(Map.of("bob", new Rollout.SeatAgent("oracle", bob))), Scorer.none());
    assertEquals(24, p.episodes().size());
    for (Told seat : List.of(alice, bob)) {
      String name = seat == alice ? "alice" : "bob";
      Set<String> episodes = p.episodes().stream().filter(e -> e.seat().equals(name)).map(Episode::id)
          .collect(Collectors.toSet());
      assertEquals(12, seat.ended.size(), name + " hears each of its episodes end once");
      assertEquals(episodes, Set.copyOf(seat.ended), name);
      assertTrue(episodes.containsAll(seat.asked), name + " was asked under its episodes' ids");
    }
  }

  private static Map<String, List<Episode>> byMatch(List<Episode> episodes) {
    return episodes.stream().collect(Collectors.groupingBy(Episode::match));
  }

  @Test
  void selfPlayRecordsOneEpisodePerSeatPerMatchWithASharedMatchIdNoneLostAndGroupsPerSeat(@TempDir Path dir)
      throws Exception {
    BoundEnvironment env = deal();
    Agent oracle = env.oracle().orElseThrow();
    List<List<Episode>> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
    Scorer recordGroups = group -> {
      groups.add(group);
      return CompletableFuture.completedFuture(group);
    };
    Rollout rollout = new Rollout("self", env, "oracle", oracle, RolloutOptions.of(60, 16, 5).withGroupSize(3));
    Played p;
    try (EpisodeStore store = EpisodeStore.open(dir.resolve("episodes.jsonl"))) {
      Rollout stored = new Rollout("self", env, "oracle", oracle, rollout.options(), recordGroups);
      ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
      RunSummary s = runtime.run(stored, e -> {
        got.add(e);
        return store.append(e);
      }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      p = new Played(s, List.copyOf(got));
    }
    assertEquals(120, p.summary().episodes(), "60 matches, two seats each");
    assertEquals(120, p.episodes().size());
    assertEquals(120, p.episodes().stream().map(Episode::id).distinct().count(), "no episode delivered twice");
    Map<String, List<Episode>> matches = byMatch(p.episodes());
    assertEquals(60, matches.size());
    for (Map.Entry<String, List<Episode>> m : matches.entrySet()) {
      assertEquals(Set.of("alice", "bob"), m.getValue().stream().map(Episode::seat).collect(Collectors.toSet()));
      for (Episode e : m.getValue()) {
        assertEquals(m.getKey() + "-" + e.seat(), e.id());
        assertEquals(EpisodeStatus.COMPLETED, e.status(), e.failure());
        assertTrue(e.success(), "two fair players always agree: " + e.id());
        assertEquals("oracle", e.agent());
        assertFalse(e.turns().isEmpty());
        Turn last = e.turns().get(e.turns().size() - 1);
        assertTrue(last.terminated());
        assertEquals(last.signals().get(DealSignals.SCORE).orElseThrow().doubleValue(), e.totalReward());
        for (int t = 0; t < e.turns().size(); t++) {
          assertEquals(t, e.turns().get(t).index());
        }
      }
      assertEquals(m.getValue().get(0).task(), m.getValue().get(1).task(), "both seats play the match's task");
    }
    assertEquals(40, groups.size(), "20 tasks, a group per seat");
    for (List<Episode> g : groups) {
      assertEquals(3, g.size());
      assertEquals(1, g.stream().map(Episode::seat).distinct().count(), "a group holds one seat's episodes");
      assertEquals(1, g.stream().map(e -> e.task().id()).distinct().count(), "a group holds one task");
      assertEquals(3, g.stream().map(Episode::match).distinct().count());
    }
    assertEquals(List.of("alice", "bob"), List.copyOf(p.summary().seats().keySet()));
    assertEquals(1.0, p.summary().seats().get("bob").successRate());
    assertEquals(60, p.summary().seats().get("alice").episodes());

    List<Episode> stored = EpisodeReader.readAll(dir.resolve("episodes.jsonl"), REGISTRY);
    assertEquals(120, stored.size());
    Map<String, Episode> byId = new HashMap<>();
    p.episodes().forEach(e -> byId.put(e.id(), e));
    for (Episode e : stored) {
      assertEquals(byId.get(e.id()), e, "the store keeps the match and the seat");
    }
  }

  @Test
  void aPolicyAgainstABotGetsOnlyItsOwnSeatsViewAndNoRequestCarriesTheOtherSeatsValues() throws Exception {
    BoundEnvironment env = deal();
    Recording alice = new Recording(env.oracle().orElseThrow());
    ConcurrentLinkedQueue<AgentRequest> bobAsked = new ConcurrentLinkedQueue<>();
    Agent bob = recordingPlain(env.bots().get("greedy"), bobAsked);
    Played p = run(new Rollout("duel", env, "oracle", alice, RolloutOptions.of(40, 8, 9))
        .withSeatAgents(Map.of("bob", new Rollout.SeatAgent("bot", bob))), Scorer.none());
    assertEquals(80, p.episodes().size());
    Map<String, String> values = new HashMap<>(); // episode id -> the seat's values
    for (Episode e : p.episodes()) {
      values.put(e.id(), e.startSignals().get(DealSignals.VALUES).orElseThrow());
      assertEquals(e.seat().equals("alice") ? "oracle" : "bot", e.agent());
    }
    assertFalse(alice.requests.isEmpty());
    int compared = 0;
    for (AgentRequest r : alice.requests) {
      assertEquals("alice", r.seat());
      String match = r.episodeId().substring(0, r.episodeId().length() - "-alice".length());
      String own = values.get(match + "-alice");
      String other = values.get(match + "-bob");
      assertEquals(Map.of("values", own), r.task().fields(), "a privileged seat sees its own private view only");
      if (!own.equals(other)) {
        compared++;
        String text = r.conversation().stream().map(Message::content).collect(Collectors.joining("\n"))
            + r.task().fields();
        assertFalse(text.contains(other), "alice's request carries bob's values " + other + ": " + text);
      }
    }
    assertTrue(compared > 40, "requests compared: " + compared);
    for (AgentRequest r : bobAsked) {
      assertEquals("bob", r.seat());
      assertEquals(Map.of(), r.task().fields(), "a bot is not privileged");
      String own = values.get(r.episodeId());
      String other = values.get(r.episodeId().replace("-bob", "-alice"));
      String text = r.conversation().stream().map(Message::content).collect(Collectors.joining("\n"));
      assertTrue(own.equals(other) || !text.contains(other), "bob's request carries alice's values: " + text);
    }
    Set<Long> seeds = new HashSet<>();
    alice.requests.forEach(r -> seeds.add(r.seed()));
    bobAsked.forEach(r -> assertFalse(seeds.contains(r.seed()), "each seat has a seed of its own"));
  }

  @Test
  void aSeatWhoseAgentFailsFailsItsMatchsEpisodesNamingTheSeatAndTheOtherMatchesGoOn() throws Exception {
    BoundEnvironment env = deal();
    Agent fair = env.bots().get("fair");
    Agent flaky = r -> r.episodeId().endsWith("-3-bob")
        ? CompletableFuture.completedFuture(AgentResponse.failure("boom"))
        : fair.act(r);
    Played p = run(new Rollout("flaky", env, "bot", fair, RolloutOptions.of(10, 4, 1))
        .withSeatAgents(Map.of("bob", new Rollout.SeatAgent("flaky", flaky))), Scorer.none());
    assertEquals(20, p.episodes().size(), "the failed match still gives one episode per seat");
    for (Episode e : p.episodes()) {
      if (e.match().equals("flaky-3")) {
        assertEquals(EpisodeStatus.FAILED, e.status());
        assertEquals("seat 'bob' (agent flaky): agent failed at turn 0: boom", e.failure());
      } else {
        assertEquals(EpisodeStatus.COMPLETED, e.status(), e.failure());
      }
    }
    assertEquals(2, p.summary().failed());
  }

  @Test
  void aSeatThatNeverAnswersTimesOutItsMatch() throws Exception {
    BoundEnvironment env = new DuelProvider().bind(new DuelProvider.Config(2, 0, 0));
    Agent silent = r -> new CompletableFuture<>();
    Played p = run(new Rollout("slow", env, "random", env.randomAgent(),
        RolloutOptions.of(2, 2, 1).withTimeouts(200, 10_000))
        .withSeatAgents(Map.of("right", new Rollout.SeatAgent("silent", silent))), Scorer.none());
    assertEquals(4, p.episodes().size());
    for (Episode e : p.episodes()) {
      assertEquals(EpisodeStatus.FAILED, e.status());
      assertEquals("seat 'right' (agent silent): agent did not answer within 200 ms at turn 0", e.failure());
    }
  }

  @Test
  void aMatchOverItsTimeLimitAndAFailingEnvironmentAreFailedMatches() throws Exception {
    BoundEnvironment slow = new DuelProvider().bind(new DuelProvider.Config(50, 30, 0));
    Played late = run(new Rollout("late", slow, "random", slow.randomAgent(),
        RolloutOptions.of(2, 2, 1).withTimeouts(5_000, 300)), Scorer.none());
    assertTrue(late.episodes().stream().allMatch(e -> e.status() == EpisodeStatus.FAILED
        && e.failure().startsWith("match exceeded its time limit of 300 ms at step ")), late.episodes().toString());
    BoundEnvironment broken = new DuelProvider().bind(new DuelProvider.Config(5, 0, 2));
    Played failed = run(new Rollout("broken", broken, "random", broken.randomAgent(), RolloutOptions.of(2, 2, 1)),
        Scorer.none());
    for (Episode e : failed.episodes()) {
      assertTrue(e.failure().startsWith("environment failed at step 1 (moves of [left, right]): IllegalStateException: "
          + "deliberate failure in round 2"), e.failure());
      assertEquals(1, e.turns().size(), "the turn before the failure is kept");
    }
  }

  @Test
  void simultaneousMovesOfAnAsynchronousEnvironmentAreAskedAtOnceAndRecordedSeatBySeat() throws Exception {
    BoundEnvironment env = new DuelProvider().bind(new DuelProvider.Config(3, 5, 0));
    ConcurrentLinkedQueue<AgentRequest> asked = new ConcurrentLinkedQueue<>();
    Agent echo = recordingPlain(r -> CompletableFuture.completedFuture(
        AgentResponse.reply(Message.assistant(r.seat() + " " + r.turn()))), asked);
    Played p = run(new Rollout("duel", env, "echo", echo, RolloutOptions.of(6, 3, 2).withGroupSize(2)), Scorer.none());
    assertEquals(12, p.episodes().size());
    for (Episode e : p.episodes()) {
      assertEquals(3, e.turns().size());
      assertEquals(3.0, e.totalReward());
      assertTrue(e.success());
      String other = e.seat().equals("left") ? "right" : "left";
      for (Turn t : e.turns()) {
        assertEquals(e.seat() + " " + t.index(), t.action().content());
        assertEquals(List.of(Message.user(other + " said " + other + " " + t.index())), t.observation());
        assertEquals(t.index() + 1, t.signals().get(DuelProvider.ROUND).orElseThrow());
      }
      assertEquals(DuelProvider.word(e.task(), e.seat()), e.startSignals().get(DuelProvider.WORD).orElseThrow());
    }
    assertEquals(36, asked.size(), "each seat asked once per round");
    for (AgentRequest r : asked) {
      assertEquals(1 + 2 * r.turn(), r.conversation().size(), "the seat's own side only: " + r.conversation());
      assertEquals(Map.of(), r.task().fields());
    }
  }

  @Test
  void aNonPrivilegedAgentNeverGetsTheTasksFieldsAndAPrivilegedOneGetsTheWholeTask() throws Exception {
    CountdownProvider countdown = new CountdownProvider();
    EnvironmentProvider<CountdownProvider.Config> withGold = new EnvironmentProvider<>() {
      public String name() {
        return "gold-countdown";
      }

      public String description() {
        return "test-countdown whose tasks hold a gold answer";
      }

      public Class<CountdownProvider.Config> configType() {
        return CountdownProvider.Config.class;
      }

      public CountdownProvider.Config defaultConfig() {
        return countdown.defaultConfig();
      }

      public AnyEnvironment create(CountdownProvider.Config c) {
        return countdown.create(c);
      }

      public TaskSource tasks(CountdownProvider.Config c) {
        return (i, seed) -> new Task("gold/" + i, i, Map.of("answer", "42"));
      }

      public Set<SignalKey<?>> signals() {
        return countdown.signals();
      }

      public Agent randomAgent(CountdownProvider.Config c) {
        return countdown.randomAgent(c);
      }
    };
    BoundEnvironment env = withGold.bind(new CountdownProvider.Config(2, 0, 0, false, 0));
    Agent tick = r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("tick")));
    ConcurrentLinkedQueue<AgentRequest> plain = new ConcurrentLinkedQueue<>();
    Played a = run(new Rollout("plain", env, "policy", recordingPlain(tick, plain), RolloutOptions.of(4, 4, 0)),
        Scorer.none());
    assertEquals(8, plain.size());
    for (AgentRequest r : plain) {
      assertEquals(Map.of(), r.task().fields(), "a learning policy never gets the gold answer");
      assertTrue(r.task().id().startsWith("gold/"));
      assertEquals(null, r.seat());
    }
    assertTrue(a.episodes().stream().allMatch(e -> e.task().fields().equals(Map.of("answer", "42"))),
        "the episode file keeps the whole task for shapers");
    Recording oracle = new Recording(tick);
    run(new Rollout("oracle", env, "oracle", oracle, RolloutOptions.of(4, 4, 0)), Scorer.none());
    assertTrue(oracle.requests.stream().allMatch(r -> r.task().fields().equals(Map.of("answer", "42"))));
  }

  @Test
  void seatAgentsNameSeatsTheEnvironmentHas() {
    BoundEnvironment env = deal();
    Agent fair = env.bots().get("fair");
    ConfigException unknown = assertThrows(ConfigException.class, () -> new Rollout("x", env, "bot", fair,
        RolloutOptions.of(1, 1, 0)).withSeatAgents(Map.of("carol", new Rollout.SeatAgent("bot", fair))));
    assertEquals("environment 'deal-or-no-deal' has no seat 'carol'; its seats: alice, bob", unknown.getMessage());
    BoundEnvironment single = new CountdownProvider().bind(new CountdownProvider.Config(2, 0, 0, false, 0));
    ConfigException none = assertThrows(ConfigException.class, () -> new Rollout("x", single, "bot", fair,
        RolloutOptions.of(1, 1, 0)).withSeatAgents(Map.of("alice", new Rollout.SeatAgent("bot", fair))));
    assertTrue(none.getMessage().startsWith("environment 'test-countdown' has no seats"), none.getMessage());
  }
}
