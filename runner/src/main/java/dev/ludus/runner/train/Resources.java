package dev.ludus.runner.train;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a run opened, closed in the reverse order as one try-with-resources would close them: the first failure is
 * thrown with the later ones suppressed into it. Lets a run open its parts one after another in a flat block instead
 * of nesting a try per part. Not thread-safe.
 */
final class Resources implements AutoCloseable {
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  /** Takes {@code resource} to close, and returns it. */
  <T extends AutoCloseable> T add(T resource) {
    open.push(resource);
    return resource;
  }

  @Override
  public void close() throws IOException {
    Throwable first = null;
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Throwable t) {
        if (first == null) {
          first = t;
        } else {
          first.addSuppressed(t);
        }
      }
    }
    if (first instanceof IOException io) {
      throw io;
    }
    if (first instanceof RuntimeException r) {
      throw r;
    }
    if (first instanceof Error e) {
      throw e;
    }
    if (first != null) {
      throw new IllegalStateException("closing a training run's resources failed: " + first, first);
    }
  }
}
