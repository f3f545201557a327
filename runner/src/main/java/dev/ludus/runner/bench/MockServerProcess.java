package dev.ludus.runner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The mock OpenAI-compatible server ({@code agents}' test fixtures) in a process of its own, for the benchmarks:
 * started with {@link #start}, stopped with {@link #stop} (which returns what it served) or {@link #close}. A daemon
 * thread drains its standard output, so its logging can never block it. Not thread-safe; one owner.
 */
public final class MockServerProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the server saw, as it printed it on exit.
   *
   * @param requests chat requests received (retries included)
   * @param maxInFlight the most requests it held at once
   * @param served requests by what it did with them (with a fault mix; else empty)
   * @param traffic {@code [epochMicros, +1 arrival | -1 answer]} events, in order (with a fault mix; else empty)
   */
  public record Stats(long requests, int maxInFlight, Map<String, Long> served, List<long[]> traffic) {}

  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<Stats> stats = new CompletableFuture<>();

  private MockServerProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::drain, "mock-server-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the mock with a fixed latency and the main's further arguments ({@code --fault-mix SEED RETRY_AFTER}),
   * and waits up to 60 s for it to listen.
   */
  public static MockServerProcess start(long latencyMillis, List<String> more) throws IOException {
    List<String> args = new ArrayList<>(List.of("0", Long.toString(latencyMillis), "--exit-on-stdin-eof"));
    args.addAll(more);
    MockServerProcess p = new MockServerProcess(FixtureProcess.start(FixtureProcess.MOCK_SERVER, args));
    try {
      p.port.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      p.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("the mock server did not say 'listening on PORT' within 60 s: " + e, e);
    }
    return p;
  }

  /** The base URL an OpenAI client uses: {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port.join() + "/v1";
  }

  /** Closes its standard input, so it stops, and returns the statistics it printed. */
  public Stats stop() throws IOException, InterruptedException {
    process.getOutputStream().close();
    try {
      return stats.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the mock server printed no statistics on exit: " + e, e);
    } finally {
      close();
    }
  }

  /** Stops it (standard input closed, then destroyed if it has not exited within 10 s). Idempotent. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void drain() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("listening on ")) {
          port.complete(Integer.parseInt(line.substring("listening on ".length()).trim()));
        } else if (line.startsWith("stats ")) {
          stats.complete(parse(JSON.readTree(line.substring("stats ".length()))));
        }
      }
      String exit = exitCode();
      port.completeExceptionally(new IOException("the mock server process ended before it listened (" + exit + ")"));
      stats.completeExceptionally(new IOException("the mock server process ended without its statistics (" + exit
          + ")"));
    } catch (IOException | RuntimeException e) {
      port.completeExceptionally(e);
      stats.completeExceptionally(e);
    }
  }

  private String exitCode() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static Stats parse(JsonNode s) {
    Map<String, Long> served = new TreeMap<>();
    s.path("served").properties().forEach(f -> served.put(f.getKey(), f.getValue().asLong()));
    List<long[]> traffic = new ArrayList<>();
    for (JsonNode e : s.path("traffic")) {
      traffic.add(new long[] {e.get(0).asLong(), e.get(1).asLong()});
    }
    return new Stats(s.path("requests").asLong(), s.path("maxInFlight").asInt(), served, traffic);
  }
}
