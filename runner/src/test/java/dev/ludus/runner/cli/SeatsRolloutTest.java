package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.agents.openai.mock.RecordedRequest;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.Role;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import dev.ludus.environments.social.DealSignals;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.store.EpisodeReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ludus rollout} on a multi-agent environment: self-play (one agent in every seat) and a policy against a
 * bot ({@code --seat-agent bob=bot:greedy}) record one episode per seat of every match under a shared match id, and
 * no seat's request carries the other seat's private values: checked on the wire, where the {@code openai} agent's
 * requests reach the mock server, and in the conversations of the in-process policy's episodes.
 */
@MicronautTest
class SeatsRolloutTest {
  @Inject ApplicationContext context;

  /** A deal-or-no-deal values string, as an opening shows a seat its own ({@code book:4 hat:1 ball:2}). */
  private static final Pattern VALUES = Pattern.compile("book:\\d+ hat:\\d+ ball:\\d+");


  private Outcome ludus(String... args) {
    return CliRun.in(context, args);
  }

  private static Path onlyRun(Path runs) throws Exception {
    try (Stream<Path> dirs = Files.list(runs)) {
      List<Path> all = dirs.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  /** Checks one episode per seat per match, a shared match id, and returns the episodes by match. */
  private static Map<String, List<Episode>> oneEpisodePerSeat(List<Episode> episodes, int matches) {
    Map<String, List<Episode>> byMatch = episodes.stream().collect(Collectors.groupingBy(Episode::match));
    assertEquals(matches, byMatch.size(), byMatch.keySet().toString());
    byMatch.forEach((match, sides) -> {
      assertEquals(List.of("alice", "bob"), sides.stream().map(Episode::seat).sorted().toList(), match);
      sides.forEach(e -> assertEquals(match + "-" + e.seat(), e.id()));
      assertEquals(1, sides.stream().map(e -> e.task().id()).distinct().count(), "one task per match");
    });
    return byMatch;
  }

  /** The deal-or-no-deal fair bot, answering on the mock server from the conversation the request carries. */
  private static MockResponder fairResponder() {
    Agent fair = Plugins.environment(Registry.load(), "deal-or-no-deal", null).bots().get("fair");
    return request -> {
      List<Message> messages = Json.JSON.convertValue(request.json().get("messages"), new TypeReference<>() {});
      int turn = (int) messages.stream().filter(m -> m.role() == Role.ASSISTANT).count();
      AgentResponse r = fair.act(new AgentRequest("mock", Task.generated("deal-or-no-deal", 0), 0, turn, messages,
          List.of())).toCompletableFuture().join();
      return MockReply.text(((AgentResponse.Reply) r).message().content());
    };
  }

  /** Every request on the wire shows one values string only: its own seat's (from its own opening). */
  private static void noRequestCarriesAnotherSeatsValues(List<RecordedRequest> requests) {
    assertFalse(requests.isEmpty());
    for (RecordedRequest r : requests) {
      String text = r.json().get("messages").toString();
      Set<String> shown = new java.util.HashSet<>();
      Matcher m = VALUES.matcher(text);
      while (m.find()) {
        shown.add(m.group());
      }
      assertEquals(1, shown.size(), "a request shows its own seat's values and no other's: " + shown + " in " + text);
    }
  }

  @Test
  void selfPlayAndPolicyAgainstABotOverHttpRecordOneEpisodePerSeatAndKeepEachSeatsValuesToItself(@TempDir Path dir)
      throws Exception {
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(fairResponder()).start()) {
      String openai = "{baseUrl: '" + server.baseUrl() + "', temperature: 0, seed: 7}";
      Outcome self = ludus("rollout", "--env", "deal-or-no-deal", "--agent", "openai", "--agent-config", openai,
          "--episodes", "8", "--concurrency", "4", "--out", dir.resolve("self").toString(), "--no-progress");
      assertEquals(0, self.code(), self.err() + self.out());
      assertTrue(self.out().contains("16 episodes: 16 completed, 0 truncated, 0 failed; success 1.000"), self.out());
      assertTrue(self.out().contains("  seat alice (openai): 8 episodes, 0 failed; success 1.000"), self.out());
      List<Episode> selfPlay = EpisodeReader.readAll(onlyRun(dir.resolve("self")).resolve("episodes.jsonl"));
      oneEpisodePerSeat(selfPlay, 8);
      assertTrue(selfPlay.stream().allMatch(e -> e.agent().equals("openai") && e.success()));
      noRequestCarriesAnotherSeatsValues(server.requests());

      server.resetCounters();
      Outcome vsBot = ludus("rollout", "--env", "deal-or-no-deal", "--agent", "openai", "--agent-config", openai,
          "--seat-agent", "bob=bot:greedy", "--episodes", "8", "--concurrency", "4", "--group-size", "2",
          "--out", dir.resolve("bot").toString(), "--no-progress");
      assertEquals(0, vsBot.code(), vsBot.err() + vsBot.out());
      assertTrue(vsBot.out().contains("  seat bob (bot): 8 episodes, 0 failed"), vsBot.out());
      Path run = onlyRun(dir.resolve("bot"));
      List<Episode> played = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
      Map<String, List<Episode>> matches = oneEpisodePerSeat(played, 8);
      for (List<Episode> sides : matches.values()) {
        Episode alice = sides.stream().filter(e -> e.seat().equals("alice")).findFirst().orElseThrow();
        Episode bob = sides.stream().filter(e -> e.seat().equals("bob")).findFirst().orElseThrow();
        assertEquals("openai", alice.agent());
        assertEquals("bot", bob.agent());
        assertEquals(alice.turns().get(alice.turns().size() - 1).signals().get(DealSignals.JOINT_SCORE),
            bob.turns().get(bob.turns().size() - 1).signals().get(DealSignals.JOINT_SCORE));
      }
      List<RecordedRequest> wire = server.requests();
      noRequestCarriesAnotherSeatsValues(wire);
      int aliceTurns = played.stream().filter(e -> e.seat().equals("alice")).mapToInt(e -> e.turns().size()).sum();
      assertTrue(wire.size() <= aliceTurns, "only alice's seat asks the endpoint: " + wire.size() + " requests for "
          + aliceTurns + " of alice's turns");
      JsonNode config = Json.YAML.readTree(run.resolve("config.yaml").toFile());
      assertEquals("bot", config.get("seats").get("bob").get("agent").asText());
      assertEquals("greedy", config.get("seats").get("bob").get("agentConfig").get("name").asText());
      assertEquals("openai", config.get("seats").get("alice").get("agent").asText());
    }
  }

  @Test
  void selfPlayOfTheInProcessPolicyAndItsOwnCopyInTheOtherSeatRecordTokensPerSeat(@TempDir Path dir) throws Exception {
    Outcome o = ludus("rollout", "--env", "deal-or-no-deal", "--env-config", "maxTalk: 2", "--agent", "djl-lm",
        "--seat-agent", "bob=djl-lm", "--episodes", "2", "--concurrency", "2", "--out", dir.toString(),
        "--no-progress");
    assertEquals(0, o.code(), o.err() + o.out());
    Path run = onlyRun(dir);
    List<Episode> played = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    oneEpisodePerSeat(played, 2);
    for (Episode e : played) {
      assertEquals("djl-lm", e.agent());
      assertEquals(EpisodeStatus.COMPLETED, e.status(), e.failure());
      assertTrue(e.turns().stream().allMatch(t -> t.tokens() != null), "token in, token out, per seat");
      // what the seat's agent was shown is its episode: its opening, its moves and its observations
      String own = e.startSignals().get(DealSignals.VALUES).orElseThrow();
      List<String> seen = new ArrayList<>(e.start().stream().map(Message::content).toList());
      for (Turn t : e.turns()) {
        t.observation().forEach(m -> seen.add(m.content()));
      }
      Set<String> shown = new java.util.HashSet<>();
      seen.forEach(text -> {
        Matcher m = VALUES.matcher(text);
        while (m.find()) {
          shown.add(m.group());
        }
      });
      assertEquals(Set.of(own), shown, "seat " + e.seat() + " sees its own values only");
    }
    JsonNode seats = Json.YAML.readTree(run.resolve("config.yaml").toFile()).get("seats");
    assertFalse(seats.get("alice").get("ownInstance").asBoolean());
    assertTrue(seats.get("bob").get("ownInstance").asBoolean(), "bob plays a second instance of the policy");
  }

  @Test
  void seatAssignmentsThatDoNotFitAreRefusedWithExitCode2NamingWhatIsAllowed(@TempDir Path dir) {
    Outcome carol = ludus("rollout", "--env", "deal-or-no-deal", "--seat-agent", "carol=random", "--out",
        dir.toString());
    assertEquals(2, carol.code());
    assertTrue(carol.err().contains("environment 'deal-or-no-deal' has no seat 'carol'; its seats: alice, bob"),
        carol.err());
    Outcome nasty = ludus("rollout", "--env", "deal-or-no-deal", "--seat-agent", "bob=bot:nasty", "--out",
        dir.toString());
    assertEquals(2, nasty.code());
    assertTrue(nasty.err().contains(
        "environment 'deal-or-no-deal' has no bot 'nasty'; its bots: fair, greedy, stubborn"), nasty.err());
    Outcome single = ludus("rollout", "--env", "guess-number", "--seat-agent", "alice=random", "--out",
        dir.toString());
    assertEquals(2, single.code());
    assertTrue(single.err().contains("apply to multi-agent environments; 'guess-number' has no seats"), single.err());
    Outcome listed = ludus("list", "envs", "--json");
    assertEquals(0, listed.code(), listed.err());
    JsonNode deal = null;
    try {
      for (JsonNode n : Json.JSON.readTree(listed.out())) {
        deal = n.get("name").asText().equals("deal-or-no-deal") ? n : deal;
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertEquals("[\"alice\",\"bob\"]", deal.get("seats").toString());
    assertEquals("[\"fair\",\"greedy\",\"stubborn\"]", deal.get("bots").toString());
    Outcome checked = ludus("check-env", "deal-or-no-deal", "--seeds", "2");
    assertEquals(0, checked.code(), checked.out());
    assertTrue(checked.out().contains("PASS signals are declared and no seat sees another seat's secrets"),
        checked.out());
  }
}
