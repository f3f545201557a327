package dev.ludus.runner.dashboard;

import dev.ludus.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link Dashboard} shows and where it listens.
 *
 * @param roots run directories, or directories holding run directories (such as {@code runs/}); a directory of runs
 *     is listed again on every request for the runs, so a run that starts after the dashboard appears in it
 * @param port the loopback port to listen on; 0 picks a free one ({@link Dashboard#port()} tells which)
 * @param pollMillis how often the page asks for new data, ms (the page's {@code ?poll=} overrides it)
 */
public record DashboardOptions(List<Path> roots, int port, int pollMillis) {
  /** The default port of {@code ludus dashboard}. */
  public static final int DEFAULT_PORT = 8765;

  /** Fails with a {@link ConfigException} naming a root that is not a directory, or a port outside 0 to 65535. */
  public DashboardOptions {
    roots = List.copyOf(roots);
    if (roots.isEmpty()) {
      throw new ConfigException("name at least one run directory (or a directory of runs, such as runs/)");
    }
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        throw new ConfigException("'" + root + "' is not a directory; name a run directory (with episodes.jsonl, "
            + "metrics.jsonl or summary.json) or a directory of runs, such as runs/");
      }
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("port " + port + " is out of range; allowed: 0 (any free port) to 65535");
    }
    if (pollMillis < 100 || pollMillis > 600_000) {
      throw new ConfigException("poll interval " + pollMillis + " ms is out of range; allowed: 100 to 600000 ms");
    }
  }

  /** {@code roots} on {@code port}, polled every second. */
  public static DashboardOptions of(List<Path> roots, int port) {
    return new DashboardOptions(roots, port, 1000);
  }
}
