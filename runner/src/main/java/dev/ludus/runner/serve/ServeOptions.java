package dev.ludus.runner.serve;

import dev.ludus.api.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How {@code ludus serve-env} listens and keeps its sessions. Immutable; validated on construction (a
 * {@link ConfigException} names the bad value and what is allowed).
 *
 * @param host the address to bind; a non-loopback one needs a {@code token}
 * @param port the port (0: any free port)
 * @param token the bearer token every request but {@code GET /health} must carry ({@code Authorization: Bearer
 *     TOKEN}), or null for none (loopback only)
 * @param maxSessions WebSocket sessions at once; one more is answered {@code CAPACITY_REACHED} (default 256, a
 *     trainer's generation batch, where OpenEnv defaults to 1)
 * @param idleTimeoutMillis a session that sends no message for this long is closed by the reaper
 * @param messageTimeoutMillis the deadline of one message: a reset, step or reward that takes longer is answered
 *     with an error and its session closed (its environment may still be running)
 * @param pingIntervalMillis how often the server pings each WebSocket; a peer that answers no ping (nor sends
 *     anything) for three intervals is dropped, which frees its slot (OpenEnv PR#1000's half-open connections)
 * @param maxMessageBytes the largest WebSocket message or HTTP body accepted
 * @param seed the run seed that task indices are mixed with
 * @param blocking run a synchronous environment's calls on worker threads even if its provider does not say they
 *     block
 */
public record ServeOptions(String host, int port, String token, int maxSessions, long idleTimeoutMillis,
    long messageTimeoutMillis, long pingIntervalMillis, int maxMessageBytes, long seed, boolean blocking) {

  public ServeOptions {
    if (host == null || host.isBlank()) {
      throw new ConfigException("--host must name an address, e.g. 127.0.0.1");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("--port must be 0 to 65535, was " + port);
    }
    if (token != null && token.isBlank()) {
      throw new ConfigException("--token must not be blank");
    }
    if (maxSessions < 1) {
      throw new ConfigException("--max-sessions must be at least 1, was " + maxSessions);
    }
    if (idleTimeoutMillis < 1 || messageTimeoutMillis < 1 || pingIntervalMillis < 1) {
      throw new ConfigException("--idle-timeout, --message-timeout and --ping-interval must be at least 1 ms");
    }
    if (maxMessageBytes < 1024) {
      throw new ConfigException("--max-message-bytes must be at least 1024, was " + maxMessageBytes);
    }
    if (token == null && !loopback(host)) {
      throw new ConfigException("--host " + host + " exposes the server beyond this machine; give --token TOKEN "
          + "too (clients then send 'Authorization: Bearer TOKEN'), or bind a loopback address such as 127.0.0.1");
    }
  }

  /** Loopback, port 8000, no token, 256 sessions, a 15-minute idle reaper, 60 s per message, pings every 20 s, 1 MiB. */
  public static ServeOptions defaults() {
    return new ServeOptions("127.0.0.1", 8000, null, 256, 900_000, 60_000, 20_000, 1 << 20, 0, false);
  }

  public ServeOptions withPort(int port) {
    return new ServeOptions(host, port, token, maxSessions, idleTimeoutMillis, messageTimeoutMillis,
        pingIntervalMillis, maxMessageBytes, seed, blocking);
  }

  public ServeOptions withHost(String host, String token) {
    return new ServeOptions(host, port, token, maxSessions, idleTimeoutMillis, messageTimeoutMillis,
        pingIntervalMillis, maxMessageBytes, seed, blocking);
  }

  public ServeOptions withMaxSessions(int maxSessions) {
    return new ServeOptions(host, port, token, maxSessions, idleTimeoutMillis, messageTimeoutMillis,
        pingIntervalMillis, maxMessageBytes, seed, blocking);
  }

  public ServeOptions withTimeouts(long idleTimeoutMillis, long messageTimeoutMillis, long pingIntervalMillis) {
    return new ServeOptions(host, port, token, maxSessions, idleTimeoutMillis, messageTimeoutMillis,
        pingIntervalMillis, maxMessageBytes, seed, blocking);
  }

  public ServeOptions withMaxMessageBytes(int maxMessageBytes) {
    return new ServeOptions(host, port, token, maxSessions, idleTimeoutMillis, messageTimeoutMillis,
        pingIntervalMillis, maxMessageBytes, seed, blocking);
  }

  public ServeOptions withSeed(long seed, boolean blocking) {
    return new ServeOptions(host, port, token, maxSessions, idleTimeoutMillis, messageTimeoutMillis,
        pingIntervalMillis, maxMessageBytes, seed, blocking);
  }

  /** Whether {@code host} names this machine only (127.0.0.0/8, ::1, localhost). */
  static boolean loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
