package dev.ludus.runner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plumbing of the sparse-shaping, hacking and noise ablations on tiny configurations (not their results). */
class AblationsTest {
  /** A complete, tiny training configuration (every field {@link AblationSpec#TRAIN_FIELDS} requires). */
  static String train(String env, String envConfig) {
    return """
          train:
            env: %s
            envConfig: %s
            model: {layers: 1, width: 32, heads: 2, context: 112, maxNewTokens: 2, temperature: 1.0, seed: 0,
              vocabulary: ["0", "1", "2", "3", "4", higher, lower, correct, my, number, is, greater, smaller, than]}
            estimator: igpo
            estimatorConfig: {}
            learner: {learningRate: 1.0e-3, klCoefficient: 0.0}
            iterations: 2
            tasksPerIteration: 2
            groupSize: 4
            dynamicSampling: {enabled: false, maxRounds: 4}
            epochs: 1
            miniBatches: 1
            maxStaleness: 0
            warmStartEpisodes: 0
            warmStartSteps: 0
            warmStartAccuracy: 0.0
            evalEpisodes: 4
            evalTemperature: 0.0
            checkpointEvery: 0
            concurrency: 32
            seed: 0
      """.formatted(env, envConfig);
  }

  private static final String GUESS = "{low: 1, high: 4, maxTurns: 2}";

  @TempDir Path tmp;

  private static AblationSpec spec(String text) {
    return AblationSpec.read(text, "--spec");
  }

  @Test
  void aSpecReadsItsSettingsArmsAndThresholdsAndOverridesIterations() {
    AblationSpec s = spec("""
        title: t
        settings:
          - name: a
            threshold: 0.5
            window: 2
        %s
            arms: {outcome: {shapers: [{name: outcome}]}, dense: {shapers: [{name: outcome}, {name: info-gain}]}}
        """.formatted(train("guess-number", GUESS)));
    AblationSpec.Setting a = s.settings().get(0);
    assertEquals("t", s.title());
    assertEquals(List.of("outcome", "dense"), a.arms().stream().map(ShapingAblation.Arm::name).toList());
    assertEquals(0.5, a.threshold());
    assertEquals(2, a.train().iterations());
    AblationSpec one = s.withIterations(1);
    assertEquals(1, one.settings().get(0).train().iterations());
    assertEquals(1, one.settings().get(0).window(), "the window shrinks to the iterations");
  }

  @Test
  void aSpecWhoseTrainingConfigLeavesFieldsToTheDefaultsIsRefusedNamingThem() {
    String message = assertThrows(ConfigException.class, () -> spec("""
        settings:
          - name: a
            threshold: 0.5
            window: 1
            train: {env: guess-number, iterations: 2}
            arms: {o: {shapers: [{name: outcome}]}, d: {shapers: [{name: outcome}]}}
        """)).getMessage();
    assertTrue(message.contains("setting 'a'") && message.contains("missing: envConfig, model, estimator"), message);
  }

  @Test
  void badSpecsAreRefusedNamingWhatWasWrong() {
    String arms = "    arms: {o: {shapers: [{name: outcome}]}, d: {shapers: [{name: outcome}]}}\n";
    String typo = assertThrows(ConfigException.class, () -> spec("settings:\n  - name: a\n    threshold: 0.5\n"
        + "    window: 1\n    treshold: 1\n" + train("guess-number", GUESS) + arms)).getMessage();
    assertTrue(typo.contains("unknown field 'treshold'"), typo);
    AblationSpec misspelt = spec("settings:\n  - name: a\n    threshold: 0.5\n    window: 1\n"
        + train("guess-number", GUESS)
        + "    arms: {o: {shapers: [{name: outcome}]}, d: {shapers: [{name: info-gian}]}}\n");
    String shaper = assertThrows(ConfigException.class, () -> SparseShaping.validate(Registry.load(), misspelt,
        List.of(1L))).getMessage();
    assertTrue(shaper.startsWith("setting 'a': arm 'd'") && shaper.contains("info-gian"), shaper);
    String twice = assertThrows(ConfigException.class, () -> spec("settings:\n  - name: a\n    threshold: 0.5\n"
        + "    window: 1\n" + train("guess-number", GUESS) + arms + "  - name: a\n    threshold: 0.5\n    window: 1\n"
        + train("guess-number", GUESS) + arms)).getMessage();
    assertTrue(twice.contains("'a' appears twice"), twice);
    AblationSpec noHack = spec("settings:\n  - name: a\n    threshold: 0.5\n    window: 1\n"
        + train("guess-number", GUESS) + arms);
    assertTrue(assertThrows(ConfigException.class, () -> HackingAblation.validate(Registry.load(), noHack, List.of(1L)))
        .getMessage().contains("hacked must name"));
    AblationSpec unlisted = spec("settings:\n  - name: a\n    threshold: 0.5\n    window: 1\n    hacked: format\n"
        + train("guess-number", GUESS) + arms);
    String m = assertThrows(ConfigException.class, () -> HackingAblation.validate(Registry.load(), unlisted,
        List.of(1L))).getMessage();
    assertTrue(m.contains("arm 'o' does not list the hacked shaper 'format'"), m);
    assertTrue(assertThrows(ConfigException.class, () -> AblationSpec.seeds(0)).getMessage()
        .contains("--seeds must be in [1, 1000], was 0"));
  }

  @Test
  void theEmbeddedAblationsAreTheExampleFilesAndValidate() throws Exception {
    Path examples = Path.of("..", "examples", "ablations");
    for (String name : List.of("sparse-shaping", "hacking", "noise")) {
      try (var in = AblationSpec.class.getResourceAsStream(name + ".yaml")) {
        assertEquals(Files.readString(examples.resolve(name + ".yaml")), new String(in.readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8), "examples/ablations/" + name + ".yaml is the embedded one");
      }
    }
    Registry registry = Registry.load();
    List<Long> five = AblationSpec.seeds(5);
    SparseShaping.validate(registry, SparseShaping.defaults(), five);
    HackingAblation.validate(registry, HackingAblation.defaults(), five);
    NoiseAblation.validate(registry, NoiseAblation.defaults(), five);
    assertTrue(SparseShaping.defaults().settings().size() >= 2, "at least two environments");
    assertEquals(2, SparseShaping.defaults().settings().stream().map(s -> s.train().env()).distinct().count());
    for (AblationSpec.Setting s : SparseShaping.defaults().settings()) {
      assertEquals(0, s.train().warmStartEpisodes(), s.name() + ": no warm start keeps the outcome sparse");
      assertEquals(1, s.arms().get(0).shaping().get("shapers").size(), s.name() + ": the baseline is the outcome");
    }
  }

  @Test
  void rawComponentsAreReadPerIterationFromTheEpisodeIds() throws Exception {
    Path episodes = tmp.resolve("episodes.jsonl");
    Files.writeString(episodes, String.join("\n",
        "{\"id\":\"seed-1-it0-0\",\"ledger\":[{\"source\":\"format\",\"component\":\"format\",\"turns\":[0,1],"
            + "\"raw\":[1.0,1.0],\"value\":[0.5,0.5]}]}",
        "{\"id\":\"seed-1-it0-1\",\"ledger\":[]}",
        "{\"id\":\"seed-1-it2r1-0\",\"ledger\":[{\"source\":\"format\",\"component\":\"format\",\"turns\":[0],"
            + "\"raw\":[3.0],\"value\":[0.0]}]}", ""));
    Map<String, List<Double>> raw = Experiments.rawPerIteration(episodes);
    List<Double> format = raw.get("format");
    assertEquals(3, format.size());
    assertEquals(1.0, format.get(0), 1e-12, "(2 + 0) / 2 episodes");
    assertTrue(Double.isNaN(format.get(1)), "no episode in iteration 1");
    assertEquals(3.0, format.get(2), 1e-12);
    assertEquals(3.0, Experiments.tailMean(format, 2), 1e-12, "the NaN of iteration 1 is skipped");
    assertEquals(2.0, Experiments.tailMean(format, 3), 1e-12);
  }

  @Test
  void sparseShapingRunsEverySettingAndWritesTheUntrainedSuccessAndTheTables() throws Exception {
    String arms = "    arms: {outcome: {shapers: [{name: outcome}]}, dense: {shapers: [{name: outcome}, "
        + "{name: info-gain, weight: 0.2}]}}\n";
    AblationSpec s = spec("title: tiny sparse\nsettings:\n  - name: g4\n    threshold: 0.5\n    window: 1\n"
        + train("guess-number", GUESS) + arms + "  - name: g3\n    threshold: 0.5\n    window: 1\n"
        + train("guess-number", "{low: 1, high: 3, maxTurns: 1}") + arms);
    StringWriter out = new StringWriter();
    SparseShaping.Summary summary = SparseShaping.run(Registry.load(), s, List.of(1L), tmp, "cpu",
        new PrintWriter(out));
    assertEquals(2, summary.settings().size());
    SparseShaping.SettingResult g4 = summary.settings().get(0);
    assertEquals(1, g4.untrainedHeldOut().length, "one held-out evaluation per seed");
    assertEquals(2, g4.untrainedSampled().length, "the first iteration of every run");
    assertEquals(g4.ablation().runs().get(1).success().get(0), g4.untrainedSampled()[1]);
    for (String f : List.of("sparse-shaping.md", "sparse-shaping.json", "g4/ablation.svg", "g3/ablation.md",
        "g3/dense/seed-1/metrics.jsonl")) {
      assertTrue(Files.exists(tmp.resolve(f)), f);
    }
    String md = Files.readString(tmp.resolve("sparse-shaping.md"));
    assertTrue(md.startsWith("tiny sparse") && md.contains("| g4 (guess-number) | outcome |")
        && md.contains("|  | dense |") && md.contains("g3/ablation.svg"), md);
    JsonNode json = Json.JSON.readTree(tmp.resolve("sparse-shaping.json").toFile());
    assertEquals(2, json.get("results").size());
    assertTrue(json.get("results").get(0).has("untrainedSampledMean"));
    assertFalse(out.toString().isBlank());
  }

  @Test
  void hackingMeasuresTheHackedComponentInEveryArmAndWritesTheTableAndPlot() throws Exception {
    AblationSpec s = spec("settings:\n  - name: h\n    threshold: 0.5\n    window: 1\n    hacked: format\n"
        + train("guess-number", GUESS) + """
            arms:
              reference: {shapers: [{name: outcome}, {name: format, weight: 0, config: {requiredTags: []}}]}
              hackable: {shapers: [{name: outcome}, {name: format, weight: 0.5, config: {requiredTags: []}}]}
              delta:
                shapers: [{name: outcome}, {name: format, weight: 0.5, config: {requiredTags: []}}]
                transforms: [{name: delta, components: [format]}]
        """);
    HackingAblation.Summary summary = HackingAblation.run(Registry.load(), s, List.of(1L), tmp, "cpu",
        new PrintWriter(new StringWriter()));
    assertEquals(List.of("reference", "hackable", "delta"), summary.arms().stream().map(HackingAblation.ArmResult::arm)
        .toList());
    for (HackingAblation.ArmResult a : summary.arms()) {
      // every reply is well formed, so the raw format bonus per episode is its number of turns
      assertEquals(a.turns()[0], a.hackedLast()[0], 1e-9, a.arm());
      assertTrue(a.hackedFirst()[0] >= 1 && a.hackedFirst()[0] <= 2, a.arm());
    }
    String md = Files.readString(tmp.resolve("hacking.md"));
    assertTrue(md.contains("| reference |") && md.contains("(reference)") && md.contains("| delta |"), md);
    String svg = Files.readString(tmp.resolve("hacking.svg"));
    assertTrue(svg.startsWith("<svg") && svg.contains("<title>hackable</title>"), svg);
    JsonNode json = Json.JSON.readTree(tmp.resolve("hacking.json").toFile());
    assertEquals(3, json.get("results").size());
    assertEquals(1, json.get("results").get(1).get("hackedLast").get("perSeed").size());
  }

  @Test
  void noiseComparesTheFlippedArmsWithTheCleanOne() throws Exception {
    AblationSpec s = spec("settings:\n  - name: n\n    threshold: 0.5\n    window: 1\n" + train("guess-number", GUESS)
        + """
            arms:
              clean: {shapers: [{name: outcome}]}
              flip-40:
                shapers: [{name: outcome}]
                transforms: [{name: noise, config: {p: 0.4, seed: 7}, components: [outcome]}]
        """);
    NoiseAblation.Summary summary = NoiseAblation.run(Registry.load(), s, List.of(3L), tmp, "cpu",
        new PrintWriter(new StringWriter()));
    assertEquals(2, summary.arms().size());
    assertEquals(List.of(3L), summary.ablation().runs().stream().map(ShapingAblation.RunResult::seed).distinct()
        .toList());
    String md = Files.readString(tmp.resolve("noise.md"));
    assertTrue(md.contains("| clean |") && md.contains("| flip-40 |") && md.contains("vs clean"), md);
    JsonNode clean = Json.YAML.readTree(tmp.resolve("n/clean/seed-3/config.yaml").toFile());
    JsonNode flipped = Json.YAML.readTree(tmp.resolve("n/flip-40/seed-3/config.yaml").toFile());
    assertEquals("noise", flipped.get("shaping").get("transforms").get(0).get("name").asText());
    assertEquals(3, clean.get("seed").asInt(), "the run's seed replaces the spec's");
    assertEquals(3, clean.get("model").get("seed").asInt(), "and the model's");
    ((com.fasterxml.jackson.databind.node.ObjectNode) clean).remove("shaping");
    ((com.fasterxml.jackson.databind.node.ObjectNode) flipped).remove("shaping");
    assertEquals(clean, flipped, "the arms differ only in their shaping");
    assertTrue(Files.exists(tmp.resolve("noise.json")) && Files.exists(tmp.resolve("n/ablation.svg")));
  }
}
