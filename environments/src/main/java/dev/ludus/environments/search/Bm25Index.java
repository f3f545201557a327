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
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * A Lucene BM25 index over a corpus's passages, in memory, built once per run and shared by every episode
 * (through {@link dev.ludus.api.PluginContext#shared}).
 *
 * <p>Design note. As Search-R1's BM25 retriever (Pyserini's {@code LuceneSearcher} over the FlashRAG
 * {@code contents}), one field holds the title line and the text, analysed with Lucene's
 * {@link EnglishAnalyzer} (standard tokenizer, lower-case, English stop words, Porter stemming, the analysis
 * Anserini's default English analyzer also does). A query is a bag of words: each analysed term once, a SHOULD
 * clause each, at most {@value #MAX_TERMS} of them (Lucene refuses very long boolean queries; a longer query
 * keeps its first terms). {@code k1} and {@code b} are always set explicitly (Lucene's own defaults are 1.2 and
 * 0.75; Pyserini's are 0.9 and 0.4). Ties are broken by corpus order, so a search is deterministic.
 *
 * <p>Thread-safe: searches may run concurrently on worker threads. Searching reads an in-memory index and
 * takes microseconds to a few milliseconds, but it is still blocking work that belongs off the event loop.
 * {@link #close()} releases the index; searching after it fails.
 */
final class Bm25Index implements AutoCloseable {
  static final int MAX_TERMS = 64;
  private static final String CONTENTS = "contents";
  private static final String ORDINAL = "ordinal";

  /** One result: the passage's position in the corpus, and its BM25 score. */
  record Hit(int passage, float score) {}

  private final Analyzer analyzer;
  private final ByteBuffersDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final int[] ordinals;

  private Bm25Index(Analyzer analyzer, ByteBuffersDirectory directory, DirectoryReader reader, IndexSearcher searcher,
      int[] ordinals) {
    this.analyzer = analyzer;
    this.directory = directory;
    this.reader = reader;
    this.searcher = searcher;
    this.ordinals = ordinals;
  }

  /** Indexes {@code passages} (blocking; linear in the corpus). */
  static Bm25Index build(List<Passage> passages, double k1, double b) {
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
      return new Bm25Index(analyzer, directory, reader, searcher, ordinals);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the BM25 index: " + e.getMessage(), e);
    }
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

  /** The best {@code k} passages for {@code query}, best first; none when no term of it is indexed. */
  List<Hit> search(String query, int k) {
    List<String> terms = terms(query);
    if (terms.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    for (String t : terms) {
      q.add(new TermQuery(new Term(CONTENTS, t)), BooleanClause.Occur.SHOULD);
    }
    try {
      ScoreDoc[] docs = searcher.search(q.build(), k).scoreDocs;
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

  @Override
  public void close() {
    try (directory; analyzer) {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
