package dev.ludus.runner.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's meters: sessions active (a gauge over the slots), opened, refused and closed by reason; steps and
 * their latency (a histogram); errors by code; finished episodes by status. Thread-safe.
 */
final class ServeMetrics {
  private final MeterRegistry registry;
  private final String env;
  private final Counter opened;
  private final Counter refused;
  private final Counter steps;
  private final Timer stepLatency;

  ServeMetrics(MeterRegistry registry, String env, AtomicInteger active, int max) {
    this.registry = registry;
    this.env = env;
    Gauge.builder("ludus.serve.sessions.active", active, AtomicInteger::get).tag("env", env)
        .description("WebSocket sessions holding a slot").register(registry);
    Gauge.builder("ludus.serve.sessions.max", () -> max).tag("env", env)
        .description("Slots (--max-sessions)").register(registry);
    opened = Counter.builder("ludus.serve.sessions.opened").tag("env", env).register(registry);
    refused = Counter.builder("ludus.serve.sessions.refused").tag("env", env)
        .description("Connections answered CAPACITY_REACHED").register(registry);
    steps = Counter.builder("ludus.serve.steps").tag("env", env).register(registry);
    stepLatency = Timer.builder("ludus.serve.step.latency").tag("env", env)
        .description("From a step message to its reply").publishPercentileHistogram().publishPercentiles(0.5, 0.99)
        .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry);
  }

  void opened() {
    opened.increment();
  }

  void refused() {
    refused.increment();
  }

  private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> closedBy =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Sessions closed so far, by reason (clean, disconnected, unresponsive, idle, timeout, ...). */
  java.util.Map<String, Long> closedByReason() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    closedBy.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  void closed(String reason) {
    closedBy.computeIfAbsent(reason, k -> new java.util.concurrent.atomic.LongAdder()).increment();
    Counter.builder("ludus.serve.sessions.closed").tag("env", env).tag("reason", reason).register(registry)
        .increment();
  }

  void step(long nanos) {
    steps.increment();
    stepLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  void error(WireError.Code code) {
    Counter.builder("ludus.serve.errors").tag("env", env).tag("code", code.name()).register(registry).increment();
  }

  void episode(String status) {
    Counter.builder("ludus.serve.episodes").tag("env", env).tag("status", status).register(registry).increment();
  }

  Timer stepLatency() {
    return stepLatency;
  }
}
