package dev.ludus.runner.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.runner.cli.Ludus;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (headless Chromium over the DevTools protocol): the page is open before a short
 * {@code ludus train} starts, its run appears and its curves gain points while it trains, with no console error,
 * a second run is compared on the same charts, and the episode viewer shows a turn's ledger. Keeps a screenshot in
 * {@code target/dashboard.png}. Skips (a JUnit assumption) where no Chromium is installed.
 */
class DashboardBrowserTest {
  /** A short run of the main job (guess-number 1 to 8): a tiny model, a few small iterations, no warm start. */
  static final String TINY = """
      model: {layers: 1, width: 32, heads: 2}
      iterations: 12
      tasksPerIteration: 4
      groupSize: 4
      epochs: 1
      miniBatches: 1
      warmStartEpisodes: 0
      evalEpisodes: 4
      checkpointEvery: 0
      """;

  private static final String SUCCESS_POINTS = "(() => { const s = document.querySelector('svg[data-curve=\"success\"]');"
      + " return s ? Number(s.getAttribute('data-points')) : 0; })()";

  @TempDir Path runs;
  @TempDir Path profile;

  @Test
  void aCurveGainsPointsWhileARunTrains_runsCompare_andTheViewerShowsALedger_withoutConsoleErrors() throws Exception {
    Optional<Path> binary = Chromium.find();
    assumeTrue(binary.isPresent(), "no Chromium found (looked at " + Chromium.searched() + "); install Debian's "
        + "chromium package (.ci/run does) to run the dashboard's browser test");
    Vertx vertx = Vertx.vertx();
    Dashboard dashboard = Dashboard.start(vertx, new DashboardOptions(List.of(runs), 0, 200))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (Chromium browser = Chromium.launch(vertx, binary.get(), profile)) {
      browser.navigate(dashboard.url());
      browser.await("the page polls", "document.getElementById('status').className", v -> v.asText().equals(
          "status live"), Duration.ofSeconds(30));
      browser.eval("window.loadedOnce = 'yes'");
      assertEquals(0, browser.eval("document.querySelectorAll('#runs li').length").asInt(), "no run yet");

      AtomicInteger exit = new AtomicInteger(-1);
      Thread train = new Thread(() -> exit.set(Ludus.run("train", "--config", TINY, "--out", runs.toString(),
          "--no-progress")), "dashboard-test-train");
      train.start();
      List<Integer> seenWhileTraining = new ArrayList<>();
      while (train.isAlive()) {
        int n = browser.eval(SUCCESS_POINTS).asInt();
        if (seenWhileTraining.isEmpty() || seenWhileTraining.get(seenWhileTraining.size() - 1) != n) {
          seenWhileTraining.add(n);
        }
        train.join(100);
      }
      assertEquals(0, exit.get(), "the training run ends well");
      Path run;
      try (Stream<Path> dirs = Files.list(runs)) {
        run = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
      }
      int lines = (int) Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> !l.isBlank()).count();
      assertTrue(lines >= 2, "the run wrote a metrics line per update: " + lines);
      browser.await("the curve has every update", SUCCESS_POINTS, v -> v.asInt() == lines, Duration.ofSeconds(30));
      assertTrue(seenWhileTraining.stream().filter(n -> n > 0).distinct().count() >= 2,
          "the same page showed the curve growing while the run trained: " + seenWhileTraining);
      assertEquals("yes", browser.eval("window.loadedOnce").asText(), "the page was never reloaded");
      assertTrue(browser.eval("document.querySelectorAll('svg[data-curve^=\"component: \"]').length").asInt() > 0,
          "a curve per reward component");
      assertTrue(browser.eval("!!document.querySelector('svg[data-curve=\"KL\"]') "
          + "&& !!document.querySelector('svg[data-curve=\"entropy\"]')").asBoolean());

      Path other = Files.createDirectories(runs.resolve("zz-compare"));
      StringBuilder m = new StringBuilder();
      for (int i = 0; i < lines; i++) {
        m.append(DashboardFixtures.metricsLine(i, i / (double) lines)).append('\n');
      }
      DashboardFixtures.append(other, "metrics.jsonl", m.toString());
      browser.await("the second run is listed", "document.querySelectorAll('#runs input[data-run]').length",
          v -> v.asInt() == 2, Duration.ofSeconds(30));
      browser.eval("document.querySelector('#runs input[data-run=\"zz-compare\"]').click()");
      browser.await("both runs are drawn on one chart",
          "document.querySelectorAll('svg[data-curve=\"success\"] polyline').length", v -> v.asInt() == 2,
          Duration.ofSeconds(30));

      browser.await("the episode browser lists the run's episodes", "document.querySelectorAll('#episodes tbody tr')"
          + ".length", v -> v.asInt() > 0, Duration.ofSeconds(30));
      browser.eval("document.querySelector('#episodes tbody tr').click()");
      JsonNode ledger = browser.await("the viewer shows a ledger",
          "Array.from(document.querySelectorAll('#episode table.ledger tbody tr')).map(r => r.cells[0].textContent)",
          v -> v.size() > 0, Duration.ofSeconds(30));
      assertTrue(ledger.get(0).asText().length() > 0, "a ledger row names its shaper: " + ledger);
      assertTrue(browser.eval("document.querySelectorAll('#episode .turn').length").asInt() > 0, "turns shown");
      assertTrue(browser.eval("document.querySelector('#episode .msg.assistant') !== null").asBoolean(),
          "the agent's messages are shown");

      Path shot = Path.of("target", "dashboard.png");
      Files.createDirectories(shot.getParent());
      Files.write(shot, browser.screenshot());
      assertTrue(Files.size(shot) > 10_000, "a screenshot of the page");
      assertEquals(List.of(), browser.errors(), "no console errors, exceptions or failed loads");
    } finally {
      dashboard.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
