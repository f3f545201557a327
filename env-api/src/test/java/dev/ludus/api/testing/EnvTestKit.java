package dev.ludus.api.testing;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AnyMultiAgentEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.AsyncMultiAgentEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Environment;
import dev.ludus.api.MatchStart;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.MultiAgentEnvironment;
import dev.ludus.api.Reset;
import dev.ludus.api.SeatStart;
import dev.ludus.api.Seeds;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** A played match of a multi-agent environment. */
  public record Match(MatchStart start, List<Map<String, Message>> moves, List<MatchStep> steps,
      Map<String, List<AgentRequest>> requests, Map<String, List<Message>> conversations) {
    public MatchStep last() {
      return steps.get(steps.size() - 1);
    }

    public boolean ended() {
      return !steps.isEmpty() && last().done();
    }

    /** The sum of {@code seat}'s rewards. */
    public double reward(String seat) {
      return steps.stream().mapToDouble(s -> s.seat(seat).reward()).sum();
    }

    /** Whether {@code seat}'s last step says it succeeded. */
    public boolean succeeded(String seat) {
      return ended() && last().seat(seat).signals().get(StandardSignals.SUCCESS).orElse(false);
    }
  }

  /**
   * Plays a match of {@code env} on a fresh instance for at most {@code maxSteps} steps, seat {@code s} played by
   * {@code agents.get(s)}, each asked as the runtime asks it: its seat's conversation, the seat's seed, and the task
   * as it may see it (the seat's private view for a privileged agent, withheld otherwise). Keeps every request.
   */
  public static Match playMatch(BoundEnvironment env, Map<String, Agent> agents, Task task, long seed, int maxSteps) {
    try (AnyEnvironment created = env.create()) {
      AnyMultiAgentEnvironment e = (AnyMultiAgentEnvironment) created;
      MatchStart start = e instanceof MultiAgentEnvironment s ? s.reset(task, seed)
          : join(((AsyncMultiAgentEnvironment) e).reset(task, seed));
      Map<String, List<Message>> conversations = new LinkedHashMap<>();
      Map<String, List<AgentRequest>> requests = new LinkedHashMap<>();
      Map<String, Integer> turns = new HashMap<>();
      for (String seat : env.seats()) {
        conversations.put(seat, new ArrayList<>(start.seats().get(seat).observation()));
        requests.put(seat, new ArrayList<>());
        turns.put(seat, 0);
      }
      List<Map<String, Message>> moves = new ArrayList<>();
      List<MatchStep> steps = new ArrayList<>();
      Set<String> next = start.next();
      for (int step = 0; step < maxSteps; step++) {
        Map<String, Message> round = new LinkedHashMap<>();
        for (String seat : env.seats()) {
          if (!next.contains(seat)) {
            continue;
          }
          SeatStart opening = start.seats().get(seat);
          Agent agent = agents.get(seat);
          AgentRequest request = new AgentRequest("test-" + seed + "-" + seat,
              task.seatView(opening.privateInfo()).visibleTo(agent), Seeds.seat(seed, env.seats().indexOf(seat)),
              turns.get(seat), conversations.get(seat), opening.tools(), seat);
          requests.get(seat).add(request);
          AgentResponse resp = join(agent.act(request));
          if (resp instanceof AgentResponse.Failure f) {
            throw new AssertionError("seat " + seat + "'s agent failed at turn " + turns.get(seat) + ": " + f.reason());
          }
          round.put(seat, ((AgentResponse.Reply) resp).message());
        }
        MatchStep r = e instanceof MultiAgentEnvironment s ? s.step(round)
            : join(((AsyncMultiAgentEnvironment) e).step(round));
        moves.add(round);
        steps.add(r);
        for (String seat : env.seats()) {
          if (round.containsKey(seat)) {
            conversations.get(seat).add(round.get(seat));
            turns.merge(seat, 1, Integer::sum);
          }
          conversations.get(seat).addAll(r.seat(seat).observation());
        }
        if (r.done()) {
          break;
        }
        next = r.next();
      }
      return new Match(start, moves, steps, requests, conversations);
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
