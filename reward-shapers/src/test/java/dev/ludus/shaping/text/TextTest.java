package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void words_areLowerCasedLetterAndDigitRunsKeepingInnerApostrophes() {
    assertEquals(List.of("don't", "stop", "3", "times", "café"), Text.words("Don't STOP -- 3 times, café!"));
  }

  @Test
  void sentences_splitAfterTerminalPunctuationAndAtLineBreaks() {
    assertEquals(List.of("Hello there.", "How are you?", "Fine!", "next line \"Quoted.\"", "End"),
        Text.sentences("Hello there. How are you? Fine!\nnext line \"Quoted.\" End"));
  }

  @Test
  void prose_dropsToolCallBlocksAndMarkupTags() {
    assertEquals(List.of("Plan", "it.", "Done."),
        Text.whitespaceTokens(Text.prose("<think>Plan it.</think> <tool_call>{\"name\":\"f\"}</tool_call> Done. ")));
  }

  @Test
  void repeatedNgramFraction_countsDistinctRepeatedNgramsOverPositions() {
    // "a b a b a": bigrams ab, ba, ab, ba -> 2 distinct repeated of 4 positions
    assertEquals(0.5, Text.repeatedNgramFraction(List.of("a", "b", "a", "b", "a"), 2));
    assertEquals(0.0, Text.repeatedNgramFraction(List.of("a", "b", "c"), 2));
    assertEquals(0.0, Text.repeatedNgramFraction(List.of("a", "a"), 3), "shorter than n");
  }

  @Test
  void jaccard_isIntersectionOverUnion() {
    assertEquals(0.5, Text.jaccard(Set.of("a", "b", "c"), Set.of("b", "c", "d", "a", "e", "f")), 1e-12);
    assertEquals(0.0, Text.jaccard(Set.of(), Set.of()));
  }

  @Test
  void stopWords_areNltksEnglishList() {
    assertEquals(179, Text.STOP_WORDS.size());
    assertEquals(Set.of("wonderful"), Text.contentWords(List.of("it", "is", "so", "wonderful", "isn't", "it")));
  }

  @Test
  void tags_balancedRequiresProperNesting() {
    List<String> names = List.of("think", "answer");
    assertTrue(Tags.balanced("<think>a<answer>b</answer></think>", names));
    assertFalse(Tags.balanced("<think>a<answer>b</think></answer>", names));
    assertFalse(Tags.balanced("<answer>b", names));
    assertFalse(Tags.balanced("</answer>", names));
    assertTrue(Tags.balanced("no tags <other>", names));
  }

  @Test
  void tags_flatBlocksRejectsNestingAndFindsEachBlock() {
    List<String> names = List.of("think", "tool_call");
    assertEquals(List.of("think", "tool_call"), Tags.flatBlocks("<think>x</think>\n<tool_call>y</tool_call>", names)
        .stream().map(Tags.Block::name).toList());
    assertNull(Tags.flatBlocks("<think><tool_call>y</tool_call></think>", names));
    assertNull(Tags.flatBlocks("<think>x", names));
    assertEquals(List.of("1", "2"), Tags.bodies("<answer>1</answer> and <answer>2</answer>", "answer"));
  }
}
