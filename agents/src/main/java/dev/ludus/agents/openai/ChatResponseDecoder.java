package dev.ludus.agents.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import dev.ludus.api.chat.ChatFailureKind;
import dev.ludus.api.chat.ChatResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a chat-completion response body into its choices and usage, or names what is wrong with it. Tool calls
 * are taken as the server parsed them, arguments verbatim; a call without an id gets an empty id.
 *
 * <p>Tokens: a choice's output ids come from vLLM's {@code token_ids} or, failing that, from log-prob tokens
 * written as {@code token_id:N} ({@code return_tokens_as_token_ids}); its log-probs from
 * {@code logprobs.content[].logprob}; the prompt ids from {@code prompt_token_ids}. A {@link TokenTrace} is
 * made only when both ids and log-probs are there, of equal length; otherwise the choice's trace is null.
 * Stateless and thread-safe.
 */
final class ChatResponseDecoder {
  private static final String TOKEN_ID = "token_id:";

  /** A decoded body: its choices and usage, or what is wrong with it. */
  sealed interface Decoded {
    /**
     * A chat completion.
     *
     * @param traceMismatch the server gave ids and log-probs of different lengths for some choice (a server bug)
     */
    record Ok(List<ChatResult.Choice> choices, AgentResponse.Usage usage, boolean traceMismatch) implements Decoded {}

    /** Not a usable chat completion, or a response that is final without one (a 4xx, a bug). */
    record Bad(ChatFailureKind kind, String detail) implements Decoded {}
  }

  private final ObjectMapper json;
  private final Redactor redactor;

  ChatResponseDecoder(ObjectMapper json, Redactor redactor) {
    this.json = json;
    this.redactor = redactor;
  }

  Decoded decode(byte[] body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      return new Decoded.Bad(ChatFailureKind.MALFORMED_JSON, "response body is not valid JSON ("
          + redactor.excerpt(msg, 160) + "); body starts: " + redactor.excerpt(text(body), 200));
    }
    if (root == null || root.isMissingNode()) {
      return new Decoded.Bad(ChatFailureKind.MALFORMED_JSON, "response body is empty");
    }
    if (!root.isObject()) {
      return new Decoded.Bad(ChatFailureKind.BAD_RESPONSE,
          "response is JSON but not an object: " + redactor.excerpt(text(body), 200));
    }
    if (root.hasNonNull("error") && !root.has("choices")) {
      return new Decoded.Bad(ChatFailureKind.BAD_RESPONSE,
          "server returned an error object: " + redactor.excerpt(root.get("error").toString(), 300));
    }
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray()) {
      return new Decoded.Bad(ChatFailureKind.BAD_RESPONSE,
          "response has no 'choices' array: " + redactor.excerpt(text(body), 200));
    }
    if (choices.isEmpty()) {
      return new Decoded.Bad(ChatFailureKind.EMPTY_CHOICES, "response has an empty 'choices' array");
    }
    int[] rootPromptIds = ints(root.get("prompt_token_ids"));
    List<ChatResult.Choice> out = new ArrayList<>(choices.size());
    boolean mismatch = false;
    try {
      for (int k = 0; k < choices.size(); k++) {
        DecodedChoice d = choice(choices.get(k), k, rootPromptIds);
        out.add(d.choice());
        mismatch |= d.mismatch();
      }
    } catch (Refused r) {
      return r.bad;
    }
    AgentResponse.Usage usage = null;
    JsonNode u = root.get("usage");
    if (u != null && u.path("prompt_tokens").canConvertToInt() && u.path("completion_tokens").canConvertToInt()) {
      usage = new AgentResponse.Usage(u.get("prompt_tokens").asInt(), u.get("completion_tokens").asInt());
    }
    return new Decoded.Ok(out, usage, mismatch);
  }

  private record DecodedChoice(ChatResult.Choice choice, boolean mismatch) {}

  /** A choice that is not usable; carries what is wrong with it. No stack trace. */
  private static final class Refused extends RuntimeException {
    private final Decoded.Bad bad;

    Refused(ChatFailureKind kind, String detail) {
      super(detail, null, false, false);
      this.bad = new Decoded.Bad(kind, detail);
    }
  }

  /** One choice; throws {@link Refused} naming what is wrong with it. */
  private DecodedChoice choice(JsonNode choice, int k, int[] rootPromptIds) {
    String at = "choices[" + k + "]";
    JsonNode message = choice.get("message");
    if (message == null || !message.isObject()) {
      throw new Refused(ChatFailureKind.BAD_RESPONSE, at + " has no 'message' object");
    }
    JsonNode contentNode = message.get("content");
    if (contentNode != null && !contentNode.isNull() && !contentNode.isTextual()) {
      throw new Refused(ChatFailureKind.BAD_RESPONSE, at + ".message.content is not a string");
    }
    String content = contentNode == null || contentNode.isNull() ? "" : contentNode.asText();

    List<ToolCall> calls = new ArrayList<>();
    JsonNode toolCalls = message.get("tool_calls");
    if (toolCalls != null && !toolCalls.isNull()) {
      if (!toolCalls.isArray()) {
        throw new Refused(ChatFailureKind.BAD_RESPONSE, at + ".message.tool_calls is not an array");
      }
      for (int i = 0; i < toolCalls.size(); i++) {
        JsonNode call = toolCalls.get(i);
        JsonNode function = call.get("function");
        if (function == null || !function.path("name").isTextual()) {
          throw new Refused(ChatFailureKind.BAD_RESPONSE,
              "tool_calls[" + i + "] has no function name: " + redactor.excerpt(call.toString(), 200));
        }
        String type = call.path("type").asText("function");
        if (!type.equals("function")) {
          throw new Refused(ChatFailureKind.BAD_RESPONSE,
              "tool_calls[" + i + "] has type '" + redactor.excerpt(type, 40) + "'; only function is supported");
        }
        String id = call.path("id").isTextual() ? call.path("id").asText() : "";
        JsonNode args = function.get("arguments");
        String arguments = args == null || args.isNull() ? null : args.isTextual() ? args.asText() : args.toString();
        calls.add(ToolCall.of(id, function.get("name").asText(), arguments == null ? "" : arguments));
      }
    }
    String finishReason = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : null;

    List<ChatResult.TokenLogProb> logProbList = null;
    float[] logProbs = null;
    int[] idsFromTokens = null;
    JsonNode lp = choice.path("logprobs").path("content");
    if (lp.isArray()) {
      logProbs = new float[lp.size()];
      idsFromTokens = new int[lp.size()];
      logProbList = new ArrayList<>(lp.size());
      for (int i = 0; i < lp.size(); i++) {
        JsonNode e = lp.get(i);
        String token = e.path("token").asText("");
        if (logProbs != null) {
          if (e.path("logprob").isNumber()) {
            logProbs[i] = (float) e.get("logprob").asDouble();
            logProbList.add(new ChatResult.TokenLogProb(token, logProbs[i], alternatives(e.get("top_logprobs"))));
          } else {
            logProbs = null;
            logProbList = null;
          }
        }
        if (idsFromTokens != null) {
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
    int[] promptIds = rootPromptIds != null ? rootPromptIds : ints(choice.get("prompt_token_ids"));
    TokenTrace trace = null;
    boolean mismatch = false;
    if (outputIds != null && logProbs != null) {
      if (outputIds.length == logProbs.length) {
        trace = new TokenTrace(promptIds, outputIds, logProbs, -1);
      } else {
        mismatch = true;
      }
    }
    int index = choice.path("index").canConvertToInt() ? choice.get("index").asInt() : k;
    return new DecodedChoice(new ChatResult.Choice(index, Message.assistant(content, calls), finishReason, trace,
        logProbList), mismatch);
  }

  /** The {@code top_logprobs} of one position, or an empty list when there are none (or any is unreadable). */
  private static List<ChatResult.TokenLogProb> alternatives(JsonNode top) {
    if (top == null || !top.isArray() || top.isEmpty()) {
      return List.of();
    }
    List<ChatResult.TokenLogProb> out = new ArrayList<>(top.size());
    for (JsonNode t : top) {
      if (!t.path("logprob").isNumber()) {
        return List.of();
      }
      out.add(new ChatResult.TokenLogProb(t.path("token").asText(""), (float) t.get("logprob").asDouble(), List.of()));
    }
    return out;
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
