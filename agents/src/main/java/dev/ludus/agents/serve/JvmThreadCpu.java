package dev.ludus.agents.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time of the JVM's own threads that {@link java.lang.management.ThreadMXBean} does not list, read from
 * Linux's {@code /proc/self/task} by thread name: the JIT compilers ({@code C1/C2 CompilerThread}) and the garbage
 * collector's and VM's threads ({@code GC Thread#}, {@code G1 ...}, {@code VM Thread}). Zeros elsewhere. For the
 * benchmarks' warm-up and CPU rows ({@code bench serve}, {@code bench llm-users}). Stateless and thread-safe.
 */
public final class JvmThreadCpu {
  private static final Path TASKS = Path.of("/proc/self/task");
  /** Clock ticks per second of {@code /proc}'s times: 100 on every Linux this runs on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private JvmThreadCpu() {}

  /** {JIT compilers, GC and VM} CPU time so far in nanoseconds, at the kernel's tick resolution. */
  public static long[] nanos() {
    long[] out = new long[2];
    if (!Files.isDirectory(TASKS)) {
      return out;
    }
    try (Stream<Path> tasks = Files.list(TASKS)) {
      tasks.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          int group = group(stat.substring(open + 1, close));
          if (group >= 0) {
            String[] f = stat.substring(close + 2).split(" ");
            out[group] += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK; // utime + stime
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      });
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** 0 for a JIT compiler thread, 1 for a GC or VM thread, -1 for any other, by its (15-character) name. */
  static int group(String name) {
    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
      return 0;
    }
    return name.startsWith("GC Thread#") || name.startsWith("G1 ") || name.equals("VM Thread") ? 1 : -1;
  }
}
