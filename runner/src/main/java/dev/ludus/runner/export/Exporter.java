package dev.ludus.runner.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.store.EpisodeReader;
import dev.ludus.runner.train.IterationMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a run's episodes in the layout a Python trainer reads ({@link ExportFormat}): episodes are read one at a
 * time through the episode codec and each becomes its rows at once, streamed to JSON Lines or, through a temporary
 * JSON Lines file, to Parquet by DuckDB ({@link ParquetSink}); nothing holds the run. The paired formats read the
 * file twice ({@link PreferencePairs}). Stateless and thread-safe; one call per export.
 */
public final class Exporter {
  private Exporter() {}

  /** Runs {@code request}, telling {@code listener} its progress; fails with a {@link ConfigException} on bad input. */
  public static ExportResult export(ExportRequest request, ExportListener listener) {
    Path out = request.output();
    if (!Files.isDirectory(request.runDirectory())) {
      throw new ConfigException("run directory '" + request.runDirectory() + "' does not exist; give the directory "
          + "a rollout or training run wrote");
    }
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new ConfigException("--out " + out + " cannot be written: " + e.getMessage());
    }
    return request.format() == ExportFormat.VERL_METRICS ? metrics(request, out, listener)
        : new Run(request, out, listener).episodes();
  }

  /** One export of episodes: its counters and its sink. */
  private static final class Run {
    private final ExportRequest request;
    private final Path out;
    private final ExportListener listener;
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private long read;
    private long taken;

    Run(ExportRequest request, Path out, ExportListener listener) {
      this.request = request;
      this.out = out;
      this.listener = listener;
    }

    ExportResult episodes() {
      Path file = request.runDirectory().resolve("episodes.jsonl");
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("'" + request.runDirectory() + "' has no episodes.jsonl; give the directory a "
            + "rollout or training run wrote");
      }
      ExportFormat format = request.format();
      long lines = countLines(file);
      listener.started(format.pairs() ? 2 * lines : lines);
      EpisodeCodec codec = EpisodeCodec.plain();
      RowSink sink = request.container() == ExportFormat.Container.PARQUET
          ? new ParquetSink(out, ParquetColumns.of(format, request.keys())) : new JsonlSink(out);
      try {
        if (format.pairs()) {
          pairs(file, codec, sink);
        } else {
          each(file, codec, e -> {
            if (request.filter().test(e)) {
              rows(e, taken++, sink);
            }
          });
        }
      } catch (RuntimeException | Error ex) {
        sink.abort();
        throw ex;
      }
      sink.close();
      return new ExportResult(out, read, taken, sink.rows(), skipped);
    }

    private void pairs(Path file, EpisodeCodec codec, RowSink sink) {
      PreferencePairs pairs = new PreferencePairs();
      long[] index = {0};
      each(file, codec, e -> {
        long i = index[0]++;
        if (request.filter().test(e)) {
          taken++;
          pairs.offer(i, e);
        }
      });
      pairs.mine();
      index[0] = 0;
      boolean trl = request.format() == ExportFormat.TRL_PREFERENCE;
      ExportKeys k = trl ? ExportKeys.defaults() : request.keys();
      each(file, codec, e -> pairs.accept(index[0]++, e).ifPresent(p ->
          sink.accept(Rows.pair(k.prompt(), k.chosen(), k.rejected(), p.chosen(), p.rejected()))));
      read /= 2;
      count("pair with tied outcomes", pairs.ties());
      count("pair whose episodes opened differently", pairs.differentOpenings());
    }

    private void rows(Episode e, long index, RowSink sink) {
      switch (request.format()) {
        case VERL_RL -> sink.accept(Rows.verlRl(e, index));
        case SKYRL -> sink.accept(Rows.skyrl(e, index));
        case VERL_SFT -> sink.accept(Rows.verlSft(e, index));
        case TRL_MESSAGES -> sink.accept(Rows.trlMessages(e));
        case OPENRLHF_SFT -> sink.accept(Rows.openRlhfSft(e, request.keys()));
        case TOKENS -> {
          TokenRows.Result r = TokenRows.of(e);
          if (r.skipped() != null) {
            count("episode with " + r.skipped(), 1);
          }
          r.rows().forEach(sink::accept);
        }
        default -> throw new IllegalStateException(request.format().wireName() + " is not a per-episode format");
      }
    }

    private void each(Path file, EpisodeCodec codec, Consumer<Episode> sink) {
      EpisodeReader.forEach(file, codec, e -> {
        read++;
        listener.read();
        sink.accept(e);
      });
    }

    private void count(String reason, long n) {
      if (n > 0) {
        skipped.merge(reason, n, Long::sum);
      }
    }
  }

  /** {@code metrics.jsonl} as verl's file logger writes it: {@code {"step": N, "data": {flat keys}}}. */
  private static ExportResult metrics(ExportRequest request, Path out, ExportListener listener) {
    Path file = request.runDirectory().resolve("metrics.jsonl");
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("'" + request.runDirectory() + "' has no metrics.jsonl; verl-metrics converts a "
          + "training run's metrics (ludus train)");
    }
    EpisodeFilter f = request.filter();
    listener.started(countLines(file));
    long read = 0;
    long taken = 0;
    long step = 0;
    JsonlSink sink = new JsonlSink(out);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        read++;
        listener.read();
        IterationMetrics m = IterationMetrics.read(Json.JSON.readTree(line));
        step = m.plotStep(step);
        int it = m.iteration() == null ? -1 : m.iteration();
        if ((f.minIteration() != null && it < f.minIteration()) || (f.maxIteration() != null && it > f.maxIteration())) {
          continue;
        }
        taken++;
        ObjectNode row = Json.JSON.createObjectNode();
        row.put("step", step);
        ObjectNode data = row.putObject("data");
        m.scalars().forEach(data::put);
        sink.accept(row);
      }
    } catch (IOException e) {
      sink.abort();
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      sink.abort();
      throw e;
    }
    sink.close();
    return new ExportResult(out, read, taken, sink.rows(), Map.of());
  }

  private static long countLines(Path file) {
    long n = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        for (int i = 0; i < r; i++) {
          if (buf[i] == '\n') {
            n++;
          }
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
