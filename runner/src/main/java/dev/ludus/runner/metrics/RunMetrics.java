package dev.ludus.runner.metrics;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Turn;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.Scorer;
import dev.ludus.runner.train.LearnerListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The metrics of a rollout or training run, kept in a Micrometer registry (exposed by {@link MetricsServer} in
 * Prometheus' format): episodes by status, turns per episode, failures by reason, the agent's and the
 * environment's latency per turn, in-flight episodes, scorer latency, learner step time and tokens per second.
 * Give it to the runtime as its {@link EpisodeListener} (and to the trainer, which also calls it as a
 * {@link LearnerListener}); wrap the run's scorer with {@link #timed(Scorer)}.
 *
 * <p>Every meter is tagged with the environment's name. A failure's reason becomes a tag by its kind: the text
 * before its first ':' with digits replaced by '#', at most {@value #MAX_REASONS} kinds (then {@code other}), so
 * the series stay few. Thread-safe: episodes end on many threads.
 */
public final class RunMetrics implements EpisodeListener, LearnerListener {
  static final int MAX_REASONS = 32;

  private final MeterRegistry registry;
  private final String env;
  private final AtomicLong inFlight = new AtomicLong();
  private final ConcurrentHashMap<String, Counter> failures = new ConcurrentHashMap<>();
  private final DistributionSummary turns;
  private final Timer agentLatency;
  private final Timer envLatency;
  private final Timer scorerLatency;
  private final Timer learnerStep;
  private final Counter learnerTokens;
  private final AtomicReference<Double> tokensPerSecond = new AtomicReference<>(0.0);

  public RunMetrics(MeterRegistry registry, String env) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.env = Objects.requireNonNull(env, "env");
    Gauge.builder("ludus.episodes.in.flight", inFlight, AtomicLong::get).tag("env", env)
        .description("Episodes started and not yet finished").register(registry);
    this.turns = DistributionSummary.builder("ludus.episode.turns").tag("env", env)
        .description("Turns per finished episode").publishPercentileHistogram().register(registry);
    this.agentLatency = latency("ludus.agent.latency", "How long the agent took per turn");
    this.envLatency = latency("ludus.env.latency", "How long the environment took per turn");
    this.scorerLatency = latency("ludus.scorer.latency", "How long shaping took per group of episodes");
    this.learnerStep = latency("ludus.learner.step", "Wall time of one iteration's learner updates");
    this.learnerTokens = Counter.builder("ludus.learner.tokens").tag("env", env)
        .description("Tokens the learner trained on").register(registry);
    Gauge.builder("ludus.learner.tokens.per.second", tokensPerSecond, AtomicReference::get).tag("env", env)
        .description("Tokens per second of the last learner step").register(registry);
    for (EpisodeStatus s : EpisodeStatus.values()) {
      episodes(s); // every status shows, at 0, from the start
    }
  }

  private Timer latency(String name, String description) {
    return Timer.builder(name).tag("env", env).description(description).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
  }

  private Counter episodes(EpisodeStatus status) {
    return Counter.builder("ludus.episodes").tag("env", env).tag("status", status.wireName())
        .description("Finished episodes by status").register(registry);
  }

  /** Episodes in flight now. */
  public long inFlight() {
    return inFlight.get();
  }

  @Override
  public void onEpisodeStarted() {
    inFlight.incrementAndGet();
  }

  @Override
  public void onEpisode(Episode e) {
    inFlight.getAndUpdate(n -> Math.max(0, n - 1));
    episodes(e.status()).increment();
    turns.record(e.turns().size());
    for (Turn t : e.turns()) {
      agentLatency.record(t.agentMillis(), TimeUnit.MILLISECONDS);
      envLatency.record(t.envMillis(), TimeUnit.MILLISECONDS);
    }
    if (e.status() == EpisodeStatus.FAILED) {
      String kind = kind(e.failure());
      Counter c = failures.get(kind);
      if (c == null) {
        String tag = failures.size() >= MAX_REASONS ? "other" : kind;
        c = failures.computeIfAbsent(tag, k -> Counter.builder("ludus.episode.failures").tag("env", env)
            .tag("reason", k).description("Failed episodes by the kind of their reason").register(registry));
      }
      c.increment();
    }
  }

  @Override
  public void onLearnerStep(double seconds, long tokens) {
    learnerStep.record(Duration.ofNanos((long) (seconds * 1e9)));
    learnerTokens.increment(tokens);
    tokensPerSecond.set(seconds > 0 ? tokens / seconds : 0.0);
  }

  /** {@code scorer}, recording how long each of its stages takes in {@code ludus_scorer_latency_seconds}. */
  public Scorer timed(Scorer scorer) {
    Objects.requireNonNull(scorer, "scorer");
    return group -> {
      Timer.Sample sample = Timer.start(registry);
      CompletionStage<java.util.List<Episode>> stage = scorer.score(group);
      return stage.whenComplete((ok, err) -> sample.stop(scorerLatency));
    };
  }

  /**
   * A listener that tells these metrics and {@code other} (a progress bar; null for none) of every episode, and
   * these metrics of every learner step.
   */
  public Both alongside(EpisodeListener other) {
    return new Both(this, other == null ? EpisodeListener.none() : other);
  }

  /** These metrics and another episode listener, as one listener; thread-safe as its parts are. */
  public static final class Both implements EpisodeListener, LearnerListener {
    private final RunMetrics metrics;
    private final EpisodeListener other;

    Both(RunMetrics metrics, EpisodeListener other) {
      this.metrics = metrics;
      this.other = other;
    }

    @Override
    public void onEpisode(Episode episode) {
      metrics.onEpisode(episode);
      other.onEpisode(episode);
    }

    @Override
    public void onEpisodeStarted() {
      metrics.onEpisodeStarted();
      other.onEpisodeStarted();
    }

    @Override
    public void onLearnerStep(double seconds, long tokens) {
      metrics.onLearnerStep(seconds, tokens);
      if (other instanceof LearnerListener l) {
        l.onLearnerStep(seconds, tokens);
      }
    }
  }

  /** A failure reason's kind: before its first ':', digits as '#', at most 80 characters. */
  static String kind(String reason) {
    if (reason == null || reason.isBlank()) {
      return "unknown";
    }
    int colon = reason.indexOf(':');
    String k = (colon > 0 ? reason.substring(0, colon) : reason).replaceAll("\\d+", "#").strip()
        .toLowerCase(Locale.ROOT);
    return k.length() > 80 ? k.substring(0, 80) : k;
  }
}
