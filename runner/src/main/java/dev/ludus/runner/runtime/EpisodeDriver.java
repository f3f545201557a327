package dev.ludus.runner.runtime;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.FailureKind;
import dev.ludus.api.LudusFailure;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Seeds;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.Turn;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays one episode as a chain of asynchronous steps on one Vert.x context: reset, then per turn the
 * agent's answer and the environment's step, each under the turn time limit, the whole under the episode
 * time limit. Every turn is a fresh event-loop task, so one long episode never holds a loop and the
 * stack never grows with the episode's length.
 *
 * <p>Whatever happens, {@link #run()} completes with an {@link Episode}: a throw, a time-out or an agent's
 * failure becomes a failed episode carrying its reason. The agent sees the task only if it is privileged
 * ({@link Task#visibleTo}). Confined to its context: no locks.
 */
final class EpisodeDriver {
  private final Vertx vertx;
  private final Context context;
  private final Rollout rollout;
  private final long index;
  private final boolean blocking;

  private final Promise<Episode> result = Promise.promise();
  private final List<Message> conversation = new ArrayList<>();
  private final List<Turn> turns = new ArrayList<>();
  private String id;
  private Task task;
  private Task agentTask; // the task as the agent may see it
  private long seed;
  private Reset reset;
  private List<ToolSpec> tools = List.of();
  private EnvironmentHandle env;
  private long startedAt;
  private long startNanos;
  private long episodeTimer = -1;
  private boolean finished;
  private FailureKind failureKind;

  EpisodeDriver(Vertx vertx, Context context, Rollout rollout, long index, boolean blocking) {
    this.vertx = vertx;
    this.context = context;
    this.rollout = rollout;
    this.index = index;
    this.blocking = blocking;
  }

  /** Starts the episode; must be called on {@code context}. Never fails: failures are episodes. */
  Future<Episode> run() {
    startedAt = System.currentTimeMillis();
    startNanos = System.nanoTime();
    id = rollout.runId() + "-" + index;
    RolloutOptions options = rollout.options();
    episodeTimer = vertx.setTimer(options.episodeTimeoutMillis(), t -> {
      episodeTimer = -1;
      fail(FailureKind.TIMEOUT, "episode exceeded its time limit of " + options.episodeTimeoutMillis() + " ms at turn " + turns.size());
    });
    try {
      task = rollout.environment().tasks().task(index / options.groupSize(), options.seed());
      agentTask = task.visibleTo(rollout.agent());
      seed = Seeds.mix(options.seed() ^ 0x5DEECE66DL, index);
      env = new EnvironmentHandle(rollout.environment().create(), context, blocking);
    } catch (Throwable t) {
      fail(LudusFailure.kindOf(t, FailureKind.ENVIRONMENT), "environment could not be created: " + describe(t));
      return result.future();
    }
    Stages.within(env.reset(task, seed), options.turnTimeoutMillis())
        .onComplete(ar -> {
          if (finished) {
            return;
          }
          if (ar.failed()) {
            fail(LudusFailure.kindOf(ar.cause(), FailureKind.ENVIRONMENT), "reset failed: " + describe(ar.cause()));
            return;
          }
          reset = ar.result();
          tools = reset.tools();
          conversation.addAll(reset.observation());
          context.runOnContext(v -> turn(0));
        });
    return result.future();
  }

  private void turn(int t) {
    if (finished) {
      return;
    }
    if (t >= rollout.options().maxTurns()) {
      finish(EpisodeStatus.TRUNCATED, null);
      return;
    }
    AgentRequest request = new AgentRequest(id, agentTask, seed, t, conversation, tools);
    long t0 = System.nanoTime();
    Future<AgentResponse> answer;
    try {
      answer = Stages.within(rollout.agent().act(request), context, rollout.options().turnTimeoutMillis());
    } catch (Throwable e) {
      fail(LudusFailure.kindOf(e, FailureKind.AGENT), "agent threw at turn " + t + ": " + describe(e));
      return;
    }
    answer.onComplete(ar -> {
      if (finished) {
        return;
      }
      if (ar.failed()) {
        if (ar.cause() instanceof TimeoutException) {
          fail(FailureKind.TIMEOUT, "agent did not answer within " + rollout.options().turnTimeoutMillis() + " ms at turn " + t);
        } else {
          fail(LudusFailure.kindOf(ar.cause(), FailureKind.AGENT), "agent failed at turn " + t + ": " + describe(ar.cause()));
        }
        return;
      }
      if (ar.result() instanceof AgentResponse.Failure f) {
        fail(f.kind(), "agent failed at turn " + t + ": " + f.reason());
        return;
      }
      if (ar.result() == null) {
        fail(FailureKind.AGENT, "agent answered null at turn " + t);
        return;
      }
      step(t, (AgentResponse.Reply) ar.result(), System.nanoTime() - t0);
    });
  }

  private void step(int t, AgentResponse.Reply reply, long agentNanos) {
    long t0 = System.nanoTime();
    Message action = reply.message();
    Stages.within(env.step(action), rollout.options().turnTimeoutMillis()).onComplete(ar -> {
      if (finished) {
        return;
      }
      if (ar.failed()) {
        if (ar.cause() instanceof TimeoutException) {
          fail(FailureKind.TIMEOUT, "environment step did not finish within " + rollout.options().turnTimeoutMillis()
              + " ms at turn " + t);
        } else {
          fail(LudusFailure.kindOf(ar.cause(), FailureKind.ENVIRONMENT), "environment failed at turn " + t + ": "
              + describe(ar.cause()));
        }
        return;
      }
      StepResult r = ar.result();
      turns.add(new Turn(t, action, reply.tokens(), r.observation(), r.reward(), r.terminated(), r.truncated(),
          r.signals(), TimeUnit.NANOSECONDS.toMillis(agentNanos), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
      conversation.add(action);
      conversation.addAll(r.observation());
      if (r.terminated()) {
        finish(EpisodeStatus.COMPLETED, null);
      } else if (r.truncated()) {
        finish(EpisodeStatus.TRUNCATED, null);
      } else {
        context.runOnContext(v -> turn(t + 1));
      }
    });
  }

  /** Fails the episode, of {@code kind}: where it happened, as the failing stage or the error's cause says. */
  private void fail(FailureKind kind, String reason) {
    if (!finished) {
      failureKind = kind;
    }
    finish(EpisodeStatus.FAILED, reason);
  }

  private void finish(EpisodeStatus status, String failure) {
    if (finished) {
      return;
    }
    finished = true;
    if (episodeTimer >= 0) {
      vertx.cancelTimer(episodeTimer);
    }
    if (env != null) {
      env.close();
    }
    if (id != null) {
      EpisodeDriver.ended(rollout.agent(), id);
    }
    boolean success = status != EpisodeStatus.FAILED && !turns.isEmpty()
        && turns.get(turns.size() - 1).signals().get(StandardSignals.SUCCESS).orElse(false);
    double total = 0;
    for (Turn turn : turns) {
      total += turn.reward();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    result.complete(new Episode(Episode.SCHEMA, id == null ? rollout.runId() + "-" + index : id,
        rollout.environment().name(), rollout.agentName(), null, null,
        task == null ? Task.generated(rollout.environment().name(), index) : task, seed, status, failure,
        status == EpisodeStatus.FAILED ? failureKind : null, success, total,
        reset == null ? List.of() : reset.observation(), tools, reset == null ? null : reset.signals(), turns, List.of(),
        startedAt, millis));
  }

  /** Tells {@code agent} that episode {@code id} ended; an agent whose hook throws does not fail the episode. */
  static void ended(Agent agent, String id) {
    try {
      agent.episodeEnded(id);
    } catch (RuntimeException e) {
      // a cache the agent failed to release is its own loss; the episode is already played
    }
  }

  static String describe(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
  }
}
