package dev.ludus.agents.djl;

import dev.ludus.agents.toolcalls.TextToolCalls;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.tools.ToolCallParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code djl-lm}: a small decoder-only transformer running in-process on DJL (PyTorch, offline), with a
 * byte-level BPE, word-level or Hugging Face tokenizer, batched generation on a worker thread and token traces
 * for the learner. See {@link DjlLmAgent} and {@link LanguageModel}.
 */
public final class DjlLmAgentProvider implements AgentProvider<DjlLmAgentProvider.Config> {

  /**
   * The {@code djl-lm} configuration. Defaults ({@link #defaults()}) make a tiny model that works out of the
   * box on a CPU.
   *
   * @param layers decoder layers, 1 to 64 (default 2)
   * @param width model width, 8 to 8192, a multiple of {@code heads} (default 64)
   * @param heads attention heads, 1 to 128 (default 4)
   * @param context the longest prompt plus output in tokens, 8 to 65536 (default 128); longer prompts lose
   *     their oldest tokens
   * @param vocabulary the words of a word-level tokenizer (default: a built-in list of numbers, punctuation and
   *     common English words, used when no tokenizer source is given)
   * @param vocabularyFile a file of words, one per line, for a word-level tokenizer
   * @param tokenizerJson a Hugging Face {@code tokenizer.json}
   * @param bpe a byte-level BPE tokenizer trained at start-up (see {@link Bpe}); at most one of the four
   *     tokenizer sources {@code vocabulary}, {@code vocabularyFile}, {@code tokenizerJson}, {@code bpe}
   * @param checkpoint a directory saved by {@link LanguageModel#save}; when set, the model's architecture and
   *     weights come from it and {@code layers}, {@code width}, {@code heads}, {@code context} and {@code seed}
   *     are not used. When it holds a {@code tokenizer.json} ({@link LmTokenizer#FILE_NAME}, saved beside the
   *     weights by {@code ludus train}), that is the tokenizer: with no tokenizer source set it is used as is,
   *     and a source that gives another tokenizer is an error naming both
   * @param maxNewTokens the most tokens per reply, 1 to {@code context - 1} (default 16)
   * @param temperature 0 for greedy decoding, else 0 to 100 (default 1)
   * @param topK sample among the {@code topK} most likely tokens, 0 for all (default 0)
   * @param topP sample from the smallest set of tokens whose probability reaches {@code topP}, in (0, 1]
   *     (default 1)
   * @param stop strings that end a reply (the reply's text is cut before them; default none)
   * @param maxBatch the most episodes' turns in one forward pass, 1 to 4096 (default 32)
   * @param maxWaitMillis how long the worker waits for more turns after the first, 0 to 60000 (default 2)
   * @param device {@code auto} (a GPU when PyTorch sees one, else the CPU), {@code cpu} or {@code gpu}
   *     (default auto)
   * @param seed the seed of the initial weights (default 0)
   * @param valueHead give the model a scalar value head (a critic sharing the trunk, for PPO with GAE; default
   *     false). {@code ludus train} turns it on for an estimator that needs values. With a {@code checkpoint}
   *     saved without one, a fresh head (drawn from {@code seed}) is put on the loaded weights; a checkpoint's
   *     own head is always kept
   * @param textToolCalls how to read the tool calls the model writes in its text: {@code none} (default; the
   *     reply stays text), or {@code hermes} / {@code json}: the calls become native {@code tool_calls} (see
   *     {@link TextToolCalls}), and the chat template tells the model about the turn's tools and renders
   *     earlier calls in that format (hermes when none)
   * @param invalidToolArguments what to do with a text call that names no offered tool or breaks its schema:
   *     {@code pass} it on for the environment to answer and flag (default, so that a learning policy is
   *     penalised for it rather than losing the episode) or {@code fail} the turn
   * @param kvCache keep each conversation's keys and values across its turns (default false), so that a turn computes
   *     only the tokens its prompt adds to the previous turn's prompt and reply; the tokens and log-probs are those
   *     generated without it, up to float rounding (see {@link KvCacheStatistics} for what it reused and why not)
   * @param kvCacheEntries the most conversations cached, 1 to 1,000,000 (default 1024); the least recently used
   *     goes first, and one idle for 10 minutes goes at the next batch
   * @param kvCacheMegabytes the most mebibytes of cached keys and values, 1 to 1,048,576 (default 256; a token
   *     takes {@code 8 * layers * width} bytes, 1 KiB at the default size)
   * @param historyWindow how many of the conversation's latest observations the policy reads, with its replies
   *     between them, after the system messages that open it ({@link HistoryWindow}); 0 for the whole conversation.
   *     Left out (null), the window saved with the {@code checkpoint} ({@link HistoryWindow#save}, as {@code ludus
   *     train} saves it), else 0, so a policy trained windowed reads as it was trained. {@code ludus train} sets 1 for
   *     an environment whose observations supersede earlier ones
   * @param positions how the model tells positions apart: {@code learned} (default; an embedding per absolute
   *     position) or {@code rotary} (rotary embeddings in attention, RoFormer: scores depend on distances, so what is
   *     learnt at one place of the context holds at another); a {@code checkpoint} keeps the one it was trained with
   * @param copy whether the model's head is a copy (pointer) head (default false): the next token's distribution mixes
   *     the vocabulary head's with one over the tokens already read, so a reply can copy a name or a value from its
   *     episode's text ({@link CopyHead}; See et al. 2017, Merity et al. 2016); built-in transformer only, and a
   *     {@code checkpoint} keeps the choice it was trained with
   */
  public record Config(
      int layers,
      int width,
      int heads,
      int context,
      List<String> vocabulary,
      String vocabularyFile,
      String tokenizerJson,
      Bpe bpe,
      String checkpoint,
      int maxNewTokens,
      double temperature,
      int topK,
      double topP,
      List<String> stop,
      int maxBatch,
      long maxWaitMillis,
      String device,
      long seed,
      boolean valueHead,
      String textToolCalls,
      String invalidToolArguments,
      boolean kvCache,
      int kvCacheEntries,
      int kvCacheMegabytes,
      Integer historyWindow,
      String positions,
      boolean copy) {
    /** Conversations the key/value cache holds by default. */
    public static final int DEFAULT_KV_CACHE_ENTRIES = 1024;
    /** Mebibytes of keys and values the cache holds by default. */
    public static final int DEFAULT_KV_CACHE_MEGABYTES = 256;
    static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");
    /** The fields that name a tokenizer source; at most one may be set. */
    public static final List<String> TOKENIZER_SOURCES =
        List.of("vocabulary", "vocabularyFile", "tokenizerJson", "bpe");

    public Config {
      LanguageModel.Spec.range("layers", layers, 1, 64);
      LanguageModel.Spec.range("width", width, 8, 8192);
      LanguageModel.Spec.range("heads", heads, 1, 128);
      if (width % heads != 0) {
        throw new IllegalArgumentException("width must be a multiple of heads (" + heads + "), was " + width);
      }
      LanguageModel.Spec.range("context", context, 8, 65536);
      if (maxNewTokens < 1 || maxNewTokens >= context) {
        throw new IllegalArgumentException("maxNewTokens must be in [1, " + (context - 1) + "] (below context "
            + context + "), was " + maxNewTokens);
      }
      int sources = (vocabulary != null ? 1 : 0) + (vocabularyFile != null ? 1 : 0) + (tokenizerJson != null ? 1 : 0)
          + (bpe != null ? 1 : 0);
      if (sources > 1) {
        throw new IllegalArgumentException("vocabulary, vocabularyFile, tokenizerJson and bpe are alternatives; set at "
            + "most one, " + sources + " were set");
      }
      if (vocabulary != null) {
        if (vocabulary.isEmpty()) {
          throw new IllegalArgumentException("vocabulary must list at least one word, was empty");
        }
        if (vocabulary.stream().anyMatch(w -> w == null || w.isBlank())) {
          throw new IllegalArgumentException("vocabulary must not contain a null or blank word");
        }
        vocabulary = List.copyOf(vocabulary);
      }
      new Sampling(temperature, topK, topP);
      if (stop != null && stop.stream().anyMatch(x -> x == null || x.isEmpty())) {
        throw new IllegalArgumentException("stop must not contain an empty string, was " + stop);
      }
      stop = stop == null ? List.of() : List.copyOf(stop);
      LanguageModel.Spec.range("maxBatch", maxBatch, 1, 4096);
      LanguageModel.Spec.range("maxWaitMillis", maxWaitMillis, 0, 60_000);
      device = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
      if (!DEVICES.contains(device) && !device.matches("gpu:[0-9]{1,4}")) {
        throw new IllegalArgumentException("device must be one of auto, cpu, gpu, gpu:N, was '" + device + "'");
      }
      textToolCalls = textToolCalls == null ? "none" : textToolCalls.toLowerCase(Locale.ROOT);
      invalidToolArguments = invalidToolArguments == null ? "pass" : invalidToolArguments.toLowerCase(Locale.ROOT);
      TextToolCalls.fromOptions("djl-lm", textToolCalls, invalidToolArguments);
      LanguageModel.Spec.range("kvCacheEntries", kvCacheEntries, 1, 1_000_000);
      LanguageModel.Spec.range("kvCacheMegabytes", kvCacheMegabytes, 1, 1 << 20);
      if (historyWindow != null) {
        LanguageModel.Spec.range("historyWindow", historyWindow, 0, 1 << 20);
      }
      positions = positions == null ? "learned" : positions.toLowerCase(Locale.ROOT);
      LanguageModel.Positions rope = LanguageModel.Positions.parse(positions);
      if (rope == LanguageModel.Positions.ROTARY && (width / heads) % 2 != 0) {
        throw new IllegalArgumentException("positions: rotary needs an even head width (width / heads), was "
            + width / heads + " (width " + width + ", heads " + heads + ")");
      }
    }

    /** A configuration as it was before the copy head: none. */
    public Config(int layers, int width, int heads, int context, List<String> vocabulary, String vocabularyFile,
        String tokenizerJson, Bpe bpe, String checkpoint, int maxNewTokens, double temperature, int topK, double topP,
        List<String> stop, int maxBatch, long maxWaitMillis, String device, long seed, boolean valueHead,
        String textToolCalls, String invalidToolArguments, boolean kvCache, int kvCacheEntries, int kvCacheMegabytes,
        Integer historyWindow, String positions) {
      this(layers, width, heads, context, vocabulary, vocabularyFile, tokenizerJson, bpe, checkpoint, maxNewTokens,
          temperature, topK, topP, stop, maxBatch, maxWaitMillis, device, seed, valueHead, textToolCalls,
          invalidToolArguments, kvCache, kvCacheEntries, kvCacheMegabytes, historyWindow, positions, false);
    }

    /** A configuration as it was before rotary positions: learned positions. */
    public Config(int layers, int width, int heads, int context, List<String> vocabulary, String vocabularyFile,
        String tokenizerJson, Bpe bpe, String checkpoint, int maxNewTokens, double temperature, int topK, double topP,
        List<String> stop, int maxBatch, long maxWaitMillis, String device, long seed, boolean valueHead,
        String textToolCalls, String invalidToolArguments, boolean kvCache, int kvCacheEntries, int kvCacheMegabytes,
        Integer historyWindow) {
      this(layers, width, heads, context, vocabulary, vocabularyFile, tokenizerJson, bpe, checkpoint, maxNewTokens,
          temperature, topK, topP, stop, maxBatch, maxWaitMillis, device, seed, valueHead, textToolCalls,
          invalidToolArguments, kvCache, kvCacheEntries, kvCacheMegabytes, historyWindow, (String) null);
    }

    /** A configuration as it was before the history window, which this leaves out (the checkpoint's, else 0). */
    public Config(int layers, int width, int heads, int context, List<String> vocabulary, String vocabularyFile,
        String tokenizerJson, Bpe bpe, String checkpoint, int maxNewTokens, double temperature, int topK, double topP,
        List<String> stop, int maxBatch, long maxWaitMillis, String device, long seed, boolean valueHead,
        String textToolCalls, String invalidToolArguments, boolean kvCache, int kvCacheEntries, int kvCacheMegabytes) {
      this(layers, width, heads, context, vocabulary, vocabularyFile, tokenizerJson, bpe, checkpoint, maxNewTokens,
          temperature, topK, topP, stop, maxBatch, maxWaitMillis, device, seed, valueHead, textToolCalls,
          invalidToolArguments, kvCache, kvCacheEntries, kvCacheMegabytes, (Integer) null);
    }

    /**
     * This configuration reading only the conversation's latest {@code observations} (0: all of it; null: the
     * checkpoint's window, else 0).
     */
    public Config withHistoryWindow(Integer observations) {
      return edit(c -> c.historyWindow = observations);
    }

    /**
     * This configuration with its history window set: as given, else the one saved with the {@code checkpoint}
     * ({@link HistoryWindow#saved}), else 0 (the whole conversation). A {@code djl-lm} agent reads with this.
     *
     * @throws ConfigException if the checkpoint's saved window cannot be read
     */
    public Config withCheckpointDefaults() {
      if (historyWindow != null) {
        return this;
      }
      int saved = 0;
      if (checkpoint != null && ModelSource.of(checkpoint).isEmpty()) {
        try {
          saved = HistoryWindow.saved(Path.of(checkpoint)).orElse(0);
        } catch (IllegalArgumentException | UncheckedIOException e) {
          throw new ConfigException("djl-lm: checkpoint '" + checkpoint + "': " + e.getMessage(), e);
        }
      }
      return withHistoryWindow(saved);
    }

    /** The defaults: 2 layers, width 64, 4 heads, context 128, 16 new tokens, temperature 1, batches of 32. */
    public static Config defaults() {
      return new Config(2, 64, 4, 128, null, null, null, null, null, 16, 1.0, 0, 1.0, List.of(), 32, 2, "auto", 0,
          false, null, null, false, DEFAULT_KV_CACHE_ENTRIES, DEFAULT_KV_CACHE_MEGABYTES);
    }

    /**
     * A configuration as it was before the cross-turn key/value cache, which this gives its defaults (off, {@value
     * #DEFAULT_KV_CACHE_ENTRIES} entries, {@value #DEFAULT_KV_CACHE_MEGABYTES} MiB).
     */
    public Config(int layers, int width, int heads, int context, List<String> vocabulary, String vocabularyFile,
        String tokenizerJson, Bpe bpe, String checkpoint, int maxNewTokens, double temperature, int topK, double topP,
        List<String> stop, int maxBatch, long maxWaitMillis, String device, long seed, boolean valueHead,
        String textToolCalls, String invalidToolArguments) {
      this(layers, width, heads, context, vocabulary, vocabularyFile, tokenizerJson, bpe, checkpoint, maxNewTokens,
          temperature, topK, topP, stop, maxBatch, maxWaitMillis, device, seed, valueHead, textToolCalls,
          invalidToolArguments, false, DEFAULT_KV_CACHE_ENTRIES, DEFAULT_KV_CACHE_MEGABYTES);
    }

    /**
     * This configuration with the cross-turn key/value cache on or off, holding at most {@code entries}
     * conversations and {@code megabytes} MiB of keys and values.
     */
    public Config withKvCache(boolean on, int entries, int megabytes) {
      return edit(c -> {
        c.kvCache = on;
        c.kvCacheEntries = entries;
        c.kvCacheMegabytes = megabytes;
      });
    }

    public Config withArchitecture(int layers, int width, int heads, int context) {
      return edit(c -> {
        c.layers = layers;
        c.width = width;
        c.heads = heads;
        c.context = context;
      });
    }

    public Config withVocabulary(List<String> words) {
      return edit(c -> {
        c.clearTokenizerSources();
        c.vocabulary = words;
      });
    }

    public Config withTokenizerJson(String path) {
      return edit(c -> {
        c.clearTokenizerSources();
        c.tokenizerJson = path;
      });
    }

    /** This configuration with a byte-level BPE as its tokenizer source (the other sources cleared). */
    public Config withBpe(Bpe bpe) {
      return edit(c -> {
        c.clearTokenizerSources();
        c.bpe = bpe;
      });
    }

    public Config withCheckpoint(String directory) {
      return edit(c -> c.checkpoint = directory);
    }

    public Config withSampling(double temperature, int topK, double topP) {
      return edit(c -> {
        c.temperature = temperature;
        c.topK = topK;
        c.topP = topP;
      });
    }

    public Config withMaxNewTokens(int maxNewTokens) {
      return edit(c -> c.maxNewTokens = maxNewTokens);
    }

    public Config withStop(List<String> stop) {
      return edit(c -> c.stop = stop);
    }

    public Config withBatching(int maxBatch, long maxWaitMillis) {
      return edit(c -> {
        c.maxBatch = maxBatch;
        c.maxWaitMillis = maxWaitMillis;
      });
    }

    public Config withSeed(long seed) {
      return edit(c -> c.seed = seed);
    }

    /** This configuration on {@code device} ({@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}). */
    public Config withDevice(String device) {
      return edit(c -> c.device = device);
    }

    public Config withValueHead(boolean on) {
      return edit(c -> c.valueHead = on);
    }

    /** This configuration with positions {@code learned} or {@code rotary} (see {@link #positions}). */
    public Config withPositions(String positions) {
      return edit(c -> c.positions = positions);
    }

    /** This configuration with or without the copy head (see {@link #copy}). */
    public Config withCopy(boolean on) {
      return edit(c -> c.copy = on);
    }

    /** This configuration reading text tool calls in {@code format} ({@code none}, {@code hermes}, {@code json}). */
    public Config withTextToolCalls(String format, String invalidToolArguments) {
      return edit(c -> {
        c.textToolCalls = format;
        c.invalidToolArguments = invalidToolArguments;
      });
    }

    /** This configuration with what {@code change} sets on a copy of its values. */
    private Config edit(java.util.function.Consumer<Copy> change) {
      Copy c = new Copy(this);
      change.accept(c);
      return c.build();
    }

    /** A mutable copy of the components, so that each {@code with…} names only what it changes. */
    private static final class Copy {
      int layers;
      int width;
      int heads;
      int context;
      List<String> vocabulary;
      String vocabularyFile;
      String tokenizerJson;
      Bpe bpe;
      String checkpoint;
      int maxNewTokens;
      double temperature;
      int topK;
      double topP;
      List<String> stop;
      int maxBatch;
      long maxWaitMillis;
      String device;
      long seed;
      boolean valueHead;
      String textToolCalls;
      String invalidToolArguments;
      boolean kvCache;
      int kvCacheEntries;
      int kvCacheMegabytes;
      Integer historyWindow;
      String positions;
      boolean copy;

      Copy(Config from) {
        layers = from.layers;
        width = from.width;
        heads = from.heads;
        context = from.context;
        vocabulary = from.vocabulary;
        vocabularyFile = from.vocabularyFile;
        tokenizerJson = from.tokenizerJson;
        bpe = from.bpe;
        checkpoint = from.checkpoint;
        maxNewTokens = from.maxNewTokens;
        temperature = from.temperature;
        topK = from.topK;
        topP = from.topP;
        stop = from.stop;
        maxBatch = from.maxBatch;
        maxWaitMillis = from.maxWaitMillis;
        device = from.device;
        seed = from.seed;
        valueHead = from.valueHead;
        textToolCalls = from.textToolCalls;
        invalidToolArguments = from.invalidToolArguments;
        kvCache = from.kvCache;
        kvCacheEntries = from.kvCacheEntries;
        kvCacheMegabytes = from.kvCacheMegabytes;
        historyWindow = from.historyWindow;
        positions = from.positions;
        copy = from.copy;
      }

      /** Clears every tokenizer source, before one is set (they are alternatives). */
      void clearTokenizerSources() {
        vocabulary = null;
        vocabularyFile = null;
        tokenizerJson = null;
        bpe = null;
      }

      Config build() {
        return new Config(layers, width, heads, context, vocabulary, vocabularyFile, tokenizerJson, bpe, checkpoint,
            maxNewTokens, temperature, topK, topP, stop, maxBatch, maxWaitMillis, device, seed, valueHead,
            textToolCalls, invalidToolArguments, kvCache, kvCacheEntries, kvCacheMegabytes, historyWindow, positions,
            copy);
      }
    }

    /** The reader of tool calls written in text that {@link #textToolCalls} selects. */
    TextToolCalls textCalls() {
      return TextToolCalls.fromOptions("djl-lm", textToolCalls, invalidToolArguments);
    }

    /** The format the chat template describes tools and renders calls in: the text format, else hermes. */
    ToolCallParser toolFormat() {
      return textToolCalls.equals("none") ? ToolCallParser.hermes() : ToolCallParser.of(textToolCalls);
    }

    /** The sampling part. */
    Sampling sampling() {
      return new Sampling(temperature, topK, topP);
    }

    /** The architecture for a tokenizer of {@code vocabSize} tokens. */
    LanguageModel.Spec spec(int vocabSize) {
      return new LanguageModel.Spec(layers, width, heads, context, vocabSize, valueHead,
          LanguageModel.Positions.parse(positions), copy);
    }

    /** Whether a tokenizer source is set (else the built-in vocabulary, or a checkpoint's own tokenizer). */
    public boolean hasTokenizerSource() {
      return vocabulary != null || vocabularyFile != null || tokenizerJson != null || bpe != null;
    }

    /** A new tokenizer from whichever source is set (the caller closes it). */
    LmTokenizer tokenizer() {
      try {
        if (bpe != null) {
          return LmTokenizer.byteLevelBpe(bpe.texts(), bpe.vocabSize(), bpe.wholeTextsOrNone(), bpe.gridCells());
        }
        if (tokenizerJson != null) {
          return LmTokenizer.huggingFace(existing("tokenizerJson", tokenizerJson));
        }
        if (vocabularyFile != null) {
          return LmTokenizer.wordLevel(existing("vocabularyFile", vocabularyFile));
        }
        return LmTokenizer.wordLevel(vocabulary != null ? vocabulary : DefaultVocabulary.words());
      } catch (UncheckedIOException | IllegalArgumentException e) {
        throw new ConfigException("djl-lm: " + e.getMessage(), e);
      }
    }

    private static Path existing(String field, String path) {
      Path p = Path.of(path);
      if (!Files.isRegularFile(p)) {
        throw new ConfigException("djl-lm: " + field + " '" + path + "' is not a readable file");
      }
      return p;
    }
  }

  /**
   * A byte-level BPE tokenizer ({@link LmTokenizer#byteLevelBpe}) trained when the agent starts, on
   * {@code trainOn} and the text of {@code trainOnFile}. With neither, it trains on the text of the environment
   * it plays: {@code ludus train} gathers that (observations and the oracle's and random agent's actions from a
   * few seeded episodes) and passes it as {@code trainOn}; elsewhere, with neither and no checkpoint that holds
   * a tokenizer, creating the agent fails saying so.
   *
   * @param vocabSize the most tokens, 264 to 65536 (default 512): 8 special tokens, 256 bytes, then merges;
   *     fewer when the texts run out of pairs seen twice
   * @param trainOn texts to train on
   * @param trainOnFile a UTF-8 text file to train on, as one text
   * @param wholeTexts texts that are one token each wherever they occur (counted in {@code vocabSize}; see
   *     {@link ByteLevelBpeTokenizer}); none when left out, except that {@code ludus train}, training on the
   *     environment's text, gives the messages every measured episode opens with unchanged (a constant system
   *     prompt); {@code []} for none there too
   * @param gridCells the characters a board's cells are drawn with: each such character that, with the rest of its
   *     line, is all cells is one token of its own, so no merge joins two cells (see {@link LmTokenizer#byteLevelBpe(
   *     List, int, List, String)}); none when left out, except that {@code ludus train} gives the cells the
   *     environment declares ({@code EnvironmentProvider#gridCells})
   */
  public record Bpe(Integer vocabSize, List<String> trainOn, String trainOnFile, List<String> wholeTexts,
      String gridCells) {
    public static final int DEFAULT_VOCAB_SIZE = 512;

    /** Without whole texts given (see {@code wholeTexts}). */
    public Bpe(Integer vocabSize, List<String> trainOn, String trainOnFile) {
      this(vocabSize, trainOn, trainOnFile, null, null);
    }

    /** Without grid cells. */
    public Bpe(Integer vocabSize, List<String> trainOn, String trainOnFile, List<String> wholeTexts) {
      this(vocabSize, trainOn, trainOnFile, wholeTexts, null);
    }

    public Bpe {
      vocabSize = vocabSize == null ? DEFAULT_VOCAB_SIZE : vocabSize;
      LanguageModel.Spec.range("bpe.vocabSize", vocabSize, ByteLevelBpeTokenizer.MIN_VOCAB_SIZE,
          ByteLevelBpeTokenizer.MAX_VOCAB_SIZE);
      if (trainOn != null) {
        if (trainOn.isEmpty() || trainOn.stream().anyMatch(t -> t == null)) {
          throw new IllegalArgumentException("bpe.trainOn must list at least one text and no null, was " + trainOn
              + " (leave it out to train on the environment's text under ludus train)");
        }
        trainOn = List.copyOf(trainOn);
      }
      if (trainOnFile != null && trainOnFile.isBlank()) {
        throw new IllegalArgumentException("bpe.trainOnFile must name a file, was blank");
      }
      if (wholeTexts != null) {
        if (wholeTexts.stream().anyMatch(t -> t == null || t.isEmpty())
            || new java.util.HashSet<>(wholeTexts).size() != wholeTexts.size()) {
          throw new IllegalArgumentException("bpe.wholeTexts must list distinct, non-empty texts, was " + wholeTexts);
        }
        wholeTexts = List.copyOf(wholeTexts);
      }
      if (gridCells != null) {
        try {
          ByteLevel.cellRegex(gridCells);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("bpe.gridCells: " + e.getMessage(), e);
        }
      }
    }

    /** A tokenizer of at most {@code vocabSize} tokens trained on {@code texts}. */
    public static Bpe of(int vocabSize, List<String> texts) {
      return new Bpe(vocabSize, texts, null);
    }

    /** Whether texts are given ({@code trainOn} or {@code trainOnFile}); if not, the environment's text is meant. */
    public boolean hasTexts() {
      return trainOn != null || trainOnFile != null;
    }

    /** The same size and whole texts, trained on {@code texts} instead. */
    public Bpe withTexts(List<String> texts) {
      return new Bpe(vocabSize, texts, null, wholeTexts, gridCells);
    }

    /** The same, with {@code texts} as its whole texts. */
    public Bpe withWholeTexts(List<String> texts) {
      return new Bpe(vocabSize, trainOn, trainOnFile, texts, gridCells);
    }

    /** The same, with {@code cells} as its grid cells (null for none). */
    public Bpe withGridCells(String cells) {
      return new Bpe(vocabSize, trainOn, trainOnFile, wholeTexts, cells);
    }

    /** The whole texts; empty when none are given. */
    public List<String> wholeTextsOrNone() {
      return wholeTexts == null ? List.of() : wholeTexts;
    }

    /** The texts to train on: {@code trainOn}, then the file's text. */
    List<String> texts() {
      if (!hasTexts()) {
        throw new ConfigException("djl-lm: bpe has no text to train on: give bpe.trainOn (a list of texts) or "
            + "bpe.trainOnFile (a text file); ludus train trains it on the environment's own text");
      }
      List<String> texts = new ArrayList<>(trainOn == null ? List.of() : trainOn);
      if (trainOnFile != null) {
        Path file = Config.existing("bpe.trainOnFile", trainOnFile);
        try {
          texts.add(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new ConfigException("djl-lm: cannot read bpe.trainOnFile '" + trainOnFile + "': " + e.getMessage(), e);
        }
      }
      return texts;
    }
  }

  /**
   * The tokenizer of an agent made from {@code config} (the caller closes it). With a {@code checkpoint} that
   * holds a {@link LmTokenizer#FILE_NAME}, that tokenizer: as is when the configuration sets no tokenizer source
   * (or a {@code bpe} without texts, which means the environment's text the checkpoint was trained on), and
   * otherwise only if the configured source gives the same tokenizer; else a {@link ConfigException} naming both.
   * Without one, the configured source (the built-in vocabulary when none is set).
   */
  public static LmTokenizer tokenizer(Config config) {
    java.util.Optional<ModelSource.Located> source = ModelSource.of(config.checkpoint());
    if (source.isPresent()) {
      return source.get().source().tokenizer(source.get().location(), config);
    }
    boolean named = config.vocabulary() != null || config.vocabularyFile() != null || config.tokenizerJson() != null;
    java.util.Optional<LmTokenizer> kept = config.checkpoint() == null || named ? java.util.Optional.empty()
        : LanguageModel.checkpointTokenizer(Path.of(config.checkpoint()));
    if (kept.isPresent()) {
      return kept.get(); // the checkpoint's architecture keeps its tokenizer with more than tokenizer.json
    }
    Path saved = config.checkpoint() == null ? null : Path.of(config.checkpoint()).resolve(LmTokenizer.FILE_NAME);
    if (saved == null || !Files.isRegularFile(saved)) {
      return config.tokenizer();
    }
    LmTokenizer fromCheckpoint;
    try {
      fromCheckpoint = LmTokenizer.read(saved);
    } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
      throw new ConfigException("djl-lm: checkpoint '" + config.checkpoint() + "' has a " + LmTokenizer.FILE_NAME
          + " that cannot be read: " + e.getMessage(), e);
    }
    if (!config.hasTokenizerSource() || (config.bpe() != null && !config.bpe().hasTexts())) {
      return fromCheckpoint;
    }
    LmTokenizer configured;
    try {
      configured = config.tokenizer();
    } catch (RuntimeException e) {
      fromCheckpoint.close();
      throw e;
    }
    if (TokenizerJson.same(fromCheckpoint, configured)) {
      configured.close();
      return fromCheckpoint;
    }
    String message = "djl-lm: checkpoint '" + config.checkpoint() + "' was trained with "
        + TokenizerJson.describe(fromCheckpoint) + " (its " + LmTokenizer.FILE_NAME + ") but the configuration gives "
        + TokenizerJson.describe(configured) + "; leave vocabulary, vocabularyFile, tokenizerJson and bpe out to use "
        + "the checkpoint's";
    fromCheckpoint.close();
    configured.close();
    throw new ConfigException(message);
  }

  @Override
  public String name() {
    return "djl-lm";
  }

  @Override
  public String description() {
    return "a small transformer language model in-process on DJL, batched across episodes, with token traces";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return Config.defaults();
  }

  /** A new agent owning a new model (or one loaded from {@code checkpoint}) and tokenizer. */
  @Override
  public Agent create(Config config, BoundEnvironment environment) {
    LmTokenizer tokenizer = tokenizer(config);
    LanguageModel model = null;
    try {
      java.util.Optional<ModelSource.Located> source = ModelSource.of(config.checkpoint());
      if (source.isPresent()) {
        if (config.copy()) {
          throw new ConfigException("djl-lm: copy: true needs the built-in transformer; checkpoint '"
              + config.checkpoint() + "' names a model of another architecture (leave copy out or false)");
        }
        model = source.get().source().model(source.get().location(), config);
      } else if (config.checkpoint() != null) {
        Path dir = Path.of(config.checkpoint());
        if (!Files.isRegularFile(dir.resolve(LmCheckpoint.SPEC_FILE))) {
          throw new ConfigException("djl-lm: checkpoint '" + dir + "' is not a directory saved by djl-lm (no "
              + LmCheckpoint.SPEC_FILE + ")");
        }
        model = LanguageModel.load(dir, config.device());
        if (model.spec().vocabSize() != tokenizer.vocabSize()) {
          throw new ConfigException("djl-lm: checkpoint '" + dir + "' has " + model.spec().vocabSize()
              + " tokens but the tokenizer has " + tokenizer.vocabSize() + "; use the checkpoint's tokenizer");
        }
        if (config.valueHead() && !model.hasValueHead()) {
          LanguageModel headless = model;
          model = null;
          try {
            model = headless.withFreshValueHead(config.seed());
          } finally {
            headless.close();
          }
        }
      } else {
        model = LanguageModel.create(config.spec(tokenizer.vocabSize()), config.device(), config.seed());
      }
      return new DjlLmAgent(model, tokenizer, true, config);
    } catch (RuntimeException e) {
      if (model != null) {
        model.close();
      }
      tokenizer.close();
      if (e instanceof ConfigException) {
        throw e;
      }
      throw new ConfigException("djl-lm: " + e.getMessage(), e);
    }
  }
}
