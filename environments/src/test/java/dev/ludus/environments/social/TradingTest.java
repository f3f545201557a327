package dev.ludus.environments.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.MultiAgentEnvironment;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Match;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TradingTest {
  static final BoundEnvironment ENV = new TradingProvider().bind(TradingConfig.defaults());

  static Task task(long seed) {
    return Task.generated(TradingProvider.NAME, seed);
  }

  @Test
  void itPassesTheEnvironmentContractWithNoSeatReadingTheOthersValues() {
    SocialChecks.assertPassesTheContractWithNoSeatReadingTheOthersSecrets(ENV, 20, 6);
  }

  @Test
  void itIsRegisteredWithTwoSeatsThreeBotsAndAPrivilegedOracle() {
    SocialChecks.assertRegistered("trading", List.of("alice", "bob"), Set.of("shrewd", "generous", "stubborn"));
  }

  @Test
  void generatedMarketsFollowSimpleNegotiation() {
    for (long seed = 0; seed < 500; seed++) {
      Market m = Market.generate(seed);
      for (int s = 0; s < 2; s++) {
        for (int i = 0; i < 5; i++) {
          int q = m.inventories()[s].get(i);
          int v = m.values()[s].get(i);
          assertTrue(q >= 5 && q <= 25, "quantity " + q);
          assertTrue(v >= Math.round(Goods.BASE_VALUES[i] * 0.8) && v <= Math.round(Goods.BASE_VALUES[i] * 1.2),
              Goods.NAMES.get(i) + " value " + v);
        }
      }
    }
  }

  @Test
  void anAcceptedOfferMovesTheGoodsAndTheLargerGainWinsAfterTenTurns() {
    Market market = Market.generate(4);
    try (MultiAgentEnvironment e = (MultiAgentEnvironment) ENV.create()) {
      String first = e.reset(task(4), 0).next().iterator().next();
      String second = first.equals("alice") ? "bob" : "alice";
      int a = first.equals("alice") ? 0 : 1;
      MatchStep offered = e.step(Map.of(first, Message.assistant("Wood for ore? [Offer: 3 Wood -> 1 Ore]")));
      assertEquals(Set.of(second), offered.next());
      List<Message> seen = offered.seat(second).observation();
      assertEquals("Partner: Wood for ore? [Offer: 3 Wood -> 1 Ore]", seen.get(0).content());
      assertEquals("[GAME] Your partner offers you 3 Wood for 1 Ore. Answer with [Accept] or [Deny].",
          seen.get(1).content());
      MatchStep accepted = e.step(Map.of(second, Message.assistant("Fine. [Accept]")));
      assertTrue(accepted.seat(second).observation().get(0).content().startsWith("[GAME] Trade done: you got 3 Wood "
          + "and gave 1 Ore."));
      int gainFirst = 1 * market.values()[a].get(4) - 3 * market.values()[a].get(1);
      int gainSecond = 3 * market.values()[1 - a].get(1) - 1 * market.values()[1 - a].get(4);
      assertEquals(gainFirst, accepted.seat(first).signals().get(TradingSignals.INVENTORY_GAIN).orElseThrow());
      MatchStep last = accepted;
      for (int t = 2; t < 10; t++) {
        assertFalse(last.terminated());
        last = e.step(Map.of(last.next().iterator().next(), Message.assistant("Nice weather.")));
      }
      assertTrue(last.terminated());
      int expected = Integer.compare(gainFirst, gainSecond);
      assertEquals(expected, last.seat(first).reward());
      assertEquals(-expected, last.seat(second).reward());
      assertEquals(1, last.seat(first).signals().get(TradingSignals.TRADES).orElseThrow());
      assertEquals(gainSecond, last.seat(second).signals().get(TradingSignals.INVENTORY_GAIN).orElseThrow());
      assertEquals(expected > 0, last.seat(first).signals().get(StandardSignals.SUCCESS).orElseThrow());
    }
  }

  @Test
  void aMoveThatCannotBeMadeIsNotSentAndItsWriterMovesAgainWhileTheTurnCounts() {
    try (MultiAgentEnvironment e = (MultiAgentEnvironment) new TradingProvider().bind(new TradingConfig(2)).create()) {
      String first = e.reset(task(1), 0).next().iterator().next();
      for (String bad : List.of("[Accept]", "[Offer: 999 Ore -> 1 Wheat]", "[Offer: 2 Gold -> 1 Wheat]",
          "[Offer: 1 Ore -> 1 Wheat] [Offer: 1 Ore -> 2 Wheat]", "[Accept] [Deny]")) {
        try (MultiAgentEnvironment fresh = (MultiAgentEnvironment) ENV.create()) {
          fresh.reset(task(1), 0);
          MatchStep r = fresh.step(Map.of(first, Message.assistant(bad)));
          assertEquals(Set.of(first), r.next(), bad);
          assertTrue(r.seat(first).signals().has(StandardSignals.INVALID_ACTION), bad);
          assertTrue(r.seat(first).observation().get(0).content().startsWith("Not sent: "), bad);
          assertEquals(List.of(), r.seat(first.equals("alice") ? "bob" : "alice").observation(), "nothing was sent");
        }
      }
      e.step(Map.of(first, Message.assistant("[Accept]")));
      MatchStep end = e.step(Map.of(first, Message.assistant("[Deny]")));
      assertTrue(end.terminated(), "two refused moves are the two turns");
      assertEquals(0, end.seat("alice").reward());
      assertEquals("draw", end.seat("bob").signals().get(TradingSignals.OUTCOME).orElseThrow());
    }
  }

  @Test
  void eachSeatSeesItsOwnValuesAndTheOracleOnlyItsOwnView() {
    Agent oracle = ENV.oracle().orElseThrow();
    for (long seed = 0; seed < 30; seed++) {
      Market market = Market.generate(seed);
      Match m = EnvTestKit.playMatch(ENV, Map.of("alice", oracle, "bob", ENV.randomAgent()), task(seed), seed, 100);
      assertTrue(m.ended());
      String bobValues = Market.valuesText(market.values()[1]);
      String alice = String.join("\n", m.conversations().get("alice").stream().map(Message::content).toList());
      assertFalse(alice.contains(bobValues), alice);
      for (AgentRequest r : m.requests().get("alice")) {
        assertEquals(Map.of("values", Market.valuesText(market.values()[0])), r.task().fields());
      }
      for (AgentRequest r : m.requests().get("bob")) {
        assertEquals(Map.of(), r.task().fields(), "the random agent is not privileged");
      }
    }
  }

  @Test
  void theShrewdOracleBeatsRandomMoreOftenThanItLoses() {
    Agent oracle = ENV.oracle().orElseThrow();
    int wins = 0;
    int losses = 0;
    for (long seed = 0; seed < 100; seed++) {
      Match m = EnvTestKit.playMatch(ENV, Map.of("alice", oracle, "bob", ENV.randomAgent()), task(seed), seed, 100);
      wins += m.reward("alice") > 0 ? 1 : 0;
      losses += m.reward("alice") < 0 ? 1 : 0;
      assertTrue(m.last().seat("alice").signals().get(TradingSignals.INVENTORY_GAIN).orElseThrow() >= 0,
          "shrewd never accepts a loss: " + m.conversations().get("alice"));
    }
    assertTrue(wins > 2 * losses && wins >= 30, wins + " wins, " + losses + " losses");
  }
}
