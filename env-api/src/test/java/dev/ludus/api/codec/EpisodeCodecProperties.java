package dev.ludus.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Laws of the codec over generated episodes: every part, every kind of signal value, awkward text and numbers. */
class EpisodeCodecProperties {
  record Hint(String text, List<Integer> cells, Samples.Mood mood) {}

  static final SignalKey<Integer> COUNT = SignalKey.of("count", Integer.class);
  static final SignalKey<Long> BIG = SignalKey.of("big", Long.class);
  static final SignalKey<Double> SCORE = SignalKey.of("score", Double.class);
  static final SignalKey<String> WORD = SignalKey.secret("word", String.class);
  static final SignalKey<Hint> HINT = SignalKey.of("hint", Hint.class);
  static final SignalKey<List<Hint>> HINTS = SignalKey.listOf("hints", Hint.class);

  static final Set<SignalKey<?>> KEYS = Set.of(COUNT, BIG, SCORE, WORD, HINT, HINTS, Samples.RANGE, Samples.MOOD,
      Samples.SPLITS, StandardSignals.SUCCESS, StandardSignals.CANDIDATES);

  private static final String CHARS = "aZ09 _-\"\\/\n\r\t\u0000\u001f\u007fé中\u2028<>&{}[]:,";

  /** A typed codec reads back exactly the episode it wrote. */
  @Property(tries = 150)
  void typedDecodingInvertsEncoding(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5) int turns) {
    Episode e = episode(new Random(seed), turns);
    EpisodeCodec codec = EpisodeCodec.typed(KEYS);
    assertEquals(e, codec.decode(codec.encode(e)));
    assertEquals(e, codec.decode(codec.encodeToString(e)));
  }

  /** What a plain reader reads, it writes back byte for byte: tools that copy or filter files change nothing. */
  @Property(tries = 150)
  void plainReadingThenWritingChangesNoByte(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5) int turns) {
    Episode e = episode(new Random(seed), turns);
    EpisodeCodec plain = EpisodeCodec.plain();
    byte[] line = plain.encode(e);
    assertArrayEquals(line, plain.encode(plain.decode(line)));
    assertEquals(e, plain.decode(line).mapSignals(s -> s.typed(KEYS)), "typing after a plain read is the same");
  }

  static Episode episode(Random r, int turnCount) {
    List<Turn> turns = new ArrayList<>();
    for (int t = 0; t < turnCount; t++) {
      Message action = r.nextInt(3) == 0
          ? Message.assistant(text(r), List.of(ToolCall.of("call-" + t, "f" + r.nextInt(3), "{\"x\":" + text(r).length()
              + (r.nextBoolean() ? "}" : ""))))
          : Message.assistant(text(r));
      TokenTrace tokens = r.nextBoolean() ? null : tokens(r);
      List<Message> observation = new ArrayList<>();
      if (!action.toolCalls().isEmpty()) {
        observation.add(Message.toolResult("call-" + t, action.toolCalls().get(0).name(), text(r)));
      }
      if (r.nextBoolean()) {
        observation.add(new Message(Role.USER, text(r), List.of(), null, r.nextBoolean() ? null : text(r)));
      }
      boolean last = t == turnCount - 1;
      turns.add(new Turn(t, action, tokens, observation, number(r), last && r.nextBoolean(), last && r.nextBoolean(),
          signals(r), r.nextInt(10_000), r.nextInt(100)));
    }
    EpisodeStatus status = EpisodeStatus.values()[r.nextInt(3)];
    // at most one field: Task keeps its fields in Map.copyOf's order, which differs between JVMs
    Map<String, String> fields = r.nextBoolean() ? Map.of() : Map.of(text(r), text(r));
    List<ToolSpec> tools = r.nextBoolean() ? List.of()
        : List.of(new ToolSpec("f0", text(r), "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"}}}"));
    // a seat's side of a match, or a single-agent episode (no match, no seat)
    boolean seated = r.nextBoolean();
    return new Episode(r.nextInt(2) + 1, "run-" + r.nextInt(1000), "env-" + r.nextInt(3), "agent",
        seated ? "match-" + r.nextInt(1000) : null, seated ? "seat-" + r.nextInt(3) : null, new Task(text(r), r.nextLong(), fields), r.nextLong(), status,
        status == EpisodeStatus.FAILED ? "failed: " + text(r) + "." : null, r.nextBoolean(), number(r),
        List.of(Message.system(text(r)), Message.user(text(r))), tools, signals(r), turns, ledger(r, turnCount),
        r.nextLong() & Long.MAX_VALUE, r.nextInt(1_000_000));
  }

  private static Signals signals(Random r) {
    Signals.Builder b = Signals.builder();
    if (r.nextBoolean()) {
      b.put(COUNT, r.nextInt());
    }
    if (r.nextBoolean()) {
      b.put(BIG, r.nextBoolean() ? r.nextLong() : (long) r.nextInt(100));
    }
    if (r.nextBoolean()) {
      b.put(SCORE, number(r));
    }
    if (r.nextBoolean()) {
      b.put(WORD, text(r));
    }
    if (r.nextBoolean()) {
      b.put(HINT, hint(r));
    }
    if (r.nextBoolean()) {
      List<Hint> hints = new ArrayList<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        hints.add(hint(r));
      }
      b.put(HINTS, hints);
    }
    if (r.nextBoolean()) {
      int low = r.nextInt(100);
      b.put(Samples.RANGE, new Samples.Range(low, low + r.nextInt(100)));
    }
    if (r.nextBoolean()) {
      b.put(Samples.MOOD, Samples.Mood.values()[r.nextInt(2)]);
    }
    if (r.nextBoolean()) {
      b.put(Samples.SPLITS, List.of(new Samples.Range(0, r.nextInt(5))));
    }
    if (r.nextBoolean()) {
      b.put(StandardSignals.SUCCESS, r.nextBoolean());
    }
    if (r.nextBoolean()) {
      b.put(StandardSignals.CANDIDATES, List.of(text(r), text(r)));
    }
    return b.build();
  }

  private static Hint hint(Random r) {
    List<Integer> cells = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      cells.add(r.nextInt(81));
    }
    return new Hint(text(r), cells, Samples.Mood.values()[r.nextInt(2)]);
  }

  private static TokenTrace tokens(Random r) {
    int n = r.nextInt(6);
    int[] prompt = r.ints(r.nextInt(4), 0, 50_000).toArray();
    int[] out = r.ints(n, 0, 50_000).toArray();
    float[] logProbs = new float[n];
    for (int i = 0; i < n; i++) {
      logProbs[i] = r.nextBoolean() ? -r.nextFloat() * 20 : (float) -Math.pow(10, -r.nextInt(30));
    }
    return new TokenTrace(prompt, out, logProbs, r.nextInt(3) - 1);
  }

  /** The pipeline's order (turn, then component) most of the time, any order otherwise. */
  private static List<LedgerEntry> ledger(Random r, int turns) {
    List<LedgerEntry> ledger = new ArrayList<>();
    String[] sources = {"outcome", "info-gain", "tool \"call\"\n", "é"};
    for (int t = 0; t < turns; t++) {
      for (int c = 0; c < sources.length; c++) {
        if (r.nextInt(3) > 0) {
          double raw = number(r);
          double value = r.nextBoolean() ? raw : number(r);
          ledger.add(new LedgerEntry(t, sources[c], c == 1 ? "gain" : sources[c], raw, value));
        }
      }
    }
    if (r.nextInt(4) == 0) {
      java.util.Collections.shuffle(ledger, r);
    }
    return ledger;
  }

  private static double number(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> r.nextInt(7) - 3;
      case 1 -> -0.0;
      case 2 -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
      case 3 -> Double.MIN_VALUE * r.nextInt(5);
      case 4 -> 1e15 + r.nextInt(3);
      default -> r.nextDouble();
    };
  }

  private static String text(Random r) {
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(12); i > 0; i--) {
      if (r.nextInt(20) == 0) {
        b.appendCodePoint(0x1F600 + r.nextInt(50));
      } else {
        b.append(CHARS.charAt(r.nextInt(CHARS.length())));
      }
    }
    return b.toString();
  }
}
