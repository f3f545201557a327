package dev.ludus.shaping.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ludus.api.Message;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * One question to the judge whose answer must be a JSON object valid under a JSON Schema (networknt), asked again
 * when it is not: the malformed answer and what was wrong with it go back to the judge with a request for the
 * JSON alone (a new request, so the client's cache of deterministic requests does not hand back the same bad
 * answer), up to {@code maxAttempts} answers in all. A transport failure (the client already retried it) ends
 * the call at once. Never completes exceptionally: the result is the valid JSON or the reason there is none.
 * Thread-safe; its stages may complete on an event loop, and it only parses there.
 */
final class JudgeCall {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  /** The judge's valid answer, or why there is none; and how many answers it took. */
  record Answer(JsonNode json, String failure, int attempts) {
    boolean ok() {
      return json != null;
    }
  }

  private final ChatClient client;
  private final Sampling sampling;
  private final int maxAttempts;

  JudgeCall(ChatClient client, Sampling sampling, int maxAttempts) {
    this.client = client;
    this.sampling = sampling;
    this.maxAttempts = maxAttempts;
  }

  /** A schema for answers, from its JSON text. */
  static JsonSchema schema(JsonNode schema) {
    return SCHEMAS.getSchema(schema);
  }

  /**
   * Asks {@code prompt}; the answer must validate against {@code schema} and pass {@code check} (a rule the schema
   * cannot state, e.g. every trajectory id exactly once; it returns a problem or null).
   */
  CompletionStage<Answer> ask(String prompt, JsonSchema schema, java.util.function.Function<JsonNode, String> check) {
    List<Message> conversation = new ArrayList<>(List.of(Message.user(prompt)));
    return attempt(conversation, schema, check, 1);
  }

  private CompletionStage<Answer> attempt(List<Message> conversation, JsonSchema schema,
      java.util.function.Function<JsonNode, String> check, int n) {
    CompletionStage<ChatResult> sent;
    try {
      sent = client.complete(ChatRequest.of(conversation, sampling));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new Answer(null, "judge request failed: " + e, n));
    }
    return sent.thenCompose(result -> {
      if (result instanceof ChatResult.Failure f) {
        return CompletableFuture.completedFuture(new Answer(null, "judge endpoint failed: " + f.reason(), n));
      }
      String text = ((ChatResult.Completion) result).message().content();
      String problem;
      JsonNode json = null;
      try {
        json = JSON.readTree(extractObject(text));
        problem = problems(schema.validate(json), check, json);
      } catch (Exception e) {
        problem = "not a JSON object (" + e.getClass().getSimpleName() + ")";
      }
      if (problem == null) {
        return CompletableFuture.completedFuture(new Answer(json, null, n));
      }
      if (n >= maxAttempts) {
        return CompletableFuture.completedFuture(new Answer(null, "the judge's answer was malformed " + n
            + " time(s) (maxAttempts " + maxAttempts + "); last: " + problem, n));
      }
      List<Message> next = new ArrayList<>(conversation);
      next.add(Message.assistant(text == null ? "" : text));
      next.add(Message.user("That answer is not valid: " + problem + ". Answer again with the JSON object alone, "
          + "in the form asked for."));
      return attempt(next, schema, check, n + 1);
    }).exceptionally(e -> new Answer(null, "judge call failed: " + e, n));
  }

  private static String problems(Set<ValidationMessage> errors, java.util.function.Function<JsonNode, String> check,
      JsonNode json) {
    if (!errors.isEmpty()) {
      return errors.stream().map(ValidationMessage::getMessage).sorted().limit(5).collect(Collectors.joining("; "));
    }
    return check.apply(json);
  }

  /** The JSON object in {@code text}: from its first '{' to its last '}' (a judge may wrap it in prose or fences). */
  static String extractObject(String text) {
    if (text == null) {
      return "";
    }
    int from = text.indexOf('{');
    int to = text.lastIndexOf('}');
    return from < 0 || to < from ? text : text.substring(from, to + 1);
  }

}
