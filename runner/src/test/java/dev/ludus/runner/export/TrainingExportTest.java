package dev.ludus.runner.export;

import static dev.ludus.runner.export.ExportReadBack.jsonl;
import static dev.ludus.runner.export.ExportReadBack.parquet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Registry;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.store.EpisodeReader;
import dev.ludus.runner.tensorboard.EventFileReader;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real (tiny) training run leaves: TensorBoard event files beside metrics.jsonl, the metrics in verl's
 * file-logger layout, and token-level rollouts from the djl-lm policy's recorded ids and log-probs, read back by
 * the documented Python reader too.
 */
class TrainingExportTest {
  private static final String WORDS = "['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', higher, lower, correct, "
      + "my, number, is, greater, smaller, than, guess, guesses, left, first, between, and, answer, '<', '>', '/', "
      + "'.', ':', '!', found, it, in]";

  private static final String TINY = """
      envConfig: {low: 1, high: 4, maxTurns: 2}
      model: {layers: 1, width: 32, heads: 2, context: 256, maxNewTokens: 3, vocabulary: %s}
      iterations: 2
      tasksPerIteration: 4
      groupSize: 4
      epochs: 1
      miniBatches: 2
      warmStartEpisodes: 4
      warmStartSteps: 2
      evalEpisodes: 1
      checkpointEvery: 0
      concurrency: 64
      seed: 3
      """.formatted(WORDS);

  @TempDir static Path tmp;
  static Path run;
  static List<Episode> episodes;
  static List<JsonNode> metrics;

  @BeforeAll
  static void train() throws Exception {
    run = tmp.resolve("run");
    new Trainer(Registry.load(), TrainConfig.read(TINY), "cpu", new PrintWriter(new StringWriter())).run(run);
    episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    metrics = jsonl(run.resolve("metrics.jsonl"));
  }

  @Test
  void trainingWritesTensorBoardEventsWithTheMetricsLinesScalarsAtTheirSteps() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(run.resolve("tb"))) {
      files = s.toList();
    }
    assertEquals(1, files.size());
    assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents."));
    List<EventFileReader.Event> events = EventFileReader.read(files.get(0)); // checks both CRCs of every record
    assertEquals("brain.Event:2", events.get(0).fileVersion());
    assertEquals(metrics.size() + 1, events.size(), "one event per metrics line after the version");
    assertEquals(4, metrics.size(), "2 iterations x 2 mini-batches");
    for (int i = 0; i < metrics.size(); i++) {
      JsonNode m = metrics.get(i);
      EventFileReader.Event e = events.get(i + 1);
      assertEquals(m.get("step").asLong(), e.step(), "every line here is an update, plotted at its optimizer step");
      Map<String, Float> s = e.scalars();
      for (String key : List.of("success", "return", "loss", "policyLoss", "kl", "entropy", "gradNorm", "tokens")) {
        assertEquals((float) m.get(key).asDouble(), s.get(key), key);
      }
      m.get("components").properties().forEach(c ->
          assertEquals((float) c.getValue().asDouble(), s.get("components/" + c.getKey()), c.getKey()));
      assertEquals((float) m.get("staleness").get("max").asDouble(), s.get("staleness/max"));
      assertEquals(m.get("applied").asBoolean() ? 1f : 0f, s.get("applied"));
      assertEquals(numericLeaves(m) - 1, s.size(), "every number but the step: " + s.keySet());
    }
  }

  @Test
  void verlMetricsAreOneStepAndDataLinePerMetricsLineWithTheTensorBoardNames() throws Exception {
    ExportResult r = Exporter.export(new ExportRequest(run, ExportFormat.VERL_METRICS, null, null, null),
        ExportListener.none());
    List<JsonNode> lines = jsonl(r.file());
    assertEquals(metrics.size(), lines.size());
    List<EventFileReader.Event> events;
    try (Stream<Path> s = Files.list(run.resolve("tb"))) {
      events = EventFileReader.read(s.findFirst().orElseThrow());
    }
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      assertEquals(List.of("step", "data"), fieldNames(line));
      assertEquals(metrics.get(i).get("step").asLong(), line.get("step").asLong());
      assertEquals(events.get(i + 1).scalars().keySet(), setOf(fieldNames(line.get("data"))));
      assertEquals(metrics.get(i).get("kl").asDouble(), line.get("data").get("kl").asDouble(), 0);
      assertEquals(metrics.get(i).get("staleness").get("mean").asDouble(),
          line.get("data").get("staleness/mean").asDouble(), 0);
    }
  }

  @Test
  void tokensCarryThePoliciesOwnIdsAMaskOverAgentTokensTheirLogProbsAndEachTurnsRewardAtItsEnd() {
    assertTrue(episodes.stream().allMatch(e -> e.turns().stream().allMatch(t -> t.tokens() != null)));
    ExportResult r = Exporter.export(new ExportRequest(run, ExportFormat.TOKENS, null, null, null),
        ExportListener.none());
    List<JsonNode> rows = jsonl(r.file());
    Map<String, List<JsonNode>> byEpisode = rows.stream()
        .collect(Collectors.groupingBy(n -> n.get("trajectory_id").asText()));
    assertTrue(rows.stream().anyMatch(n -> n.get("num_turns").asInt() > 1 && n.get("response_mask").toString()
        .contains("0")), "some rows hold several turns with the environment's tokens between them");
    long taken = episodes.stream().filter(e -> e.status() != EpisodeStatus.FAILED).count();
    assertEquals(taken, byEpisode.size(), "every episode has its rows");
    for (Episode e : episodes) {
      List<JsonNode> segments = byEpisode.get(e.id());
      double[] perTurn = ExportReadBack.ledgerPerTurn(e);
      int turn = 0;
      for (int k = 0; k < segments.size(); k++) {
        JsonNode s = segments.get(k);
        assertEquals(k, s.get("segment").asInt());
        assertEquals(k == segments.size() - 1, s.get("last_segment").asBoolean());
        assertEquals(turn, s.get("first_turn").asInt());
        assertArrayEquals(e.turns().get(turn).tokens().promptIds(), ints(s.get("prompt_ids")),
            "the prompt is the first turn's, as the policy saw it");
        int n = s.get("response_ids").size();
        assertEquals(n, s.get("response_mask").size());
        assertEquals(n, s.get("response_logprobs").size());
        assertEquals(n, s.get("token_rewards").size());
        // the agent tokens, in order, are exactly each turn's output ids with their log-probs
        List<Integer> agentIds = new ArrayList<>();
        List<Float> agentLogProbs = new ArrayList<>();
        double rewards = 0;
        for (int i = 0; i < n; i++) {
          if (s.get("response_mask").get(i).asInt() == 1) {
            agentIds.add(s.get("response_ids").get(i).asInt());
            agentLogProbs.add((float) s.get("response_logprobs").get(i).asDouble());
          } else {
            assertEquals(0.0, s.get("response_logprobs").get(i).asDouble());
          }
          rewards += s.get("token_rewards").get(i).asDouble();
        }
        List<Integer> expectedIds = new ArrayList<>();
        List<Float> expectedLogProbs = new ArrayList<>();
        double expectedRewards = 0;
        int turns = s.get("num_turns").asInt();
        for (int t = turn; t < turn + turns; t++) {
          TokenTrace tt = e.turns().get(t).tokens();
          for (int i = 0; i < tt.outputIds().length; i++) {
            expectedIds.add(tt.outputIds()[i]);
            expectedLogProbs.add(tt.logProbs()[i]);
          }
          expectedRewards += perTurn[t];
        }
        assertEquals(expectedIds, agentIds, e.id());
        assertEquals(expectedLogProbs, agentLogProbs, e.id());
        assertEquals(expectedRewards, rewards, 1e-4, "the turns' rewards sit on the tokens");
        // the last turn's reward sits on its last output token
        int last = lastAgentToken(s);
        assertEquals((float) perTurn[turn + turns - 1], (float) s.get("token_rewards").get(last).asDouble(), 1e-5);
        // prompt + response is the last turn's prompt and output, token for token
        Turn lastTurn = e.turns().get(turn + turns - 1);
        int[] whole = concat(ints(s.get("prompt_ids")), ints(s.get("response_ids")));
        assertArrayEquals(concat(lastTurn.tokens().promptIds(), lastTurn.tokens().outputIds()), whole);
        turn += turns;
      }
      assertEquals(e.turns().size(), turn, "the segments cover every turn once");
    }
    List<JsonNode> fromParquet = parquet(Exporter.export(new ExportRequest(run, ExportFormat.TOKENS,
        tmp.resolve("tokens.parquet"), null, null), ExportListener.none()).file());
    assertEquals(rows.size(), fromParquet.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(rows.get(i).get("response_ids"), fromParquet.get(i).get("response_ids"));
      assertEquals(rows.get(i).get("response_mask"), fromParquet.get(i).get("response_mask"));
    }
  }

  @Test
  void theIterationFilterTakesTheEpisodesOfThoseTrainingIterations() {
    ExportResult one = Exporter.export(new ExportRequest(run, ExportFormat.TRL_MESSAGES, tmp.resolve("it1.jsonl"),
        new EpisodeFilter(EnumSet.allOf(EpisodeStatus.class), null, 1, 1), null), ExportListener.none());
    assertEquals(episodes.stream().filter(e -> e.id().contains("-it1-")).count(), one.rows());
    assertEquals(16, one.rows(), "4 tasks x groups of 4 in iteration 1");
    ExportResult metricsOfOne = Exporter.export(new ExportRequest(run, ExportFormat.VERL_METRICS,
        tmp.resolve("m1.jsonl"), new EpisodeFilter(EnumSet.allOf(EpisodeStatus.class), null, 1, null), null),
        ExportListener.none());
    assertEquals(metrics.stream().filter(m -> m.get("iteration").asInt() >= 1).count(), metricsOfOne.rows());
  }

  @Test
  void theDocumentedPythonReaderReadsTheTokenExport() throws Exception {
    Path reader = Path.of("..", "examples", "python", "ludus_tokens.py").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(reader), reader.toString());
    assumeTrue(python("import numpy") == 0, "python3 with numpy is not installed here: the Python reader is not run");
    Path tokens = Exporter.export(new ExportRequest(run, ExportFormat.TOKENS, tmp.resolve("py.jsonl"), null, null),
        ExportListener.none()).file();
    Process p = new ProcessBuilder("python3", reader.toString(), tokens.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    JsonNode summary = Json.JSON.readTree(out);
    List<JsonNode> rows = jsonl(tokens);
    assertEquals(rows.size(), summary.get("rows").asInt());
    assertEquals(episodes.size(), summary.get("trajectories").asInt());
    long agentTokens = episodes.stream().flatMap(e -> e.turns().stream()).mapToLong(t -> t.tokens().outputIds().length)
        .sum();
    assertEquals(agentTokens, summary.get("agent_tokens").asLong());
    double rewards = episodes.stream().mapToDouble(e -> ExportReadBack.sum(ExportReadBack.ledgerPerTurn(e))).sum();
    assertEquals(rewards, summary.get("reward_sum").asDouble(), 1e-3);
    double logProbs = 0;
    for (Episode e : episodes) {
      for (Turn t : e.turns()) {
        for (float lp : t.tokens().logProbs()) {
          logProbs += lp;
        }
      }
    }
    assertEquals(logProbs, summary.get("agent_logprob_sum").asDouble(), 1e-2);
    int longest = rows.stream().mapToInt(n -> n.get("response_ids").size()).max().orElseThrow();
    assertEquals(List.of(rows.size(), longest), List.of(summary.get("batch_shape").get(0).asInt(),
        summary.get("batch_shape").get(1).asInt()));
  }

  private static int python(String code) {
    try {
      Process p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private static int lastAgentToken(JsonNode s) {
    for (int i = s.get("response_mask").size() - 1; i >= 0; i--) {
      if (s.get("response_mask").get(i).asInt() == 1) {
        return i;
      }
    }
    throw new AssertionError("no agent token in " + s);
  }

  private static int numericLeaves(JsonNode n) {
    if (n.isNumber() || n.isBoolean()) {
      return 1;
    }
    int c = 0;
    if (n.isObject()) {
      for (JsonNode v : n) {
        c += numericLeaves(v);
      }
    }
    return c;
  }

  private static int[] ints(JsonNode a) {
    int[] r = new int[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i).asInt();
    }
    return r;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> s = new ArrayList<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  private static Set<String> setOf(List<String> l) {
    return new LinkedHashSet<>(l);
  }
}
