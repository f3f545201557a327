package dev.ludus.runner.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.ludus.api.codec.EpisodeCodec;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import java.util.List;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One clustered Vert.x instance: Hazelcast over TCP on the options' host (multicast, auto-detection and phone-home
 * off; the member list as given), the event bus on the same host, and the cluster's codecs registered. Separate from
 * the episode runtime's own Vert.x, which stays local. Life-cycle: {@link #start} (blocks: never on an event loop),
 * then {@link #close}, which leaves the cluster.
 */
final class ClusterNode implements AutoCloseable {
  /** The Hazelcast member attribute in which vertx-hazelcast keeps a node's Vert.x node id. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final WireStats wire = new WireStats();

  private ClusterNode(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /** Joins the cluster; {@code episodes} decodes the episodes this node receives. */
  static ClusterNode start(ClusterOptions options, EpisodeCodec episodes) {
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j"); // also for what Hazelcast logs before it reads cfg
    }
    Config cfg = ConfigUtil.loadConfig();
    cfg.setClusterName(options.name());
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    cfg.setProperty("hazelcast.socket.bind.any", "false");
    cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
    cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
    cfg.setProperty("hazelcast.logging.type", "slf4j");
    cfg.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    cfg.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(options.heartbeatTimeoutSeconds()));
    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(options.port()).setPortAutoIncrement(true).setPortCount(100);
    net.getInterfaces().setEnabled(true).addInterface(options.host());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    options.members().forEach(m -> join.getTcpIpConfig().addMember(m));
    HazelcastClusterManager manager = new HazelcastClusterManager(cfg);
    EventBusOptions bus = new EventBusOptions().setHost(options.host()).setPort(options.busPort());
    if (options.tls()) {
      String password = ClusterOptions.tlsPassword();
      if (password == null) {
        throw new dev.ludus.api.ConfigException("cluster TLS: set the key and trust stores' password in $"
            + ClusterOptions.TLS_PASSWORD_ENV);
      }
      for (String file : List.of(options.tlsKeyStore(), options.tlsTrustStore())) {
        if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
          throw new dev.ludus.api.ConfigException("cluster TLS: cannot read '" + file + "' (a PKCS#12 file)");
        }
      }
      // mutual TLS: every node presents its certificate and accepts only peers its trust store names
      bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(new PfxOptions().setPath(options.tlsKeyStore()).setPassword(password))
          .setTrustOptions(new PfxOptions().setPath(options.tlsTrustStore()).setPassword(password));
    }
    VertxOptions vo = new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2).setEventBusOptions(bus);
    Vertx vertx;
    try {
      vertx = Vertx.builder().with(vo).withClusterManager(manager).buildClustered()
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot join cluster '" + options.name() + "' at " + options.host() + " (members "
          + String.join(",", options.members()) + "): " + e, e);
    }
    ClusterNode node = new ClusterNode(vertx, manager);
    Codecs.register(vertx.eventBus(), episodes, node.wire);
    return node;
  }

  Vertx vertx() {
    return vertx;
  }

  /** This node's id in the cluster (Vert.x's, which vertx-hazelcast keeps as a member attribute). */
  String nodeId() {
    return manager.getNodeId();
  }

  /** How many members the cluster has now, this one included. */
  int members() {
    return manager.getNodes().size();
  }

  WireStats wire() {
    return wire;
  }

  /** Calls {@code left} with the node id of every member that leaves the cluster (gone, killed or shut down). */
  void onMemberLeft(Consumer<String> left) {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        // Vert.x names a node by the member attribute it sets when it joins, not by the member's UUID
        String id = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
        left.accept(id != null ? id : event.getMember().getUuid().toString());
      }
    });
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(ClusterNode.class).warn("leaving the cluster did not finish cleanly: {}",
          e.toString());
    }
  }
}
