package dev.ludus.runner.cluster;

import dev.ludus.api.Episode;
import dev.ludus.api.Registry;
import dev.ludus.api.Seeds;
import dev.ludus.api.codec.EpisodeCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator verticle.
 *
 * <p>Design: pull, not push. A worker asks for work with its free slots (request and reply); the coordinator answers
 * at once with a lease of queued matches, or holds the request (long poll, at most {@link #LONG_POLL_MILLIS}) until
 * matches are queued. Each match the runtime offers ({@link #play}) waits in the queue with its future; the first
 * finished copy completes the future and later copies are dropped and counted, so the store writes each episode
 * once. A lease's unfinished matches go back to the front of the queue when its deadline passes, when its worker
 * leaves the cluster (Hazelcast membership) or refuses the run; when no worker can take work any more, every queued
 * match is declined and the runtime plays it locally. All state is confined to the verticle's event loop: the
 * runtime's and Hazelcast's threads hop onto it; nothing blocks.
 */
final class Coordinator extends VerticleBase implements RolloutCoordinator {
  /** The longest a worker's request for work is held before it is answered with nothing (it asks again). */
  static final long LONG_POLL_MILLIS = 5_000;

  private static final RuntimeException DECLINED = new IllegalStateException("no worker can take the match") {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  };

  private final ClusterNode node;
  private RolloutDescription description; // confined to the verticle's context after start
  private final long leaseTimeoutMillis;
  private final PrintStream log;
  private final CountDownLatch firstWorker = new CountDownLatch(1);

  // confined to the verticle's context
  private final ArrayDeque<Long> queue = new ArrayDeque<>();
  private final Map<Long, CompletableFuture<List<Episode>>> waiting = new HashMap<>();
  private final ArrayDeque<Parked> parked = new ArrayDeque<>();
  private final Map<Long, LeaseState> leases = new HashMap<>();
  private final Map<Long, LeaseState> leaseOf = new HashMap<>();
  private final Map<String, WorkerState> workers = new LinkedHashMap<>();
  private long nextLease = 1;
  private long leasesGranted;
  private long released;
  private long expired;
  private long duplicates;
  private long playedHere;
  private volatile ClusterStats snapshot = new ClusterStats(List.of(), 0, 0, 0, 0, 0, 0, 0, 0);
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  private record Parked(Message<Messages.LeaseRequest> request, long since) {}

  private static final class LeaseState {
    final long id;
    final WorkerState worker;
    final Set<Long> open = new LinkedHashSet<>();
    final long deadline;

    LeaseState(long id, WorkerState worker, long deadline) {
      this.id = id;
      this.worker = worker;
      this.deadline = deadline;
    }
  }

  private static final class WorkerState {
    final String node;
    String name;
    long episodes;
    long leases;
    long duplicates;
    int inFlight;
    long firstLeaseNanos;
    boolean departed;
    String refused;

    WorkerState(String node, String name) {
      this.node = node;
      this.name = name;
    }

    boolean canWork() {
      return !departed && refused == null;
    }
  }

  private Coordinator(ClusterNode node, RolloutDescription description, long leaseTimeoutMillis, PrintStream log) {
    this.node = node;
    this.description = description;
    this.leaseTimeoutMillis = leaseTimeoutMillis;
    this.log = log;
  }

  static Coordinator start(ClusterOptions options, Registry registry, RolloutDescription description,
      long leaseTimeoutMillis, PrintStream log) {
    if (leaseTimeoutMillis < 1) {
      throw new IllegalArgumentException("the lease timeout must be at least 1 ms, was " + leaseTimeoutMillis);
    }
    ClusterNode node = ClusterNode.start(options, EpisodeCodec.typed(registry));
    Coordinator c = new Coordinator(node, description, leaseTimeoutMillis, log);
    try {
      node.vertx().deployVerticle(c).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      node.close();
      throw new IllegalStateException("cannot start the coordinator: " + e, e);
    }
    node.onMemberLeft(id -> c.context.runOnContext(v -> c.departed(id)));
    return c;
  }

  @Override
  public Future<?> start() {
    consumers.add(vertx.eventBus().<Messages.LeaseRequest>consumer(Messages.LEASES, this::onRequest));
    consumers.add(vertx.eventBus().<Messages.EpisodeResult>consumer(Messages.RESULTS, m -> onResult(m.body())));
    consumers.add(vertx.eventBus().<Messages.Refusal>consumer(Messages.REFUSALS, m -> onRefusal(m.body())));
    vertx.setPeriodic(500, t -> tick());
    List<Future<Void>> registered = new ArrayList<>();
    consumers.forEach(c -> registered.add(c.completion()));
    return Future.all(registered);
  }

  @Override
  public CompletionStage<List<Episode>> play(long index) {
    CompletableFuture<List<Episode>> out = new CompletableFuture<>();
    context.runOnContext(v -> {
      if (!anyWorker()) {
        playedHere++;
        out.completeExceptionally(DECLINED);
        return;
      }
      waiting.put(index, out);
      queue.addLast(index);
      dispatch();
    });
    return out;
  }

  @Override
  public void describe(RolloutDescription next) {
    java.util.Objects.requireNonNull(next, "next");
    CompletableFuture<Void> set = new CompletableFuture<>();
    context.runOnContext(v -> {
      description = next;
      set.complete(null);
    });
    set.join(); // before any match of the next run is offered
  }

  @Override
  public int awaitWorkers(int count, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    firstWorker.await(millis, TimeUnit.MILLISECONDS);
    while (snapshot.workers().size() < count && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    return (int) snapshot.workers().stream().filter(w -> w.refused() == null && !w.departed()).count();
  }

  @Override
  public ClusterStats stats() {
    CompletableFuture<ClusterStats> fresh = new CompletableFuture<>();
    context.runOnContext(v -> fresh.complete(snapshot()));
    try {
      return fresh.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return snapshot;
    }
  }

  private boolean anyWorker() {
    for (WorkerState w : workers.values()) {
      if (w.canWork()) {
        return true;
      }
    }
    return false;
  }

  private WorkerState worker(String nodeId, String name) {
    WorkerState w = workers.get(nodeId);
    if (w == null) {
      w = new WorkerState(nodeId, name == null ? nodeId : name);
      workers.put(nodeId, w);
      log.println("ludus cluster: worker " + w.name + " joined (node " + nodeId + ")");
    } else if (name != null) {
      w.name = name;
    }
    return w;
  }

  private void onRequest(Message<Messages.LeaseRequest> m) {
    Messages.LeaseRequest r = m.body();
    WorkerState w = worker(r.node(), r.worker());
    if (w.departed) {
      w.departed = false; // it is back (a member that was declared gone and rejoined)
    }
    if (w.refused != null) {
      m.reply(Messages.Lease.refusedBecause(w.refused));
      return;
    }
    parked.addLast(new Parked(m, System.currentTimeMillis()));
    firstWorker.countDown();
    dispatch();
    refresh();
  }

  /** Answers parked requests with queued matches while both remain. */
  private void dispatch() {
    while (!queue.isEmpty() && !parked.isEmpty()) {
      Parked p = parked.pollFirst();
      Messages.LeaseRequest r = p.request().body();
      WorkerState w = workers.get(r.node());
      if (w == null || !w.canWork()) {
        p.request().reply(w != null && w.refused != null ? Messages.Lease.refusedBecause(w.refused)
            : Messages.Lease.none());
        continue;
      }
      long now = System.currentTimeMillis();
      LeaseState lease = new LeaseState(nextLease++, w, now + leaseTimeoutMillis);
      List<Messages.LeaseItem> items = new ArrayList<>();
      int g = description.options().groupSize();
      while (items.size() < Math.max(1, r.slots()) && !queue.isEmpty()) {
        long i = queue.pollFirst();
        if (!waiting.containsKey(i)) {
          continue; // taken meanwhile (a late copy came in)
        }
        items.add(new Messages.LeaseItem(i, i / g, Seeds.mix(description.options().seed() ^ 0x5DEECE66DL, i), i / g));
        lease.open.add(i);
        leaseOf.put(i, lease);
      }
      if (items.isEmpty()) {
        parked.addFirst(p);
        break;
      }
      leases.put(lease.id, lease);
      leasesGranted++;
      w.leases++;
      w.inFlight += items.size();
      if (w.firstLeaseNanos == 0) {
        w.firstLeaseNanos = System.nanoTime();
      }
      p.request().reply(new Messages.Lease(lease.id, null, description, items, lease.deadline));
    }
    refresh();
  }

  private void onResult(Messages.EpisodeResult r) {
    WorkerState from = workers.get(r.node());
    if (description == null || r.episodes().isEmpty()
        || !r.episodes().get(0).id().startsWith(description.runId() + "-")) {
      duplicates++; // a late match of an earlier run (a trainer's previous iteration)
      if (from != null) {
        from.duplicates++;
      }
      refresh();
      return;
    }
    CompletableFuture<List<Episode>> future = waiting.remove(r.index());
    LeaseState lease = leaseOf.remove(r.index());
    if (lease != null) {
      lease.open.remove(r.index());
      lease.worker.inFlight--;
      if (lease.open.isEmpty()) {
        leases.remove(lease.id);
      }
    }
    if (future == null) {
      duplicates++;
      if (from != null) {
        from.duplicates++;
      }
      refresh();
      return;
    }
    queue.remove(r.index()); // it may have been queued again after its lease expired
    if (from != null) {
      from.episodes++;
    }
    future.complete(r.episodes());
    refresh();
  }

  private void onRefusal(Messages.Refusal r) {
    WorkerState w = worker(r.node(), null);
    if (w.refused == null) {
      w.refused = r.reason();
      log.println("ludus cluster: worker " + w.name + " refused the run: " + r.reason() + "; its matches go to the "
          + "other workers");
    }
    requeue(w);
  }

  private void departed(String nodeId) {
    WorkerState w = workers.get(nodeId);
    if (w == null || w.departed) {
      return;
    }
    w.departed = true;
    log.println("ludus cluster: worker " + w.name + " left the cluster; its " + w.inFlight
        + " unfinished matches are handed out again");
    requeue(w);
  }

  /** Hands out again every unfinished match leased to {@code w}; declines the queue if no worker is left. */
  private void requeue(WorkerState w) {
    for (Iterator<LeaseState> it = leases.values().iterator(); it.hasNext(); ) {
      LeaseState lease = it.next();
      if (lease.worker == w) {
        release(lease);
        it.remove();
      }
    }
    parked.removeIf(p -> p.request().body().node().equals(w.node) && replyNone(p));
    afterRelease();
  }

  private static boolean replyNone(Parked p) {
    p.request().reply(Messages.Lease.none());
    return true;
  }

  private void release(LeaseState lease) {
    List<Long> open = new ArrayList<>(lease.open);
    for (int k = open.size() - 1; k >= 0; k--) {
      long i = open.get(k);
      leaseOf.remove(i);
      if (waiting.containsKey(i)) {
        queue.addFirst(i);
        released++;
      }
    }
    lease.worker.inFlight -= open.size();
    lease.open.clear();
  }

  private void afterRelease() {
    if (!anyWorker()) {
      while (!queue.isEmpty()) {
        CompletableFuture<List<Episode>> f = waiting.remove(queue.pollFirst());
        if (f != null) {
          playedHere++;
          f.completeExceptionally(DECLINED);
        }
      }
    }
    dispatch();
  }

  /** Expires leases past their deadline and answers requests held too long. */
  private void tick() {
    long now = System.currentTimeMillis();
    boolean any = false;
    for (Iterator<LeaseState> it = leases.values().iterator(); it.hasNext(); ) {
      LeaseState lease = it.next();
      if (lease.deadline <= now) {
        expired++;
        log.println("ludus cluster: lease " + lease.id + " of worker " + lease.worker.name + " ran past its deadline "
            + "(" + leaseTimeoutMillis + " ms); its " + lease.open.size() + " unfinished matches are handed out again");
        release(lease);
        it.remove();
        any = true;
      }
    }
    while (!parked.isEmpty() && now - parked.peekFirst().since() >= LONG_POLL_MILLIS) {
      replyNone(parked.pollFirst());
    }
    if (any) {
      afterRelease();
    }
    refresh();
  }

  private void refresh() {
    snapshot = snapshot();
  }

  private ClusterStats snapshot() {
    List<ClusterStats.WorkerStats> out = new ArrayList<>();
    long now = System.nanoTime();
    for (WorkerState w : workers.values()) {
      double seconds = w.firstLeaseNanos == 0 ? 0 : (now - w.firstLeaseNanos) / 1e9;
      out.add(new ClusterStats.WorkerStats(w.name, w.node, w.episodes, seconds > 0 ? w.episodes / seconds : 0,
          w.inFlight, w.leases, w.duplicates, w.departed, w.refused));
    }
    WireStats wire = node.wire();
    return new ClusterStats(out, leasesGranted, released, expired, duplicates, playedHere, wire.bytesIn.sum(),
        wire.bytesOut.sum(), wire.codecNanos.sum() / 1_000);
  }

  @Override
  public String progressLine() {
    return snapshot.progressLine();
  }

  @Override
  public void close() {
    node.close();
  }
}
