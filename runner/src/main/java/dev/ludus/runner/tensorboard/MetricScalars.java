package dev.ludus.runner.tensorboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code metrics.jsonl} line as flat scalars: every number (and boolean, as 0 or 1) under its path, nested keys
 * joined by {@code /} ({@code success}, {@code kl}, {@code components/outcome/outcome}, {@code staleness/max}), the
 * same names the line has. {@code step} is the x axis, not a scalar. The names TensorBoard shows and the keys of
 * {@code ludus export --format verl-metrics}. Stateless and thread-safe.
 */
public final class MetricScalars {
  private MetricScalars() {}

  /** Every scalar of {@code line} but {@code step}, in the line's order. */
  public static Map<String, Double> flatten(JsonNode line) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : line.properties()) {
      if (!f.getKey().equals("step")) {
        add(out, f.getKey(), f.getValue());
      }
    }
    return out;
  }

  /**
   * The step {@code line} is plotted at: its optimizer {@code step} when it reports an update (at least 0), else
   * {@code previous} (an iteration without an update stays at the step of the last one).
   */
  public static long step(JsonNode line, long previous) {
    long s = line.path("step").asLong(-1);
    return s >= 0 ? s : previous;
  }

  private static void add(Map<String, Double> out, String path, JsonNode v) {
    if (v.isNumber()) {
      out.put(path, v.asDouble());
    } else if (v.isBoolean()) {
      out.put(path, v.asBoolean() ? 1.0 : 0.0);
    } else if (v.isObject()) {
      for (Map.Entry<String, JsonNode> f : v.properties()) {
        add(out, path + "/" + f.getKey(), f.getValue());
      }
    }
  }
}
