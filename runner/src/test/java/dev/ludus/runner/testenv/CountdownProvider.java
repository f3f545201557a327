package dev.ludus.runner.testenv;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.DatasetWriter;
import dev.ludus.api.Environment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code test-countdown}: a test environment that ends after {@code turns} steps, with switches that make it
 * misbehave on purpose: throw on some tasks, sleep (blocking), answer asynchronously after a delay.
 */
public final class CountdownProvider implements EnvironmentProvider<CountdownProvider.Config>,
    DatasetWriter<CountdownProvider.Config> {
  /** The name of the signal carrying the thread that ran the step. */
  public static final SignalKey<String> THREAD = SignalKey.of("thread", String.class);

  /**
   * @param turns steps until the episode terminates with success
   * @param failEvery throw in step 1 of every task whose index is a multiple of this (0: never)
   * @param sleepMillis sleep this long in every step (a blocking environment)
   * @param blocking declare the environment blocking
   * @param asyncDelayMillis if above 0, be an AsyncEnvironment completing each step after this delay
   */
  public record Config(int turns, int failEvery, long sleepMillis, boolean blocking, long asyncDelayMillis) {}

  @Override
  public String name() {
    return "test-countdown";
  }

  @Override
  public String description() {
    return "test environment that ends after N turns and misbehaves on request";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> datasetFormats() {
    return List.of("countdown-jsonl");
  }

  /** One JSON line per task: its id, seed and the number of turns it lasts. */
  @Override
  public List<WrittenFile> writeDataset(Config config, Options options, Path directory) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < options.count(); i++) {
      Task t = tasks(config).task(i, options.seed());
      lines.add("{\"id\": \"" + t.id() + "\", \"seed\": " + t.seed() + ", \"turns\": " + config.turns() + "}");
    }
    Path file = Files.write(directory.resolve("tasks.jsonl"), lines, StandardCharsets.UTF_8);
    return List.of(new WrittenFile(file, "countdown-jsonl", "one task per line"));
  }

  @Override
  public Config defaultConfig() {
    return new Config(3, 0, 0, false, 0);
  }

  @Override
  public boolean blocking(Config config) {
    return config.blocking();
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.SUCCESS, THREAD);
  }

  @Override
  public AnyEnvironment create(Config config) {
    Countdown sync = new Countdown(config);
    if (config.asyncDelayMillis() <= 0) {
      return sync;
    }
    Executor later = CompletableFuture.delayedExecutor(config.asyncDelayMillis(), TimeUnit.MILLISECONDS);
    return new AsyncEnvironment() {
      @Override
      public CompletionStage<Reset> reset(Task task, long seed) {
        return CompletableFuture.supplyAsync(() -> sync.reset(task, seed), later);
      }

      @Override
      public CompletionStage<StepResult> step(Message action) {
        return CompletableFuture.supplyAsync(() -> sync.step(action), later);
      }
    };
  }

  @Override
  public Optional<Agent> oracle(Config config) {
    return Optional.of(randomAgent(config));
  }

  @Override
  public Agent randomAgent(Config config) {
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("tick " + r.turn())));
  }

  static final class Countdown implements Environment {
    private final Config config;
    private Task task;
    private int turn;
    private boolean done;

    Countdown(Config config) {
      this.config = config;
    }

    @Override
    public Reset reset(Task task, long seed) {
      this.task = task;
      this.turn = 0;
      this.done = false;
      return Reset.of(List.of(Message.user("count down from " + config.turns())));
    }

    @Override
    public StepResult step(Message action) {
      if (task == null || done) {
        throw new IllegalStateException("step before reset or after the end");
      }
      if (config.sleepMillis() > 0) {
        try {
          Thread.sleep(config.sleepMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      turn++;
      long index = Long.parseLong(task.id().substring(task.id().lastIndexOf('/') + 1));
      if (config.failEvery() > 0 && turn == 2 && index % config.failEvery() == 0) {
        throw new IllegalStateException("deliberate failure on task " + index);
      }
      done = turn >= config.turns();
      Signals s = Signals.builder().put(THREAD, Thread.currentThread().getName()).build();
      if (done) {
        s = s.with(StandardSignals.SUCCESS, true);
      }
      return new StepResult(List.of(Message.user(config.turns() - turn + " left")), done ? 1.0 : 0.0, done, false, s);
    }
  }

  @Override
  public dev.ludus.api.TaskSource tasks(Config config) {
    return (index, runSeed) -> new Task("test-countdown/" + index, index, java.util.Map.of());
  }
}
