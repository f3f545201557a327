package dev.ludus.runner.oni;

import dev.ludus.api.Message;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ONI's LLM annotator: asks an OpenAI-compatible endpoint whether one message shows progress toward the task (a
 * label, 1 or 0) or which of two messages shows more (a preference), greedily (temperature 0, seed 0). Each answer
 * is the first digit of the reply; a reply without one, or a failed request, gives no answer. Never blocks;
 * stages may complete on an event loop. Thread-safe.
 */
final class Annotator {
  static final String LABEL = """
      Below is one message from a turn of a multi-turn task (a conversation or a game).
      <message>
      %s
      </message>
      Does this message show progress toward completing the task? Answer 1 for yes or 0 for no, and nothing else.""";
  static final String PREFER = """
      Below are two messages from turns of a multi-turn task (a conversation or a game).
      <message 1>
      %s
      </message 1>
      <message 2>
      %s
      </message 2>
      Which message shows more progress toward completing the task? Answer 1 or 2, or 0 if neither does more, \
      and nothing else.""";

  private final ChatClient client;

  Annotator(ChatClient client) {
    this.client = client;
  }

  /** The label of {@code message}: 1 (progress) or 0; empty when the endpoint gave none. */
  CompletionStage<Optional<Integer>> label(String message) {
    return ask(String.format(LABEL, message), "01");
  }

  /** Which of {@code a} (1) and {@code b} (2) shows more progress, 0 for neither; empty when the endpoint gave none. */
  CompletionStage<Optional<Integer>> prefer(String a, String b) {
    return ask(String.format(PREFER, a, b), "012");
  }

  private CompletionStage<Optional<Integer>> ask(String prompt, String digits) {
    CompletionStage<ChatResult> sent;
    try {
      sent = client.complete(ChatRequest.of(List.of(Message.user(prompt)), Sampling.greedy(0)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return sent.thenApply(result -> result instanceof ChatResult.Completion c ? digit(c.message().content(), digits)
        : Optional.<Integer>empty()).exceptionally(e -> Optional.empty());
  }

  /** The first character of {@code text} among {@code digits}, as a number. */
  static Optional<Integer> digit(String text, String digits) {
    if (text != null) {
      for (int i = 0; i < text.length(); i++) {
        if (digits.indexOf(text.charAt(i)) >= 0) {
          return Optional.of(text.charAt(i) - '0');
        }
      }
    }
    return Optional.empty();
  }
}
