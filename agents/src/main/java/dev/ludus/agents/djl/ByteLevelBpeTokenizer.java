package dev.ludus.agents.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ludus.api.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A byte-level BPE tokenizer (GPT-2 style), run in Java and saved as a Hugging Face {@code tokenizer.json}
 * that the Rust {@code tokenizers} library (DJL's, or Python's) reads to the same ids.
 *
 * <p>Ids: the {@link LmTokenizer#SPECIAL_TOKENS} are 0 to 7 (added tokens, never produced from text), the
 * 256 bytes follow in byte order, then one token per learned merge in the order learned. Encoding cuts text
 * into pieces ({@link ByteLevel#PIECES}), turns each piece into bytes, and applies merges to each piece by
 * rank, lowest first (leftmost first among equals), as the Hugging Face BPE model does. Every byte has a
 * token, so no text ever gives an unknown token, and decoding the ids of any string gives the string back.
 *
 * <p>Whole texts: a tokenizer may also have whole texts, each one token (after the merges) wherever it occurs, matched
 * in the raw text before it is cut into pieces, leftmost first and the longest among those starting at the same
 * place, as the Hugging Face library matches non-special added tokens ({@code "special": false, "normalized":
 * false}), which is how the file lists them. {@code ludus train} gives the environment's constant messages (a
 * system prompt every episode repeats) this way, so a policy reads such a message as one token instead of hundreds:
 * for a policy trained from scratch a text that never varies carries no information, only cost. A whole text is
 * text, not a special token: it decodes to itself and a sampler may write it.
 *
 * <p>Grid cells: a tokenizer may also be given the characters a board's cells are drawn with ({@code gridCells}). Each
 * such character that, with the rest of its line, is all cells becomes a piece of its own before the byte-level
 * pieces are cut ({@link ByteLevel#cellRegex}), so a board row is one token per cell and no merge ever joins two
 * cells, as GPT tokenizers keep digits apart: a cell then reads the same whatever its neighbours. The file writes this
 * as a {@code Split} pre-tokenizer ({@code Isolated}) before the {@code ByteLevel} one, which the Hugging Face library
 * runs to the same ids.
 *
 * <p>Speed: each piece's ids are cached (bounded, {@link #CACHED_PIECES}); environment text repeats the same
 * pieces, so rollouts mostly hit the cache.
 *
 * <p>Immutable apart from the cache, and thread-safe.
 */
final class ByteLevelBpeTokenizer implements LmTokenizer {
  static final int CACHED_PIECES = 100_000;
  /** The first id of a byte token: after the special tokens. */
  static final int FIRST_BYTE_ID = SPECIAL_TOKENS.size();
  /** The smallest vocabulary: the special tokens and the 256 bytes. */
  static final int MIN_VOCAB_SIZE = FIRST_BYTE_ID + 256;
  static final int MAX_VOCAB_SIZE = 65_536;

  /** Token strings by id, as written in {@code tokenizer.json} (byte symbols, or a special token's name). */
  private final String[] tokens;
  /** The bytes of each token; null for a special token. */
  private final byte[][] tokenBytes;
  private final int[] byteId = new int[256];
  private final PairTable merges;
  private final Map<String, Integer> specials;
  /** The whole texts by their id, and the texts longest first (for matching); empty without. */
  private final Map<String, Integer> wholeIds;
  private final String[] wholeTexts;
  /** The grid cells, or null; and their {@link ByteLevel#cellRegex}, or null. */
  private final String gridCells;
  private final Pattern cellPattern;
  private final Cache<String, int[]> cache;

  /**
   * @param tokens every token's string by id (dense), special tokens by name
   * @param specialIds the ids of the special tokens, which must include every {@link #SPECIAL_TOKENS} name
   * @param mergePairs the merges by rank: pair {@code i} is the ids of its left and right token
   * @param cacheSize how many pieces' ids to cache (0 for none)
   */
  private ByteLevelBpeTokenizer(List<String> tokens, List<Integer> specialIds, List<int[]> mergePairs, int cacheSize) {
    this(tokens, specialIds, mergePairs, Map.of(), null, cacheSize);
  }

  /**
   * @param wholeIds the ids of the whole texts (each text's token in {@code tokens} is the text itself)
   * @param gridCells the characters of a board's cells, each its own piece; null for none
   */
  private ByteLevelBpeTokenizer(List<String> tokens, List<Integer> specialIds, List<int[]> mergePairs,
      Map<Integer, String> wholeIds, String gridCells, int cacheSize) {
    this.gridCells = gridCells;
    this.cellPattern = gridCells == null ? null : Pattern.compile(ByteLevel.cellRegex(gridCells));
    this.tokens = tokens.toArray(new String[0]);
    this.tokenBytes = new byte[this.tokens.length][];
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> special = new HashMap<>();
    for (int id : specialIds) {
      special.put(this.tokens[id], id);
    }
    Map<String, Integer> whole = new HashMap<>();
    for (Map.Entry<Integer, String> e : wholeIds.entrySet()) {
      int id = e.getKey();
      String text = e.getValue();
      if (id < 0 || id >= this.tokens.length || !text.equals(this.tokens[id]) || special.containsKey(text)) {
        throw new IllegalArgumentException("whole text '" + text + "' does not have id " + id);
      }
      if (text.isEmpty() || whole.put(text, id) != null) {
        throw new IllegalArgumentException("whole text '" + text + "' is empty or appears twice");
      }
      tokenBytes[id] = text.getBytes(StandardCharsets.UTF_8);
    }
    for (int id = 0; id < this.tokens.length; id++) {
      String t = this.tokens[id];
      if (t == null) {
        throw new IllegalArgumentException("token id " + id + " has no token");
      }
      if (wholeIds.containsKey(id)) {
        continue; // raw text, not byte symbols: never a merge's result
      }
      if (index.put(t, id) != null) {
        throw new IllegalArgumentException("token '" + t + "' appears twice");
      }
      if (!special.containsKey(t) || special.get(t) != id) {
        tokenBytes[id] = symbolBytes(t);
        if (tokenBytes[id] == null) {
          throw new IllegalArgumentException("token '" + t + "' (id " + id + ") is not made of byte symbols");
        }
      }
    }
    Arrays.fill(byteId, -1);
    for (int id = 0; id < tokenBytes.length; id++) {
      if (tokenBytes[id] != null && tokenBytes[id].length == 1) {
        byteId[tokenBytes[id][0] & 0xFF] = id;
      }
    }
    for (int b = 0; b < 256; b++) {
      if (byteId[b] < 0) {
        throw new IllegalArgumentException("byte " + b + " ('" + ByteLevel.symbol(b) + "') has no token");
      }
    }
    for (String name : SPECIAL_TOKENS) {
      if (!special.containsKey(name)) {
        throw new IllegalArgumentException("special token " + name + " is missing");
      }
    }
    this.merges = new PairTable(mergePairs.size());
    for (int rank = 0; rank < mergePairs.size(); rank++) {
      int[] p = mergePairs.get(rank);
      String joined = this.tokens[p[0]] + this.tokens[p[1]];
      Integer merged = index.get(joined);
      if (merged == null) {
        throw new IllegalArgumentException("merge '" + this.tokens[p[0]] + " " + this.tokens[p[1]]
            + "' makes a token that is not in the vocabulary");
      }
      if (!merges.add(BpeTrainer.key(p[0], p[1]), rank, merged)) {
        throw new IllegalArgumentException("merge '" + this.tokens[p[0]] + " " + this.tokens[p[1]] + "' appears twice");
      }
    }
    this.specials = Map.copyOf(special);
    this.wholeIds = Map.copyOf(whole);
    this.wholeTexts = longestFirst(whole.keySet());
    this.cache = cacheSize > 0 ? Caffeine.newBuilder().maximumSize(cacheSize).build() : null;
  }

  /**
   * Trains a tokenizer of at most {@code vocabSize} tokens on {@code texts} (see {@link BpeTrainer}); fewer when
   * the texts run out of pairs seen at least twice.
   */
  static ByteLevelBpeTokenizer train(List<String> texts, int vocabSize) {
    return train(texts, vocabSize, List.of());
  }

  /**
   * Trains a tokenizer of at most {@code vocabSize} tokens, {@code wholeTexts} among them (one token each, after the
   * merges), on {@code texts} with every occurrence of a whole text cut out (the merges are spent on the rest).
   */
  static ByteLevelBpeTokenizer train(List<String> texts, int vocabSize, List<String> wholeTexts) {
    return train(texts, vocabSize, wholeTexts, null);
  }

  /**
   * {@link #train(List, int, List)} with each cell of a board drawn with {@code gridCells} a piece of its own (null
   * for none; see the class comment), in training and encoding alike.
   */
  static ByteLevelBpeTokenizer train(List<String> texts, int vocabSize, List<String> wholeTexts, String gridCells) {
    Pattern cells = gridCells == null ? null : Pattern.compile(ByteLevel.cellRegex(gridCells));
    if (wholeTexts == null || wholeTexts.stream().anyMatch(t -> t == null || t.isEmpty())
        || new HashSet<>(wholeTexts).size() != wholeTexts.size()) {
      throw new IllegalArgumentException("bpe whole texts must be distinct and not empty, were " + wholeTexts);
    }
    if (vocabSize < MIN_VOCAB_SIZE + wholeTexts.size() || vocabSize > MAX_VOCAB_SIZE) {
      throw new IllegalArgumentException("bpe vocabSize must be in [" + MIN_VOCAB_SIZE + ", " + MAX_VOCAB_SIZE
          + "] (" + SPECIAL_TOKENS.size() + " special tokens, 256 bytes, then merges), was " + vocabSize);
    }
    if (texts == null || texts.stream().anyMatch(t -> t == null)) {
      throw new IllegalArgumentException("bpe needs a list of texts to train on, without nulls");
    }
    List<String> rest = texts;
    if (!wholeTexts.isEmpty()) {
      String[] order = longestFirst(wholeTexts);
      Map<String, Integer> none = new HashMap<>();
      wholeTexts.forEach(w -> none.put(w, -1));
      rest = texts.stream().flatMap(t -> segments(t, order, none).stream().filter(x -> x instanceof String)
          .map(x -> (String) x)).toList();
    }
    BpeTrainer.Merges learned = BpeTrainer.train(rest, FIRST_BYTE_ID,
        vocabSize - MIN_VOCAB_SIZE - wholeTexts.size(), cells);
    List<String> tokens = new ArrayList<>(SPECIAL_TOKENS);
    for (int b = 0; b < 256; b++) {
      tokens.add(String.valueOf(ByteLevel.symbol(b)));
    }
    for (int[] p : learned.pairs()) {
      tokens.add(tokens.get(p[0]) + tokens.get(p[1]));
    }
    List<Integer> specialIds = new ArrayList<>();
    for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
      specialIds.add(i);
    }
    Map<Integer, String> whole = new HashMap<>();
    for (String w : wholeTexts.stream().sorted().toList()) {
      whole.put(tokens.size(), w);
      tokens.add(w);
    }
    return new ByteLevelBpeTokenizer(tokens, specialIds, learned.pairs(), whole, gridCells, CACHED_PIECES);
  }

  /**
   * {@code text} cut at its whole texts: the plain stretches as strings, each whole text as its id (an
   * {@link Integer}), in order; leftmost match first, the longest among those starting at one place.
   */
  List<Object> segments(String text) {
    return segments(text, wholeTexts, wholeIds);
  }

  /** {@link #segments(String)} over {@code longestFirst}, whose ids {@code ids} gives. */
  private static List<Object> segments(String text, String[] longestFirst, Map<String, Integer> ids) {
    List<Object> out = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int best = -1;
      String found = null;
      for (String w : longestFirst) { // longest first: a later one starting at the same place is never longer
        int i = text.indexOf(w, at);
        if (i >= 0 && (best < 0 || i < best)) {
          best = i;
          found = w;
        }
      }
      if (best < 0) {
        out.add(text.substring(at));
        break;
      }
      if (best > at) {
        out.add(text.substring(at, best));
      }
      out.add(ids.get(found));
      at = best + found.length();
    }
    return out;
  }

  private static String[] longestFirst(java.util.Collection<String> texts) {
    return texts.stream().sorted(Comparator.comparingInt(String::length).reversed()
        .thenComparing(Comparator.naturalOrder())).toArray(String[]::new);
  }

  /** The grid cells, each a piece of its own; null for none. */
  String gridCells() {
    return gridCells;
  }

  /** The whole texts, by id. */
  Map<String, Integer> wholeTexts() {
    return wholeIds;
  }

  /** The same tokenizer without a cache (for the benchmark's cold figure). */
  ByteLevelBpeTokenizer withCache(int size) {
    List<int[]> pairs = new ArrayList<>();
    int[] byRank = merges.pairsByRank();
    for (int r = 0; r < byRank.length / 2; r++) {
      pairs.add(new int[] {byRank[2 * r], byRank[2 * r + 1]});
    }
    Map<Integer, String> whole = new HashMap<>();
    wholeIds.forEach((t, id) -> whole.put(id, t));
    return new ByteLevelBpeTokenizer(List.of(tokens), List.copyOf(specials.values()), pairs, whole, gridCells, size);
  }

  @Override
  public int vocabSize() {
    return tokens.length;
  }

  @Override
  public int[] encode(String text) {
    if (wholeTexts.length == 0) {
      return encodePlain(text);
    }
    List<Object> parts = segments(text);
    if (parts.size() == 1 && parts.get(0) instanceof String plain) {
      return encodePlain(plain);
    }
    IntStream.Builder out = IntStream.builder();
    for (Object p : parts) {
      if (p instanceof Integer id) {
        out.add(id);
      } else {
        for (int id : encodePlain((String) p)) {
          out.add(id);
        }
      }
    }
    return out.build().toArray();
  }

  /** The ids of {@code text} without matching whole texts: pieces, then merges. */
  private int[] encodePlain(String text) {
    if (cellPattern != null) {
      IntStream.Builder ids = IntStream.builder();
      for (String piece : ByteLevel.pieces(text, cellPattern)) {
        for (int id : cache == null ? encodePiece(piece) : cache.get(piece, this::encodePiece)) {
          ids.add(id);
        }
      }
      return ids.build().toArray();
    }
    int[] out = new int[Math.max(8, text.length())];
    int n = 0;
    Matcher m = ByteLevel.PIECES.matcher(text);
    int at = 0;
    while (true) {
      boolean found = m.find();
      int end = found ? m.start() : text.length();
      for (int k = 0; k < 2; k++) {
        String piece = k == 0 ? (end > at ? text.substring(at, end) : null) : (found ? m.group() : null);
        if (piece == null) {
          continue;
        }
        int[] ids = cache == null ? encodePiece(piece) : cache.get(piece, this::encodePiece);
        if (n + ids.length > out.length) {
          out = Arrays.copyOf(out, Math.max(out.length * 2, n + ids.length));
        }
        System.arraycopy(ids, 0, out, n, ids.length);
        n += ids.length;
      }
      if (!found) {
        break;
      }
      at = m.end();
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * One piece's ids: its bytes' tokens, then merges by rank (lowest first, leftmost first among equal ranks),
   * on a linked list of symbols with a heap of candidate merges keyed by {@code rank << 32 | position}.
   */
  int[] encodePiece(String piece) {
    byte[] bytes = ByteLevel.bytes(piece);
    int n = bytes.length;
    int[] id = new int[n];
    int[] next = new int[n];
    int[] prev = new int[n];
    for (int i = 0; i < n; i++) {
      id[i] = byteId[bytes[i] & 0xFF];
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    if (n < 2 || merges.size() == 0) {
      return id;
    }
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i + 1 < n; i++) {
      push(heap, id, i, i + 1);
    }
    int alive = n;
    while (!heap.isEmpty()) {
      long top = heap.poll();
      int rank = (int) (top >>> 32);
      int i = (int) top;
      int j = next[i];
      if (id[i] < 0 || j < 0) {
        continue;
      }
      long found = merges.get(BpeTrainer.key(id[i], id[j]));
      if (found < 0 || (int) (found >>> 32) != rank) {
        continue; // stale: this symbol changed since the entry was pushed
      }
      id[i] = (int) found;
      id[j] = -1;
      alive--;
      next[i] = next[j];
      if (next[j] >= 0) {
        prev[next[j]] = i;
      }
      if (prev[i] >= 0) {
        push(heap, id, prev[i], i);
      }
      if (next[i] >= 0) {
        push(heap, id, i, next[i]);
      }
    }
    int[] out = new int[alive];
    int o = 0;
    for (int i = 0; i >= 0; i = next[i]) {
      out[o++] = id[i];
    }
    return out;
  }

  private void push(LongHeap heap, int[] id, int i, int j) {
    long found = merges.get(BpeTrainer.key(id[i], id[j]));
    if (found >= 0) {
      heap.add(((found >>> 32) << 32) | i);
    }
  }

  @Override
  public String decode(int[] ids) {
    int length = 0;
    for (int id : ids) {
      if (id >= 0 && id < tokenBytes.length && tokenBytes[id] != null) {
        length += tokenBytes[id].length;
      }
    }
    byte[] bytes = new byte[length];
    int at = 0;
    for (int id : ids) {
      if (id >= 0 && id < tokenBytes.length && tokenBytes[id] != null) {
        System.arraycopy(tokenBytes[id], 0, bytes, at, tokenBytes[id].length);
        at += tokenBytes[id].length;
      }
    }
    return ByteLevel.text(bytes, length);
  }

  @Override
  public int padId() {
    return specials.get("<pad>");
  }

  @Override
  public int bosId() {
    return specials.get("<bos>");
  }

  @Override
  public int eosId() {
    return specials.get("<eos>");
  }

  /** Every added (special) token: none of them stands for text, so a sampler emits none but the end of sequence. */
  @Override
  public int[] specialIds() {
    return specials.values().stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  @Override
  public OptionalInt roleId(Role role) {
    return OptionalInt.of(specials.get("<" + role.wireName() + ">"));
  }

  /** The token string of {@code id} (byte symbols, or a special token's name), for tests and debugging. */
  String token(int id) {
    return tokens[id];
  }

  /** How many merges the tokenizer has. */
  int mergeCount() {
    return merges.size();
  }

  @Override
  public String toJson() {
    JsonNode preTokenizer = byteLevel();
    if (gridCells != null) {
      ObjectNode sequence = TokenizerJson.JSON.createObjectNode().put("type", "Sequence");
      ObjectNode split = sequence.putArray("pretokenizers").addObject().put("type", "Split");
      split.putObject("pattern").put("Regex", ByteLevel.cellRegex(gridCells));
      split.put("behavior", "Isolated").put("invert", false);
      ((ArrayNode) sequence.get("pretokenizers")).add(preTokenizer);
      preTokenizer = sequence;
    }
    ObjectNode root = TokenizerJson.document(specials, preTokenizer, byteLevel());
    ArrayNode added = (ArrayNode) root.get("added_tokens"); // the whole texts follow the specials, as the library appends them
    wholeIds.entrySet().stream().sorted(Map.Entry.comparingByValue())
        .forEach(e -> added.add(TokenizerJson.addedToken(e.getValue(), e.getKey()).put("special", false)));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < tokens.length; id++) {
      if (!wholeIds.containsKey(tokens[id]) || wholeIds.get(tokens[id]) != id) {
        vocab.put(tokens[id], id); // a whole text is an added token only, as the library appends them
      }
    }
    ArrayNode mergeList = model.putArray("merges");
    int[] byRank = merges.pairsByRank();
    for (int r = 0; r < byRank.length / 2; r++) {
      mergeList.add(tokens[byRank[2 * r]] + " " + tokens[byRank[2 * r + 1]]); // byte symbols hold no space
    }
    return TokenizerJson.write(root);
  }

  private static ObjectNode byteLevel() {
    return TokenizerJson.JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false)
        .put("trim_offsets", true).put("use_regex", true);
  }

  /**
   * The tokenizer in {@code root} if it is a byte-level BPE this class runs exactly as the Hugging Face library
   * does: a BPE model without dropout, subword prefixes or byte fallback, every byte in the vocabulary, the
   * {@code ByteLevel} pre-tokenizer (no prefix space, GPT-2's regex) and decoder, no normalizer, and exactly the
   * {@link #SPECIAL_TOKENS} as added tokens. Anything else is left to the Hugging Face library.
   */
  static Optional<ByteLevelBpeTokenizer> fromJson(JsonNode root) {
    JsonNode model = root.path("model");
    if (!"BPE".equals(model.path("type").asText()) || !TokenizerJson.nullOrAbsent(root.path("normalizer"))
        || !TokenizerJson.nullOrAbsent(model.path("dropout"))
        || !TokenizerJson.emptyOrAbsent(model.path("continuing_subword_prefix"))
        || !TokenizerJson.emptyOrAbsent(model.path("end_of_word_suffix"))
        || model.path("byte_fallback").asBoolean(false) || model.path("ignore_merges").asBoolean(false)
        || !(isByteLevel(root.path("pre_tokenizer"), true) || gridCells(root.path("pre_tokenizer")) != null)
        || !isByteLevel(root.path("decoder"), false)
        || !(TokenizerJson.nullOrAbsent(root.path("post_processor"))
            || "ByteLevel".equals(root.path("post_processor").path("type").asText()))
        || !model.path("vocab").isObject() || !model.path("merges").isArray()) {
      return Optional.empty();
    }
    Map<String, Integer> vocab = new HashMap<>();
    model.path("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    // the added tokens: the special tokens, and whole texts (non-special, matched as is in the raw text)
    ObjectNode specialsOnly = ((ObjectNode) root).deepCopy();
    ArrayNode specialAdded = specialsOnly.putArray("added_tokens");
    Map<Integer, String> whole = new HashMap<>();
    for (JsonNode a : root.path("added_tokens")) {
      if (a.path("special").asBoolean(false)) {
        specialAdded.add(a);
      } else if (a.path("normalized").asBoolean(true) || a.path("single_word").asBoolean(false)
          || a.path("lstrip").asBoolean(false) || a.path("rstrip").asBoolean(false) || !a.path("id").canConvertToInt()
          || a.path("content").asText().isEmpty() || whole.put(a.path("id").asInt(), a.path("content").asText()) != null
          || vocab.containsValue(a.path("id").asInt())) {
        return Optional.empty();
      }
    }
    Optional<List<Integer>> specialIds = TokenizerJson.specialTokens(specialsOnly, vocab);
    if (specialIds.isEmpty()) {
      return Optional.empty();
    }
    int size = Math.max(vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1),
        whole.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1)) + 1;
    String[] byId = new String[size];
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      if (e.getValue() < 0 || byId[e.getValue()] != null) {
        return Optional.empty();
      }
      byId[e.getValue()] = e.getKey();
    }
    for (Map.Entry<Integer, String> e : whole.entrySet()) {
      if (e.getKey() < 0) {
        return Optional.empty();
      }
      byId[e.getKey()] = e.getValue();
    }
    List<int[]> pairs = new ArrayList<>();
    for (JsonNode m : model.path("merges")) {
      String left;
      String right;
      if (m.isArray() && m.size() == 2) {
        left = m.get(0).asText();
        right = m.get(1).asText();
      } else {
        String[] parts = m.asText().split(" ", -1);
        if (parts.length != 2) {
          return Optional.empty();
        }
        left = parts[0];
        right = parts[1];
      }
      Integer l = vocab.get(left);
      Integer r = vocab.get(right);
      if (l == null || r == null) {
        return Optional.empty();
      }
      pairs.add(new int[] {l, r});
    }
    try {
      return Optional.of(new ByteLevelBpeTokenizer(Arrays.asList(byId), specialIds.get(), pairs, whole,
          gridCells(root.path("pre_tokenizer")), CACHED_PIECES));
    } catch (IllegalArgumentException notOurs) {
      return Optional.empty();
    }
  }

  /**
   * The grid cells of a pre-tokenizer written as {@link #toJson} writes one with cells (a {@code Sequence} of a
   * {@code Split} on their {@link ByteLevel#cellRegex}, {@code Isolated}, then GPT-2's {@code ByteLevel}); else null.
   */
  private static String gridCells(JsonNode node) {
    JsonNode list = node.path("pretokenizers");
    if (!"Sequence".equals(node.path("type").asText()) || !list.isArray() || list.size() != 2
        || !isByteLevel(list.get(1), true)) {
      return null;
    }
    JsonNode split = list.get(0);
    if (!"Split".equals(split.path("type").asText()) || !"Isolated".equals(split.path("behavior").asText())
        || split.path("invert").asBoolean(false) || !split.path("pattern").path("Regex").isTextual()) {
      return null;
    }
    return ByteLevel.cellsOf(split.path("pattern").path("Regex").asText());
  }

  private static boolean isByteLevel(JsonNode node, boolean preTokenizer) {
    if (!"ByteLevel".equals(node.path("type").asText())) {
      return false;
    }
    return !preTokenizer || (!node.path("add_prefix_space").asBoolean(true) && node.path("use_regex").asBoolean(true));
  }

  private static byte[] symbolBytes(String token) {
    if (token.isEmpty()) {
      return null;
    }
    byte[] out = new byte[token.length()];
    for (int i = 0; i < token.length(); i++) {
      int b = ByteLevel.byteOf(token.charAt(i));
      if (b < 0) {
        return null;
      }
      out[i] = (byte) b;
    }
    return out;
  }

  @Override
  public String toString() {
    return "byte-level BPE tokenizer (" + tokens.length + " tokens" + (wholeIds.isEmpty() ? ""
        : ", " + wholeIds.size() + " of them whole texts") + (gridCells == null ? "" : ", grid cells " + gridCells)
        + ")";
  }

  /** Merge pair to (rank, merged id), open addressing over {@code long} keys; read-only after construction. */
  private static final class PairTable {
    private final long[] keys;
    private final long[] values;
    private final int[] byRank;
    private int size;

    PairTable(int expected) {
      int capacity = Integer.highestOneBit(Math.max(4, expected * 2 + 1)) << 1;
      keys = new long[capacity];
      values = new long[capacity];
      Arrays.fill(values, -1);
      byRank = new int[2 * expected];
    }

    /** Adds the pair with the next rank; false if it is already there. */
    boolean add(long key, int rank, int merged) {
      int mask = keys.length - 1;
      int i = mix(key) & mask;
      while (values[i] >= 0) {
        if (keys[i] == key) {
          return false;
        }
        i = (i + 1) & mask;
      }
      keys[i] = key;
      values[i] = ((long) rank << 32) | merged;
      byRank[2 * rank] = (int) (key >>> 32);
      byRank[2 * rank + 1] = (int) key;
      size++;
      return true;
    }

    /** {@code rank << 32 | merged id}, or -1 when the pair does not merge. */
    long get(long key) {
      int mask = keys.length - 1;
      int i = mix(key) & mask;
      while (values[i] >= 0) {
        if (keys[i] == key) {
          return values[i];
        }
        i = (i + 1) & mask;
      }
      return -1;
    }

    int size() {
      return size;
    }

    int[] pairsByRank() {
      return Arrays.copyOf(byRank, 2 * size);
    }

    private static int mix(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32));
    }
  }

  /** A binary min-heap of {@code long}s. */
  private static final class LongHeap {
    private long[] a;
    private int n;

    LongHeap(int capacity) {
      a = new long[Math.max(4, capacity)];
    }

    boolean isEmpty() {
      return n == 0;
    }

    void add(long x) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      int i = n++;
      while (i > 0) {
        int p = (i - 1) >>> 1;
        if (a[p] <= x) {
          break;
        }
        a[i] = a[p];
        i = p;
      }
      a[i] = x;
    }

    long poll() {
      long top = a[0];
      long x = a[--n];
      int i = 0;
      while (true) {
        int c = 2 * i + 1;
        if (c >= n) {
          break;
        }
        if (c + 1 < n && a[c + 1] < a[c]) {
          c++;
        }
        if (a[c] >= x) {
          break;
        }
        a[i] = a[c];
        i = c;
      }
      if (n > 0) {
        a[i] = x;
      }
      return top;
    }
  }
}
