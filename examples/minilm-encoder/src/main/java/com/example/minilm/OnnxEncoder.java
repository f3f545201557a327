package com.example.minilm;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.ludus.environments.search.PassageEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A LangChain4j in-process (ONNX Runtime) embedding model as a {@link PassageEncoder}. The model is loaded on
 * the first {@link #encode} (its class loads it from the jar, which takes seconds), not when the service loader
 * makes the instance. A batch is embedded on a small pool of daemon threads (one per core), closed with the
 * encoder. Thread-safe.
 */
abstract class OnnxEncoder implements PassageEncoder {
  private final String name;
  private final int dimension;
  private final Function<ExecutorService, EmbeddingModel> load;
  private ExecutorService pool;
  private EmbeddingModel model;

  OnnxEncoder(String name, int dimension, Function<ExecutorService, EmbeddingModel> load) {
    this.name = name;
    this.dimension = dimension;
    this.load = load;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int dimension() {
    return dimension;
  }

  private synchronized EmbeddingModel model() {
    if (model == null) {
      pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, name + "-encoder");
        t.setDaemon(true);
        return t;
      });
      model = load.apply(pool);
    }
    return model;
  }

  @Override
  public final List<float[]> encode(List<String> texts) {
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    List<float[]> out = new ArrayList<>(texts.size());
    for (Embedding e : model().embedAll(segments).content()) {
      out.add(e.vector());
    }
    return out;
  }

  @Override
  public final float[] encodeQuery(String query) {
    return model().embed(query).content().vector();
  }

  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
