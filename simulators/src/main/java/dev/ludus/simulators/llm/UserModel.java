package dev.ludus.simulators.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One episode's calls to a simulated user's model: free text, or structured output read strictly with retries. Every
 * call samples as the {@link LlmSettings} say, with a seed drawn from the episode's seed and the call's index, so a
 * deterministic server replays an episode exactly. It never asks for log-probs or token ids: a simulated user's tokens
 * are never trained. A failed call fails the stage with a {@link SimulatorFailure}. Not thread-safe: one per episode,
 * one call at a time (a user's turn waits for its calls in order).
 */
final class UserModel {
  private final ChatClient client;
  private final LlmSettings settings;
  private final long base;
  private int calls;
  private int retries;

  UserModel(ChatClient client, LlmSettings settings, long episodeSeed) {
    this.client = client;
    this.settings = settings;
    this.base = settings.seed() == null ? episodeSeed : Seeds.mix(settings.seed(), episodeSeed);
  }

  private Sampling sampling() {
    return Sampling.builder().temperature(settings.temperature()).topP(settings.topP())
        .maxTokens(settings.maxTokens()).seed(Seeds.mix(base, calls++)).build();
  }

  /** The model's reply to {@code messages}. */
  CompletionStage<String> text(List<Message> messages) {
    return client.complete(ChatRequest.of(messages, sampling())).thenCompose(UserModel::content);
  }

  private static CompletionStage<String> content(ChatResult r) {
    if (r instanceof ChatResult.Failure f) {
      return CompletableFuture.failedFuture(new SimulatorFailure(SimulatorFailure.Kind.ENDPOINT, f.reason()));
    }
    return CompletableFuture.completedFuture(((ChatResult.Completion) r).message().content());
  }

  /**
   * The model's reply to {@code messages} read as {@code output}; a malformed reply is shown back to the model with
   * what is wrong, up to {@link LlmSettings#attempts()} attempts in all, and then the stage fails with a {@link
   * SimulatorFailure} of kind {@code MALFORMED_OUTPUT} quoting the last reply.
   */
  CompletionStage<JsonNode> structured(List<Message> messages, StructuredOutput output) {
    return attempt(new ArrayList<>(messages), output, 1);
  }

  private CompletionStage<JsonNode> attempt(List<Message> messages, StructuredOutput output, int attempt) {
    return text(messages).thenCompose(reply -> {
      StructuredOutput.Reading reading = output.read(reply);
      if (reading instanceof StructuredOutput.Valid v) {
        return CompletableFuture.completedFuture(v.value());
      }
      String problem = ((StructuredOutput.Invalid) reading).problem();
      if (attempt >= settings.attempts()) {
        return CompletableFuture.failedFuture(new SimulatorFailure(SimulatorFailure.Kind.MALFORMED_OUTPUT,
            output.name() + " reply still malformed after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": "
                + problem + "; last reply: " + excerpt(reply)));
      }
      retries++;
      messages.add(Message.assistant(reply));
      messages.add(Message.user("That reply cannot be used: " + problem + ". Answer again with only the JSON object, "
          + "following this schema: " + output.schema()));
      return attempt(messages, output, attempt + 1);
    });
  }

  private static String excerpt(String s) {
    String one = s == null ? "" : s.replaceAll("\\s+", " ");
    return "'" + (one.length() > 160 ? one.substring(0, 160) + "..." : one) + "'";
  }

  /** Calls made so far, retries included. */
  int calls() {
    return calls;
  }

  /** Structured replies asked again because the previous one was malformed. */
  int retries() {
    return retries;
  }

  String model() {
    return client.endpoint().model();
  }
}
