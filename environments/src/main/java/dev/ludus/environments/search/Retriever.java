package dev.ludus.environments.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code search-qa} answers a search ({@link SearchQaConfig#retrieval()}): BM25, dense (the query's vector
 * against the passages' in Lucene's vector index) or hybrid, both fused by reciprocal rank fusion.
 *
 * <p>Design note. Hybrid is RRF as Cormack, Clarke and Büttcher define it ("Reciprocal Rank Fusion outperforms
 * Condorcet and individual Rank Learning Methods", SIGIR 2009): a passage scores {@code Σ 1 / (k + rank)} over the
 * rankings it appears in (rank from 1), with their {@code k = 60}, the constant the field uses (Elasticsearch's
 * default {@code rank_constant} too). It needs no score normalisation, which matters here because
 * BM25 scores are unbounded and cosine scores are not. Each ranking contributes its top
 * {@code max(topK, }{@value #FUSION_DEPTH}{@code )}. Ties (equal fused scores) go to the better BM25 rank, then
 * to corpus order, so a search is deterministic given the encoder.
 *
 * <p>Thread-safe when the encoder is. {@link #search} blocks (an index read, and for dense and hybrid an
 * inference): call it on a worker thread.
 */
final class Retriever {
  /** RRF's constant k (Cormack et al. 2009). */
  static final int RRF_K = 60;
  /** How deep each ranking is read for fusion. */
  static final int FUSION_DEPTH = 100;

  private final String mode;
  private final PassageIndex index;
  private final PassageEncoder encoder;

  /**
   * @param mode {@code bm25}, {@code dense} or {@code hybrid}
   * @param encoder the query encoder; null for {@code bm25}
   */
  Retriever(String mode, PassageIndex index, PassageEncoder encoder) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.index = Objects.requireNonNull(index, "index");
    this.encoder = encoder;
    if (!mode.equals("bm25") && (encoder == null || index.dimension() == 0)) {
      throw new IllegalArgumentException(mode + " retrieval needs an encoder and an index with vectors");
    }
  }

  /** The corpus positions of the best {@code k} passages for {@code query}, best first. Blocking. */
  List<Integer> search(String query, int k) {
    return switch (mode) {
      case "bm25" -> positions(index.search(query, k));
      case "dense" -> positions(dense(query, k));
      case "hybrid" -> fuse(List.of(index.search(query, Math.max(k, FUSION_DEPTH)),
          dense(query, Math.max(k, FUSION_DEPTH))), k);
      default -> throw new IllegalStateException("unknown retrieval " + mode);
    };
  }

  private List<PassageIndex.Hit> dense(String query, int k) {
    if (query.isBlank()) {
      return List.of();
    }
    return index.nearest(encoder.encodeQuery(query), k);
  }

  private static List<Integer> positions(List<PassageIndex.Hit> hits) {
    List<Integer> out = new ArrayList<>(hits.size());
    for (PassageIndex.Hit h : hits) {
      out.add(h.passage());
    }
    return out;
  }

  /**
   * Reciprocal rank fusion of {@code rankings} (each best first): the best {@code k} passages by
   * {@code Σ 1 / (RRF_K + rank)}, ties to the better rank in the first ranking, then to corpus order.
   */
  static List<Integer> fuse(List<List<PassageIndex.Hit>> rankings, int k) {
    Map<Integer, Double> score = new HashMap<>();
    Map<Integer, Integer> firstRank = new HashMap<>();
    for (int r = 0; r < rankings.size(); r++) {
      List<PassageIndex.Hit> ranking = rankings.get(r);
      for (int i = 0; i < ranking.size(); i++) {
        int passage = ranking.get(i).passage();
        score.merge(passage, 1.0 / (RRF_K + i + 1), Double::sum);
        if (r == 0) {
          firstRank.putIfAbsent(passage, i);
        }
      }
    }
    List<Integer> passages = new ArrayList<>(score.keySet());
    passages.sort((a, b) -> {
      int c = Double.compare(score.get(b), score.get(a));
      if (c != 0) {
        return c;
      }
      c = Integer.compare(firstRank.getOrDefault(a, Integer.MAX_VALUE), firstRank.getOrDefault(b, Integer.MAX_VALUE));
      return c != 0 ? c : Integer.compare(a, b);
    });
    return List.copyOf(passages.subList(0, Math.min(k, passages.size())));
  }
}
