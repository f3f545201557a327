package dev.ludus.runner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.ChatCompletions;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.serve.ModelServer;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.StandardSignals;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emotional-support world with its LLM-driven user, switched in by configuration alone, end to end through
 * {@code ludus rollout}: against the mock server with scripted well-formed and malformed analyses, and against
 * {@code ludus serve} (a real, untrained model over real HTTP).
 */
class LlmUserWorldsTest {
  static final String USER = "{user: {name: emotional-support-llm-user, config: {endpoint: user-model, "
      + "startEmotion: 80, deltaClip: 0, temperature: 0, attempts: 2}}}";

  static List<Episode> episodes(Path runs) throws Exception {
    try (Stream<Path> dirs = Files.list(runs)) {
      return EpisodeReader.readAll(dirs.findFirst().orElseThrow().resolve("episodes.jsonl"));
    }
  }

  @Test
  void aMalformedAnalysisFailsItsEpisodeWithTheReasonWhileTheOthersReachBandS(@TempDir Path dir) throws Exception {
    // the analyser answers well for half of the conversations (by a hash of what it was shown) and with prose for the
    // rest, retries included; the actor always answers
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(request -> {
      String system = request.json().path("messages").path(0).path("content").asText("");
      if (!system.contains("emotion analyser")) {
        return MockReply.text("Thank you, I feel so much better. Goodbye.");
      }
      return Math.floorMod(system.hashCode(), 2) == 0
          ? MockReply.text("{\"analysis\": \"felt understood\", \"fit\": \"matched\", \"change\": 30}")
          : MockReply.text("I think they feel a bit better, maybe +10?");
    }).start()) {
      int code = Ludus.run("rollout", "--env", "emotional-support", "--env-config", USER, "--agent", "oracle",
          "--llm", "{user-model: {baseUrl: '" + server.baseUrl() + "', model: sim, apiKeyEnv: '', cacheSize: 0}}",
          "--episodes", "16", "--concurrency", "8", "--out", dir.toString(), "--no-progress",
          "--max-failure-rate", "1");
      assertEquals(0, code, "simulator failures are data; the run completes (failures allowed by --max-failure-rate)");
      List<Episode> episodes = episodes(dir);
      assertEquals(16, episodes.size());
      List<Episode> failed = episodes.stream().filter(e -> e.status() == EpisodeStatus.FAILED).toList();
      List<Episode> done = episodes.stream().filter(e -> e.status() == EpisodeStatus.COMPLETED).toList();
      assertTrue(!failed.isEmpty() && !done.isEmpty(), "some of each: " + failed.size() + " failed");
      for (Episode e : failed) {
        assertTrue(e.failure().contains("simulator failure (malformed-output)")
            && e.failure().contains("after 2 attempts"), e.failure());
      }
      for (Episode e : done) {
        double last = e.turns().get(e.turns().size() - 1).signals().get(StandardSignals.EMOTION).orElseThrow();
        assertEquals(100.0, last, "80 + 30, kept within 100: band S ends the conversation");
      }
    }
  }

  @Test
  void theWorldRunsAgainstLudusServeWithARealModelBehindTheUser(@TempDir Path dir) throws Exception {
    DjlLmAgentProvider.Config tiny = DjlLmAgentProvider.Config.defaults().withArchitecture(1, 16, 2, 128)
        .withBpe(DjlLmAgentProvider.Bpe.of(300, List.of("{\"analysis\": \"ok\", \"fit\": \"matched\", \"change\": 5}"
            + " I feel better. Thank you. Goodbye.")))
        .withBatching(32, 5);
    try (ChatCompletions completions = ChatCompletions.create(tiny);
        ModelServer server = ModelServer.start(null, completions, ModelServer.Options.loopback("user-sim"))) {
      int code = Ludus.run("rollout", "--env", "emotional-support", "--env-config",
          USER.replace("temperature: 0", "temperature: 1, maxTokens: 8"), "--agent", "oracle",
          "--llm", "{user-model: {baseUrl: '" + server.baseUrl() + "', model: user-sim, apiKeyEnv: '', "
              + "requestTimeoutMillis: 60000}}",
          "--episodes", "2", "--concurrency", "2", "--out", dir.toString(), "--no-progress",
          "--max-failure-rate", "1");
      List<Episode> episodes = episodes(dir);
      assertEquals(2, episodes.size());
      boolean allFailed = episodes.stream().allMatch(e -> e.status() == dev.ludus.api.EpisodeStatus.FAILED);
      assertEquals(allFailed ? 1 : 0, code, "the run completes and records its episodes; it exits 1 only when every "
          + "one failed (an untrained model rarely writes valid JSON)");
      for (Episode e : episodes) {
        assertTrue(e.status() != EpisodeStatus.FAILED || e.failure().contains("simulator failure"),
            "an untrained model's analyses are malformed: recorded as simulator failures, nothing else: "
                + e.failure());
      }
      assertTrue(completions.statistics().items() >= 2 * 2, "the served model answered every analyser attempt: "
          + completions.statistics());
    }
  }
}
