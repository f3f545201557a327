package dev.ludus.runner.testenv;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.Environment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code test-splits-plain}: a one-turn environment whose tasks come from a pool split in {@code train} and {@code dev},
 * written as a plugin written before {@link EnvironmentProvider#validation} was: it declares held-out tasks only. An
 * episode succeeds exactly when its configuration plays the {@code validation} split, so a trainer's validation
 * success says which configuration it played (1.000 the validation split, 0.000 any other).
 */
public class PlainSplitsProvider implements EnvironmentProvider<PlainSplitsProvider.Config> {
  /** @param split the tasks' split: {@code train}, {@code validation} or {@code dev} */
  public record Config(String split) {
    public Config {
      split = split == null ? "train" : split;
      if (!List.of("train", "validation", "dev").contains(split)) {
        throw new IllegalArgumentException("split must be one of train, validation, dev, was '" + split + "'");
      }
    }
  }

  @Override
  public String name() {
    return "test-splits-plain";
  }

  @Override
  public String description() {
    return "test environment whose episodes succeed only on the validation split; declares held-out tasks only";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("train");
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.SUCCESS);
  }

  @Override
  public Optional<Config> heldOut(Config config) {
    return config.split().equals("train") ? Optional.of(new Config("dev")) : Optional.empty();
  }

  @Override
  public AnyEnvironment create(Config config) {
    return new Environment() {
      @Override
      public Reset reset(Task task, long seed) {
        return Reset.of(List.of(Message.user("say anything")));
      }

      @Override
      public StepResult step(Message action) {
        boolean success = config.split().equals("validation");
        return new StepResult(List.of(Message.user("ok")), success ? 1 : 0, true, false,
            Signals.builder().put(StandardSignals.SUCCESS, success).build());
      }
    };
  }

  @Override
  public Agent randomAgent(Config config) {
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("hello")));
  }
}
