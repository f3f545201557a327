package dev.ludus.runner.tensorboard;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes a TensorBoard event file of scalars ({@code events.out.tfevents.<epoch seconds>.<host>} in a directory), so
 * that {@code tensorboard --logdir} shows them: TFRecord framing with masked CRC32C ({@link TfRecord}) around
 * hand-encoded {@code Event} messages ({@link EventProto}), the first one giving the file version.
 *
 * <p>Not thread-safe: one writer thread. Life-cycle: {@link #open}, any number of {@link #scalars} (each flushed, so
 * TensorBoard sees it while the run goes on), {@link #close}. Each open makes a new file; TensorBoard reads every
 * file of a directory (a resumed run adds one).
 */
public final class EventFileWriter implements AutoCloseable {
  private final Path file;
  private final OutputStream out;

  private EventFileWriter(Path file) throws IOException {
    this.file = file;
    this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE));
    write(EventProto.fileVersion(now()));
  }

  /** Creates {@code directory} if needed and a new event file in it. */
  public static EventFileWriter open(Path directory) {
    try {
      Files.createDirectories(directory);
      String base = "events.out.tfevents." + (System.currentTimeMillis() / 1000) + "." + host();
      Path file = directory.resolve(base);
      for (int i = 2; Files.exists(file); i++) {
        file = directory.resolve(base + "." + i);
      }
      return new EventFileWriter(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a TensorBoard event file in " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  /** One event at {@code step} holding every value of {@code values} under its tag, in iteration order; flushed. */
  public void scalars(long step, Map<String, Double> values) {
    write(EventProto.scalars(now(), step, values.entrySet()));
  }

  private void write(byte[] event) {
    try {
      out.write(TfRecord.frame(event));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the TensorBoard event file " + file, e);
    }
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the TensorBoard event file " + file, e);
    }
  }
}
