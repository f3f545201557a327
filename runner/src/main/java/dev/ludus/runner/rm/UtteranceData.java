package dev.ludus.runner.rm;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Turn;
import dev.ludus.runner.store.EpisodeReader;
import dev.ludus.runner.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Utterance examples mined from a run's episodes for Sotopia-RL's utterance reward model (catalog C7): every agent
 * turn of every episode that did not fail gives (the conversation up to and including its action, the reward the
 * ledger attributed to that turn: the sum of the turn's ledger values, or only those of one shaper when a source is
 * named). Episodes without a ledger give none.
 */
public final class UtteranceData {
  private UtteranceData() {}

  /** The examples of a run ({@code path}: the run directory or its {@code episodes.jsonl}). */
  public static List<UtteranceExample> fromEpisodes(Path path, String source) {
    Path file = Files.isDirectory(path) ? path.resolve("episodes.jsonl") : path;
    if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".jsonl")) {
      throw new ConfigException(path + " has no episodes.jsonl; utterance examples come from a run's episodes");
    }
    return examples(EpisodeReader.readAll(file), source);
  }

  /** The examples of {@code episodes}; {@code source} null for every ledger entry. */
  public static List<UtteranceExample> examples(List<Episode> episodes, String source) {
    List<UtteranceExample> out = new ArrayList<>();
    for (List<Episode> group : Trainer.groups(episodes)) {
      for (Episode e : group) {
        if (e.status() == EpisodeStatus.FAILED || e.ledger().isEmpty()) {
          continue;
        }
        double[] r = new double[e.turns().size()];
        for (LedgerEntry l : e.ledger()) {
          if (l.turn() >= 0 && l.turn() < r.length && l.failure() == null
              && (source == null || source.equals(l.source()))) {
            r[l.turn()] += l.value();
          }
        }
        String g = e.task().id() + (e.seat() == null ? "" : "/" + e.seat());
        List<Message> so = new ArrayList<>(e.start());
        List<Turn> turns = e.turns();
        for (int t = 0; t < turns.size(); t++) {
          so.add(turns.get(t).action());
          out.add(new UtteranceExample(so, r[t], g));
          so.addAll(turns.get(t).observation());
        }
      }
    }
    return out;
  }
}
