package dev.ludus.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.plugin.PluginJars;
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
    assertEquals("shaping: weight must be a finite number, was .nan (line 3, column 17)", yamlNan);
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

  @Test
  void aShaperThatReadsASignalAsATypeTheEnvironmentDoesNotPublishItAsIsRefusedBeforeTheRun() {
    String m = failure("shapers: [{name: signal-reward, config: {signal: thread}}]");
    assertEquals("shaping: shaper 'signal-reward' reads signal 'thread' as a Double, but environment 'test-countdown' "
        + "publishes it as a String; give the shaper a signal of a type it reads", m);
  }

  @Test
  void aNumericShaperReadsABooleanSignal() {
    assertEquals(1, build("shapers: [{name: signal-reward, config: {signal: success}}]").shapers().size());
  }

  private static dev.ludus.api.Episode threeShortTurns() {
    List<dev.ludus.api.Turn> turns = new java.util.ArrayList<>();
    for (int t = 0; t < 3; t++) {
      turns.add(new dev.ludus.api.Turn(t, dev.ludus.api.Message.assistant(t == 2 ? "one two three four" : "yes"), null,
          List.of(), 0, t == 2, false, null, 0, 0));
    }
    return new dev.ludus.api.Episode(dev.ludus.api.Episode.SCHEMA, "e", "x", "a", dev.ludus.api.Task.generated("x", 1), 1,
        dev.ludus.api.EpisodeStatus.COMPLETED, null, true, 0, List.of(), List.of(), null, turns, List.of(), 0, 0);
  }

  @Test
  void aShaperListedTwiceUnderAliasesGivesOneLedgerSourcePerAlias() {
    ShapingPipeline p = build("""
        shapers:
          - {name: conciseness-bonus, as: strict, config: {maxWords: 1, bonus: 1}}
          - {name: conciseness-bonus, as: lenient, weight: 0.5, config: {maxWords: 8, bonus: 1}}
        transforms:
          - {name: ceiling, components: [lenient], config: {ceiling: 0.5}}
        """);
    assertEquals(List.of("strict", "lenient"), p.shapers().stream().map(ShapingPipeline.ShaperEntry::name).toList());
    List<dev.ludus.api.LedgerEntry> ledger = p.score(threeShortTurns()).ledger();
    assertTrue(ledger.contains(new dev.ludus.api.LedgerEntry(2, "strict", "conciseness", 0.0, 0.0)), ledger.toString());
    assertTrue(ledger.contains(new dev.ludus.api.LedgerEntry(2, "lenient", "conciseness", 1.0, 0.25)), ledger.toString());
    assertTrue(ledger.contains(new dev.ludus.api.LedgerEntry(0, "strict", "conciseness", 1.0, 1.0)), ledger.toString());
  }

  @Test
  void theSameShaperTwiceWithoutDistinctAliasesIsRefusedNamingIt() {
    assertEquals("shaping: shapers[2] (conciseness-bonus): the name 'conciseness-bonus' is taken by an earlier shaper "
        + "of this run (the ledger could not tell them apart); to list a shaper twice give each entry its own alias, "
        + "e.g. {name: conciseness-bonus, as: conciseness-bonus-b}; names so far: outcome, conciseness-bonus",
        failure("shapers: [{name: outcome}, {name: conciseness-bonus}, {name: conciseness-bonus}]"));
    assertTrue(failure("shapers: [{name: conciseness-bonus, as: a}, {name: outcome, as: a}]")
        .startsWith("shaping: shapers[1] (outcome): the name 'a' is taken by an earlier shaper"));
    assertTrue(failure("shapers: [{name: conciseness-bonus, as: judge/a}]")
        .startsWith("shaping: shapers[0] (conciseness-bonus): alias 'as: judge/a' is not allowed"));
  }

  @Test
  void aTransformNamesAnAliasNotTheRegisteredNameOfAnAliasedShaper() {
    String m = failure("""
        shapers: [{name: conciseness-bonus, as: a}, {name: conciseness-bonus, as: b}]
        transforms: [{name: clip, components: [conciseness-bonus]}]
        """);
    assertEquals("shaping: transforms[0] (clip): component 'conciseness-bonus' is not a shaper of this run; shapers: a, b",
        m);
  }

  @Test
  void anEnsembleCombinerTakesTheAliasesAsItsMembers() {
    ShapingPipeline p = build("""
        shapers:
          - {name: conciseness-bonus, as: judge-a, config: {maxWords: 1, bonus: 1}}
          - {name: conciseness-bonus, as: judge-b, config: {maxWords: 8, bonus: 1}}
        combiner: {name: ensemble, config: {aggregate: min}}
        """);
    List<dev.ludus.api.LedgerEntry> last = p.score(threeShortTurns()).ledger().stream().filter(l -> l.turn() == 2)
        .toList();
    // judge-a pays nothing at the four-word turn, judge-b pays: the min-member judge-a carries the turn's reward
    assertEquals(List.of("judge-a", "judge-b"), last.stream().map(dev.ludus.api.LedgerEntry::source).toList());
    assertTrue(last.get(0).value() < 0, last.toString());
    assertEquals(0.0, last.get(1).value(), last.toString());

    ShapingPipeline beside = build("""
        shapers:
          - {name: conciseness-bonus, as: base, weight: 3, config: {maxWords: 8, bonus: 1}}
          - {name: conciseness-bonus, as: judge-a, config: {maxWords: 1, bonus: 1}}
          - {name: conciseness-bonus, as: judge-b, config: {maxWords: 8, bonus: 1}}
        combiner: {name: ensemble, config: {aggregate: min, members: [judge-a, judge-b]}}
        """);
    List<dev.ludus.api.LedgerEntry> turn2 = beside.score(threeShortTurns()).ledger().stream().filter(l -> l.turn() == 2)
        .toList();
    assertEquals(new dev.ludus.api.LedgerEntry(2, "base", "conciseness", 1.0, 3.0), turn2.get(0),
        "a component outside the members keeps weight times value");
    assertEquals(last.get(0).value(), turn2.get(1).value(), 1e-12, "the members are the two judges, as before");
  }

  @Test
  void timeoutMillisReachesThePipelineAndMustBePositive() {
    assertEquals(java.time.Duration.ofMillis(1_500),
        build("{shapers: [{name: outcome}], timeoutMillis: 1500}").timeout());
    assertEquals(ShapingPipeline.DEFAULT_TIMEOUT, build("{shapers: [{name: outcome}]}").timeout());
    assertEquals("shaping: timeoutMillis must be at least 1, was 0",
        failure("{shapers: [{name: outcome}], timeoutMillis: 0}"));
  }
}
