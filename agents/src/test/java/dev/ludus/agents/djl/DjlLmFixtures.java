package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Shared tiny models, tokenizers and requests for the djl-lm tests. */
final class DjlLmFixtures {
  private DjlLmFixtures() {}

  static final List<String> WORDS = List.of(
      "hello", "world", "guess", "a", "number", "between", "1", "and", "10", "yes", "no", "higher", "lower",
      "is", "it", "the", "answer", "you", "win", "try", "again", ".", ",", "?", "!", "5", "7", "3", "what",
      "play", "game", "think", "of", "i", "am", "right", "wrong", "done");

  static LmTokenizer tokenizer() {
    return LmTokenizer.wordLevel(WORDS);
  }

  /** A tiny model: 2 layers, width 32, 4 heads, context 64. */
  static LanguageModel model(long seed) {
    return model(seed, 64);
  }

  /** A tiny model of {@link #tokenizer()}'s vocabulary: 2 layers, width 32, 4 heads, context {@code context}. */
  static LanguageModel model(long seed, int context) {
    return LanguageModel.create(new LanguageModel.Spec(2, 32, 4, context, tokenizer().vocabSize()), "cpu", seed);
  }

  /** The tiny configuration the agent tests use: greedy unless changed, 8 new tokens. */
  static DjlLmAgentProvider.Config config() {
    return DjlLmAgentProvider.Config.defaults()
        .withArchitecture(2, 32, 4, 64)
        .withVocabulary(WORDS)
        .withMaxNewTokens(8)
        .withSampling(0, 0, 1)
        .withBatching(16, 5);
  }

  static AgentRequest request(String userText, long seed, int turn) {
    return new AgentRequest("e" + seed, Task.generated("t", seed), seed, turn,
        List.of(Message.system("play a game ."), Message.user(userText)), List.of());
  }

  static AgentResponse.Reply reply(CompletionStage<AgentResponse> stage) {
    AgentResponse r;
    try {
      r = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the agent's stage failed: " + e, e);
    }
    if (r instanceof AgentResponse.Failure f) {
      throw new AssertionError("the agent failed: " + f.reason());
    }
    return (AgentResponse.Reply) r;
  }

  static AgentResponse.Reply act(Agent agent, AgentRequest request) {
    return reply(agent.act(request));
  }

  /**
   * Plays four turns of one conversation with two agents sharing {@code model}, one with the cross-turn key/value
   * cache and one without, and asserts that every turn gives the same tokens and log-probs and that the cache was
   * reused.
   */
  static void assertCachedTurnsMatchUncached(LanguageModel model, DjlLmAgentProvider.Config config) {
    try (DjlLmAgent without = DjlLmAgent.sharing(model, tokenizer(), config.withKvCache(false, 8, 8));
        DjlLmAgent with = DjlLmAgent.sharing(model, tokenizer(), config.withKvCache(true, 8, 8))) {
      List<Message> plain = new ArrayList<>(List.of(Message.system("play a game ."), Message.user("guess a number")));
      List<Message> fast = new ArrayList<>(plain);
      for (int turn = 0; turn < 4; turn++) {
        AgentResponse.Reply replyA = act(without, new AgentRequest("e", Task.generated("t", 3), 3, turn, plain,
            List.of()));
        TokenTrace a = replyA.tokenTrace().orElseThrow();
        TokenTrace b = act(with, new AgentRequest("e", Task.generated("t", 3), 3, turn, fast, List.of()))
            .tokenTrace().orElseThrow();
        assertArrayEquals(a.outputIds(), b.outputIds(), "turn " + turn);
        assertArrayEquals(a.logProbs(), b.logProbs(), 1e-4f, "turn " + turn);
        for (List<Message> conversation : List.of(plain, fast)) {
          conversation.add(replyA.message());
          conversation.add(Message.user("no , higher ."));
        }
      }
      assertTrue(with.kvCacheStatistics().hits() >= 3, with.kvCacheStatistics().summary());
    }
  }
}
