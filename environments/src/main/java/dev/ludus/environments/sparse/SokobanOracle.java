package dev.ludus.environments.sparse;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Task;
import dev.ludus.environments.text.ActionText.Direction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Plays shortest solutions. For each request it rebuilds the level from the task, replays the assistant
 * messages of the conversation with the environment's own rules to find the current position, and answers
 * the next move of the shortest solution from the start while the moves so far followed it; otherwise it
 * searches again from the current position. Where no solution exists (a box pushed into a corner) it
 * answers {@code up}, a legal move, so the episode runs to its turn limit.
 *
 * <p>Thread-safe: the only shared state is a small synchronized cache of solved levels (least recently
 * used, {@value #CACHE_SIZE} entries), which makes the search run once per task, not once per turn.
 */
final class SokobanOracle implements Agent {
  static final int CACHE_SIZE = 64;

  /** A level and its shortest solution from the start (empty when it has none). */
  private record Plan(SokobanLevel level, Optional<List<Direction>> solution) {}

  private final SokobanConfig config;
  private final Map<Task, Plan> plans = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Task, Plan> eldest) {
      return size() > CACHE_SIZE;
    }
  });

  SokobanOracle(SokobanConfig config) {
    this.config = config;
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(next(request).word())));
  }

  private Direction next(AgentRequest request) {
    Plan plan = plan(request.task());
    List<Direction> solution = plan.solution().orElse(List.of());
    SokobanGame game = new SokobanGame(plan.level());
    boolean onPlan = plan.solution().isPresent();
    int done = 0;
    for (Message m : request.conversation()) {
      if (m.role() != Role.ASSISTANT) {
        continue;
      }
      Optional<Direction> d = SokobanText.parseMove(m);
      if (d.isEmpty()) {
        continue; // an unreadable move changes nothing
      }
      SokobanGame.Outcome outcome = game.move(d.get());
      boolean blocked = outcome == SokobanGame.Outcome.BLOCKED_BY_WALL || outcome == SokobanGame.Outcome.BOX_BLOCKED;
      if (blocked) {
        continue;
      }
      if (onPlan && done < solution.size() && solution.get(done) == d.get()) {
        done++;
      } else {
        onPlan = false;
      }
    }
    if (onPlan && done < solution.size()) {
      return solution.get(done);
    }
    return SokobanSolver.solve(plan.level(), game.player(), game.boxes(), SokobanSolver.DEFAULT_MAX_STATES)
        .filter(moves -> !moves.isEmpty())
        .map(moves -> moves.get(0))
        .orElse(Direction.UP);
  }

  private Plan plan(Task task) {
    Plan plan = plans.get(task);
    if (plan == null) {
      SokobanLevel level = SokobanEnvironment.level(config, task);
      plan = new Plan(level, SokobanSolver.solve(level));
      plans.put(task, plan);
    }
    return plan;
  }
}
