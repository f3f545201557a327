package dev.ludus.environments.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AsyncMultiAgentEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Match;
import dev.ludus.environments.social.SotopiaProfiles.AgentProfile;
import dev.ludus.environments.social.SotopiaProfiles.EnvironmentProfile;
import dev.ludus.environments.social.SotopiaProfiles.Tables;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SotopiaTest {
  static final BoundEnvironment ENV = new SotopiaProvider().bind(SotopiaConfig.defaults());
  static final Tables TABLES = SotopiaProfiles.of(null, null);

  /** A task seed whose scenario matches {@code codename}. */
  static long seedFor(String codename) {
    for (long seed = 0; seed < 100_000; seed++) {
      if (TABLES.scenarios().get(SotopiaEnvironment.draw(TABLES, seed)[0]).codename().equals(codename)) {
        return seed;
      }
    }
    throw new AssertionError(codename);
  }

  static Task task(long seed) {
    return Task.generated(SotopiaProvider.NAME, seed);
  }

  static Agent says(String... messages) {
    Deque<String> left = new ArrayDeque<>(List.of(messages));
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(
        left.isEmpty() ? "none" : left.removeFirst())));
  }

  @Test
  void itPassesTheEnvironmentContractWithNoSeatReadingTheOthersGoalOrSecret() {
    SocialChecks.assertPassesTheContractWithNoSeatReadingTheOthersSecrets(ENV, 30, 14);
  }

  @Test
  void itIsRegisteredWithTwoSeatsTwoBotsAndAPrivilegedOracle() {
    SocialChecks.assertRegistered("sotopia", List.of("agent-1", "agent-2"), Set.of("negotiator", "hardliner"));
  }

  @Test
  void thePartnersProfileIsVisibleAsTheRelationshipAllowsAndItsSecretNever() {
    String[] relationships = {"stranger", "know_by_name", "acquaintance", "friend", "romantic_relationship",
        "family_member"};
    for (int level = 0; level < 6; level++) {
      long seed = seedFor("loan_" + relationships[level] + "_compatible");
      int[] d = SotopiaEnvironment.draw(TABLES, seed);
      AgentProfile me = TABLES.agents().get(d[1]);
      AgentProfile partner = TABLES.agents().get(d[2]);
      Match m = EnvTestKit.playMatch(ENV, Map.of("agent-1", says("leave"), "agent-2", says("leave")), task(seed), 0,
          5);
      String opening = m.conversations().get("agent-1").get(1).content();
      String partnerLine = opening.lines().filter(l -> l.startsWith(partner.name() + "'s background: ")).findFirst()
          .orElseThrow();
      assertEquals(level >= 2, partnerLine.contains(partner.occupation()), level + ": " + partnerLine);
      assertEquals(level >= 2, partnerLine.contains(partner.publicInfo()), level + ": " + partnerLine);
      assertEquals(level >= 3, partnerLine.contains(partner.personalityAndValues()), level + ": " + partnerLine);
      String shown = partnerLine.substring(partnerLine.indexOf(": ") + 2);
      assertEquals(level >= 1, shown.contains(partner.name()), level + ": " + partnerLine);
      assertFalse(opening.contains(partner.secret()), "never the partner's secret");
      assertTrue(opening.contains(me.secret()), "always one's own");
      assertTrue(opening.contains(partner.name() + "'s goal: Unknown"), opening);
    }
  }

  @Test
  void theEpisodeEndsWhenOneLeavesAfterTwentyTurnsOrWhenItGoesStale() throws Exception {
    long seed = seedFor("bike_sale_friend_compatible");
    Match left = EnvTestKit.playMatch(ENV, Map.of("agent-1", says("speak: hi"), "agent-2", says("leave")), task(seed),
        0, 50);
    assertTrue(left.ended());
    assertEquals(2, left.steps().size());
    String[] chat = new String[30];
    for (int i = 0; i < chat.length; i++) {
      chat[i] = "speak: point number " + i;
    }
    Match capped = EnvTestKit.playMatch(ENV, Map.of("agent-1", says(chat), "agent-2", says(chat)), task(seed), 0, 50);
    assertTrue(capped.ended());
    assertEquals(20, capped.steps().size(), "Sotopia's 20-turn cap");
    Match stale = EnvTestKit.playMatch(ENV, Map.of("agent-1", says("speak: hi", "none", "none"),
        "agent-2", says("none", "none")), task(seed), 0, 50);
    assertEquals(4, stale.steps().size(), "hi, then three turns of nothing: more than 2 stale turns ends it");
    assertTrue(stale.last().terminated());
  }

  @Test
  void twoNegotiatorsMeetCompatibleGoalsAndNeverLeakTheirSecrets() {
    Agent n = ENV.bots().get("negotiator");
    int compatible = 0;
    for (long seed = 0; seed < 200; seed++) {
      int[] d = SotopiaEnvironment.draw(TABLES, seed);
      EnvironmentProfile e = TABLES.scenarios().get(d[0]);
      Match m = EnvTestKit.playMatch(ENV, Map.of("agent-1", n, "agent-2", n), task(seed), seed, 50);
      assertTrue(m.ended());
      for (String seat : List.of("agent-1", "agent-2")) {
        var s = m.last().seat(seat).signals();
        assertEquals(0.0, s.get(SotopiaSignals.SECRET).orElseThrow(), e.codename());
        assertEquals(0.0, s.get(SotopiaSignals.SOCIAL_RULES).orElseThrow());
        assertEquals(10.0, s.get(SotopiaSignals.BELIEVABILITY).orElseThrow(), m.conversations().get(seat).toString());
        assertEquals(e.gameMetadata().compatible(), m.succeeded(seat), e.codename() + m.conversations().get(seat));
      }
      compatible += e.gameMetadata().compatible() ? 1 : 0;
    }
    assertTrue(compatible > 50 && compatible < 150, "both kinds drawn: " + compatible);
  }

  @Test
  void theRuleProxiesScoreALeakARudeWordAnAgreementAndRepeats() throws Exception {
    long seed = seedFor("bike_sale_acquaintance_compatible_secret");
    try (AsyncMultiAgentEnvironment e = (AsyncMultiAgentEnvironment) ENV.create()) {
      e.reset(task(seed), 0).toCompletableFuture().join();
      String[][] script = {{"agent-1", "speak: Thanks for coming! Honestly the gears slip a bit."},
          {"agent-2", "speak: You are an idiot. What is your price?"}, {"agent-1", "action: propose 70"},
          {"agent-2", "action: accept"}, {"agent-1", "action: propose 70"}, {"agent-2", "leave"}};
      List<MatchStep> steps = new java.util.ArrayList<>();
      for (String[] move : script) {
        steps.add(e.step(Map.of(move[0], Message.assistant(move[1]))).toCompletableFuture().join());
      }
      MatchStep last = steps.get(steps.size() - 1);
      assertTrue(last.terminated());
      var seller = last.seat("agent-1").signals();
      var buyer = last.seat("agent-2").signals();
      assertEquals(-10.0, seller.get(SotopiaSignals.SECRET).orElseThrow(), "'gears slip' is the seller's key phrase");
      assertEquals(0.0, buyer.get(SotopiaSignals.SECRET).orElseThrow());
      assertEquals(-3.0, buyer.get(SotopiaSignals.SOCIAL_RULES).orElseThrow());
      assertEquals(0.0, seller.get(SotopiaSignals.SOCIAL_RULES).orElseThrow());
      assertEquals(10.0, seller.get(SotopiaSignals.GOAL).orElseThrow(), "70 >= 60");
      assertEquals(10.0, buyer.get(SotopiaSignals.GOAL).orElseThrow(), "70 <= 80");
      assertEquals(5 * 10 / 30.0, seller.get(SotopiaSignals.FINANCIAL).orElseThrow(), 1e-9);
      assertEquals(10.0 * 2 / 3, seller.get(SotopiaSignals.BELIEVABILITY).orElseThrow(), 1e-9, "one repeat of 3");
      assertEquals(1.0 + 2, seller.get(SotopiaSignals.RELATIONSHIP).orElseThrow(), "one courteous message, a deal");
      assertEquals(2.0 - 2, buyer.get(SotopiaSignals.RELATIONSHIP).orElseThrow(), "a deal and an insult");
      assertEquals(5 + 2.5, buyer.get(SotopiaSignals.KNOWLEDGE).orElseThrow(), "the partner proposed; one question");
      assertEquals(1.0, last.seat("agent-1").reward(), "goal / 10");
      List<Double> labels = steps.stream().map(x -> x.seats().values().stream()
          .map(st -> st.signals().get(SotopiaSignals.UTTERANCE_ATTRIBUTION)).flatMap(java.util.Optional::stream)
          .findFirst().orElseThrow()).toList();
      assertEquals(List.of(1.0, 1.0, 2.0, 3.0, -1.0, 0.0), labels, "talk, talk, propose, accept, repeat, leave");
    }
  }

  @Test
  void theOracleSeesOnlyItsOwnGoalAndBeatsRandomAtItsGoal() {
    Agent oracle = ENV.oracle().orElseThrow();
    double oracleGoal = 0;
    double randomGoal = 0;
    for (long seed = 0; seed < 100; seed++) {
      int[] d = SotopiaEnvironment.draw(TABLES, seed);
      Match m = EnvTestKit.playMatch(ENV, Map.of("agent-1", oracle, "agent-2", ENV.randomAgent()), task(seed), seed,
          50);
      for (AgentRequest r : m.requests().get("agent-1")) {
        assertEquals(TABLES.scenarios().get(d[0]).agentGoals().get(0), r.task().fields().get("goal"));
      }
      for (AgentRequest r : m.requests().get("agent-2")) {
        assertEquals(Map.of(), r.task().fields());
      }
      oracleGoal += m.last().seat("agent-1").signals().get(SotopiaSignals.GOAL).orElseThrow();
      randomGoal += m.last().seat("agent-2").signals().get(SotopiaSignals.GOAL).orElseThrow();
    }
    assertTrue(oracleGoal > randomGoal, oracleGoal + " vs " + randomGoal);
  }

  @Test
  void anUnreadableMessageCountsAsNothingAndSaysWhy() throws Exception {
    try (AsyncMultiAgentEnvironment e = (AsyncMultiAgentEnvironment) ENV.create()) {
      e.reset(task(1), 0).toCompletableFuture().join();
      MatchStep r = e.step(Map.of("agent-1", Message.assistant("hello!"))).toCompletableFuture().join();
      assertTrue(r.seat("agent-1").signals().has(StandardSignals.INVALID_ACTION));
      assertTrue(r.seat("agent-1").observation().get(0).content().startsWith("Not understood: write one action as"));
      assertTrue(r.seat("agent-2").observation().get(0).content().endsWith(" did nothing"));
      assertEquals(Set.of("agent-2"), r.next());
    }
  }
}
