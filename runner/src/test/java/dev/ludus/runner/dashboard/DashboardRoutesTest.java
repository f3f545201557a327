package dev.ludus.runner.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.config.Json;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's JSON routes, over real HTTP on loopback, against run directories written by the real store. */
class DashboardRoutesTest {
  @TempDir Path runs;
  private Vertx vertx;
  private Dashboard dashboard;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (dashboard != null) {
      dashboard.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void serve(Path... roots) throws Exception {
    dashboard = Dashboard.start(vertx, DashboardOptions.of(List.of(roots), 0))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + path.substring(1))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    return Json.JSON.readTree(r.body());
  }

  private Path trainRun(String name, int episodes, int metricLines) throws Exception {
    Path dir = Files.createDirectories(runs.resolve(name));
    DashboardFixtures.episodes(dir, 0, episodes);
    StringBuilder m = new StringBuilder();
    for (int i = 0; i < metricLines; i++) {
      m.append(DashboardFixtures.metricsLine(i, i / 10.0)).append('\n');
    }
    DashboardFixtures.append(dir, "metrics.jsonl", m.toString());
    return dir;
  }

  @Test
  void aDirectoryOfRunsListsEachRun_andARunThatStartsLaterAppears() throws Exception {
    trainRun("20260101-000000-train-a", 3, 2);
    serve(runs);
    JsonNode first = json("/api/runs");
    assertEquals(1, first.size());
    assertEquals("20260101-000000-train-a", first.get(0).path("id").asText());
    assertEquals("train", first.get(0).path("kind").asText());
    assertEquals(3, first.get(0).path("episodes").asInt());
    assertEquals(2, first.get(0).path("updates").asInt());
    assertEquals("guess-number", first.get(0).path("env").asText());
    Files.createDirectories(runs.resolve("not-a-run"));
    trainRun("20260101-000100-train-b", 1, 0);
    JsonNode later = json("/api/runs");
    assertEquals(List.of("20260101-000000-train-a", "20260101-000100-train-b"),
        later.findValuesAsText("id"), "the new run joins; a directory without run files does not");
  }

  @Test
  void metricsAreTailed_fromGivesOnlyNewLines_andAHalfWrittenLineWaits() throws Exception {
    Path dir = trainRun("run", 0, 2);
    serve(dir);
    JsonNode all = json("/api/runs/run/metrics?from=0");
    assertEquals(2, all.path("next").asInt());
    assertEquals(2, all.path("points").size());
    JsonNode p1 = all.path("points").get(1);
    assertEquals(0.1, p1.path("curves").path("success").asDouble(), 1e-12);
    assertEquals(0.1, p1.path("curves").path("component: outcome").asDouble(), 1e-12, "a curve per component");
    assertEquals(800, p1.path("curves").path("learner tokens/s").asDouble(), 1e-9, "throughput: 400 tokens in 0.5 s");
    assertTrue(p1.path("curves").has("KL") && p1.path("curves").has("entropy") && p1.path("curves").has("loss"));

    String third = DashboardFixtures.metricsLine(2, 0.75);
    DashboardFixtures.append(dir, "metrics.jsonl", third + "\n" + third.substring(0, 20));
    JsonNode tail = json("/api/runs/run/metrics?from=2");
    assertEquals(3, tail.path("next").asInt(), "the half-written fourth line is not read yet");
    assertEquals(1, tail.path("points").size());
    assertEquals(0.75, tail.path("points").get(0).path("curves").path("success").asDouble(), 1e-12);
    assertEquals(2, tail.path("points").get(0).path("index").asInt());

    DashboardFixtures.append(dir, "metrics.jsonl", third.substring(20) + "\nnot json\n");
    JsonNode rest = json("/api/runs/run/metrics?from=3");
    assertEquals(4, rest.path("next").asInt(), "the finished line is read once it ends");
    assertEquals(1, rest.path("unreadable").asInt(), "a line that is not JSON is counted and skipped");
  }

  @Test
  void episodesArePaged_filtered_andOrdered() throws Exception {
    Path dir = trainRun("run", 60, 0);
    serve(dir);
    JsonNode page = json("/api/runs/run/episodes?order=oldest&offset=25&limit=25");
    assertEquals(60, page.path("matching").asInt());
    assertEquals(25, page.path("rows").size());
    assertEquals(25, page.path("rows").get(0).path("index").asInt());
    assertEquals("ep-49", page.path("rows").get(24).path("id").asText());
    assertEquals(2, page.path("rows").get(0).path("turns").asInt());

    JsonNode newest = json("/api/runs/run/episodes?limit=3");
    assertEquals(List.of("ep-59", "ep-58", "ep-57"), newest.path("rows").findValuesAsText("id"));

    JsonNode failed = json("/api/runs/run/episodes?filter=failed&order=oldest&limit=500");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      if (i % 7 == 3) {
        expected.add("ep-" + i);
      }
    }
    assertEquals(expected, failed.path("rows").findValuesAsText("id"));
    assertEquals(expected.size(), failed.path("matching").asInt());
    for (JsonNode row : failed.path("rows")) {
      assertEquals("failed", row.path("status").asText());
      assertTrue(row.path("failure").asText().startsWith("agent timed out after"));
    }
    JsonNode won = json("/api/runs/run/episodes?filter=success&limit=500");
    for (JsonNode row : won.path("rows")) {
      assertTrue(row.path("success").asBoolean());
    }
    assertEquals(60 - expected.size(), json("/api/runs/run/episodes?filter=success&limit=500").path("matching").asInt()
        + json("/api/runs/run/episodes?filter=unsuccessful&limit=500").path("matching").asInt());
  }

  @Test
  void oneEpisodeShowsEachTurnsMessagesSignalsAndLedger() throws Exception {
    Path dir = trainRun("run", 3, 0);
    serve(dir);
    JsonNode e = json("/api/runs/run/episodes/2");
    assertEquals("ep-2", e.path("id").asText());
    assertEquals(2, e.path("index").asInt());
    assertEquals(1.75, e.path("shapedReturn").asDouble(), 1e-12);
    JsonNode t1 = e.path("turns").get(1);
    assertEquals("<answer>6</answer>", t1.path("action").path("content").asText());
    assertEquals("correct", t1.path("observation").get(0).path("content").asText());
    assertTrue(t1.path("signals").path("success").asBoolean());
    assertEquals(4, e.path("turns").get(0).path("signals").path("candidate-count").asInt());
    assertEquals(List.of("info-gain", "outcome"), t1.path("ledger").findValuesAsText("source"));
    assertEquals(1.5, t1.path("shapedReward").asDouble(), 1e-12);
    assertEquals(0.25, e.path("turns").get(0).path("ledger").get(0).path("value").asDouble(), 1e-12);
    assertEquals("Guess a number 1 to 8.", e.path("start").get(0).path("content").asText());
  }

  @Test
  void theOverviewCountsFailuresByKind_andWhatTheReportShows() throws Exception {
    Path dir = trainRun("run", 20, 1);
    DashboardFixtures.append(dir, "evaluations.jsonl", "{\"evaluation\":\"before\",\"episodes\":32,\"success\":0.25}\n");
    DashboardFixtures.append(dir, "config.yaml", "env: guess-number\n");
    serve(dir);
    JsonNode o = json("/api/runs/run");
    JsonNode e = o.path("episodes");
    assertEquals(20, e.path("total").asInt());
    assertEquals(3, e.path("failed").asInt(), "episodes 3, 10 and 17");
    assertEquals(1, e.path("failures").size(), "one kind: the numbers differ, the kind does not");
    assertEquals("timeout", e.path("failures").get(0).path("kind").asText());
    assertEquals(3, e.path("failures").get(0).path("count").asInt());
    assertEquals("agent timed out after 1003 ms", e.path("failures").get(0).path("example").asText());
    assertEquals(17, e.path("examples").path("lastFailed").asInt());
    assertEquals(18, e.path("examples").path("lastSuccess").asInt());
    assertEquals(19, e.path("examples").path("lastUnsuccessful").asInt());
    assertEquals(0.25, o.path("evaluations").get(0).path("success").asDouble(), 1e-12);
    assertEquals("env: guess-number\n", o.path("config").asText());
  }

  @Test
  void aRolloutRunShowsItsSummaryAndEpisodesWithoutCurves() throws Exception {
    int code = Ludus.run("rollout", "--env", "guess-number", "--episodes", "12", "--concurrency", "4",
        "--out", runs.toString(), "--no-progress");
    assertEquals(0, code);
    serve(runs);
    JsonNode list = json("/api/runs");
    assertEquals(1, list.size());
    JsonNode run = list.get(0);
    assertEquals("rollout", run.path("kind").asText());
    String id = run.path("id").asText();
    JsonNode o = json("/api/runs/" + id);
    assertEquals(12, o.path("summary").path("episodes").asInt(), "summary.json is read");
    assertEquals(12, o.path("episodes").path("total").asInt());
    assertEquals(o.path("summary").path("successRate").asDouble(), o.path("episodes").path("successRate").asDouble(),
        1e-12, "the index counts what the rollout counted");
    assertEquals(0, json("/api/runs/" + id + "/metrics").path("points").size());
    assertEquals(12, json("/api/runs/" + id + "/episodes").path("rows").size());
    assertTrue(json("/api/runs/" + id + "/episodes/11").path("turns").size() > 0);
  }

  @Test
  void badRequestsAreRefusedNamingWhatIsAllowed() throws Exception {
    trainRun("run", 2, 0);
    serve(runs);
    HttpResponse<String> filter = get("/api/runs/run/episodes?filter=nope");
    assertEquals(400, filter.statusCode());
    assertTrue(filter.body().contains("allowed: all, success, unsuccessful, completed, truncated, failed"),
        filter.body());
    HttpResponse<String> limit = get("/api/runs/run/episodes?limit=0");
    assertEquals(400, limit.statusCode());
    assertTrue(limit.body().contains("limit '0'") && limit.body().contains("1 to 500"), limit.body());
    assertEquals(404, get("/api/runs/nope").statusCode());
    HttpResponse<String> missing = get("/api/runs/run/episodes/2");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("has no episode 2 (it has 2)"), missing.body());
    assertEquals(404, get("/runs/run/report.html").statusCode(), "no report written");
  }

  @Test
  void thePageIsServedWithAPolicyThatForbidsFetchingFromElsewhere() throws Exception {
    trainRun("run", 1, 0);
    serve(runs);
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"app.js\""));
    assertTrue(page.headers().firstValue("content-security-policy").orElse("").startsWith("default-src 'self'"));
    for (String asset : List.of("/", "/app.js", "/style.css")) {
      String body = get(asset).body();
      assertFalse(body.contains("https://") || body.contains("src=\"http") || body.contains("href=\"http"),
          asset + " names no other site");
    }
  }

  @Test
  void aRequestAddressedToAnotherHostIsRefused() throws Exception {
    trainRun("run", 1, 0);
    serve(runs);
    try (Socket s = new Socket("127.0.0.1", dashboard.port())) {
      OutputStream o = s.getOutputStream();
      o.write("GET /api/runs HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      o.flush();
      InputStream in = s.getInputStream();
      String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
      assertTrue(reply.contains("ssh -L"), reply);
    }
    assertEquals(200, get("/api/runs").statusCode(), "localhost is answered");
  }

  @Test
  void theOfflineReportOfARunIsServed() throws Exception {
    Path dir = trainRun("run", 4, 2);
    dev.ludus.runner.train.Report.write(dir);
    serve(runs);
    HttpResponse<String> r = get("/runs/run/report.html");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<title>component: outcome</title>"));
    assertTrue(json("/api/runs").get(0).path("hasReport").asBoolean());
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("report.html")));
    }
  }
}
