package dev.ludus.agents.djl;

import static dev.ludus.agents.djl.DjlLmFixtures.act;
import static dev.ludus.agents.djl.DjlLmFixtures.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cross-turn key/value cache: a conversation's turns give the tokens and log-probs they give without it, alone
 * and in batches that mix conversations at different turns, and the cache reuses what it claims, drops everything
 * on an update, and releases its arrays.
 */
class KvCacheTest {
  private static final float TOLERANCE = 1e-4f;
  private static final List<String> USER = List.of("no , higher .", "no , lower . try again", "what is it ?",
      "wrong . think of a number between 1 and 10", "no .", "again ?");
  private static LanguageModel model;
  private static LmTokenizer tokenizer;

  @BeforeAll
  static void build() {
    tokenizer = DjlLmFixtures.tokenizer();
    model = model(11);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** The fixture model with a context of 256, so that conversations run several turns uncut. */
  private static LanguageModel model(long seed) {
    return LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 256, tokenizer.vocabSize()), "cpu", seed);
  }

  private static DjlLmAgentProvider.Config cached(DjlLmAgentProvider.Config c) {
    return c.withKvCache(true, 64, 64);
  }

  private static DjlLmAgentProvider.Config uncached(DjlLmAgentProvider.Config c) {
    return c.withKvCache(false, 64, 64);
  }

  /** One conversation played turn by turn: the agent's replies, then a fixed user message after each. */
  private static final class Conversation {
    final String id;
    final long seed;
    final String seat;
    final List<Message> messages = new ArrayList<>(List.of(Message.system("play a game ."),
        Message.user("guess a number between 1 and 10")));
    final List<TokenTrace> traces = new ArrayList<>();

    Conversation(String id, long seed, String seat) {
      this.id = id;
      this.seed = seed;
      this.seat = seat;
    }

    AgentRequest next() {
      return new AgentRequest(id, Task.generated("t", seed), seed, traces.size(), messages, List.of(), seat);
    }

    void answer(AgentResponse.Reply r) {
      traces.add(r.tokenTrace().orElseThrow());
      messages.add(r.message());
      messages.add(Message.user(USER.get((int) ((seed + traces.size()) % USER.size()))));
    }
  }

  private static void assertSameTrace(TokenTrace expected, TokenTrace actual, String what) {
    assertArrayEquals(expected.promptIds(), actual.promptIds(), what);
    assertArrayEquals(expected.outputIds(), actual.outputIds(), what);
    assertArrayEquals(expected.logProbs(), actual.logProbs(), TOLERANCE, what);
    assertEquals(expected.policyVersion(), actual.policyVersion(), what);
  }

  /** Plays {@code turns} turns of one conversation with each agent and compares them turn by turn. */
  private static KvCacheStatistics playBoth(DjlLmAgentProvider.Config c, int turns, long seed) {
    Conversation plain = new Conversation("e" + seed, seed, null);
    Conversation fast = new Conversation("e" + seed, seed, null);
    try (DjlLmAgent without = DjlLmAgent.sharing(model, tokenizer, uncached(c));
        DjlLmAgent with = DjlLmAgent.sharing(model, tokenizer, cached(c))) {
      for (int t = 0; t < turns; t++) {
        plain.answer(act(without, plain.next()));
        fast.answer(act(with, fast.next()));
        assertSameTrace(plain.traces.get(t), fast.traces.get(t), "turn " + t);
      }
      assertEquals(KvCacheStatistics.NONE, without.kvCacheStatistics());
      return with.kvCacheStatistics();
    }
  }

  @Test
  void greedyTurnsWithTheCacheGiveTheTokensAndLogProbsOfTurnsWithout() {
    KvCacheStatistics s = playBoth(config().withMaxNewTokens(4), 5, 1);
    assertEquals(5, s.lookups());
    assertEquals(1, s.firstTurns());
    assertEquals(4, s.hits(), s.summary());
    assertTrue(s.reusedShare() > 0.5, s.summary());
  }

  @Test
  void seededSampledTurnsWithTheCacheGiveTheTokensAndLogProbsOfTurnsWithout() {
    for (long seed = 1; seed <= 3; seed++) {
      KvCacheStatistics s = playBoth(config().withMaxNewTokens(4).withSampling(0.8, 0, 1.0), 5, seed);
      assertEquals(4, s.hits(), s.summary());
    }
  }

  @Test
  void concurrentConversationsAtDifferentTurnsShareBatchesAndStayExact() {
    DjlLmAgentProvider.Config c = config().withMaxNewTokens(5).withSampling(1.0, 0, 1.0);
    int conversations = 9;
    List<Conversation> alone = new ArrayList<>();
    List<Conversation> batched = new ArrayList<>();
    for (int i = 0; i < conversations; i++) {
      alone.add(new Conversation("c" + i, 100 + i, i % 3 == 0 ? "alice" : null));
      batched.add(new Conversation("c" + i, 100 + i, i % 3 == 0 ? "alice" : null));
    }
    int rounds = 6;
    try (DjlLmAgent single = DjlLmAgent.sharing(model, tokenizer, uncached(c).withBatching(1, 0));
        DjlLmAgent shared = DjlLmAgent.sharing(model, tokenizer, cached(c).withBatching(conversations, 2_000))) {
      for (int round = 0; round < rounds; round++) {
        // conversation i starts at round i % 3, so every batch mixes first turns with later ones of all lengths
        List<Integer> playing = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
          if (round >= i % 3) {
            playing.add(i);
          }
        }
        for (int i : playing) {
          alone.get(i).answer(act(single, alone.get(i).next()));
        }
        List<CompletionStage<AgentResponse>> stages = new ArrayList<>();
        for (int i : playing) {
          stages.add(shared.act(batched.get(i).next()));
        }
        for (int k = 0; k < playing.size(); k++) {
          batched.get(playing.get(k)).answer(DjlLmFixtures.reply(stages.get(k)));
        }
      }
      for (int i = 0; i < conversations; i++) {
        for (int t = 0; t < alone.get(i).traces.size(); t++) {
          assertSameTrace(alone.get(i).traces.get(t), batched.get(i).traces.get(t), "conversation " + i + " turn " + t);
        }
      }
      KvCacheStatistics s = shared.kvCacheStatistics();
      assertTrue(shared.worker().statistics().largestBatch() >= conversations - 1,
          "the turns must have shared batches, largest " + shared.worker().statistics().largestBatch());
      assertEquals(conversations, s.firstTurns(), s.summary());
      assertEquals(s.lookups() - conversations, s.hits(), s.summary());
    }
  }

  @Test
  void anUpdateDropsEveryCachedConversationSoTheNextTurnIsTheNewPolicys() {
    try (LanguageModel own = model(5)) {
      DjlLmAgentProvider.Config c = config().withMaxNewTokens(4);
      Conversation plain = new Conversation("u", 7, null);
      Conversation fast = new Conversation("u", 7, null);
      try (DjlLmAgent without = DjlLmAgent.sharing(own, tokenizer, uncached(c));
          DjlLmAgent with = DjlLmAgent.sharing(own, tokenizer, cached(c))) {
        for (int t = 0; t < 2; t++) {
          plain.answer(act(without, plain.next()));
          fast.answer(act(with, fast.next()));
        }
        own.update(() -> {
          NDArray w = own.parameters().stream().filter(p -> p.getKey().contains("qkv")).findFirst().orElseThrow()
              .getValue().getArray();
          w.set(w.mul(1.5f).toFloatArray());
        });
        plain.answer(act(without, plain.next()));
        fast.answer(act(with, fast.next()));
        assertSameTrace(plain.traces.get(2), fast.traces.get(2), "the turn after the update");
        KvCacheStatistics s = with.kvCacheStatistics();
        assertEquals(1, s.versionChanges(), s.summary());
        assertEquals(1, s.hits(), s.summary());
        fast.answer(act(with, fast.next()));
        assertEquals(2, with.kvCacheStatistics().hits(), "the new policy's cache serves the turn after");
      }
    }
  }

  @Test
  void aPromptThatRewritesTheHistoryReusesOnlyTheSharedPrefixAndStaysExact() {
    DjlLmAgentProvider.Config c = config().withMaxNewTokens(4);
    try (DjlLmAgent without = DjlLmAgent.sharing(model, tokenizer, uncached(c));
        DjlLmAgent with = DjlLmAgent.sharing(model, tokenizer, cached(c))) {
      Conversation fast = new Conversation("r", 3, null);
      fast.answer(act(with, fast.next()));
      fast.messages.set(fast.messages.size() - 2, Message.assistant("yes i am right"));
      TokenTrace expected = act(without, fast.next()).tokenTrace().orElseThrow();
      TokenTrace actual = act(with, fast.next()).tokenTrace().orElseThrow();
      assertSameTrace(expected, actual, "a rewritten reply");
      KvCacheStatistics s = with.kvCacheStatistics();
      assertEquals(1, s.prefixMismatches(), s.summary());
      assertTrue(s.reusedTokens() > 0, s.summary());
    }
  }

  @Test
  void aPromptCutToFitTheContextNeitherUsesNorKeepsACache() {
    DjlLmAgentProvider.Config c = config().withMaxNewTokens(8);
    try (LanguageModel small = DjlLmFixtures.model(11);
        DjlLmAgent without = DjlLmAgent.sharing(small, tokenizer, uncached(c));
        DjlLmAgent with = DjlLmAgent.sharing(small, tokenizer, cached(c))) {
      Conversation plain = new Conversation("k", 2, null);
      Conversation fast = new Conversation("k", 2, null);
      while (plain.traces.size() < 12) {
        plain.answer(act(without, plain.next()));
        fast.answer(act(with, fast.next()));
        assertSameTrace(plain.traces.get(plain.traces.size() - 1), fast.traces.get(fast.traces.size() - 1),
            "turn " + plain.traces.size());
      }
      KvCacheStatistics s = with.kvCacheStatistics();
      assertTrue(s.cutPrompts() > 0, "the conversation must outgrow the context of 64: " + s.summary());
      assertEquals(s.lookups(), s.hits() + s.prefixMismatches() + s.firstTurns() + s.versionChanges() + s.evicted()
          + s.cutPrompts(), s.summary());
    }
  }

  @Test
  void seatsOfOneEpisodeAreSeparateConversations() {
    DjlLmAgentProvider.Config c = config().withMaxNewTokens(3);
    try (DjlLmAgent with = DjlLmAgent.sharing(model, tokenizer, cached(c))) {
      Conversation alice = new Conversation("match", 1, "alice");
      Conversation bob = new Conversation("match", 2, "bob");
      for (int t = 0; t < 3; t++) {
        alice.answer(act(with, alice.next()));
        bob.answer(act(with, bob.next()));
      }
      KvCacheStatistics s = with.kvCacheStatistics();
      assertEquals(2, s.firstTurns(), s.summary());
      assertEquals(4, s.hits(), "each seat continues its own cache: " + s.summary());
    }
  }

  @Test
  void theLeastRecentlyUsedConversationIsEvictedAndEveryArrayIsReleasedOnClose() {
    BaseNDManager manager = (BaseNDManager) model.manager();
    int before = manager.getManagedArrays().size();
    DjlLmAgentProvider.Config c = config().withMaxNewTokens(3).withKvCache(true, 2, 64);
    try (DjlLmAgent with = DjlLmAgent.sharing(model, tokenizer, c)) {
      List<Conversation> three = List.of(new Conversation("a", 1, null), new Conversation("b", 2, null),
          new Conversation("c", 3, null));
      for (Conversation conv : three) {
        conv.answer(act(with, conv.next()));
      }
      assertEquals(2, with.kvCacheStatistics().entries());
      assertTrue(manager.getManagedArrays().size() > before, "the cached arrays live under the model's manager");
      three.get(1).answer(act(with, three.get(1).next())); // b and c were kept: a was the least recently used
      three.get(0).answer(act(with, three.get(0).next()));
      KvCacheStatistics s = with.kvCacheStatistics();
      assertEquals(1, s.hits(), s.summary());
      assertEquals(1, s.evicted(), s.summary());
      assertEquals(2, s.entries(), s.summary());
      long perToken = 8L * model.spec().layers() * model.spec().width();
      assertTrue(s.bytes() > 0 && s.bytes() % perToken == 0, s.summary());
    }
    assertEquals(before, manager.getManagedArrays().size(), "closing the agent releases every cached array");
  }

  @Test
  void anEndedEpisodeReleasesEveryCachedArrayOfItsSeatsAtOnce() {
    BaseNDManager manager = (BaseNDManager) model.manager();
    int before = manager.getManagedArrays().size();
    DjlLmAgentProvider.Config c = config().withMaxNewTokens(3);
    try (DjlLmAgent with = DjlLmAgent.sharing(model, tokenizer, cached(c))) {
      Conversation alice = new Conversation("match", 1, "alice");
      Conversation bob = new Conversation("match", 2, "bob");
      Conversation other = new Conversation("other", 3, null);
      for (Conversation conv : List.of(alice, bob, other)) {
        conv.answer(act(with, conv.next()));
      }
      assertEquals(3, with.kvCacheStatistics().entries());
      int cachedArrays = manager.getManagedArrays().size();
      with.episodeEnded("match");
      KvCacheStatistics s = with.kvCacheStatistics();
      assertEquals(1, s.entries(), "only the other episode stays: " + s.summary());
      assertEquals(2, s.released(), s.summary());
      assertTrue(manager.getManagedArrays().size() < cachedArrays, "the ended episode's arrays are closed");
      with.episodeEnded("other");
      assertEquals(0, with.kvCacheStatistics().entries());
      assertEquals(0, with.kvCacheStatistics().bytes());
      assertEquals(before, manager.getManagedArrays().size(), "every cached array is released, the agent still open");
      other.answer(act(with, other.next())); // the id played again: a first turn, cached as usual
      assertEquals(1, with.kvCacheStatistics().entries());
    }
  }

  @Test
  void aTurnThatFinishesAfterItsEpisodeEndedLeavesNothingCached() {
    KvCache cache = new KvCache(8, 1 << 20);
    try (cache) {
      cache.startBatch(0);
      assertNull(cache.lookup("late" + DjlLmAgent.SEAT_SEPARATOR + "bob", new int[] {1, 2, 3}, false, 0));
      cache.release("late"); // the episode timed out while its turn was generating
      NDManager own = model.manager().newSubManager();
      KvCache.Entry entry = new KvCache.Entry(new int[] {1, 2}, new NDList(own.zeros(new Shape(1, 4, 2, 8))), own, 0);
      cache.put("late" + DjlLmAgent.SEAT_SEPARATOR + "bob", entry);
      assertEquals(0, cache.statistics().entries(), "the late turn's entry is closed, not kept");
      assertFalse(own.isOpen(), "its arrays are closed");
    }
  }

  @Test
  void theByteBoundKeepsTheCacheUnderIt() {
    // 1 MiB holds 2048 tokens of this model (2 layers, width 32: 512 bytes a token): about 100 first turns
    DjlLmAgentProvider.Config c = config().withMaxNewTokens(3).withKvCache(true, 1000, 1).withBatching(32, 5);
    try (DjlLmAgent with = DjlLmAgent.sharing(model, tokenizer, c)) {
      List<CompletionStage<AgentResponse>> stages = new ArrayList<>();
      for (int i = 0; i < 160; i++) {
        stages.add(with.act(new Conversation("b" + i, i, null).next()));
      }
      stages.forEach(DjlLmFixtures::reply);
      KvCacheStatistics s = with.kvCacheStatistics();
      assertTrue(s.bytes() <= 1 << 20 && s.bytes() > (1 << 20) - 64 * 512, s.summary());
      assertTrue(s.entries() > 50 && s.entries() < 160, s.summary());
    }
  }
}
