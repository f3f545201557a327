package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A function call the assistant asks for, in the OpenAI wire shape
 * {@code {"id":..., "type":"function", "function":{"name":..., "arguments":"{...}"}}}.
 *
 * <p>The arguments are the JSON text exactly as the model produced it; it may be malformed, and it is the
 * environment's (or a shaper's) job to say so. Immutable and thread-safe.
 *
 * @param id the call id that the matching tool result refers to
 * @param function the function's name and arguments
 */
@JsonPropertyOrder({"id", "type", "function"})
public record ToolCall(String id, Function function) {

  /**
   * The called function.
   *
   * @param name the function name
   * @param arguments the arguments as JSON text, verbatim
   */
  public record Function(String name, String arguments) {
    public Function {
      Objects.requireNonNull(name, "function name");
      arguments = arguments == null ? "{}" : arguments;
    }
  }

  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(function, "function");
  }

  /** A call of {@code name} with {@code arguments} (JSON text). */
  public static ToolCall of(String id, String name, String arguments) {
    return new ToolCall(id, new Function(name, arguments));
  }

  @JsonCreator
  static ToolCall fromWire(
      @JsonProperty("id") String id,
      @JsonProperty("type") String type,
      @JsonProperty("function") Function function) {
    if (type != null && !type.equals("function")) {
      throw new IllegalArgumentException("tool call type '" + type + "' is not supported; allowed: function");
    }
    return new ToolCall(id, function);
  }

  /** Always {@code function}, as the wire format requires. */
  @JsonProperty("type")
  public String type() {
    return "function";
  }

  /** The function name. */
  @JsonIgnore
  public String name() {
    return function.name();
  }

  /** The arguments as JSON text, verbatim. */
  @JsonIgnore
  public String arguments() {
    return function.arguments();
  }
}
