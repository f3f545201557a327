package dev.ludus.api.chat;

import dev.ludus.api.Message;
import dev.ludus.api.ToolSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One chat-completions request: the conversation, the tools offered, how to sample, and any extra body fields
 * a server understands (vLLM's {@code guided_json}, {@code chat_template_kwargs}, OpenAI's
 * {@code response_format}). The model is the endpoint's. Immutable and thread-safe; the constructor rejects
 * a bad value with an {@link IllegalArgumentException} naming it.
 *
 * @param messages the conversation, oldest first; not empty
 * @param tools the tools the model may call (empty for none)
 * @param toolChoice whether and which tool to call; sent only when {@code tools} is not empty (default auto)
 * @param sampling how to sample (default {@link Sampling#defaults()})
 * @param extraBody more top-level body fields, as plain JSON values (strings, numbers, booleans, null, lists
 *     and maps of them); it cannot set a field the typed parts write ({@code model}, {@code messages},
 *     {@code tools}, {@code tool_choice}, the sampling fields) nor {@code stream}. Kept sorted by key, so that
 *     equal requests are written alike
 */
public record ChatRequest(
    List<Message> messages, List<ToolSpec> tools, ToolChoice toolChoice, Sampling sampling,
    Map<String, Object> extraBody) {

  /** The body fields the client writes from the typed parts, which {@code extraBody} cannot set. */
  public static final Set<String> TYPED_FIELDS = Set.of("model", "messages", "tools", "tool_choice", "temperature",
      "top_p", "max_tokens", "stop", "seed", "n", "logprobs", "top_logprobs", "return_token_ids",
      "return_tokens_as_token_ids", "stream");

  public ChatRequest {
    Objects.requireNonNull(messages, "messages");
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("chat request: messages cannot be empty; it takes the conversation so far");
    }
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    toolChoice = toolChoice == null ? ToolChoice.AUTO : toolChoice;
    String forced = toolChoice.function();
    if (forced != null && tools.stream().noneMatch(t -> t.name().equals(forced))) {
      throw new IllegalArgumentException("chat request: toolChoice names the tool '" + forced
          + "', which is not offered; it takes one of " + tools.stream().map(ToolSpec::name).toList());
    }
    sampling = sampling == null ? Sampling.defaults() : sampling;
    extraBody = extraBody == null || extraBody.isEmpty() ? Map.of() : copyBody(extraBody);
  }

  /** {@code messages} with the default sampling, no tools and no extra fields. */
  public static ChatRequest of(List<Message> messages) {
    return new ChatRequest(messages, List.of(), ToolChoice.AUTO, Sampling.defaults(), Map.of());
  }

  /** {@code messages} sampled as {@code sampling}, no tools and no extra fields. */
  public static ChatRequest of(List<Message> messages, Sampling sampling) {
    return new ChatRequest(messages, List.of(), ToolChoice.AUTO, sampling, Map.of());
  }

  /** This request with other sampling. */
  public ChatRequest withSampling(Sampling sampling) {
    return new ChatRequest(messages, tools, toolChoice, sampling, extraBody);
  }

  /** This request offering {@code tools}, chosen as {@code toolChoice}. */
  public ChatRequest withTools(List<ToolSpec> tools, ToolChoice toolChoice) {
    return new ChatRequest(messages, tools, toolChoice, sampling, extraBody);
  }

  /** This request with {@code extraBody} instead of its extra fields. */
  public ChatRequest withExtraBody(Map<String, Object> extraBody) {
    return new ChatRequest(messages, tools, toolChoice, sampling, extraBody);
  }

  private static Map<String, Object> copyBody(Map<String, Object> body) {
    TreeMap<String, Object> copy = new TreeMap<>();
    for (Map.Entry<String, Object> e : body.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("chat request: extraBody has a blank field name");
      }
      if (TYPED_FIELDS.contains(key)) {
        throw new IllegalArgumentException("chat request: extraBody cannot set '" + key + "'"
            + (key.equals("stream") ? "; streaming is not supported" : "; set it through the request's typed fields"
                + " (messages, tools, toolChoice, sampling)"));
      }
      copy.put(key, plain(e.getValue(), "extraBody." + key));
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  /** A deep, immutable copy of a plain JSON value (maps sorted by key); rejects anything else. */
  private static Object plain(Object v, String path) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
        || v instanceof Short || v instanceof Byte || v instanceof BigInteger || v instanceof BigDecimal) {
      return v;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("chat request: " + path + " cannot be " + d + "; JSON has finite numbers");
      }
      return v;
    }
    if (v instanceof Map<?, ?> m) {
      TreeMap<String, Object> copy = new TreeMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException("chat request: " + path + " has a field name that is not a string: "
              + e.getKey());
        }
        copy.put(k, plain(e.getValue(), path + "." + k));
      }
      return Collections.unmodifiableSortedMap(copy);
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        copy.add(plain(l.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException("chat request: " + path + " is a " + v.getClass().getName()
        + "; it takes plain JSON values (string, number, boolean, null, list, map)");
  }
}
