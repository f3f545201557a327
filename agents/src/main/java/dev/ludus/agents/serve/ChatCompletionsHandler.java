package dev.ludus.agents.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.ChatCompletions;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers one HTTP request of {@link ModelServer}: checks the token and routes on the event loop, which hands a
 * chat-completions body as it is to the completions' batching worker; the worker reads it into a conversation and
 * {@link ChatCompletions.Params} and renders it when it can admit it; the server's answer thread builds and
 * serialises the answer, and the request's event loop writes it. Stateless apart from a request counter; thread-safe.
 */
final class ChatCompletionsHandler {
  /** Writes floats with the shortest digits that read back the same (Schubfach), not the JDK's slower dtoa. */
  private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build());
  /** The largest request body read, in bytes. */
  static final int MAX_BODY = 16 << 20;

  private final ChatCompletions completions;
  private final Completer completer;
  private final java.util.concurrent.Executor answers;
  private final ModelServer.Options options;
  private final byte[] expectedAuth;
  private final long created = System.currentTimeMillis() / 1000;
  private final AtomicLong ids = new AtomicLong();
  /**
   * Per token id, its text as a quoted JSON string and its UTF-8 bytes as a JSON array, made on first use: an answer
   * with log-probs writes both for every token and alternative (racy but safe: a slot holds null or one immutable
   * value).
   */
  private final TokenJson[] tokenJson;

  /** A token's text, pre-quoted, and its {@code bytes} array as JSON text. */
  private record TokenJson(String text, SerializedString quoted, String bytes) {
    static TokenJson of(String text) {
      StringBuilder sb = new StringBuilder(2 + 4 * text.length()).append('[');
      for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
        sb.append(sb.length() > 1 ? "," : "").append(b & 0xff);
      }
      return new TokenJson(text, new SerializedString(text), sb.append(']').toString());
    }
  }

  /**
   * What the handler asks for completions: {@link ChatCompletions#complete(java.util.function.Supplier,
   * java.util.concurrent.Executor)} (tests wrap it), given the parsing of the body and the answer thread.
   */
  @FunctionalInterface
  interface Completer {
    CompletionStage<ChatCompletions.Answer<Parsed>> complete(java.util.function.Supplier<Parsed> parse,
        java.util.concurrent.Executor answers);
  }

  ChatCompletionsHandler(ChatCompletions completions, Completer completer, java.util.concurrent.Executor answers,
      ModelServer.Options options) {
    this.completions = completions;
    this.completer = completer;
    this.answers = answers;
    this.options = options;
    this.expectedAuth = options.token() == null ? null
        : ("Bearer " + options.token()).getBytes(StandardCharsets.UTF_8);
    this.tokenJson = new TokenJson[Math.max(completions.model().spec().vocabSize(),
        completions.tokenizer().vocabSize())];
  }

  void handle(HttpServerRequest request) {
    String path = request.path();
    if (expectedAuth != null && !authorised(request.getHeader("Authorization"))) {
      error(request.response(), 401, "invalid_api_key", null, "missing or wrong bearer token (Authorization: Bearer "
          + "TOKEN, the token ludus serve was started with)");
      return;
    }
    if (path.equals("/health") && request.method() == HttpMethod.GET) {
      request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"ok\"}");
    } else if ((path.equals("/v1/models") || path.equals("/models")) && request.method() == HttpMethod.GET) {
      models(request.response());
    } else if (path.equals("/v1/chat/completions") || path.equals("/chat/completions")) {
      if (request.method() != HttpMethod.POST) {
        error(request.response(), 405, "method_not_allowed", null, "chat completions take POST, not " + request.method());
        return;
      }
      String length = request.getHeader("Content-Length");
      if (length != null && length.matches("\\d{1,12}") && Long.parseLong(length) > MAX_BODY) {
        error(request.response(), 413, "request_too_large", null, "the body is over " + MAX_BODY + " bytes");
        return;
      }
      Context context = Vertx.currentContext();
      request.body().onComplete(ar -> {
        if (ar.failed()) {
          error(request.response(), 400, "invalid_request_error", null, "cannot read the body: " + ar.cause());
        } else {
          chat(request.response(), ar.result(), context);
        }
      });
    } else {
      error(request.response(), 404, "not_found", null, "no endpoint " + request.method() + " " + path
          + "; ludus serve answers POST /v1/chat/completions, GET /v1/models and GET /health");
    }
  }

  private boolean authorised(String header) {
    return header != null && MessageDigest.isEqual(expectedAuth, header.getBytes(StandardCharsets.UTF_8));
  }

  private void models(HttpServerResponse response) {
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    root.putArray("data").addObject().put("id", options.modelName()).put("object", "model").put("created", created)
        .put("owned_by", "ludus").put("max_model_len", completions.model().spec().context());
    json(response, 200, root);
  }

  /** A request the server refuses, with the OpenAI error's {@code param}. */
  static final class BadRequest extends RuntimeException {
    private final String param;

    BadRequest(String param, String message) {
      super(message, null, false, false);
      this.param = param;
    }
  }

  /** A parsed chat-completions request. */
  record Parsed(List<Message> messages, List<ToolSpec> tools, ChatCompletions.Params params, boolean logprobs,
      boolean tokenIds, boolean tokensAsIds) implements ChatCompletions.Call {}

  /**
   * Hands the body to the completions, whose batching worker parses it and renders the prompt when it can admit it
   * (while it gathers a burst, or between decoding steps), so the event loop only enqueues it and a burst reaches the
   * worker as fast as it arrives, with no thread woken in between; the completions and the answer are built and
   * serialised on the server's one answer thread, off the worker; the event loop only writes the answer.
   */
  private void chat(HttpServerResponse response, Buffer body, Context context) {
    CompletionStage<ChatCompletions.Answer<Parsed>> stage;
    try {
      stage = completer.complete(() -> parse(body), answers);
    } catch (RuntimeException e) {
      fail(response, e);
      return;
    }
    stage.whenComplete((out, failure) -> {
      if (failure == null && Context.isOnEventLoopThread()) {
        afterGeneration(() -> answer(response, context, out)); // never serialise on an event loop
      } else if (failure == null) {
        answer(response, context, out); // on the answer thread, which built the completions
      } else {
        context.runOnContext(v -> fail(response, failure));
      }
    });
  }

  private void answer(HttpServerResponse response, Context context, ChatCompletions.Answer<Parsed> out) {
    try {
      byte[] answer = answer(out.call(), out.completions());
      context.runOnContext(v -> send(response, 200, answer));
    } catch (RuntimeException e) {
      context.runOnContext(v -> fail(response, e));
    }
  }

  /** Runs {@code task} on the answer thread; drops it when the server has closed (its connection is closed too). */
  private void afterGeneration(Runnable task) {
    try {
      answers.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: the batching worker that completed the generation must not fail for it
    }
  }

  /** Answers a request that failed: 400 (404 for an unknown model) for a bad request, 503 for anything else. */
  private static void fail(HttpServerResponse response, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof BadRequest e) {
      boolean model = e.param != null && e.param.equals("model");
      error(response, model ? 404 : 400, model ? "model_not_found" : "invalid_request_error", e.param,
          e.getMessage());
    } else if (cause instanceof IllegalArgumentException) {
      error(response, 400, "invalid_request_error", null, cause.getMessage());
    } else {
      error(response, 503, "server_error", null, "generation failed: " + cause);
    }
  }

  Parsed parse(Buffer body) {
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (java.io.IOException e) {
      throw new BadRequest(null, "the body is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadRequest(null, "the body must be a JSON object");
    }
    if (root.path("stream").asBoolean(false)) {
      throw new BadRequest("stream", "streaming is not supported; send stream: false");
    }
    if (root.hasNonNull("model") && !root.get("model").asText().equals(options.modelName())) {
      throw new BadRequest("model", "the model '" + root.get("model").asText() + "' does not exist; this server serves '"
          + options.modelName() + "'");
    }
    JsonNode ms = root.get("messages");
    if (ms == null || !ms.isArray() || ms.isEmpty()) {
      throw new BadRequest("messages", "messages must be a non-empty array");
    }
    List<Message> messages = new ArrayList<>(ms.size());
    for (int i = 0; i < ms.size(); i++) {
      messages.add(message(ms.get(i), "messages[" + i + "]"));
    }
    List<ToolSpec> tools = new ArrayList<>();
    JsonNode ts = root.get("tools");
    if (ts != null && !ts.isNull()) {
      if (!ts.isArray()) {
        throw new BadRequest("tools", "tools must be an array");
      }
      for (int i = 0; i < ts.size(); i++) {
        JsonNode f = ts.get(i).get("function");
        if (f == null || !f.path("name").isTextual()) {
          throw new BadRequest("tools", "tools[" + i + "] needs function.name");
        }
        try {
          tools.add(JSON.treeToValue(f, ToolSpec.class));
        } catch (java.io.IOException | IllegalArgumentException e) {
          throw new BadRequest("tools", "tools[" + i + "] is not a function tool: " + e.getMessage());
        }
      }
    }
    if ("none".equals(root.path("tool_choice").asText(null))) {
      tools.clear();
    }
    double temperature = number(root, "temperature", 1.0, 0, 2);
    double topP = number(root, "top_p", 1.0, Double.MIN_VALUE, 1);
    int maxTokens = (int) number(root, root.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens",
        Math.min(options.defaultMaxTokens(), completions.maxTokensLimit()), 1, completions.maxTokensLimit());
    int n = (int) number(root, "n", 1, 1, options.maxN());
    long seed = root.hasNonNull("seed") ? (long) number(root, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE)
        : ThreadLocalRandom.current().nextLong();
    List<String> stop = new ArrayList<>();
    JsonNode st = root.get("stop");
    if (st != null && !st.isNull()) {
      for (JsonNode s : st.isArray() ? st : JSON.createArrayNode().add(st)) {
        if (!s.isTextual() || s.asText().isEmpty()) {
          throw new BadRequest("stop", "stop must be a non-empty string or an array of them");
        }
        stop.add(s.asText());
      }
    }
    boolean logprobs = root.path("logprobs").asBoolean(false);
    int top = (int) number(root, "top_logprobs", 0, 0, 20);
    if (top > 0 && !logprobs) {
      throw new BadRequest("top_logprobs", "top_logprobs needs logprobs: true");
    }
    return new Parsed(messages, tools, new ChatCompletions.Params(temperature, topP, maxTokens, stop, seed, n, top),
        logprobs, root.path("return_token_ids").asBoolean(false),
        root.path("return_tokens_as_token_ids").asBoolean(false));
  }

  private static double number(JsonNode root, String field, double absent, double min, double max) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw new BadRequest(field, field + " must be a number in [" + fmt(min) + ", " + fmt(max) + "], was " + v);
    }
    return v.isIntegralNumber() ? v.asLong() : v.asDouble();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : d == Double.MIN_VALUE ? "0 (excl.)"
        : Double.toString(d);
  }

  private static Message message(JsonNode m, String at) {
    if (!m.isObject()) {
      throw new BadRequest("messages", at + " must be an object");
    }
    Role role;
    try {
      role = Role.fromWire(m.path("role").asText(""));
    } catch (IllegalArgumentException e) {
      String r = m.path("role").asText("");
      if (r.equals("developer")) {
        role = Role.SYSTEM;
      } else {
        throw new BadRequest("messages", at + ".role: " + e.getMessage());
      }
    }
    JsonNode c = m.get("content");
    String content;
    if (c == null || c.isNull()) {
      content = "";
    } else if (c.isTextual()) {
      content = c.asText();
    } else if (c.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : c) {
        if (!part.path("text").isTextual()) {
          throw new BadRequest("messages", at + ".content: only text parts are supported");
        }
        sb.append(part.get("text").asText());
      }
      content = sb.toString();
    } else {
      throw new BadRequest("messages", at + ".content must be a string, null or an array of text parts");
    }
    List<ToolCall> calls = new ArrayList<>();
    JsonNode tc = m.get("tool_calls");
    if (tc != null && !tc.isNull()) {
      for (JsonNode call : tc) {
        JsonNode f = call.path("function");
        JsonNode args = f.get("arguments");
        calls.add(ToolCall.of(call.path("id").asText(""), f.path("name").asText(""),
            args == null || args.isNull() ? "" : args.isTextual() ? args.asText() : args.toString()));
      }
    }
    try {
      return new Message(role, content, calls, m.path("tool_call_id").asText(null), m.path("name").asText(null));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("messages", at + ": " + e.getMessage());
    }
  }

  /**
   * The OpenAI answer to {@code p}, written straight to bytes by Jackson's generator (no tree: with log-probs, an
   * answer has several objects per token).
   */
  private byte[] answer(Parsed p, List<ChatCompletions.Completion> out) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(512 + 160 * out.size()
        * Math.max(1, out.get(0).trace().outputIds().length));
    try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
      long number = ids.incrementAndGet();
      g.writeStartObject();
      g.writeStringField("id", "chatcmpl-ludus-" + number);
      g.writeStringField("object", "chat.completion");
      g.writeNumberField("created", System.currentTimeMillis() / 1000);
      g.writeStringField("model", options.modelName());
      g.writeArrayFieldStart("choices");
      int completionTokens = 0;
      for (int i = 0; i < out.size(); i++) {
        ChatCompletions.Completion c = out.get(i);
        int[] outputIds = c.trace().outputIds();
        completionTokens += outputIds.length;
        g.writeStartObject();
        g.writeNumberField("index", i);
        g.writeObjectFieldStart("message");
        g.writeStringField("role", "assistant");
        List<ToolCall> toolCalls = c.message().toolCalls();
        if (c.message().content().isEmpty() && !toolCalls.isEmpty()) {
          g.writeNullField("content");
        } else {
          g.writeStringField("content", c.message().content());
        }
        if (!toolCalls.isEmpty()) {
          g.writeArrayFieldStart("tool_calls");
          int k = 0;
          for (ToolCall call : toolCalls) {
            g.writeStartObject();
            g.writeStringField("id", call.id().isEmpty() ? "call_" + number + "_" + i + "_" + k : call.id());
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", call.name());
            g.writeStringField("arguments", call.arguments());
            g.writeEndObject();
            g.writeEndObject();
            k++;
          }
          g.writeEndArray();
        }
        g.writeEndObject();
        if (p.logprobs()) {
          g.writeObjectFieldStart("logprobs");
          g.writeArrayFieldStart("content");
          for (int t = 0; t < outputIds.length; t++) {
            g.writeStartObject();
            token(g, outputIds[t], c.tokens().get(t), c.trace().logProbs()[t], p.tokensAsIds());
            g.writeArrayFieldStart("top_logprobs");
            for (ChatCompletions.Alternative alt : c.top().get(t)) {
              g.writeStartObject();
              token(g, alt.id(), alt.token(), alt.logProb(), p.tokensAsIds());
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        } else {
          g.writeNullField("logprobs");
        }
        g.writeStringField("finish_reason", c.finishReason());
        if (p.tokenIds()) {
          g.writeArrayFieldStart("token_ids");
          for (int id : outputIds) {
            g.writeNumber(id);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      int[] promptIds = out.get(0).trace().promptIds();
      if (p.tokenIds()) {
        g.writeArrayFieldStart("prompt_token_ids");
        for (int id : promptIds) {
          g.writeNumber(id);
        }
        g.writeEndArray();
      }
      g.writeObjectFieldStart("usage");
      g.writeNumberField("prompt_tokens", promptIds.length);
      g.writeNumberField("completion_tokens", completionTokens);
      g.writeNumberField("total_tokens", promptIds.length + completionTokens);
      g.writeEndObject();
      g.writeEndObject();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot write the answer: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  private void token(JsonGenerator g, int id, String text, float logProb, boolean asIds) throws java.io.IOException {
    TokenJson t = tokenJson(id, text);
    if (asIds) {
      g.writeStringField("token", "token_id:" + id);
    } else {
      g.writeFieldName("token");
      g.writeString(t.quoted());
    }
    g.writeNumberField("logprob", logProb);
    g.writeFieldName("bytes");
    g.writeRawValue(t.bytes());
  }

  /** {@code text}'s JSON forms, cached under {@code id} when {@code text} is that token's text. */
  private TokenJson tokenJson(int id, String text) {
    if (id < 0 || id >= tokenJson.length) {
      return TokenJson.of(text);
    }
    TokenJson t = tokenJson[id];
    if (t == null || !t.text().equals(text)) {
      TokenJson made = TokenJson.of(text);
      if (t == null && text.equals(completions.tokenText(id))) {
        tokenJson[id] = made;
      }
      return made;
    }
    return t;
  }

  private static void json(HttpServerResponse response, int status, ObjectNode body) {
    send(response, status, bytes(body));
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpServerResponse response, int status, byte[] body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
  }

  private static void error(HttpServerResponse response, int status, String code, String param, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("error").put("message", message)
        .put("type", status == 401 ? "authentication_error" : status >= 500 ? "server_error" : "invalid_request_error")
        .put("code", code);
    if (param == null) {
      e.putNull("param");
    } else {
      e.put("param", param);
    }
    json(response, status, root);
  }
}
