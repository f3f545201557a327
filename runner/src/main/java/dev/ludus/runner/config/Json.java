package dev.ludus.runner.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

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

  private static final Pattern NON_FINITE = Pattern.compile("Malformed numeric value '([+-]?\\.(?:nan|NaN|NAN|inf|Inf|INF))'");

  /**
   * What is wrong with a YAML or JSON text, on one line with its line and column: the YAML parser's problem
   * (not its multi-line excerpt), {@code weight must be a finite number, was .nan} for YAML's {@code .nan} and
   * {@code .inf} (which the mapper does not read as numbers), else the first line of Jackson's message.
   */
  public static String problem(JsonProcessingException e) {
    String where = e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    MarkedYAMLException y = null;
    for (Throwable t = e.getCause(); t != null && y == null; t = t.getCause() == t ? null : t.getCause()) {
      y = t instanceof MarkedYAMLException m ? m : null;
    }
    if (y != null) {
      Mark mark = y.getProblemMark() != null ? y.getProblemMark() : y.getContextMark();
      String at = mark == null ? where : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
      String problem = y.getProblem() == null ? "malformed YAML" : y.getProblem().strip();
      return "malformed YAML: " + problem + (y.getContext() == null ? "" : " " + y.getContext().strip()) + at;
    }
    String message = String.valueOf(e.getOriginalMessage());
    Matcher nonFinite = NON_FINITE.matcher(message);
    if (nonFinite.find()) {
      String field = e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null
          ? p.getParsingContext().getCurrentName() : null;
      return (field == null ? "a number" : field) + " must be a finite number, was " + nonFinite.group(1) + where;
    }
    if (message.contains("\n in 'reader', line ")) {
      // SnakeYAML's text: unindented lines say what (context first, problem last), indented ones show where
      List<String> said = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList();
      if (!said.isEmpty()) {
        String problem = said.get(said.size() - 1).strip();
        String context = said.size() > 1 ? " " + said.get(0).strip() : "";
        return "malformed YAML: " + problem + context + where;
      }
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip() + where;
  }
}
