package dev.ludus.runner.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.runner.config.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A headless Chromium (Debian's {@code chromium} package) driven over the Chrome DevTools Protocol: one WebSocket to
 * its page, opened with Vert.x's client, so that a browser test runs inside {@code mvn verify} without a driver
 * library. Collects the page's console errors, uncaught exceptions and failed loads (the {@code Log} domain's
 * errors). Not thread-safe: one test thread drives it; {@link #close} ends the browser.
 */
final class Chromium implements AutoCloseable {
  private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");
  private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final WebSocket socket;
  private final List<String> errors = new ArrayList<>();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private final StringBuffer log;

  private Chromium(Process process, WebSocket socket, StringBuffer log) {
    this.process = process;
    this.socket = socket;
    this.log = log;
  }

  /** The Chromium binary: {@code $LUDUS_CHROMIUM}, else the first of the usual Debian paths that is executable. */
  static Optional<Path> find() {
    String env = System.getenv("LUDUS_CHROMIUM");
    List<String> paths = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      paths.add(env);
    }
    paths.addAll(CANDIDATES);
    return paths.stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }

  /** Where {@link #find} looks, for a test's skip message. */
  static String searched() {
    return "$LUDUS_CHROMIUM, " + String.join(", ", CANDIDATES);
  }

  /** Starts {@code binary} headless with a fresh profile in {@code profile} and connects to its blank page. */
  static Chromium launch(Vertx vertx, Path binary, Path profile) throws Exception {
    Process p = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile,
        "--remote-debugging-port=0", "about:blank")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    StringBuffer log = new StringBuffer();
    CompletableFuture<String> endpoint = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          log.append(line).append('\n');
          Matcher m = DEVTOOLS.matcher(line);
          if (m.find()) {
            endpoint.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        // the browser ended
      }
      endpoint.completeExceptionally(new IllegalStateException("Chromium ended without a DevTools endpoint:\n" + log));
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      URI browser = URI.create(endpoint.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      URI page = pageTarget(browser);
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxMessageSize(64 << 20).setMaxFrameSize(64 << 20));
      WebSocket ws = client.connect(page.getPort(), page.getHost(), page.getRawPath())
          .toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Chromium c = new Chromium(p, ws, log);
      ws.textMessageHandler(c::receive);
      ws.closeHandler(v -> c.failAll("the DevTools connection closed"));
      c.send("Runtime.enable", null);
      c.send("Log.enable", null);
      c.send("Page.enable", null);
      return c;
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static URI pageTarget(URI browser) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode targets = Json.JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode t : targets) {
        if (t.path("type").asText().equals("page")) {
          return URI.create(t.path("webSocketDebuggerUrl").asText());
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Chromium opened no page target at " + list);
  }

  private void receive(String text) {
    JsonNode m;
    try {
      m = Json.JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (m.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(m.path("id").asInt());
      if (f != null) {
        if (m.has("error")) {
          f.completeExceptionally(new IllegalStateException("DevTools: " + m.path("error")));
        } else {
          f.complete(m.path("result"));
        }
      }
      return;
    }
    JsonNode params = m.path("params");
    switch (m.path("method").asText()) {
      case "Runtime.consoleAPICalled" -> {
        String type = params.path("type").asText();
        if (type.equals("error") || type.equals("assert")) {
          List<String> args = new ArrayList<>();
          params.path("args").forEach(a -> args.add(a.has("value") ? a.path("value").asText()
              : a.path("description").asText()));
          error("console." + type + ": " + String.join(" ", args));
        }
      }
      case "Runtime.exceptionThrown" -> {
        JsonNode d = params.path("exceptionDetails");
        error("uncaught: " + d.path("exception").path("description").asText(d.path("text").asText()));
      }
      case "Inspector.targetCrashed" -> {
        error("the page crashed");
        failAll("the page crashed");
      }
      case "Log.entryAdded" -> {
        JsonNode entry = params.path("entry");
        if (entry.path("level").asText().equals("error")) {
          error("log (" + entry.path("source").asText() + "): " + entry.path("text").asText() + " "
              + entry.path("url").asText(""));
        }
      }
      default -> { }
    }
  }

  private void failAll(String why) {
    pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException(why + "; Chromium's log:\n"
        + log)));
    pending.clear();
  }

  private synchronized void error(String e) {
    errors.add(e);
  }

  /** Console errors, uncaught exceptions and failed loads seen so far. */
  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  /** Sends a DevTools command and waits for its result. */
  JsonNode send(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode m = Json.JSON.createObjectNode();
    m.put("id", id);
    m.put("method", method);
    m.set("params", params == null ? Json.JSON.createObjectNode() : params);
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    socket.writeTextMessage(Json.JSON.writeValueAsString(m));
    try {
      return f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no answer to " + method + " in " + TIMEOUT.toSeconds() + " s (browser alive: "
          + process.isAlive() + "); Chromium's log:\n" + log, e);
    }
  }

  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  JsonNode eval(String expression) throws Exception {
    ObjectNode p = Json.JSON.createObjectNode();
    p.put("expression", expression);
    p.put("returnByValue", true);
    p.put("awaitPromise", true);
    JsonNode r = send("Runtime.evaluate", p);
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("the page threw on '" + expression + "': " + r.path("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Opens {@code url} and waits until the document has loaded. */
  void navigate(String url) throws Exception {
    ObjectNode p = Json.JSON.createObjectNode();
    p.put("url", url);
    JsonNode r = send("Page.navigate", p);
    if (r.has("errorText")) {
      throw new IllegalStateException("cannot open " + url + ": " + r.path("errorText").asText());
    }
    await("the page loads", "document.readyState === 'complete'", v -> v.asBoolean(), Duration.ofSeconds(30));
  }

  /** Evaluates {@code expression} every 100 ms until {@code until} holds, and returns that value. */
  JsonNode await(String what, String expression, Predicate<JsonNode> until, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode v = eval(expression);
    while (!until.test(v)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + " (last value " + v + "); errors " + errors());
      }
      Thread.sleep(100);
      v = eval(expression);
    }
    return v;
  }

  /** A PNG of the whole page. */
  byte[] screenshot() throws Exception {
    ObjectNode p = Json.JSON.createObjectNode();
    p.put("format", "png");
    p.put("captureBeyondViewport", true);
    return Base64.getDecoder().decode(send("Page.captureScreenshot", p).path("data").asText());
  }

  @Override
  public void close() {
    try {
      socket.close();
    } finally {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      children.forEach(ProcessHandle::destroy);
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
