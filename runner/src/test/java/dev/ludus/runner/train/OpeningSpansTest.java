package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Registry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recipe's opening spans: the constant text around a varying opening message (instructions before a question, a
 * schema before it) becomes whole texts of the BPE, cut at whitespace so the varying text keeps its usual pieces.
 */
class OpeningSpansTest {
  private static final Registry REGISTRY = Registry.load();

  @Test
  void thePrefixEndsBeforeWhitespaceAndTheSuffixStartsAtIt() {
    List<String> texts = List.of("Answer the question. Question: Where was Ann born?\nThink first.",
        "Answer the question. Question: Where did Bo work?\nThink first.",
        "Answer the question. Question: Who is Wim?\nThink first.");
    assertEquals("Answer the question. Question:", OpeningSpans.prefix(texts));
    assertEquals("\nThink first.", OpeningSpans.suffix(texts, OpeningSpans.prefix(texts).length()));
    // a shared start inside a word is not cut into: "Wh" of "Where"/"Who" stays with its word
    assertEquals("Q:", OpeningSpans.prefix(List.of("Q: Where?", "Q: Who?")));
    assertEquals("", OpeningSpans.prefix(List.of("Alpha beta", "Beta alpha")));
  }

  @Test
  void theSpansNeverOverlapAndNeverSwallowAWholeText() {
    List<String> texts = List.of("same text", "same text and more text");
    String prefix = OpeningSpans.prefix(texts);
    String suffix = OpeningSpans.suffix(texts, prefix.length());
    assertEquals("same", prefix);
    assertTrue(prefix.length() + suffix.length() <= texts.get(0).length(), prefix + " | " + suffix);
  }

  @Test
  void searchQaAndTextToSqlReadTheirInstructionsAsOneTokenAndTheirQuestionsPieceByPiece() {
    for (String[] env : new String[][] {{"search-qa", "{topK: 1, maxTurns: 3, questionTypes: [one-hop]}", "Question:"},
        {"text-to-sql", "{mode: single-turn, domains: [schools], databasesPerDomain: 1, perturbations: 1, "
            + "questionsPerKind: 20, split: train}", "CREATE TABLE schools"}}) {
      ResolvedConfig spans = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv(env[0], env[1]));
      JsonNode whole = spans.config().model().path("bpe").path("wholeTexts");
      List<String> texts = new ArrayList<>();
      whole.forEach(t -> texts.add(t.asText()));
      assertTrue(texts.stream().anyMatch(t -> t.contains(env[2])), env[0] + ": " + texts);
      assertTrue(spans.origins().get("model.bpe.wholeTexts").why().contains("span"), env[0]);
      // without whole texts the longest prompt is longer
      ResolvedConfig without = Recipe.resolve(REGISTRY, new Recipe.Request(env[0], env[1],
          "{model: {bpe: {wholeTexts: []}}}", null));
      int with = spans.facts().lengths().longestPrompt();
      int before = without.facts().lengths().longestPrompt();
      assertTrue(with + 50 < before, env[0] + ": longest prompt " + with + " tokens with the spans, " + before
          + " without");
    }
  }

  @Test
  void environmentsWithoutLongSharedInstructionsGetNoSpans() {
    // guess-number's openings are all alike; the board worlds' first observations share under 128 characters
    for (String[] env : new String[][] {{"guess-number", "{low: 1, high: 8, maxTurns: 4}"},
        {"frozen-lake", "{maxTurns: 12}"}, {"gridworld", "{width: 5, height: 5, maxTurns: 20}"},
        {"sokoban", "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}"}}) {
      ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv(env[0], env[1]));
      assertFalse(r.origins().containsKey("model.bpe.wholeTexts"), env[0] + ": " + r.config().model());
    }
  }
}
