package dev.ludus.runner.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockFaultSchedule;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.Role;
import dev.ludus.api.Task;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full {@code ludus rollout --agent openai} on twenty-questions over real HTTP on loopback, against the
 * protocol-faithful mock server, whose answers come from the environment's oracle (standing in for a
 * model that plays well).
 */
class OpenAiRolloutTest {
  /** Answers as the twenty-questions oracle would, from the conversation the request carries. */
  private static MockResponder oracleResponder() {
    Agent oracle = Plugins.environment(Registry.load(), "twenty-questions", null).oracle().orElseThrow();
    return request -> {
      List<Message> messages = Json.JSON.convertValue(request.json().get("messages"), new TypeReference<>() {});
      int turn = (int) messages.stream().filter(m -> m.role() == Role.ASSISTANT).count();
      AgentResponse r = oracle.act(new AgentRequest("mock", Task.generated("twenty-questions", 0), 0, turn, messages,
          List.of())).toCompletableFuture().join();
      return MockReply.text(((AgentResponse.Reply) r).message().content());
    };
  }

  private static List<Episode> episodes(Path runs) throws Exception {
    try (Stream<Path> dirs = Files.list(runs)) {
      return EpisodeReader.readAll(dirs.findFirst().orElseThrow().resolve("episodes.jsonl"));
    }
  }

  @Test
  void aRolloutWithTheOpenAiBackendPlaysTwentyQuestionsOverHttp(@TempDir Path dir) throws Exception {
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(oracleResponder()).start()) {
      int code = Ludus.run("rollout", "--env", "twenty-questions", "--agent", "openai", "--agent-config",
          "{baseUrl: '" + server.baseUrl() + "', temperature: 0, seed: 7}", "--episodes", "16", "--concurrency", "8",
          "--out", dir.toString(), "--no-progress");
      assertEquals(0, code);
      List<Episode> episodes = episodes(dir);
      assertEquals(16, episodes.size());
      assertTrue(episodes.stream().allMatch(e -> e.status() == EpisodeStatus.COMPLETED && e.success()),
          "every episode solved through the HTTP backend");
      int turns = episodes.stream().mapToInt(e -> e.turns().size()).sum();
      assertTrue(server.requestCount() >= 1 && server.requestCount() <= turns,
          "one request per turn at most (identical deterministic requests may be served from the cache): "
              + server.requestCount() + " for " + turns + " turns");
      assertEquals("openai", episodes.get(0).agent());
      com.fasterxml.jackson.databind.JsonNode summary;
      try (Stream<Path> dirs = Files.list(dir)) {
        summary = Json.JSON.readTree(dirs.findFirst().orElseThrow().resolve("summary.json").toFile());
      }
      com.fasterxml.jackson.databind.JsonNode cache = summary.path("agentStatistics").path("cache");
      assertTrue(cache.path("enabled").asBoolean(), summary.toString());
      assertEquals(turns, cache.path("hits").asLong() + cache.path("misses").asLong(),
          "every turn looked up the cache (temperature 0 with a seed): " + cache);
      assertTrue(cache.path("hits").asLong() > 0, "the opening question is the same in every episode: " + cache);
      assertEquals(turns, summary.path("agentStatistics").path("requests").path("turns").asLong());
    }
  }

  @Test
  void aDeadServerFailsEveryEpisodeWithTheReasonAndTheRunStillEnds(@TempDir Path dir) throws Exception {
    try (MockOpenAiServer server = MockOpenAiServer.builder()
        .faults(MockFaultSchedule.always(MockFault.serverError())).start()) {
      int code = Ludus.run("rollout", "--env", "twenty-questions", "--agent", "openai", "--agent-config",
          "{baseUrl: '" + server.baseUrl() + "', maxRetries: 1, backoffBaseMillis: 1, backoffMaxMillis: 2, "
              + "breakerMaxWaitMillis: 0}",
          "--episodes", "6", "--concurrency", "6", "--out", dir.toString(), "--no-progress");
      // failed episodes are data: the run completes and stores them; every one failed, so it exits 1 (issue 16)
      assertEquals(1, code, "the run ends, and says it did not pass");
      List<Episode> episodes = episodes(dir);
      assertEquals(6, episodes.size());
      for (Episode e : episodes) {
        assertEquals(EpisodeStatus.FAILED, e.status());
        assertTrue(e.failure().startsWith("agent failed at turn 0: openai/"), e.failure());
      }
    }
  }
}
