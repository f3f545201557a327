package dev.ludus.runner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generalisation table's rows, targets and instances (the runs themselves are a benchmark, not a test). */
class GeneralisationTest {
  private static final Generalisation.Instance LAKE = new Generalisation.Instance("frozen-lake", null);

  private static Generalisation.RunResult run(long seed, double before, double warm, double rl, double seconds) {
    return new Generalisation.RunResult("frozen-lake", seed, before, warm, rl, true, seconds, seconds / 2,
        List.of(0.5, 0.6), Path.of("runs", "seed-" + seed));
  }

  @Test
  void aRowAveragesItsSeedsAndChecksEachTarget() {
    Generalisation.Row good = Generalisation.row(LAKE, List.of(run(1, 0.1, 0.8, 0.9, 100), run(2, 0.2, 0.9, 1.0, 200)),
        1.0);
    assertEquals(0.15, good.meanBefore(), 1e-12);
    assertEquals(0.95, good.meanRl(), 1e-12);
    assertEquals(Math.sqrt(0.005), good.stdRl(), 1e-12, "sample standard deviation over the seeds");
    assertEquals(150, good.meanSeconds(), 1e-12);
    assertTrue(good.keptWarmStart() && good.doubled() && good.reachedOracleTarget() && good.inTime());

    Generalisation.Row lost = Generalisation.row(LAKE, List.of(run(1, 0.5, 0.8, 0.9, 100), run(2, 0.5, 0.9, 0.7, 700)),
        1.0);
    assertFalse(lost.keptWarmStart(), "one seed ended below its warm start");
    assertFalse(lost.doubled(), "0.8 is not twice 0.5");
    assertTrue(lost.reachedOracleTarget(), "0.8 mean with a perfect oracle");
    assertFalse(lost.inTime(), "a run over 10 minutes");
    assertTrue(Generalisation.row(LAKE, List.of(run(1, 0, 0.2, 0.3, 1)), 0.5).reachedOracleTarget(),
        "the 0.8 target applies only where the oracle is perfect");
    assertFalse(Generalisation.row(LAKE, List.of(run(1, 0, 0.2, 0.3, 1)), 1.0).reachedOracleTarget());

    String table = Generalisation.table(new Generalisation.Summary(
        new Generalisation.Options(List.of(LAKE), List.of(1L, 2L), null), List.of(lost)));
    assertTrue(table.contains("| frozen-lake | `defaults` | 1.00 | 0.500 ± 0.000 | 0.850 ± 0.071 | 0.800 ± 0.141 | -0.050 |"),
        table);
    assertTrue(table.contains("**lost**, **not 2×**, ≥0.8, **>10 min**"), table);
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
