package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.runner.learn.Demonstration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * DAgger's labels ({@link OracleLabels}): the oracle is asked at each state an episode reached, with the request the
 * policy had and the whole task, and from the first turn off its path on, its actions become demonstrations at the
 * policy's own prompts.
 */
class OracleLabelsTest {
  /** One id per letter (a = 8, b = 9, ...), end of turn 2. */
  private static final LmTokenizer LETTERS = new LmTokenizer() {
    @Override
    public int vocabSize() {
      return 40;
    }

    @Override
    public int[] encode(String text) {
      return text.chars().map(c -> c - 'a' + 8).toArray();
    }

    @Override
    public String decode(int[] ids) {
      StringBuilder b = new StringBuilder();
      for (int id : ids) {
        b.append((char) ('a' + id - 8));
      }
      return b.toString();
    }

    @Override
    public int padId() {
      return 0;
    }

    @Override
    public int bosId() {
      return 1;
    }

    @Override
    public int eosId() {
      return 2;
    }

    @Override
    public OptionalInt roleId(Role role) {
      return OptionalInt.empty();
    }

    @Override
    public String toJson() {
      return "{}";
    }
  };

  /**
   * An oracle that needs the task (its field {@code start}, a letter) and reads the state from the conversation: it
   * answers the letter {@code start} plus the number of actions so far. It records every request.
   */
  private static final class CountingOracle implements Agent {
    final List<AgentRequest> requests = new ArrayList<>();
    final List<String> ended = new ArrayList<>();

    @Override
    public CompletableFuture<AgentResponse> act(AgentRequest request) {
      requests.add(request);
      String start = request.task().fields().get("start");
      if (start == null) {
        return CompletableFuture.completedFuture(AgentResponse.failure("the task is withheld"));
      }
      long actions = request.conversation().stream().filter(m -> m.role() == Role.ASSISTANT).count();
      char next = (char) (start.charAt(0) + actions);
      return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("<answer>" + next
          + "</answer>")));
    }

    @Override
    public void episodeEnded(String episodeId) {
      ended.add(episodeId);
    }
  }

  private static Turn turn(int index, String action, int[] prompt) {
    int[] output = new int[] {action.charAt(0) - 'a' + 8, 2};
    TokenTrace trace = new TokenTrace(prompt, output, new float[] {-0.1f, -0.1f}, 0);
    return new Turn(index, Message.assistant(action), trace, List.of(Message.user("feedback " + index)), 0, false,
        false, Signals.empty(), 0, 0);
  }

  /** An episode of task {@code start = b} whose policy wrote {@code actions}, turn t's prompt {@code {1, t + 3}}. */
  private static Episode episode(String id, String... actions) {
    return episode(id, false, actions);
  }

  private static Episode episode(String id, boolean success, String... actions) {
    List<Turn> turns = new ArrayList<>();
    for (int t = 0; t < actions.length; t++) {
      turns.add(turn(t, actions[t], new int[] {1, t + 3}));
    }
    return new Episode(Episode.SCHEMA, id, "counting", "djl-lm", new Task("task-1", 5, Map.of("start", "b")), 17,
        EpisodeStatus.COMPLETED, null, success, 0, List.of(Message.user("go")), List.of(), Signals.empty(), turns,
        List.of(), 0, 0);
  }

  @Test
  void turnsFromTheFirstOffPathOneOnAreLabelledWithTheOraclesActionAtThePolicysPrompt() throws Exception {
    CountingOracle oracle = new CountingOracle();
    // the oracle would write b, c, d, e: the policy matched it at turn 0 and left its path at turn 1
    List<Demonstration> labels = new OracleLabels(oracle, LETTERS, false, null)
        .label(List.of(episode("e-0", "b", "x", "d", "y")));
    assertEquals(3, labels.size(), "turns 1, 2 and 3: the turn that left the path and every later one");
    assertArrayEquals(new int[] {1, 4}, labels.get(0).promptIds(), "the policy's own prompt of turn 1");
    assertArrayEquals(new int[] {'c' - 'a' + 8, 2}, labels.get(0).targetIds(), "the oracle's action, end of turn");
    assertArrayEquals(new int[] {'d' - 'a' + 8, 2}, labels.get(1).targetIds(), "labelled although it agreed: the "
        + "state is off the oracle's path");
    assertArrayEquals(new int[] {'e' - 'a' + 8, 2}, labels.get(2).targetIds());
    AgentRequest third = oracle.requests.get(2);
    assertEquals(List.of(Message.user("go"), Message.assistant("b"), Message.user("feedback 0"),
        Message.assistant("x"), Message.user("feedback 1")), third.conversation(), "the conversation the policy had");
    assertEquals(2, third.turn());
    assertEquals(17, third.seed());
    assertEquals(List.of("e-0"), oracle.ended, "the oracle is told the episode ended");
  }

  @Test
  void anEpisodeOnTheOraclesPathGivesNoLabels() throws Exception {
    CountingOracle oracle = new CountingOracle();
    List<Demonstration> labels = new OracleLabels(oracle, LETTERS, false, null)
        .label(List.of(episode("e-1", "b", "c", "d")));
    assertTrue(labels.isEmpty(), "the demonstrations already cover the oracle's path: " + labels);
    assertEquals(3, oracle.requests.size());
  }

  @Test
  void aTurnTheOracleDeclinesEndsTheEpisodesLabels() throws Exception {
    Agent declines = request -> CompletableFuture.completedFuture(AgentResponse.failure("no way on"));
    assertTrue(new OracleLabels(declines, LETTERS, false, null).label(List.of(episode("e-2", "x", "y"))).isEmpty());
  }

  /**
   * With a greedy agent ({@code learner.ptxLabelsFrom: GREEDY_FAILURES}) the iteration plays one greedy episode per
   * task on seeds of their own, and only the failed ones are labelled, at their first off-path turn (a state on the
   * oracle's path): a greedy episode that won off the oracle's path needs no label, and the sampled episodes are not
   * looked at.
   */
  @Test
  void withAGreedyAgentOnlyTheGreedyEpisodesThatFailedAreLabelled() throws Exception {
    Agent greedy = request -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("z")));
    TrainConfig config = TrainConfig.read("{tasksPerIteration: 3, seed: 4}");
    List<Object[]> asked = new ArrayList<>();
    OracleLabels.Player player = (agent, runId, episodes, seed) -> {
      asked.add(new Object[] {agent, runId, episodes, seed});
      return List.of(episode("g-0", true, "b", "x"), episode("g-1", false, "b", "x", "y", "z"),
          episode("g-2", true, "b", "c"));
    };
    List<Episode> sampled = List.of(episode("s-0", false, "x", "y", "z"));
    OracleLabels.Labelled l = new OracleLabels(new CountingOracle(), LETTERS, false, greedy)
        .iteration(player, config, sampled, "run", 7);
    assertEquals(1, asked.size());
    assertEquals(greedy, asked.get(0)[0], "the greedy agent plays");
    assertEquals(3, asked.get(0)[2], "one episode per task of the iteration");
    assertEquals(OracleLabels.labelSeed(4, 7), asked.get(0)[3]);
    assertEquals(1, l.labels().size(), "g-1's first off-path turn only, not its detour after it (g-0 won off the "
        + "path, the sampled s-0 is not read): " + l);
    assertArrayEquals(new int[] {1, 4}, l.labels().get(0).promptIds(), "g-1's own prompt of turn 1");
    assertArrayEquals(new int[] {'c' - 'a' + 8, 2}, l.labels().get(0).targetIds());
    assertEquals(3, l.episodes());
    assertEquals(1, l.labelled());
    OracleLabels.Labelled old = new OracleLabels(new CountingOracle(), LETTERS, false, null)
        .iteration(player, config, sampled, "run", 7);
    assertEquals(3, old.labels().size(), "without a greedy agent the sampled episodes are labelled");
    assertEquals(1, asked.size(), "and nothing is played");
  }

  @Test
  void labelSeedsAreApartFromEveryOtherRollouts() {
    long seed = 3;
    java.util.Set<Long> others = new java.util.HashSet<>();
    others.add(seed + Rollouts.EVAL_SEED_OFFSET);
    others.add(seed + ValidationSelection.VALIDATION_SEED_OFFSET);
    for (int it = 0; it < 1000; it++) {
      others.add(Rollouts.trainingSeed(seed, it));
    }
    for (int it = 0; it < 1000; it++) {
      assertTrue(others.add(OracleLabels.labelSeed(seed, it)), "iteration " + it);
    }
  }
}
