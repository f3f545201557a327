package dev.ludus.runner.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.ludus.api.ConfigException;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.shaping.ShapingPipeline;
import java.io.IOException;
import java.util.List;

/**
 * A run's shaping as declared in YAML (or built in Java): shapers with weights and configs, a combiner,
 * a chain of transforms.
 *
 * <pre>{@code
 * shapers:
 *   - name: outcome
 *   - name: info-gain
 *     weight: 0.5
 *   - name: length-penalty
 *     weight: 0            # recorded as a metric, not rewarded
 *     config: {limit: 64}
 * combiner: weighted-sum   # or {name: ..., config: {...}}
 * transforms:
 *   - name: clip
 *     components: [info-gain]
 * }</pre>
 *
 * <p>The same shaper may be listed twice (a judge ensemble) if each entry has its own alias,
 * {@code {name: my-judge, as: judge-a}} and {@code {name: my-judge, as: judge-b}}: the alias is the ledger's
 * source and what transforms and combiners name.
 *
 * @param shapers the shapers, in ledger order (at least one)
 * @param combiner the combiner (default {@code weighted-sum})
 * @param transforms the transforms, applied in order
 * @param timeoutMillis how long an asynchronous shaper may take over one group before the group's
 *     episodes fail (default 60000)
 */
public record ShapingSpec(List<Shaper> shapers, Part combiner, List<Transform> transforms, Long timeoutMillis) {
  public ShapingSpec {
    shapers = shapers == null ? List.of() : List.copyOf(shapers);
    combiner = combiner == null ? new Part("weighted-sum", null) : combiner;
    transforms = transforms == null ? List.of() : List.copyOf(transforms);
  }

  /** A spec with the default timeout. */
  public ShapingSpec(List<Shaper> shapers, Part combiner, List<Transform> transforms) {
    this(shapers, combiner, transforms, null);
  }

  /** {@link #timeoutMillis}, or its default. */
  public long timeoutMillisOrDefault() {
    return timeoutMillis == null ? ShapingPipeline.DEFAULT_TIMEOUT.toMillis() : timeoutMillis;
  }

  /** The default: the environment's own reward, unchanged. */
  public static ShapingSpec outcomeOnly() {
    return new ShapingSpec(List.of(new Shaper("outcome", 1.0, null)), null, null);
  }

  /**
   * A shaper of the run.
   *
   * @param name its registered name
   * @param as its alias, the ledger's source for this entry (default: its name); needed to list a shaper
   *     twice
   * @param weight its weight (default 1; 0 records it as a metric only)
   * @param config its configuration (fields left out keep their defaults)
   */
  public record Shaper(String name, String as, Double weight, JsonNode config) {
    /** A shaper under its own name. */
    public Shaper(String name, Double weight, JsonNode config) {
      this(name, null, weight, config);
    }

    public double weightOrDefault() {
      return weight == null ? 1.0 : weight;
    }

    /** The name this entry goes by in the ledger, transforms and combiners: its alias, else its name. */
    public String id() {
      return as == null ? name : as;
    }
  }

  /** A combiner by name with its configuration; in YAML either a bare name or {@code {name, config}}. */
  public record Part(String name, JsonNode config) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Part of(JsonNode node) {
      if (node.isTextual()) {
        return new Part(node.asText(), null);
      }
      if (node.isObject() && node.has("name")) {
        for (var it = node.fieldNames(); it.hasNext(); ) {
          String f = it.next();
          if (!f.equals("name") && !f.equals("config")) {
            throw new IllegalArgumentException("combiner: unknown field '" + f + "'; allowed fields: name, config");
          }
        }
        return new Part(node.get("name").asText(), node.get("config"));
      }
      throw new IllegalArgumentException("combiner must be a name or {name: ..., config: {...}}");
    }
  }

  /**
   * A transform of the run.
   *
   * @param name its registered name
   * @param config its configuration
   * @param components the components it applies to (shaper names or {@code shaper/component}); all when
   *     empty
   */
  public record Transform(String name, JsonNode config, List<String> components) {
    public Transform {
      components = components == null ? List.of() : List.copyOf(components);
    }
  }

  /** Reads a spec from a YAML or JSON file, or inline text; fails naming what is wrong. */
  public static ShapingSpec read(String source) {
    String text = PluginConfigs.sourceText(source, "shaping", "");
    try {
      ShapingSpec spec = Json.YAML.readValue(text, ShapingSpec.class);
      if (spec == null) {
        throw new ConfigException("shaping: the file is empty; it needs at least 'shapers:' with one shaper");
      }
      return spec;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("shaping: unknown field '" + e.getPropertyName() + "'"
          + (e.getPath().size() > 1 ? " in " + e.getPath().get(0).getFieldName() : "") + "; allowed fields: "
          + e.getKnownPropertyIds());
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
      throw new ConfigException("shaping: " + (cause != null ? cause.getMessage() : Json.problem(e)));
    }
  }

  @JsonCreator
  static ShapingSpec fromJson(@JsonProperty("shapers") List<Shaper> shapers, @JsonProperty("combiner") Part combiner,
      @JsonProperty("transforms") List<Transform> transforms, @JsonProperty("timeoutMillis") Long timeoutMillis) {
    return new ShapingSpec(shapers, combiner, transforms, timeoutMillis);
  }
}
