package com.example.minilm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.DatasetWriter;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.environments.search.PassageEncoder;
import dev.ludus.environments.search.SearchQaConfig;
import dev.ludus.environments.search.SearchQaProvider;
import dev.ludus.environments.search.SearchSignals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * What the README's dense-retrieval figures come from (not a test: run it by hand, see README.md): model load
 * time, ms per passage and per query for an encoder, and, on the default generated world, how often a search for
 * a question's own text returns one of its gold passages in the top 3, for bm25, dense and hybrid.
 * Arguments: the encoder's name (default all-minilm-l6-v2) and the number of questions (default 500).
 */
public final class Measure {
  private Measure() {}

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : MiniLmEncoder.NAME;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Path dir = Files.createTempDirectory("measure");
    new SearchQaProvider().writeDataset(SearchQaConfig.defaults(), new DatasetWriter.Options(n, 11), dir);
    ObjectMapper json = new ObjectMapper();
    List<String> passages = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("corpus.jsonl"))) {
      passages.add(json.readTree(line).get("contents").asText());
    }
    List<String> questions = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("flashrag.jsonl"))) {
      JsonNode row = json.readTree(line);
      questions.add(row.get("question").asText());
    }
    PassageEncoder encoder = null;
    for (PassageEncoder e : ServiceLoader.load(PassageEncoder.class)) {
      if (e.name().equals(name)) {
        encoder = e;
      }
    }
    if (encoder == null) {
      throw new IllegalArgumentException("no encoder " + name);
    }
    long t0 = System.nanoTime();
    encoder.encode(List.of("warm up"));
    double load = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    encoder.encode(passages);
    double perPassage = (System.nanoTime() - t1) / 1e6 / passages.size();
    int q = Math.min(200, questions.size());
    long t2 = System.nanoTime();
    for (int i = 0; i < q; i++) {
      encoder.encodeQuery(questions.get(i));
    }
    double perQuery = (System.nanoTime() - t2) / 1e6 / q;
    System.out.printf(Locale.ROOT, "%s: first call (model load) %.1f s; %.1f ms/passage over %d passages (batch); "
        + "%.1f ms/query over %d queries (one at a time)%n", name, load, perPassage, passages.size(), perQuery, q);
    encoder.close();
    for (String retrieval : List.of("bm25", "dense", "hybrid")) {
      SearchQaConfig c = SearchQaConfig.defaults().withRetrieval(retrieval, retrieval.equals("bm25") ? null : name);
      try (PluginContext.Owned context = PluginContext.standalone()) {
        BoundEnvironment env = new SearchQaProvider().bind(c).withContext(context);
        long b = System.nanoTime();
        env.create().close();
        double build = (System.nanoTime() - b) / 1e9;
        int gold = 0;
        for (int i = 0; i < n; i++) {
          Task task = env.tasks().task(i, 11);
          try (AsyncEnvironment e = (AsyncEnvironment) env.create()) {
            e.reset(task, i).toCompletableFuture().join();
            StepResult s = e.step(Message.assistant("<search>" + task.fields().get("question") + "</search>"))
                .toCompletableFuture().join();
            gold += s.signals().get(SearchSignals.GOLD_RETRIEVED).orElse(false) ? 1 : 0;
          }
        }
        System.out.printf(Locale.ROOT, "%-6s index built in %.1f s; a search for the question text finds a gold "
            + "passage in the top 3 for %d of %d questions (%.3f)%n", retrieval, build, gold, n, (double) gold / n);
      }
    }
  }
}
