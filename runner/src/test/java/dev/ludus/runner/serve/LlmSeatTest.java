package dev.ludus.runner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An LLM endpoint named in the run's llm: section plays a seat of a social game (the {@code llm} agent). */
class LlmSeatTest {
  @Test
  void anEndpointNamedInTheLlmSectionPlaysTheOpponentSeatOfDealOrNoDeal(@TempDir Path dir) throws Exception {
    try (MockOpenAiServer server = MockOpenAiServer.builder()
        .responder(MockResponder.constant(MockReply.text("I would like all the books, you keep the rest."))).start()) {
      int code = Ludus.run("rollout", "--env", "deal-or-no-deal", "--env-config", "maxTalk: 2", "--agent", "random",
          "--seat-agent", "bob=llm", "--seat-agent-config", "bob={endpoint: opponent, temperature: 0, seed: 3}",
          "--llm", "{opponent: {baseUrl: '" + server.baseUrl() + "', model: opp, apiKeyEnv: ''}}",
          "--episodes", "2", "--concurrency", "2", "--out", dir.toString(), "--no-progress");
      assertEquals(0, code);
      List<Episode> played;
      try (Stream<Path> dirs = Files.list(dir)) {
        played = EpisodeReader.readAll(dirs.findFirst().orElseThrow().resolve("episodes.jsonl"));
      }
      List<Episode> bob = played.stream().filter(e -> "bob".equals(e.seat())).toList();
      assertEquals(2, bob.size());
      for (Episode e : bob) {
        assertEquals("llm", e.agent());
        assertNotEquals(EpisodeStatus.FAILED, e.status(), e.failure());
      }
      assertTrue(server.requestCount() >= 1, "bob's moves came from the endpoint");
      assertTrue(server.requests().stream().allMatch(r -> r.json().path("model").asText().equals("opp")));
    }
  }
}
