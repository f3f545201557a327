package dev.ludus.agents.openai.mock;

import dev.ludus.api.ToolCall;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The faulty server of issue 16's check ({@code ludus bench faults}): by a hash of the request index and a seed,
 * 60% of requests are answered with a guess ({@code <answer>N</answer>}, N in 1..8), 10% get a 500, 10% a 429 with
 * {@code Retry-After}, 5% malformed JSON, 5% a truncated body, 2% hang, and 8% are answered with a {@code guess}
 * tool call. Which fault a request gets depends only on its index and the seed. Counts what it served.
 *
 * <p>A test double: see {@link MockOpenAiServer}. Thread-safe.
 */
public final class FaultMix {
  private final long seed;
  private final String retryAfter;
  private final Map<String, LongAdder> served = new ConcurrentHashMap<>();

  /**
   * @param seed the draw's seed
   * @param retryAfter the 429s' {@code Retry-After} value, in seconds
   */
  public FaultMix(long seed, String retryAfter) {
    this.seed = seed;
    this.retryAfter = retryAfter;
  }

  /** What the server does with request {@code index}: {@code ok}, {@code 500}, {@code 429}, ... */
  public static String category(long seed, int index) {
    long h = mix(seed * 0x9E3779B97F4A7C15L + index);
    int percent = (int) Long.remainderUnsigned(h, 100);
    if (percent < 60) {
      return "ok";
    } else if (percent < 70) {
      return "500";
    } else if (percent < 80) {
      return "429";
    } else if (percent < 85) {
      return "malformed-json";
    } else if (percent < 90) {
      return "truncated-body";
    } else if (percent < 92) {
      return "hang";
    }
    return "tool-call";
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The faults of the mix; counts every request by its category. */
  public MockFaultSchedule faults() {
    return index -> {
      String c = category(seed, index);
      served.computeIfAbsent(c, k -> new LongAdder()).increment();
      return switch (c) {
        case "500" -> MockFault.serverError();
        case "429" -> MockFault.rateLimited(retryAfter);
        case "malformed-json" -> MockFault.malformedJson();
        case "truncated-body" -> MockFault.truncatedBody();
        case "hang" -> MockFault.hang();
        default -> null;
      };
    };
  }

  /** The answers of the requests the mix lets through: a guess, as text or as a tool call. */
  public MockResponder responder() {
    return request -> {
      int guess = 1 + (int) Long.remainderUnsigned(mix(request.index() + 17L * seed), 8);
      if (category(seed, request.index()).equals("tool-call")) {
        return MockReply.toolCalls(List.of(ToolCall.of("call_" + request.index(), "guess", "{\"n\": " + guess + "}")));
      }
      return MockReply.text("<answer>" + guess + "</answer>");
    };
  }

  /** Requests so far by category, sorted by name. */
  public Map<String, Long> served() {
    Map<String, Long> out = new TreeMap<>();
    served.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
