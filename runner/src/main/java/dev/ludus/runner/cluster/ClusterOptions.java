package dev.ludus.runner.cluster;

import dev.ludus.api.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a node joins a Ludus cluster (Vert.x on Hazelcast, TCP only: no multicast, no auto-detection, no phone-home).
 * Validated on construction. Immutable.
 *
 * @param name the cluster name: nodes join only a cluster of the same name (default {@value #DEFAULT_NAME})
 * @param members Hazelcast member addresses {@code host:port} that a node tries when it joins, one entry per port
 *     (at least one; the node's own address may be among them)
 * @param host the address this node binds and announces, for Hazelcast and for the event bus (default
 *     {@value #DEFAULT_HOST}: loopback, so a cluster on one machine; a private-network address across machines)
 * @param port the Hazelcast port this node binds (default {@value #DEFAULT_PORT}); when it is taken the next free
 *     one up to {@code port + 99} is used, so several nodes on one machine can share the default
 * @param busPort the event-bus port (TCP, node to node); 0 (the default) takes any free port
 * @param heartbeatTimeoutSeconds how long without a heartbeat before Hazelcast declares a member gone, which re-leases
 *     its episodes (default {@value #DEFAULT_HEARTBEAT_TIMEOUT_SECONDS}; Hazelcast's own default is 60)
 * @param tlsKeyStore a PKCS#12 file with this node's key and certificate: the event bus then speaks TLS and requires
 *     the other side's certificate (mutual authentication); null for plain TCP. Its password (and the trust store's)
 *     is read from the environment variable {@value #TLS_PASSWORD_ENV}, never from the command line
 * @param tlsTrustStore a PKCS#12 file with the certificates this node trusts (required with {@code tlsKeyStore})
 */
public record ClusterOptions(String name, List<String> members, String host, int port, int busPort,
    int heartbeatTimeoutSeconds, String tlsKeyStore, String tlsTrustStore) {
  /** The environment variable that holds the password of the TLS key and trust stores. */
  public static final String TLS_PASSWORD_ENV = "LUDUS_CLUSTER_TLS_PASSWORD";

  public static final String DEFAULT_NAME = "ludus";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final int DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 10;

  public ClusterOptions {
    if (name == null || name.isBlank()) {
      throw new ConfigException("cluster name must not be empty");
    }
    if (members == null || members.isEmpty()) {
      throw new ConfigException("cluster members: name at least one Hazelcast member as host:port, e.g. "
          + "127.0.0.1:5701,127.0.0.1:5702");
    }
    for (String m : members) {
      checkMember(m);
    }
    members = List.copyOf(members);
    if (host == null || host.isBlank()) {
      throw new ConfigException("cluster host must not be empty (default " + DEFAULT_HOST + ")");
    }
    if (port < 1 || port > 65_535 - 99) {
      throw new ConfigException("cluster port must be between 1 and 65436, was " + port);
    }
    if (busPort < 0 || busPort > 65_535) {
      throw new ConfigException("cluster event-bus port must be between 0 (any free port) and 65535, was " + busPort);
    }
    if (heartbeatTimeoutSeconds < 2 || heartbeatTimeoutSeconds > 3_600) {
      throw new ConfigException("cluster heartbeat timeout must be between 2 and 3600 s, was "
          + heartbeatTimeoutSeconds);
    }
    if ((tlsKeyStore == null) != (tlsTrustStore == null)) {
      throw new ConfigException("cluster TLS needs both a key store and a trust store (PKCS#12 files), was key store "
          + tlsKeyStore + ", trust store " + tlsTrustStore);
    }
  }

  /** Options without TLS. */
  public ClusterOptions(String name, List<String> members, String host, int port, int busPort,
      int heartbeatTimeoutSeconds) {
    this(name, members, host, port, busPort, heartbeatTimeoutSeconds, null, null);
  }

  /** The system property read for the TLS password when the environment variable is not set (an embedding JVM). */
  public static final String TLS_PASSWORD_PROPERTY = "ludus.cluster.tlsPassword";

  /** The TLS stores' password: {@value #TLS_PASSWORD_ENV}, else the system property {@value #TLS_PASSWORD_PROPERTY}. */
  public static String tlsPassword() {
    String env = System.getenv(TLS_PASSWORD_ENV);
    return env != null ? env : System.getProperty(TLS_PASSWORD_PROPERTY);
  }

  /** Whether the event bus speaks TLS. */
  public boolean tls() {
    return tlsKeyStore != null;
  }

  /** Options with the defaults and {@code members}. */
  public static ClusterOptions of(List<String> members) {
    return new ClusterOptions(DEFAULT_NAME, members, DEFAULT_HOST, DEFAULT_PORT, 0, DEFAULT_HEARTBEAT_TIMEOUT_SECONDS);
  }

  /**
   * The member list of a flag: {@code host:port} entries separated by commas. A range ({@code 5701-5703}) is refused:
   * Hazelcast 5.3 does not read it; list one entry per port.
   */
  public static List<String> parseMembers(String text) {
    if (text == null || text.isBlank()) {
      throw new ConfigException("--cluster: name the members as host:port[,host:port...], e.g. 127.0.0.1:5701");
    }
    List<String> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String m = part.strip();
      if (!m.isEmpty()) {
        checkMember(m);
        out.add(m);
      }
    }
    if (out.isEmpty()) {
      throw new ConfigException("--cluster: name the members as host:port[,host:port...], e.g. 127.0.0.1:5701");
    }
    return out;
  }

  private static void checkMember(String m) {
    int colon = m == null ? -1 : m.lastIndexOf(':');
    String port = colon < 0 ? "" : m.substring(colon + 1);
    if (colon <= 0 || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
        || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
      throw new ConfigException("cluster member '" + m + "' is not host:port (a port from 1 to 65535, one entry per "
          + "port: write 127.0.0.1:5701,127.0.0.1:5702, not a range)");
    }
  }
}
