package dev.ludus.runner.export;

import static dev.ludus.runner.export.ExportReadBack.jsonl;
import static dev.ludus.runner.export.ExportReadBack.ledgerPerTurn;
import static dev.ludus.runner.export.ExportReadBack.parquet;
import static dev.ludus.runner.export.ExportReadBack.parquetSchema;
import static dev.ludus.runner.export.ExportReadBack.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversational formats, from real runs made here: guess-number played by the random agent in groups of 8 with
 * turn-level shaping (outcome + info-gain), and function-calling played by the oracle (tool calls and tool results).
 * Every export is read back (Parquet by DuckDB, JSON Lines by Jackson) and checked against the episodes.
 */
class ConversationExportTest {
  @TempDir static Path tmp;
  static Path guess;
  static List<Episode> guessEpisodes;
  static Path tools;
  static List<Episode> toolEpisodes;

  @BeforeAll
  static void runs() throws Exception {
    Path shaping = Files.writeString(tmp.resolve("shaping.yaml"), "shapers: [{name: outcome}, {name: info-gain}]\n");
    guess = ExportReadBack.rollout(tmp, "--env", "guess-number", "--agent", "random", "--episodes", "48",
        "--group-size", "8", "--concurrency", "16", "--seed", "5", "--shaping", shaping.toString());
    guessEpisodes = EpisodeReader.readAll(guess.resolve("episodes.jsonl"));
    tools = ExportReadBack.rollout(tmp, "--env", "function-calling", "--env-config", "{categories: [multi-turn]}",
        "--agent", "oracle", "--episodes", "6", "--concurrency", "6", "--seed", "2");
    toolEpisodes = EpisodeReader.readAll(tools.resolve("episodes.jsonl"));
  }

  private static ExportResult export(Path run, ExportFormat f, Path out) {
    return Exporter.export(new ExportRequest(run, f, out, null, null), ExportListener.none());
  }

  private static Map<String, Episode> byId(List<Episode> episodes) {
    return episodes.stream().collect(Collectors.toMap(Episode::id, Function.identity()));
  }

  @Test
  void verlRlParquetHoldsEachEpisodesPromptAndItsShapedRewardPerTurnAndLedger() {
    ExportResult r = export(guess, ExportFormat.VERL_RL, null);
    assertEquals(guess.resolve("export/verl-rl.parquet"), r.file());
    assertEquals(List.of("data_source", "prompt", "ability", "reward_model", "extra_info"),
        parquetSchema(r.file()).stream().map(l -> l.split(" ")[0]).toList());
    List<JsonNode> rows = parquet(r.file());
    assertEquals(guessEpisodes.size(), rows.size());
    assertEquals(rows.size(), r.rows());
    Map<String, Episode> episodes = byId(guessEpisodes);
    for (JsonNode row : rows) {
      Episode e = episodes.get(row.get("extra_info").get("episode_id").asText());
      assertEquals("guess-number", row.get("data_source").asText());
      assertEquals("rule", row.get("reward_model").get("style").asText());
      assertEquals(e.start().size(), row.get("prompt").size());
      assertEquals(e.start().get(0).content(), row.get("prompt").get(0).get("content").asText());
      assertEquals(e.start().get(0).role().wireName(), row.get("prompt").get(0).get("role").asText());
      JsonNode x = row.get("extra_info");
      assertEquals(e.turns().size(), x.get("turn_rewards").size());
      double[] expected = ledgerPerTurn(e);
      for (int t = 0; t < expected.length; t++) {
        assertEquals(expected[t], x.get("turn_rewards").get(t).asDouble(), 1e-9, "turn " + t + " of " + e.id());
      }
      assertEquals(sum(expected), x.get("shaped_return").asDouble(), 1e-9);
      assertEquals(sum(expected), sum(x.get("turn_rewards")), 1e-9, "the per-turn rewards sum to the shaped return");
      assertEquals(e.ledger().size(), x.get("ledger").size());
      assertTrue(e.ledger().stream().anyMatch(l -> l.source().equals("info-gain")), "shaped by info-gain");
      assertEquals(e.success(), x.get("success").asBoolean());
      assertEquals(e.task().id(), x.get("task_id").asText());
    }
  }

  @Test
  void skyrlParquetNamesTheEnvironmentClassAndTheRewardSpec() {
    List<JsonNode> rows = parquet(export(guess, ExportFormat.SKYRL, tmp.resolve("skyrl.parquet")).file());
    assertEquals(guessEpisodes.size(), rows.size());
    for (JsonNode row : rows) {
      assertEquals("guess-number", row.get("env_class").asText());
      assertEquals("rule", row.get("reward_spec").get("method").asText());
      assertTrue(row.get("reward_spec").has("ground_truth"));
      assertTrue(row.get("prompt").isArray() && row.get("prompt").size() > 0);
      assertEquals(row.get("extra_info").get("num_turns").asInt(), row.get("extra_info").get("turn_rewards").size());
    }
  }

  @Test
  void verlSftKeepsToolCallsWithArgumentsAsJsonTextAndTheToolsAsFunctionSpecs() throws Exception {
    assertTrue(toolEpisodes.stream().anyMatch(e -> e.turns().stream().anyMatch(t -> !t.action().toolCalls().isEmpty())),
        "the oracle called tools natively");
    List<JsonNode> rows = parquet(export(tools, ExportFormat.VERL_SFT, null).file());
    assertEquals(toolEpisodes.size(), rows.size());
    Map<String, Episode> episodes = byId(toolEpisodes);
    int calls = 0;
    for (JsonNode row : rows) {
      Episode e = episodes.get(row.get("extra_info").get("episode_id").asText());
      List<Message> expected = new ArrayList<>(e.start());
      for (Turn t : e.turns()) {
        expected.add(t.action());
        expected.addAll(t.observation());
      }
      JsonNode messages = row.get("messages");
      assertEquals(expected.size(), messages.size());
      for (int i = 0; i < expected.size(); i++) {
        Message m = expected.get(i);
        JsonNode n = messages.get(i);
        assertEquals(m.role().wireName(), n.get("role").asText());
        assertEquals(m.content(), n.get("content").asText());
        for (int c = 0; c < m.toolCalls().size(); c++) {
          ToolCall call = m.toolCalls().get(c);
          JsonNode fn = n.get("tool_calls").get(c).get("function");
          assertTrue(fn.get("arguments").isTextual(), "arguments are a JSON string: " + fn);
          assertEquals(Json.JSON.readTree(call.arguments()), Json.JSON.readTree(fn.get("arguments").asText()));
          assertEquals(call.name(), fn.get("name").asText());
          assertEquals(call.id(), n.get("tool_calls").get(c).get("id").asText());
          calls++;
        }
        if (m.toolCallId() != null) {
          assertEquals(m.toolCallId(), n.get("tool_call_id").asText());
        }
      }
      assertEquals(e.tools().size(), row.get("tools").size());
      JsonNode first = row.get("tools").get(0);
      assertEquals("function", first.get("type").asText());
      assertEquals(e.tools().get(0).name(), first.get("function").get("name").asText());
      assertEquals("object", first.get("function").get("parameters").get("type").asText(),
          "parameters are a JSON Schema object, not text: " + first);
    }
    assertTrue(calls > 0);
    Path none = export(guess, ExportFormat.VERL_SFT, tmp.resolve("no-tools.parquet")).file();
    assertTrue(parquetSchema(none).stream().anyMatch(c -> c.startsWith("tools STRUCT(\"type\" VARCHAR, \"function\"")),
        "a world without tools still gets a list of tool specs: " + parquetSchema(none));
    assertTrue(parquet(none).stream().allMatch(n -> n.get("tools").isEmpty()));
  }

  @Test
  void trlMessagesJsonlHoldsTheWholeConversationAndTheTools() {
    ExportResult r = export(tools, ExportFormat.TRL_MESSAGES, null);
    assertEquals(tools.resolve("export/trl-messages.jsonl"), r.file());
    List<JsonNode> rows = jsonl(r.file());
    assertEquals(toolEpisodes.size(), rows.size());
    int expectedMessages = toolEpisodes.stream().mapToInt(e -> e.start().size()
        + e.turns().stream().mapToInt(t -> 1 + t.observation().size()).sum()).sum();
    assertEquals(expectedMessages, rows.stream().mapToInt(n -> n.get("messages").size()).sum());
    assertTrue(rows.stream().allMatch(n -> n.get("tools").get(0).get("function").get("parameters").isObject()));
    List<JsonNode> guessRows = jsonl(export(guess, ExportFormat.TRL_MESSAGES, tmp.resolve("g.jsonl")).file());
    assertTrue(guessRows.stream().noneMatch(n -> n.has("tools")), "no tools column for a world without tools");
  }

  @Test
  void aJsonlFormatCanBeWrittenAsParquetByTheOutputsExtension() {
    List<JsonNode> rows = parquet(export(tools, ExportFormat.TRL_MESSAGES, tmp.resolve("trl.parquet")).file());
    assertEquals(toolEpisodes.size(), rows.size());
    assertEquals(toolEpisodes.get(0).start().get(0).content().isEmpty(),
        rows.stream().anyMatch(n -> n.get("messages").get(0).get("content").asText().isEmpty()));
  }

  @Test
  void openRlhfSftSplitsOpeningAndContinuationUnderTheConfiguredKeys() {
    ExportKeys keys = new ExportKeys("question", "answer", "prompt", "chosen", "rejected");
    ExportResult r = Exporter.export(new ExportRequest(guess, ExportFormat.OPENRLHF_SFT, null, null, keys),
        ExportListener.none());
    List<JsonNode> rows = jsonl(r.file());
    assertEquals(guessEpisodes.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Episode e = guessEpisodes.get(i);
      JsonNode row = rows.get(i);
      assertEquals(Set.of("question", "answer"), fieldNames(row));
      assertEquals(e.start().size(), row.get("question").size());
      assertEquals(e.turns().get(0).action().content(), row.get("answer").get(0).get("content").asText());
      assertEquals("assistant", row.get("answer").get(0).get("role").asText());
    }
  }

  @Test
  void dpoPairsComeFromOneGroupAndPreferTheHigherOutcomeAndNoEpisodeIsUsedTwice() {
    ExportKeys keys = new ExportKeys("input", "output", "context", "better", "worse");
    ExportResult r = Exporter.export(new ExportRequest(guess, ExportFormat.OPENRLHF_DPO, null, null, keys),
        ExportListener.none());
    List<JsonNode> rows = jsonl(r.file());
    assertFalse(rows.isEmpty(), "the random agent's groups have winners and losers");
    Map<String, Episode> episodes = byId(guessEpisodes);
    Set<String> used = new HashSet<>();
    for (JsonNode row : rows) {
      Episode better = episodes.get(row.get("chosen_id").asText());
      Episode worse = episodes.get(row.get("rejected_id").asText());
      assertTrue(used.add(better.id()) && used.add(worse.id()), "each episode in one pair at most");
      assertEquals(better.task().id(), worse.task().id(), "a pair shares its task");
      assertEquals(better.id().substring(0, better.id().lastIndexOf('-')),
          worse.id().substring(0, worse.id().lastIndexOf('-')), "and its batch");
      double b = sum(ledgerPerTurn(better));
      double w = sum(ledgerPerTurn(worse));
      assertTrue((better.success() && !worse.success()) || (better.success() == worse.success() && b > w),
          "chosen " + better.id() + " (" + better.success() + ", " + b + ") over " + worse.id() + " ("
              + worse.success() + ", " + w + ")");
      assertEquals(better.turns().get(0).action().content(), row.get("better").get(0).get("content").asText());
      assertEquals(worse.turns().get(0).action().content(), row.get("worse").get(0).get("content").asText());
      assertEquals(better.start().size(), row.get("context").size());
    }
    // every group of 8 can give at most 4 pairs; ties are skipped, so pairs in a group of identical outcomes are none
    Map<String, List<Episode>> groups = guessEpisodes.stream().collect(Collectors.groupingBy(Rows::groupId));
    long possible = groups.values().stream().mapToLong(g -> g.size() / 2).sum();
    assertEquals(possible, rows.size() + r.skipped().getOrDefault("pair with tied outcomes", 0L)
        + r.skipped().getOrDefault("pair whose episodes opened differently", 0L));
  }

  @Test
  void trlPreferenceIsConversationalWithAnExplicitPrompt() {
    List<JsonNode> rows = jsonl(export(guess, ExportFormat.TRL_PREFERENCE, null).file());
    assertFalse(rows.isEmpty());
    for (JsonNode row : rows) {
      assertTrue(row.has("prompt") && row.has("chosen") && row.has("rejected"), row.toString());
      assertEquals("assistant", row.get("chosen").get(0).get("role").asText());
      assertEquals("assistant", row.get("rejected").get(0).get("role").asText());
      assertNotEquals(row.get("chosen"), row.get("rejected"));
    }
    List<JsonNode> parquetRows = parquet(export(guess, ExportFormat.TRL_PREFERENCE, tmp.resolve("p.parquet")).file());
    assertEquals(rows.size(), parquetRows.size());
  }

  @Test
  void filtersTakeEpisodesByStatusSuccessAndIteration() {
    long successes = guessEpisodes.stream().filter(Episode::success).count();
    assertTrue(successes > 0 && successes < guessEpisodes.size(), "the random agent wins some, loses some");
    ExportResult won = Exporter.export(new ExportRequest(guess, ExportFormat.TRL_MESSAGES, tmp.resolve("won.jsonl"),
        new EpisodeFilter(EnumSet.of(EpisodeStatus.COMPLETED, EpisodeStatus.TRUNCATED), true, null, null), null),
        ExportListener.none());
    assertEquals(successes, won.rows());
    assertEquals(guessEpisodes.size(), won.read());
    ExportResult lost = Exporter.export(new ExportRequest(guess, ExportFormat.VERL_RL, tmp.resolve("lost.parquet"),
        new EpisodeFilter(EnumSet.allOf(EpisodeStatus.class), false, null, null), null), ExportListener.none());
    assertEquals(guessEpisodes.size() - successes, parquet(lost.file()).size());
    long truncated = guessEpisodes.stream().filter(e -> e.status() == EpisodeStatus.TRUNCATED).count();
    ExportResult cut = Exporter.export(new ExportRequest(guess, ExportFormat.TRL_MESSAGES, tmp.resolve("cut.jsonl"),
        new EpisodeFilter(EnumSet.of(EpisodeStatus.TRUNCATED), null, null, null), null), ExportListener.none());
    assertEquals(truncated, cut.rows());
    ExportResult none = Exporter.export(new ExportRequest(guess, ExportFormat.TRL_MESSAGES, tmp.resolve("it.jsonl"),
        new EpisodeFilter(EnumSet.of(EpisodeStatus.COMPLETED), null, 0, 3), null), ExportListener.none());
    assertEquals(0, none.rows(), "a rollout run's episodes belong to no training iteration");
  }

  @Test
  void aBrokenLineStopsTheExportNamingItAndLeavesNoPartialFile() throws Exception {
    Path broken = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(broken.resolve("episodes.jsonl"), Files.readString(guess.resolve("episodes.jsonl")) + "{\"id\":\n");
    Path out = tmp.resolve("broken.parquet");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> export(broken, ExportFormat.VERL_RL, out));
    assertTrue(e.getMessage().contains("line " + (guessEpisodes.size() + 1)), e.getMessage());
    assertFalse(Files.exists(out));
    assertFalse(Files.exists(tmp.resolve("broken.parquet.rows.jsonl")), "the temporary rows are removed");
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> s = new HashSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }
}
