package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.HistoryWindow;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolCall;
import dev.ludus.api.Turn;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * An environment's own text, for a tokenizer to be trained on or checked against: what a few seeded episodes
 * of its oracle (when it has one) and of its random agent show and take. That is every opening message, every
 * action (content, and tool calls as the chat template writes them), every observation, and the role markers
 * the chat template writes when a vocabulary has no marker token.
 *
 * <p>{@link #prepare} is what {@code ludus train} does with it before building the policy: a {@code bpe}
 * tokenizer without texts is given the environment's text to train on; any other tokenizer that can produce
 * an unknown token is checked against that text, with a warning naming how many tokens were unknown and
 * examples (a policy cannot read what its tokenizer maps to {@code <unk>}).
 *
 * <p>Stateless and thread-safe; {@link #gather} waits for its episodes, so call it off the event loops.
 */
public final class TokenizerCorpus {
  /**
   * The run seed of the corpus episodes: fixed, so that an environment's tokenizer does not depend on the
   * training run's seed, and far from the seeds of training iterations and evaluations.
   */
  public static final long SEED = 0x746F6B656E73L;
  /** The shortest constant opening message made one token ({@link Episodes#constantOpenings}). */
  public static final int MIN_CONSTANT_CHARACTERS = 32;

  private TokenizerCorpus() {}

  /**
   * How much to gather.
   *
   * @param oracleEpisodes episodes of the environment's oracle (none when it has no oracle), 0 to 100000
   * @param randomEpisodes episodes of its random agent, 0 to 100000
   * @param seed the run seed of the episodes
   */
  public record Options(int oracleEpisodes, int randomEpisodes, long seed) {
    public Options {
      if (oracleEpisodes < 0 || oracleEpisodes > 100_000 || randomEpisodes < 0 || randomEpisodes > 100_000) {
        throw new IllegalArgumentException("corpus episodes must be in [0, 100000], were " + oracleEpisodes
            + " (oracle) and " + randomEpisodes + " (random)");
      }
    }

    /** 16 oracle and 16 random episodes from {@link #SEED}. */
    public static Options defaults() {
      return new Options(16, 16, SEED);
    }
  }

  /** The corpus of {@code env} (its own runtime, started and closed here). */
  public static List<String> gather(BoundEnvironment env, Options options) throws InterruptedException {
    try (EpisodeRuntime runtime = EpisodeRuntime.start()) {
      return gather(runtime, env, options);
    }
  }

  /**
   * The corpus of {@code env}: the role markers, then the texts of the oracle's episodes, then the random
   * agent's, each episode's in order (see {@link #texts(Episode)}); episodes in id order, so the same options
   * give the same list.
   */
  public static List<String> gather(EpisodeRuntime runtime, BoundEnvironment env, Options options)
      throws InterruptedException {
    return episodes(runtime, env, options).texts();
  }

  /**
   * The episodes a corpus is made of: the oracle's (none when the environment has no oracle) and the random
   * agent's, each in id order.
   */
  public record Episodes(List<Episode> oracle, List<Episode> random) {
    public Episodes {
      oracle = List.copyOf(oracle);
      random = List.copyOf(random);
    }

    /**
     * The opening messages every one of these episodes starts with unchanged (a constant system prompt, a fixed
     * greeting), at least {@value TokenizerCorpus#MIN_CONSTANT_CHARACTERS} characters long, in the order of the first episode;
     * empty when there are no episodes. A policy trained from scratch learns nothing from a text that never varies,
     * so {@code ludus train} makes each one token of the BPE ({@code bpe.wholeTexts}) rather than hundreds.
     */
    public List<String> constantOpenings() {
      List<Episode> all = new ArrayList<>(oracle);
      all.addAll(random);
      if (all.isEmpty() || all.get(0).start() == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (Message m : all.get(0).start()) {
        String t = text(m);
        if (t.length() >= MIN_CONSTANT_CHARACTERS && !out.contains(t) && all.stream().allMatch(e -> e.start() != null
            && e.start().stream().anyMatch(o -> o.role() == m.role() && text(o).equals(t)))) {
          out.add(t);
        }
      }
      return List.copyOf(out);
    }

    /** The corpus: the role markers, then the texts of the oracle's episodes, then the random agent's. */
    public List<String> texts() {
      List<String> out = new ArrayList<>(roleMarkers());
      oracle.forEach(e -> out.addAll(TokenizerCorpus.texts(e)));
      random.forEach(e -> out.addAll(TokenizerCorpus.texts(e)));
      return out;
    }
  }

  /** The corpus's episodes of {@code env} under {@code options} (see {@link #gather}). */
  public static Episodes episodes(EpisodeRuntime runtime, BoundEnvironment env, Options options)
      throws InterruptedException {
    List<Episode> oracleEpisodes = List.of();
    List<Episode> randomEpisodes = List.of();
    if (options.oracleEpisodes() > 0) {
      try (Agent oracle = env.oracle().orElse(null)) {
        if (oracle != null) {
          oracleEpisodes = play(runtime, env, "oracle", oracle, options.oracleEpisodes(), options.seed());
        }
      }
    }
    if (options.randomEpisodes() > 0) {
      try (Agent random = env.randomAgent()) {
        randomEpisodes = play(runtime, env, "random", random, options.randomEpisodes(), options.seed() + 1);
      }
    }
    return new Episodes(oracleEpisodes, randomEpisodes);
  }

  /**
   * How long, in a tokenizer's tokens, the conversations a policy reads and the replies it writes are.
   *
   * @param longestPrompt the longest prompt of any agent turn, as the chat template renders it (beginning of
   *     sequence, a role marker and an end of turn around every message, the assistant's marker at the end)
   * @param longestReply the longest reply, its end-of-turn token included
   * @param longestTurn the longest prompt plus its reply
   * @param turns the agent turns measured
   */
  public record Lengths(int longestPrompt, int longestReply, int longestTurn, int turns) {}

  /**
   * The {@link Lengths} of {@code episodes} under {@code tokenizer}, each agent message written as
   * {@code reply} makes it (e.g. {@link #text(Message)} for the whole message, or only its action). The prompt
   * of a turn holds the episode's opening messages, then each earlier turn's reply and observations; the
   * tools block of an episode with tools is counted in its first message (as the chat template writes it).
   */
  public static Lengths lengths(LmTokenizer tokenizer, List<Episode> episodes,
      java.util.function.Function<Message, String> reply) {
    return lengths(tokenizer, episodes, reply, 0);
  }

  /**
   * The {@link Lengths} of {@code episodes} as a policy with a history window of {@code historyWindow} observations
   * reads them ({@link HistoryWindow#view}; 0 for the whole conversation, as {@link #lengths(LmTokenizer, List,
   * java.util.function.Function)}).
   */
  public static Lengths lengths(LmTokenizer tokenizer, List<Episode> episodes,
      java.util.function.Function<Message, String> reply, int historyWindow) {
    int longestPrompt = 0;
    int longestReply = 0;
    int longestTurn = 0;
    int turns = 0;
    for (Episode e : episodes) {
      long fixed = tokenizer.bosId() >= 0 ? 1 : 0;
      boolean first = true;
      List<Message> start = e.start() == null ? List.of() : e.start();
      String toolBlock = e.tools() == null || e.tools().isEmpty() ? null
          : dev.ludus.api.tools.ToolCallParser.hermes().instructions(e.tools());
      if (toolBlock != null && (start.isEmpty() || start.get(0).role() != Role.SYSTEM)) {
        fixed += message(tokenizer, Role.SYSTEM, toolBlock);
        toolBlock = null;
      }
      // the conversation so far and each message's rendered length, to sum what the window keeps
      List<Message> conversation = new ArrayList<>();
      List<Long> sizes = new ArrayList<>();
      for (Message m : start) {
        String text = text(m);
        if (first && toolBlock != null) {
          text = text.isEmpty() ? toolBlock : text + "\n\n" + toolBlock;
        }
        first = false;
        conversation.add(m);
        sizes.add(message(tokenizer, m.role(), text));
      }
      for (Turn t : e.turns() == null ? List.<Turn>of() : e.turns()) {
        long here = fixed + viewed(conversation, sizes, historyWindow) + marker(tokenizer, Role.ASSISTANT);
        String written = reply.apply(t.action());
        int out = tokenizer.encode(written).length + 1;
        longestPrompt = (int) Math.max(longestPrompt, here);
        longestReply = Math.max(longestReply, out);
        longestTurn = (int) Math.max(longestTurn, here + out);
        turns++;
        conversation.add(Message.assistant(written));
        sizes.add(message(tokenizer, Role.ASSISTANT, written));
        for (Message m : t.observation()) {
          conversation.add(m);
          sizes.add(message(tokenizer, m.role(), text(m)));
        }
      }
    }
    return new Lengths(longestPrompt, longestReply, longestTurn, turns);
  }

  /** The rendered length of what a policy with {@code window} reads of {@code conversation} (its opening + a suffix). */
  private static long viewed(List<Message> conversation, List<Long> sizes, int window) {
    int kept = HistoryWindow.view(conversation, window).size();
    int opening = 0;
    while (kept < conversation.size() && opening < conversation.size()
        && conversation.get(opening).role() == Role.SYSTEM) {
      opening++;
    }
    long sum = 0;
    for (int i = 0; i < sizes.size(); i++) {
      if (kept == conversation.size() || i < opening || i >= conversation.size() - (kept - opening)) {
        sum += sizes.get(i);
      }
    }
    return sum;
  }

  private static long message(LmTokenizer tokenizer, Role role, String text) {
    return marker(tokenizer, role) + tokenizer.encode(text).length + 1;
  }

  private static int marker(LmTokenizer tokenizer, Role role) {
    return tokenizer.roleId(role).isPresent() ? 1 : tokenizer.encode(role.wireName() + ":").length;
  }

  /** The role markers as the chat template writes them without marker tokens ({@code user:}). */
  public static List<String> roleMarkers() {
    List<String> out = new ArrayList<>();
    for (Role r : Role.values()) {
      out.add(r.wireName() + ":");
    }
    return out;
  }

  /** Every text of {@code episode} a policy reads or writes: opening messages, then each turn's action and replies. */
  public static List<String> texts(Episode episode) {
    List<String> out = new ArrayList<>();
    if (episode.start() != null) {
      episode.start().forEach(m -> out.add(text(m)));
    }
    if (episode.turns() != null) {
      for (Turn t : episode.turns()) {
        out.add(text(t.action()));
        t.observation().forEach(m -> out.add(text(m)));
      }
    }
    out.removeIf(String::isEmpty);
    return out;
  }

  /** A message as the chat template renders it: its content, then each tool call's name and arguments. */
  public static String text(Message m) {
    StringBuilder sb = new StringBuilder(m.content() == null ? "" : m.content());
    for (ToolCall c : m.toolCalls()) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(c.function().name()).append(' ').append(c.function().arguments());
    }
    return sb.toString();
  }

  /**
   * What a tokenizer makes unknown of some texts.
   *
   * @param tokens tokens in all
   * @param unknown tokens that are the unknown token
   * @param examples up to five distinct white-space-separated words that hold an unknown token, in order of
   *     first appearance
   */
  public record Unknowns(long tokens, long unknown, List<String> examples) {
    public double share() {
      return tokens == 0 ? 0 : (double) unknown / tokens;
    }
  }

  /** How many of the tokens of {@code texts} are {@code tokenizer}'s unknown token (none if it has none). */
  public static Unknowns unknowns(LmTokenizer tokenizer, List<String> texts) {
    OptionalInt unk = tokenizer.unkId();
    long tokens = 0;
    long unknown = 0;
    Set<String> examples = new LinkedHashSet<>();
    for (String text : texts) {
      int[] ids = tokenizer.encode(text);
      tokens += ids.length;
      if (unk.isEmpty()) {
        continue;
      }
      long here = Arrays.stream(ids).filter(id -> id == unk.getAsInt()).count();
      unknown += here;
      if (here > 0 && examples.size() < 5) {
        for (String word : text.strip().split("\\s+")) {
          if (examples.size() < 5 && Arrays.stream(tokenizer.encode(word)).anyMatch(id -> id == unk.getAsInt())) {
            examples.add(word);
          }
        }
      }
    }
    return new Unknowns(tokens, unknown, List.copyOf(examples));
  }

  /**
   * The policy configuration to build for {@code env}, ready for its text. A {@code bpe} source without texts
   * (and no checkpoint that holds a tokenizer) gets the environment's corpus to train on. Any other tokenizer
   * that has an unknown token is run over the corpus, and if it maps any of it to {@code <unk>}, a warning goes
   * to {@code out}: how many tokens, what share, and examples. Returns {@code model} itself otherwise.
   */
  public static DjlLmAgentProvider.Config prepare(DjlLmAgentProvider.Config model, BoundEnvironment env,
      PrintWriter out) throws InterruptedException {
    try (EpisodeRuntime runtime = EpisodeRuntime.start()) {
      return prepare(model, env, runtime, out);
    }
  }

  /** {@link #prepare(DjlLmAgentProvider.Config, BoundEnvironment, PrintWriter)} on a running runtime. */
  public static DjlLmAgentProvider.Config prepare(DjlLmAgentProvider.Config model, BoundEnvironment env,
      EpisodeRuntime runtime, PrintWriter out) throws InterruptedException {
    if (dev.ludus.agents.djl.ModelSource.of(model.checkpoint()).isPresent()) {
      return model; // a model source (hf:DIR) brings its own tokenizer
    }
    boolean checkpointTokenizer = model.checkpoint() != null
        && Files.isRegularFile(Path.of(model.checkpoint()).resolve(LmTokenizer.FILE_NAME));
    if (model.bpe() != null) {
      if (model.bpe().hasTexts() || checkpointTokenizer) {
        return model;
      }
      Episodes episodes = episodes(runtime, env, Options.defaults());
      List<String> corpus = episodes.texts();
      List<String> whole = model.bpe().wholeTexts() != null ? model.bpe().wholeTexts() : OpeningSpans.of(episodes);
      int oracleEpisodes;
      try (Agent oracle = env.oracle().orElse(null)) {
        oracleEpisodes = oracle == null ? 0 : Options.defaults().oracleEpisodes();
      }
      out.printf(Locale.ROOT, "tokenizer: byte-level BPE of at most %d tokens, trained on %d texts (%d characters) "
          + "of %s from %d oracle and %d random episodes%n", model.bpe().vocabSize(), corpus.size(),
          corpus.stream().mapToLong(String::length).sum(), env.name(), oracleEpisodes,
          Options.defaults().randomEpisodes());
      if (!whole.isEmpty()) {
        out.printf(Locale.ROOT, "tokenizer: %d constant text%s of the opening messages (whole messages every episode "
            + "repeats, or the spans a varying one shares; %s characters) %s%n", whole.size(), whole.size() == 1 ? ""
            : "s", whole.stream().map(w -> String.valueOf(w.length())).collect(Collectors.joining(", ")),
            whole.size() == 1 ? "is one token" : "are one token each");
      }
      if (model.bpe().gridCells() != null) {
        out.printf(Locale.ROOT, "tokenizer: each board cell (%s) of a row is one token%n", model.bpe().gridCells());
      }
      out.flush();
      return model.withBpe(model.bpe().withTexts(corpus).withWholeTexts(whole));
    }
    try (LmTokenizer tokenizer = DjlLmAgentProvider.tokenizer(model)) {
      if (tokenizer.unkId().isEmpty()) {
        return model;
      }
      List<String> text = gather(runtime, env, Options.defaults());
      for (Role r : Role.values()) {
        if (tokenizer.roleId(r).isPresent()) {
          text.remove(r.wireName() + ":"); // a role with a marker token is never written as text
        }
      }
      Unknowns u = unknowns(tokenizer, text);
      if (u.unknown() > 0) {
        out.printf(Locale.ROOT, "warning: the policy's %s maps %d of the %d tokens (%.1f%%) of %s's text to <unk>, "
                + "e.g. %s; the policy cannot read those. Add the words to model.vocabulary, or set model.bpe: "
                + "{vocabSize: 512} for a byte-level BPE trained on the environment's text (never an unknown token)%n",
            tokenizer, u.unknown(), u.tokens(), 100 * u.share(), env.name(),
            u.examples().stream().map(w -> "'" + w + "'").collect(Collectors.joining(", ")));
        out.flush();
      }
    } catch (ConfigException e) {
      return model; // building the agent reports the same error, where it belongs
    }
    return model;
  }

  private static List<Episode> play(EpisodeRuntime runtime, BoundEnvironment env, String agentName, Agent agent,
      int episodes, long seed) throws InterruptedException {
    List<Episode> played = Collections.synchronizedList(new ArrayList<>());
    Rollout rollout = new Rollout("corpus-" + agentName, env, agentName, agent,
        RolloutOptions.of(episodes, Math.min(episodes, 64), seed));
    try {
      runtime.run(rollout, e -> {
        played.add(e);
        return CompletableFuture.completedFuture(null);
      }, EpisodeListener.none()).toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the corpus rollout of " + env.name() + " with its " + agentName
          + " agent failed: " + e.getCause(), e.getCause());
    }
    List<Episode> sorted = new ArrayList<>(played);
    sorted.sort(Comparator.comparing(Episode::id));
    return sorted;
  }
}
