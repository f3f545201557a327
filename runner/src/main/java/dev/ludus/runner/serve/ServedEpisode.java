package dev.ludus.runner.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AnyMultiAgentEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.AsyncMultiAgentEnvironment;
import dev.ludus.api.Environment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.MatchStart;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.MultiAgentEnvironment;
import dev.ludus.api.Reset;
import dev.ludus.api.SeatStart;
import dev.ludus.api.SeatStep;
import dev.ludus.api.Seeds;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.serve.WireError.Code;
import dev.ludus.shaping.ShapingPipeline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One session's environment and the episode it plays, answering OpenEnv's {@code reset}, {@code step} and
 * {@code state} with the {@code data} of the replies.
 *
 * <p>Design: a fresh environment instance per episode (the first is made when the session opens, so that a
 * factory error shows at once). A fast synchronous environment runs inline on the session's context, a blocking one
 * on a worker thread, an asynchronous one completes where it likes and comes back to the context. Every step is
 * recorded as a {@link Turn} (per seat in a multi-agent environment, as the rollout runtime records them), so that
 * with a shaping pipeline the episode so far can be scored after each step: the observation then carries the
 * turn's shaped reward and its ledger entries, and the final one the shaped return of the whole episode.
 *
 * <p>A multi-agent environment is played from one connection, as TextArena's OpenEnv environment does: the
 * observation names the seat to move ({@code current_player_id}, with {@code legal_players} the seats of the
 * round) and shows that seat's messages; each step is that seat's move. Simultaneous rounds are collected seat by
 * seat, in the environment's seat order, and the environment steps once the round is complete.
 *
 * <p>Confined to its context: no locks. {@link #close()} may come while a call is in flight; the instance is then
 * closed when the call returns.
 */
final class ServedEpisode {
  private final Served served;
  private final Context context;
  private final String sessionId;
  private AnyEnvironment env;
  private boolean fresh = true;
  private boolean busy;
  private boolean closed;

  private String episodeId;
  private Task task;
  private long seed;
  private int steps;
  private boolean done;
  private boolean terminated;
  private boolean truncated;
  private long startedAt;
  private final List<Track> tracks = new ArrayList<>();
  private final Map<String, Track> bySeat = new LinkedHashMap<>();
  private final List<String> toMove = new ArrayList<>();
  private final Map<String, Message> moves = new LinkedHashMap<>();

  /** One seat's side of the episode (the only one in a single-agent environment, with a null seat). */
  private static final class Track {
    final String seat;
    final List<Message> opening = new ArrayList<>();
    final Signals.Builder openingSignals = Signals.builder();
    final List<Turn> turns = new ArrayList<>();
    final List<Message> inbox = new ArrayList<>(); // messages not yet shown to the client
    List<ToolSpec> tools = List.of();
    Open open;
    double pendingReward;
    int moves;
    Signals lastSignals = Signals.empty();
    double lastEnvReward;
    Scored scored;

    Track(String seat) {
      this.seat = seat;
    }

    void closeTurn(boolean terminated, boolean truncated) {
      if (open != null) {
        turns.add(open.turn(terminated, truncated));
        open = null;
      }
    }

    double envReturn() {
      double r = 0;
      for (Turn t : turns) {
        r += t.reward();
      }
      return r + (open == null ? 0 : open.reward);
    }
  }

  /** A seat's turn while it is open: its move and what it got since. */
  private static final class Open {
    final int index;
    final Message action;
    final long envMillis;
    final List<Message> observation = new ArrayList<>();
    final Signals.Builder signals = Signals.builder();
    double reward;

    Open(int index, Message action, long envMillis) {
      this.index = index;
      this.action = action;
      this.envMillis = envMillis;
    }

    Turn turn(boolean terminated, boolean truncated) {
      return new Turn(index, action, null, observation, reward, terminated, truncated, signals.build(), 0, envMillis);
    }
  }

  /** A track's episode as the shaping pipeline scored it: per-turn rewards and the ledger, or why it failed. */
  private record Scored(double[] turnRewards, List<LedgerEntry> ledger, String failure) {}

  ServedEpisode(Served served, Context context, String sessionId) {
    this.served = served;
    this.context = context;
    this.sessionId = sessionId;
    this.env = create();
  }

  private AnyEnvironment create() {
    try {
      return Objects.requireNonNull(served.env.create(), "the environment provider created null");
    } catch (RuntimeException e) {
      throw new WireError(Code.FACTORY_ERROR, "environment '" + served.env.name() + "' could not be created: "
          + describe(e));
    }
  }

  boolean multiAgent() {
    return served.env.multiAgent();
  }

  /** Whether an episode was reset and is over. */
  boolean done() {
    return done;
  }

  /** The number of environment steps of the current episode. */
  int steps() {
    return steps;
  }

  // ------------------------------------------------------------------------------------------------ reset

  /** Starts an episode; {@code data} holds the reset fields (or is null). Completes with the reply's data. */
  Future<ObjectNode> reset(JsonNode data) {
    ResetArgs args = ResetArgs.parse(data, served);
    if (!fresh) {
      AnyEnvironment old = env;
      closeInstance(old);
      env = create();
    }
    fresh = false;
    long index = args.taskIndex() != null ? args.taskIndex()
        : args.seed() != null ? args.seed() : served.nextTask.getAndIncrement();
    task = args.task() != null ? args.task() : served.env.tasks().task(index, served.options.seed());
    seed = args.seed() != null ? args.seed() : Seeds.mix(served.options.seed() ^ 0x5DEECE66DL, index);
    episodeId = args.episodeId() != null ? args.episodeId()
        : sessionId + "-" + served.nextEpisode.getAndIncrement();
    steps = 0;
    done = false;
    terminated = false;
    truncated = false;
    startedAt = System.currentTimeMillis();
    tracks.clear();
    bySeat.clear();
    toMove.clear();
    moves.clear();
    if (env instanceof AnyMultiAgentEnvironment) {
      return guarded(() -> startMatch(task, seed)).map(this::started);
    }
    return guarded(() -> resetSingle(task, seed)).map(this::started);
  }

  private ObjectNode started(Reset r) {
    Track t = new Track(null);
    t.opening.addAll(r.observation());
    t.openingSignals.putAll(r.signals());
    t.lastSignals = r.signals();
    t.tools = r.tools();
    t.inbox.addAll(r.observation());
    tracks.add(t);
    return reply(observation(t, null, null), null);
  }

  private ObjectNode started(MatchStart start) {
    for (String seat : served.env.seats()) {
      Track t = new Track(seat);
      SeatStart s = start.seats().get(seat);
      if (s != null) {
        t.opening.addAll(s.observation());
        t.inbox.addAll(s.observation());
        t.openingSignals.putAll(s.signals());
        t.lastSignals = s.signals();
        t.tools = s.tools();
      }
      tracks.add(t);
      bySeat.put(seat, t);
    }
    setToMove(start.next());
    return reply(observation(bySeat.get(toMove.get(0)), null, null), null);
  }

  // ------------------------------------------------------------------------------------------------ step

  /** Applies one action; {@code data} is the action object. Completes with the reply's data. */
  Future<ObjectNode> step(JsonNode data) {
    if (episodeId == null) {
      throw new WireError(Code.EXECUTION_ERROR, "no episode yet: send {\"type\":\"reset\"} before a step");
    }
    if (done) {
      throw new WireError(Code.EXECUTION_ERROR, "the episode is over (done was true); send {\"type\":\"reset\"} to "
          + "start another");
    }
    Action action = Action.parse(data, multiAgent() ? served.env.seats() : null);
    if (!multiAgent()) {
      long t0 = System.nanoTime();
      return guarded(() -> stepSingle(action.message())).compose(r -> stepped(r, action.message(), t0));
    }
    String seat = toMove.get(moves.size());
    if (action.playerId() != null && !action.playerId().equals(seat)) {
      throw WireError.invalid("it is seat '" + seat + "''s move, not '" + action.playerId() + "''s (current_player_id "
          + "says who moves; legal_players lists the round's seats)", List.of("player_id"), "value_error");
    }
    moves.put(seat, action.message());
    if (moves.size() < toMove.size()) {
      Track next = bySeat.get(toMove.get(moves.size()));
      return Future.succeededFuture(reply(observation(next, null, null), null));
    }
    Map<String, Message> round = new LinkedHashMap<>(moves);
    moves.clear();
    long t0 = System.nanoTime();
    return guarded(() -> stepMatch(round)).compose(r -> stepped(r, round, seat, t0));
  }

  private Future<ObjectNode> stepped(StepResult r, Message action, long t0) {
    Track t = tracks.get(0);
    long envMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    t.turns.add(new Turn(steps, action, null, r.observation(), r.reward(), r.terminated(), r.truncated(), r.signals(),
        0, envMillis));
    t.inbox.addAll(r.observation());
    t.lastSignals = r.signals();
    t.lastEnvReward = r.reward();
    steps++;
    end(r.terminated(), r.truncated());
    return score(List.of(t)).map(v -> {
      Double shaped = served.shaping == null ? null : shapedTurn(t, t.turns.size() - 1);
      double reward = shaped != null ? shaped : r.reward();
      return reply(observation(t, r.reward(), null), reward);
    });
  }

  private Future<ObjectNode> stepped(MatchStep r, Map<String, Message> round, String mover, long t0) {
    long envMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    for (Map.Entry<String, Message> m : round.entrySet()) {
      Track t = bySeat.get(m.getKey());
      t.closeTurn(false, false);
      t.open = new Open(t.moves++, m.getValue(), envMillis);
      t.open.reward += t.pendingReward;
      t.pendingReward = 0;
    }
    Map<String, Double> seatRewards = new LinkedHashMap<>();
    for (Track t : tracks) {
      SeatStep got = r.seat(t.seat);
      t.inbox.addAll(got.observation());
      t.lastSignals = got.signals();
      t.lastEnvReward = got.reward();
      seatRewards.put(t.seat, got.reward());
      if (t.open != null) {
        t.open.observation.addAll(got.observation());
        t.open.reward += got.reward();
        t.open.signals.putAll(got.signals());
      } else {
        t.opening.addAll(got.observation());
        t.openingSignals.putAll(got.signals());
        t.pendingReward += got.reward();
      }
    }
    steps++;
    end(r.terminated(), r.truncated());
    if (done) {
      for (Track t : tracks) {
        t.closeTurn(r.terminated(), r.truncated());
      }
    } else {
      setToMove(r.next());
    }
    List<Track> toScore = new ArrayList<>();
    for (Track t : tracks) {
      if (done || round.containsKey(t.seat)) {
        toScore.add(t);
      }
    }
    return score(toScore).map(v -> {
      Track moved = bySeat.get(mover);
      double env = seatRewards.getOrDefault(mover, 0.0);
      Double shaped = served.shaping == null ? null : shapedTurn(moved, lastTurnIndex(moved));
      Track shown = done ? moved : bySeat.get(toMove.get(0));
      return reply(observation(shown, env, seatRewards), shaped != null ? shaped : env);
    });
  }

  private void end(boolean terminated, boolean truncated) {
    this.terminated = terminated;
    this.truncated = truncated;
    this.done = terminated || truncated;
  }

  private void setToMove(Set<String> next) {
    toMove.clear();
    for (String seat : served.env.seats()) {
      if (next.contains(seat)) {
        toMove.add(seat);
      }
    }
  }

  private static int lastTurnIndex(Track t) {
    return t.open != null ? t.turns.size() : t.turns.size() - 1;
  }

  // ------------------------------------------------------------------------------------------------ shaping

  /** Scores each track's episode so far (one group each), when there is a pipeline. */
  private Future<Void> score(List<Track> which) {
    ShapingPipeline pipeline = served.shaping;
    if (pipeline == null || which.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> all = new ArrayList<>();
    for (Track t : which) {
      Episode e = episodeOf(t);
      CompletionStage<List<Episode>> stage;
      try {
        stage = pipeline.scoreAsync(List.of(e));
      } catch (RuntimeException ex) {
        t.scored = new Scored(new double[0], List.of(), "shaping failed: " + describe(ex));
        continue;
      }
      all.add(onContext(stage).map(scored -> {
        Episode s = scored.get(0);
        t.scored = s.status() == EpisodeStatus.FAILED ? new Scored(new double[0], List.of(), s.failure())
            : new Scored(ShapingPipeline.turnRewards(s), s.ledger(), null);
        return (Void) null;
      }).recover(err -> {
        t.scored = new Scored(new double[0], List.of(), "shaping failed: " + describe(err));
        return Future.succeededFuture();
      }));
    }
    return Future.all(all).mapEmpty();
  }

  /** The track's episode so far, its open turn included as its last; status as if it ended now. */
  private Episode episodeOf(Track t) {
    List<Turn> turns = new ArrayList<>(t.turns);
    if (t.open != null) {
      turns.add(t.open.turn(false, false));
    }
    EpisodeStatus status = terminated ? EpisodeStatus.COMPLETED : EpisodeStatus.TRUNCATED;
    boolean success = !turns.isEmpty()
        && turns.get(turns.size() - 1).signals().get(StandardSignals.SUCCESS).orElse(false);
    double total = 0;
    for (Turn turn : turns) {
      total += turn.reward();
    }
    String match = t.seat == null ? null : episodeId;
    return new Episode(Episode.SCHEMA, t.seat == null ? episodeId : episodeId + "-" + t.seat, served.env.name(),
        "serve-env", match, t.seat, task, seed, status, null, success, total, t.opening, t.tools,
        t.openingSignals.build(), turns, List.of(), startedAt, System.currentTimeMillis() - startedAt);
  }

  private static Double shapedTurn(Track t, int turn) {
    if (t.scored == null || t.scored.failure() != null || turn < 0 || turn >= t.scored.turnRewards().length) {
      return null;
    }
    return t.scored.turnRewards()[turn];
  }

  private static double shapedReturn(Track t) {
    double sum = 0;
    for (double r : t.scored.turnRewards()) {
      sum += r;
    }
    return sum;
  }

  // ------------------------------------------------------------------------------------------------ replies

  /** {@code {"observation": ..., "reward": ..., "done": ...}}, OpenEnv's observation reply data. */
  private ObjectNode reply(ObjectNode observation, Double reward) {
    ObjectNode data = Json.JSON.createObjectNode();
    data.set("observation", observation);
    if (reward == null) {
      data.putNull("reward");
    } else {
      data.put("reward", reward);
    }
    data.put("done", done);
    return data;
  }

  /** The observation shown for {@code t}'s seat: its unseen messages, and Ludus' extras. */
  private ObjectNode observation(Track t, Double envReward, Map<String, Double> seatRewards) {
    ObjectNode o = Json.JSON.createObjectNode();
    ArrayNode messages = o.putArray("messages");
    for (Message m : t.inbox) {
      messages.add(Json.JSON.valueToTree(m));
    }
    t.inbox.clear();
    ArrayNode tools = o.putArray("tools");
    for (ToolSpec spec : t.tools) {
      tools.add(toolJson(spec));
    }
    o.put("turn", steps);
    o.put("terminated", terminated);
    o.put("truncated", truncated);
    if (envReward == null) {
      o.putNull("env_reward");
    } else {
      o.put("env_reward", envReward);
    }
    ObjectNode signals = o.putObject("signals");
    for (String name : t.lastSignals.names()) {
      if (served.shownSignals.contains(name)) {
        t.lastSignals.raw(name).ifPresent(v -> signals.set(name, Json.JSON.valueToTree(v)));
      }
    }
    if (multiAgent()) {
      if (done) {
        o.putNull("current_player_id");
      } else {
        o.put("current_player_id", moves.isEmpty() ? toMove.get(0) : toMove.get(moves.size()));
      }
      ArrayNode legal = o.putArray("legal_players");
      if (!done) {
        toMove.forEach(legal::add);
      }
      ArrayNode seats = o.putArray("seats");
      served.env.seats().forEach(seats::add);
      ObjectNode sr = o.putObject("seat_rewards");
      if (seatRewards != null) {
        seatRewards.forEach(sr::put);
      }
    }
    if (served.shaping != null) {
      shapingFields(o, t, envReward != null);
      if (multiAgent()) {
        ObjectNode shaped = o.putObject("seat_shaped_rewards");
        for (Track s : tracks) {
          Double v = s.scored == null ? null : shapedTurn(s, lastTurnIndex(s));
          if (v != null && envReward != null) {
            shaped.put(s.seat, v);
          }
        }
      }
    }
    if (done && multiAgent()) {
      ObjectNode returns = o.putObject("seat_returns");
      tracks.forEach(s -> returns.put(s.seat, s.envReturn()));
      if (served.shaping != null) {
        ObjectNode shapedReturns = o.putObject("seat_shaped_returns");
        tracks.forEach(s -> {
          if (s.scored != null && s.scored.failure() == null) {
            shapedReturns.put(s.seat, shapedReturn(s));
          }
        });
      }
    }
    return o;
  }

  /** {@code shaped_reward}, {@code reward_components} (this turn's ledger) and, at the end, {@code shaped_return}. */
  private void shapingFields(ObjectNode o, Track t, boolean afterStep) {
    int turn = lastTurnIndex(t);
    Double shaped = afterStep ? shapedTurn(t, turn) : null;
    if (shaped == null) {
      o.putNull("shaped_reward");
    } else {
      o.put("shaped_reward", shaped);
    }
    ArrayNode components = o.putArray("reward_components");
    if (afterStep && t.scored != null) {
      for (LedgerEntry e : t.scored.ledger()) {
        if (e.turn() == turn) {
          ObjectNode c = components.addObject();
          c.put("source", e.source());
          c.put("component", e.component());
          c.put("raw", e.raw());
          c.put("value", e.value());
        }
      }
    }
    if (t.scored != null && t.scored.failure() != null && afterStep) {
      o.put("shaping_error", t.scored.failure());
    }
    if (done && t.scored != null && t.scored.failure() == null) {
      o.put("shaped_return", shapedReturn(t));
    } else {
      o.putNull("shaped_return");
    }
  }

  private static ObjectNode toolJson(ToolSpec spec) {
    ObjectNode tool = Json.JSON.createObjectNode();
    tool.put("type", "function");
    ObjectNode f = tool.putObject("function");
    f.put("name", spec.name());
    f.put("description", spec.description());
    try {
      f.set("parameters", Json.JSON.readTree(spec.parameters()));
    } catch (java.io.IOException e) {
      f.put("parameters", spec.parameters());
    }
    return tool;
  }

  /** OpenEnv's {@code State}: {@code episode_id} and {@code step_count}, plus Ludus' fields. */
  ObjectNode state() {
    ObjectNode s = Json.JSON.createObjectNode();
    if (episodeId == null) {
      s.putNull("episode_id");
    } else {
      s.put("episode_id", episodeId);
    }
    s.put("step_count", steps);
    s.put("env", served.env.name());
    if (task == null) {
      s.putNull("task_id");
      s.putNull("seed");
    } else {
      s.put("task_id", task.id());
      s.put("seed", seed);
    }
    s.put("done", done);
    s.put("terminated", terminated);
    s.put("truncated", truncated);
    if (!multiAgent()) {
      s.put("return", tracks.isEmpty() ? 0 : tracks.get(0).envReturn());
    } else {
      if (done || toMove.isEmpty()) {
        s.putNull("current_player_id");
      } else {
        s.put("current_player_id", toMove.get(moves.size()));
      }
      ObjectNode returns = s.putObject("seat_returns");
      tracks.forEach(t -> returns.put(t.seat, t.envReturn()));
    }
    return s;
  }

  // ------------------------------------------------------------------------------------------------ calls

  private Future<Reset> resetSingle(Task task, long seed) {
    if (env instanceof Environment sync) {
      return call(() -> sync.reset(task, seed));
    }
    AsyncEnvironment async = (AsyncEnvironment) env;
    return stage(() -> async.reset(task, seed));
  }

  private Future<StepResult> stepSingle(Message action) {
    if (env instanceof Environment sync) {
      return call(() -> sync.step(action));
    }
    AsyncEnvironment async = (AsyncEnvironment) env;
    return stage(() -> async.step(action));
  }

  private Future<MatchStart> startMatch(Task task, long seed) {
    if (env instanceof MultiAgentEnvironment sync) {
      return call(() -> sync.reset(task, seed));
    }
    AsyncMultiAgentEnvironment async = (AsyncMultiAgentEnvironment) env;
    return stage(() -> async.reset(task, seed));
  }

  private Future<MatchStep> stepMatch(Map<String, Message> round) {
    if (env instanceof MultiAgentEnvironment sync) {
      return call(() -> sync.step(round));
    }
    AsyncMultiAgentEnvironment async = (AsyncMultiAgentEnvironment) env;
    return stage(() -> async.step(round));
  }

  /** Runs an environment call, marking the instance busy so that a close during it waits for it. */
  private <T> Future<T> guarded(Supplier<Future<T>> body) {
    busy = true;
    Future<T> f;
    try {
      f = body.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.transform(ar -> {
      busy = false;
      if (closed) {
        closeInstance(env);
      }
      if (ar.failed()) {
        Throwable c = ar.cause();
        return Future.failedFuture(c instanceof WireError ? c
            : new WireError(Code.EXECUTION_ERROR, "environment '" + served.env.name() + "' failed: " + describe(c)));
      }
      return Future.succeededFuture(Objects.requireNonNull(ar.result(), "the environment answered null"));
    });
  }

  private <T> Future<T> call(Callable<T> body) {
    if (served.blocking()) {
      return context.executeBlocking(body, false);
    }
    try {
      return Future.succeededFuture(body.call());
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
  }

  private <T> Future<T> stage(Supplier<CompletionStage<T>> body) {
    CompletionStage<T> s;
    try {
      s = Objects.requireNonNull(body.get(), "the environment returned a null stage");
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
    return onContext(s);
  }

  private <T> Future<T> onContext(CompletionStage<T> stage) {
    Promise<T> p = Promise.promise();
    stage.whenComplete((v, err) -> context.runOnContext(x -> {
      if (err != null) {
        p.fail(err);
      } else {
        p.complete(v);
      }
    }));
    return p.future();
  }

  /** Closes the environment, now or when the call in flight returns. Idempotent. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!busy) {
      closeInstance(env);
    }
  }

  private void closeInstance(AnyEnvironment instance) {
    if (instance == null) {
      return;
    }
    if (served.blocking()) {
      context.executeBlocking(() -> {
        instance.close();
        return null;
      }, false);
      return;
    }
    try {
      instance.close();
    } catch (Exception e) {
      // best effort: the session is ending
    }
  }

  static String describe(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
  }
}
