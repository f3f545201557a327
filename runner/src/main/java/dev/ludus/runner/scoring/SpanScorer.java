package dev.ludus.runner.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.ludus.agents.djl.ConversationIds;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.batch.Batcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A djl-lm checkpoint that scores token spans: the mean log-probability of each span's tokens after its prompt,
 * many spans per forward pass. Shared by the policy-derived shapers of this package.
 *
 * <p>Design: one model, tokenizer and {@link Batcher} per (directory, device) for the whole run, built through
 * {@link PluginContext#shared} and closed with the context; the batcher renders the requests to ids and runs
 * forward passes on its own {@link ScoringWorker} thread (one PyTorch intra-op thread by default), never on an event
 * loop. A batch's spans are packed by their
 * shared prefixes ({@link PrefixPacking}), so an episode's conversation is computed once for all its turns' spans
 * (each conversation so far is a prefix of the next) and episodes in one row share their opening; only the span
 * tokens' logits go through the log-softmax. The checkpoint never changes, so a span scored before is answered from a
 * memo of the latest {@link #MEMO} spans (groups of one task repeat their opening and often their first turns). A span longer than the model's context keeps the end of its
 * prompt (and, when the span alone is too long, the first {@code context - 1} of its tokens). Thread-safe.
 */
final class SpanScorer implements AutoCloseable {
  /** The architecture file {@link LanguageModel#save} writes beside the weights. */
  static final String SPEC_FILE = "djl-lm.json";

  private final LanguageModel model;
  private final LmTokenizer tokenizer;
  private final int maxRowTokens;
  /** Tokens the chat template puts after a conversation's last message (end-of-turn aside): the assistant marker. */
  private final int trailing;
  /** The latest {@link #MEMO} spans' scores, least recently used first. */
  private final Map<Key, Double> memo = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Double> eldest) {
      return size() > MEMO;
    }
  };
  private volatile long computed;
  private volatile int lastSharedPrefix;
  static final int MEMO = 16_384;
  /** The shortest common opening of a batch that gets a pass of its own (below, the rows just hold it). */
  static final int MIN_SHARED_PREFIX = 8;

  SpanScorer(LanguageModel model, LmTokenizer tokenizer) {
    this(model, tokenizer, model.spec().context());
  }

  /** A scorer whose packed rows hold up to {@code maxRowTokens} tokens (at least the model's context). */
  SpanScorer(LanguageModel model, LmTokenizer tokenizer, int maxRowTokens) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.maxRowTokens = maxRowTokens;
    this.trailing = ConversationIds.of(tokenizer, List.of()).length - (tokenizer.bosId() >= 0 ? 1 : 0);
  }

  /** A prompt and the tokens whose mean log-probability after it is wanted. */
  record Span(int[] prompt, int[] output) {
    Span {
      if (prompt.length == 0 || output.length == 0) {
        throw new IllegalArgumentException("a span needs a prompt and at least one token");
      }
    }
  }

  /**
   * A span described by text, turned into ids by {@link #ids} on the batcher's worker thread (rendering long
   * conversations is CPU work that stays off the caller's event loop).
   */
  interface Request {
    /** The prompt and output ids of this span under {@code scorer}'s tokenizer. */
    Span ids(SpanScorer scorer);
  }

  /** {@code answer} written after {@code prefix} in the assistant's next message after {@code conversation}. */
  record AssistantSpan(List<Message> conversation, String prefix, String answer) implements Request {
    AssistantSpan {
      conversation = List.copyOf(conversation);
    }

    @Override
    public Span ids(SpanScorer scorer) {
      return scorer.assistantSpan(conversation, prefix, answer);
    }
  }

  /** {@code text} as the next user message after {@code conversation}. */
  record UserFollowUp(List<Message> conversation, String text) implements Request {
    UserFollowUp {
      conversation = List.copyOf(conversation);
    }

    @Override
    public Span ids(SpanScorer scorer) {
      return scorer.userFollowUp(conversation, text);
    }
  }

  /** The scorer and its batcher for one checkpoint on one device. */
  record Handle(SpanScorer scorer, Batcher<Request, Double> batcher) {}

  /**
   * The run's scorer of checkpoint {@code dir} (a {@code policy/} directory of a {@code ludus train} checkpoint, or
   * the checkpoint step directory holding it) on {@code device}.
   *
   * @throws ConfigException if {@code dir} holds no djl-lm model with its {@code tokenizer.json}
   */
  static Handle shared(String shaper, String dir, String device, int maxBatch, PluginContext context) {
    if (dir == null || dir.isBlank()) {
      throw new ConfigException(shaper + ": config.model is required: a djl-lm checkpoint directory "
          + "(checkpoints/step-N/policy of a ludus train run)");
    }
    if (maxBatch < 1 || maxBatch > 4096) {
      throw new ConfigException(shaper + ": maxBatch must be in [1, 4096], was " + maxBatch);
    }
    Path modelDir = checkpoint(shaper, dir);
    String key = "policy-scorer/" + modelDir.toAbsolutePath().normalize() + "@" + device;
    SpanScorer scorer = context.shared(key, SpanScorer.class, () -> {
      LmTokenizer tok = LmTokenizer.read(modelDir.resolve(LmTokenizer.FILE_NAME));
      try {
        return new SpanScorer(LanguageModel.load(modelDir, device), tok);
      } catch (RuntimeException e) {
        tok.close();
        throw e;
      }
    });
    ScoringWorker worker = context.shared(key + "/worker", ScoringWorker.class,
        () -> new ScoringWorker("ludus-policy-scorer"));
    @SuppressWarnings("unchecked")
    Batcher<Request, Double> batcher = context.shared(key + "/batcher", Batcher.class,
        () -> Batcher.<Request, Double>builder("policy-scorer", scorer::score)
            .maxBatch(maxBatch).maxWait(Duration.ofMillis(2)).executor(worker).build());
    return new Handle(scorer, batcher);
  }

  /**
   * The djl-lm checkpoint directory {@code dir} names: itself, or its {@code policy/} (a {@code ludus train} step).
   *
   * @throws ConfigException if neither holds a djl-lm model with its {@code tokenizer.json}
   */
  static Path checkpoint(String shaper, String dir) {
    if (dir == null || dir.isBlank()) {
      throw new ConfigException(shaper + ": config.model is required: a djl-lm checkpoint directory "
          + "(checkpoints/step-N/policy of a ludus train run)");
    }
    Path path = Path.of(dir);
    if (!Files.isRegularFile(path.resolve(SPEC_FILE)) && Files.isRegularFile(path.resolve("policy").resolve(SPEC_FILE))) {
      path = path.resolve("policy");
    }
    if (!Files.isRegularFile(path.resolve(SPEC_FILE)) || !Files.isRegularFile(path.resolve(LmTokenizer.FILE_NAME))) {
      throw new ConfigException(shaper + ": " + dir + " is not a djl-lm checkpoint (it needs " + SPEC_FILE + " and "
          + LmTokenizer.FILE_NAME + "); use checkpoints/step-N/policy of a ludus train run");
    }
    return path;
  }

  LmTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * The mean log-probability of each request's span, its ids built here: spans scored before come from the memo
   * (the checkpoint never changes, so a span's score never does), the others from one forward pass.
   */
  List<Double> score(List<Request> requests) {
    long t0 = System.nanoTime();
    long cpu0 = ScoringClock.threadCpu();
    Double[] out = new Double[requests.size()];
    List<Span> missing = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      Span span = requests.get(i).ids(this);
      synchronized (memo) {
        out[i] = memo.get(new Key(span));
      }
      if (out[i] == null) {
        missing.add(span);
        at.add(i);
      }
    }
    if (!missing.isEmpty()) {
      List<Double> scored = meanLogProbs(missing);
      synchronized (memo) {
        for (int j = 0; j < scored.size(); j++) {
          out[at.get(j)] = scored.get(j);
          memo.put(new Key(missing.get(j)), scored.get(j));
        }
      }
      computed += missing.size();
    }
    ScoringClock.add(System.nanoTime() - t0, ScoringClock.threadCpu() - cpu0, requests.size());
    return Arrays.asList(out);
  }

  /** Spans computed by forward passes so far (not answered from the memo). */
  long computed() {
    return computed;
  }

  /** A span's ids as a memo key. */
  private record Key(int[] prompt, int[] output) {
    Key(Span s) {
      this(s.prompt(), s.output());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(prompt, k.prompt) && Arrays.equals(output, k.output);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(prompt) + Arrays.hashCode(output);
    }
  }

  /**
   * The mean log-probability of each span's tokens after its prompt, in one forward pass over the spans packed by
   * their shared prefixes ({@link PrefixPacking}): the turns of an episode and the episodes of a group share their
   * conversation's tokens, which are computed once; the vocabulary's log-softmax is taken at the span tokens only.
   */
  List<Double> meanLogProbs(List<Span> spans) {
    int context = model.spec().context();
    List<int[]> sequences = new ArrayList<>(spans.size());
    int[] promptLengths = new int[spans.size()];
    int cells = 0;
    int cut = 0;
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      int[] out = s.output().length >= context ? Arrays.copyOf(s.output(), context - 1) : s.output();
      int keep = Math.min(s.prompt().length, context - out.length);
      int[] seq = new int[keep + out.length];
      System.arraycopy(s.prompt(), s.prompt().length - keep, seq, 0, keep);
      System.arraycopy(out, 0, seq, keep, out.length);
      sequences.add(seq);
      promptLengths[i] = keep;
      cells += out.length;
      cut += keep < s.prompt().length ? 1 : 0;
    }
    ScoringClock.addCut(cut);
    // the batch's common opening (kept short of every prompt's last token, whose logits predict the span) is
    // computed once, in a pass of its own, and its keys and values serve every row
    int shared = sharedPrefix(sequences, promptLengths);
    int prefix = shared >= MIN_SHARED_PREFIX ? shared : 0;
    List<int[]> rest = sequences;
    if (prefix > 0) {
      rest = new ArrayList<>(sequences.size());
      for (int[] seq : sequences) {
        rest.add(Arrays.copyOfRange(seq, prefix, seq.length));
      }
    }
    PrefixPacking packed = PrefixPacking.pack(rest, Math.max(context, maxRowTokens));
    // the cell whose logits predict each span token (the token before it), and that token
    long[] at = new long[cells];
    long[] targets = new long[cells];
    int n = 0;
    for (int i = 0; i < sequences.size(); i++) {
      int[] seq = sequences.get(i);
      for (int j = promptLengths[i]; j < seq.length; j++) {
        at[n] = packed.cells()[i][j - 1 - prefix];
        targets[n++] = seq[j];
      }
    }
    lastSharedPrefix = prefix;
    float[] lp = forwardAt(Arrays.copyOf(sequences.get(0), prefix), packed, at, targets);
    List<Double> means = new ArrayList<>(spans.size());
    n = 0;
    for (int i = 0; i < sequences.size(); i++) {
      int len = sequences.get(i).length - promptLengths[i];
      double sum = 0;
      for (int j = 0; j < len; j++) {
        sum += lp[n++];
      }
      means.add(sum / len);
    }
    return means;
  }

  /**
   * The length of the opening every sequence shares, short of each prompt's last token (at least that token stays
   * in the rows, since its logits predict the span's first token).
   */
  static int sharedPrefix(List<int[]> sequences, int[] promptLengths) {
    int[] first = sequences.get(0);
    int n = promptLengths[0] - 1;
    for (int i = 1; i < sequences.size() && n > 0; i++) {
      int[] seq = sequences.get(i);
      n = Math.min(n, promptLengths[i] - 1);
      int j = 0;
      while (j < n && seq[j] == first[j]) {
        j++;
      }
      n = j;
    }
    return Math.max(n, 0);
  }

  /** The common opening of the latest batch that was computed once for all its rows (0: none); for tests. */
  int lastSharedPrefix() {
    return lastSharedPrefix;
  }

  /**
   * The log-probability of {@code targets[k]} at flat cell {@code at[k]} of the packed rows, which continue the
   * shared opening {@code prefix} (may be empty): the opening's pass gives its keys and values, broadcast to every
   * row; the rows' pass projects only the cells in {@code at} onto the vocabulary.
   */
  private float[] forwardAt(int[] prefix, PrefixPacking p, long[] at, long[] targets) {
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager m = model.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      NDList inputs = PackedInputs.of(model, m, ps, prefix, p);
      NDArray picked = model.logitsAt(ps, inputs, m.create(at)).reshape(at.length, -1);
      return picked.logSoftmax(-1).gather(m.create(targets).reshape(at.length, 1), 1).toFloatArray();
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  /** The prompt for the assistant's next message after {@code conversation}: it ends with the assistant marker. */
  int[] assistantPrompt(List<Message> conversation) {
    return ConversationIds.of(tokenizer, conversation);
  }

  /**
   * The span of a user message {@code text} after {@code conversation}: the prompt is the conversation and the
   * user marker, the output the text's tokens (the ids the chat template gives that message).
   */
  Span userFollowUp(List<Message> conversation, String text) {
    List<Message> with = new ArrayList<>(conversation);
    with.add(Message.user(text));
    int[] full = ConversationIds.of(tokenizer, with);
    int end = full.length - trailing - 1; // before the message's end-of-turn token and the assistant marker
    int start = end - tokenizer.encode(text).length;
    return new Span(Arrays.copyOfRange(full, 0, start), Arrays.copyOfRange(full, start, end));
  }

  /** The span of {@code answer} written after {@code prefix} in the assistant's next message. */
  Span assistantSpan(List<Message> conversation, String prefix, String answer) {
    int[] head = assistantPrompt(conversation);
    int[] pre = prefix.isEmpty() ? new int[0] : tokenizer.encode(prefix);
    int[] prompt = Arrays.copyOf(head, head.length + pre.length);
    System.arraycopy(pre, 0, prompt, head.length, pre.length);
    return new Span(prompt, tokenizer.encode(answer));
  }

  @Override
  public void close() {
    try {
      model.close();
    } finally {
      tokenizer.close();
    }
  }
}
