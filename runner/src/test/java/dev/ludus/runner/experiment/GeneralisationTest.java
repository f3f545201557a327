package dev.ludus.runner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Registry;
import dev.ludus.runner.cli.ExperimentCommand;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.train.EvaluationMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generalisation table's rows, targets and instances (the runs themselves are a benchmark, not a test). */
class GeneralisationTest {
  private static final Generalisation.Instance LAKE = new Generalisation.Instance("frozen-lake", null);

  private static Generalisation.RunResult run(long seed, double before, double warm, double rl, double seconds) {
    return new Generalisation.RunResult("frozen-lake", seed, before, warm, rl, true, seconds, seconds / 2,
        List.of(0.5, 0.6), Path.of("runs", "seed-" + seed), new Generalisation.Returns(before, warm, rl), 0);
  }

  @Test
  void aRowAveragesItsSeedsAndChecksEachTarget() {
    Generalisation.Row good = Generalisation.row(LAKE, List.of(run(1, 0.1, 0.8, 0.9, 100), run(2, 0.2, 0.9, 1.0, 200)),
        1.0, 1.0);
    assertEquals(0.15, good.meanBefore(), 1e-12);
    assertEquals(0.95, good.meanRl(), 1e-12);
    assertEquals(Math.sqrt(0.005), good.stdRl(), 1e-12, "sample standard deviation over the seeds");
    assertEquals(150, good.meanSeconds(), 1e-12);
    assertTrue(good.keptWarmStart() && good.doubled() && good.reachedOracleTarget() && good.inTime());

    Generalisation.Row lost = Generalisation.row(LAKE, List.of(run(1, 0.5, 0.8, 0.9, 100), run(2, 0.5, 0.9, 0.7, 700)),
        1.0, 1.0);
    assertFalse(lost.keptWarmStart(), "one seed ended below its warm start");
    assertFalse(lost.doubled(), "0.8 is not twice 0.5");
    assertTrue(lost.reachedOracleTarget(), "0.8 mean with a perfect oracle");
    assertFalse(lost.inTime(), "a run over 10 minutes");
    assertTrue(Generalisation.row(LAKE, List.of(run(1, 0, 0.2, 0.3, 1)), 0.5, 0.5).reachedOracleTarget(),
        "the 0.8 target applies only where the oracle is perfect");
    assertFalse(Generalisation.row(LAKE, List.of(run(1, 0, 0.2, 0.3, 1)), 1.0, 1.0).reachedOracleTarget());

    String table = Generalisation.table(new Generalisation.Summary(
        new Generalisation.Options(List.of(LAKE), List.of(1L, 2L), null), List.of(lost)));
    assertTrue(table.contains("| frozen-lake | `defaults` | 1.00 | 0.500 ± 0.000 | 0.850 ± 0.071 | 0.800 ± 0.141 | -0.050 |"),
        table);
    assertTrue(table.contains("**lost**, **not 2×**, ≥0.8, **>10 min**"), table);
  }

  @Test
  void aScoreEnvironmentGetsItsReturnsWithTheTargetsOnThem() {
    Generalisation.Instance deal = new Generalisation.Instance("deal-or-no-deal", null);
    // agreement (success) and points (return) differ: the second seed's RL kept agreeing but scored less
    Generalisation.RunResult one = new Generalisation.RunResult("deal-or-no-deal", 1, 0.0, 0.6, 0.7, true, 60, 30,
        List.of(0.5), Path.of("runs", "seed-1"), new Generalisation.Returns(0.0, 3.0, 4.0), 0);
    Generalisation.RunResult two = new Generalisation.RunResult("deal-or-no-deal", 2, 0.0, 0.6, 0.6, true, 60, 30,
        List.of(0.5), Path.of("runs", "seed-2"), new Generalisation.Returns(0.0, 3.0, 2.5), 3);
    Generalisation.Row row = Generalisation.row(deal, List.of(one, two), 1.0, 5.0);
    assertTrue(row.scores());
    assertTrue(row.keptWarmStart(), "agreement kept on both seeds");
    assertFalse(row.keptWarmStartReturn(), "the score fell on seed 2");
    assertEquals(3.25, row.returns().afterRl(), 1e-12);
    assertFalse(row.reachedOracleReturn(), "3.25 is below 0.8 of the oracle's 5");
    assertTrue(row.doubledReturn());
    assertEquals(3, row.failed());
    String table = Generalisation.table(new Generalisation.Summary(
        new Generalisation.Options(List.of(deal), List.of(1L, 2L), null), List.of(row)));
    assertTrue(table.contains("| deal-or-no-deal | 5.000 | 0.000 | 3.000 | 3.250 | +0.250 | **lost**, 2×, **<0.8** |"),
        table);
    assertTrue(table.contains("deal-or-no-deal: 3 held-out episodes failed"), table);

    Generalisation.Row lake = Generalisation.row(LAKE, List.of(run(1, 0.1, 0.8, 0.9, 100)), 1.0, 1.0);
    assertFalse(lake.scores(), "returns equal to the success shares: no score table");
    assertFalse(Generalisation.table(new Generalisation.Summary(new Generalisation.Options(List.of(LAKE), List.of(1L),
        null), List.of(lake))).contains("mean return"));
  }

  @Test
  void theReturnsComeFromTheRunsEvaluationLines(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("evaluations.jsonl"), String.join("\n",
        "{\"evaluation\":\"before\",\"episodes\":4,\"success\":0.0,\"meanTurns\":1,\"meanReturn\":0.5,\"failed\":1}",
        "{\"evaluation\":\"after-warm-start\",\"episodes\":4,\"success\":0.5,\"meanTurns\":1,\"meanReturn\":2.0}",
        "{\"evaluation\":\"after\",\"episodes\":4,\"success\":0.75,\"meanTurns\":1,\"meanReturn\":4.0}") + "\n");
    List<EvaluationMetrics> lines = Generalisation.evaluations(dir);
    assertEquals(new Generalisation.Returns(0.5, 2.0, 4.0), Generalisation.returns(lines));
    assertEquals(1, lines.get(0).failed());
    assertNull(Generalisation.returns(lines.subList(0, 2)), "no after line: no returns");
    assertNull(Generalisation.returns(List.of(EvaluationMetrics.read(
        "{\"evaluation\":\"before\",\"episodes\":4,\"success\":0.0,\"meanTurns\":1}"),
        EvaluationMetrics.read("{\"evaluation\":\"after\",\"episodes\":4,\"success\":0.0,\"meanTurns\":1}"))),
        "lines written before returns were recorded");
    assertEquals(List.of(), Generalisation.evaluations(dir.resolve("missing")));
  }

  @Test
  void theDefaultInstancesAreTheRegisteredEnvironmentsOfTheTableInItsOrder() {
    List<Generalisation.Instance> instances = Generalisation.defaultInstances(Registry.load());
    List<String> names = instances.stream().map(Generalisation.Instance::env).toList();
    assertEquals(List.of("guess-number", "frozen-lake", "gridworld", "sokoban", "twenty-questions"), names.subList(0, 5));
    assertFalse(names.contains("mastermind"), "a plugin's environment joins only when its plugin is loaded");
    assertEquals(Json.YAML.createObjectNode().put("low", 1).put("high", 8).put("maxTurns", 4),
        instances.get(0).envConfig(), "the table's size for guess-number: the main job's");
    assertEquals("{}", Generalisation.instances(List.of("test-context-env")).get(0).envConfigText(),
        "an environment the table does not size runs with its defaults");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"text-to-sql", "search-qa"})
  void textToSqlAndSearchQaTrainOnTheirTrainSplitAndAreEvaluatedOnTheirDevSplit(String name) {
    Generalisation.Instance sql = Generalisation.instances(List.of(name)).get(0);
    EnvironmentProvider<?> provider = Registry.load().environments().get(name);
    BoundEnvironment env = BoundEnvironment.ofUnchecked(provider, PluginConfigs.bind(provider, sql.envConfig()));
    assertEquals("train", Json.YAML.valueToTree(env.config()).get("split").asText());
    BoundEnvironment heldOut = env.heldOut().orElseThrow();
    assertEquals("dev", Json.YAML.valueToTree(heldOut.config()).get("split").asText(),
        "held-out questions are questions training never plays (search-qa: about entities it never asks about)");
  }

  @Test
  void theHelpNamesEveryEnvironmentOfTheTable() throws Exception {
    String help = String.join(" ", ExperimentCommand.GeneralisationCommand.class.getDeclaredField("envs")
        .getAnnotation(picocli.CommandLine.Option.class).description());
    for (String name : Generalisation.instanceTable().keySet()) {
      assertTrue(help.contains(name), "--envs' help leaves out " + name + ": " + help);
    }
  }

  /** {@code --config} lays a configuration over every run's recipe (an arm of a comparison), and the table says so. */
  @Test
  void aConfigIsLaidOverEveryRunsRecipeAndNamedInTheTable() {
    Registry registry = Registry.load();
    Generalisation.Instance deal = new Generalisation.Instance("deal-or-no-deal", null);
    Generalisation.Options recipe = new Generalisation.Options(List.of(deal), List.of(1L), 2);
    Generalisation.Options shared = new Generalisation.Options(List.of(deal), List.of(1L), 2, "{selfPlay: shared}");
    assertEquals(dev.ludus.runner.train.TrainConfig.SelfPlay.FROZEN_PARTNER,
        Generalisation.configOf(registry, recipe, deal, 1).config().selfPlay());
    dev.ludus.runner.train.TrainConfig arm = Generalisation.configOf(registry, shared, deal, 1).config();
    assertEquals(dev.ludus.runner.train.TrainConfig.SelfPlay.SHARED, arm.selfPlay());
    assertEquals(2, arm.iterations(), "the command line's iterations still apply");
    assertTrue(Generalisation.table(new Generalisation.Summary(shared, List.of())).contains(
        "over the recipe: {selfPlay: shared}"));
    assertFalse(Generalisation.table(new Generalisation.Summary(recipe, List.of())).contains("over the recipe"));
  }

  @Test
  void badOptionsAreRefusedNamingWhatIsWrong() {
    ConfigException twice = assertThrows(ConfigException.class,
        () -> new Generalisation.Options(List.of(LAKE, LAKE), List.of(1L), null));
    assertTrue(twice.getMessage().contains("each environment once"), twice.getMessage());
    ConfigException seeds = assertThrows(ConfigException.class,
        () -> new Generalisation.Options(List.of(LAKE), List.of(1L, 1L), null));
    assertTrue(seeds.getMessage().contains("distinct"), seeds.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class, () -> Generalisation.validate(Registry.load(),
        new Generalisation.Options(Generalisation.instances(List.of("no-such-env")), List.of(1L), null)));
    assertTrue(unknown.getMessage().contains("no-such-env"), unknown.getMessage());
  }
}
