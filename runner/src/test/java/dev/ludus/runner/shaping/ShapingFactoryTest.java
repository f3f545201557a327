package dev.ludus.runner.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.testenv.CountdownProvider;
import dev.ludus.shaping.ShapingPipeline;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapingFactoryTest {
  private final Registry registry = Registry.load();
  private final BoundEnvironment countdown = new CountdownProvider().bind(new CountdownProvider().defaultConfig());

  private ShapingPipeline build(String yaml) {
    return ShapingFactory.build(registry, ShapingSpec.read(yaml), countdown);
  }

  private String failure(String yaml) {
    return assertThrows(ConfigException.class, () -> build(yaml)).getMessage();
  }

  @Test
  void aValidSpecBuildsTheShapersWithTheirWeightsAndTheDefaultCombiner() {
    ShapingPipeline p = build("""
        shapers:
          - name: outcome
          - name: conciseness-bonus
            weight: 0
            config: {maxWords: 3}
        """);
    assertEquals(2, p.shapers().size());
    assertEquals(1.0, p.shapers().get(0).weight());
    assertEquals(0.0, p.shapers().get(1).weight());
    assertEquals("weighted-sum", p.combinerName());
  }

  @Test
  void anUnknownShaperIsNamedWithItsPlaceAndTheKnownShapers() {
    String m = failure("shapers: [{name: outcome}, {name: info-gian}]");
    assertTrue(m.startsWith("shaping: shapers[1]: unknown shaper 'info-gian'; known shapers: "), m);
    assertTrue(m.contains("outcome"), m);
  }

  @Test
  void aNanWeightIsRefused() {
    String m = failure("shapers: [{name: outcome, weight: NaN}]");
    assertEquals("shaping: shapers[0] (outcome): weight must be a finite number, was NaN", m);
    String yamlNan = assertThrows(ConfigException.class,
        () -> ShapingSpec.read("shapers:\n  - name: outcome\n    weight: .nan\n")).getMessage();
    assertTrue(yamlNan.contains("'.nan'") && yamlNan.contains("line 3"), yamlNan);
  }

  @Test
  void anUnknownConfigFieldIsNamedWithTheAllowedFields() {
    String m = failure("shapers: [{name: conciseness-bonus, config: {maxWrods: 3}}]");
    assertTrue(m.contains("shapers[0]: config for 'conciseness-bonus': unknown field 'maxWrods'; allowed fields: "
        + "maxWords (an integer), bonus (a number)"), m);
  }

  @Test
  void aConfigValueOutOfRangeIsNamed() {
    String m = failure("shapers: [{name: conciseness-bonus, config: {maxWords: 0}}]");
    assertTrue(m.contains("maxWords must be at least 1, was 0"), m);
  }

  @Test
  void aMissingShapersListIsExplained() {
    String m = failure("combiner: weighted-sum");
    assertTrue(m.startsWith("shaping: 'shapers' must list at least one shaper"), m);
  }

  @Test
  void anUnknownTopLevelFieldIsNamed() {
    String m = assertThrows(ConfigException.class, () -> ShapingSpec.read("shaper: [{name: outcome}]")).getMessage();
    assertTrue(m.contains("unknown field 'shaper'"), m);
  }

  @Test
  void anUnknownCombinerIsNamed() {
    String m = failure("{shapers: [{name: outcome}], combiner: weighted-summ}");
    assertTrue(m.startsWith("shaping: combiner: unknown combiner 'weighted-summ'; known combiners: "), m);
  }

  @Test
  void aTransformNamingAComponentThatIsNotAShaperOfTheRunIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> ShapingFactory.build(registry, new ShapingSpec(
        java.util.List.of(new ShapingSpec.Shaper("outcome", 1.0, null)), null,
        java.util.List.of(new ShapingSpec.Transform("no-such-transform", null, java.util.List.of()))), countdown));
    assertTrue(e.getMessage().startsWith("shaping: transforms[0]: unknown transform 'no-such-transform'"), e.getMessage());
  }

  @Test
  void aShaperThatReadsASignalTheEnvironmentDoesNotPublishIsRefusedBeforeTheRun(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader = PluginJars.jar(dir, "acme.Needy",
        PluginJars.shaperSource("acme", "Needy", "needy", 1.0, List.of("candidate-entropy")),
        "dev.ludus.api.ShaperProvider")) {
      Registry withNeedy = Registry.load(loader);
      ConfigException e = assertThrows(ConfigException.class,
          () -> ShapingFactory.build(withNeedy, ShapingSpec.read("shapers: [{name: needy}]"), countdown));
      assertEquals("shaping: shaper 'needy' reads signal 'candidate-entropy', which environment 'test-countdown' does "
          + "not publish; it publishes: success, thread", e.getMessage());
    }
  }
}
