package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A finished episode as the store writes it: one JSON line. Immutable and thread-safe.
 *
 * @param schema the store format's version ({@link #SCHEMA})
 * @param id unique within its run
 * @param env the environment's registered name
 * @param agent the agent's registered name
 * @param match in a multi-agent environment, the id of the match this episode is one seat's side of (shared by
 *     the episodes of every seat of the match); null (absent from the JSON) in a single-agent one
 * @param seat in a multi-agent environment, the seat this episode was played from; null otherwise
 * @param task the task played (whole, even when the agent was shown less)
 * @param seed the episode seed
 * @param status how it ended
 * @param failure why it failed, readable, or null
 * @param failureKind where it failed ({@link FailureKind}), or null when it did not; a failed episode read from a
 *     file written before kinds existed gets the kind its reason names ({@link FailureKind#classify})
 * @param success whether the task was accomplished (the final {@link StandardSignals#SUCCESS} signal)
 * @param totalReward the undiscounted sum of the per-turn rewards
 * @param start the opening observation
 * @param tools the tools offered
 * @param startSignals the signals published at reset
 * @param turns the turns played
 * @param ledger every reward contribution; empty until shaping runs
 * @param startedAtMillis wall-clock start (epoch millis)
 * @param durationMillis wall-clock duration
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "id", "env", "agent", "match", "seat", "task", "seed", "status", "failure",
    "failureKind", "success", "return"})
public record Episode(
    int schema,
    String id,
    String env,
    String agent,
    String match,
    String seat,
    Task task,
    long seed,
    EpisodeStatus status,
    String failure,
    FailureKind failureKind,
    boolean success,
    @JsonProperty("return") double totalReward,
    List<Message> start,
    List<ToolSpec> tools,
    Signals startSignals,
    List<Turn> turns,
    List<LedgerEntry> ledger,
    long startedAtMillis,
    long durationMillis) {

  /**
   * The version of the episode store format these records are written in: 2 groups the ledger by component
   * (1 wrote one object per entry; readers of 2 read both). The {@code match} and {@code seat} of a multi-agent
   * episode are optional fields of schema 2: readers ignore fields they do not know, so older readers read such
   * episodes as single-agent ones.
   */
  public static final int SCHEMA = 2;

  /** An episode whose failure's kind (if it failed) is the one its reason names ({@link FailureKind#classify}). */
  public Episode(int schema, String id, String env, String agent, String match, String seat, Task task, long seed,
      EpisodeStatus status, String failure, boolean success, double totalReward, List<Message> start,
      List<ToolSpec> tools, Signals startSignals, List<Turn> turns, List<LedgerEntry> ledger, long startedAtMillis,
      long durationMillis) {
    this(schema, id, env, agent, match, seat, task, seed, status, failure, null, success, totalReward, start, tools,
        startSignals, turns, ledger, startedAtMillis, durationMillis);
  }

  /** A single-agent episode (no match, no seat). */
  public Episode(int schema, String id, String env, String agent, Task task, long seed, EpisodeStatus status,
      String failure, boolean success, double totalReward, List<Message> start, List<ToolSpec> tools,
      Signals startSignals, List<Turn> turns, List<LedgerEntry> ledger, long startedAtMillis, long durationMillis) {
    this(schema, id, env, agent, null, null, task, seed, status, failure, success, totalReward, start, tools,
        startSignals, turns, ledger, startedAtMillis, durationMillis);
  }

  public Episode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    if (status == EpisodeStatus.FAILED && (failure == null || failure.isBlank())) {
      throw new IllegalArgumentException("a failed episode needs its reason");
    }
    failureKind = status != EpisodeStatus.FAILED ? null
        : failureKind != null ? failureKind : FailureKind.classify(failure);
    if ((match == null) != (seat == null)) {
      throw new IllegalArgumentException("a multi-agent episode has both a match and a seat, a single-agent one "
          + "neither; got match " + match + " and seat " + seat);
    }
    start = start == null ? List.of() : List.copyOf(start);
    tools = tools == null ? List.of() : List.copyOf(tools);
    startSignals = startSignals == null ? Signals.empty() : startSignals;
    turns = turns == null ? List.of() : List.copyOf(turns);
    ledger = ledger == null ? List.of() : List.copyOf(ledger);
  }

  /** Whether this episode is one seat's side of a match of a multi-agent environment. */
  public boolean multiAgent() {
    return match != null;
  }

  /**
   * This episode marked failed with {@code reason}, of the kind the reason names ({@link FailureKind#classify}), its
   * turns kept and its ledger emptied; for a caller that does not know where the failure happened. Prefer
   * {@link #asFailed(FailureKind, String)}.
   */
  public Episode asFailed(String reason) {
    return asFailed(FailureKind.classify(reason), reason);
  }

  /** This episode marked failed, of {@code kind}, with {@code reason}; its turns kept and its ledger emptied. */
  public Episode asFailed(FailureKind kind, String reason) {
    return new Episode(schema, id, env, agent, match, seat, task, seed, EpisodeStatus.FAILED, reason,
        java.util.Objects.requireNonNull(kind, "kind"), false, totalReward, start, tools, startSignals, turns,
        List.of(), startedAtMillis, durationMillis);
  }

  /**
   * This episode with {@code f} applied to its opening signals and to every turn's signals (everything else
   * kept), e.g. to type the values read back from a file; returns this episode when {@code f} changed none.
   */
  public Episode mapSignals(UnaryOperator<Signals> f) {
    Signals opening = f.apply(startSignals);
    List<Turn> mapped = null;
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      Signals s = f.apply(t.signals());
      if (s != t.signals()) {
        if (mapped == null) {
          mapped = new ArrayList<>(turns);
        }
        mapped.set(i, t.withSignals(s));
      }
    }
    if (opening == startSignals && mapped == null) {
      return this;
    }
    return new Episode(schema, id, env, agent, match, seat, task, seed, status, failure, failureKind, success,
        totalReward, start, tools, opening, mapped == null ? turns : mapped, ledger, startedAtMillis, durationMillis);
  }

  /** This episode with its reward ledger filled in. */
  public Episode withLedger(List<LedgerEntry> entries) {
    return new Episode(schema, id, env, agent, match, seat, task, seed, status, failure, failureKind, success,
        totalReward, start, tools, startSignals, turns, entries, startedAtMillis, durationMillis);
  }
}
