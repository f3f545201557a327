package dev.ludus.examples;

// readme:start
import dev.ludus.api.Episode;
import dev.ludus.api.Registry;
import dev.ludus.api.Turn;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.environments.sparse.FeasibleRange;
import dev.ludus.environments.sparse.SparseSignals;
import dev.ludus.runner.store.EpisodeReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** How a guess-number run narrowed the feasible range, read back from its episodes.jsonl. */
public final class TypedEpisodes {
  /** Per episode, the count of numbers still feasible after each turn, e.g. [50, 25, 12, 6, 3, 1]. */
  public static List<List<Integer>> narrowing(Path episodesJsonl) {
    List<List<Integer>> out = new ArrayList<>();
    for (Episode e : EpisodeReader.readAll(episodesJsonl, Registry.load())) { // typed by e.env()'s signal keys
      List<Integer> counts = new ArrayList<>();
      for (Turn t : e.turns()) {
        t.signals().get(SparseSignals.FEASIBLE_RANGE).map(FeasibleRange::count).ifPresent(counts::add);
      }
      out.add(counts);
    }
    return out;
  }

  /** The same with env-api alone (no runner on the class path): the codec, one line at a time. */
  public static boolean everyLastRangeHoldsTheTarget(Path episodesJsonl) throws IOException {
    EpisodeCodec codec = EpisodeCodec.typed(Registry.load());
    try (Stream<String> lines = Files.lines(episodesJsonl)) {
      return lines.filter(l -> !l.isBlank()).map(codec::decode).map(e -> e.turns().get(e.turns().size() - 1))
          .map(Turn::signals).allMatch(s -> s.get(SparseSignals.FEASIBLE_RANGE).orElseThrow()
              .contains(s.get(SparseSignals.TARGET).orElseThrow()));
    }
  }
}
// readme:end
