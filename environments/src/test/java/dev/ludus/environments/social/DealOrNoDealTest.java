package dev.ludus.environments.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.MatchStart;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.MultiAgentEnvironment;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Match;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DealOrNoDealTest {
  static final BoundEnvironment ENV = new DealOrNoDealProvider().bind(DealOrNoDealConfig.defaults());

  static Task task(long seed) {
    return Task.generated(DealOrNoDealProvider.NAME, seed);
  }

  /** Replays fixed messages, one per call. */
  static Agent says(String... messages) {
    Deque<String> left = new ArrayDeque<>(List.of(messages));
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(left.removeFirst())));
  }

  @Test
  void itPassesTheEnvironmentContractWithNoSeatReadingTheOthersValues() {
    SocialChecks.assertPassesTheContractWithNoSeatReadingTheOthersSecrets(ENV, 20, 6);
  }

  @Test
  void itIsRegisteredAsAMultiAgentEnvironmentWithTwoSeatsThreeBotsAndAnOracle() {
    SocialChecks.assertRegistered("deal-or-no-deal", List.of("alice", "bob"), Set.of("greedy", "fair", "stubborn"));
  }

  @Test
  void aSplitThatAddsUpScoresEachSideTheValueOfWhatItTookAndAnyOtherScoresZero() {
    Task task = task(3);
    Deal deal = Deal.generate(3);
    Split mine = new Split(deal.counts().book(), 0, 0);
    Split theirs = mine.restOf(deal.counts());
    for (boolean agree : new boolean[] {true, false}) {
      try (MultiAgentEnvironment e = (MultiAgentEnvironment) ENV.create()) {
        MatchStart start = e.reset(task, 0);
        String first = start.next().iterator().next();
        MatchStep talk = e.step(Map.of(first, Message.assistant("<selection>")));
        assertEquals(Set.of("alice", "bob"), talk.next(), "both choose at once");
        String other = first.equals("alice") ? "bob" : "alice";
        assertTrue(talk.seat(other).observation().get(0).content().equals("Partner: <selection>"));
        Split aliceTakes = agree ? mine : deal.counts();
        MatchStep end = e.step(Map.of("alice", Message.assistant("<choose>" + aliceTakes.counts() + "</choose>"),
            "bob", Message.assistant("I take " + theirs.counts())));
        assertTrue(end.terminated());
        assertEquals(agree ? aliceTakes.valueAt(deal.first()) : 0, end.seat("alice").reward());
        assertEquals(agree ? theirs.valueAt(deal.second()) : 0, end.seat("bob").reward());
        assertEquals(agree, end.seat("bob").signals().get(StandardSignals.SUCCESS).orElseThrow());
        assertEquals((int) (end.seat("alice").reward() + end.seat("bob").reward()),
            end.seat("alice").signals().get(DealSignals.JOINT_SCORE).orElseThrow());
      }
    }
  }

  @Test
  void anUnreadableMessageIsNotSentAndItsWriterTriesAgainWhileTheTalkLimitCountsIt() {
    BoundEnvironment env = new DealOrNoDealProvider().bind(new DealOrNoDealConfig(2));
    try (MultiAgentEnvironment e = (MultiAgentEnvironment) env.create()) {
      String first = e.reset(task(1), 0).next().iterator().next();
      MatchStep r = e.step(Map.of(first, Message.assistant("<propose>book=99</propose>")));
      assertEquals(Set.of(first), r.next());
      assertTrue(r.seat(first).observation().get(0).content().startsWith("Not sent: the proposal book=99 hat=0 "
          + "ball=0 asks for more than there is"), r.seat(first).observation().toString());
      assertTrue(r.seat(first).signals().has(StandardSignals.INVALID_ACTION));
      assertEquals(List.of(), r.seat(first.equals("alice") ? "bob" : "alice").observation(), "nothing was sent");
      MatchStep limit = e.step(Map.of(first, Message.assistant("fine, half each?")));
      assertEquals(Set.of("alice", "bob"), limit.next(), "two messages, the limit: both choose");
      assertTrue(limit.seat(first).observation().get(0).content().startsWith("The talk is over."));
    }
  }

  @Test
  void generatedDealsKeepTheOriginalConstraints() {
    for (long seed = 0; seed < 2_000; seed++) {
      Deal d = Deal.generate(seed);
      assertEquals(10, d.counts().valueAt(d.first()), d.toString());
      assertEquals(10, d.counts().valueAt(d.second()), d.toString());
      assertTrue(d.counts().total() >= 5 && d.counts().total() <= 7, d.toString());
      for (int i = 0; i < 3; i++) {
        assertTrue(d.counts().get(i) >= 1, d.toString());
        assertTrue(d.first().get(i) > 0 || d.second().get(i) > 0, "no item worthless to both: " + d);
      }
    }
  }

  @Test
  void eachSeatSeesItsOwnValuesAndNeverThePartners() {
    for (long seed = 0; seed < 50; seed++) {
      Deal d = Deal.generate(seed);
      Match m = EnvTestKit.playMatch(ENV, Map.of("alice", ENV.randomAgent(), "bob", ENV.randomAgent()), task(seed),
          seed, 100);
      assertTrue(m.ended());
      String alice = String.join("\n", m.conversations().get("alice").stream().map(Message::content).toList());
      assertTrue(alice.contains("Your values: " + d.first().values()), alice);
      if (!d.first().equals(d.second())) {
        assertFalse(alice.contains(d.second().values()), alice);
      }
      assertEquals(Map.of("values", d.first().values()), m.start().seats().get("alice").privateInfo());
      for (AgentRequest r : m.requests().get("bob")) {
        assertEquals(Map.of(), r.task().fields(), "the random agent is not privileged");
        assertEquals("bob", r.seat());
      }
    }
  }

  @Test
  void theOracleGetsOnlyItsOwnSeatsViewAndTwoFairPlayersAlwaysAgree() {
    Agent oracle = ENV.oracle().orElseThrow();
    int agreed = 0;
    for (long seed = 0; seed < 100; seed++) {
      Deal d = Deal.generate(seed);
      Match m = EnvTestKit.playMatch(ENV, Map.of("alice", oracle, "bob", ENV.bots().get("fair")), task(seed), seed,
          100);
      for (AgentRequest r : m.requests().get("alice")) {
        assertEquals(Map.of("values", d.first().values()), r.task().fields(), "the oracle's view is its own seat's");
      }
      assertTrue(m.succeeded("alice") && m.succeeded("bob"), "seed " + seed + ": " + m.conversations());
      assertTrue(m.reward("alice") >= 5 || m.reward("bob") >= 5, "a fair share for at least the one who asked");
      agreed++;
    }
    assertEquals(100, agreed);
  }

  @Test
  void aGreedyBotAcceptsOnlyAnOfferWorthEightToIt() {
    // greedy answers an offer worth less than 8 with its own ask, and ends the talk on one worth 8 or more
    Deal d = Deal.generate(5);
    Split all = d.counts();
    Agent greedy = ENV.bots().get("greedy");
    Match stingy = EnvTestKit.playMatch(ENV, Map.of("alice", says("<propose>" + all.counts() + "</propose>",
        "<propose>" + all.counts() + "</propose>", "<propose>" + all.counts() + "</propose>",
        "<choose>" + all.counts() + "</choose>"), "bob", greedy), task(5), 0, 20);
    assertFalse(stingy.succeeded("bob"));
    Match generous = EnvTestKit.playMatch(ENV, Map.of("alice", says("<propose>book=0 hat=0 ball=0</propose>",
        "<choose>book=0 hat=0 ball=0</choose>", "<choose>book=0 hat=0 ball=0</choose>"), "bob", greedy), task(5), 0,
        20);
    assertTrue(generous.succeeded("bob"), generous.conversations().toString());
    assertEquals(10, generous.reward("bob"));
  }

  @Test
  void aStubbornBotRepeatsOneDemandEndsTheTalkOnlyToAcceptAndAFairPartnerStillGetsADeal() {
    Agent stubborn = ENV.bots().get("stubborn");
    int agreed = 0;
    for (long seed = 0; seed < 50; seed++) {
      Match m = EnvTestKit.playMatch(ENV, Map.of("alice", stubborn, "bob", ENV.bots().get("fair")), task(seed), seed,
          100);
      List<String> said = m.conversations().get("alice").stream().filter(x -> x.role() == dev.ludus.api.Role.ASSISTANT)
          .map(Message::content).filter(c -> c.startsWith("<propose>")).distinct().toList();
      assertTrue(said.size() <= 1, "one demand, repeated: " + said);
      List<Message> c = m.conversations().get("alice");
      for (int i = 1; i < c.size(); i++) {
        if (c.get(i).role() == dev.ludus.api.Role.ASSISTANT && c.get(i).content().equals("<selection>")) {
          assertTrue(c.get(i - 1).content().startsWith("Partner: <propose>"), "it ends the talk only to accept: " + c);
        }
      }
      if (m.succeeded("alice")) {
        agreed++;
        assertTrue(m.reward("alice") >= 7, "it takes only a deal worth 7 to it: " + m.reward("alice"));
      }
    }
    assertTrue(agreed >= 25, "fair gives in to most demands: " + agreed + " of 50");
  }

  @Test
  void theSameTaskAndSeedReplayTheSameMatch() {
    Map<String, Agent> bots = Map.of("alice", ENV.randomAgent(), "bob", ENV.bots().get("greedy"));
    Match a = EnvTestKit.playMatch(ENV, bots, task(7), 9, 100);
    Match b = EnvTestKit.playMatch(ENV, bots, task(7), 9, 100);
    assertEquals(a.steps(), b.steps());
    assertEquals(a.moves(), b.moves());
  }
}
