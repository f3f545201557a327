package com.example.mastermind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Environment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MastermindTest {
  private final Mastermind provider = new Mastermind();
  private final Mastermind.Config config = provider.defaultConfig();

  @Test
  void passesTheEnvironmentChecker() {
    EnvChecker.check(provider.bind(config)).assertPassed();
  }

  @Test
  void feedbackCountsBlackThenWhitePegs() {
    Codes codes = config.codes();
    assertEquals(List.of(3, 0), pegs(codes, "rgb", "rgb"));
    assertEquals(List.of(1, 2), pegs(codes, "rgb", "rbg"));
    assertEquals(List.of(0, 1), pegs(codes, "rry", "gbr"), "a repeated colour counts once per peg it matches");
    assertEquals(List.of(1, 0), pegs(codes, "rrg", "ryy"));
    assertEquals(List.of(0, 0), pegs(codes, "yyy", "rgb"));
  }

  @Test
  void theOracleActsFromAnyStateSoItCanLabelAPolicysOwnStates() throws Exception {
    assertTrue(provider.oracleActsFromAnyState(config));
    BoundEnvironment env = provider.bind(config);
    Agent random = provider.randomAgent(config);
    Agent oracle = provider.oracle(config).orElseThrow();
    for (long seed = 0; seed < 40; seed++) {
      // two turns that are not the oracle's (an invalid one, then a random code), then the oracle from there
      Agent mixed = request -> switch (request.turn()) {
        case 0 -> java.util.concurrent.CompletableFuture.completedFuture(
            AgentResponse.reply(Message.assistant("<answer>purple</answer>")));
        case 1 -> random.act(request);
        default -> oracle.act(request);
      };
      Played p = play(env, mixed, Task.generated("mastermind", seed));
      assertTrue(p.won(), "seed " + seed + ": the oracle took over after two turns of others' and won");
    }
  }

  @Test
  void theOracleCracksEveryCodeWithinFiveGuesses() throws Exception {
    BoundEnvironment env = provider.bind(config);
    Set<String> codes = new HashSet<>();
    int worst = 0;
    for (long seed = 0; codes.size() < 64 && seed < 5_000; seed++) {
      Played p = play(env, provider.oracle(config).orElseThrow(), Task.generated("mastermind", seed));
      if (codes.add(p.reset.signals().get(Mastermind.CODE).orElseThrow())) {
        assertTrue(p.won(), "seed " + seed);
        worst = Math.max(worst, p.turns.size());
      }
    }
    assertEquals(64, codes.size(), "every code of 3 pegs in 4 colours was played");
    assertTrue(worst <= 5, "worst case " + worst + " guesses");
  }

  @Test
  void theRandomAgentRarelyWins() throws Exception {
    BoundEnvironment env = provider.bind(config);
    int won = 0;
    for (long seed = 0; seed < 400; seed++) {
      won += play(env, env.randomAgent(), Task.generated("mastermind", seed)).won() ? 1 : 0;
    }
    assertTrue(won > 10 && won < 120, "random wins " + won + " of 400 (expected about 12%)");
  }

  @Test
  void anUnreadableGuessIsAnsweredFlaggedAndUsesAGuess() {
    try (var env = (Environment) provider.create(new Mastermind.Config(3, "rgby", 1))) {
      env.reset(Task.generated("mastermind", 1), 1);
      StepResult r = env.step(Message.assistant("purple"));
      assertTrue(r.signals().has(StandardSignals.INVALID_ACTION));
      assertTrue(r.truncated(), "the only guess was used");
      assertEquals(false, r.signals().get(StandardSignals.SUCCESS).orElseThrow());
    }
  }

  @Test
  void configNamesTheBadField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Mastermind.Config(3, "rgbr", 8));
    assertTrue(e.getMessage().startsWith("colours must be 2 to 8 distinct lowercase letters"), e.getMessage());
  }

  @Test
  void eliminationPaysTheShareOfCodesEachGuessRulesOutAndSumsToTheWholeShrinkage() throws Exception {
    Played p = play(provider.bind(config), provider.oracle(config).orElseThrow(), Task.generated("mastermind", 7));
    Episode e = new Episode(Episode.SCHEMA, "e", "mastermind", "oracle", Task.generated("mastermind", 7), 7,
        EpisodeStatus.COMPLETED, null, true, 1, p.reset.observation(), List.of(), p.reset.signals(), p.turns,
        List.of(), 0, 0);
    List<RewardContribution> r = new Elimination().create(new Elimination.Config(2.0)).shape(e);
    assertEquals(p.turns.size(), r.size());
    double sum = r.stream().mapToDouble(RewardContribution::value).sum();
    assertEquals(2.0 * 63 / 64, sum, 1e-12, "64 codes narrowed to the 1 that is the answer");
    assertTrue(r.stream().allMatch(c -> c.value() >= 0), "feedback never adds candidates: " + r);
    assertFalse(r.isEmpty());
  }

  private static List<Integer> pegs(Codes codes, String guess, String code) {
    int f = codes.feedback(guess, code);
    return List.of(codes.black(f), codes.white(f));
  }

  private record Played(Reset reset, List<Turn> turns) {
    boolean won() {
      return turns.get(turns.size() - 1).signals().get(StandardSignals.SUCCESS).orElse(false);
    }
  }

  private static Played play(BoundEnvironment bound, Agent agent, Task task) throws Exception {
    try (var env = (Environment) bound.create()) {
      Reset reset = env.reset(task, task.seed());
      List<Message> conversation = new ArrayList<>(reset.observation());
      List<Turn> turns = new ArrayList<>();
      for (int t = 0; ; t++) {
        var reply = (AgentResponse.Reply) agent.act(new AgentRequest("e", task, task.seed(), t, conversation, List.of()))
            .toCompletableFuture().get();
        StepResult r = env.step(reply.message());
        turns.add(new Turn(t, reply.message(), null, r.observation(), r.reward(), r.terminated(), r.truncated(),
            r.signals(), 0, 0));
        conversation.add(reply.message());
        conversation.addAll(r.observation());
        if (r.done()) {
          return new Played(reset, turns);
        }
      }
    }
  }
}
