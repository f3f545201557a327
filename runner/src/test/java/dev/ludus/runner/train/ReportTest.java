package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import dev.ludus.runner.store.EpisodeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  /** A two-turn guess-number episode with an info-gain and an outcome ledger entry; also used by IterationMetricsTest. */
  static Episode episode(String id, boolean success) {
    Turn t0 = new Turn(0, Message.assistant("<answer>4</answer>"), null, List.of(Message.user("higher")), 0, false,
        false, Signals.empty(), 0, 0);
    Turn t1 = new Turn(1, Message.assistant("<answer>6</answer>"), null, List.of(Message.user("correct")),
        success ? 1 : 0, true, false, Signals.empty(), 0, 0);
    return new Episode(Episode.SCHEMA, id, "guess-number", "djl-lm", Task.generated("guess-number", 1), 1,
        EpisodeStatus.COMPLETED, null, success, success ? 1 : 0, List.of(), List.of(), Signals.empty(), List.of(t0, t1),
        List.of(new LedgerEntry(0, "info-gain", "info-gain", 1.0, 0.2), new LedgerEntry(1, "outcome", "outcome",
            success ? 1 : 0, success ? 1 : 0)), 0, 0);
  }

  @Test
  void theReportHasACurvePerRewardComponentAndTheLedgerOfExampleEpisodesAndFetchesNothing(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("metrics.jsonl"), """
        {"iteration":0,"success":0.25,"return":0.4,"envReturn":0.25,"components":{"info-gain":0.3,"outcome":0.25},"loss":0.5,"kl":0.0,"entropy":0.9}
        {"iteration":1,"success":0.75,"return":1.1,"envReturn":0.75,"components":{"info-gain":0.6,"outcome":0.75},"loss":0.2,"kl":0.01,"entropy":0.6}
        """);
    Files.writeString(dir.resolve("evaluations.jsonl"), """
        {"evaluation":"before","episodes":128,"success":0.148}
        {"evaluation":"after","episodes":128,"success":0.891}
        """);
    try (EpisodeStore store = EpisodeStore.open(dir.resolve("episodes.jsonl"))) {
      store.append(episode("e-1", true));
      store.append(episode("e-2", false));
    }
    String html = Files.readString(Report.write(dir));
    assertTrue(html.contains("<title>component: info-gain</title>"), "a curve per reward component");
    assertTrue(html.contains("<title>component: outcome</title>"));
    assertTrue(html.contains("<title>success</title>") && html.contains("<title>KL</title>"));
    assertEquals(2, html.split("<title>component: ").length - 1);
    assertTrue(html.contains("<polyline"), "curves are drawn");
    assertTrue(html.contains("0.891"), "the held-out evaluations are shown");
    assertTrue(html.contains("info-gain 1.000 → 0.200"), "each turn's ledger: raw and value");
    assertTrue(html.contains("&lt;answer&gt;6&lt;/answer&gt;"), "agent text is escaped");
    assertTrue(html.contains("e-1") && html.contains("e-2"), "a successful and an unsuccessful example");
    assertFalse(html.contains("<script"), "no scripts");
    assertFalse(html.contains("http://") || html.contains("https://"), "nothing fetched: readable offline");
  }
}
