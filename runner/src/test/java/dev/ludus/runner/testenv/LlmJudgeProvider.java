package dev.ludus.runner.testenv;

import dev.ludus.api.Episode;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code test-llm-judge}: a stub of an LLM judge. It asks the run's chat endpoint {@code client} once per episode
 * and pays 1 on the last turn when the client answered, 0 when it failed.
 */
public final class LlmJudgeProvider implements ShaperProvider<LlmJudgeProvider.Config> {
  /** @param client the name of the run's chat endpoint to ask */
  public record Config(String client) {}

  @Override
  public String name() {
    return "test-llm-judge";
  }

  @Override
  public String description() {
    return "test judge that asks a named chat endpoint about each episode";
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
  public RewardShaper create(Config config, PluginContext context) {
    ChatClient client = context.chatClient(config.client());
    return new GroupShaper() {
      @Override
      public Scope scope() {
        return Scope.EPISODE;
      }

      @Override
      public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
        List<CompletableFuture<List<RewardContribution>>> verdicts = new ArrayList<>();
        for (Episode e : group) {
          int last = Math.max(0, e.turns().size() - 1);
          verdicts.add(client.complete(ChatRequest.of(List.of(Message.user("Rate episode " + e.id()))))
              .thenApply(r -> List.of(new RewardContribution(last, "verdict",
                  r instanceof ChatResult.Completion ? 1 : 0)))
              .toCompletableFuture());
        }
        return CompletableFuture.allOf(verdicts.toArray(CompletableFuture[]::new))
            .thenApply(v -> verdicts.stream().map(CompletableFuture::join).toList());
      }
    };
  }
}
