package dev.ludus.environments.search;

import java.util.List;
import java.util.Locale;

/**
 * The configuration of {@code search-qa}. Immutable; validated on construction, naming the bad field, its
 * value and what is allowed.
 *
 * @param protocol how the agent acts: {@code tags} (the default: Search-R1's {@code <search>}/{@code <answer>}
 *     text) or {@code tools} ({@code search(query)} and {@code answer(text)} tools, called natively or as
 *     hermes {@code <tool_call>} text)
 * @param topK passages per search, 1 to 50; default 3 (Search-R1's {@code topk})
 * @param bm25 BM25's {@code k1} and {@code b}, always explicit; default 0.9 and 0.4 (Pyserini's defaults,
 *     which Search-R1's BM25 retriever runs with; Lucene's own are 1.2 and 0.75)
 * @param maxTurns the most agent messages per episode before it is truncated, 1 to 100; default 10
 * @param reward the environment's own reward on each answer: {@code exact} (the default: Search-R1's
 *     {@code qa_em}), {@code f1} (HotpotQA's token F1), {@code search-r1} (Search-R1's format-aware table) or
 *     {@code igpo} (IGPO's set F1, −2 for a bad format); all four are published as signals either way. In a
 *     conversation each answer pays its score divided by the number of questions.
 * @param searchR1 the coefficients of Search-R1's table; default s = 0.2, r = 0, f = 0.1, the values of its
 *     {@code train_*_format.sh} scripts (the code's comments show r = 0.1)
 * @param data where the questions and corpus come from: {@code generated} (the default: a fictional world),
 *     {@code hotpotqa}, {@code 2wiki} or {@code flashrag}
 * @param path for {@code hotpotqa} and {@code 2wiki} the JSON file, for {@code flashrag} the questions' jsonl
 * @param corpus for {@code flashrag}, the {@code corpus.jsonl}
 * @param world the generated world's size and seed
 * @param questionTypes the generated question types a task seed chooses from; default all of
 *     {@code one-hop}, {@code compositional}, {@code comparison}, {@code bridge-comparison}, {@code conversation}
 * @param retrieval how a search ranks passages: {@code bm25} (the default), {@code dense} (the {@code encoder}'s
 *     vectors, cosine, Lucene's vector search) or {@code hybrid} (both, by reciprocal rank fusion, k = 60)
 * @param encoder for {@code dense} and {@code hybrid}, the registered {@link PassageEncoder}'s name (e.g.
 *     {@code all-minilm-l6-v2} from examples/minilm-encoder); unused by {@code bm25}
 * @param embeddingCache a directory where the corpus's vectors are kept between runs, per corpus and encoder;
 *     none by default (they are computed once per run)
 * @param split which entities a generated world's questions ask about: {@code all} (the default), {@code train},
 *     {@code validation} or {@code dev}, three disjoint sets of the world's entities (of every {@value #DEV_EVERY}
 *     entities by id the last is {@code dev}, the one before it {@code validation}, the other three {@code train}),
 *     so that a {@code dev} or {@code validation} question names an entity no {@code train} question names (the
 *     corpus stays the whole world's); with {@code train}, held-out evaluations play {@code dev}
 *     ({@link SearchQaProvider#heldOut}), so their success measures copying the question's name, not recalling a
 *     name the policy was taught, and a trainer's model selection plays {@code validation}
 *     ({@link SearchQaProvider#validation}). Generated data only
 */
public record SearchQaConfig(String protocol, int topK, Bm25 bm25, int maxTurns, String reward, SearchR1 searchR1,
    String data, String path, String corpus, WorldSpec world, List<String> questionTypes, String retrieval,
    String encoder, String embeddingCache, String split) {
  /**
   * Of every this many entities of a generated world, one is {@code dev} and one {@code validation} (see
   * {@link #split()}).
   */
  public static final int DEV_EVERY = 5;
  static final List<String> SPLITS = List.of("all", "train", "validation", "dev");
  static final List<String> PROTOCOLS = List.of("tags", "tools");
  static final List<String> REWARDS = List.of("exact", "f1", "search-r1", "igpo");
  static final List<String> SOURCES = List.of("generated", DatasetFormats.HOTPOTQA, DatasetFormats.TWO_WIKI,
      DatasetFormats.FLASHRAG);
  static final List<String> RETRIEVALS = List.of("bm25", "dense", "hybrid");

  /** BM25's term-frequency saturation {@code k1} (0 to 10) and length normalisation {@code b} (0 to 1). */
  public record Bm25(double k1, double b) {
    public Bm25 {
      if (!(k1 >= 0 && k1 <= 10)) {
        throw new IllegalArgumentException("bm25.k1 must be between 0 and 10, was " + k1);
      }
      if (!(b >= 0 && b <= 1)) {
        throw new IllegalArgumentException("bm25.b must be between 0 and 1, was " + b);
      }
    }
  }

  /**
   * Search-R1's reward coefficients ({@code compute_score_em}).
   *
   * @param structureFormatScore s: a valid format without the right answer; EM with a bad format pays 1 − s
   * @param retrievalScore r: added to s when a gold answer appeared in the retrieved information
   * @param finalFormatScore f: a wrong answer in a bad format
   */
  public record SearchR1(double structureFormatScore, double retrievalScore, double finalFormatScore) {
    public SearchR1 {
      for (double v : new double[] {structureFormatScore, retrievalScore, finalFormatScore}) {
        if (!(v >= 0 && v <= 1)) {
          throw new IllegalArgumentException("searchR1 scores must be between 0 and 1, were " + structureFormatScore
              + ", " + retrievalScore + ", " + finalFormatScore);
        }
      }
    }
  }

  public SearchQaConfig {
    protocol = oneOf("protocol", protocol == null ? "tags" : protocol, PROTOCOLS);
    if (topK < 1 || topK > 50) {
      throw new IllegalArgumentException("topK must be between 1 and 50, was " + topK);
    }
    bm25 = bm25 == null ? new Bm25(0.9, 0.4) : bm25;
    if (maxTurns < 1 || maxTurns > 100) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 100, was " + maxTurns);
    }
    reward = oneOf("reward", reward == null ? "exact" : reward, REWARDS);
    searchR1 = searchR1 == null ? new SearchR1(0.2, 0.0, 0.1) : searchR1;
    data = oneOf("data", data == null ? "generated" : data, SOURCES);
    world = world == null ? WorldSpec.defaults() : world;
    questionTypes = questionTypes == null || questionTypes.isEmpty() ? QuestionGenerator.TYPES : List.copyOf(questionTypes);
    for (String t : questionTypes) {
      oneOf("questionTypes", t, QuestionGenerator.TYPES);
    }
    if (!data.equals("generated") && (path == null || path.isBlank())) {
      throw new IllegalArgumentException("path must name the " + data + " file when data is " + data);
    }
    if (data.equals(DatasetFormats.FLASHRAG) && (corpus == null || corpus.isBlank())) {
      throw new IllegalArgumentException("corpus must name the corpus.jsonl when data is flashrag");
    }
    retrieval = oneOf("retrieval", retrieval == null ? "bm25" : retrieval, RETRIEVALS);
    encoder = encoder == null || encoder.isBlank() ? null : encoder.strip();
    if (!retrieval.equals("bm25") && encoder == null) {
      throw new IllegalArgumentException("encoder must name a passage encoder when retrieval is " + retrieval
          + " (e.g. encoder: all-minilm-l6-v2, registered by examples/minilm-encoder)");
    }
    embeddingCache = embeddingCache == null || embeddingCache.isBlank() ? null : embeddingCache;
    split = oneOf("split", split == null ? "all" : split, SPLITS);
    if (!split.equals("all") && !data.equals("generated")) {
      throw new IllegalArgumentException("split must be all when data is " + data + ", was '" + split + "' (a split "
          + "divides a generated world's entities; a file's questions are split by the files themselves)");
    }
  }

  /** Without a split (every entity's questions). */
  public SearchQaConfig(String protocol, int topK, Bm25 bm25, int maxTurns, String reward, SearchR1 searchR1,
      String data, String path, String corpus, WorldSpec world, List<String> questionTypes, String retrieval,
      String encoder, String embeddingCache) {
    this(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world, questionTypes, retrieval,
        encoder, embeddingCache, "all");
  }

  /** Whether searches need the encoder's vectors ({@code dense} or {@code hybrid}). */
  boolean usesVectors() {
    return !retrieval.equals("bm25");
  }

  private static String oneOf(String field, String value, List<String> allowed) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new IllegalArgumentException(field + " must be one of " + String.join(", ", allowed) + ", was '" + value
          + "'");
    }
    return v;
  }

  /** Search-R1's text protocol, top 3, BM25 0.9/0.4, 10 turns, exact match, the default generated world. */
  public static SearchQaConfig defaults() {
    return new SearchQaConfig("tags", 3, null, 10, "exact", null, "generated", null, null, null, null, "bm25", null,
        null);
  }

  /** This configuration with another protocol. */
  public SearchQaConfig withProtocol(String protocol) {
    return new SearchQaConfig(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world,
        questionTypes, retrieval, encoder, embeddingCache, split);
  }

  /** This configuration with another reward. */
  public SearchQaConfig withReward(String reward) {
    return new SearchQaConfig(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world,
        questionTypes, retrieval, encoder, embeddingCache, split);
  }

  /** This configuration drawing only {@code types}. */
  public SearchQaConfig withQuestionTypes(List<String> types) {
    return new SearchQaConfig(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world, types,
        retrieval, encoder, embeddingCache, split);
  }

  /** This configuration reading {@code data} from {@code path} (and {@code corpus} for flashrag). */
  public SearchQaConfig withData(String data, String path, String corpus) {
    return new SearchQaConfig(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world,
        questionTypes, retrieval, encoder, embeddingCache, split);
  }

  /** This configuration with another world. */
  public SearchQaConfig withWorld(WorldSpec world) {
    return new SearchQaConfig(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world,
        questionTypes, retrieval, encoder, embeddingCache, split);
  }

  /** This configuration retrieving by {@code retrieval} with {@code encoder} (null for bm25). */
  public SearchQaConfig withRetrieval(String retrieval, String encoder) {
    return new SearchQaConfig(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world,
        questionTypes, retrieval, encoder, embeddingCache, split);
  }

  /** This configuration keeping the corpus's vectors in {@code directory} (null: no cache). */
  public SearchQaConfig withEmbeddingCache(String directory) {
    return new SearchQaConfig(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world,
        questionTypes, retrieval, encoder, directory, split);
  }

  /**
   * This configuration asking about {@code split}'s entities ({@code all}, {@code train}, {@code validation} or
   * {@code dev}).
   */
  public SearchQaConfig withSplit(String split) {
    return new SearchQaConfig(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world,
        questionTypes, retrieval, encoder, embeddingCache, split);
  }

  /** This configuration with another turn limit. */
  public SearchQaConfig withMaxTurns(int maxTurns) {
    return new SearchQaConfig(protocol, topK, bm25, maxTurns, reward, searchR1, data, path, corpus, world,
        questionTypes, retrieval, encoder, embeddingCache, split);
  }
}
