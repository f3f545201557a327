package dev.ludus.environments.tools;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Task;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The oracle: replays the gold. It rebuilds the task's scenario (privileged: it reads the task) and plays the
 * planned messages in order: per user turn, a question for a held-back detail, each gold step as one message of
 * native tool calls (or, with {@link FunctionCallingConfig#oracleTextCalls()}, of calls written as text), then a
 * reply that ends the turn; for a single-turn question, the gold calls (or a refusal when
 * none is due). Since the environment and the scripted user are deterministic, the n-th agent message of the
 * conversation is the plan's n-th. Thread-safe: it keeps no state but a small cache of scenarios by task.
 */
final class FunctionCallingOracle implements Agent {
  private static final int CACHED = 1024;
  private final FunctionCallingConfig config;
  private final Map<String, Scenario> scenarios = new ConcurrentHashMap<>();

  FunctionCallingOracle(FunctionCallingConfig config) {
    this.config = config;
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    Scenario s;
    try {
      s = scenario(request.task());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(AgentResponse.failure("oracle: " + e.getMessage()));
    }
    int n = (int) request.conversation().stream().filter(m -> m.role() == Role.ASSISTANT).count();
    List<Message> plan = plan(s);
    Message m = plan.get(Math.min(n, plan.size() - 1));
    if (config.oracleTextCalls() && !m.toolCalls().isEmpty()) {
      m = Message.assistant(config.parser().render(m.toolCalls()));
    }
    return CompletableFuture.completedFuture(AgentResponse.reply(m));
  }

  /** The oracle's messages for {@code s}, in order. */
  static List<Message> plan(Scenario s) {
    if (s instanceof Scenario.Executable ex) {
      return Scenarios.oraclePlan(ex);
    }
    Scenario.SingleTurn st = (Scenario.SingleTurn) s;
    return List.of(st.gold().isEmpty() ? Message.assistant(Scenarios.CANNOT) : Scenarios.callMessage(st.gold(), 0));
  }

  private Scenario scenario(Task task) {
    String key = task.id() + "#" + task.seed() + "#" + task.fields().hashCode();
    Scenario s = scenarios.get(key);
    if (s == null) {
      s = Scenarios.of(task, config);
      if (scenarios.size() >= CACHED) {
        scenarios.clear();
      }
      scenarios.put(key, s);
    }
    return s;
  }
}
