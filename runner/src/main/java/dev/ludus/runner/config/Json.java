package dev.ludus.runner.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The two configured Jackson mappers Ludus uses for everything but episodes: JSON ({@code summary.json},
 * {@code metrics.jsonl}, {@code --json} output) and YAML (configuration files). Episodes and their parts are
 * written and read by {@link dev.ludus.api.codec.EpisodeCodec} only. Both are immutable after construction and
 * thread-safe.
 */
public final class Json {
  private Json() {}

  /** Compact JSON, one line per value; unknown properties are tolerated when reading records back. */
  public static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  /** YAML for configuration; strict about unknown fields, because a typo should not pass silently. */
  public static final ObjectMapper YAML = YAMLMapper.builder(
          YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();
}
