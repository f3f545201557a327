package dev.ludus.environments.search;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Reset;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Plays search-qa episodes in tests, the way the runtime does (agent, step, observation), waiting for stages. */
final class Episodes {
  private Episodes() {}

  /** One played episode: what reset showed, each action and each step's result. */
  record Played(Reset reset, List<Message> actions, List<StepResult> steps) {
    StepResult last() {
      return steps.get(steps.size() - 1);
    }

    boolean success() {
      return last().signals().get(dev.ludus.api.StandardSignals.SUCCESS).orElse(false);
    }

    double totalReward() {
      return steps.stream().mapToDouble(StepResult::reward).sum();
    }
  }

  static BoundEnvironment bind(SearchQaConfig config, PluginContext context) {
    return new SearchQaProvider().bind(config).withContext(context);
  }

  static Played play(BoundEnvironment env, Agent agent, Task task, long seed) {
    try (AnyEnvironment e = env.create()) {
      AsyncEnvironment a = (AsyncEnvironment) e;
      Reset reset = await(a.reset(task, seed));
      List<Message> conversation = new ArrayList<>(reset.observation());
      List<Message> actions = new ArrayList<>();
      List<StepResult> steps = new ArrayList<>();
      for (int turn = 0; turn < 200; turn++) {
        AgentResponse r = await(agent.act(new AgentRequest("test", task, seed, turn, conversation, reset.tools())));
        if (!(r instanceof AgentResponse.Reply reply)) {
          throw new AssertionError("agent failed: " + r);
        }
        StepResult s = await(a.step(reply.message()));
        actions.add(reply.message());
        steps.add(s);
        conversation.add(reply.message());
        conversation.addAll(s.observation());
        if (s.done()) {
          return new Played(reset, actions, steps);
        }
      }
      throw new AssertionError("no end after 200 turns");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Plays scripted actions, one per step, and returns the steps. */
  static Played script(BoundEnvironment env, Task task, Message... actions) {
    try (AnyEnvironment e = env.create()) {
      AsyncEnvironment a = (AsyncEnvironment) e;
      Reset reset = await(a.reset(task, 0));
      List<StepResult> steps = new ArrayList<>();
      for (Message m : actions) {
        steps.add(await(a.step(m)));
      }
      return new Played(reset, List.of(actions), steps);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
