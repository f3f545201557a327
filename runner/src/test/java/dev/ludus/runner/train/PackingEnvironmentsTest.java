package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.api.Registry;
import dev.ludus.api.Turn;
import dev.ludus.environments.text.ActionText;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.PackedSample;
import dev.ludus.runner.learn.PolicyLearner;
import dev.ludus.runner.learn.Sample;
import dev.ludus.runner.learn.UpdateStats;
import dev.ludus.runner.runtime.EpisodeRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token-in/token-out stays exact when an episode's turns are packed (issue 19, point 3), on every registered
 * environment, with a real {@code djl-lm} policy whose byte-level BPE was trained on the environment's text:
 * <ul>
 *   <li>the teacher path (the warm start's: the oracle's and the random agent's actions, the student's own prompts
 *       and the action's ids as targets) has the prefix property on every turn whose prompt was not cut to fit the
 *       context: each prompt continues the previous prompt and target;
 *   <li>the policy's own episodes, packed wherever the prefix property holds, give back at every trained token
 *       exactly the log-probability recorded at rollout (importance ratio 1), and no turn is lost where it fails.
 *       (An untrained policy on a byte-level BPE writes id sequences its reply's text does not encode back to, and
 *       the chat template re-encodes the history, so most of its episodes are split: the table printed says how.)
 * </ul>
 */
class PackingEnvironmentsTest {
  private static final Registry REGISTRY = Registry.load();
  /** Long enough for most episodes; the long ones (frozen-lake, gridworld) are cut and fall back, still exact. */
  private static final int CONTEXT = 512;
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  /** The built-in environments (the {@code environments} module's), not the test plugins on the class path. */
  private static List<String> builtIn() {
    List<String> names = new ArrayList<>();
    for (String name : REGISTRY.environments().names()) {
      if (REGISTRY.environments().get(name).getClass().getName().startsWith("dev.ludus.environments.")) {
        names.add(name);
      }
    }
    assertTrue(names.containsAll(List.of("guess-number", "gridworld", "frozen-lake", "sokoban", "twenty-questions",
        "deal-or-no-deal", "search-qa")), names.toString());
    return names;
  }

  private static DjlLmAgent policy(BoundEnvironment env, int context, int maxNewTokens) throws Exception {
    List<String> corpus = TokenizerCorpus.gather(runtime, env, new TokenizerCorpus.Options(3, 3, TokenizerCorpus.SEED));
    DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults().withArchitecture(1, 16, 2, context)
        .withBpe(DjlLmAgentProvider.Bpe.of(400, corpus)).withMaxNewTokens(maxNewTokens).withSeed(5)
        .withBatching(64, 1);
    return (DjlLmAgent) new DjlLmAgentProvider().create(config.withDevice("cpu"), env);
  }

  @Test
  void theTeacherPathHasThePrefixPropertyOnEveryTurnOfEveryEnvironment() throws Exception {
    for (String name : builtIn()) {
      BoundEnvironment env = Plugins.environment(REGISTRY, name, null);
      // the student's reply is not used, only its prompt: one token is enough
      try (DjlLmAgent student = policy(env, CONTEXT, 1); Agent random = env.randomAgent();
          Agent oracle = env.oracle().orElse(null)) {
        for (Agent driver : oracle == null ? List.of(random) : List.of(oracle, random)) {
          Recorder teacher = new Recorder(driver, student);
          play(env, teacher, 2, 11);
          int turns = 0;
          for (List<int[][]> episode : teacher.byEpisode().values()) {
            for (int t = 1; t < episode.size(); t++) {
              int[] previous = IntStream.concat(Arrays.stream(episode.get(t - 1)[0]), Arrays.stream(episode.get(t - 1)[1]))
                  .toArray();
              int[] prompt = episode.get(t)[0];
              boolean cut = prompt.length == CONTEXT - 1; // the generator cut it from the left to fit the context
              assertTrue(cut || prompt.length >= previous.length
                      && Arrays.equals(prompt, 0, previous.length, previous, 0, previous.length),
                  name + ": turn " + t + "'s prompt does not continue turn " + (t - 1) + "'s prompt and target");
            }
            turns += episode.size();
          }
          assertTrue(turns >= 2, name + ": the teacher played " + turns + " turns");
        }
      }
    }
  }

  @Test
  void thePolicysOwnEpisodesPackedGiveBackTheRecordedLogProbabilitiesOnEveryEnvironment() throws Exception {
    StringBuilder table = new StringBuilder();
    for (String name : builtIn()) {
      BoundEnvironment env = Plugins.environment(REGISTRY, name, null);
      long start = System.nanoTime();
      try (DjlLmAgent policy = policy(env, CONTEXT, 4)) {
        Packed p = packOwnEpisodes(env, policy, 1);
        table.append(String.format("%-18s %3d turns in %3d rows, %d of %d episodes split (%.1f s)%n", name, p.turns,
            p.rows.size(), p.split, p.episodes, (System.nanoTime() - start) / 1e9));
        assertRatioOne(name, policy, p);
      }
    }
    System.out.print("packing the untrained policy's own episodes:\n" + table);
  }

  /** A context too small for the conversation: the generator cuts the prompt from the left and packing falls back. */
  @Test
  void promptsCutFromTheLeftToFitTheContextSplitTheEpisodeAndLoseNoTurn() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "guess-number", "{low: 1, high: 64, maxTurns: 8}");
    try (DjlLmAgent policy = policy(env, 96, 6)) {
      Packed p = packOwnEpisodes(env, policy, 4);
      assertTrue(p.split > 0, "a context of 96 tokens cannot hold 8 turns of guess-number");
      assertTrue(p.rows.size() > p.episodes);
      assertRatioOne("guess-number (context 96)", policy, p);
    }
  }

  private record Packed(List<PackedSample> rows, int turns, int episodes, int split) {}

  private static Packed packOwnEpisodes(BoundEnvironment env, DjlLmAgent policy, int episodes) throws Exception {
    List<PackedSample> rows = new ArrayList<>();
    int turns = 0;
    int split = 0;
    List<Episode> played = play(env, policy, episodes, 7);
    for (Episode e : played) {
      List<Sample> samples = new ArrayList<>();
      for (Turn t : e.turns()) {
        if (t.tokens() != null && t.tokens().outputIds().length > 0) {
          samples.add(Sample.of(t.tokens(), 1.0).withTemperature(policy.config().temperature()));
        }
      }
      if (samples.isEmpty()) {
        continue;
      }
      List<PackedSample> packed = PackedSample.pack(samples);
      assertEquals(samples, packed.stream().flatMap(r -> r.turns().stream()).sorted(
          (a, b) -> Integer.compare(samples.indexOf(a), samples.indexOf(b))).toList(), "every turn in one row");
      rows.addAll(packed);
      turns += samples.size();
      split += packed.size() > 1 ? 1 : 0;
    }
    assertFalse(rows.isEmpty(), env.name() + ": the policy played no turn with tokens");
    return new Packed(rows, turns, played.size(), split);
  }

  /** On-policy packed rows: the learner's log-probability of every trained token is the one recorded at rollout. */
  private static void assertRatioOne(String name, DjlLmAgent policy, Packed p) {
    LearnerConfig config = LearnerConfig.defaults().withMicroBatchTokens(8192);
    try (PolicyLearner learner = new PolicyLearner(policy.trainable(), null, config)) {
      UpdateStats stats = learner.updatePacked(p.rows);
      assertEquals(p.turns, stats.samples(), name);
      assertEquals(p.rows.size(), stats.rows(), name);
      assertEquals(1.0, stats.ratioMin(), 2e-3, name + ": smallest ratio");
      assertEquals(1.0, stats.ratioMax(), 2e-3, name + ": largest ratio");
    }
  }

  private static List<Episode> play(BoundEnvironment env, Agent agent, int episodes, long seed) throws Exception {
    return PlayedEpisodes.play(runtime, "packing-" + env.name(), env, "djl-lm", agent, episodes, seed);
  }

  /**
   * The warm start's teacher (see {@link TeacherAgent}), recording per episode each turn's prompt (the student's
   * own, from its token trace) and target (the action's ids and end-of-sequence).
   */
  private static final class Recorder implements PrivilegedAgent {
    private final Agent driver;
    private final DjlLmAgent student;
    private final Map<String, List<int[][]>> turns = new TreeMap<>();

    Recorder(Agent driver, DjlLmAgent student) {
      this.driver = driver;
      this.student = student;
    }

    @Override
    public CompletionStage<AgentResponse> act(AgentRequest request) {
      AgentRequest asStudent = new AgentRequest(request.episodeId(), request.task().withheld(), request.seed(),
          request.turn(), request.conversation(), request.tools(), request.seat());
      AgentRequest toDriver = driver instanceof PrivilegedAgent ? request : asStudent;
      return driver.act(toDriver).thenCombine(student.act(asStudent), (o, s) -> {
        if (!(o instanceof AgentResponse.Reply reply)) {
          return o;
        }
        String action = ActionText.extract(reply.message());
        if (s instanceof AgentResponse.Reply r && r.tokens() != null && !action.isEmpty()) {
          int[] target = IntStream.concat(IntStream.of(student.tokenizer().encode(action)),
              IntStream.of(student.tokenizer().eosId())).toArray();
          synchronized (turns) {
            List<int[][]> episode = turns.computeIfAbsent(request.episodeId(), k -> new ArrayList<>());
            episode.add(new int[][] {r.tokens().promptIds(), target});
          }
        }
        return AgentResponse.reply(Message.assistant(action));
      });
    }

    Map<String, List<int[][]>> byEpisode() {
      synchronized (turns) {
        return new TreeMap<>(turns);
      }
    }
  }
}
