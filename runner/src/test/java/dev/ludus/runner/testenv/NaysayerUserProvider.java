package dev.ludus.runner.testenv;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code test-naysayer}: a simulated user who opens with its configured line and says no to everything. */
public final class NaysayerUserProvider implements SimulatorProvider<NaysayerUserProvider.Config> {
  /** @param opening the user's first message */
  public record Config(String opening) {}

  @Override
  public String name() {
    return "test-naysayer";
  }

  @Override
  public String description() {
    return "test user who says no to everything";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("I thought of something.");
  }

  @Override
  public UserSimulator create(Config config) {
    return new UserSimulator() {
      @Override
      public CompletionStage<UserTurn> start(Task task, long seed) {
        return CompletableFuture.completedFuture(new UserTurn(Message.user(config.opening()), Signals.empty(), false));
      }

      @Override
      public CompletionStage<UserTurn> respond(Message agentMessage) {
        return CompletableFuture.completedFuture(new UserTurn(Message.user("No."), Signals.empty(), false));
      }
    };
  }
}
