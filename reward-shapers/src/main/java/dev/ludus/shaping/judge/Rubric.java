package dev.ludus.shaping.judge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ludus.api.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A judge's rubric: weighted criteria, each scored on its own stated scale. Read from a YAML or JSON file (a
 * built-in one by name, e.g. {@code sotopia}, or a path). Immutable and thread-safe.
 *
 * <p>The rubric's total is the weighted mean of the criteria: with {@code normalize} each score is first mapped to
 * [0, 1] over its scale, {@code total = Σ w_c (s_c − min_c)/(max_c − min_c) / Σ w_c} ∈ [0, 1]; without it the
 * raw scores are averaged, {@code total = Σ w_c s_c / Σ w_c} (Sotopia's {@code overall} is the plain mean of its
 * seven dimensions).
 *
 * @param name the rubric's name
 * @param description what it judges, shown to the judge
 * @param normalize whether the total maps every criterion to [0, 1] first
 * @param criteria the criteria, at least one, names unique
 */
public record Rubric(String name, String description, boolean normalize, List<Criterion> criteria) {

  /** The built-in rubrics, as resources {@code dev/ludus/shaping/judge/rubrics/NAME.yaml}. */
  public static final List<String> BUILT_IN = List.of("default", "sotopia");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /**
   * One criterion.
   *
   * @param name its name: a key of the judge's JSON answer ({@code [a-z][a-z0-9_-]*})
   * @param description what it measures and how to score it, shown to the judge
   * @param min the lowest score
   * @param max the highest score, above {@code min}
   * @param weight its weight in the total, finite and >= 0 (0: shown and scored, not counted)
   */
  public record Criterion(String name, String description, double min, double max, double weight) {
    public Criterion {
      if (name == null || !name.matches("[a-z][a-z0-9_-]*")) {
        throw new IllegalArgumentException("a criterion's name must match [a-z][a-z0-9_-]*, was '" + name + "'");
      }
      description = description == null ? "" : description.strip();
      if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
        throw new IllegalArgumentException("criterion '" + name + "': its scale needs finite min < max, was " + min
            + ".." + max);
      }
      if (!Double.isFinite(weight) || weight < 0) {
        throw new IllegalArgumentException("criterion '" + name + "': weight must be a finite number >= 0, was "
            + weight);
      }
    }

    /** {@code s} mapped to [0, 1] over this criterion's scale. */
    double normalized(double s) {
      return (s - min) / (max - min);
    }

    /** The scale as the judge reads it, e.g. {@code -10 to 0}. */
    String scale() {
      return number(min) + " to " + number(max);
    }
  }

  public Rubric {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description.strip();
    if (criteria == null || criteria.isEmpty()) {
      throw new IllegalArgumentException("rubric '" + name + "' needs at least one criterion");
    }
    criteria = List.copyOf(criteria);
    Set<String> seen = new HashSet<>();
    double weights = 0;
    for (Criterion c : criteria) {
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException("rubric '" + name + "' lists criterion '" + c.name() + "' twice");
      }
      weights += c.weight();
    }
    if (!(weights > 0)) {
      throw new IllegalArgumentException("rubric '" + name + "': the criteria's weights must not all be 0");
    }
  }

  /** The rubric's total for {@code scores} (one per criterion, in order): see the class comment. */
  public double total(double[] scores) {
    double sum = 0;
    double weights = 0;
    for (int i = 0; i < criteria.size(); i++) {
      Criterion c = criteria.get(i);
      sum += c.weight() * (normalize ? c.normalized(scores[i]) : scores[i]);
      weights += c.weight();
    }
    return sum / weights;
  }

  /** Each criterion's part of {@link #total}: they sum to it. */
  double[] parts(double[] scores) {
    double weights = criteria.stream().mapToDouble(Criterion::weight).sum();
    double[] parts = new double[scores.length];
    for (int i = 0; i < parts.length; i++) {
      Criterion c = criteria.get(i);
      parts[i] = c.weight() * (normalize ? c.normalized(scores[i]) : scores[i]) / weights;
    }
    return parts;
  }

  /** The criteria as the judge reads them: one line each with its scale. */
  String render() {
    StringBuilder b = new StringBuilder();
    if (!description.isEmpty()) {
      b.append(description).append("\n\n");
    }
    for (Criterion c : criteria) {
      b.append("- ").append(c.name()).append(" (").append(c.scale()).append("): ").append(c.description())
          .append('\n');
    }
    return b.toString().stripTrailing();
  }

  /**
   * The rubric named {@code ref}: a built-in one ({@link #BUILT_IN}) or a YAML/JSON file at that path.
   *
   * @throws ConfigException naming the reference and what is allowed, or the file's problem
   */
  public static Rubric load(String ref) {
    if (ref == null || ref.isBlank()) {
      throw new ConfigException("rubric: give a built-in rubric (" + String.join(", ", BUILT_IN)
          + ") or the path of a YAML or JSON file");
    }
    String r = ref.strip();
    if (BUILT_IN.contains(r)) {
      try (InputStream in = Rubric.class.getResourceAsStream("rubrics/" + r + ".yaml")) {
        return YAML.readValue(Objects.requireNonNull(in, "built-in rubric " + r), Rubric.class);
      } catch (IOException e) {
        throw new IllegalStateException("built-in rubric '" + r + "' is unreadable: " + e, e);
      }
    }
    Path path = Path.of(r);
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("rubric: '" + r + "' is neither a built-in rubric (" + String.join(", ", BUILT_IN)
          + ") nor a readable file");
    }
    try {
      return YAML.readValue(path.toFile(), Rubric.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("rubric: cannot read '" + r + "': " + e.getMessage(), e);
    }
  }

  static String number(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
