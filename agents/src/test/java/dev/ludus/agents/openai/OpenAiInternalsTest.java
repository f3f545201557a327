package dev.ludus.agents.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ludus.api.ToolCall;
import dev.ludus.api.chat.ChatFailureKind;
import dev.ludus.api.chat.ChatResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The client's parts on their own: response decoding, backoff, Retry-After, redaction, the limiter. */
class OpenAiInternalsTest {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final ChatResponseDecoder DECODER = new ChatResponseDecoder(JSON, new Redactor("k"));

  private static ChatResponseDecoder.Decoded decode(String body) {
    return DECODER.decode(body.getBytes(StandardCharsets.UTF_8));
  }

  private static ChatResponseDecoder.Decoded.Ok ok(String body) {
    return assertInstanceOf(ChatResponseDecoder.Decoded.Ok.class, decode(body));
  }

  private static ChatResponseDecoder.Decoded.Bad bad(String body) {
    return assertInstanceOf(ChatResponseDecoder.Decoded.Bad.class, decode(body));
  }

  @Test
  void aLargePoolIsSplitIntoShardsOfAtMost128ConnectionsAndASmallOneIsNot() {
    assertEquals(1, OpenAiChatClient.shards(1));
    assertEquals(1, OpenAiChatClient.shards(128));
    assertEquals(2, OpenAiChatClient.shards(129));
    assertEquals(8, OpenAiChatClient.shards(1000), "the benchmark's 1,000 in flight: 8 scans of 125");
    assertEquals(16, OpenAiChatClient.shards(1_000_000), "at most 16 shards");
  }

  @Test
  void tokenIdStringsInLogProbsGiveTheOutputIdsWhenThereIsNoTokenIdsArray() {
    var d = ok("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"ab\"},\"finish_reason\":\"length\","
        + "\"logprobs\":{\"content\":[{\"token\":\"token_id:5\",\"logprob\":-0.5},"
        + "{\"token\":\"token_id:9\",\"logprob\":-1.5}]}}],\"prompt_token_ids\":[1,2]}");
    ChatResult.Choice c = d.choices().get(0);
    assertArrayEquals(new int[] {5, 9}, c.tokens().outputIds());
    assertArrayEquals(new float[] {-0.5f, -1.5f}, c.tokens().logProbs());
    assertArrayEquals(new int[] {1, 2}, c.tokens().promptIds());
    assertEquals("length", c.finishReason());
    assertEquals(List.of("token_id:5", "token_id:9"), c.logProbs().stream().map(ChatResult.TokenLogProb::token).toList());
    assertNull(d.usage());
  }

  @Test
  void idsAndLogProbsOfDifferentLengthsGiveNoTrace() {
    var d = ok("{\"choices\":[{\"message\":{\"content\":\"ab\"},\"token_ids\":[1,2,3],"
        + "\"logprobs\":{\"content\":[{\"token\":\"a\",\"logprob\":-0.5}]}}]}");
    assertNull(d.choices().get(0).tokens());
    assertEquals(1, d.choices().get(0).logProbs().size(), "the log-probs are still there for who wants them");
    assertTrue(d.traceMismatch());
  }

  @Test
  void argumentsGivenAsAnObjectAreKeptAsJsonTextAndAMissingIdIsEmpty() {
    var d = ok("{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[{\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":{\"x\":1}}}]}}]}");
    ToolCall call = d.choices().get(0).message().toolCalls().get(0);
    assertEquals("{\"x\":1}", call.arguments());
    assertEquals("", call.id(), "the caller names it (the openai agent: call_<turn>_<i>)");
  }

  @Test
  void trailingGarbageIsMalformed() {
    assertEquals(ChatFailureKind.MALFORMED_JSON, bad("{\"choices\":[]} trailing").kind());
  }

  @Test
  void anErrorObjectIsABadResponse() {
    var b = bad("{\"error\":{\"message\":\"model not found\"}}");
    assertEquals(ChatFailureKind.BAD_RESPONSE, b.kind());
    assertTrue(b.detail().contains("model not found"), b.detail());
  }

  @Test
  void aBadLaterChoiceIsABadResponseNamingIt() {
    var b = bad("{\"choices\":[{\"message\":{\"content\":\"ok\"}},{\"message\":{\"content\":7}}]}");
    assertEquals(ChatFailureKind.BAD_RESPONSE, b.kind());
    assertTrue(b.detail().startsWith("choices[1].message.content"), b.detail());
  }

  @Property(tries = 200)
  void fullJitterStaysWithinTheDoublingCap(@ForAll @IntRange(min = 1, max = 80) int retry,
      @ForAll @LongRange(min = 0, max = 10_000) long base) {
    long max = base * 40;
    long d = Backoff.fullJitter(retry, base, max);
    long cap = Math.min(max, retry > 40 ? max : base * (1L << Math.min(retry - 1, 40)));
    assertTrue(d >= 0 && d <= cap, "delay " + d + " for retry " + retry + " base " + base);
  }

  @Test
  void fullJitterSpreadsDelays() {
    long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> Backoff.fullJitter(5, 100, 10_000))
        .distinct().count();
    assertTrue(distinct > 10, "jitter gave only " + distinct + " distinct delays");
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    assertEquals(2_000, Backoff.retryAfterMillis("2", now));
    assertEquals(1_500, Backoff.retryAfterMillis(" 1.5 ", now));
    assertEquals(30_000, Backoff.retryAfterMillis("Wed, 01 Jan 2025 00:00:30 GMT", now));
    assertEquals(0, Backoff.retryAfterMillis("Tue, 31 Dec 2024 23:59:00 GMT", now), "a past date means now");
    assertEquals(-1, Backoff.retryAfterMillis("soon", now));
    assertEquals(-1, Backoff.retryAfterMillis("-3", now));
    assertEquals(-1, Backoff.retryAfterMillis(null, now));
  }

  @Test
  void redactorMasksTheKeyBearerTokensAndOpenAiShapedKeys() {
    Redactor r = new Redactor("my-secret-key-123");
    String out = r.apply("key my-secret-key-123, header Authorization: Bearer abc.def-ghi, other sk-proj-abcdef123456");
    assertFalse(out.contains("my-secret-key-123") || out.contains("abc.def-ghi") || out.contains("abcdef123456"), out);
    assertEquals(3, out.split(java.util.regex.Pattern.quote(Redactor.MASK), -1).length - 1, out);
  }

  @Test
  void excerptRedactsBeforeCutting() {
    Redactor r = new Redactor("0123456789SECRET");
    String out = r.excerpt("x".repeat(5) + "0123456789SECRET", 10);
    assertFalse(out.contains("01234"), out);
  }

  @Test
  void limiterQueuesBeyondItsCapAndHandsPermitsOnInOrder() {
    List<Runnable> dispatched = new ArrayList<>();
    Executor capture = dispatched::add;
    ConcurrencyLimiter l = new ConcurrencyLimiter(2, capture);
    List<String> ran = new ArrayList<>();
    l.acquire(() -> ran.add("a"));
    l.acquire(() -> ran.add("b"));
    l.acquire(() -> ran.add("c"));
    l.acquire(() -> ran.add("d"));
    assertEquals(List.of("a", "b"), ran);
    assertEquals(2, l.waiting());
    l.release();
    dispatched.forEach(Runnable::run);
    assertEquals(List.of("a", "b", "c"), ran);
    assertEquals(2, l.inFlight());
    l.release();
    l.release();
    l.release();
    assertEquals(0, l.inFlight());
    assertNotNull(dispatched);
    assertEquals(2, l.maxObserved());
  }
}
