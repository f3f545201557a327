package dev.ludus.api.chat;

import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.TokenTrace;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ChatClient} answered: a {@link Completion}, or a {@link Failure} as a value. Immutable and
 * thread-safe.
 */
public sealed interface ChatResult permits ChatResult.Completion, ChatResult.Failure {

  /** HTTP requests this result took (retries included); 0 when it came from the cache or fast-failed. */
  int attempts();

  /**
   * The server's completion.
   *
   * @param choices the completions, at least one, in the server's order
   * @param usage token counts, or null when the server gave none
   * @param attempts HTTP requests it took (0 when {@code cached})
   * @param cached served from the client's cache of deterministic requests, or joined to an identical request
   *     already in flight
   */
  record Completion(List<Choice> choices, AgentResponse.Usage usage, int attempts, boolean cached)
      implements ChatResult {
    public Completion {
      choices = List.copyOf(choices);
      if (choices.isEmpty()) {
        throw new IllegalArgumentException("a completion has at least one choice");
      }
    }

    /** The first choice (the only one unless the request asked for {@code n > 1}). */
    public Choice first() {
      return choices.get(0);
    }

    /** The first choice's assistant message. */
    public Message message() {
      return choices.get(0).message();
    }

    /** This completion as served from the cache: no attempts of its own. */
    public Completion fromCache() {
      return new Completion(choices, usage, 0, true);
    }
  }

  /**
   * One completion of a request.
   *
   * @param index its index among the choices
   * @param message the assistant message: content (empty when it only calls tools) and the tool calls the server
   *     parsed, arguments verbatim. A call the server sent without an id has an empty id, which the caller
   *     names before sending the message back
   * @param finishReason why generation stopped ({@code stop}, {@code length}, {@code tool_calls}), or null
   * @param tokens the exact prompt and output token ids with the output's log-probs, only when the server gave
   *     both (vLLM with {@link Sampling#returnTokenIds()} and {@link Sampling#logprobs()}); else null
   * @param logProbs each generated token's log-prob (with its alternatives when {@link Sampling#topLogprobs()}
   *     asked for them) when the server gave them; else empty
   */
  record Choice(int index, Message message, String finishReason, TokenTrace tokens, List<TokenLogProb> logProbs) {
    public Choice {
      Objects.requireNonNull(message, "message");
      if (message.role() != Role.ASSISTANT) {
        throw new IllegalArgumentException("a choice's message has role assistant, not " + message.role().wireName());
      }
      logProbs = logProbs == null ? List.of() : List.copyOf(logProbs);
    }

    /** The token trace, when the server gave token ids and log-probs. */
    public Optional<TokenTrace> tokenTrace() {
      return Optional.ofNullable(tokens);
    }
  }

  /**
   * One generated token's log-prob, as the server wrote it.
   *
   * @param token the token's text (vLLM writes {@code token_id:N} with {@code return_tokens_as_token_ids})
   * @param logProb its natural-log probability
   * @param top the most likely alternatives at this position with their log-probs (empty unless asked for)
   */
  record TokenLogProb(String token, float logProb, List<TokenLogProb> top) {
    public TokenLogProb {
      Objects.requireNonNull(token, "token");
      top = top == null ? List.of() : List.copyOf(top);
    }
  }

  /**
   * The client could not complete the request.
   *
   * @param kind what went wrong
   * @param detail for people: the status with a body excerpt, the timeout, the attempt count; never the API key
   * @param attempts HTTP requests it took (0 when nothing was sent)
   */
  record Failure(ChatFailureKind kind, String detail, int attempts) implements ChatResult {
    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }

    /** {@code <tag>: <detail>}, e.g. {@code timeout: no complete response ... within 2000 ms; gave up ...}. */
    public String reason() {
      return kind.tag() + ": " + detail;
    }
  }
}
