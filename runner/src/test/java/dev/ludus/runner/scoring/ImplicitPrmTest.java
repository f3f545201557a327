package dev.ludus.runner.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PRIME's implicit PRM: its law, its online update and its normalisation, on a tiny djl-lm checkpoint. */
class ImplicitPrmTest {
  @TempDir static Path tmp;
  static Path dir;
  static PluginContext.Owned context;

  @BeforeAll
  static void checkpoint() {
    dir = tmp.resolve("policy");
    try (LmTokenizer tokenizer = LmTokenizer.byteLevelBpe(List.of("guess a number between 1 and 100",
        "higher lower correct 50 25 37 42 7"), 300);
        LanguageModel model = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 256, tokenizer.vocabSize()),
            "cpu", 5)) {
      model.save(dir);
      tokenizer.save(dir.resolve(LmTokenizer.FILE_NAME));
    }
    context = PluginContext.standalone();
  }

  @AfterAll
  static void close() {
    context.close();
  }

  static Episode episode(String id, double reward, String... actions) {
    List<Turn> turns = new ArrayList<>();
    for (int t = 0; t < actions.length; t++) {
      turns.add(new Turn(t, Message.assistant(actions[t]), null, List.of(Message.user(t % 2 == 0 ? "higher" : "lower")),
          0, t == actions.length - 1, false, Signals.empty(), 0, 0));
    }
    return new Episode(Episode.SCHEMA, id, "guess-number", "test", new Task("t", 1, Map.of()), 1,
        EpisodeStatus.COMPLETED, null, reward > 0, reward, List.of(Message.system("guess a number"),
            Message.user("guess")), List.of(), Signals.empty(), turns, List.of(), 0, 0);
  }

  static final List<Episode> GROUP = List.of(episode("win", 1, "50", "25", "37 42"), episode("lose", 0, "50", "7"),
      episode("win2", 1, "42"));

  static ImplicitPrm prm(boolean normalize, double lr) {
    return ImplicitPrmShaperProvider.open(dir, "cpu", new ImplicitPrm.Options(0.05, lr, true, 0, normalize));
  }

  /** β·Σ over the episode's turns of Σ log π_φ − Σ log π_ref, each model asked on its own. */
  static double logRatio(ImplicitPrm prm, Episode e) {
    return betaLogRatio(0.05, prm.rows(e), prm.prm(), prm.reference());
  }

  /** β·Σ over {@code rows} of Σ log π_trained − Σ log π_reference, each model asked on its own. */
  static double betaLogRatio(double beta, List<ImplicitPrm.Row> rows, LanguageModel trained,
      LanguageModel reference) {
    double sum = 0;
    for (ImplicitPrm.Row r : rows) {
      for (float v : trained.logProbs(r.prompt(), r.output())) {
        sum += v;
      }
      for (float v : reference.logProbs(r.prompt(), r.output())) {
        sum -= v;
      }
    }
    return beta * sum;
  }

  @Test
  void beforeNormalisationTheTurnRewardsSumToBetaTimesTheTrajectoryLogRatio() {
    try (ImplicitPrm prm = prm(false, 1e-2)) {
      ImplicitPrm.Scores first = prm.score(List.of(GROUP));
      for (double[] r : first.raw().get(0)) {
        for (double v : r) {
          assertEquals(0.0, v, 1e-6, "the PRM starts as the reference");
        }
      }
      double[] expected = GROUP.stream().mapToDouble(e -> logRatio(prm, e)).toArray();
      ImplicitPrm.Scores second = prm.score(List.of(GROUP));
      for (int e = 0; e < GROUP.size(); e++) {
        double[] r = second.raw().get(0).get(e);
        assertEquals(GROUP.get(e).turns().size(), r.length);
        assertTrue(Math.abs(expected[e]) > 1e-5, "the update moved the PRM: " + expected[e]);
        assertEquals(expected[e], java.util.Arrays.stream(r).sum(), 1e-4 + 1e-3 * Math.abs(expected[e]));
      }
    }
  }

  @Test
  void theOnlineUpdateRaisesTheImplicitRewardOfSuccessesAndLowersThatOfFailures() {
    try (ImplicitPrm prm = prm(false, 1e-2)) {
      double loss0 = Double.NaN;
      for (int i = 0; i < 6; i++) {
        double l = prm.score(List.of(GROUP)).loss();
        loss0 = i == 0 ? l : loss0;
      }
      assertEquals(Math.log(2), loss0, 1e-5, "BCE at a zero log-ratio");
      assertTrue(logRatio(prm, GROUP.get(0)) > 0, "win: " + logRatio(prm, GROUP.get(0)));
      assertTrue(logRatio(prm, GROUP.get(2)) > 0, "win2: " + logRatio(prm, GROUP.get(2)));
      assertTrue(logRatio(prm, GROUP.get(1)) < 0, "lose: " + logRatio(prm, GROUP.get(1)));
    }
  }

  @Test
  void normalisationDividesByTheGroupsLargestReverseCumulativeSum() {
    List<double[]> raw = List.of(new double[] {0.5, -2, 1}, new double[] {3, -0.25}, new double[0]);
    List<double[]> n = ImplicitPrm.normalise(raw);
    double max = 3 - 0.25; // episode 2's suffix sums: -0.25, 2.75; episode 1's: 1, -1, -0.5
    for (int e = 0; e < raw.size(); e++) {
      for (int t = 0; t < raw.get(e).length; t++) {
        assertEquals(raw.get(e)[t] / max, n.get(e)[t], 1e-6);
      }
    }
  }

  @Test
  void theShaperGivesEveryTurnAContributionAndNormalisedRewardsOnceThePrmHasLearned() throws Exception {
    GroupShaper shaper = (GroupShaper) new ImplicitPrmShaperProvider().create(new ImplicitPrmShaperProvider.Config(
        dir.toString(), null, 1e-2, null, null, null, "cpu", 0), context);
    shaper.shapeGroup(GROUP).toCompletableFuture().get();
    List<List<RewardContribution>> out = shaper.shapeGroup(GROUP).toCompletableFuture().get();
    double max = 0;
    for (int e = 0; e < GROUP.size(); e++) {
      List<RewardContribution> c = out.get(e);
      assertEquals(GROUP.get(e).turns().size(), c.size());
      double suffix = 0;
      for (int t = c.size() - 1; t >= 0; t--) {
        assertEquals(t, c.get(t).turn());
        suffix += c.get(t).value();
        max = Math.max(max, Math.abs(suffix));
      }
    }
    assertEquals(1.0, max, 1e-3);
  }

  @Test
  void aBadBetaIsAConfigErrorNamingIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> new ImplicitPrmShaperProvider.Config(dir.toString(),
        -1.0, null, null, null, null, null, 0));
    assertTrue(e.getMessage().contains("beta"), e.getMessage());
  }
}
