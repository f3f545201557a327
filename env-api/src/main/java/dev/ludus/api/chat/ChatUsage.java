package dev.ludus.api.chat;

/**
 * What one named chat client was asked and answered in a run, as {@code summary.json} reports it per client
 * name (a judge's endpoint, a simulated user's): requests made, HTTP attempts, answers from the cache, failures,
 * and the tokens the server reported. Immutable and thread-safe.
 *
 * @param requests requests made through the client ({@link ChatClient#complete} calls)
 * @param attempts HTTP requests they took, retries included (0 for cached answers)
 * @param cached requests answered from the client's cache or joined to one in flight
 * @param failures requests answered with a {@link ChatResult.Failure}
 * @param promptTokens prompt tokens the server reported over the completions
 * @param completionTokens completion tokens the server reported over the completions
 */
public record ChatUsage(long requests, long attempts, long cached, long failures, long promptTokens,
    long completionTokens) {

  /** Nothing asked yet. */
  public static final ChatUsage NONE = new ChatUsage(0, 0, 0, 0, 0, 0);

  /** The sum of this and {@code other}. */
  public ChatUsage plus(ChatUsage other) {
    return new ChatUsage(requests + other.requests, attempts + other.attempts, cached + other.cached,
        failures + other.failures, promptTokens + other.promptTokens, completionTokens + other.completionTokens);
  }
}
