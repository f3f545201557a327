package dev.ludus.environments.search;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The vectors of a corpus's passages ({@link Passage#contents()}) by one encoder, computed in batches and,
 * when a cache directory is given, kept there for the next run.
 *
 * <p>Design note. A cache file is named for the encoder and a SHA-256 of the encoder's name and dimension and
 * every passage's contents in order, so a changed corpus or another encoder never reads stale vectors; it holds
 * a magic number, the count, the dimension and the floats, and is written to a temporary file then moved into
 * place, so concurrent runs at worst compute the same vectors twice. A file that does not match (truncated,
 * another count) is recomputed and replaced. Stateless; blocking.
 */
final class CorpusEmbeddings {
  static final int BATCH = 32;
  private static final int MAGIC = 0x4C564543; // "LVEC"

  private CorpusEmbeddings() {}

  /** One vector per passage, in order, from the cache in {@code cacheDir} (null: none) or from {@code encoder}. */
  static List<float[]> of(List<Passage> passages, PassageEncoder encoder, Path cacheDir) {
    if (cacheDir == null) {
      return encode(passages, encoder);
    }
    Path file = cacheDir.resolve(encoder.name() + "-" + key(passages, encoder) + ".vectors");
    List<float[]> cached = read(file, passages.size(), encoder.dimension());
    if (cached != null) {
      return cached;
    }
    List<float[]> vectors = encode(passages, encoder);
    write(file, vectors, encoder.dimension());
    return vectors;
  }

  static List<float[]> encode(List<Passage> passages, PassageEncoder encoder) {
    List<float[]> out = new ArrayList<>(passages.size());
    for (int from = 0; from < passages.size(); from += BATCH) {
      List<String> texts = passages.subList(from, Math.min(passages.size(), from + BATCH)).stream()
          .map(Passage::contents).toList();
      List<float[]> batch = encoder.encode(texts);
      if (batch.size() != texts.size()) {
        throw new IllegalStateException("encoder " + encoder.name() + " returned " + batch.size() + " vectors for "
            + texts.size() + " texts");
      }
      for (float[] v : batch) {
        if (v == null || v.length != encoder.dimension()) {
          throw new IllegalStateException("encoder " + encoder.name() + " returned a vector of " + (v == null ? "no"
              : v.length) + " dimensions; it declares " + encoder.dimension());
        }
        out.add(v);
      }
    }
    return out;
  }

  /** The cache key: hex SHA-256 (first 24 digits) of the encoder's name and dimension and the contents. */
  static String key(List<Passage> passages, PassageEncoder encoder) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((encoder.name() + "\n" + encoder.dimension() + "\n").getBytes(StandardCharsets.UTF_8));
      for (Passage p : passages) {
        sha.update(p.contents().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<float[]> read(Path file, int count, int dimension) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC || in.readInt() != count || in.readInt() != dimension) {
        return null;
      }
      List<float[]> vectors = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
          v[d] = in.readFloat();
        }
        vectors.add(v);
      }
      return in.read() == -1 ? vectors : null;
    } catch (IOException e) {
      return null; // truncated or unreadable: recompute
    }
  }

  private static void write(Path file, List<float[]> vectors, int dimension) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
          out.writeInt(MAGIC);
          out.writeInt(vectors.size());
          out.writeInt(dimension);
          for (float[] v : vectors) {
            for (float f : v) {
              out.writeFloat(f);
            }
          }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedding cache " + file + ": " + e.getMessage(), e);
    }
  }
}
