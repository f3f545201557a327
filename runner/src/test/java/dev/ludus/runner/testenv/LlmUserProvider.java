package dev.ludus.runner.testenv;

import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Signals;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code test-llm-user}: a stub of an LLM-driven simulated user. It answers each agent message with what the
 * run's chat endpoint {@code client} (from the {@code llm:} section) says, or with {@code [failure kind]} when the
 * client fails, so tests can see which client served it.
 */
public final class LlmUserProvider implements SimulatorProvider<LlmUserProvider.Config> {
  /** @param client the name of the run's chat endpoint to ask */
  public record Config(String client) {}

  @Override
  public String name() {
    return "test-llm-user";
  }

  @Override
  public String description() {
    return "test user whose replies come from a named chat endpoint";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("shared");
  }

  @Override
  public UserSimulator create(Config config, PluginContext context) {
    ChatClient client = context.chatClient(config.client());
    return new UserSimulator() {
      @Override
      public CompletionStage<UserTurn> start(Task task, long seed) {
        return CompletableFuture.completedFuture(new UserTurn(Message.user("I thought of something."), Signals.empty(),
            false));
      }

      @Override
      public CompletionStage<UserTurn> respond(Message agentMessage) {
        return client.complete(ChatRequest.of(List.of(Message.user(agentMessage.content())))).thenApply(r -> {
          String text = r instanceof ChatResult.Completion c ? c.first().message().content()
              : "[" + ((ChatResult.Failure) r).kind() + "]";
          return new UserTurn(Message.user(text), Signals.empty(), false);
        });
      }
    };
  }
}
