package dev.ludus.runner.runtime;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.runner.plugin.RunContextBuilder;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-driven episode runtime: plays many episodes at once on Vert.x event loops, up to a
 * concurrency cap, and hands each finished episode to a sink.
 *
 * <p>Design: one {@link EpisodeLoop} verticle per event loop; the first episodes are spread over the
 * loops and each later one starts on the loop whose episode just ended; each turn is one event-loop task (see
 * {@link EpisodeDriver}); synchronous environments that block run on worker threads. A multi-agent environment plays
 * matches instead ({@link MatchDriver}), one agent per seat, each match giving one episode per seat; groups are
 * formed per seat, and the run counts every seat's episode. When an episode ends
 * the next one starts at once, so the number in flight stays at the cap. A complete group goes to the
 * rollout's {@link Scorer}, whose stage may complete on another thread (a reward model's worker); the group's
 * episodes are delivered on the event loop that completed the group, at once when the stage is already
 * done. The run completes when every episode has been taken by the sink: none are lost. The blocked-thread checker stays on; how often it
 * fired is in the {@link RunSummary}.
 *
 * <p>The runtime owns the run's {@link #pluginContext() plugin context}, which shares its Vert.x: the
 * commands create environments, agents and shapers with it, and an environment handed to {@link #run}
 * without a context of its own gets it.
 *
 * <p>Thread-safe: several rollouts may run at once on one runtime. Life-cycle: {@link #start}, then
 * {@link #close} (idempotent), which closes the plugin context and then stops Vert.x.
 */
public final class EpisodeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EpisodeRuntime.class);

  private final Vertx vertx;
  private final Registry registry;
  private final Map<String, ChatEndpoint> chatEndpoints;
  private final List<Context> contexts = new ArrayList<>();
  private final LongAdder blockedWarnings = new LongAdder();
  private final RuntimeOptions options;
  private PluginContext.Owned plugins; // created on first use; guarded by this
  private volatile boolean closed;

  private EpisodeRuntime(RuntimeOptions options, Registry registry, Map<String, ChatEndpoint> chatEndpoints) {
    this.registry = registry;
    this.chatEndpoints = Map.copyOf(chatEndpoints);
    this.options = options;
    VertxOptions vo = new VertxOptions()
        .setEventLoopPoolSize(options.eventLoops())
        .setWorkerPoolSize(options.workers())
        .setMaxEventLoopExecuteTime(options.maxEventLoopBlockMillis())
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.max(10, Math.min(1_000, options.maxEventLoopBlockMillis() / 2)))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
    this.vertx = Vertx.builder().with(vo).build();
    if (vertx instanceof VertxInternal internal) {
      internal.blockedThreadChecker().setThreadBlockedHandler(event -> {
        blockedWarnings.increment();
        LOG.warn("event loop blocked: {}", event);
      });
    }
    List<EpisodeLoop> loops = new ArrayList<>();
    try {
      vertx.deployVerticle(() -> {
            EpisodeLoop loop = new EpisodeLoop();
            synchronized (loops) {
              loops.add(loop);
            }
            return loop;
          }, new DeploymentOptions().setInstances(options.eventLoops()))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("cannot start the runtime's event loops: " + e, e);
    }
    for (EpisodeLoop loop : loops) {
      contexts.add(loop.loopContext());
    }
  }

  /** A runtime whose plugin context holds the class path's registry. */
  public static EpisodeRuntime start(RuntimeOptions options) {
    return new EpisodeRuntime(options, null, Map.of());
  }

  /** A runtime whose plugin context holds {@code registry}, the one the run is configured from. */
  public static EpisodeRuntime start(RuntimeOptions options, Registry registry) {
    return start(options, registry, Map.of());
  }

  /**
   * A runtime whose plugin context holds {@code registry} and declares the run's named chat endpoints (its
   * {@code llm:} section), which every plugin of the run reaches through
   * {@link PluginContext#chatClient(String)}.
   */
  public static EpisodeRuntime start(RuntimeOptions options, Registry registry,
      Map<String, ChatEndpoint> chatEndpoints) {
    return new EpisodeRuntime(options, Objects.requireNonNull(registry, "registry"),
        Objects.requireNonNull(chatEndpoints, "chatEndpoints"));
  }

  public static EpisodeRuntime start() {
    return start(RuntimeOptions.defaults());
  }

  /** The Vert.x instance, for components that share the runtime's event loops (agents' HTTP clients). */
  public Vertx vertx() {
    return vertx;
  }

  /**
   * The run's plugin context, created on first use over this runtime's Vert.x and closed by {@link #close}
   * before Vert.x: pass it to whatever creates the run's environments, agents and shapers.
   *
   * @throws IllegalStateException once the runtime is closed
   */
  public synchronized PluginContext pluginContext() {
    if (closed) {
      throw new IllegalStateException("the runtime is closed");
    }
    if (plugins == null) {
      plugins = RunContextBuilder.on(vertx, registry != null ? registry : PluginContext.minimal().registry())
          .chatEndpoints(chatEndpoints).build();
    }
    return plugins;
  }

  /** How often, since start, an event loop was held longer than allowed. Zero in a healthy run. */
  public long blockedThreadWarnings() {
    return blockedWarnings.sum();
  }

  /**
   * Plays {@code rollout}; each finished episode goes to {@code sink}, then to {@code listener}. The stage
   * completes with the summary once the sink has taken every episode.
   */
  public CompletionStage<RunSummary> run(Rollout rollout, EpisodeSink sink, EpisodeListener listener) {
    return run(rollout, sink, listener, RunControl.create());
  }

  /**
   * Plays {@code rollout} as {@code control} steers it: without the matches it leaves out (a resumed run), counting
   * the episodes it replays in the summary, and stopping early when asked (see {@link RunControl}). The stage
   * completes with the summary once the sink has taken every episode started, or when a stop's grace ran out.
   */
  public CompletionStage<RunSummary> run(Rollout rollout, EpisodeSink sink, EpisodeListener listener,
      RunControl control) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the runtime is closed"));
    }
    return new Run(rollout, sink, listener, Objects.requireNonNull(control, "control"), null).start();
  }

  /**
   * As {@link #run(Rollout, EpisodeSink, EpisodeListener, RunControl)}, with every match offered to {@code away}
   * first (another node plays it: cluster mode); a match {@code away} declines (its stage fails) plays here. Groups,
   * scoring, sinks, listener and summary are this runtime's, as in a local run.
   */
  public CompletionStage<RunSummary> run(Rollout rollout, EpisodeSink sink, EpisodeListener listener,
      RunControl control, MatchPlayer away) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the runtime is closed"));
    }
    return new Run(rollout, sink, listener, Objects.requireNonNull(control, "control"),
        Objects.requireNonNull(away, "away")).start();
  }

  /**
   * Plays match {@code index} of {@code rollout} on this runtime's event loops, alone: its episodes (one per seat),
   * not scored, not stored, with the ids, task and seed that a whole run gives that index (a cluster worker's part of
   * a run). Never fails: failures are failed episodes.
   */
  public CompletionStage<List<Episode>> play(Rollout rollout, long index) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the runtime is closed"));
    }
    BoundEnvironment env = rollout.environment();
    Rollout bound = env.hasContext() ? rollout : rollout.withEnvironment(env.withContext(pluginContext()));
    boolean blocking = bound.options().blockingEnvironment() || bound.environment().blocking();
    Context ctx = contexts.get((int) (index % contexts.size()));
    CompletableFuture<List<Episode>> out = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      if (bound.environment().multiAgent()) {
        new MatchDriver(vertx, ctx, bound, index, blocking).run().onComplete(ar -> out.complete(ar.result()));
      } else {
        new EpisodeDriver(vertx, ctx, bound, index, blocking).run().onComplete(ar -> out.complete(List.of(ar.result())));
      }
    });
    return out;
  }

  /** One rollout in progress. Counters are atomic: episodes finish on many threads. */
  private final class Run {
    private final Rollout rollout;
    private final EpisodeSink sink;
    private final EpisodeListener listener;
    private final MatchPlayer away; // cluster mode: who plays a match first (null: all play here)
    private final boolean blocking;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong launched = new AtomicLong(); // matches started
    private final AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE); // after a stop: the first match not to start
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final RunControl control;
    private final CompletableFuture<RunSummary> done = new CompletableFuture<>();
    private final int seats; // episodes per match: the seats, or 1 for a single-agent environment
    private final long total; // episodes to deliver
    private final Stats stats;
    private final Map<Long, Episode[]> groups = new HashMap<>();
    private final long blockedAtStart = blockedWarnings.sum();
    private long startNanos;

    Run(Rollout rollout, EpisodeSink sink, EpisodeListener listener, RunControl control, MatchPlayer away) {
      this.control = control;
      this.away = away;
      BoundEnvironment env = rollout.environment();
      this.rollout = env.hasContext() ? rollout : rollout.withEnvironment(env.withContext(pluginContext()));
      this.sink = sink;
      this.listener = listener;
      this.blocking = this.rollout.options().blockingEnvironment() || this.rollout.environment().blocking();
      this.seats = env.multiAgent() ? env.seats().size() : 1;
      long matches = this.rollout.options().episodes();
      this.total = (matches - control.skipped(matches)) * seats;
      this.stats = new Stats(env.multiAgent() ? env.seats() : List.of(), this.rollout);
      control.replayPrior(stats::addPrior);
    }

    CompletionStage<RunSummary> start() {
      startNanos = System.nanoTime();
      control.onStop(this::stopping);
      int requested = rollout.options().concurrency();
      long maxHeap = Runtime.getRuntime().maxMemory();
      int allowed = options.inFlightLimit(requested, maxHeap);
      if (allowed < requested && allowed < rollout.options().episodes()) {
        LOG.warn("{}: {} episodes in flight instead of the {} asked for: the heap budget ({} MiB of heap, half of it at "
            + "{} KiB per episode) holds no more; raise -Xmx (LUDUS_JAVA_OPTS) or lower -Dludus.episodeHeapBytes",
            rollout.runId(), allowed, requested, maxHeap / 1048576, options.episodeHeapBytes() / 1024);
      }
      long first = Math.min(allowed, total / seats);
      for (long i = 0; i < first; i++) {
        launch();
      }
      maybeDone();
      return done;
    }

    /** After a stop: completes once what was started is in, and at the latest when the grace runs out. */
    private void stopping() {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      // the first match of a group not begun yet: every match handed out so far belongs to a group before it
      long g = rollout.options().groupSize();
      stopAt.set((next.get() + g - 1) / g * g);
      CompletableFuture.delayedExecutor(control.graceMillis(), TimeUnit.MILLISECONDS).execute(this::complete);
      maybeDone();
    }

    /** Completes the run when every episode is in, or, after a stop, every episode started. */
    private void maybeDone() {
      long in = taken.get();
      if (in == total || (control.stopped() && in == launched.get() * seats)) {
        complete();
      }
    }

    private synchronized void complete() {
      if (done.isDone()) {
        return;
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      RunSummary summary = stats.summary(seconds, blockedWarnings.sum() - blockedAtStart, chatUsage());
      control.setCut(Math.max(0, launched.get() * seats - taken.get()));
      done.complete(summary);
    }

    private void launch() {
      long candidate = next.getAndIncrement();
      while (candidate < rollout.options().episodes() && control.skip(candidate)) {
        candidate = next.getAndIncrement();
      }
      long i = candidate;
      if (i >= rollout.options().episodes()) {
        return;
      }
      launched.incrementAndGet(); // counted before the check, so a stop racing with it waits for this match
      if (i >= stopAt.get()) {
        // no new group after a stop; the rest of a group already begun still plays, so it can be scored
        launched.decrementAndGet();
        maybeDone();
        return;
      }
      // the first episodes spread over the loops; each later one starts on the loop whose episode just
      // ended, so every loop keeps its share of the cap and no thread has to wake another
      Context current = Vertx.currentContext();
      Context ctx = current != null && contexts.contains(current) ? current : contexts.get((int) (i % contexts.size()));
      for (int s = 0; s < seats; s++) {
        started();
      }
      if (away != null) {
        CompletionStage<List<Episode>> played;
        try {
          played = Objects.requireNonNull(away.play(i), "the match player returned no stage");
        } catch (RuntimeException e) {
          played = CompletableFuture.failedFuture(e);
        }
        played.whenComplete((bySeat, error) -> ctx.runOnContext(v -> {
          if (error != null || bySeat == null || bySeat.size() != seats) {
            playHere(ctx, i); // declined (no worker to play it): this runtime plays it
            return;
          }
          launch();
          for (int s = 0; s < seats; s++) {
            finished(i, s, bySeat.get(s));
          }
        }));
        return;
      }
      playHere(ctx, i);
    }

    private void playHere(Context ctx, long i) {
      if (rollout.environment().multiAgent()) {
        ctx.runOnContext(v -> new MatchDriver(vertx, ctx, rollout, i, blocking).run().onComplete(ar -> {
          launch();
          List<Episode> bySeat = ar.result();
          for (int s = 0; s < bySeat.size(); s++) {
            finished(i, s, bySeat.get(s));
          }
        }));
        return;
      }
      ctx.runOnContext(v -> new EpisodeDriver(vertx, ctx, rollout, i, blocking).run().onComplete(ar -> {
        launch();
        finished(i, 0, ar.result());
      }));
    }

    /**
     * Collects the episode's group (one seat's episodes of the group's matches, in a multi-agent environment);
     * when the group is complete, starts scoring it and, when the scorer's stage completes, delivers every
     * episode on this event loop (at once if the stage is already done).
     */
    private void finished(long index, int seat, Episode episode) {
      int g = rollout.options().groupSize();
      List<Episode> group;
      if (g == 1) {
        group = List.of(episode);
      } else {
        long groupIndex = (index / g) * seats + seat;
        Episode[] members;
        synchronized (groups) {
          members = groups.computeIfAbsent(groupIndex, k -> new Episode[g]);
          members[(int) (index % g)] = episode;
          for (Episode m : members) {
            if (m == null) {
              return;
            }
          }
          groups.remove(groupIndex);
        }
        group = List.of(members);
      }
      CompletionStage<List<Episode>> stage;
      try {
        stage = Objects.requireNonNull(rollout.scorer().score(group), "the scorer returned no stage");
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      Context loop = Vertx.currentContext();
      stage.whenComplete((scored, error) -> {
        List<Episode> out = checked(group, scored, error);
        if (loop == null || Vertx.currentContext() == loop) {
          out.forEach(this::deliver);
        } else {
          loop.runOnContext(v -> out.forEach(this::deliver));
        }
      });
    }

    /** The scored group, or the group failed with the reason when scoring failed. */
    private static List<Episode> checked(List<Episode> group, List<Episode> scored, Throwable error) {
      Throwable cause = error;
      if (cause == null && (scored == null || scored.size() != group.size())) {
        cause = new IllegalStateException("scored " + (scored == null ? "no" : String.valueOf(scored.size())) + " of "
            + group.size() + " episodes");
      }
      if (cause == null) {
        return scored;
      }
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      List<Episode> failed = new ArrayList<>(group.size());
      for (Episode m : group) {
        failed.add(m.status() == EpisodeStatus.FAILED ? m : m.asFailed(dev.ludus.api.FailureKind.SHAPER, "scoring failed: " + cause));
      }
      return failed;
    }

    private void started() {
      try {
        listener.onEpisodeStarted();
      } catch (RuntimeException e) {
        LOG.warn("episode listener failed on a start: {}", e.toString());
      }
    }

    private void deliver(Episode episode) {
      CompletionStage<Void> stage;
      try {
        stage = sink.accept(episode);
      } catch (Throwable t) {
        stage = CompletableFuture.failedFuture(t);
      }
      stage.whenComplete((ok, err) -> {
        if (err != null) {
          stats.sinkFailure(episode, err);
        }
        stats.add(episode);
        try {
          listener.onEpisode(episode);
        } catch (RuntimeException e) {
          LOG.warn("episode listener failed on {}: {}", episode.id(), e.toString());
        }
        taken.incrementAndGet();
        maybeDone();
      });
    }
  }

  /** Running totals of a rollout; synchronized, touched once per episode. */
  static final class Stats {
    private final Map<String, long[]> seatCounts = new java.util.LinkedHashMap<>(); // episodes, failed, successes
    private final Map<String, double[]> seatReturns = new HashMap<>(); // sum over episodes that did not fail
    private final Map<String, String> seatAgents = new HashMap<>();
    private long episodes;
    private long completed;
    private long truncated;
    private long failed;
    private long successes;
    private long turns;
    private long priorTurns;
    private double returnSum;
    private long returnCount;
    private final Map<String, Map<String, double[]>> componentRaw = new java.util.TreeMap<>();
    private double shapedSum;
    private final Map<String, long[]> failureCounts = new HashMap<>();
    private final Map<String, String> failureExamples = new HashMap<>();
    private final Map<String, Long> scoreFailures = new java.util.TreeMap<>();

    Stats(List<String> seats, Rollout rollout) {
      for (String seat : seats) {
        seatCounts.put(seat, new long[3]);
        seatReturns.put(seat, new double[1]);
        seatAgents.put(seat, rollout.seat(seat).name());
      }
    }

    synchronized void add(Episode e) {
      if (e.seat() != null && seatCounts.containsKey(e.seat())) {
        long[] c = seatCounts.get(e.seat());
        c[0]++;
        if (e.status() == EpisodeStatus.FAILED) {
          c[1]++;
        } else {
          seatReturns.get(e.seat())[0] += e.totalReward();
        }
        if (e.success()) {
          c[2]++;
        }
      }
      episodes++;
      turns += e.turns().size();
      if (e.success()) {
        successes++;
      }
      if (e.status() == EpisodeStatus.FAILED) {
        failed++;
        String kind = e.failureKind().label();
        failureCounts.computeIfAbsent(kind, k -> new long[1])[0]++;
        failureExamples.putIfAbsent(kind, e.failure());
      } else {
        if (e.status() == EpisodeStatus.COMPLETED) {
          completed++;
        } else {
          truncated++;
        }
        returnSum += e.totalReward();
        returnCount++;
        for (dev.ludus.api.LedgerEntry l : e.ledger()) {
          if (l.hasFailure()) {
            scoreFailures.merge(l.label(),
                1L, Long::sum);
            continue;
          }
          componentRaw.computeIfAbsent(l.source(), k -> new HashMap<>(4))
              .computeIfAbsent(l.component(), k -> new double[1])[0] += l.raw();
          shapedSum += l.value();
        }
      }
    }

    /** An episode an earlier session stored: counted, but its turns are not this session's throughput. */
    synchronized void addPrior(Episode e) {
      add(e);
      priorTurns += e.turns().size();
    }

    synchronized void sinkFailure(Episode e, Throwable err) {
      String kind = "sink";
      failureCounts.computeIfAbsent(kind, k -> new long[1])[0]++;
      failureExamples.putIfAbsent(kind, "sink failed on " + e.id() + ": " + EpisodeDriver.describe(err));
    }

    synchronized RunSummary summary(double seconds, long blocked,
        Map<String, dev.ludus.api.chat.ChatUsage> llm) {
      List<RunSummary.FailureCount> failures = new ArrayList<>();
      failureCounts.forEach((k, v) -> failures.add(new RunSummary.FailureCount(k, v[0], failureExamples.get(k))));
      failures.sort(Comparator.comparingLong(RunSummary.FailureCount::count).reversed());
      List<RunSummary.FailureCount> top = new ArrayList<>(failures.subList(0, Math.min(RunSummary.TOP_FAILURES,
          failures.size())));
      if (failures.size() > RunSummary.TOP_FAILURES) {
        List<RunSummary.FailureCount> rest = failures.subList(RunSummary.TOP_FAILURES, failures.size());
        top.add(new RunSummary.FailureCount(RunSummary.OTHER_FAILURES, rest.stream()
            .mapToLong(RunSummary.FailureCount::count).sum(), rest.size() + " other kinds; the most frequent: "
            + rest.get(0).example()));
      }
      return new RunSummary(episodes, completed, truncated, failed,
          episodes == 0 ? 0 : (double) successes / episodes,
          returnCount == 0 ? 0 : returnSum / returnCount,
          turns, seconds, seconds > 0 ? (turns - priorTurns) / seconds : 0,
          List.copyOf(top), blocked,
          returnCount == 0 ? 0 : shapedSum / returnCount, componentMeans(), seatSummaries(),
          new java.util.TreeMap<>(scoreFailures), llm);
    }

    private Map<String, RunSummary.SeatSummary> seatSummaries() {
      Map<String, RunSummary.SeatSummary> out = new java.util.LinkedHashMap<>();
      seatCounts.forEach((seat, c) -> {
        long played = c[0] - c[1];
        out.put(seat, new RunSummary.SeatSummary(seatAgents.get(seat), c[0], c[1],
            c[0] == 0 ? 0 : (double) c[2] / c[0], played == 0 ? 0 : seatReturns.get(seat)[0] / played));
      });
      return out;
    }

    private Map<String, Double> componentMeans() {
      Map<String, Double> means = new java.util.TreeMap<>();
      componentRaw.forEach((source, byComponent) -> byComponent.forEach((component, v) ->
          means.put(dev.ludus.api.LedgerEntry.label(source, component),
              returnCount == 0 ? 0 : v[0] / returnCount)));
      return means;
    }
  }

  /** The named chat clients' usage so far (empty before the plugin context exists). */
  private synchronized Map<String, dev.ludus.api.chat.ChatUsage> chatUsage() {
    return plugins == null ? Map.of() : new java.util.TreeMap<>(plugins.chatUsage());
  }

  @Override
  public void close() {
    PluginContext.Owned toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = plugins;
    }
    if (toClose != null) {
      try {
        toClose.close();
      } catch (RuntimeException e) {
        LOG.warn("the plugin context did not close cleanly: {}", e.toString());
      }
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
  }
}
