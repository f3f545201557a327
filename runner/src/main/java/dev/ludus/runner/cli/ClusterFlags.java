package dev.ludus.runner.cli;

import dev.ludus.runner.cluster.ClusterOptions;
import picocli.CommandLine.Option;

/** The options that join a cluster ({@code ludus worker}, and {@code rollout --cluster}). */
public class ClusterFlags {
  @Option(names = "--cluster", paramLabel = "MEMBERS",
      description = "Join a Ludus cluster: Hazelcast members as host:port, comma-separated, one entry per port (e.g. "
          + "127.0.0.1:5701,127.0.0.1:5702).")
  String members;

  @Option(names = "--cluster-name", defaultValue = ClusterOptions.DEFAULT_NAME, paramLabel = "NAME",
      description = "Cluster name: nodes join only a cluster of the same name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--cluster-host", defaultValue = ClusterOptions.DEFAULT_HOST, paramLabel = "ADDRESS",
      description = "The address this node binds and announces for Hazelcast and the event bus (default: "
          + "${DEFAULT-VALUE}; a private-network address to reach other machines).")
  String host;

  @Option(names = "--cluster-port", defaultValue = "" + ClusterOptions.DEFAULT_PORT, paramLabel = "PORT",
      description = "Hazelcast port of this node; the next free one is taken when it is busy (default: "
          + "${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--cluster-bus-port", defaultValue = "0", paramLabel = "PORT",
      description = "Event-bus port of this node (default: ${DEFAULT-VALUE}, any free port).")
  int busPort;

  @Option(names = "--cluster-heartbeat-timeout", defaultValue = ""
      + ClusterOptions.DEFAULT_HEARTBEAT_TIMEOUT_SECONDS, paramLabel = "S",
      description = "Seconds without a heartbeat before a node counts as gone and its leases are handed out again "
          + "(default: ${DEFAULT-VALUE}).")
  int heartbeatTimeout;

  @Option(names = "--cluster-tls-keystore", paramLabel = "FILE.p12",
      description = "Encrypt the event bus with mutual TLS: this node's key and certificate (PKCS#12); the password "
          + "comes from $" + ClusterOptions.TLS_PASSWORD_ENV + ".")
  String tlsKeyStore;

  @Option(names = "--cluster-tls-truststore", paramLabel = "FILE.p12",
      description = "With --cluster-tls-keystore: the certificates of the nodes this one accepts (PKCS#12).")
  String tlsTrustStore;

  /** The options, or null when {@code --cluster} was not given. */
  ClusterOptions options() {
    if (members == null) {
      if (tlsKeyStore != null || tlsTrustStore != null) {
        throw new IllegalArgumentException("--cluster-tls-keystore and --cluster-tls-truststore apply with --cluster "
            + "only");
      }
      return null;
    }
    return new ClusterOptions(name, ClusterOptions.parseMembers(members), host, port, busPort, heartbeatTimeout,
        tlsKeyStore, tlsTrustStore);
  }
}
