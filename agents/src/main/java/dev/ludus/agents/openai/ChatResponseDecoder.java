package dev.ludus.agents.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a chat-completion response body into a {@link AgentResponse.Reply}, or a {@link
 * AgentResponse.Failure} naming what is wrong with it. Only {@code choices[0]} becomes the reply.
 *
 * <p>Tokens: the output ids come from vLLM's {@code choices[0].token_ids} or, failing that, from log-prob
 * tokens written as {@code token_id:N} ({@code return_tokens_as_token_ids}); the log-probs from
 * {@code choices[0].logprobs.content[].logprob}; the prompt ids from {@code prompt_token_ids}. A
 * {@link TokenTrace} is made only when both ids and log-probs are there, of equal length; otherwise the
 * reply's trace is null ({@link Decoded#traceMissing()}) and the learner refuses to train on that turn rather
 * than re-tokenize it. Stateless and thread-safe.
 */
final class ChatResponseDecoder {
  private static final String TOKEN_ID = "token_id:";

  /**
   * A decoded body.
   *
   * @param response the reply or the failure
   * @param traceMissing a reply without a token trace (the server gave no token ids or no log-probs)
   * @param traceMismatch the server gave ids and log-probs of different lengths (a server bug)
   */
  record Decoded(AgentResponse response, boolean traceMissing, boolean traceMismatch) {
    static Decoded failure(OpenAiFailureKind kind, String detail) {
      return new Decoded(AgentResponse.failure(kind.reason(detail)), false, false);
    }
  }

  private final ObjectMapper json;
  private final Redactor redactor;
  private final TextToolCallParser textToolCalls;
  private final boolean failOnInvalidArguments;

  ChatResponseDecoder(ObjectMapper json, Redactor redactor, TextToolCallParser textToolCalls,
      boolean failOnInvalidArguments) {
    this.json = json;
    this.redactor = redactor;
    this.textToolCalls = textToolCalls;
    this.failOnInvalidArguments = failOnInvalidArguments;
  }

  Decoded decode(byte[] body, int turn) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      return Decoded.failure(OpenAiFailureKind.MALFORMED_JSON, "response body is not valid JSON ("
          + redactor.excerpt(msg, 160) + "); body starts: " + redactor.excerpt(text(body), 200));
    }
    if (root == null || root.isMissingNode()) {
      return Decoded.failure(OpenAiFailureKind.MALFORMED_JSON, "response body is empty");
    }
    if (!root.isObject()) {
      return Decoded.failure(OpenAiFailureKind.BAD_RESPONSE,
          "response is JSON but not an object: " + redactor.excerpt(text(body), 200));
    }
    if (root.hasNonNull("error") && !root.has("choices")) {
      return Decoded.failure(OpenAiFailureKind.BAD_RESPONSE,
          "server returned an error object: " + redactor.excerpt(root.get("error").toString(), 300));
    }
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray()) {
      return Decoded.failure(OpenAiFailureKind.BAD_RESPONSE,
          "response has no 'choices' array: " + redactor.excerpt(text(body), 200));
    }
    if (choices.isEmpty()) {
      return Decoded.failure(OpenAiFailureKind.EMPTY_CHOICES, "response has an empty 'choices' array");
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.get("message");
    if (message == null || !message.isObject()) {
      return Decoded.failure(OpenAiFailureKind.BAD_RESPONSE, "choices[0] has no 'message' object");
    }
    JsonNode contentNode = message.get("content");
    if (contentNode != null && !contentNode.isNull() && !contentNode.isTextual()) {
      return Decoded.failure(OpenAiFailureKind.BAD_RESPONSE, "choices[0].message.content is not a string");
    }
    String content = contentNode == null || contentNode.isNull() ? "" : contentNode.asText();

    List<ToolCall> calls = new ArrayList<>();
    JsonNode toolCalls = message.get("tool_calls");
    if (toolCalls != null && !toolCalls.isNull()) {
      if (!toolCalls.isArray()) {
        return Decoded.failure(OpenAiFailureKind.BAD_RESPONSE, "choices[0].message.tool_calls is not an array");
      }
      for (int i = 0; i < toolCalls.size(); i++) {
        JsonNode call = toolCalls.get(i);
        JsonNode function = call.get("function");
        if (function == null || !function.path("name").isTextual()) {
          return Decoded.failure(OpenAiFailureKind.BAD_RESPONSE,
              "tool_calls[" + i + "] has no function name: " + redactor.excerpt(call.toString(), 200));
        }
        String type = call.path("type").asText("function");
        if (!type.equals("function")) {
          return Decoded.failure(OpenAiFailureKind.BAD_RESPONSE,
              "tool_calls[" + i + "] has type '" + redactor.excerpt(type, 40) + "'; only function is supported");
        }
        String id = call.path("id").isTextual() && !call.path("id").asText().isEmpty()
            ? call.path("id").asText() : "call_" + turn + "_" + i;
        JsonNode args = function.get("arguments");
        String arguments = args == null || args.isNull() ? null : args.isTextual() ? args.asText() : args.toString();
        calls.add(ToolCall.of(id, function.get("name").asText(), arguments == null ? "" : arguments));
      }
    }
    if (calls.isEmpty() && !content.isEmpty()) {
      TextToolCallParser.Parsed parsed = textToolCalls.parse(content);
      if (!parsed.toolCalls().isEmpty()) {
        content = parsed.content();
        calls.addAll(parsed.toolCalls());
      }
    }
    if (failOnInvalidArguments) {
      for (ToolCall call : calls) {
        String problem = argumentProblem(call.arguments());
        if (problem != null) {
          return Decoded.failure(OpenAiFailureKind.INVALID_TOOL_ARGUMENTS, "tool call '"
              + redactor.excerpt(call.name(), 80) + "' (id " + redactor.excerpt(call.id(), 60)
              + ") has arguments that are not a JSON object (" + problem + "): "
              + redactor.excerpt(call.arguments(), 200));
        }
      }
    }

    String finishReason = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : null;
    AgentResponse.Usage usage = null;
    JsonNode u = root.get("usage");
    if (u != null && u.path("prompt_tokens").canConvertToInt() && u.path("completion_tokens").canConvertToInt()) {
      usage = new AgentResponse.Usage(u.get("prompt_tokens").asInt(), u.get("completion_tokens").asInt());
    }

    float[] logProbs = null;
    int[] idsFromTokens = null;
    JsonNode lp = choice.path("logprobs").path("content");
    if (lp.isArray()) {
      logProbs = new float[lp.size()];
      idsFromTokens = new int[lp.size()];
      for (int i = 0; i < lp.size(); i++) {
        JsonNode e = lp.get(i);
        if (logProbs != null) {
          if (e.path("logprob").isNumber()) {
            logProbs[i] = (float) e.get("logprob").asDouble();
          } else {
            logProbs = null;
          }
        }
        if (idsFromTokens != null) {
          String token = e.path("token").asText("");
          Integer id = token.startsWith(TOKEN_ID) ? parseInt(token.substring(TOKEN_ID.length())) : null;
          if (id == null) {
            idsFromTokens = null;
          } else {
            idsFromTokens[i] = id;
          }
        }
      }
    }
    int[] outputIds = ints(choice.get("token_ids"));
    if (outputIds == null) {
      outputIds = idsFromTokens;
    }
    int[] promptIds = ints(root.get("prompt_token_ids"));
    if (promptIds == null) {
      promptIds = ints(choice.get("prompt_token_ids"));
    }
    TokenTrace trace = null;
    boolean mismatch = false;
    if (outputIds != null && logProbs != null) {
      if (outputIds.length == logProbs.length) {
        trace = new TokenTrace(promptIds, outputIds, logProbs, -1);
      } else {
        mismatch = true;
      }
    }
    Message reply = Message.assistant(content, calls);
    return new Decoded(AgentResponse.reply(reply, trace, finishReason, usage), trace == null, mismatch);
  }

  /** Null when {@code arguments} is a JSON object, else what is wrong with it. */
  private String argumentProblem(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return "empty";
    }
    try {
      JsonNode node = json.readTree(arguments);
      if (node == null || node.isMissingNode()) {
        return "empty";
      }
      return node.isObject() ? null : "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    } catch (JsonProcessingException e) {
      return "invalid JSON: " + redactor.excerpt(e.getOriginalMessage(), 120);
    }
  }

  private static int[] ints(JsonNode node) {
    if (node == null || !node.isArray()) {
      return null;
    }
    int[] out = new int[node.size()];
    for (int i = 0; i < out.length; i++) {
      if (!node.get(i).canConvertToInt() || !node.get(i).isIntegralNumber()) {
        return null;
      }
      out[i] = node.get(i).asInt();
    }
    return out;
  }

  private static Integer parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String text(byte[] body) {
    return new String(body, 0, Math.min(body.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
  }
}
