package dev.ludus.agents.openai.mock;

import dev.ludus.api.ToolCall;
import java.util.List;
import java.util.Objects;

/**
 * What the mock server answers to one request: a chat completion, or a {@link MockFault}. Immutable.
 *
 * <p>A test double: see {@link MockOpenAiServer}.
 */
public sealed interface MockReply permits MockReply.Completion, MockFault {

  /** A completion whose message is {@code content}, finishing with {@code stop}. */
  static Completion text(String content) {
    return new Completion(content, List.of(), "stop", null, null);
  }

  /** A completion that calls tools (content empty, finish reason {@code tool_calls}). */
  static Completion toolCalls(List<ToolCall> calls) {
    return new Completion("", calls, "tool_calls", null, null);
  }

  /**
   * A successful chat completion.
   *
   * <p>Token ids and log-probs are sent only when the request asks for them ({@code logprobs},
   * {@code return_token_ids}, {@code return_tokens_as_token_ids}); when {@code tokenIds} is null the mock
   * derives them from the text with a deterministic fake tokenizer.
   *
   * @param content the assistant's text (sent as JSON null when empty and there are tool calls)
   * @param toolCalls the tool calls, sent verbatim (arguments included, even when not valid JSON)
   * @param finishReason the finish reason
   * @param tokenIds the output token ids to report, or null to derive them
   * @param logProbs the log-probs to report (same length as {@code tokenIds}), or null to derive them
   */
  record Completion(String content, List<ToolCall> toolCalls, String finishReason, int[] tokenIds, float[] logProbs)
      implements MockReply {
    public Completion {
      content = content == null ? "" : content;
      toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
      Objects.requireNonNull(finishReason, "finishReason");
      tokenIds = tokenIds == null ? null : tokenIds.clone();
      logProbs = logProbs == null ? null : logProbs.clone();
      if (tokenIds != null && logProbs != null && tokenIds.length != logProbs.length) {
        throw new IllegalArgumentException("tokenIds (" + tokenIds.length + ") and logProbs (" + logProbs.length
            + ") differ in length");
      }
    }

    /** This completion with another finish reason. */
    public Completion withFinishReason(String reason) {
      return new Completion(content, toolCalls, reason, tokenIds, logProbs);
    }

    /** This completion reporting exactly these tokens and log-probs (when the request asks for them). */
    public Completion withTokens(int[] ids, float[] logProbs) {
      return new Completion(content, toolCalls, finishReason, ids, logProbs);
    }

    @Override
    public int[] tokenIds() {
      return tokenIds == null ? null : tokenIds.clone();
    }

    @Override
    public float[] logProbs() {
      return logProbs == null ? null : logProbs.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Completion c && content.equals(c.content) && toolCalls.equals(c.toolCalls)
          && finishReason.equals(c.finishReason) && java.util.Arrays.equals(tokenIds, c.tokenIds)
          && java.util.Arrays.equals(logProbs, c.logProbs);
    }

    @Override
    public int hashCode() {
      return Objects.hash(content, toolCalls, finishReason, java.util.Arrays.hashCode(tokenIds),
          java.util.Arrays.hashCode(logProbs));
    }

    @Override
    public String toString() {
      return "Completion[" + finishReason + ", " + content.length() + " chars, " + toolCalls.size() + " tool calls]";
    }
  }
}
