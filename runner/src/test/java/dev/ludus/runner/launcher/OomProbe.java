package dev.ludus.runner.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * A program that runs out of heap the way a stuck run did: a worker thread dies of {@link OutOfMemoryError} while
 * the main thread waits for work that never comes. Without the launcher's options it would hang forever.
 */
public final class OomProbe {
  private OomProbe() {}

  public static void main(String[] args) throws Exception {
    List<byte[]> hoard = new ArrayList<>();
    Thread worker = new Thread(() -> {
      while (true) {
        hoard.add(new byte[1 << 20]);
      }
    }, "hoarder");
    worker.start();
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
