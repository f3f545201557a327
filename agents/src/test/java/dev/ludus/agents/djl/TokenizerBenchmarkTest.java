package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerBenchmarkTest {
  @Test
  void aSmallRunMeasuresEveryTokenizerOnTheSameTexts() {
    List<String> texts = BpeFixtures.corpus().subList(0, 40);
    TokenizerBenchmark.Result r = TokenizerBenchmark.run(BpeFixtures.corpus(), texts, 300, 1);
    assertEquals(4, r.rows().size(), r.format());
    assertEquals(r.rows().get(0).tokens(), r.rows().get(1).tokens(), "the cache does not change the ids");
    assertEquals(r.rows().get(0).tokens(), r.rows().get(2).tokens(), "the Hugging Face library agrees");
    assertTrue(r.baseline().tokenizer().startsWith("word-level"));
    assertTrue(r.baseline().tokens() > 0 && r.rows().get(0).tokens() >= r.baseline().tokens(),
        "a BPE of 300 tokens writes at least as many tokens as a word per piece: " + r.format());
    assertTrue(r.rows().stream().allMatch(row -> row.tokensPerSecond() > 0 && Double.isFinite(row.tokensPerSecond())));
    assertTrue(r.format().contains("vs word-level"), r.format());
  }
}
