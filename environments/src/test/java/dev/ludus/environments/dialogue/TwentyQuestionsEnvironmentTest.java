package dev.ludus.environments.dialogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.Reset;
import dev.ludus.api.Role;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.simulators.questions.Catalogue;
import dev.ludus.simulators.questions.Item;
import dev.ludus.simulators.questions.TwentyQuestionsSignals;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TwentyQuestionsEnvironmentTest {
  private static final TwentyQuestionsProvider PROVIDER = new TwentyQuestionsProvider();
  private static final BoundEnvironment DEFAULT = PROVIDER.bind(TwentyQuestionsConfig.defaults());

  private static Task taskFor(String target) {
    return new Task("twenty-questions/" + target, 0, Map.of("target", target));
  }

  private static Played script(TwentyQuestionsConfig config, String target, String... actions) {
    return EnvTestKit.replay(PROVIDER.bind(config), taskFor(target), 1,
        java.util.Arrays.stream(actions).map(Message::assistant).collect(Collectors.toList()));
  }

  @Test
  void envChecker_passesWithTheDefaults() {
    EnvChecker.Report report = EnvChecker.check(DEFAULT).assertPassed();
    assertTrue(report.toString().matches("(?s).*declared, [1-9][0-9]* secret values checked.*"), report.toString());
  }

  @Test
  void envChecker_passesWithASmallPoolAndWrongGuessesEndingTheEpisode() {
    TwentyQuestionsConfig config = TwentyQuestionsConfig.defaults().withPool(List.of("fruit", "vehicle"), 6)
        .withWrongGuessEndsEpisode(true);
    EnvChecker.check(PROVIDER.bind(config)).assertPassed();
  }

  @Test
  void oracle_solvesEveryTargetWithinMaxTurns() {
    Agent oracle = DEFAULT.oracle().orElseThrow();
    int longest = 0;
    for (Item target : Catalogue.items()) {
      Played p = EnvTestKit.play(DEFAULT, oracle, taskFor(target.name()), 3, 20);
      assertTrue(p.succeeded(), target.name() + " not solved: " + p.actions());
      assertEquals(1.0, p.totalReward());
      assertFalse(p.anyInvalid(), target.name() + ": the oracle's own questions were not understood");
      longest = Math.max(longest, p.steps().size());
    }
    assertTrue(longest <= 8, "the oracle needed " + longest + " turns for some target; log2(71) is about 6.2");
  }

  @Test
  void oracle_solvesGeneratedTasksOnRestrictedPools() {
    for (TwentyQuestionsConfig config : List.of(
        TwentyQuestionsConfig.defaults().withPool(List.of("animal"), 71),
        TwentyQuestionsConfig.defaults().withPool(List.of(), 12).withMaxTurns(6),
        TwentyQuestionsConfig.defaults().withPool(List.of("tool", "instrument", "appliance"), 71)
            .withWrongGuessEndsEpisode(true))) {
      BoundEnvironment env = PROVIDER.bind(config);
      Agent oracle = env.oracle().orElseThrow();
      for (long i = 0; i < 60; i++) {
        Task task = env.tasks().task(i, 42);
        Played p = EnvTestKit.play(env, oracle, task, i, config.maxTurns());
        assertTrue(p.succeeded(), config + " task " + task.id() + ": " + p.actions());
      }
    }
  }

  @Test
  void oracle_isStatelessAndSafeToShareAcrossConcurrentEpisodes() {
    Agent oracle = DEFAULT.oracle().orElseThrow();
    List<Item> items = Catalogue.items();
    long solved = items.parallelStream()
        .filter(it -> EnvTestKit.play(DEFAULT, oracle, taskFor(it.name()), 5, 20).succeeded())
        .count();
    assertEquals(items.size(), solved);
  }

  @Test
  void sameTaskSeedAndActions_giveTheSameTrace() {
    Agent random = DEFAULT.randomAgent();
    for (long i = 0; i < 10; i++) {
      Task task = DEFAULT.tasks().task(i, 7);
      Played a = EnvTestKit.play(DEFAULT, random, task, i, 30);
      Played b = EnvTestKit.play(DEFAULT, random, task, i, 30);
      assertEquals(a.reset(), b.reset());
      assertEquals(a.actions(), b.actions());
      assertEquals(a.steps(), b.steps());
      assertTrue(a.ended());
    }
  }

  @Test
  void reset_showsTheRulesAndTheOpeningButNotTheTarget() {
    try (AsyncEnvironment env = (AsyncEnvironment) DEFAULT.create()) {
      Reset r = env.reset(taskFor("zebra"), 0).toCompletableFuture().join();
      assertEquals(List.of(Role.SYSTEM, Role.USER), r.observation().stream().map(Message::role).collect(Collectors.toList()));
      assertTrue(r.observation().get(0).content().contains("You have 20 turns"));
      assertTrue(r.observation().get(0).content().contains("Is it bigger than a breadbox?"));
      assertEquals("zebra", r.signals().get(TwentyQuestionsSignals.TARGET).orElseThrow());
      assertEquals(71, r.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
    }
  }

  @Test
  void systemPrompt_namesNoItemWhateverThePool() {
    List<TwentyQuestionsConfig> configs = new java.util.ArrayList<>(List.of(TwentyQuestionsConfig.defaults(),
        TwentyQuestionsConfig.defaults().withWrongGuessEndsEpisode(true).withMaxTurns(7)));
    for (Item.Category c : Item.Category.values()) {
      configs.add(TwentyQuestionsConfig.defaults().withPool(List.of(c.word()), 3));
    }
    for (TwentyQuestionsConfig config : configs) {
      String prompt = TwentyQuestionsEnvironment.systemPrompt(config).toLowerCase(Locale.ROOT);
      for (Item it : Catalogue.items()) {
        assertFalse(prompt.contains(it.name()), "the prompt for " + config + " contains '" + it.name() + "'");
      }
    }
  }

  @Test
  void rightGuess_terminatesWithRewardOneAndSuccess() {
    Played p = script(TwentyQuestionsConfig.defaults(), "zebra", "Is it an animal?", "<answer>zebra</answer>");
    StepResult first = p.steps().get(0);
    assertEquals("Yes.", first.observation().get(0).content());
    assertFalse(first.done());
    assertFalse(first.signals().has(StandardSignals.SUCCESS));
    StepResult last = p.last();
    assertTrue(last.terminated());
    assertFalse(last.truncated());
    assertEquals(1.0, last.reward());
    assertEquals(true, last.signals().get(StandardSignals.SUCCESS).orElseThrow());
    assertEquals(0.0, last.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow());
  }

  @Test
  void wrongGuess_costsATurnByDefault() {
    Played p = script(TwentyQuestionsConfig.defaults(), "zebra", "Is it a horse?", "Is it a zebra?");
    assertEquals("No, that's not it.", p.steps().get(0).observation().get(0).content());
    assertFalse(p.steps().get(0).done());
    assertEquals(0.0, p.steps().get(0).reward());
    assertTrue(p.succeeded());
  }

  @Test
  void wrongGuess_endsTheEpisodeWhenConfigured() {
    Played p = script(TwentyQuestionsConfig.defaults().withWrongGuessEndsEpisode(true), "zebra",
        "Is it a horse?", "Is it a zebra?");
    assertEquals(1, p.steps().size());
    assertTrue(p.last().terminated());
    assertEquals(false, p.last().signals().get(StandardSignals.SUCCESS).orElseThrow());
    assertEquals(0.0, p.last().reward());
    assertTrue(p.last().observation().get(1).content().contains("zebra"));
  }

  @Test
  void unreadableMessage_isAnsweredAndFlaggedAndTheEpisodeGoesOn() {
    Played p = script(TwentyQuestionsConfig.defaults(), "zebra", "Tell me a story", "Is it red or blue?");
    for (StepResult r : p.steps()) {
      assertFalse(r.done());
      assertTrue(r.observation().get(0).content().startsWith("I don't understand."));
      assertTrue(r.signals().has(StandardSignals.INVALID_ACTION));
      assertEquals(71, r.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
    }
    assertEquals("Ask about one thing at a time, without \"or\".",
        p.last().signals().get(StandardSignals.INVALID_ACTION).orElseThrow());
  }

  @Test
  void maxTurns_truncatesWithoutSuccessAndRevealsTheTarget() {
    Played p = script(TwentyQuestionsConfig.defaults().withMaxTurns(3), "zebra",
        "Is it an animal?", "Is it large?", "Is it a horse?", "Is it a zebra?");
    assertEquals(3, p.steps().size());
    assertFalse(p.steps().get(1).done());
    StepResult last = p.last();
    assertTrue(last.truncated());
    assertFalse(last.terminated());
    assertEquals(false, last.signals().get(StandardSignals.SUCCESS).orElseThrow());
    assertEquals(0.0, p.totalReward());
    assertEquals("That was your last turn. I was thinking of the zebra.", last.observation().get(1).content());
  }

  @Test
  void stepBeforeResetAndAfterTheEnd_areRefused() throws Exception {
    AsyncEnvironment env = (AsyncEnvironment) DEFAULT.create();
    ExecutionException before = assertThrows(ExecutionException.class,
        () -> env.step(Message.assistant("Is it red?")).toCompletableFuture().get());
    assertInstanceOf(IllegalStateException.class, before.getCause());
    env.reset(taskFor("cat"), 0).toCompletableFuture().get();
    assertTrue(env.step(Message.assistant("Is it the cat?")).toCompletableFuture().get().done());
    ExecutionException after = assertThrows(ExecutionException.class,
        () -> env.step(Message.assistant("Is it red?")).toCompletableFuture().get());
    assertInstanceOf(IllegalStateException.class, after.getCause());
    env.reset(taskFor("cat"), 0).toCompletableFuture().get();
    assertFalse(env.step(Message.assistant("Is it red?")).toCompletableFuture().get().done(), "reset starts over");
    env.close();
    env.close();
    ExecutionException closed = assertThrows(ExecutionException.class,
        () -> env.step(Message.assistant("Is it red?")).toCompletableFuture().get());
    assertInstanceOf(IllegalStateException.class, closed.getCause());
  }


  @Test
  void everyPublishedSignal_isDeclared() {
    Set<String> declared = PROVIDER.signals().stream().map(SignalKey::name).collect(Collectors.toSet());
    Set<String> seen = new HashSet<>();
    Agent random = DEFAULT.randomAgent();
    for (long i = 0; i < 20; i++) {
      Played p = EnvTestKit.play(DEFAULT, random, DEFAULT.tasks().task(i, 3), i, 30);
      seen.addAll(p.reset().signals().names());
      p.steps().forEach(s -> seen.addAll(s.signals().names()));
    }
    seen.addAll(script(TwentyQuestionsConfig.defaults(), "cat", "hmm").last().signals().names());
    assertTrue(declared.containsAll(seen), "undeclared: " + seen + " vs " + declared);
    assertTrue(PROVIDER.signals().contains(TwentyQuestionsSignals.TARGET));
    assertTrue(TwentyQuestionsSignals.TARGET.secret());
  }

  @Test
  void provider_isRegisteredAsTwentyQuestions() {
    assertInstanceOf(TwentyQuestionsProvider.class, Registry.load().environments().get("twenty-questions"));
    assertEquals(TwentyQuestionsConfig.defaults(), PROVIDER.defaultConfig());
  }

  @Test
  void config_rejectsBadValuesNamingFieldValueAndAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TwentyQuestionsConfig.defaults().withMaxTurns(0));
    assertEquals("maxTurns must be between 1 and 1000, was 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TwentyQuestionsConfig.defaults().withPool(List.of("planet"), 10));
    assertTrue(e.getMessage().startsWith("categories: unknown category 'planet'; allowed: animal, fruit"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TwentyQuestionsConfig.defaults().withPool(List.of(), 500));
    assertEquals("candidates must be between 2 and 71 (the catalogue's size), was 500", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new TwentyQuestionsConfig(20, List.of(), 71, false, -1));
    assertTrue(e.getMessage().contains("candidateListLimit"), e.getMessage());
  }
}
