package dev.ludus.api.testing;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Environment;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shared fixtures for environment tests: play an episode synchronously and look at it. */
public final class EnvTestKit {
  private EnvTestKit() {}

  /** A played episode. */
  public record Played(Reset reset, List<Message> actions, List<StepResult> steps) {
    public StepResult last() {
      return steps.get(steps.size() - 1);
    }

    public boolean ended() {
      return !steps.isEmpty() && last().done();
    }

    public boolean succeeded() {
      return ended() && last().signals().get(StandardSignals.SUCCESS).orElse(false);
    }

    public double totalReward() {
      return steps.stream().mapToDouble(StepResult::reward).sum();
    }

    public boolean anyInvalid() {
      return steps.stream().anyMatch(s -> s.signals().has(StandardSignals.INVALID_ACTION));
    }
  }

  /** Plays {@code agent} on a fresh instance of {@code env} for at most {@code maxTurns} turns. */
  public static Played play(BoundEnvironment env, Agent agent, Task task, long seed, int maxTurns) {
    try (AnyEnvironment e = env.create()) {
      Reset reset = reset(e, task, seed);
      List<Message> conversation = new ArrayList<>(reset.observation());
      List<Message> actions = new ArrayList<>();
      List<StepResult> steps = new ArrayList<>();
      for (int turn = 0; turn < maxTurns; turn++) {
        AgentResponse resp = join(agent.act(
            new AgentRequest("test-" + seed, task, seed, turn, conversation, reset.tools())));
        if (resp instanceof AgentResponse.Failure f) {
          throw new AssertionError("agent failed at turn " + turn + ": " + f.reason());
        }
        Message action = ((AgentResponse.Reply) resp).message();
        StepResult r = step(e, action);
        actions.add(action);
        steps.add(r);
        conversation.add(action);
        conversation.addAll(r.observation());
        if (r.done()) {
          break;
        }
      }
      return new Played(reset, actions, steps);
    }
  }

  /** Plays the given actions in order (stops early if the episode ends). */
  public static Played replay(BoundEnvironment env, Task task, long seed, List<Message> script) {
    try (AnyEnvironment e = env.create()) {
      Reset reset = reset(e, task, seed);
      List<Message> actions = new ArrayList<>();
      List<StepResult> steps = new ArrayList<>();
      for (Message action : script) {
        StepResult r = step(e, action);
        actions.add(action);
        steps.add(r);
        if (r.done()) {
          break;
        }
      }
      return new Played(reset, actions, steps);
    }
  }

  public static Reset reset(AnyEnvironment e, Task task, long seed) {
    return e instanceof Environment s ? s.reset(task, seed) : join(((AsyncEnvironment) e).reset(task, seed));
  }

  public static StepResult step(AnyEnvironment e, Message action) {
    return e instanceof Environment s ? s.step(action) : join(((AsyncEnvironment) e).step(action));
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage failed: " + e, e);
    }
  }
}
