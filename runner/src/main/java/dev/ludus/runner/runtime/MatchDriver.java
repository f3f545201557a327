package dev.ludus.runner.runtime;

import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AnyMultiAgentEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.FailureKind;
import dev.ludus.api.LudusFailure;
import dev.ludus.api.MatchStart;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.SeatStart;
import dev.ludus.api.SeatStep;
import dev.ludus.api.Seeds;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.Turn;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays one match of a multi-agent environment on one Vert.x context and records it as one episode per seat.
 *
 * <p>Design: a chain of asynchronous rounds, like {@link EpisodeDriver}'s turns: reset, then per round the agents
 * of the seats to move answer at once (each under the turn time limit), then the environment steps with their
 * moves, the whole under the episode time limit; each round is a fresh event-loop task. Each seat keeps its own
 * conversation (its opening, its moves, what it was shown), so an agent sees only its seat's side, and its request
 * carries the task only as the seat's private view and only if the agent is privileged ({@link Task#visibleTo}).
 * A seat's turn is its move and everything the seat gets until it moves again (or the match ends): the messages,
 * the sum of its rewards, its signals (a later value of a signal replaces an earlier one); what a seat gets before
 * its first move joins its opening (a reward then goes to its first turn). The last turns carry the match's
 * {@code terminated}/{@code truncated} flags.
 *
 * <p>Whatever happens, {@link #run()} completes with one episode per seat, in the seats' order: a throw, a time-out
 * or one agent's failure fails every seat's episode of the match, with a reason that names the seat. Confined to its
 * context: no locks.
 */
final class MatchDriver {
  private final Vertx vertx;
  private final Context context;
  private final Rollout rollout;
  private final long index;
  private final boolean blocking;

  private final Promise<List<Episode>> result = Promise.promise();
  private final List<Seat> seats = new ArrayList<>();
  private String matchId;
  private Task task;
  private long seed;
  private EnvironmentHandle env;
  private long startedAt;
  private long startNanos;
  private long matchTimer = -1;
  private int steps;
  private boolean finished;
  private FailureKind failureKind;

  /** One seat's side of the match. */
  private static final class Seat {
    final String name;
    final Rollout.SeatAgent agent;
    final String episodeId;
    final long seed;
    final List<Message> opening = new ArrayList<>();
    final Signals.Builder openingSignals = Signals.builder();
    final List<Message> conversation = new ArrayList<>();
    final List<Turn> turns = new ArrayList<>();
    List<ToolSpec> tools = List.of();
    Task view;
    Open open;
    double pendingReward;
    int moves;

    Seat(String name, Rollout.SeatAgent agent, String episodeId, long seed) {
      this.name = name;
      this.agent = agent;
      this.episodeId = episodeId;
      this.seed = seed;
    }

    void closeTurn(boolean terminated, boolean truncated) {
      if (open != null) {
        turns.add(new Turn(open.index, open.action, open.tokens, open.observation, open.reward, terminated, truncated,
            open.signals.build(), open.agentMillis, open.envMillis));
        open = null;
      }
    }
  }

  /** A seat's turn while it is still open: its move, and what it got since. */
  private static final class Open {
    final int index;
    final Message action;
    final TokenTrace tokens;
    final long agentMillis;
    final long envMillis;
    final List<Message> observation = new ArrayList<>();
    final Signals.Builder signals = Signals.builder();
    double reward;

    Open(int index, Message action, TokenTrace tokens, long agentMillis, long envMillis) {
      this.index = index;
      this.action = action;
      this.tokens = tokens;
      this.agentMillis = agentMillis;
      this.envMillis = envMillis;
    }
  }

  /** A seat's answer for this round. */
  private record Move(Seat seat, AgentResponse.Reply reply, long agentNanos) {}

  /** A seat's agent could not move; the message names the seat, the kind says where it failed. */
  private static final class SeatFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final FailureKind kind;

    SeatFailure(FailureKind kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }
  }

  MatchDriver(Vertx vertx, Context context, Rollout rollout, long index, boolean blocking) {
    this.vertx = vertx;
    this.context = context;
    this.rollout = rollout;
    this.index = index;
    this.blocking = blocking;
  }

  /** Starts the match; must be called on {@code context}. Never fails: failures are episodes. */
  Future<List<Episode>> run() {
    startedAt = System.currentTimeMillis();
    startNanos = System.nanoTime();
    matchId = rollout.runId() + "-" + index;
    RolloutOptions options = rollout.options();
    seed = Seeds.mix(options.seed() ^ 0x5DEECE66DL, index);
    List<String> names = rollout.environment().seats();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      seats.add(new Seat(name, rollout.seat(name), matchId + "-" + name, Seeds.seat(seed, i)));
    }
    matchTimer = vertx.setTimer(options.episodeTimeoutMillis(), t -> {
      matchTimer = -1;
      fail(FailureKind.TIMEOUT, "match exceeded its time limit of " + options.episodeTimeoutMillis() + " ms at step " + steps);
    });
    try {
      task = rollout.environment().tasks().task(index / options.groupSize(), options.seed());
      AnyEnvironment created = rollout.environment().create();
      if (!(created instanceof AnyMultiAgentEnvironment)) {
        throw new IllegalStateException("environment '" + rollout.environment().name() + "' has seats but created "
            + (created == null ? "null" : "a single-agent instance"));
      }
      env = new EnvironmentHandle(created, context, blocking);
    } catch (Throwable t) {
      fail(LudusFailure.kindOf(t, FailureKind.ENVIRONMENT), "environment could not be created: "
          + EpisodeDriver.describe(t));
      return result.future();
    }
    Stages.within(env.startMatch(task, seed), options.turnTimeoutMillis()).onComplete(ar -> {
      if (finished) {
        return;
      }
      if (ar.failed()) {
        fail(LudusFailure.kindOf(ar.cause(), FailureKind.ENVIRONMENT), "reset failed: "
            + EpisodeDriver.describe(ar.cause()));
        return;
      }
      MatchStart start = ar.result();
      for (Seat seat : seats) {
        SeatStart s = start.seats().get(seat.name);
        seat.opening.addAll(s.observation());
        seat.conversation.addAll(s.observation());
        seat.openingSignals.putAll(s.signals());
        seat.tools = s.tools();
        seat.view = task.seatView(s.privateInfo());
      }
      context.runOnContext(v -> round(start.next()));
    });
    return result.future();
  }

  /** Asks the agents of the seats to move, all at once, then steps with their moves. */
  private void round(Set<String> next) {
    if (finished) {
      return;
    }
    if (steps >= rollout.options().maxTurns()) {
      finish(EpisodeStatus.TRUNCATED, null, false, false);
      return;
    }
    List<Future<Move>> asked = new ArrayList<>();
    for (Seat seat : seats) {
      if (!next.contains(seat.name)) {
        continue;
      }
      int turn = seat.moves;
      String who = "seat '" + seat.name + "' (agent " + seat.agent.name() + ")";
      AgentRequest request = new AgentRequest(seat.episodeId, seat.view.visibleTo(seat.agent.agent()), seat.seed, turn,
          seat.conversation, seat.tools, seat.name);
      long t0 = System.nanoTime();
      Future<AgentResponse> answer;
      try {
        answer = Stages.within(seat.agent.agent().act(request), context, rollout.options().turnTimeoutMillis());
      } catch (Throwable e) {
        fail(LudusFailure.kindOf(e, FailureKind.AGENT), who + ": agent threw at turn " + turn + ": "
            + EpisodeDriver.describe(e));
        return;
      }
      asked.add(answer.transform(ar -> {
        if (ar.failed()) {
          return Future.failedFuture(ar.cause() instanceof TimeoutException
              ? new SeatFailure(FailureKind.TIMEOUT, who + ": agent did not answer within "
                  + rollout.options().turnTimeoutMillis() + " ms at turn " + turn)
              : new SeatFailure(LudusFailure.kindOf(ar.cause(), FailureKind.AGENT), who + ": agent failed at turn "
                  + turn + ": " + EpisodeDriver.describe(ar.cause())));
        }
        if (ar.result() instanceof AgentResponse.Failure f) {
          return Future.failedFuture(new SeatFailure(f.kind(), who + ": agent failed at turn " + turn + ": "
              + f.reason()));
        }
        if (ar.result() == null) {
          return Future.failedFuture(new SeatFailure(FailureKind.AGENT, who + ": agent answered null at turn " + turn));
        }
        return Future.succeededFuture(new Move(seat, (AgentResponse.Reply) ar.result(), System.nanoTime() - t0));
      }));
    }
    Future.all(asked).onComplete(ar -> {
      if (finished) {
        return;
      }
      if (ar.failed()) {
        if (ar.cause() instanceof SeatFailure f) {
          fail(f.kind, f.getMessage());
        } else {
          fail(LudusFailure.kindOf(ar.cause(), FailureKind.AGENT), EpisodeDriver.describe(ar.cause()));
        }
        return;
      }
      List<Move> moves = new ArrayList<>();
      for (int i = 0; i < asked.size(); i++) {
        moves.add(ar.result().resultAt(i));
      }
      step(moves);
    });
  }

  private void step(List<Move> moves) {
    Map<String, Message> actions = new LinkedHashMap<>();
    for (Move m : moves) {
      actions.put(m.seat().name, m.reply().message());
    }
    int at = steps;
    long t0 = System.nanoTime();
    Stages.within(env.stepMatch(actions), rollout.options().turnTimeoutMillis()).onComplete(ar -> {
      if (finished) {
        return;
      }
      if (ar.failed()) {
        if (ar.cause() instanceof TimeoutException) {
          fail(FailureKind.TIMEOUT, "environment step did not finish within " + rollout.options().turnTimeoutMillis()
              + " ms at step " + at);
        } else {
          fail(LudusFailure.kindOf(ar.cause(), FailureKind.ENVIRONMENT), "environment failed at step " + at
              + " (moves of " + actions.keySet() + "): " + EpisodeDriver.describe(ar.cause()));
        }
        return;
      }
      MatchStep r = ar.result();
      steps++;
      long envMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      for (Move m : moves) {
        Seat seat = m.seat();
        seat.closeTurn(false, false);
        seat.open = new Open(seat.moves++, m.reply().message(), m.reply().tokens(),
            TimeUnit.NANOSECONDS.toMillis(m.agentNanos()), envMillis);
        seat.open.reward += seat.pendingReward;
        seat.pendingReward = 0;
        seat.conversation.add(m.reply().message());
      }
      for (Seat seat : seats) {
        SeatStep got = r.seat(seat.name);
        seat.conversation.addAll(got.observation());
        if (seat.open != null) {
          seat.open.observation.addAll(got.observation());
          seat.open.reward += got.reward();
          seat.open.signals.putAll(got.signals());
        } else {
          seat.opening.addAll(got.observation());
          seat.openingSignals.putAll(got.signals());
          seat.pendingReward += got.reward();
        }
      }
      if (r.terminated()) {
        finish(EpisodeStatus.COMPLETED, null, true, false);
      } else if (r.truncated()) {
        finish(EpisodeStatus.TRUNCATED, null, false, true);
      } else {
        context.runOnContext(v -> round(r.next()));
      }
    });
  }

  /** Fails the match, of {@code kind}: where it happened, as the failing stage or the error's cause says. */
  private void fail(FailureKind kind, String reason) {
    if (!finished) {
      failureKind = kind;
    }
    finish(EpisodeStatus.FAILED, reason, false, false);
  }

  private void finish(EpisodeStatus status, String failure, boolean terminated, boolean truncated) {
    if (finished) {
      return;
    }
    finished = true;
    if (matchTimer >= 0) {
      vertx.cancelTimer(matchTimer);
    }
    if (env != null) {
      env.close();
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    Task played = task == null ? Task.generated(rollout.environment().name(), index) : task;
    List<Episode> episodes = new ArrayList<>(seats.size());
    for (Seat seat : seats) {
      EpisodeDriver.ended(seat.agent.agent(), seat.episodeId);
      seat.closeTurn(terminated, truncated);
      List<Turn> turns = seat.turns;
      boolean success = status != EpisodeStatus.FAILED && !turns.isEmpty()
          && turns.get(turns.size() - 1).signals().get(StandardSignals.SUCCESS).orElse(false);
      double total = 0;
      for (Turn turn : turns) {
        total += turn.reward();
      }
      episodes.add(new Episode(Episode.SCHEMA, seat.episodeId, rollout.environment().name(), seat.agent.name(),
          matchId, seat.name, played, seed, status, failure, status == EpisodeStatus.FAILED ? failureKind : null,
          success, total, seat.opening, seat.tools,
          seat.openingSignals.build(), turns, List.of(), startedAt, millis));
    }
    result.complete(episodes);
  }
}
