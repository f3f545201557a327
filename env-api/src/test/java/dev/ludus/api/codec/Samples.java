package dev.ludus.api.codec;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.Turn;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Episodes with every kind of part and signal value, shared by the codec's tests. The resource
 * {@code written-before-the-codec.jsonl} holds {@link #sample} and {@link #failed} as the store wrote them before
 * the codec existed (runner.config.Json at e51d815), byte for byte.
 */
final class Samples {
  private Samples() {}

  record Range(int low, int high) {}

  enum Mood { CALM, ANGRY }

  static final SignalKey<Range> RANGE = SignalKey.of("range", Range.class);
  static final SignalKey<Mood> MOOD = SignalKey.of("mood", Mood.class);
  static final SignalKey<List<Range>> SPLITS = SignalKey.listOf("splits", Range.class);
  static final SignalKey<Long> BIG = SignalKey.of("big", Long.class);

  /** Every key the samples use. */
  static final Set<SignalKey<?>> KEYS = Set.of(RANGE, MOOD, SPLITS, BIG, StandardSignals.CANDIDATE_COUNT,
      StandardSignals.CANDIDATE_ENTROPY, StandardSignals.CANDIDATES, StandardSignals.SUCCESS);

  static Episode sample(String id) {
    Turn t0 = new Turn(0, Message.assistant("", List.of(ToolCall.of("call-1", "search", "{\"q\":\"x \\\"y\\\"\"}"))),
        new TokenTrace(new int[] {1, 2}, new int[] {5, 6, 7}, new float[] {-0.1f, -0.25f, -3.0e-7f}, 3),
        List.of(Message.toolResult("call-1", "search", "found\nit")), 0.0, false, false,
        Signals.builder().put(StandardSignals.CANDIDATE_COUNT, 4).put(StandardSignals.CANDIDATE_ENTROPY, 2.0)
            .put(RANGE, new Range(3, 9)).put(MOOD, Mood.ANGRY).put(BIG, 1L << 40)
            .put(SPLITS, List.of(new Range(1, 2), new Range(3, 3)))
            .put(StandardSignals.CANDIDATES, List.of("a", "b")).build(),
        12, 1);
    Turn t1 = new Turn(1, Message.assistant("<answer>x</answer>"), null, List.of(Message.user("right é ü")), 1.0,
        true, false, Signals.of(StandardSignals.SUCCESS, true), 10, 0);
    return new Episode(Episode.SCHEMA, id, "env", "agent", new Task("env/9", 9, Map.of("q", "what?")), 99,
        EpisodeStatus.COMPLETED, null, true, 1.0, List.of(Message.system("rules"), Message.user("go")),
        List.of(new ToolSpec("search", "search the index", "{\"type\":\"object\"}")),
        Signals.of(RANGE, new Range(1, 16)), List.of(t0, t1),
        List.of(new LedgerEntry(0, "info-gain", "info-gain", 1.0000000000000009, -0.401405108039124),
            new LedgerEntry(0, "outcome", "outcome", 0, 0), new LedgerEntry(1, "info-gain", "info-gain", 0.5, 0.25),
            new LedgerEntry(1, "outcome", "outcome", 1, 1)), 1_700_000_000_000L, 22);
  }

  /** A failed episode whose ledger is not in the pipeline's order (so it is written entry by entry). */
  static Episode failed() {
    return new Episode(Episode.SCHEMA, "f", "env", "agent", Task.generated("env", 1), 1, EpisodeStatus.FAILED,
        "agent did not answer within 30000 ms at turn 0", false, 0, List.of(Message.user("go")), List.of(), null,
        List.of(), List.of(new LedgerEntry(1, "a", "a", 1, 1), new LedgerEntry(0, "a", "a", -0.0, 2.5e-300)), 5, 6);
  }

  static String resource(String name) throws Exception {
    try (var in = Samples.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
