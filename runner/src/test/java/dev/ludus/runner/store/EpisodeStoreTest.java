package dev.ludus.runner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.Turn;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.runner.config.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpisodeStoreTest {
  static Episode sample(String id) {
    Turn t0 = new Turn(0, Message.assistant("", List.of(ToolCall.of("call-1", "search", "{\"q\":\"x\"}"))),
        new TokenTrace(new int[] {1, 2}, new int[] {5, 6, 7}, new float[] {-0.1f, -0.2f, -0.3f}, 3),
        List.of(Message.toolResult("call-1", "search", "found")), 0.0, false, false,
        Signals.builder().put(StandardSignals.CANDIDATE_COUNT, 4).put(StandardSignals.CANDIDATE_ENTROPY, 2.0).build(),
        12, 1);
    Turn t1 = new Turn(1, Message.assistant("<answer>x</answer>"), null, List.of(Message.user("right")), 1.0, true,
        false, Signals.of(StandardSignals.SUCCESS, true), 10, 0);
    return new Episode(Episode.SCHEMA, id, "env", "agent", Task.generated("env", 9), 99, EpisodeStatus.COMPLETED, null,
        true, 1.0, List.of(Message.system("rules"), Message.user("go")),
        List.of(new ToolSpec("search", "search the index", "{\"type\":\"object\"}")), Signals.empty(), List.of(t0, t1),
        List.of(new LedgerEntry(1, "env", "reward", 1.0, 1.0)), 1_700_000_000_000L, 22);
  }

  @Test
  void anEpisodeSurvivesTheRoundTripThroughTheStore(@TempDir Path dir) {
    Path file = dir.resolve("episodes.jsonl");
    try (EpisodeStore store = EpisodeStore.open(file)) {
      store.append(sample("a")).toCompletableFuture().join();
      store.append(sample("b")).toCompletableFuture().join();
      assertEquals(2, store.written());
    }
    List<Episode> back = EpisodeReader.readAll(file);
    assertEquals(List.of(sample("a"), sample("b")), back);
    assertEquals(4, back.get(0).turns().get(0).signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
  }

  @Test
  void eachLineIsOneEpisodeWithTheSchemaVersionAndOpenAiShapedMessages(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("episodes.jsonl");
    try (EpisodeStore store = EpisodeStore.open(file)) {
      store.append(sample("a"));
      store.append(sample("b"));
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size());
    JsonNode first = Json.JSON.readTree(lines.get(0));
    assertEquals(Episode.SCHEMA, first.get("schema").asInt());
    assertEquals("completed", first.get("status").asText());
    JsonNode call = first.get("turns").get(0).get("action").get("tool_calls").get(0);
    assertEquals("function", call.get("type").asText());
    assertEquals("search", call.get("function").get("name").asText());
    assertEquals("{\"q\":\"x\"}", call.get("function").get("arguments").asText());
    assertEquals("{\"type\":\"object\"}", first.get("tools").get(0).get("parameters").toString());
    assertEquals(1.0, first.get("return").asDouble());
  }

  @Test
  void aStoreFromANewerSchemaIsRefusedNamingTheLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("episodes.jsonl");
    Files.writeString(file, "{\"schema\":99,\"id\":\"x\",\"status\":\"completed\"}\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> EpisodeReader.readAll(file));
    assertTrue(e.getMessage().contains("line 1 has schema 99"), e.getMessage());
  }

  @Test
  void aLineThatIsNotAnEpisodeIsRefusedNamingTheLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("episodes.jsonl");
    try (EpisodeStore store = EpisodeStore.open(file)) {
      store.append(sample("a"));
    }
    Files.writeString(file, "{\"schema\":2,\"id\":\"x\",\"status\":\"fail\n", java.nio.file.StandardOpenOption.APPEND);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> EpisodeReader.readAll(file));
    assertTrue(e.getMessage().startsWith(file + " line 2 is not a valid episode: "), e.getMessage());
  }

  @Test
  void aTypedReadWhoseSignalDoesNotConvertToItsKeyNamesTheLineAndTheSignal(@TempDir Path dir) {
    Path file = dir.resolve("episodes.jsonl");
    try (EpisodeStore store = EpisodeStore.open(file)) {
      store.append(sample("a"));
    }
    EpisodeCodec wrong = EpisodeCodec.typed(List.of(SignalKey.of("candidate-count", Boolean.class)));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> EpisodeReader.readAll(file, wrong));
    assertTrue(e.getMessage().startsWith(file + " line 1 is not a valid episode: signal 'candidate-count' holds a "
        + "number 4, which does not read as a Boolean"), e.getMessage());
  }

  @Test
  void forEachHandsOverEveryEpisodeInFileOrder(@TempDir Path dir) {
    Path file = dir.resolve("episodes.jsonl");
    try (EpisodeStore store = EpisodeStore.open(file)) {
      for (String id : List.of("a", "b", "c")) {
        store.append(sample(id)).toCompletableFuture().join();
      }
    }
    List<String> ids = new java.util.ArrayList<>();
    EpisodeReader.forEach(file, EpisodeCodec.plain(), e -> ids.add(e.id()));
    assertEquals(List.of("a", "b", "c"), ids);
  }

  @Test
  void concurrentAppendsFromManyThreadsGiveOneIntactLineEachAndCompleteOnlyOnceFlushed(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("episodes.jsonl");
    int threads = 8;
    int perThread = 250;
    java.util.List<java.util.concurrent.CompletableFuture<Void>> stages =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    try (EpisodeStore store = EpisodeStore.open(file)) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        pool.execute(() -> {
          for (int i = 0; i < perThread; i++) {
            stages.add(store.append(sample("e" + (base + i))).toCompletableFuture());
          }
        });
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS));
      java.util.concurrent.CompletableFuture.allOf(stages.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(threads * perThread, store.written(), "every completed stage was counted as flushed");
      assertEquals(threads * perThread, Files.readAllLines(file).size(), "flushed lines are in the file already");
    }
    List<Episode> back = EpisodeReader.readAll(file);
    assertEquals(threads * perThread, back.size());
    assertEquals(threads * perThread, back.stream().map(Episode::id).distinct().count());
  }

  @Test
  void appendingAfterCloseFailsInsteadOfLosingTheEpisode(@TempDir Path dir) {
    EpisodeStore store = EpisodeStore.open(dir.resolve("e.jsonl"));
    store.close();
    store.close();
    assertTrue(store.append(sample("late")).toCompletableFuture().isCompletedExceptionally());
  }
}
