package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenizerCorpusTest {
  private static final Registry REGISTRY = Registry.load();
  private static final List<String> BUILT_IN =
      List.of("guess-number", "gridworld", "frozen-lake", "sokoban", "twenty-questions");
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  /**
   * The tokenizer of point 1 of issue 19, on every registered environment: a BPE trained on the corpus of its
   * default seeds reads the text of fresh episodes (other seeds) without one unknown or special token, gives it
   * back exactly, and compresses it (the merges learned carry over to text it was not trained on).
   */
  @Test
  void aCorpusTrainedBpeReadsFreshEpisodesOfEveryEnvironmentExactlyAndWithoutUnknowns() throws Exception {
    List<String> names = new ArrayList<>(REGISTRY.environments().names());
    assertTrue(names.containsAll(BUILT_IN), names.toString());
    for (String name : names) {
      BoundEnvironment env = Plugins.environment(REGISTRY, name, null);
      List<String> corpus = TokenizerCorpus.gather(runtime, env, TokenizerCorpus.Options.defaults());
      List<String> fresh = TokenizerCorpus.gather(runtime, env,
          new TokenizerCorpus.Options(4, 4, TokenizerCorpus.SEED + 1_000_000));
      fresh.removeAll(TokenizerCorpus.roleMarkers());
      assertFalse(fresh.isEmpty(), name + " gave no text");
      try (LmTokenizer bpe = LmTokenizer.byteLevelBpe(corpus, 512)) {
        long tokens = 0;
        long bytes = 0;
        for (String text : fresh) {
          int[] ids = bpe.encode(text);
          assertTrue(IntStream.of(ids).allMatch(id -> id >= LmTokenizer.SPECIAL_TOKENS.size() && id < bpe.vocabSize()),
              name + ": a special or out-of-range id in the ids of " + text);
          assertEquals(text, bpe.decode(ids), name);
          tokens += ids.length;
          bytes += text.getBytes(StandardCharsets.UTF_8).length;
        }
        assertTrue(bytes >= 2 * tokens, name + ": the corpus's merges should at least halve fresh text, got "
            + bytes + " bytes in " + tokens + " tokens");
      }
    }
  }

  @Test
  void theCorpusIsTheSameForTheSameOptionsAndHoldsBothAgentsActionsAndTheRoleMarkers() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "guess-number", "{low: 1, high: 8, maxTurns: 4}");
    List<String> a = TokenizerCorpus.gather(runtime, env, TokenizerCorpus.Options.defaults());
    List<String> b = TokenizerCorpus.gather(runtime, env, TokenizerCorpus.Options.defaults());
    assertEquals(a, b);
    assertTrue(a.containsAll(List.of("system:", "user:", "assistant:", "tool:")));
    List<String> oracleOnly = TokenizerCorpus.gather(runtime, env, new TokenizerCorpus.Options(4, 0, TokenizerCorpus.SEED));
    List<String> randomOnly = TokenizerCorpus.gather(runtime, env, new TokenizerCorpus.Options(0, 4, TokenizerCorpus.SEED));
    assertTrue(oracleOnly.size() > 4 && randomOnly.size() > 4);
    assertTrue(a.containsAll(oracleOnly.subList(4, oracleOnly.size())), "the oracle's episodes are in the corpus");
  }

  /**
   * The silent failure issue 19 found: a word-level vocabulary without the game's words turned the
   * environment's text into unknown tokens and nothing said so. Now training warns, with the count and examples.
   */
  @Test
  void aWordLevelVocabularyWithoutTheGamesWordsIsWarnedAboutWithTheCountAndExamples() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "gridworld", null);
    DjlLmAgentProvider.Config model = DjlLmAgentProvider.Config.defaults().withVocabulary(List.of("up", "down"));
    StringWriter text = new StringWriter();
    assertEquals(model, TokenizerCorpus.prepare(model, env, new PrintWriter(text)));
    Matcher m = Pattern.compile("warning: the policy's word-level tokenizer \\(10 tokens\\) maps (\\d+) of the (\\d+) "
        + "tokens \\(([0-9.]+)%\\) of gridworld's text to <unk>, e.g. '[^']+'.*bpe.*\\n").matcher(text.toString());
    assertTrue(m.matches(), text.toString());
    assertTrue(Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(1)) <= Long.parseLong(m.group(2)));
  }

  @Test
  void aVocabularyThatCoversTheEnvironmentsTextGetsNoWarning() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "guess-number", "{low: 1, high: 8, maxTurns: 4}");
    Set<String> words = new LinkedHashSet<>();
    Pattern piece = Pattern.compile("[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}_\\s]");
    for (String t : TokenizerCorpus.gather(runtime, env, TokenizerCorpus.Options.defaults())) {
      Matcher m = piece.matcher(t);
      while (m.find()) {
        words.add(m.group());
      }
    }
    DjlLmAgentProvider.Config model = DjlLmAgentProvider.Config.defaults().withVocabulary(new ArrayList<>(words));
    StringWriter text = new StringWriter();
    TokenizerCorpus.prepare(model, env, new PrintWriter(text));
    assertEquals("", text.toString());
  }

  @Test
  void aBpeWithoutTextsIsGivenTheEnvironmentsCorpusAndOneWithTextsKeepsThem() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "frozen-lake", null);
    DjlLmAgentProvider.Config model = DjlLmAgentProvider.Config.defaults()
        .withBpe(new DjlLmAgentProvider.Bpe(400, null, null));
    StringWriter text = new StringWriter();
    DjlLmAgentProvider.Config prepared = TokenizerCorpus.prepare(model, env, new PrintWriter(text));
    assertEquals(TokenizerCorpus.gather(runtime, env, TokenizerCorpus.Options.defaults()), prepared.bpe().trainOn());
    assertEquals(400, prepared.bpe().vocabSize());
    assertTrue(text.toString().startsWith("tokenizer: byte-level BPE of at most 400 tokens, trained on "), text.toString());
    DjlLmAgentProvider.Config given = DjlLmAgentProvider.Config.defaults()
        .withBpe(DjlLmAgentProvider.Bpe.of(400, List.of("left right up down")));
    assertEquals(given, TokenizerCorpus.prepare(given, env, new PrintWriter(new StringWriter())));
  }

  /**
   * Preparing a BPE that names no whole texts gives it the recipe's (OpeningSpans): search-qa's instructions around its
   * question, not only whole constant messages, so a config outside the recipe tokenizes as `train --env` does.
   */
  @Test
  void aPreparedBpeGetsTheSpansAVaryingOpeningShares() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "search-qa", "{topK: 1, maxTurns: 3, questionTypes: [one-hop]}");
    TokenizerCorpus.Episodes episodes = TokenizerCorpus.episodes(runtime, env, TokenizerCorpus.Options.defaults());
    StringWriter text = new StringWriter();
    DjlLmAgentProvider.Config prepared = TokenizerCorpus.prepare(DjlLmAgentProvider.Config.defaults()
        .withBpe(new DjlLmAgentProvider.Bpe(512, null, null)), env, new PrintWriter(text));
    assertEquals(OpeningSpans.of(episodes), prepared.bpe().wholeTexts());
    assertTrue(prepared.bpe().wholeTexts().size() > episodes.constantOpenings().size(),
        "spans beyond the constant openings: " + prepared.bpe().wholeTexts());
    assertTrue(text.toString().contains("constant text"), text.toString());
  }

  /**
   * A constant system prompt is one token of the prepared BPE: twenty-questions' rules (hundreds of tokens, the same
   * in every episode) are one whole text, a prompt that starts with them is that token then the rest, and decoding
   * gives the text back; sokoban's opening board, which differs by room, is not whole.
   */
  @Test
  void theMessagesEveryEpisodeOpensWithUnchangedBecomeOneTokenEachOfThePreparedBpe() throws Exception {
    BoundEnvironment questions = Plugins.environment(REGISTRY, "twenty-questions", null);
    TokenizerCorpus.Episodes episodes = TokenizerCorpus.episodes(runtime, questions, TokenizerCorpus.Options.defaults());
    List<String> constant = episodes.constantOpenings();
    String system = episodes.oracle().get(0).start().get(0).content();
    assertTrue(constant.contains(system), constant.toString());
    DjlLmAgentProvider.Config prepared = TokenizerCorpus.prepare(DjlLmAgentProvider.Config.defaults()
        .withBpe(new DjlLmAgentProvider.Bpe(512, null, null)), questions, new PrintWriter(new StringWriter()));
    assertEquals(constant, prepared.bpe().wholeTexts());
    try (LmTokenizer bpe = DjlLmAgentProvider.tokenizer(prepared);
        LmTokenizer plain = LmTokenizer.byteLevelBpe(prepared.bpe().trainOn(), 512)) {
      assertEquals(1, bpe.encode(system).length);
      assertTrue(plain.encode(system).length > 100, "without it the rules are " + plain.encode(system).length);
      String text = system + "\nIs it an animal?";
      int[] ids = bpe.encode(text);
      assertEquals(bpe.encode(system)[0], ids[0]);
      assertEquals(text, bpe.decode(ids));
    }
    BoundEnvironment sokoban = Plugins.environment(REGISTRY, "sokoban", null);
    TokenizerCorpus.Episodes rooms = TokenizerCorpus.episodes(runtime, sokoban, TokenizerCorpus.Options.defaults());
    List<String> sokobanConstant = rooms.constantOpenings();
    assertEquals(List.of(rooms.oracle().get(0).start().get(0).content()), sokobanConstant,
        "the rules only: the opening board differs by room");
    DjlLmAgentProvider.Config none = TokenizerCorpus.prepare(DjlLmAgentProvider.Config.defaults()
        .withBpe(new DjlLmAgentProvider.Bpe(512, null, null, List.of())), sokoban, new PrintWriter(new StringWriter()));
    assertEquals(List.of(), none.bpe().wholeTexts(), "bpe.wholeTexts: [] turns it off");
  }
}
