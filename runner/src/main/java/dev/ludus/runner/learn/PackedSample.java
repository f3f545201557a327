package dev.ludus.runner.learn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Several agent turns of one conversation as one training row: the token ids of the conversation once, exactly as
 * the policy saw and wrote them, and the turns ({@link Sample}s) whose output tokens the loss covers. Everything
 * else in the row (the system text, the environment's, simulated user's and tools' messages, the chat template's
 * markers, turns that are not trained on) is context and never a target, as a prompt is in a {@link Sample}.
 *
 * <p>The invariant that keeps token-in/token-out exact: every turn's prompt followed by its output is a prefix of
 * {@link #ids}, and each turn's prompt is at least as long as the previous turn's prompt and output (outputs do not
 * overlap). A causal model's prediction at a position depends only on the tokens before it, so every output token
 * of every turn is predicted in the row from exactly the tokens the policy was conditioned on when it wrote it, as
 * in the turn's own row: the loss and its gradient are those of the turns laid out one per row (up to float
 * rounding), for a fraction of the work, since the history is read once instead of once per turn.
 *
 * <p>That a turn's prompt continues the previous turn's prompt and output (the "prefix property") is a property of
 * the conversation, not of the learner: it holds when the chat template renders each message on its own and the
 * tokenizer gives back a reply's own ids when it encodes the reply's text. It fails when the prompt was cut from
 * the left to fit the context, or when the reply's text encodes to other ids than the ones the policy sampled (a
 * BPE can merge what the policy wrote piece by piece, or a stop string cut the text). {@link #pack} checks it
 * turn by turn and starts a new row wherever it fails, so nothing is ever re-tokenized.
 *
 * <p>Immutable (the ids are copied in and out) and thread-safe.
 *
 * @param ids the conversation's token ids: at least the longest turn's prompt and output
 * @param turns the turns trained on, in order; not empty
 */
public record PackedSample(int[] ids, List<Sample> turns) {
  public PackedSample {
    Objects.requireNonNull(ids, "ids");
    turns = List.copyOf(Objects.requireNonNull(turns, "turns"));
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("turns is empty: a packed row needs at least one turn to train on");
    }
    Sample.nonNegativeIds("ids", ids);
    int end = 0;
    for (int k = 0; k < turns.size(); k++) {
      Sample s = turns.get(k);
      if (s.promptLength() < end) {
        throw new IllegalArgumentException("turn " + k + "'s prompt (" + s.promptLength() + " tokens) ends before the "
            + "previous turn's output does (token " + end + "): the turns overlap");
      }
      if (!startsWith(ids, s.promptIds(), 0) || !startsWith(ids, s.outputIds(), s.promptLength())) {
        throw new IllegalArgumentException("turn " + k + "'s prompt and output are not a prefix of the row's ids: "
            + "packing it would train on other tokens than the policy saw and produced");
      }
      end = s.promptLength() + s.outputLength();
    }
    ids = ids.clone();
  }

  /** One turn as a row of its own: its prompt then its output (the per-turn layout). */
  public static PackedSample of(Sample turn) {
    Objects.requireNonNull(turn, "turn");
    return new PackedSample(concat(turn.promptIds(), turn.outputIds()), List.of(turn));
  }

  /**
   * The turns as few rows as the prefix property allows: turns are taken by increasing prompt length (stable, so
   * an episode's turns keep their order), and each joins the row whose ids so far (the last prompt and output it
   * took) its prompt starts with, preferring the longest such row; a turn that continues no row starts one. Given
   * one episode's trained turns in order, that is one row when every turn's prompt continues the previous turn's
   * prompt and output, and otherwise one row per stretch of turns that does (a new row where the property fails).
   * Rows come in the order they were started. Turns not trained on need not be given: their tokens are in the
   * later turns' prompts.
   */
  public static List<PackedSample> pack(List<Sample> turns) {
    List<Sample> order = new ArrayList<>(turns);
    order.sort(Comparator.comparingInt(Sample::promptLength));
    List<Open> rows = new ArrayList<>();
    // open rows by the ids they end with, and how many end at each length, to look up each prompt's prefixes
    Map<Key, Deque<Open>> byEnd = new HashMap<>();
    TreeMap<Integer, Integer> endLengths = new TreeMap<>();
    for (Sample s : order) {
      int[] prompt = s.promptIds();
      Open row = null;
      for (int length : endLengths.headMap(prompt.length, true).descendingKeySet()) {
        Key prefix = new Key(Arrays.copyOf(prompt, length));
        Deque<Open> candidates = byEnd.get(prefix);
        if (candidates != null) {
          row = candidates.pollLast();
          if (candidates.isEmpty()) {
            byEnd.remove(prefix);
          }
          endLengths.merge(length, -1, Integer::sum);
          endLengths.remove(length, 0);
          break;
        }
      }
      if (row == null) {
        row = new Open();
        rows.add(row);
      }
      row.turns.add(s);
      row.end = new Key(concat(prompt, s.outputIds()));
      byEnd.computeIfAbsent(row.end, k -> new ArrayDeque<>()).addLast(row);
      endLengths.merge(row.end.ids.length, 1, Integer::sum);
    }
    List<PackedSample> out = new ArrayList<>(rows.size());
    for (Open r : rows) {
      out.add(new PackedSample(r.end.ids, r.turns));
    }
    return out;
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  /** The row's tokens. */
  public int length() {
    return ids.length;
  }

  /** The output tokens of its turns: the tokens the loss covers. */
  public int outputTokens() {
    int n = 0;
    for (Sample s : turns) {
      n += s.outputLength();
    }
    return n;
  }

  /** The tokens the same turns would take laid out one per row (their prompts and outputs, summed). */
  public long perTurnTokens() {
    long n = 0;
    for (Sample s : turns) {
      n += s.promptLength() + s.outputLength();
    }
    return n;
  }

  /** The number of turns in it that carry a value target. */
  int valueTurns() {
    return (int) turns.stream().filter(Sample::hasValueTarget).count();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackedSample p && Arrays.equals(ids, p.ids) && turns.equals(p.turns);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + turns.hashCode();
  }

  @Override
  public String toString() {
    return "PackedSample[" + ids.length + " tokens, " + turns.size() + " turns, " + outputTokens() + " output tokens]";
  }

  private static boolean startsWith(int[] ids, int[] part, int at) {
    if (at + part.length > ids.length) {
      return false;
    }
    for (int i = 0; i < part.length; i++) {
      if (ids[at + i] != part[i]) {
        return false;
      }
    }
    return true;
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A row being packed: its turns and the ids it ends with. */
  private static final class Open {
    final List<Sample> turns = new ArrayList<>();
    Key end;
  }

  /** Ids compared by value, as a map key. */
  private record Key(int[] ids) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(ids, k.ids);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
      return Arrays.toString(ids);
    }
  }
}
