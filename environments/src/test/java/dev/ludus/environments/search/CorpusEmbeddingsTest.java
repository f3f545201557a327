package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusEmbeddingsTest {
  static final List<Passage> CORPUS = RetrieverTest.CORPUS;

  /** The trigram encoder under another name, counting what it encodes. */
  static final class Counting implements PassageEncoder {
    final String name;
    int encoded;

    Counting(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int dimension() {
      return HashedTrigramEncoder.DIMENSION;
    }

    @Override
    public List<float[]> encode(List<String> texts) {
      encoded += texts.size();
      return texts.stream().map(HashedTrigramEncoder::vector).toList();
    }
  }

  @Test
  void theCacheIsReadBackInsteadOfEncodingAgain(@TempDir Path dir) throws Exception {
    Counting first = new Counting("trigrams");
    List<float[]> computed = CorpusEmbeddings.of(CORPUS, first, dir);
    assertEquals(CORPUS.size(), first.encoded);
    Counting second = new Counting("trigrams");
    List<float[]> cached = CorpusEmbeddings.of(CORPUS, second, dir);
    assertEquals(0, second.encoded, "read from " + dir);
    for (int i = 0; i < CORPUS.size(); i++) {
      assertArrayEquals(computed.get(i), cached.get(i));
    }
  }

  @Test
  void anotherCorpusOrEncoderHasAnotherKey(@TempDir Path dir) throws Exception {
    String key = CorpusEmbeddings.key(CORPUS, new Counting("trigrams"));
    assertNotEquals(key, CorpusEmbeddings.key(CORPUS.subList(0, 3), new Counting("trigrams")));
    assertNotEquals(key, CorpusEmbeddings.key(CORPUS, new Counting("other")));
    CorpusEmbeddings.of(CORPUS, new Counting("trigrams"), dir);
    Counting other = new Counting("other");
    CorpusEmbeddings.of(CORPUS, other, dir);
    assertEquals(CORPUS.size(), other.encoded);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.count());
    }
  }

  @Test
  void aDamagedCacheFileIsRecomputedAndReplaced(@TempDir Path dir) throws Exception {
    CorpusEmbeddings.of(CORPUS, new Counting("trigrams"), dir);
    Path file;
    try (Stream<Path> files = Files.list(dir)) {
      file = files.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Counting again = new Counting("trigrams");
    CorpusEmbeddings.of(CORPUS, again, dir);
    assertEquals(CORPUS.size(), again.encoded);
    assertEquals(bytes.length, Files.size(file));
  }
}
