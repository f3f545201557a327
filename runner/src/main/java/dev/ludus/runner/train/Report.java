package dev.ludus.runner.train;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Turn;
import dev.ludus.runner.store.EpisodeReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a training run's {@code report.html}: learning curves per reward component and of the losses,
 * the held-out evaluations, and a few example episodes with each turn's reward ledger. One self-contained
 * file: inline SVG and CSS, no scripts and nothing fetched, so it reads offline in any browser. Stateless.
 */
public final class Report {
  private Report() {}

  /** Writes {@code report.html} into {@code runDirectory} from its metrics, evaluations and episodes. */
  public static Path write(Path runDirectory) {
    List<IterationMetrics> metrics = records(runDirectory.resolve("metrics.jsonl"), IterationMetrics::read);
    List<EvaluationMetrics> evaluations = records(runDirectory.resolve("evaluations.jsonl"), EvaluationMetrics::read);
    Path episodesFile = runDirectory.resolve("episodes.jsonl");
    List<Episode> episodes = Files.exists(episodesFile) ? EpisodeReader.readAll(episodesFile) : List.of();
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Ludus training report: ")
        .append(esc(runDirectory.getFileName().toString())).append("</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}h2{margin-top:1.6em}")
        .append(".charts{display:flex;flex-wrap:wrap;gap:1em}.chart{border:1px solid #ddd;padding:.4em}")
        .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;")
        .append("vertical-align:top;font-size:13px}pre{white-space:pre-wrap;margin:0;font-size:12px}")
        .append(".ok{color:#070}.bad{color:#a00}</style></head><body>");
    h.append("<h1>Training report</h1><p>Run <code>").append(esc(runDirectory.getFileName().toString()))
        .append("</code>: ").append(metrics.size()).append(" updates, ").append(episodes.size())
        .append(" stored episodes.</p>");

    h.append("<h2>Held-out evaluations</h2><table><tr><th>when</th><th>episodes</th><th>success</th></tr>");
    for (EvaluationMetrics e : evaluations) {
      h.append("<tr><td>").append(esc(e.evaluation() == null ? "" : e.evaluation())).append("</td><td>")
          .append(e.episodes()).append("</td><td>").append(fmt(e.success())).append("</td></tr>");
    }
    h.append("</table>");

    h.append("<h2>Learning curves</h2><div class=\"charts\">");
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (IterationMetrics m : metrics) {
      curves(m).forEach((name, v) -> series.computeIfAbsent(name, k -> new ArrayList<>()).add(v));
    }
    series.forEach((name, values) -> h.append(chart(name, values)));
    h.append("</div>");

    h.append("<h2>Example episodes</h2>");
    for (Episode e : examples(episodes)) {
      h.append(episode(e));
    }
    Path config = runDirectory.resolve("config.yaml");
    if (Files.exists(config)) {
      h.append("<h2>Configuration</h2><pre>").append(esc(read(config))).append("</pre>");
    }
    h.append("</body></html>\n");
    Path out = runDirectory.resolve("report.html");
    try {
      Files.writeString(out, h.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
    return out;
  }

  /**
   * The learning curves' values in one line of {@code metrics.jsonl}, by curve name in the order the report draws
   * them (success, returns, one curve per reward component as {@code component: NAME}, losses, KL, entropy, value
   * metrics, throughput); a field the line lacks gives no value. The dashboard draws the same curves by the same
   * names. Stateless.
   */
  public static Map<String, Double> curves(IterationMetrics m) {
    Map<String, Double> c = new LinkedHashMap<>();
    add(c, "success", m.success());
    add(c, "shaped return", m.shapedReturn());
    add(c, "environment return", m.envReturn());
    if (m.components() != null) {
      m.components().forEach((name, v) -> add(c, "component: " + name, v));
    }
    add(c, "loss", m.loss());
    add(c, "policy loss", m.policyLoss());
    add(c, "KL", m.kl());
    add(c, "entropy", m.entropy());
    add(c, "gradient norm (before clipping)", m.gradNorm());
    add(c, "clip fraction", m.clipFraction());
    add(c, "KL to the behaviour policy", m.behaviourKl());
    add(c, "groups without signal (share)", m.advantages() == null ? null : m.advantages().zeroGroupShare());
    add(c, "value loss", m.valueLoss());
    add(c, "value explained variance", m.valueExplainedVariance());
    add(c, "staleness (mean)", m.staleness() == null ? null : m.staleness().mean());
    double updateSeconds = IterationMetrics.or(m.updateSeconds(), 0);
    if (m.tokens() != null && updateSeconds > 0) {
      c.put("learner tokens/s", m.tokens() / updateSeconds);
    }
    return c;
  }

  /** Adds a value the line has; absent (null), or not finite (written as a string, so never a number), adds none. */
  private static void add(Map<String, Double> curves, String name, Double v) {
    if (v != null && Double.isFinite(v)) {
      curves.put(name, v);
    }
  }

  /** An SVG line chart of {@code values} against the update index, with its range written on the axis. */
  static String chart(String title, List<Double> values) {
    int w = 320;
    int hgt = 140;
    int pad = 28;
    double lo = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).min().orElse(0);
    double hi = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).max().orElse(1);
    if (hi - lo < 1e-12) {
      hi = lo + 1;
    }
    StringBuilder pts = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      double v = values.get(i);
      if (!Double.isFinite(v)) {
        continue;
      }
      double x = pad + (values.size() == 1 ? 0 : (w - 2.0 * pad) * i / (values.size() - 1));
      double y = hgt - pad - (hgt - 2.0 * pad) * (v - lo) / (hi - lo);
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return String.format(Locale.ROOT, "<div class=\"chart\"><svg width=\"%d\" height=\"%d\" role=\"img\">"
        + "<title>%s</title><text x=\"%d\" y=\"14\" font-size=\"12\">%s</text>"
        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
        + "<text x=\"2\" y=\"%d\" font-size=\"10\">%s</text><text x=\"2\" y=\"%d\" font-size=\"10\">%s</text>"
        + "<text x=\"%d\" y=\"%d\" font-size=\"10\">update %d</text>"
        + "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"1.5\" points=\"%s\"/></svg></div>",
        w, hgt, esc(title), pad, esc(title), pad, hgt - pad, w - pad, hgt - pad, pad, pad, pad, hgt - pad,
        pad + 4, fmt(hi), hgt - pad, fmt(lo), w - pad - 60, hgt - 8, values.size(), pts.toString().trim());
  }

  /** A few episodes worth reading: the last successful one, the last unsuccessful one, the last failed one. */
  static List<Episode> examples(List<Episode> episodes) {
    List<Episode> out = new ArrayList<>();
    Episode won = null;
    Episode lost = null;
    Episode failed = null;
    for (Episode e : episodes) {
      if (e.status() == EpisodeStatus.FAILED) {
        failed = e;
      } else if (e.success()) {
        won = e;
      } else {
        lost = e;
      }
    }
    for (Episode e : new Episode[] {won, lost, failed}) {
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  private static String episode(Episode e) {
    StringBuilder h = new StringBuilder();
    h.append("<h3>").append(esc(e.id())).append(" <span class=\"").append(e.success() ? "ok" : "bad").append("\">")
        .append(e.status().wireName()).append(e.success() ? ", success" : "").append("</span></h3>");
    if (e.failure() != null) {
      h.append("<p class=\"bad\">").append(esc(e.failure())).append("</p>");
    }
    h.append("<table><tr><th>turn</th><th>agent</th><th>answer</th><th>env reward</th><th>ledger: source/component "
        + "raw → value</th><th>turn reward</th></tr>");
    for (Turn t : e.turns()) {
      double sum = 0;
      StringBuilder ledger = new StringBuilder();
      for (LedgerEntry l : e.ledger()) {
        if (l.turn() == t.index()) {
          sum += l.value();
          ledger.append(esc(l.label()))
              .append(' ').append(fmt(l.raw())).append(" → ").append(fmt(l.value())).append("<br>");
        }
      }
      StringBuilder answer = new StringBuilder();
      for (Message m : t.observation()) {
        answer.append(m.content()).append('\n');
      }
      h.append("<tr><td>").append(t.index()).append("</td><td><pre>").append(esc(t.action().content()))
          .append("</pre></td><td><pre>").append(esc(answer.toString().strip())).append("</pre></td><td>")
          .append(fmt(t.reward())).append("</td><td>").append(ledger).append("</td><td>").append(fmt(sum))
          .append("</td></tr>");
    }
    return h.append("</table>").toString();
  }

  /** Each line of {@code file} that is not blank, read by {@code reader}; none when it does not exist. */
  private static <T> List<T> records(Path file, Function<String, T> reader) {
    List<T> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : read(file).split("\n")) {
      if (!line.isBlank()) {
        try {
          out.add(reader.apply(line));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** {@code s} escaped for HTML and SVG text and attribute values. */
  public static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
