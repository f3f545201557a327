package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls queued unprepared ({@link ChatCompletions#complete(java.util.function.Supplier, java.util.concurrent.Executor)},
 * what {@code ludus serve}'s event loop does with a body) are prepared on the batching worker, share a burst's first
 * pass, get the tokens the caller-rendered path gets with the same seeds, and have their completions built on the
 * executor given; a call whose preparation fails fails alone.
 */
class ChatCompletionsTest {
  private static final List<String> WORDS = List.of("hello", "world", "guess", "a", "number", "between", "1", "and",
      "10", "yes", "no", "higher", "lower", ".", "?");
  private static ChatCompletions completions;
  private static ExecutorService finish;

  /** A call as the server's parser makes one. */
  private record TestCall(List<Message> messages, List<ToolSpec> tools, ChatCompletions.Params params)
      implements ChatCompletions.Call {}

  @BeforeAll
  static void start() {
    // a 300 ms gathering wait: calls queued back to back are one burst
    completions = ChatCompletions.create(DjlLmAgentProvider.Config.defaults().withArchitecture(2, 32, 4, 64)
        .withVocabulary(WORDS).withBatching(8, 300));
    finish = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-finish"));
  }

  @AfterAll
  static void stop() {
    completions.close();
    finish.shutdown();
  }

  private static TestCall call(int i) {
    return new TestCall(List.of(Message.system("guess a number ."), Message.user("between 1 and " + (i + 1) + " ?")),
        List.of(), new ChatCompletions.Params(1.0, 1.0, 6, List.of(), 1000 + i, i % 2 + 1, 0));
  }

  @Test
  void queuedCallsArePreparedOnTheWorkerShareOneFirstPassAndMatchTheCallerRenderedPath() throws Exception {
    Set<String> preparedOn = ConcurrentHashMap.newKeySet();
    Set<String> builtOn = ConcurrentHashMap.newKeySet();
    ChatCompletions.Statistics before = completions.statistics();
    List<CompletableFuture<ChatCompletions.Answer<TestCall>>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int k = i;
      queued.add(completions.complete(() -> {
        preparedOn.add(Thread.currentThread().getName());
        return call(k);
      }, task -> finish.execute(() -> {
        builtOn.add(Thread.currentThread().getName());
        task.run();
      })).toCompletableFuture());
    }
    List<ChatCompletions.Answer<TestCall>> answers = new ArrayList<>();
    for (CompletableFuture<ChatCompletions.Answer<TestCall>> f : queued) {
      answers.add(f.get(120, TimeUnit.SECONDS));
    }
    ChatCompletions.Statistics after = completions.statistics();
    assertEquals(Set.of("serve-worker"), preparedOn, "prepared on the batching worker");
    assertEquals(Set.of("test-finish"), builtOn, "completions built on the executor given");
    assertEquals(4, after.items() - before.items(), "1 + 2 + 1 sequences (n alternates 1 and 2)");
    assertEquals(0, after.joined() - before.joined(), "the burst was admitted together, none joined later: " + after);

    for (int i = 0; i < 3; i++) {
      TestCall c = call(i);
      assertEquals(c, answers.get(i).call(), "the answer carries its call");
      List<ChatCompletions.Completion> direct = completions.complete(c.messages(), c.tools(), c.params())
          .toCompletableFuture().get(120, TimeUnit.SECONDS);
      List<ChatCompletions.Completion> viaQueue = answers.get(i).completions();
      assertEquals(direct.size(), viaQueue.size());
      for (int j = 0; j < direct.size(); j++) {
        assertArrayEquals(direct.get(j).trace().promptIds(), viaQueue.get(j).trace().promptIds());
        assertArrayEquals(direct.get(j).trace().outputIds(), viaQueue.get(j).trace().outputIds(),
            "call " + i + " choice " + j + ": the same tokens with the same seed");
        assertArrayEquals(direct.get(j).trace().logProbs(), viaQueue.get(j).trace().logProbs(), 1e-4f);
      }
    }
  }

  @Test
  void aCallWhosePreparationFailsFailsAloneAndABadMaxTokensIsRefused() throws Exception {
    CompletableFuture<ChatCompletions.Answer<TestCall>> broken = completions.<TestCall>complete(() -> {
      throw new IllegalArgumentException("messages must be a non-empty array");
    }, finish).toCompletableFuture();
    TestCall tooLong = new TestCall(call(0).messages(), List.of(), new ChatCompletions.Params(1.0, 1.0, 64, List.of(),
        1, 1, 0));
    CompletableFuture<ChatCompletions.Answer<TestCall>> refused = completions.complete(() -> tooLong, finish)
        .toCompletableFuture();
    CompletableFuture<ChatCompletions.Answer<TestCall>> fine = completions.complete(() -> call(3), finish)
        .toCompletableFuture();

    ExecutionException e = assertThrows(ExecutionException.class, () -> broken.get(120, TimeUnit.SECONDS));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertEquals("messages must be a non-empty array", e.getCause().getMessage());
    ExecutionException r = assertThrows(ExecutionException.class, () -> refused.get(120, TimeUnit.SECONDS));
    assertTrue(r.getCause().getMessage().contains("max_tokens must be in 1..63"), r.getCause().getMessage());
    assertEquals(2, fine.get(120, TimeUnit.SECONDS).completions().size(), "the other call completed");
  }

  @Test
  void aWindowedPolicyIsServedTheConversationItReadsInTraining() throws Exception {
    DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults().withArchitecture(2, 32, 4, 64)
        .withVocabulary(WORDS).withBatching(8, 1);
    List<Message> conversation = List.of(Message.system("guess a number ."), Message.user("between 1 and 10 ?"),
        Message.assistant("a"), Message.user("higher ."), Message.assistant("number"), Message.user("lower ?"));
    ChatCompletions.Params params = new ChatCompletions.Params(0, 1.0, 3, List.of(), 7, 1, 0);
    try (ChatCompletions windowed = ChatCompletions.create(config.withHistoryWindow(1));
        ChatCompletions whole = ChatCompletions.create(config.withHistoryWindow(0))) {
      int[] served = windowed.complete(conversation, List.of(), params).toCompletableFuture()
          .get(60, TimeUnit.SECONDS).get(0).trace().promptIds();
      int[] view = whole.complete(HistoryWindow.view(conversation, 1), List.of(), params).toCompletableFuture()
          .get(60, TimeUnit.SECONDS).get(0).trace().promptIds();
      int[] all = whole.complete(conversation, List.of(), params).toCompletableFuture()
          .get(60, TimeUnit.SECONDS).get(0).trace().promptIds();
      assertArrayEquals(view, served);
      assertTrue(served.length < all.length, "the window drops earlier observations");
    }
  }
}
