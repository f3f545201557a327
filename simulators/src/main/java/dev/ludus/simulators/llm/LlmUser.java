package dev.ludus.simulators.llm;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.api.chat.ChatClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The generic {@code llm-user}: tau2-bench's user simulator. The system prompt is the {@code llm-user} template
 * (guidelines, persona, scenario); roles are flipped, so the model sees the agent's messages as the user's and its own
 * as the assistant's; it opens by answering the configured greeting and ends the conversation when its reply holds an
 * {@link EndToken}. Not thread-safe: one per episode.
 */
final class LlmUser implements UserSimulator {
  private final LlmUserConfig config;
  private final ChatClient client;
  private final PromptTemplates templates;
  private UserModel model;
  private List<Message> flipped;
  private boolean ended;

  LlmUser(LlmUserConfig config, ChatClient client) {
    this.config = config;
    this.client = client;
    this.templates = config.settings().templates();
  }

  static Map<String, Object> variables(String persona, String scenario, boolean done) {
    Map<String, Object> v = new HashMap<>();
    v.put("persona", persona);
    v.put("scenario", scenario);
    v.put("stop", EndToken.STOP.token());
    v.put("transfer", EndToken.TRANSFER.token());
    v.put("out_of_scope", EndToken.OUT_OF_SCOPE.token());
    v.put("done", done ? EndToken.DONE.token() : "");
    return v;
  }

  @Override
  public CompletionStage<UserTurn> start(Task task, long seed) {
    String persona = task.fields().getOrDefault("persona", config.persona());
    String scenario = task.fields().getOrDefault("scenario", task.fields().getOrDefault("instructions",
        config.scenario()));
    if (scenario.isBlank()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("llm-user: task " + task.id()
          + " has no scenario; set the user's scenario, or give tasks a 'scenario' field"));
    }
    String system;
    try {
      system = templates.render("llm-user", variables(persona, scenario, config.allowDone()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    model = new UserModel(client, config.settings(), seed);
    ended = false;
    flipped = new ArrayList<>();
    flipped.add(Message.system(system));
    flipped.add(Message.user(config.greeting()));
    return say(Signals.builder().put(LlmUserSignals.MODEL, model.model()));
  }

  @Override
  public CompletionStage<UserTurn> respond(Message agentMessage) {
    if (model == null || ended) {
      return CompletableFuture.failedFuture(new SimulatorFailure(SimulatorFailure.Kind.LIFE_CYCLE,
          model == null ? "respond before start" : "the user already ended the conversation"));
    }
    flipped.add(Message.user(agentMessage.content()));
    return say(Signals.builder());
  }

  private CompletionStage<UserTurn> say(Signals.Builder signals) {
    return model.text(List.copyOf(flipped)).thenApply(reply -> {
      flipped.add(Message.assistant(reply));
      Optional<EndToken> end = EndToken.in(reply);
      ended = end.isPresent();
      end.ifPresent(t -> signals.put(LlmUserSignals.END, t.wireName()));
      signals.put(LlmUserSignals.CALLS, model.calls());
      return new UserTurn(Message.user(reply), signals.build(), ended);
    });
  }
}
