package dev.ludus.shaping.testing;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds episodes for shaper, transform and combiner tests:
 * {@code EpisodeBuilder.on("task-1").field("answer", "Paris").turn("I think Paris", 1.0, signals).build()}.
 * The last turn is marked terminated unless {@link #truncated()} is called.
 */
public final class EpisodeBuilder {
  private final String taskId;
  private final Map<String, String> fields = new LinkedHashMap<>();
  private final List<Turn> turns = new ArrayList<>();
  private Signals startSignals = Signals.empty();
  private EpisodeStatus status = EpisodeStatus.COMPLETED;
  private String failure;
  private String id = "ep";
  private long seed = 1;

  private EpisodeBuilder(String taskId) {
    this.taskId = taskId;
  }

  public static EpisodeBuilder on(String taskId) {
    return new EpisodeBuilder(taskId);
  }

  public EpisodeBuilder id(String id) {
    this.id = id;
    return this;
  }

  public EpisodeBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** A task field, e.g. the gold answer. */
  public EpisodeBuilder field(String name, String value) {
    fields.put(name, value);
    return this;
  }

  public EpisodeBuilder startSignals(Signals s) {
    this.startSignals = s;
    return this;
  }

  /** A turn whose agent message is {@code action}, with the environment's reward and signals. */
  public EpisodeBuilder turn(String action, double reward, Signals signals) {
    return turn(Message.assistant(action), reward, signals, List.of(Message.user("ok")));
  }

  public EpisodeBuilder turn(String action, double reward) {
    return turn(action, reward, Signals.empty());
  }

  public EpisodeBuilder turn(Message action, double reward, Signals signals, List<Message> observation) {
    turns.add(new Turn(turns.size(), action, null, observation, reward, false, false, signals, 0, 0));
    return this;
  }

  public EpisodeBuilder truncated() {
    status = EpisodeStatus.TRUNCATED;
    return this;
  }

  public EpisodeBuilder failed(String reason) {
    status = EpisodeStatus.FAILED;
    failure = reason;
    return this;
  }

  public Episode build() {
    List<Turn> done = new ArrayList<>(turns);
    if (!done.isEmpty() && status != EpisodeStatus.FAILED) {
      Turn last = done.get(done.size() - 1);
      done.set(done.size() - 1, new Turn(last.index(), last.action(), last.tokens(), last.observation(), last.reward(),
          status == EpisodeStatus.COMPLETED, status == EpisodeStatus.TRUNCATED, last.signals(), 0, 0));
    }
    double total = done.stream().mapToDouble(Turn::reward).sum();
    return new Episode(Episode.SCHEMA, id, "test-env", "test-agent", new Task(taskId, seed, fields), seed, status,
        failure, false, total, List.of(Message.user("start")), List.of(), startSignals, done, List.of(), 0, 0);
  }
}
