package dev.ludus.runner.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.train.IterationMetrics;
import dev.ludus.runner.train.Report;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the experiments share: an ordinary training run in a directory of its own, what it logged per iteration
 * (training success and turns from {@code metrics.jsonl}, each reward source's raw value per episode from
 * {@code episodes.jsonl}), mean and standard deviation over seeds, the plot of training success curves, and writing
 * the result files ({@code NAME.md}, {@code NAME.json}, {@code NAME.svg}). Stateless.
 */
final class Experiments {
  private Experiments() {}

  /**
   * A finished run: what the trainer returned and, per iteration, its training success, mean turns per episode and
   * each ledger source's mean raw value per episode (see {@link #rawPerIteration}).
   */
  record Run(Trainer.Result result, List<Double> success, List<Double> turns, Map<String, List<Double>> raw) {}

  /** Trains {@code config} into {@code dir} (created), its progress lines in {@code dir/train.log}. */
  static Run train(Registry registry, TrainConfig config, Path dir, String device) throws InterruptedException {
    try {
      Files.createDirectories(dir);
      try (PrintWriter log =
          new PrintWriter(Files.newBufferedWriter(dir.resolve("train.log"), StandardCharsets.UTF_8))) {
        Trainer.Result r = new Trainer(registry, config, device, log).run(dir);
        Path metrics = dir.resolve("metrics.jsonl");
        return new Run(r, perIteration(metrics, IterationMetrics::success),
            perIteration(metrics, IterationMetrics::meanTurns),
            rawPerIteration(dir.resolve("episodes.jsonl")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Each iteration's training success, from the first metrics line of the iteration. */
  static List<Double> trainingSuccess(Path metrics) throws IOException {
    return perIteration(metrics, IterationMetrics::success);
  }

  /** Each iteration's value of a figure of {@code metrics.jsonl} (0 where absent), from its first line. */
  static List<Double> perIteration(Path metrics, Function<IterationMetrics, Number> figure) throws IOException {
    List<Double> out = new ArrayList<>();
    int last = -1;
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      IterationMetrics m = IterationMetrics.read(Json.JSON.readTree(line));
      int it = m.iteration() == null ? 0 : m.iteration();
      if (it != last) {
        out.add(IterationMetrics.or(figure.apply(m), 0));
        last = it;
      }
    }
    return out;
  }

  /** The iteration in a training episode's id: {@code <run>-it<N>-<index>} (or {@code -it<N>r<round>-}). */
  private static final Pattern ITERATION = Pattern.compile("-it(\\d+)(?:r\\d+)?-\\d+(?:-[^-]+)?$");

  /**
   * Per ledger source, per iteration: the mean over the iteration's episodes of the sum of the source's raw values
   * (what the shaper computed, before transforms and weights; an episode without the source counts 0). Iterations
   * are read from the episode ids; the result lists every iteration up to the last one seen. A source recorded at
   * weight 0 is still in the ledger, so a metric-only shaper is measured too.
   */
  static Map<String, List<Double>> rawPerIteration(Path episodes) throws IOException {
    Map<Integer, Integer> count = new TreeMap<>();
    Map<String, Map<Integer, Double>> sums = new TreeMap<>();
    int last = -1;
    try (BufferedReader in = Files.newBufferedReader(episodes, StandardCharsets.UTF_8)) {
      String torn = null; // a line that did not parse: allowed only as the last (a kill cut it short)
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        if (torn != null) {
          throw new IOException(episodes + ": a line before the last is not valid JSON: " + torn);
        }
        JsonNode e;
        try {
          e = Json.JSON.readTree(line);
        } catch (IOException ex) {
          torn = line.length() > 80 ? line.substring(0, 80) + "..." : line;
          continue;
        }
        Matcher m = ITERATION.matcher(e.path("id").asText());
        if (!m.find()) {
          continue;
        }
        int it = Integer.parseInt(m.group(1));
        last = Math.max(last, it);
        count.merge(it, 1, Integer::sum);
        for (JsonNode entry : e.path("ledger")) {
          double sum = 0;
          if (entry.has("raw") && entry.get("raw").isArray()) {
            for (JsonNode x : entry.get("raw")) {
              sum += x.asDouble();
            }
          } else {
            sum = entry.path("raw").asDouble();
          }
          sums.computeIfAbsent(entry.path("source").asText(), k -> new TreeMap<>()).merge(it, sum, Double::sum);
        }
      }
    }
    Map<String, List<Double>> out = new TreeMap<>();
    for (Map.Entry<String, Map<Integer, Double>> source : sums.entrySet()) {
      List<Double> curve = new ArrayList<>();
      for (int it = 0; it <= last; it++) {
        int n = count.getOrDefault(it, 0);
        curve.add(n == 0 ? Double.NaN : source.getValue().getOrDefault(it, 0.0) / n);
      }
      out.put(source.getKey(), List.copyOf(curve));
    }
    return out;
  }

  /** The mean of the last {@code k} values (all of them when fewer); NaN for none. */
  static double tailMean(List<Double> values, int k) {
    int from = Math.max(0, values.size() - k);
    double s = 0;
    int n = 0;
    for (int i = from; i < values.size(); i++) {
      if (!Double.isNaN(values.get(i))) {
        s += values.get(i);
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  /** A family of curves: one per run, drawn faint, and their mean drawn bold under {@code name}. */
  record Curves(String name, List<List<Double>> runs) {}

  /** A dashed horizontal line at {@code y} (a success rate) with a label. */
  record Level(double y, String label) {}

  private static final String[] COLOURS = {"#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f"};

  /**
   * Success rates (0 to 1) against training episodes: each family's runs faint, their mean per iteration bold,
   * the levels dashed.
   */
  static String plot(String title, List<Curves> families, int iterations, int budget, List<Level> levels) {
    return plot(title, families, iterations, budget, levels, 1.0);
  }

  /**
   * Values from 0 to {@code yMax} against training episodes, drawn as {@link #plot(String, List, int, int, List)}
   * draws success rates.
   */
  static String plot(String title, List<Curves> families, int iterations, int budget, List<Level> levels,
      double yMax) {
    int w = 640;
    int h = 360;
    int left = 50;
    int right = 150;
    int top = 30;
    int bottom = 45;
    double plotW = w - left - right;
    double plotH = h - top - bottom;
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"11\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
        + "<text x=\"%d\" y=\"18\" font-size=\"13\">%s</text>%n", w, h, left, Report.esc(title)));
    for (int k = 0; k <= 4; k++) {
      double y = top + plotH - plotH * k / 4;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", left, y, left + plotW, y, left - 4, y + 4,
          yMax * k / 4.0));
    }
    for (Level level : levels) {
      double ty = top + plotH - plotH * Math.max(0, Math.min(1, level.y() / yMax));
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" "
          + "stroke-dasharray=\"5,4\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>%n", left, ty, left + plotW, ty,
          left + plotW + 4, ty + 4, Report.esc(level.label())));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">training episodes "
        + "(budget %d)</text><text x=\"%d\" y=\"%d\">0</text><text x=\"%.1f\" y=\"%d\" text-anchor=\"end\">%d</text>%n",
        left + plotW / 2, h - 8, budget, left, top + (int) plotH + 14, left + plotW, top + (int) plotH + 14, budget));
    for (int a = 0; a < families.size(); a++) {
      Curves family = families.get(a);
      String colour = COLOURS[a % COLOURS.length];
      double[] sum = new double[iterations];
      int[] count = new int[iterations];
      for (List<Double> run : family.runs()) {
        b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-opacity=\"0.25\" points=\"")
            .append(points(run, iterations, left, top, plotW, plotH, yMax)).append("\"/>\n");
        for (int i = 0; i < Math.min(iterations, run.size()); i++) {
          sum[i] += run.get(i);
          count[i]++;
        }
      }
      List<Double> means = new ArrayList<>();
      for (int i = 0; i < iterations && count[i] > 0; i++) {
        means.add(sum[i] / count[i]);
      }
      b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2.5\" points=\"")
          .append(points(means, iterations, left, top, plotW, plotH, yMax)).append("\"><title>")
          .append(Report.esc(family.name())).append("</title></polyline>\n");
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
          + "stroke-width=\"2.5\"/><text x=\"%.1f\" y=\"%d\">%s</text>%n", left + plotW + 4, top + 20 + 18 * a,
          left + plotW + 24, top + 20 + 18 * a, colour, left + plotW + 28, top + 24 + 18 * a,
          Report.esc(family.name())));
    }
    return b.append("</svg>\n").toString();
  }

  private static String points(List<Double> values, int iterations, int left, int top, double plotW, double plotH,
      double yMax) {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      double x = left + plotW * (i + 1) / iterations;
      double y = top + plotH - plotH * Math.max(0, Math.min(1, values.get(i) / yMax));
      p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return p.toString().trim();
  }

  /**
   * Writes {@code NAME.md} (the table, then the plot as an image), {@code NAME.svg} and {@code NAME.json} into
   * {@code directory}.
   */
  static void write(Path directory, String name, String table, String svg, ObjectNode json) {
    write(directory, name, table + "\n![training success](" + name + ".svg)\n", List.of(svg), json);
  }

  /**
   * Writes {@code NAME.md} (the markdown as given), {@code NAME.json}, and each plot as {@code NAME.svg} (one plot) or
   * {@code NAME-1.svg}, {@code NAME-2.svg}, ... (several).
   */
  static void write(Path directory, String name, String markdown, List<String> svgs, ObjectNode json) {
    try {
      Files.writeString(directory.resolve(name + ".md"), markdown, StandardCharsets.UTF_8);
      for (int i = 0; i < svgs.size(); i++) {
        String file = svgs.size() == 1 ? name + ".svg" : name + "-" + (i + 1) + ".svg";
        Files.writeString(directory.resolve(file), svgs.get(i), StandardCharsets.UTF_8);
      }
      Json.JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(name + ".json").toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + name + " results into " + directory + ": "
          + e.getMessage(), e);
    }
  }

  /** A YAML (or JSON) text as a tree; for embedded defaults, so a failure is a bug. */
  static JsonNode yaml(String text) {
    try {
      return Json.YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
