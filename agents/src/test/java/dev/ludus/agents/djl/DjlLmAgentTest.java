package dev.ludus.agents.djl;

import static dev.ludus.agents.djl.DjlLmFixtures.act;
import static dev.ludus.agents.djl.DjlLmFixtures.config;
import static dev.ludus.agents.djl.DjlLmFixtures.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.TokenTrace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DjlLmAgentTest {
  private static LanguageModel model;
  private static LmTokenizer tokenizer;

  @BeforeAll
  static void build() {
    model = DjlLmFixtures.model(11);
    tokenizer = DjlLmFixtures.tokenizer();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static TokenTrace trace(AgentResponse.Reply r) {
    return r.tokenTrace().orElseThrow();
  }

  @Test
  void replyCarriesTheTokenTraceUsageAndFinishReason() {
    try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config())) {
      AgentResponse.Reply r = act(agent, request("guess a number", 1, 0));
      TokenTrace t = trace(r);
      assertArrayEquals(new ChatTemplate(tokenizer).render(request("guess a number", 1, 0).conversation()), t.promptIds());
      assertEquals(t.outputIds().length, t.logProbs().length);
      assertTrue(t.outputIds().length >= 1 && t.outputIds().length <= 8);
      assertEquals(model.version(), t.policyVersion());
      assertEquals(new AgentResponse.Usage(t.promptIds().length, t.outputIds().length), r.usage());
      boolean endedByEos = t.outputIds()[t.outputIds().length - 1] == tokenizer.eosId();
      assertEquals(endedByEos ? "stop" : "length", r.finishReason());
      int[] text = endedByEos ? Arrays.copyOf(t.outputIds(), t.outputIds().length - 1) : t.outputIds();
      assertEquals(tokenizer.decode(text), r.message().content());
    }
  }

  @Test
  void greedyDecodingIsDeterministic() {
    try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config())) {
      TokenTrace a = trace(act(agent, request("guess a number", 1, 0)));
      TokenTrace b = trace(act(agent, request("guess a number", 99, 3)));
      assertArrayEquals(a.outputIds(), b.outputIds(), "greedy decoding must not depend on the seed");
      assertArrayEquals(a.logProbs(), b.logProbs());
    }
  }

  @Test
  void seededSamplingIsReproducibleAndDifferentSeedsDiffer() {
    try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config().withSampling(1.0, 0, 1.0).withMaxNewTokens(12))) {
      TokenTrace a = trace(act(agent, request("guess a number", 5, 2)));
      TokenTrace again = trace(act(agent, request("guess a number", 5, 2)));
      assertEquals(a, again);
      List<int[]> others = new ArrayList<>();
      for (long seed = 6; seed < 10; seed++) {
        others.add(trace(act(agent, request("guess a number", seed, 2))).outputIds());
      }
      others.add(trace(act(agent, request("guess a number", 5, 3))).outputIds());
      assertTrue(others.stream().anyMatch(o -> !Arrays.equals(o, a.outputIds())),
          "other seeds and turns must sample other tokens");
    }
  }

  /**
   * Issue 19: the learner must score the distribution the sampler drew from. The agent's trainable view, at the
   * sampling temperature, gives back exactly the log-probabilities the sampler recorded, at any temperature.
   */
  @Test
  void sampledLogProbsEqualTheTrainableViewsRecomputationAtTheSamplingTemperature() {
    for (double temperature : new double[] {0.5, 1.0, 1.5}) {
      try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer,
          config().withSampling(temperature, 0, 1.0).withMaxNewTokens(12))) {
        TrainablePolicy policy = agent.trainable();
        for (long seed = 1; seed <= 3; seed++) {
          TokenTrace t = trace(act(agent, request("is it 5 ?", seed, 0)));
          float[] again =
              policy.logProbs(List.of(t.promptIds()), List.of(t.outputIds()), new double[] {temperature})[0];
          assertArrayEquals(again, t.logProbs(), 1e-4f, "temperature " + temperature + ", seed " + seed);
        }
      }
    }
  }

  /**
   * Issue 19: the sampler may emit special tokens. At a very high temperature the untrained model's distribution
   * is close to uniform, so an unrestricted sampler would write padding, role markers or unknown tokens in
   * nearly every reply; this one writes none (end-of-sequence only to end the reply).
   */
  @Test
  void theSamplerNeverEmitsASpecialTokenOtherThanEndOfSequence() {
    int[] special = tokenizer.specialIds();
    assertEquals(LmTokenizer.SPECIAL_TOKENS.size(), special.length, "the word-level tokenizer's ids 0 to 7");
    int tokens = 0;
    try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer,
        config().withSampling(100, 0, 1.0).withMaxNewTokens(12))) {
      for (long seed = 1; seed <= 30; seed++) {
        TokenTrace t = trace(act(agent, request("is it 5 ?", seed, 0)));
        for (int j = 0; j < t.outputIds().length; j++) {
          int id = t.outputIds()[j];
          tokens++;
          boolean last = j == t.outputIds().length - 1;
          assertTrue(Arrays.stream(special).noneMatch(x -> x == id) || (id == tokenizer.eosId() && last),
              "seed " + seed + " emitted special id " + id + " at " + j + ": " + Arrays.toString(t.outputIds()));
        }
      }
    }
    assertTrue(tokens > 200, "enough tokens to have met a special one: " + tokens);
  }

  @Test
  void logProbsUnderTopKAreRenormalizedOverTheKeptTokens() {
    try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config().withSampling(1.0, 3, 1.0))) {
      TokenTrace t = trace(act(agent, request("is it 5 ?", 4, 0)));
      float[] raw = agent.trainable().logProbs(List.of(t.promptIds()), List.of(t.outputIds()), new double[] {1})[0];
      for (int i = 0; i < raw.length; i++) {
        assertTrue(t.logProbs()[i] >= raw[i] - 1e-5, "renormalizing over 3 tokens raises the log-prob");
        assertTrue(t.logProbs()[i] <= 0);
      }
    }
  }

  @Test
  void topKOfOneEqualsGreedy() {
    try (DjlLmAgent greedy = DjlLmAgent.sharing(model, tokenizer, config());
        DjlLmAgent topOne = DjlLmAgent.sharing(model, tokenizer, config().withSampling(1.5, 1, 1.0))) {
      for (String text : List.of("guess a number", "hello world", "what is the answer ?")) {
        assertArrayEquals(trace(act(greedy, request(text, 1, 0))).outputIds(),
            trace(act(topOne, request(text, 2, 0))).outputIds(), text);
      }
    }
  }

  @Test
  void batchedGreedyEqualsUnbatchedGreedyForPromptsOfDifferentLengths() {
    List<AgentRequest> requests = List.of(
        request("hi", 1, 0),
        request("guess a number between 1 and 10", 2, 0),
        request("is it 5 ? no , higher . is it 7 ? no , lower . is it 6 ?", 3, 0),
        request("play", 4, 0),
        request("you win !", 5, 0));
    List<TokenTrace> alone = new ArrayList<>();
    try (DjlLmAgent single = DjlLmAgent.sharing(model, tokenizer, config().withBatching(1, 0))) {
      for (AgentRequest r : requests) {
        alone.add(trace(act(single, r)));
      }
      assertEquals(1, single.worker().statistics().largestBatch());
    }
    try (DjlLmAgent batched = DjlLmAgent.sharing(model, tokenizer, config().withBatching(requests.size(), 2_000))) {
      List<CompletionStage<AgentResponse>> stages = requests.stream().map(batched::act).toList();
      for (int i = 0; i < requests.size(); i++) {
        TokenTrace t = trace(DjlLmFixtures.reply(stages.get(i)));
        assertArrayEquals(alone.get(i).promptIds(), t.promptIds());
        assertArrayEquals(alone.get(i).outputIds(), t.outputIds(), "request " + i);
        assertArrayEquals(alone.get(i).logProbs(), t.logProbs(), 1e-4f, "request " + i);
      }
      assertTrue(batched.worker().statistics().largestBatch() > 1, "the requests must have shared a batch, largest was "
          + batched.worker().statistics().largestBatch());
    }
  }

  @Test
  void actNeverRunsTheModelOnTheCallersThread() {
    try (LanguageModel own = DjlLmFixtures.model(2); DjlLmAgent agent = DjlLmAgent.sharing(own, tokenizer, config())) {
      CompletionStage<AgentResponse> stage = agent.act(request("hello", 1, 0));
      DjlLmFixtures.reply(stage);
      String forward = own.lastForwardThread();
      assertNotEquals(Thread.currentThread().getName(), forward);
      assertTrue(forward.startsWith("djl-lm-worker-"), "the forward pass ran on " + forward);
      assertTrue(forward.startsWith(agent.worker().name() + "-"), "the forward pass ran on " + forward);
    }
  }

  @Test
  void aStopStringCutsTheReplyBeforeIt() {
    try (DjlLmAgent plain = DjlLmAgent.sharing(model, tokenizer, config().withMaxNewTokens(12))) {
      AgentResponse.Reply full = act(plain, request("guess a number", 1, 0));
      String[] words = full.message().content().split(" ");
      if (words.length < 2) {
        throw new AssertionError("the fixture model must say at least two words, said '" + full.message().content() + "'");
      }
      String stop = words[1];
      try (DjlLmAgent stopping = DjlLmAgent.sharing(model, tokenizer, config().withMaxNewTokens(12).withStop(List.of(stop)))) {
        AgentResponse.Reply cut = act(stopping, request("guess a number", 1, 0));
        String text = full.message().content();
        assertEquals(text.substring(0, text.indexOf(stop)), cut.message().content());
        assertEquals("stop", cut.finishReason());
        assertTrue(trace(cut).outputIds().length < trace(full).outputIds().length);
      }
    }
  }

  @Test
  void theTraceCarriesThePolicyVersionThatProducedIt() {
    try (LanguageModel own = DjlLmFixtures.model(2); DjlLmAgent agent = DjlLmAgent.sharing(own, tokenizer, config())) {
      assertEquals(0, trace(act(agent, request("hello", 1, 0))).policyVersion());
      own.update(() -> { });
      own.update(() -> { });
      assertEquals(2, trace(act(agent, request("hello", 1, 0))).policyVersion());
    }
  }

  @Test
  void aLongConversationLosesItsOldestTokensToFitTheContext() {
    String longText = String.join(" ", Collections.nCopies(100, "higher"));
    try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config())) {
      AgentResponse.Reply r = act(agent, request(longText, 1, 0));
      int[] prompt = trace(r).promptIds();
      assertEquals(64 - 8, prompt.length);
      int[] full = new ChatTemplate(tokenizer).render(request(longText, 1, 0).conversation());
      assertArrayEquals(Arrays.copyOfRange(full, full.length - prompt.length, full.length), prompt);
    }
  }

  @Test
  void aClosedAgentFailsTurnsAsValuesAndLeavesASharedModelOpen() {
    DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config());
    agent.close();
    agent.close();
    AgentResponse r = agent.act(request("hello", 1, 0)).toCompletableFuture().join();
    assertInstanceOf(AgentResponse.Failure.class, r);
    assertFalse(((AgentResponse.Failure) r).reason().isEmpty());
    assertEquals(1, model.forward(List.of(new int[] {1, 2})).length, "closing a sharing agent leaves its model open");
  }
}
