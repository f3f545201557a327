package com.example.minilm;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/**
 * sentence-transformers' all-MiniLM-L6-v2 (384 dimensions, mean pooling, normalised), as LangChain4j ships it,
 * registered as {@value #NAME}. Thread-safe.
 */
public final class MiniLmEncoder extends OnnxEncoder {
  public static final String NAME = "all-minilm-l6-v2";

  public MiniLmEncoder() {
    super(NAME, 384, AllMiniLmL6V2EmbeddingModel::new);
  }
}
