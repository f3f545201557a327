package dev.ludus.runner.dashboard;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import dev.ludus.runner.store.EpisodeStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Run directories for the dashboard's tests, written through the real episode store. */
final class DashboardFixtures {
  private DashboardFixtures() {}

  /** Episode {@code i}: every seventh fails (timeouts of varying length), the rest succeed when {@code i} is even. */
  static Episode episode(int i) {
    boolean success = i % 2 == 0;
    Turn t0 = new Turn(0, Message.assistant("<answer>4</answer>"), null, List.of(Message.user("higher")), 0, false,
        false, Signals.of(StandardSignals.CANDIDATE_COUNT, 4), 3, 1);
    Turn t1 = new Turn(1, Message.assistant("<answer>6</answer>"), null, List.of(Message.user(success ? "correct"
        : "lower")), success ? 1 : 0, true, false, Signals.of(StandardSignals.SUCCESS, success), 2, 1);
    List<LedgerEntry> ledger = List.of(new LedgerEntry(0, "info-gain", "info-gain", 1.0, 0.25),
        new LedgerEntry(1, "info-gain", "info-gain", 1.0, 0.5),
        new LedgerEntry(1, "outcome", "outcome", success ? 1 : 0, success ? 1 : 0));
    Episode e = new Episode(Episode.SCHEMA, "ep-" + i, "guess-number", "scripted", Task.generated("guess-number", i),
        i, EpisodeStatus.COMPLETED, null, success, success ? 1 : 0, List.of(Message.user("Guess a number 1 to 8.")),
        List.of(), Signals.empty(), List.of(t0, t1), ledger, 0, 5);
    return i % 7 == 3 ? e.asFailed("agent timed out after " + (1000 + i) + " ms") : e;
  }

  /** Writes episodes {@code from} to {@code to - 1} into {@code dir/episodes.jsonl}. */
  static void episodes(Path dir, int from, int to) {
    try (EpisodeStore store = EpisodeStore.open(dir.resolve("episodes.jsonl"))) {
      for (int i = from; i < to; i++) {
        store.append(episode(i)).toCompletableFuture().join();
      }
    }
  }

  /** A line of metrics.jsonl as the trainer writes it (the fields the curves read). */
  static String metricsLine(int iteration, double success) {
    return "{\"iteration\":" + iteration + ",\"step\":" + (iteration + 1) + ",\"success\":" + success
        + ",\"return\":" + (success + 0.5) + ",\"envReturn\":" + success
        + ",\"components\":{\"info-gain\":0.3,\"outcome\":" + success + "},\"loss\":0.5,\"kl\":0.01,"
        + "\"entropy\":0.9,\"tokens\":400,\"updateSeconds\":0.5}";
  }

  /** Appends {@code text} as it is (no newline added) to {@code dir/name}. */
  static void append(Path dir, String name, String text) {
    try {
      Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
