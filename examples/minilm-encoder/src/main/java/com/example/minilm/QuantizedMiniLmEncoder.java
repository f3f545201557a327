package com.example.minilm;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/** all-MiniLM-L6-v2 quantized to 8-bit weights (LangChain4j's {@code -q} artifact), registered as {@value #NAME}. */
public final class QuantizedMiniLmEncoder extends OnnxEncoder {
  public static final String NAME = "all-minilm-l6-v2-q";

  public QuantizedMiniLmEncoder() {
    super(NAME, 384, AllMiniLmL6V2QuantizedEmbeddingModel::new);
  }
}
