package dev.ludus.environments.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * A Lucene index over a corpus's passages, in memory, built once per run and shared by every episode
 * (through {@link dev.ludus.api.PluginContext#shared}): BM25 over the text, and, when the run retrieves densely,
 * each passage's embedding in the same documents, searched by Lucene's HNSW vector search with cosine similarity.
 *
 * <p>Design note. As Search-R1's BM25 retriever (Pyserini's {@code LuceneSearcher} over the FlashRAG
 * {@code contents}), one field holds the title line and the text, analysed with Lucene's
 * {@link EnglishAnalyzer} (standard tokenizer, lower-case, English stop words, Porter stemming, the analysis
 * Anserini's default English analyzer also does). A query is a bag of words: each analysed term once, a SHOULD
 * clause each, at most {@value #MAX_TERMS} of them (Lucene refuses very long boolean queries; a longer query
 * keeps its first terms). {@code k1} and {@code b} are always set explicitly (Lucene's own defaults are 1.2 and
 * 0.75; Pyserini's are 0.9 and 0.4). Ties are broken by corpus order, so a search is deterministic. The vectors
 * ({@link PassageEncoder}'s) go in a {@link KnnFloatVectorField} with {@link VectorSimilarityFunction#COSINE}
 * (score {@code (1 + cos) / 2}); a passage whose vector is all zeros gets none (cosine is undefined for it), so
 * dense search never returns it.
 *
 * <p>Thread-safe: searches may run concurrently on worker threads. Searching reads an in-memory index and
 * takes microseconds to a few milliseconds, but it is still blocking work that belongs off the event loop.
 * {@link #close()} releases the index; searching after it fails.
 */
final class PassageIndex implements AutoCloseable {
  static final int MAX_TERMS = 64;
  private static final String CONTENTS = "contents";
  private static final String ORDINAL = "ordinal";
  private static final String VECTOR = "vector";
  /** Lucene 9's largest vector dimension for its default codec. */
  static final int MAX_DIMENSION = 1024;

  /** One result: the passage's position in the corpus, and its BM25 or cosine score. */
  record Hit(int passage, float score) {}

  private final Analyzer analyzer;
  private final ByteBuffersDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final int[] ordinals;
  private final int dimension;

  private PassageIndex(Analyzer analyzer, ByteBuffersDirectory directory, DirectoryReader reader, IndexSearcher searcher,
      int[] ordinals, int dimension) {
    this.analyzer = analyzer;
    this.directory = directory;
    this.reader = reader;
    this.searcher = searcher;
    this.ordinals = ordinals;
    this.dimension = dimension;
  }

  /** Indexes {@code passages} for BM25 only (blocking; linear in the corpus). */
  static PassageIndex build(List<Passage> passages, double k1, double b) {
    return build(passages, k1, b, null);
  }

  /**
   * Indexes {@code passages} for BM25 and, when {@code vectors} is not null, their vectors (one per passage, in
   * order, all of one dimension, at most {@value #MAX_DIMENSION}) for dense search. Blocking.
   */
  static PassageIndex build(List<Passage> passages, double k1, double b, List<float[]> vectors) {
    int dimension = vectors == null ? 0 : checkVectors(passages, vectors);
    Analyzer analyzer = new EnglishAnalyzer();
    ByteBuffersDirectory directory = new ByteBuffersDirectory();
    BM25Similarity similarity = new BM25Similarity((float) k1, (float) b);
    IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(similarity)
        .setRAMBufferSizeMB(64).setCommitOnClose(true);
    try {
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (int i = 0; i < passages.size(); i++) {
          Document doc = new Document();
          doc.add(new TextField(CONTENTS, passages.get(i).contents(), Field.Store.NO));
          doc.add(new StoredField(ORDINAL, i));
          if (vectors != null && !zero(vectors.get(i))) {
            doc.add(new KnnFloatVectorField(VECTOR, vectors.get(i), VectorSimilarityFunction.COSINE));
          }
          writer.addDocument(doc);
        }
        writer.forceMerge(1); // one segment: doc ids in corpus order, so ties break by corpus order
      }
      DirectoryReader reader = DirectoryReader.open(directory);
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(similarity);
      int[] ordinals = new int[reader.maxDoc()];
      var stored = reader.storedFields();
      for (int d = 0; d < ordinals.length; d++) {
        ordinals[d] = stored.document(d).getField(ORDINAL).numericValue().intValue();
      }
      return new PassageIndex(analyzer, directory, reader, searcher, ordinals, dimension);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the passage index: " + e.getMessage(), e);
    }
  }

  private static int checkVectors(List<Passage> passages, List<float[]> vectors) {
    if (vectors.size() != passages.size()) {
      throw new IllegalArgumentException("the encoder gave " + vectors.size() + " vectors for " + passages.size()
          + " passages");
    }
    int dimension = vectors.isEmpty() ? 1 : vectors.get(0).length;
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException("vectors must have 1 to " + MAX_DIMENSION + " dimensions, had " + dimension);
    }
    for (int i = 0; i < vectors.size(); i++) {
      checkVector(vectors.get(i), dimension, "passage " + i);
    }
    return dimension;
  }

  private static void checkVector(float[] v, int dimension, String what) {
    if (v == null || v.length != dimension) {
      throw new IllegalArgumentException("the vector of " + what + " has " + (v == null ? "no" : v.length)
          + " dimensions, not " + dimension);
    }
    for (float f : v) {
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException("the vector of " + what + " holds " + f);
      }
    }
  }

  private static boolean zero(float[] v) {
    for (float f : v) {
      if (f != 0f) {
        return false;
      }
    }
    return true;
  }

  /** The analysed terms of {@code query}, each once, at most {@value #MAX_TERMS}. */
  List<String> terms(String query) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream(CONTENTS, query)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken() && terms.size() < MAX_TERMS) {
        terms.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrayList<>(terms);
  }

  /** The best {@code k} passages for {@code query} by BM25, best first; none when no term of it is indexed. */
  List<Hit> search(String query, int k) {
    List<String> terms = terms(query);
    if (terms.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    for (String t : terms) {
      q.add(new TermQuery(new Term(CONTENTS, t)), BooleanClause.Occur.SHOULD);
    }
    return hits(q.build(), k);
  }

  /**
   * The {@code k} passages whose vectors are nearest {@code vector} by cosine similarity (Lucene's HNSW search),
   * best first; none for a vector of zeros.
   *
   * @throws IllegalStateException if the index holds no vectors
   */
  List<Hit> nearest(float[] vector, int k) {
    if (dimension == 0) {
      throw new IllegalStateException("this index holds no vectors: it was built for BM25 only");
    }
    checkVector(vector, dimension, "the query");
    if (zero(vector)) {
      return List.of();
    }
    return hits(new KnnFloatVectorQuery(VECTOR, vector, k), k);
  }

  private List<Hit> hits(Query query, int k) {
    try {
      ScoreDoc[] docs = searcher.search(query, k).scoreDocs;
      List<Hit> hits = new ArrayList<>(docs.length);
      for (ScoreDoc d : docs) {
        hits.add(new Hit(ordinals[d.doc], d.score));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException("search failed: " + e.getMessage(), e);
    }
  }

  int size() {
    return ordinals.length;
  }

  /** The vectors' dimension, or 0 when the index is for BM25 only. */
  int dimension() {
    return dimension;
  }

  @Override
  public void close() {
    try (directory; analyzer) {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
