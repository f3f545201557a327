package dev.ludus.runner.rm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.ConversationIds;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.scoring.PackedValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Bradley–Terry reward model: a djl-lm transformer with a scalar head read at the last token of a conversation
 * rendered as djl-lm renders it ({@link ConversationIds}), and the tokenizer it reads with. A conversation longer
 * than the context keeps its last tokens. Saved as a directory: the model's files, {@code tokenizer.json} and
 * {@code reward-model.json} (what it is and how it was trained).
 *
 * <p>Thread-safety: {@link #score} is thread-safe (the model's forward passes take its read lock). Life-cycle: the
 * reward model owns its model and tokenizer; {@link #close} releases them.
 */
public final class RewardModel implements AutoCloseable {
  /** The marker file of a reward-model directory. */
  public static final String META = "reward-model.json";

  private final LanguageModel model;
  private final LmTokenizer tokenizer;

  RewardModel(LanguageModel model, LmTokenizer tokenizer) {
    this.model = Objects.requireNonNull(model, "model");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
  }

  /** A fresh, untrained reward model of the given size over {@code tokenizer}. */
  public static RewardModel create(LmTokenizer tokenizer, int layers, int width, int heads, int context,
      String device, long seed) {
    return new RewardModel(LanguageModel.create(new LanguageModel.Spec(layers, width, heads, context,
        tokenizer.vocabSize(), true), device, seed), tokenizer);
  }

  /**
   * A reward model on the trunk of a djl-lm checkpoint ({@code directory} holds {@code djl-lm.json} and
   * {@code tokenizer.json}, such as {@code checkpoints/step-N/policy} of a {@code ludus train} run): its weights and
   * tokenizer, with a fresh scalar head drawn from {@code seed} (or the checkpoint's own value head when it has one).
   * Conversations longer than the checkpoint's context keep their last tokens.
   */
  public static RewardModel fromCheckpoint(Path directory, String device, long seed) {
    Path dir = Files.isRegularFile(directory.resolve("djl-lm.json")) ? directory : directory.resolve("policy");
    if (!Files.isRegularFile(dir.resolve("djl-lm.json")) || !Files.isRegularFile(dir.resolve(LmTokenizer.FILE_NAME))) {
      throw new ConfigException(directory + " is not a djl-lm checkpoint (it needs djl-lm.json and "
          + LmTokenizer.FILE_NAME + "); use checkpoints/step-N/policy of a ludus train run");
    }
    LmTokenizer tokenizer = LmTokenizer.read(dir.resolve(LmTokenizer.FILE_NAME));
    LanguageModel lm = LanguageModel.load(dir, device);
    if (lm.hasValueHead()) {
      return new RewardModel(lm, tokenizer);
    }
    try (LanguageModel plain = lm) {
      return new RewardModel(plain.withFreshValueHead(seed), tokenizer);
    }
  }

  /** The reward model saved in {@code directory} by {@link #save}. */
  public static RewardModel load(Path directory, String device) {
    if (!Files.isRegularFile(directory.resolve(META))) {
      throw new ConfigException(directory + " is not a reward model (no " + META + "); train one with ludus rm train");
    }
    LmTokenizer tokenizer = LmTokenizer.read(directory.resolve(LmTokenizer.FILE_NAME));
    return new RewardModel(LanguageModel.load(directory, device), tokenizer);
  }

  /** Writes the model, its tokenizer and {@code about} (training facts) into {@code directory}. */
  public void save(Path directory, ObjectNode about) {
    save(directory, "bradley-terry", about);
  }

  /**
   * Writes the model, its tokenizer, its {@code kind} ({@code bradley-terry}, or {@code utterance} for a Sotopia-RL
   * utterance reward model) and {@code about} (training facts) into {@code directory}.
   */
  public void save(Path directory, String kind, ObjectNode about) {
    try {
      Files.createDirectories(directory);
      model.save(directory);
      tokenizer.save(directory.resolve(LmTokenizer.FILE_NAME));
      ObjectNode meta = Json.JSON.createObjectNode().put("kind", kind).put("format", 1);
      meta.set("training", about);
      Files.writeString(directory.resolve(META), Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the reward model into " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The token ids the model reads for {@code conversation} (its last {@code context} tokens). */
  public int[] ids(List<Message> conversation) {
    return ids(tokenizer, conversation);
  }

  private int[] ids(LmTokenizer tok, List<Message> conversation) {
    int[] ids = ConversationIds.of(tok, conversation);
    int context = model.spec().context();
    return ids.length <= context ? ids : Arrays.copyOfRange(ids, ids.length - context, ids.length);
  }

  /**
   * The reward of each conversation, {@code batch} conversations a forward pass, taken in order of length so that a
   * pass pads its rows to about the same length; the results are in the given order. A pass computes the opening its
   * conversations share once ({@link PackedValues}); each score equals the conversation's scored alone.
   */
  public float[] score(List<List<Message>> conversations, int batch) {
    List<int[]> ends = new ArrayList<>(conversations.size());
    for (List<Message> c : conversations) {
      ends.add(new int[] {c.size()});
    }
    float[][] turns = scoreTurns(conversations, ends, batch);
    float[] out = new float[turns.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = turns[i][0];
    }
    return out;
  }

  /**
   * Turn-level rewards: for each conversation {@code c} and each {@code k}, the reward of its first
   * {@code ends[k]} messages (the conversation so far at turn k's end), as {@link #score} gives it alone. Each pass
   * takes {@code batch} conversations (in order of length) with all their turns: causal attention makes the reward of a
   * conversation so far the value at its last token, so every turn of a conversation, each a prefix of the next but
   * for the template's assistant marker, comes from one pass over the conversation (a prefix tree, {@link
   * PackedValues}), and the pass's common opening is computed once.
   *
   * @throws IllegalArgumentException if the lists differ in size or an end is not in [1, conversation size]
   */
  public float[][] scoreTurns(List<List<Message>> conversations, List<int[]> ends, int batch) {
    if (conversations.size() != ends.size()) {
      throw new IllegalArgumentException(conversations.size() + " conversations and " + ends.size()
          + " lists of turn ends; they must be as many");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, was " + batch);
    }
    int n = conversations.size();
    // each message's text is encoded once for the whole call: every turn's conversation so far repeats the earlier
    // messages, every episode the system prompt (rm bench, 490 turns: 0.045 s of a batched call's 0.26 s of CPU)
    LmTokenizer memo = new MemoTokenizer(tokenizer);
    int[][][] ids = new int[n][][];
    int[] longest = new int[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      List<Message> c = conversations.get(i);
      int[] e = ends.get(i);
      ids[i] = new int[e.length][];
      for (int k = 0; k < e.length; k++) {
        if (e[k] < 1 || e[k] > c.size()) {
          throw new IllegalArgumentException("conversation " + i + " has " + c.size() + " messages; turn end " + k
              + " must be in [1, " + c.size() + "], was " + e[k]);
        }
        ids[i][k] = ids(memo, c.subList(0, e[k]));
        longest[i] = Math.max(longest[i], ids[i][k].length);
      }
      order[i] = i;
    }
    Arrays.sort(order, java.util.Comparator.comparingInt(i -> longest[i]));
    float[][] out = new float[n][];
    // row caps up to half the context (the plan picks the cap and the passes, PackingPlan): attention's cost grows
    // with the square of a row's length (rm bench, one intra-op thread, next-fit rows of one width: 384-token rows
    // 0.53 s of CPU, 192-token rows 0.40 s, 768 0.95 s, a row per episode 1.13 s)
    int rowTokens = Math.max(64, model.spec().context() / 2);
    for (int start = 0; start < n; start += batch) {
      int end = Math.min(n, start + batch);
      List<int[]> part = new ArrayList<>();
      for (int k = start; k < end; k++) {
        part.addAll(Arrays.asList(ids[order[k]]));
      }
      float[] v = PackedValues.lastValues(model, part, rowTokens);
      int at = 0;
      for (int k = start; k < end; k++) {
        int i = order[k];
        out[i] = Arrays.copyOfRange(v, at, at + ids[i].length);
        at += ids[i].length;
      }
    }
    return out;
  }

  /** The turn ends of a conversation whose turns end at its assistant messages: the count of messages up to each. */
  public static int[] assistantEnds(List<Message> conversation) {
    return java.util.stream.IntStream.range(0, conversation.size())
        .filter(i -> conversation.get(i).role() == dev.ludus.api.Role.ASSISTANT).map(i -> i + 1).toArray();
  }

  /** The model, for a {@link dev.ludus.runner.learn.RewardModelTrainer}. */
  public LanguageModel model() {
    return model;
  }

  public LmTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
