package dev.ludus.runner.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.runner.train.TrainConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An ablation as a file: one or more settings, each a complete training configuration with its arms (shapings) and
 * how success is judged. The {@code sparse-shaping}, {@code hacking} and {@code noise} experiments read it; their
 * embedded defaults are such files ({@code examples/ablations/*.yaml} are copies). Every setting's {@code train}
 * names every field of {@link TrainConfig} that decides a run ({@link #TRAIN_FIELDS}, checked here), so a result
 * does not depend on the defaults of {@code ludus train}, which may change. Immutable.
 *
 * <pre>{@code
 * title: Shaping where the outcome is sparse
 * settings:
 *   - name: guess-number-1-128       # letters, digits, '.', '_', '-': also the setting's subdirectory
 *     threshold: 0.2                 # training success to reach
 *     window: 2                      # iterations it is averaged over
 *     hacked: format                 # (hacking only) the ledger source the policy may exploit
 *     train: {env: guess-number, envConfig: {...}, model: {...}, ...every TrainConfig field but shaping...}
 *     arms:                          # arm name -> shaping spec; the first is the baseline
 *       outcome: {shapers: [{name: outcome}]}
 *       info-gain: {shapers: [{name: outcome}, {name: info-gain, weight: 0.2}]}
 * }</pre>
 *
 * @param title what the ablation tests, the heading of its table
 * @param settings one or more, names distinct
 */
public record AblationSpec(String title, List<Setting> settings) {

  /**
   * One environment's ablation.
   *
   * @param name the setting's name and subdirectory
   * @param train the training configuration every arm shares but for its shaping
   * @param arms two or more; the first is the baseline
   * @param threshold the training success to reach, in (0, 1]
   * @param window iterations the training success is averaged over, and the final iterations summarized
   * @param hacked the ledger source a hacking ablation measures, or null
   */
  public record Setting(String name, TrainConfig train, List<ShapingAblation.Arm> arms, double threshold, int window,
      String hacked) {
    public Setting {
      if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
        throw new ConfigException("a setting's name must be letters, digits, '.', '_' or '-', was '" + name + "'");
      }
      Objects.requireNonNull(train, "train");
      arms = List.copyOf(arms);
    }

    /** The shaping ablation this setting runs with {@code seeds} (checks arms, threshold and window). */
    public ShapingAblation.Options options(List<Long> seeds) {
      try {
        return new ShapingAblation.Options(train, arms, seeds, threshold, window);
      } catch (ConfigException e) {
        throw new ConfigException("setting '" + name + "': " + e.getMessage());
      }
    }

    /** This setting with another number of iterations (null keeps it); the window shrinks to fit. */
    public Setting withIterations(Integer iterations) {
      if (iterations == null) {
        return this;
      }
      TrainConfig t = train.with(iterations, null);
      return new Setting(name, t, arms, threshold, Math.min(window, t.iterations()), hacked);
    }
  }

  public AblationSpec {
    settings = List.copyOf(settings);
    if (settings.isEmpty()) {
      throw new ConfigException("an ablation needs at least one setting");
    }
    Set<String> names = new LinkedHashSet<>();
    for (Setting s : settings) {
      if (!names.add(s.name())) {
        throw new ConfigException("setting names must be distinct; '" + s.name() + "' appears twice");
      }
    }
  }

  /** The seeds 1 to n; n in [1, 1000]. */
  public static List<Long> seeds(int n) {
    if (n < 1 || n > 1000) {
      throw new ConfigException("--seeds must be in [1, 1000], was " + n);
    }
    return java.util.stream.LongStream.rangeClosed(1, n).boxed().toList();
  }

  /** This ablation with every setting's iterations replaced (null keeps them). */
  public AblationSpec withIterations(Integer iterations) {
    return new AblationSpec(title, settings.stream().map(s -> s.withIterations(iterations)).toList());
  }

  /**
   * The fields every setting's {@code train} must name: those of {@link TrainConfig} that decide a run, all but
   * {@code shaping} (each arm gives its own). A field added to {@link TrainConfig} later is not required, so the
   * files stay valid; it takes its default.
   */
  static final List<String> TRAIN_FIELDS = List.of("env", "envConfig", "model", "estimator", "estimatorConfig",
      "learner", "iterations", "tasksPerIteration", "groupSize", "dynamicSampling", "epochs", "miniBatches",
      "maxStaleness", "warmStartEpisodes", "warmStartSteps", "warmStartAccuracy", "evalEpisodes", "evalTemperature",
      "checkpointEvery", "concurrency", "seed");

  /**
   * Reads an ablation from YAML or JSON text, or the path of such a file. Fails with a {@link ConfigException}
   * naming the setting and field.
   *
   * @param what how the source is named in messages, e.g. {@code --spec}
   */
  public static AblationSpec read(String source, String what) {
    JsonNode tree;
    try {
      tree = Json.YAML.readTree(PluginConfigs.sourceText(source, what, ""));
    } catch (IOException e) {
      throw new ConfigException(what + ": not valid YAML/JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (tree == null || !tree.isObject()) {
      throw new ConfigException(what + " must be a mapping with 'title' and 'settings'");
    }
    for (Iterator<String> f = tree.fieldNames(); f.hasNext(); ) {
      String field = f.next();
      if (!Set.of("title", "settings").contains(field)) {
        throw new ConfigException(what + ": unknown field '" + field + "'; allowed: title, settings");
      }
    }
    JsonNode settings = tree.path("settings");
    if (!settings.isArray() || settings.isEmpty()) {
      throw new ConfigException(what + ": settings must be a list of at least one setting");
    }
    List<Setting> out = new ArrayList<>();
    for (JsonNode s : settings) {
      out.add(setting(s, what));
    }
    return new AblationSpec(tree.path("title").asText(""), out);
  }

  /** An embedded ablation from the class path (next to this class); a failure is a bug. */
  static AblationSpec resource(String name) {
    try (InputStream in = AblationSpec.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return read(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Setting setting(JsonNode s, String what) {
    String name = s.path("name").asText(null);
    String where = what + ": setting '" + name + "'";
    if (!s.isObject()) {
      throw new ConfigException(what + ": each setting must be a mapping, was " + s.getNodeType());
    }
    Set<String> allowed = Set.of("name", "train", "arms", "threshold", "window", "hacked");
    for (Iterator<String> f = s.fieldNames(); f.hasNext(); ) {
      String field = f.next();
      if (!allowed.contains(field)) {
        throw new ConfigException(where + ": unknown field '" + field + "'; allowed: " + String.join(", ",
            List.of("name", "threshold", "window", "hacked", "train", "arms")));
      }
    }
    JsonNode train = s.path("train");
    if (!train.isObject()) {
      throw new ConfigException(where + ": train must be a complete training configuration (a mapping)");
    }
    List<String> missing = TRAIN_FIELDS.stream().filter(f -> !train.has(f)).toList();
    if (!missing.isEmpty()) {
      throw new ConfigException(where + ": train must name every field, so that the result does not depend on "
          + "`ludus train`'s defaults; missing: " + String.join(", ", missing));
    }
    TrainConfig config;
    try {
      config = TrainConfig.read(Json.YAML.writeValueAsString(train));
    } catch (IOException | ConfigException e) {
      throw new ConfigException(where + ": train: " + e.getMessage());
    }
    JsonNode arms = s.path("arms");
    if (!arms.isObject()) {
      throw new ConfigException(where + ": arms must be a mapping of arm name to shaping spec");
    }
    List<ShapingAblation.Arm> armList = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : arms.properties()) {
      try {
        ShapingSpec.read(Json.YAML.writeValueAsString(e.getValue()));
      } catch (IOException | ConfigException ex) {
        throw new ConfigException(where + ": arm '" + e.getKey() + "': " + ex.getMessage());
      }
      armList.add(new ShapingAblation.Arm(e.getKey(), e.getValue()));
    }
    if (!s.path("threshold").isNumber() || !s.path("window").canConvertToInt()) {
      throw new ConfigException(where + ": threshold (a success rate) and window (iterations) are required numbers");
    }
    JsonNode hacked = s.get("hacked");
    return new Setting(name, config, armList, s.path("threshold").asDouble(), s.path("window").asInt(),
        hacked == null || hacked.isNull() ? null : hacked.asText());
  }

  /** This ablation as a tree (for the results' JSON). */
  ObjectNode toJson() {
    ObjectNode root = Json.JSON.createObjectNode().put("title", title);
    var list = root.putArray("settings");
    for (Setting s : settings) {
      ObjectNode n = list.addObject().put("name", s.name()).put("threshold", s.threshold()).put("window", s.window());
      if (s.hacked() != null) {
        n.put("hacked", s.hacked());
      }
      n.set("train", Json.JSON.valueToTree(s.train()));
      ObjectNode arms = n.putObject("arms");
      s.arms().forEach(a -> arms.set(a.name(), a.shaping()));
    }
    return root;
  }
}
