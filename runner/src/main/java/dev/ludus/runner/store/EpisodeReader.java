package dev.ludus.runner.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ludus.api.Episode;
import dev.ludus.runner.config.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an episode store back. Stateless and thread-safe. */
public final class EpisodeReader {
  private EpisodeReader() {}

  /** Every episode in {@code file}; fails naming the line that is not a valid episode. */
  public static List<Episode> readAll(Path file) {
    List<Episode> episodes = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          Episode e = Json.JSON.readValue(line, Episode.class);
          if (e.schema() > Episode.SCHEMA) {
            throw new IllegalStateException(file + " line " + n + " has schema " + e.schema()
                + "; this Ludus reads schema " + Episode.SCHEMA + " and older");
          }
          episodes.add(e);
        } catch (JsonProcessingException ex) {
          throw new IllegalStateException(file + " line " + n + " is not a valid episode: "
              + ex.getOriginalMessage(), ex);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return episodes;
  }
}
