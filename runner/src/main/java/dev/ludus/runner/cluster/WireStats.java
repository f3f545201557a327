package dev.ludus.runner.cluster;

import java.util.concurrent.atomic.LongAdder;

/** What one node's cluster codecs wrote and read: bytes and the CPU time spent encoding and decoding. Thread-safe. */
final class WireStats {
  final LongAdder bytesOut = new LongAdder();
  final LongAdder bytesIn = new LongAdder();
  final LongAdder codecNanos = new LongAdder();
}
