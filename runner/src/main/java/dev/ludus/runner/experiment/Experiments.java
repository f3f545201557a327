package dev.ludus.runner.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.train.Report;
import dev.ludus.runner.train.TrainConfig;
import dev.ludus.runner.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the experiments share: an ordinary training run in a directory of its own, the training success it logged,
 * mean and standard deviation over seeds, the plot of training success curves, and writing the result files
 * ({@code NAME.md}, {@code NAME.json}, {@code NAME.svg}). Stateless.
 */
final class Experiments {
  private Experiments() {}

  /** A finished run: what the trainer returned and the training success of each iteration. */
  record Run(Trainer.Result result, List<Double> success) {}

  /** Trains {@code config} into {@code dir} (created), its progress lines in {@code dir/train.log}. */
  static Run train(Registry registry, TrainConfig config, Path dir, String device) throws InterruptedException {
    try {
      Files.createDirectories(dir);
      try (PrintWriter log =
          new PrintWriter(Files.newBufferedWriter(dir.resolve("train.log"), StandardCharsets.UTF_8))) {
        Trainer.Result r = new Trainer(registry, config, device, log).run(dir);
        return new Run(r, trainingSuccess(dir.resolve("metrics.jsonl")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Each iteration's training success, from the first metrics line of the iteration. */
  static List<Double> trainingSuccess(Path metrics) throws IOException {
    List<Double> out = new ArrayList<>();
    int last = -1;
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode m = Json.JSON.readTree(line);
      int it = m.path("iteration").asInt();
      if (it != last) {
        out.add(m.path("success").asDouble());
        last = it;
      }
    }
    return out;
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return x.length == 0 ? Double.NaN : s / x.length;
  }

  /** The sample standard deviation (n − 1); 0 for one value. */
  static double std(double[] x) {
    if (x.length < 2) {
      return 0;
    }
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (x.length - 1));
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
          k / 4.0));
    }
    for (Level level : levels) {
      double ty = top + plotH - plotH * Math.max(0, Math.min(1, level.y()));
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
            .append(points(run, iterations, left, top, plotW, plotH)).append("\"/>\n");
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
          .append(points(means, iterations, left, top, plotW, plotH)).append("\"><title>")
          .append(Report.esc(family.name())).append("</title></polyline>\n");
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
          + "stroke-width=\"2.5\"/><text x=\"%.1f\" y=\"%d\">%s</text>%n", left + plotW + 4, top + 20 + 18 * a,
          left + plotW + 24, top + 20 + 18 * a, colour, left + plotW + 28, top + 24 + 18 * a,
          Report.esc(family.name())));
    }
    return b.append("</svg>\n").toString();
  }

  private static String points(List<Double> values, int iterations, int left, int top, double plotW, double plotH) {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      double x = left + plotW * (i + 1) / iterations;
      double y = top + plotH - plotH * Math.max(0, Math.min(1, values.get(i)));
      p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return p.toString().trim();
  }

  /**
   * Writes {@code NAME.md} (the table, then the plot as an image), {@code NAME.svg} and {@code NAME.json} into
   * {@code directory}.
   */
  static void write(Path directory, String name, String table, String svg, ObjectNode json) {
    try {
      Files.writeString(directory.resolve(name + ".md"), table + "\n![training success](" + name + ".svg)\n",
          StandardCharsets.UTF_8);
      Files.writeString(directory.resolve(name + ".svg"), svg, StandardCharsets.UTF_8);
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
