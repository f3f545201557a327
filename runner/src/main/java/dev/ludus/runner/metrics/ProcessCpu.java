package dev.ludus.runner.metrics;

import java.lang.management.ManagementFactory;

/** The JVM process's CPU time, for the figures runs and benchmarks report. Stateless and thread-safe. */
public final class ProcessCpu {
  private ProcessCpu() {}

  /** The process's CPU time (user and system, every thread, native ones included), or 0 where the JVM does not say. */
  public static long nanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime()) : 0;
  }
}
