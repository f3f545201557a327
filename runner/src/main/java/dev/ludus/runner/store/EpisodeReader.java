package dev.ludus.runner.store;

import dev.ludus.api.Episode;
import dev.ludus.api.Registry;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.api.codec.EpisodeFormatException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an episode store back, one {@link Episode} per line, through an {@link EpisodeCodec}. Without a codec,
 * signal values are plain JSON values ({@link EpisodeCodec#plain()}); give the registry (or a codec typed by
 * keys) to get them back as their keys' types. Stateless and thread-safe.
 *
 * <p>Torn lines: a process killed while the store wrote (kill -9, a crash) can leave the file's last line cut
 * short. A final line that has no newline and is not a valid episode is such a torn line: the readers skip it and
 * report it (a warning in the log, and {@link ReadResult#torn()}); {@link EpisodeStore#openForResume} cuts it
 * off. A line that is not a valid episode anywhere else is an error naming the line: the store never writes one.
 */
public final class EpisodeReader {
  private static final Logger LOG = LoggerFactory.getLogger(EpisodeReader.class);

  private EpisodeReader() {}

  /**
   * What a read found.
   *
   * @param episodes the episodes handed on
   * @param torn the torn final line that was skipped, or null when the file ended with a whole line
   */
  public record ReadResult(long episodes, TornLine torn) {
    /** Whether the file ended with a torn line. */
    public boolean hasTornLine() {
      return torn != null;
    }
  }

  /**
   * A torn final line.
   *
   * @param line its 1-based line number
   * @param offset the byte offset where it starts (the length the file has once it is cut off)
   * @param bytes how many bytes of it reached the file
   */
  public record TornLine(long line, long offset, long bytes) {}

  /** Every episode in {@code file}, signals as plain JSON values; fails naming the line that is not a valid episode. */
  public static List<Episode> readAll(Path file) {
    return readAll(file, EpisodeCodec.plain());
  }

  /**
   * Every episode in {@code file}, each signal value typed by the key its environment (looked up in
   * {@code registry} by the episode's {@code env}) declares; see {@link EpisodeCodec#typed(Registry)}.
   */
  public static List<Episode> readAll(Path file, Registry registry) {
    return readAll(file, EpisodeCodec.typed(registry));
  }

  /**
   * Every episode in {@code file}, read with {@code codec}; a torn final line is skipped with a warning; fails
   * naming any other line that is not a valid episode.
   */
  public static List<Episode> readAll(Path file, EpisodeCodec codec) {
    List<Episode> episodes = new ArrayList<>();
    forEach(file, codec, episodes::add);
    return episodes;
  }

  /**
   * Hands each episode in {@code file} to {@code sink} in file order as it is read, without holding the file in
   * memory (for exporters and large runs). A torn final line is skipped, logged as a warning and returned in the
   * result; any other line that is not a valid episode fails naming the line.
   */
  public static ReadResult forEach(Path file, EpisodeCodec codec, Consumer<? super Episode> sink) {
    ReadResult r = scan(file, codec, sink);
    if (r.hasTornLine()) {
      LOG.warn("{} line {} is torn ({} bytes without a newline: the writer was killed while writing it); skipped",
          file, r.torn().line(), r.torn().bytes());
    }
    return r;
  }

  /** {@link #forEach} without the warning: for callers that report the torn line themselves. */
  static ReadResult scan(Path file, EpisodeCodec codec, Consumer<? super Episode> sink) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
      long n = 0;
      long offset = 0; // where the current line starts
      long position = 0;
      long episodes = 0;
      byte[] buf = new byte[1 << 16];
      int read;
      while ((read = in.read(buf)) > 0) {
        int start = 0;
        for (int i = 0; i < read; i++) {
          if (buf[i] != '\n') {
            continue;
          }
          line.write(buf, start, i - start);
          n++;
          if (decodeLine(file, codec, line, n, sink)) {
            episodes++;
          }
          line.reset();
          start = i + 1;
          offset = position + i + 1;
        }
        line.write(buf, start, read - start);
        position += read;
      }
      if (line.size() > 0) {
        n++;
        byte[] last = line.toByteArray();
        if (!isBlank(last)) {
          Episode e;
          try {
            e = codec.decode(last);
          } catch (EpisodeFormatException torn) {
            return new ReadResult(episodes, new TornLine(n, offset, last.length));
          }
          sink.accept(e);
          episodes++;
        }
      }
      return new ReadResult(episodes, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Decodes one line (without its newline) and hands it on; false for a blank line. */
  private static boolean decodeLine(Path file, EpisodeCodec codec, ByteArrayOutputStream line, long n,
      Consumer<? super Episode> sink) {
    byte[] bytes = line.toByteArray();
    if (isBlank(bytes)) {
      return false;
    }
    Episode e;
    try {
      e = codec.decode(bytes);
    } catch (EpisodeFormatException ex) {
      throw new IllegalStateException(file + " line " + n + " " + ex.reason(), ex);
    }
    sink.accept(e);
    return true;
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
