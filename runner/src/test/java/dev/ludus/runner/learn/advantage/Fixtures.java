package dev.ludus.runner.learn.advantage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Episodes built directly from records, for the advantage tests: turns with given tokens and ledgers. */
final class Fixtures {
  private Fixtures() {}

  /** One turn of a generated episode: its reward (a single ledger entry) and its number of output tokens. */
  record TurnSpec(double reward, int tokens) {}

  static EpisodeBuilder episode(String id) {
    return new EpisodeBuilder(id);
  }

  /** An episode whose turns have one token each and the given rewards. */
  static Episode rewards(String id, double... turnRewards) {
    EpisodeBuilder b = episode(id);
    for (double r : turnRewards) {
      b.turn(1, r);
    }
    return b.build();
  }

  /** An episode from generated turn specs. */
  static Episode fromSpec(String id, List<TurnSpec> turns) {
    EpisodeBuilder b = episode(id);
    for (TurnSpec t : turns) {
      b.turn(t.tokens(), t.reward());
    }
    return b.build();
  }

  /** A batch of groups from generated specs; episode ids are {@code g<group>e<index>}. */
  static List<List<Episode>> fromSpecs(List<List<List<TurnSpec>>> specs) {
    List<List<Episode>> groups = new ArrayList<>();
    for (int g = 0; g < specs.size(); g++) {
      List<Episode> group = new ArrayList<>();
      for (int i = 0; i < specs.get(g).size(); i++) {
        group.add(fromSpec("g" + g + "e" + i, specs.get(g).get(i)));
      }
      groups.add(group);
    }
    return groups;
  }

  static Arbitrary<TurnSpec> turns() {
    Arbitrary<Double> rewards = Arbitraries.oneOf(
        Arbitraries.doubles().between(-5, 5).ofScale(3), Arbitraries.of(0.0, 1.0, -1.0));
    return Combinators.combine(rewards, Arbitraries.integers().between(0, 4)).as(TurnSpec::new);
  }

  static Arbitrary<List<TurnSpec>> episodes(int minTurns, int maxTurns) {
    return turns().list().ofMinSize(minTurns).ofMaxSize(maxTurns);
  }

  static Arbitrary<List<List<TurnSpec>>> groups(int minSize, int maxSize) {
    return episodes(0, 5).list().ofMinSize(minSize).ofMaxSize(maxSize);
  }

  static Arbitrary<List<List<List<TurnSpec>>>> batches() {
    return groups(1, 6).list().ofMinSize(1).ofMaxSize(4);
  }

  /** The turns' values of a batch as the critic would give them: one per turn, or one more. */
  static TurnValues values(long seed, boolean bootstrap) {
    return e -> {
      double[] v = new double[e.turns().size() + (bootstrap ? 1 : 0)];
      for (int t = 0; t < v.length; t++) {
        v[t] = ((e.id().hashCode() * 31L + t * 17L + seed) % 1000) / 250.0;
      }
      return v;
    };
  }

  static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), what);
  }

  /** Builds one episode; not thread-safe. */
  static final class EpisodeBuilder {
    private final String id;
    private EpisodeStatus status = EpisodeStatus.COMPLETED;
    private final List<Turn> turns = new ArrayList<>();
    private final List<LedgerEntry> ledger = new ArrayList<>();
    private int nextId = 100;

    private EpisodeBuilder(String id) {
      this.id = id;
    }

    /** A turn of {@code tokens} output tokens whose reward is the sum of {@code ledgerValues}. */
    EpisodeBuilder turn(int tokens, double... ledgerValues) {
      int[] ids = new int[tokens];
      for (int k = 0; k < tokens; k++) {
        ids[k] = nextId++;
      }
      return turn(new TokenTrace(null, ids, new float[tokens], 0), ledgerValues);
    }

    /** A turn whose backend gave no tokens. */
    EpisodeBuilder turnWithoutTrace(double... ledgerValues) {
      return turn(null, ledgerValues);
    }

    EpisodeBuilder failed() {
      status = EpisodeStatus.FAILED;
      return this;
    }

    Episode build() {
      return new Episode(Episode.SCHEMA, id, "test-env", "test-agent", new Task("t", 0, null), 0, status,
          status == EpisodeStatus.FAILED ? "boom" : null, false, 0, List.of(Message.user("go")), List.of(), null,
          turns, ledger, 0, 0);
    }

    private EpisodeBuilder turn(TokenTrace trace, double... ledgerValues) {
      int t = turns.size();
      // the environment's own Turn.reward is deliberately different: the estimators must read the ledger
      turns.add(new Turn(t, Message.assistant("turn " + t), trace, List.of(Message.user("ok")), 1000, false, false,
          null, 0, 0));
      for (int k = 0; k < ledgerValues.length; k++) {
        ledger.add(new LedgerEntry(t, k == 0 ? "env" : "shaper" + k, "value", ledgerValues[k], ledgerValues[k]));
      }
      return this;
    }
  }
}
