package dev.ludus.runner.store;

import dev.ludus.api.Episode;
import dev.ludus.api.Registry;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.api.codec.EpisodeFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads an episode store back, one {@link Episode} per line, through an {@link EpisodeCodec}. Without a codec,
 * signal values are plain JSON values ({@link EpisodeCodec#plain()}); give the registry (or a codec typed by
 * keys) to get them back as their keys' types. Stateless and thread-safe.
 */
public final class EpisodeReader {
  private EpisodeReader() {}

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

  /** Every episode in {@code file}, read with {@code codec}; fails naming the line that is not a valid episode. */
  public static List<Episode> readAll(Path file, EpisodeCodec codec) {
    List<Episode> episodes = new ArrayList<>();
    forEach(file, codec, episodes::add);
    return episodes;
  }

  /**
   * Hands each episode in {@code file} to {@code sink} in file order as it is read, without holding the file in
   * memory (for exporters and large runs); fails naming the line that is not a valid episode.
   */
  public static void forEach(Path file, EpisodeCodec codec, Consumer<? super Episode> sink) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        Episode e;
        try {
          e = codec.decode(line);
        } catch (EpisodeFormatException ex) {
          throw new IllegalStateException(file + " line " + n + " " + ex.reason(), ex);
        }
        sink.accept(e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
