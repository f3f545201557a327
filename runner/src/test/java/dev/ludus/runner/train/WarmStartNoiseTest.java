package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.api.Registry;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.learn.Demonstration;
import dev.ludus.runner.runtime.EpisodeRuntime;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code warmStartNoise}: DART's noise on the warm start's oracle episodes (Laskey et al. 2017). A share of the turns
 * is the random agent's, and every turn's demonstration is the student's prompt for the state reached with the
 * oracle's action there; at 0 the demonstrations are the oracle's alone, as before.
 */
class WarmStartNoiseTest {
  private static final Registry REGISTRY = Registry.load();
  private static final String SOKOBAN = "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}";
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @Test
  void theNoisyTurnsAreSeededByEpisodeAndTurnAndNeverAtZero() {
    int noisy = 0;
    for (long seed = 0; seed < 2000; seed++) {
      for (int turn = 0; turn < 5; turn++) {
        assertFalse(TeacherAgent.noisy(0, seed, turn));
        boolean n = TeacherAgent.noisy(0.2, seed, turn);
        assertEquals(n, TeacherAgent.noisy(0.2, seed, turn), "the same episode seed and turn draw the same");
        noisy += n ? 1 : 0;
      }
    }
    assertEquals(0.2, noisy / 10_000.0, 0.02, "about the noise's share of the turns");
  }

  /**
   * At noise 0.3 on sokoban some turns are the random agent's; every demonstration, those after a non-oracle move
   * included, is the prompt of the state the student saw and the target the oracle gives from that very state (asked
   * afresh); some of them show a blocked move's observation, which the oracle alone never makes.
   */
  @Test
  void theDemonstrationsHoldStatesAfterANonOracleMoveLabelledWithTheOraclesAction() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "sokoban", SOKOBAN);
    try (DjlLmAgent student = student(env); Agent oracle = env.oracle().orElseThrow(); Agent random = env.randomAgent();
        Agent fresh = env.oracle().orElseThrow()) {
      TeacherAgent teacher = new TeacherAgent(oracle, student, false, 0.3, random);
      List<Episode> played = play(env, teacher, 32, 13);
      Map<String, Map<Integer, TeacherAgent.Recorded>> byTurn = new HashMap<>();
      for (TeacherAgent.Recorded r : teacher.recorded()) {
        byTurn.computeIfAbsent(r.episodeId(), k -> new HashMap<>()).put(r.turn(), r);
      }
      int afterNoise = 0;
      int blocked = 0;
      int offMoves = 0;
      for (Episode e : played) {
        List<Message> conversation = new ArrayList<>(e.start());
        boolean off = false;
        for (Turn turn : e.turns()) {
          AgentRequest request = new AgentRequest(e.id(), e.task(), e.seed(), turn.index(), conversation, e.tools());
          AgentResponse.Reply label = (AgentResponse.Reply) fresh.act(request).toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
          fresh.episodeEnded(e.id());
          TeacherAgent.Recorded r = byTurn.get(e.id()).get(turn.index());
          assertArrayEquals(TeacherAgent.target(student.tokenizer(), label, false), r.demonstration().targetIds(),
              e.id() + " turn " + turn.index() + ": the oracle's action at the state reached");
          assertEquals(off, r.afterNoise(), e.id() + " turn " + turn.index());
          String prompt = student.tokenizer().decode(r.demonstration().promptIds());
          String seen = conversation.get(conversation.size() - 1).content();
          assertTrue(prompt.contains(seen), "the prompt is the state the student saw: " + seen);
          if (off) {
            afterNoise++;
            blocked += seen.contains("Blocked:") ? 1 : 0;
          }
          boolean oracles = turn.action().content().equals(TeacherAgent.action(label, false));
          offMoves += oracles ? 0 : 1;
          off |= !oracles;
          conversation.add(turn.action());
          conversation.addAll(turn.observation());
        }
      }
      assertTrue(offMoves >= 5, "non-oracle moves played: " + offMoves);
      assertTrue(afterNoise >= 5, "demonstrations after a non-oracle move: " + afterNoise);
      assertTrue(blocked >= 1, "demonstrations of a blocked move's observation: " + blocked);
      Set<String> failed = played.stream().filter(e -> !e.success()).map(Episode::id).collect(Collectors.toSet());
      assertFalse(failed.isEmpty(), "the noise loses some rooms");
      long dropped = teacher.recorded().stream().filter(r -> r.afterNoise() && failed.contains(r.episodeId())).count();
      assertTrue(dropped > 0);
      assertEquals(teacher.recorded().size() - dropped, teacher.demonstrations(failed).size(),
          "a failed episode's demonstrations after its first non-oracle move are left out, no others");
    }
  }

  /** At noise 0 the teacher plays and demonstrates exactly what the oracle alone did before the noise existed. */
  @Test
  void noiseZeroReproducesTheOracleAlonesDemonstrations() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "sokoban", SOKOBAN);
    try (DjlLmAgent student = student(env); Agent oracle = env.oracle().orElseThrow(); Agent random = env.randomAgent()) {
      Before before = new Before(oracle, student);
      List<Episode> a = play(env, before, 24, 17);
      TeacherAgent teacher = new TeacherAgent(oracle, student, false, 0, null);
      List<Episode> b = play(env, teacher, 24, 17);
      assertEquals(actions(a), actions(b), "the same moves");
      List<Demonstration> then = WarmStarter.canonical(before.demonstrations());
      List<Demonstration> now = WarmStarter.canonical(teacher.demonstrations(Set.copyOf(ids(b))));
      assertEquals(then.size(), now.size());
      assertTrue(then.size() >= 48, "demonstrations: " + then.size());
      for (int i = 0; i < then.size(); i++) {
        assertArrayEquals(then.get(i).promptIds(), now.get(i).promptIds(), "demonstration " + i);
        assertArrayEquals(then.get(i).targetIds(), now.get(i).targetIds(), "demonstration " + i);
      }
      assertTrue(teacher.recorded().stream().noneMatch(TeacherAgent.Recorded::afterNoise));
      TeacherAgent noisy = new TeacherAgent(oracle, student, false, 0.3, random);
      assertFalse(actions(a).equals(actions(play(env, noisy, 24, 17))), "noise 0.3 plays other moves");
    }
  }

  @Test
  void theRecipeNoisesTheWarmStartOfABoardWorldWhoseOracleActsFromAnyStateAndAConfigWins() {
    ResolvedConfig sokoban = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("sokoban", SOKOBAN));
    assertEquals(Recipe.WARM_START_NOISE, sokoban.config().warmStartNoise());
    assertEquals(Recipe.Source.RECIPE, sokoban.origins().get("warmStartNoise").source());
    assertTrue(sokoban.origins().get("warmStartNoise").why().contains("DART"),
        sokoban.origins().get("warmStartNoise").why());
    ResolvedConfig questions = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("twenty-questions",
        "{candidates: 8, maxTurns: 6}"));
    assertEquals(0.0, questions.config().warmStartNoise(), "twenty-questions' oracle does not act from any state");
    ResolvedConfig guess = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("guess-number",
        "{low: 1, high: 8, maxTurns: 4}"));
    assertEquals(0.0, guess.config().warmStartNoise(), "guess-number's oracle acts from any state, but it is no "
        + "board world");
    assertEquals(Recipe.Source.RECIPE, guess.origins().get("warmStartNoise").source());
    assertEquals(0.0, Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("gridworld", "{width: 5, height: 5, maxTurns: 20}"))
        .config().warmStartNoise(), "gridworld 5x5 is a board world, but declares no cells");
    ResolvedConfig set = Recipe.resolve(REGISTRY, new Recipe.Request("sokoban", SOKOBAN, "{warmStartNoise: 0}", null));
    assertEquals(0.0, set.config().warmStartNoise(), "a config file's value wins over the rule");
    ConfigException range = assertThrows(ConfigException.class, () -> TrainConfig.read("warmStartNoise: 1"));
    assertTrue(range.getMessage().contains("warmStartNoise must be in [0, 1)"), range.getMessage());
    ResolvedConfig refused = Recipe.resolve(REGISTRY, new Recipe.Request("twenty-questions",
        "{candidates: 8, maxTurns: 6}", "{warmStartNoise: 0.2}", null));
    ConfigException e = assertThrows(ConfigException.class, () -> new Trainer(REGISTRY, refused.config(), null,
        new PrintWriter(Writer.nullWriter())).validate());
    assertTrue(e.getMessage().contains("warmStartNoise is 0.2") && e.getMessage().contains("set warmStartNoise to 0"),
        e.getMessage());
  }

  private static List<String> actions(List<Episode> episodes) {
    List<Episode> sorted = new ArrayList<>(episodes);
    sorted.sort((x, y) -> x.id().compareTo(y.id()));
    return sorted.stream().map(e -> e.turns().stream().map(t -> t.action().content()).collect(Collectors.joining(" ")))
        .toList();
  }

  private static List<String> ids(List<Episode> episodes) {
    return episodes.stream().map(Episode::id).toList();
  }

  private static DjlLmAgent student(BoundEnvironment env) throws Exception {
    List<String> corpus = TokenizerCorpus.gather(runtime, env, new TokenizerCorpus.Options(3, 3, TokenizerCorpus.SEED));
    DjlLmAgentProvider.Config c = DjlLmAgentProvider.Config.defaults().withArchitecture(1, 16, 2, 1024)
        .withBpe(DjlLmAgentProvider.Bpe.of(400, corpus)).withMaxNewTokens(1).withSeed(5).withBatching(64, 1)
        .withDevice("cpu");
    return (DjlLmAgent) new DjlLmAgentProvider().create(c, env);
  }

  private static List<Episode> play(BoundEnvironment env, Agent agent, int episodes, long seed) throws Exception {
    return PlayedEpisodes.play(runtime, "noise-" + env.name(), env, "teacher", agent, episodes, seed);
  }

  /** The warm start's teacher as it was before {@code warmStartNoise}: the oracle plays, each turn demonstrated. */
  private static final class Before implements PrivilegedAgent {
    private final Agent oracle;
    private final DjlLmAgent student;
    private final List<Demonstration> demonstrations = new ArrayList<>();

    Before(Agent oracle, DjlLmAgent student) {
      this.oracle = oracle;
      this.student = student;
    }

    @Override
    public CompletionStage<AgentResponse> act(AgentRequest request) {
      AgentRequest asStudent = new AgentRequest(request.episodeId(), request.task().withheld(), request.seed(),
          request.turn(), request.conversation(), request.tools(), request.seat());
      return oracle.act(request).thenCombine(student.act(asStudent), (o, s) -> {
        if (!(o instanceof AgentResponse.Reply reply)) {
          return o;
        }
        String action = TeacherAgent.action(reply, false);
        int[] target = TeacherAgent.target(student.tokenizer(), reply, false);
        if (s instanceof AgentResponse.Reply r && r.tokens() != null && target != null) {
          synchronized (demonstrations) {
            demonstrations.add(new Demonstration(r.tokens().promptIds(), target));
          }
        }
        return AgentResponse.reply(Message.assistant(action));
      });
    }

    @Override
    public void episodeEnded(String episodeId) {
      oracle.episodeEnded(episodeId);
      student.episodeEnded(episodeId);
    }

    List<Demonstration> demonstrations() {
      synchronized (demonstrations) {
        return List.copyOf(demonstrations);
      }
    }
  }
}
