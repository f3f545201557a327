package dev.ludus.runner.dashboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the complete lines a JSON Lines file gained past an offset, in bounded memory, so that a file another
 * process is still appending to is tailed without ever reading a half-written line. Stateless.
 */
final class Lines {
  private Lines() {}

  /** Receives one complete line: its byte offset in the file and its bytes (without the newline). */
  interface Sink {
    void line(long start, byte[] bytes, int offset, int length);
  }

  /** What {@link #read} returns when the file is shorter than the offset: it was truncated or replaced. */
  static final long SHRUNK = -1;

  /**
   * Hands every complete line of {@code file} from byte {@code from} on to {@code sink} in order, and returns the
   * offset just past the last complete line (a line not yet ended by a newline is left for the next call), or
   * {@link #SHRUNK}.
   */
  static long read(Path file, long from, Sink sink) throws IOException {
    return read(file, from, Long.MAX_VALUE, sink);
  }

  /**
   * As {@link #read(Path, long, Sink)}, but stops at the end of a line once about {@code budget} bytes were read (a
   * line longer than the budget is still read whole), so that a caller can index a large file a step at a time.
   */
  static long read(Path file, long from, long budget, Sink sink) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < from) {
        return SHRUNK;
      }
      long limit = budget >= size - from ? size : from + budget;
      byte[] buf = new byte[1 << 16];
      int filled = 0;
      long bufStart = from; // file offset of buf[0]
      long pos = from;
      int scanned = 0;
      while (pos < size) {
        if (filled == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
        }
        int n = ch.read(ByteBuffer.wrap(buf, filled, (int) Math.min(buf.length - filled, size - pos)), pos);
        if (n <= 0) {
          break;
        }
        pos += n;
        filled += n;
        int start = 0;
        for (int i = scanned; i < filled; i++) {
          if (buf[i] == '\n') {
            int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
            sink.line(bufStart + start, buf, start, end - start);
            start = i + 1;
            if (bufStart + start >= limit && limit < size) {
              return bufStart + start; // the budget is spent, at a line's end
            }
          }
        }
        System.arraycopy(buf, start, buf, 0, filled - start);
        filled -= start;
        bufStart += start;
        scanned = filled;
      }
      return bufStart;
    }
  }
}
