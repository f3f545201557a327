package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.learn.LearnerCheckpoint;
import dev.ludus.runner.store.EpisodeReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  /**
   * The word-level vocabulary of the game's words (the embedded default's before the recipe's BPE): the loop's tests
   * keep the small, fixed tokenizer they were written for.
   */
  static final String WORDS = "['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', higher, lower, correct, "
      + "my, number, is, greater, smaller, than, guess, guesses, left, first, between, and, answer, '<', '>', '/', "
      + "'.', ':', '!', found, it, in]";

  private static final String TINY = """
      envConfig: {low: 1, high: 4, maxTurns: 2}
      model: {layers: 1, width: 32, heads: 2, context: 112, maxNewTokens: 3, vocabulary: %s}
      iterations: 2
      tasksPerIteration: 4
      groupSize: 4
      epochs: 1
      miniBatches: 2
      warmStartEpisodes: 4
      warmStartSteps: 2
      evalEpisodes: 8
      checkpointEvery: 1
      concurrency: 64
      seed: 3
      """.formatted(WORDS);

  @TempDir Path tmp;

  @Test
  void theLoopRunsEndToEndAndWritesTheRunDirectory() throws Exception {
    StringWriter text = new StringWriter();
    Path run = tmp.resolve("run");
    List<dev.ludus.api.Episode> told = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Trainer.Result result = new Trainer(Registry.load(), TrainConfig.read(TINY), "cpu", new PrintWriter(text),
        told::add).run(run);
    assertEquals(4, result.updates(), text.toString());
    assertEquals(32, told.size(), "the listener hears every training episode, not the warm start's or evaluations'");
    assertTrue(told.stream().allMatch(e -> e.id().contains("-it") && !e.ledger().isEmpty()),
        "the listener hears training episodes once they are scored");
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(4, metrics.size(), "one line per update: 2 iterations x 2 mini-batches");
    for (String line : metrics) {
      JsonNode m = Json.JSON.readTree(line);
      for (String field : List.of("iteration", "policyVersion", "success", "return", "components", "loss",
          "policyLoss", "kl", "entropy", "clipFraction", "gradNorm", "samples", "tokens", "staleness",
          "rolloutWaitSeconds", "scoringSeconds", "updateSeconds")) {
        assertTrue(m.has(field), "metrics line lacks '" + field + "': " + line);
      }
      assertEquals(16, m.get("episodes").asInt());
      assertTrue(m.get("components").has("outcome"), line);
      assertTrue(m.get("components").has("info-gain"), line);
      assertEquals(0, m.get("staleness").get("max").asInt(), line);
      assertEquals(0, m.get("staleness").get("dropped").asInt(), line);
      assertTrue(m.get("entropy").asDouble() > 0, line);
      assertTrue(m.get("applied").asBoolean(), line);
    }
    assertEquals(Json.JSON.readTree(metrics.get(0)).get("policyVersion").asLong() + 1,
        Json.JSON.readTree(metrics.get(1)).get("policyVersion").asLong());
    assertEquals(32, Files.readAllLines(run.resolve("episodes.jsonl")).size());
    JsonNode config = Json.YAML.readTree(run.resolve("config.yaml").toFile());
    assertEquals("igpo", config.get("estimator").asText());
    assertEquals(4, config.get("envConfig").get("high").asInt());
    assertEquals(32, config.get("model").get("width").asInt());
    assertTrue(config.get("learner").has("clipEpsilon"), config.toString());
    assertEquals(3, Files.readAllLines(run.resolve("evaluations.jsonl")).size());
    String report = Files.readString(run.resolve("report.html"));
    assertTrue(report.contains("<title>component: outcome</title>") && report.contains("<polyline"),
        "the run's report.html has its learning curves");
    Path last = Trainer.latestCheckpoint(run).orElseThrow();
    assertTrue(LearnerCheckpoint.exists(last));
    assertEquals("step-000006", last.getFileName().toString(), "2 imitation steps then 4 updates");
    assertTrue(Files.isDirectory(run.resolve("checkpoints/step-000004")), "the checkpoint after iteration 1");
    assertTrue(text.toString().contains("held-out success: before"), text.toString());
  }

  /**
   * Reinforcement learning alone (no warm start) on guess-number over 1 to 3 with two guesses: the untrained
   * policy's greedy replies are not even numbers, so it wins nothing on the held-out seeds; a few dozen GRPO
   * updates on the outcome must lift that. A learner that does not learn (or learns the wrong sign) fails.
   */
  @Test
  void reinforcementLearningImprovesTheHeldOutSuccessOnAnEasyGame() throws Exception {
    String easy = """
        envConfig: {low: 1, high: 3, maxTurns: 2}
        model: {layers: 1, width: 32, heads: 2, context: 112, maxNewTokens: 3, vocabulary: %s}
        estimator: grpo
        shaping: {shapers: [{name: outcome}]}
        learner: {learningRate: 3e-3}
        iterations: 20
        tasksPerIteration: 8
        groupSize: 8
        epochs: 1
        miniBatches: 2
        warmStartEpisodes: 0
        evalEpisodes: 48
        checkpointEvery: 0
        seed: 5
        """.formatted(WORDS);
    StringWriter text = new StringWriter();
    Trainer.Result r = new Trainer(Registry.load(), TrainConfig.read(easy), "cpu", new PrintWriter(text))
        .run(tmp.resolve("easy"));
    assertEquals(r.successBefore(), r.successAfterWarmStart(), "no warm start");
    assertTrue(r.successAfter() >= r.successBefore() + 0.15,
        "held-out success went from " + r.successBefore() + " to " + r.successAfter() + "\n" + text);
  }

  /**
   * The run's wall time, split: rollouts, the scoring inside them, updates, evaluations and the warm start are
   * each measured (above 0), the sequential parts fit in the total, and the scoring recorded per iteration in
   * metrics.jsonl adds up to the run's.
   */
  @Test
  void timingsSplitTheWallTimeIntoPositivePartsThatFitInTheTotal() throws Exception {
    Path run = tmp.resolve("timed");
    TrainConfig c = TrainConfig.read(TINY.replace("iterations: 2", "iterations: 1"));
    Trainer.Result r = new Trainer(Registry.load(), c, "cpu", new PrintWriter(new StringWriter())).run(run);
    Trainer.Timings t = r.timings();
    assertEquals(r.seconds(), t.total());
    for (double part : new double[] {t.rollout(), t.scoring(), t.update(), t.evaluation(), t.warmStart()}) {
      assertTrue(part > 0, t.toString());
    }
    assertTrue(t.scoring() <= t.rollout(), "scoring happens inside the rollouts: " + t);
    assertTrue(t.rollout() + t.update() + t.evaluation() + t.warmStart() <= t.total(), t.toString());
    assertEquals(t.total(), t.rolloutWithoutScoring() + t.scoring() + t.update() + t.evaluation() + t.warmStart()
        + t.other(), 1e-9);
    double scoring = 0;
    int lastIteration = -1;
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode m = Json.JSON.readTree(line);
      assertTrue(m.get("scoringSeconds").asDouble() > 0, line);
      assertTrue(m.get("scoringSeconds").asDouble() <= m.get("rolloutWaitSeconds").asDouble(), line);
      if (m.get("iteration").asInt() != lastIteration) {
        lastIteration = m.get("iteration").asInt();
        scoring += m.get("scoringSeconds").asDouble();
      }
    }
    assertEquals(t.scoring(), scoring, 1e-6);
  }

  /**
   * Issue 16, finding 3: killed after iteration 3 with the last checkpoint at iteration 2, a resume replayed iteration
   * 3 and appended it again: metrics lines with the same step twice, and its episodes twice (renamed -resumed-).
   */
  @Test
  void trainResumeLeavesNoDuplicateMetricsStepsOrEpisodes_issue16() throws Exception {
    Path run = tmp.resolve("killed");
    TrainConfig three = TrainConfig.read(TINY.replace("iterations: 2", "iterations: 3")
        .replace("checkpointEvery: 1", "checkpointEvery: 2\ncheckpointEveryMinutes: 0"));
    new Trainer(Registry.load(), three, "cpu", new PrintWriter(new StringWriter())).run(run);
    Set<String> ids = new HashSet<>();
    EpisodeReader.readAll(run.resolve("episodes.jsonl")).forEach(e -> ids.add(e.id()));
    assertEquals(48, ids.size());
    // as a kill after iteration 3 leaves it: no final checkpoint, and torn last lines
    Path last = Trainer.latestCheckpoint(run).orElseThrow();
    assertEquals("step-000008", last.getFileName().toString());
    try (Stream<Path> files = Files.walk(last)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.delete(last.resolveSibling(last.getFileName() + ".json"));
    assertEquals(2, Trainer.resumeIteration(run));
    Files.writeString(run.resolve("metrics.jsonl"), "{\"iteration\": 3, \"st", StandardOpenOption.APPEND);
    Files.writeString(run.resolve("episodes.jsonl"), "{\"schema\": 2, \"id\": \"x", StandardOpenOption.APPEND);

    StringWriter text = new StringWriter();
    new Trainer(Registry.load(), TrainConfig.read(run.resolve("config.yaml").toString()), "cpu",
        new PrintWriter(text)).resume(run);

    List<Integer> steps = new ArrayList<>();
    List<Integer> iterations = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode m = Json.JSON.readTree(line);
      steps.add(m.get("step").asInt());
      iterations.add(m.get("iteration").asInt());
    }
    assertEquals(List.of(0, 0, 1, 1, 2, 2), iterations, text.toString());
    assertEquals(6, new HashSet<>(steps).size(), "one line per update: " + steps);
    List<String> after = EpisodeReader.readAll(run.resolve("episodes.jsonl")).stream().map(e -> e.id()).toList();
    assertEquals(48, after.size(), "the episodes of iterations 1 to 3, once each");
    assertEquals(ids, new HashSet<>(after), "the same episodes (ids, tasks and seeds) as the uninterrupted run");
  }

  /** Issue 16, finding 3: killed before the first count-based checkpoint, a run lost all of its work. */
  @Test
  void aTimeBasedCheckpointKeepsTheWorkBeforeTheFirstCountBasedOne_issue16() throws Exception {
    Path run = tmp.resolve("timed");
    TrainConfig timed = TrainConfig.read(TINY.replace("checkpointEvery: 1",
        "checkpointEvery: 100\ncheckpointEveryMinutes: 0.000001"));
    new Trainer(Registry.load(), timed, "cpu", new PrintWriter(new StringWriter())).run(run);
    Path checkpoints = run.resolve("checkpoints");
    assertEquals(0, Json.JSON.readTree(checkpoints.resolve("step-000002.json").toFile()).get("nextIteration").asInt(),
        "after the warm start");
    assertEquals(1, Json.JSON.readTree(checkpoints.resolve("step-000004.json").toFile()).get("nextIteration").asInt(),
        "after iteration 1, long before the count-based one");
    assertEquals(TrainConfig.DEFAULT_CHECKPOINT_MINUTES, TrainConfig.read(TINY).checkpointEveryMinutes(),
        "time-based checkpoints are on by default");
  }

  @Test
  void resumeContinuesFromTheNewestCheckpointWithTheRunsOwnConfig() throws Exception {
    Path run = tmp.resolve("resumable");
    StringWriter text = new StringWriter();
    TrainConfig one = TrainConfig.read(TINY.replace("iterations: 2", "iterations: 1"));
    new Trainer(Registry.load(), one, "cpu", new PrintWriter(text)).run(run);
    assertEquals("step-000004", Trainer.latestCheckpoint(run).orElseThrow().getFileName().toString());
    TrainConfig saved = TrainConfig.read(run.resolve("config.yaml").toString());
    assertEquals(1, saved.iterations());
    assertEquals(1, Trainer.resumeIteration(run), "a resume starts after the checkpointed iteration");
    assertEquals(0, Trainer.resumeIteration(tmp.resolve("nothing-here")));
    String savedYaml = Files.readString(run.resolve("config.yaml"));
    assertTrue(savedYaml.contains("\niterations: 1\n"), savedYaml);
    TrainConfig longer = TrainConfig.read(savedYaml.replace("\niterations: 1\n", "\niterations: 3\n"));
    Trainer.Result more = new Trainer(Registry.load(), longer, "cpu", new PrintWriter(text)).resume(run);
    assertEquals(4, more.updates(), "iterations 2 and 3 only: " + text);
    assertEquals("step-000008", Trainer.latestCheckpoint(run).orElseThrow().getFileName().toString());
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(6, metrics.size());
    assertEquals(2, Json.JSON.readTree(metrics.get(5)).get("iteration").asInt());
    assertEquals(8, Json.JSON.readTree(metrics.get(5)).get("step").asInt());
    assertEquals(48, Files.readAllLines(run.resolve("episodes.jsonl")).size());
  }

  /**
   * PPO with GAE: the policy gets a value head, every update also trains it (the metrics carry the value
   * loss), and a resumed run continues with the checkpoint's critic.
   */
  @Test
  void ppoGaeTrainsACriticBesideThePolicyAndResumesWithIt() throws Exception {
    Path run = tmp.resolve("ppo-gae");
    StringWriter text = new StringWriter();
    String yaml = TINY.replace("iterations: 2", "iterations: 1") + "estimator: ppo-gae\n";
    Trainer.Result first = new Trainer(Registry.load(), TrainConfig.read(yaml), "cpu", new PrintWriter(text)).run(run);
    assertEquals(2, first.updates(), text.toString());
    JsonNode config = Json.YAML.readTree(run.resolve("config.yaml").toFile());
    assertEquals("ppo-gae", config.get("estimator").asText());
    assertTrue(config.get("model").get("valueHead").asBoolean(), config.toString());
    try (LanguageModel saved = LearnerCheckpoint.loadPolicy(Trainer.latestCheckpoint(run).orElseThrow(), "cpu")) {
      assertTrue(saved.hasValueHead(), "the checkpoint holds the critic");
    }
    TrainConfig longer = TrainConfig.read(Files.readString(run.resolve("config.yaml"))
        .replace("\niterations: 1\n", "\niterations: 2\n"));
    Trainer.Result more = new Trainer(Registry.load(), longer, "cpu", new PrintWriter(text)).resume(run);
    assertEquals(2, more.updates(), text.toString());
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(4, metrics.size());
    for (String line : metrics) {
      JsonNode m = Json.JSON.readTree(line);
      for (String field : List.of("valueLoss", "valueMean", "valueExplainedVariance", "valueClipFraction")) {
        assertTrue(m.has(field) && Double.isFinite(m.get(field).asDouble()), "no finite '" + field + "': " + line);
      }
      assertTrue(m.get("valueLoss").asDouble() > 0, line);
      assertTrue(m.get("applied").asBoolean(), line);
      assertEquals(0, m.get("zeroAdvantageTurns").asInt(), "every turn trains the critic: " + line);
    }
    assertTrue(Files.readString(run.resolve("report.html")).contains("<title>value loss</title>"));
  }

  /**
   * Issue 19: the KL term could not be used (the trainer passed no reference, so klCoefficient above 0 failed).
   * The trainer now anchors RL to a frozen copy of the warm-started policy: the KL is 0 at the first update and
   * above 0 later, the reference is saved in every checkpoint, and a resumed run measures against the same one.
   */
  @Test
  void aKlCoefficientAnchorsRlToAFrozenCopyOfTheWarmStartedPolicy_issue19() throws Exception {
    Path run = tmp.resolve("kl");
    // no model selection: it may put the warm start's weights (the reference) back at the end of the first run
    String yaml = TINY + "learner: {klCoefficient: 0.1, learningRate: 3e-3}\nvalidateEvery: 0\n";
    new Trainer(Registry.load(), TrainConfig.read(yaml), "cpu", new PrintWriter(new StringWriter())).run(run);
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    double first = Json.JSON.readTree(metrics.get(0)).get("kl").asDouble();
    double last = Json.JSON.readTree(metrics.get(metrics.size() - 1)).get("kl").asDouble();
    assertEquals(0.0, first, 1e-6, "the first update starts from the reference itself");
    assertTrue(last > 1e-6, "later updates have moved away from it: " + metrics);
    Path checkpoint = Trainer.latestCheckpoint(run).orElseThrow();
    assertTrue(Files.isDirectory(checkpoint.resolve(LearnerCheckpoint.REFERENCE)), "the reference is checkpointed");
    try (LanguageModel reference = LanguageModel.load(checkpoint.resolve(LearnerCheckpoint.REFERENCE), "cpu")) {
      assertEquals(2, reference.version(), "the reference is the policy after the 2 imitation steps");
    }
    TrainConfig longer = TrainConfig.read(Files.readString(run.resolve("config.yaml"))
        .replace("\niterations: 2\n", "\niterations: 3\n"));
    new Trainer(Registry.load(), longer, "cpu", new PrintWriter(new StringWriter())).resume(run);
    List<String> resumed = Files.readAllLines(run.resolve("metrics.jsonl"));
    double afterResume = Json.JSON.readTree(resumed.get(metrics.size())).get("kl").asDouble();
    assertTrue(afterResume > 1e-6, "the resumed run measures against the saved reference, not a new copy");
  }

  /**
   * Issue 19: the warm start stopped after a fixed number of steps, leaving the sampled policy near uniform. It
   * now runs until the demonstrations are fitted (token accuracy reached) and says what it reached.
   */
  @Test
  void theWarmStartRunsUntilTheDemonstrationsAreFitted_issue19() throws Exception {
    Path run = tmp.resolve("fitted");
    String yaml = TINY.replace("iterations: 2", "iterations: 1").replace("warmStartSteps: 2", "warmStartSteps: 400")
        + "warmStartAccuracy: 0.95\nlearner: {imitationLearningRate: 3e-3}\n";
    StringWriter text = new StringWriter();
    Trainer.Result r = new Trainer(Registry.load(), TrainConfig.read(yaml), "cpu", new PrintWriter(text)).run(run);
    Trainer.WarmStart w = r.warmStart();
    assertTrue(w.tokenAccuracy() >= 0.95, "stopped once fitted: " + w + "\n" + text);
    assertTrue(w.steps() > 2 && w.steps() < 400, "ran until fitted, not to the limit: " + w);
    assertTrue(text.toString().contains("fitted: token accuracy"), text.toString());
    JsonNode evaluation = Json.JSON.readTree(Files.readAllLines(run.resolve("evaluations.jsonl")).get(1));
    assertEquals("after-warm-start", evaluation.get("evaluation").asText());
    assertEquals(w.steps(), evaluation.get("warmStart").get("steps").asInt(), "evaluations.jsonl records it");
  }

  /**
   * Issue 19: 32 oracle episodes fitted by heart reached 0.43 of the Mastermind plugin's held-out games, 128 reached
   * 0.91. Up to {@code warmStartMaxEpisodes}, the warm start adds fresh oracle episodes (as many again each round)
   * while the fitted policy mispredicts them, and stops adding once it predicts them.
   */
  @Test
  void theWarmStartAddsFreshOracleEpisodesWhileTheFittedPolicyMispredictsThem_issue19() throws Exception {
    String one = TINY.replace("iterations: 2", "iterations: 1");
    // three imitation steps a round cannot predict anything new: 2 -> 4 -> 8 episodes
    StringWriter text = new StringWriter();
    Trainer.Result grown = new Trainer(Registry.load(), TrainConfig.read(one.replace("warmStartEpisodes: 4",
        "warmStartEpisodes: 2").replace("warmStartSteps: 2", "warmStartSteps: 3") + "warmStartMaxEpisodes: 8\n"),
        "cpu", new PrintWriter(text)).run(tmp.resolve("grown"));
    assertTrue(text.toString().contains("demonstrations from 8 oracle episodes"), text.toString());
    assertTrue(text.toString().contains("2 fresh oracle episodes") && text.toString().contains(
        "4 fresh oracle episodes"), text.toString());
    int perEpisode = 2; // at most two guesses a game
    assertTrue(grown.warmStart().demonstrations() > 4 && grown.warmStart().demonstrations() <= 8 * perEpisode,
        grown.warmStart().toString());
    assertEquals(9, grown.warmStart().steps(), "three rounds of at most warmStartSteps each");
    // fitted on a game of four numbers, it predicts fresh games of it: nothing is added
    StringWriter fitted = new StringWriter();
    Trainer.Result kept = new Trainer(Registry.load(), TrainConfig.read(one.replace("warmStartEpisodes: 4",
        "warmStartEpisodes: 16").replace("warmStartSteps: 2", "warmStartSteps: 400") + "warmStartAccuracy: 1.0\n"
        + "warmStartMaxEpisodes: 64\nlearner: {imitationLearningRate: 3e-3}\n"), "cpu", new PrintWriter(fitted))
        .run(tmp.resolve("kept"));
    assertTrue(fitted.toString().contains("16 fresh oracle episodes, token accuracy 1.000"), fitted.toString());
    assertTrue(fitted.toString().contains("no more"), fitted.toString());
    assertTrue(fitted.toString().contains("from 16 oracle episodes") && !fitted.toString().contains(
        "from 32 oracle episodes"), fitted.toString());
    assertTrue(kept.warmStart().tokenAccuracy() >= 1.0, kept.warmStart().toString());
    // without warmStartMaxEpisodes the warm start plays exactly warmStartEpisodes
    assertEquals(0, TrainConfig.read(one).warmStartMaxEpisodes());
  }

  /**
   * Issue 19: a quarter of the groups had all-equal rewards and so no signal. With DAPO's dynamic sampling
   * those groups are dropped and more tasks are played until the iteration has its number of groups with a
   * signal (or the rounds run out), and the metrics count it.
   */
  @Test
  void dynamicSamplingDropsGroupsWithoutSignalAndRefillsTheBatch_issue19() throws Exception {
    Path run = tmp.resolve("dynamic");
    // outcome only, GRPO, no warm start: most groups of the untrained policy fail alike
    String yaml = TINY.replace("iterations: 2", "iterations: 1").replace("warmStartEpisodes: 4", "warmStartEpisodes: 0")
        + "estimator: grpo\nshaping: {shapers: [{name: outcome}]}\ndynamicSampling: {enabled: true, maxRounds: 3}\n";
    new Trainer(Registry.load(), TrainConfig.read(yaml), "cpu", new PrintWriter(new StringWriter())).run(run);
    JsonNode m = Json.JSON.readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(0));
    JsonNode sampling = m.get("sampling");
    assertTrue(sampling.get("enabled").asBoolean(), m.toString());
    assertEquals(sampling.get("groupsPlayed").asInt(), 4 * sampling.get("rounds").asInt(), m.toString());
    assertTrue(sampling.get("groupsDropped").asInt() > 0, "the untrained policy leaves groups without signal: " + m);
    assertTrue(sampling.get("rounds").asInt() > 1, "so it played more: " + m);
    assertTrue(sampling.get("groupsKept").asInt() <= 4, m.toString());
    assertEquals(0, m.get("advantages").get("zeroGroups").asInt(), "no group without signal is trained on: " + m);
    assertEquals(sampling.get("groupsKept").asInt(), m.get("advantages").get("groups").asInt(), m.toString());
    assertEquals(4 * 4 * sampling.get("rounds").asInt(), m.get("episodes").asInt(), "every played episode counts");
    assertEquals(4 * 4 * sampling.get("rounds").asInt(), Files.readAllLines(run.resolve("episodes.jsonl")).size());
  }

  /**
   * Issue 19: RL from a strong warm start lost what it had. Most groups all succeeded, so their turns were skipped
   * for a zero advantage, and the few left (24 of some 400) were split into the same 4 mini-batches: 8 full Adam
   * steps per iteration on 6 samples each. A mini-batch is a share of all the iteration's turns, so little signal
   * gives few updates.
   */
  @Test
  void fewSignalTurnsGiveFewUpdatesNotTinyOnes_issue19() {
    assertEquals(1, PolicyGradientStep.updatesPerPass(24, 376, 4), "24 of 400 turns: one mini-batch");
    assertEquals(4, PolicyGradientStep.updatesPerPass(400, 0, 4), "every turn with a signal: the configured 4");
    assertEquals(2, PolicyGradientStep.updatesPerPass(200, 200, 4));
    assertEquals(3, PolicyGradientStep.updatesPerPass(201, 199, 4), "a part-filled mini-batch counts");
    assertEquals(1, PolicyGradientStep.updatesPerPass(1, 0, 4), "never more updates than samples");
    assertEquals(0, PolicyGradientStep.updatesPerPass(0, 50, 4));
  }

  /**
   * Pipelined (max-staleness k above 0): the next iteration's rollouts run while the learner updates, so samples
   * may lag by some versions; none more than k ever reaches an update, and every turn is accounted for as
   * trained on, dropped as too stale, or skipped for a zero advantage.
   */
  @Test
  void pipelinedTrainingRespectsTheStalenessBound() throws Exception {
    Path run = tmp.resolve("pipelined");
    TrainConfig c = TrainConfig.read(TINY.replace("iterations: 2", "iterations: 4") + "maxStaleness: 1\n");
    Trainer.Result r = new Trainer(Registry.load(), c, "cpu", new PrintWriter(new StringWriter())).run(run);
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertTrue(metrics.size() >= 4, metrics.toString());
    assertTrue(r.updates() >= 1);
    for (String line : metrics) {
      JsonNode m = Json.JSON.readTree(line);
      assertTrue(m.get("staleness").get("max").asLong() <= 1, line);
      assertTrue(m.get("staleness").get("mean").asDouble() <= 1.0, line);
      assertTrue(m.get("staleness").get("dropped").asInt() >= 0, line);
      int turns = (int) Math.round(m.get("meanTurns").asDouble() * m.get("episodes").asInt());
      assertEquals(turns, m.get("samples").asInt() + m.get("staleness").get("dropped").asInt()
          + m.get("zeroAdvantageTurns").asInt(), line);
    }
  }
}
