package dev.ludus.runner.cluster;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.Registry;
import dev.ludus.api.Seeds;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.runner.config.LlmSection;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.runtime.Scorer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker verticle.
 *
 * <p>Design: one request for work outstanding at a time, for the slots that are free; the coordinator answers with
 * a lease (or holds the request until it has one). The run a lease names is built once, off the event loop, from its
 * description through this worker's registry, on an episode runtime of its own (one per run; the previous run's is
 * closed when its last match ends). A run that cannot be built (an environment, agent or shaper this worker does not
 * have) is refused, with the reason, and the worker serves no match of it. Matches play on the runtime's event loops;
 * their results hop back to this verticle's context, which sends them and asks for more. While no coordinator
 * listens, the worker asks again every {@link #RETRY_MILLIS} ms.
 */
final class Worker extends VerticleBase implements RolloutWorker {
  static final long RETRY_MILLIS = 500;

  /** Builds and closes runs: blocking work, off every event loop. */
  private static final java.util.concurrent.Executor BUILDER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "ludus-worker-build");
    t.setDaemon(true);
    return t;
  });

  private final ClusterNode node;
  private final Registry registry;
  private final String name;
  private final int concurrency;
  private final PrintStream log;
  private final AtomicLong played = new AtomicLong();

  // confined to the verticle's context
  private int inFlight;
  private boolean asking;
  private boolean closed;
  private Built current;
  private final Map<String, String> refusedRuns = new LinkedHashMap<>();
  private boolean toldRefused;

  /** A run this worker can play. */
  private static final class Built {
    final RolloutDescription description;
    final EpisodeRuntime runtime;
    final Rollout rollout;
    final List<Plugins.ConfiguredAgent> agents;
    int inFlight;
    boolean retired;

    Built(RolloutDescription description, EpisodeRuntime runtime, Rollout rollout, List<Plugins.ConfiguredAgent> agents) {
      this.description = description;
      this.runtime = runtime;
      this.rollout = rollout;
      this.agents = agents;
    }

    void close() {
      agents.forEach(Plugins.ConfiguredAgent::close);
      runtime.close();
    }
  }

  private Worker(ClusterNode node, Registry registry, String name, int concurrency, PrintStream log) {
    this.node = node;
    this.registry = registry;
    this.name = name;
    this.concurrency = concurrency;
    this.log = log;
  }

  static Worker start(ClusterOptions options, Registry registry, String name, int concurrency, PrintStream log) {
    if (concurrency < 1 || concurrency > 1_000_000) {
      throw new IllegalArgumentException("--concurrency must be between 1 and 1000000, was " + concurrency);
    }
    ClusterNode node = ClusterNode.start(options, EpisodeCodec.typed(registry));
    Worker w = new Worker(node, registry, name, concurrency, log);
    try {
      node.vertx().deployVerticle(w).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      node.close();
      throw new IllegalStateException("cannot start the worker: " + e, e);
    }
    return w;
  }

  @Override
  public Future<?> start() {
    ask();
    return Future.succeededFuture();
  }

  @Override
  public String nodeId() {
    return node.nodeId();
  }

  @Override
  public long played() {
    return played.get();
  }

  private void ask() {
    if (closed || asking || inFlight >= concurrency) {
      return;
    }
    asking = true;
    DeliveryOptions o = new DeliveryOptions().setSendTimeout(Coordinator.LONG_POLL_MILLIS * 3);
    vertx.eventBus().<Messages.Lease>request(Messages.LEASES,
        new Messages.LeaseRequest(node.nodeId(), name, concurrency - inFlight), o).onComplete(ar -> {
          asking = false;
          if (closed) {
            return;
          }
          if (ar.failed()) {
            // no coordinator yet (no handlers), or it went away: ask again in a while
            if (!(ar.cause() instanceof ReplyException)) {
              log.println("ludus worker: asking for work failed: " + ar.cause());
            }
            vertx.setTimer(RETRY_MILLIS, t -> ask());
            return;
          }
          onLease(ar.result().body());
        });
  }

  private void onLease(Messages.Lease lease) {
    if (lease.refused() != null) {
      if (!toldRefused) {
        toldRefused = true;
        log.println("ludus worker: the coordinator gives this worker no work: " + lease.refused());
      }
      vertx.setTimer(RETRY_MILLIS * 4, t -> ask());
      return;
    }
    toldRefused = false;
    if (lease.items().isEmpty()) {
      ask();
      return;
    }
    RolloutDescription d = lease.description();
    if (refusedRuns.containsKey(d.runId())) {
      refuse(lease, refusedRuns.get(d.runId()));
      return;
    }
    if (current != null && current.description.equals(d)) {
      playAll(current, lease);
      return;
    }
    asking = true; // no new request while the run is built
    // built on a thread of its own, not a Vert.x worker thread: the run's runtime creates a Vert.x of its own
    CompletableFuture.supplyAsync(() -> build(d), BUILDER).whenComplete((built, error) -> context.runOnContext(v -> {
      asking = false;
      if (error != null) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        String reason = "worker " + name + " cannot play run " + d.runId() + ": " + cause.getMessage();
        refusedRuns.put(d.runId(), reason);
        log.println("ludus worker: " + reason);
        refuse(lease, reason);
        return;
      }
      Built previous = current;
      current = built;
      log.println("ludus worker: playing run " + d.runId() + " (" + d.env() + ", agent " + d.agent() + ")");
      if (previous != null) {
        previous.retired = true;
        closeIfIdle(previous);
      }
      playAll(current, lease);
    }));
  }

  private void refuse(Messages.Lease lease, String reason) {
    vertx.eventBus().send(Messages.REFUSALS, new Messages.Refusal(node.nodeId(), lease.id(),
        lease.description().runId(), reason));
    vertx.setTimer(RETRY_MILLIS * 4, t -> ask());
  }

  private Built build(RolloutDescription d) {
    EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry,
        d.llm() == null ? Map.of() : LlmSection.of(d.llm()));
    List<Plugins.ConfiguredAgent> agents = new ArrayList<>();
    try {
      BoundEnvironment env = Plugins.environment(registry, d.env(), d.envConfig() == null ? null
          : d.envConfig().toString()).withContext(runtime.pluginContext()).probe();
      Plugins.ConfiguredAgent agent = Plugins.agent(registry, d.agent(), d.agentConfig() == null ? null
          : d.agentConfig().toString(), env, d.device());
      agents.add(agent);
      Map<String, Rollout.SeatAgent> seats = new LinkedHashMap<>();
      for (Map.Entry<String, RolloutDescription.Seat> s : d.seats().entrySet()) {
        Plugins.ConfiguredAgent a = Plugins.agent(registry, s.getValue().agent(),
            s.getValue().agentConfig() == null ? null : s.getValue().agentConfig().toString(), env, null);
        agents.add(a);
        seats.put(s.getKey(), new Rollout.SeatAgent(a.name(), a.agent()));
      }
      Rollout rollout = new Rollout(d.runId(), env, agent.name(), agent.agent(), d.options(), Scorer.none(), seats);
      return new Built(d, runtime, rollout, agents);
    } catch (RuntimeException e) {
      agents.forEach(Plugins.ConfiguredAgent::close);
      runtime.close();
      throw e;
    }
  }

  private void playAll(Built run, Messages.Lease lease) {
    long groupSize = run.description.options().groupSize();
    long seed = run.description.options().seed();
    for (Messages.LeaseItem item : lease.items()) {
      long i = item.index();
      if (item.task() != i / groupSize || item.seed() != Seeds.mix(seed ^ 0x5DEECE66DL, i)) {
        String reason = "worker " + name + " derives another task or seed for match " + i + " than the coordinator "
            + "(a different Ludus version?)";
        refusedRuns.put(run.description.runId(), reason);
        refuse(lease, reason);
        return;
      }
    }
    for (Messages.LeaseItem item : lease.items()) {
      inFlight++;
      run.inFlight++;
      run.runtime.play(run.rollout, item.index()).whenComplete((episodes, error) -> context.runOnContext(v ->
          finished(run, lease, item.index(), episodes)));
    }
    ask();
  }

  private void finished(Built run, Messages.Lease lease, long index, List<Episode> episodes) {
    inFlight--;
    run.inFlight--;
    if (episodes != null && !closed) {
      vertx.eventBus().send(Messages.RESULTS, new Messages.EpisodeResult(node.nodeId(), lease.id(), index, episodes));
      played.incrementAndGet();
    }
    closeIfIdle(run);
    ask();
  }

  private void closeIfIdle(Built run) {
    if (run.retired && run.inFlight == 0) {
      BUILDER.execute(run::close);
    }
  }

  @Override
  public void close() {
    java.util.concurrent.CompletableFuture<Built> last = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      closed = true;
      last.complete(current);
    });
    Built run = null;
    try {
      run = last.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    node.close();
    if (run != null) {
      run.close();
    }
  }
}
