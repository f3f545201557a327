package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where an episode's failure happened: the part of the system whose error ended it. A failed episode carries its kind
 * beside its readable reason ({@link Episode#failureKind()}, {@link Episode#failure()}); run summaries group failures
 * by kind. Episode files write it as its lower-case name ({@code "failureKind": "agent"}).
 */
public enum FailureKind {
  /** The environment could not be created, reset or stepped. */
  @JsonProperty("environment")
  ENVIRONMENT,
  /** The agent threw, answered nothing, or said it failed. */
  @JsonProperty("agent")
  AGENT,
  /** The simulated user of a dialogue world failed. */
  @JsonProperty("simulator")
  SIMULATOR,
  /** Scoring failed: a shaper, combiner or transform of the pipeline. */
  @JsonProperty("shaper")
  SHAPER,
  /** A tool call could not be used (e.g. arguments breaking the tool's schema, with {@code invalidToolArguments: fail}). */
  @JsonProperty("tool")
  TOOL,
  /** The model server could not be reached or answered badly (timeouts, HTTP errors, an open circuit breaker). */
  @JsonProperty("transport")
  TRANSPORT,
  /** The runtime's turn or episode time limit ran out. */
  @JsonProperty("timeout")
  TIMEOUT,
  /** Anything else: a reason that names none of the above. */
  @JsonProperty("unknown")
  UNKNOWN;

  /** A backend's chat-transport tag at the start of an agent's failure, e.g. {@code openai/timeout}. */
  private static final Pattern TRANSPORT_TAG = Pattern.compile("\\b[a-z][a-z0-9-]*/(http-status|timeout|connection|"
      + "truncated-body|circuit-open|retry-after-too-long|malformed-json|bad-response|empty-choices|bad-request)\\b");

  /** The name episode files and summaries use: {@code environment}, {@code agent}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind a failure reason written as text names, only for reasons recorded without a kind: episode files written
   * before kinds existed, and a plugin's {@link Episode#asFailed(String)}. Failures now carry their kind from where
   * they happen ({@link LudusFailure}, {@link AgentResponse.Failure#kind()}); this reading keeps old files' summaries
   * as they were: the runtime's reasons of then read back as the kind it gave them, and an agent's failure whose
   * reason carries a tool or transport tag as a {@link #TOOL} or {@link #TRANSPORT} failure.
   */
  public static FailureKind classify(String reason) {
    if (reason == null || reason.isBlank()) {
      return UNKNOWN;
    }
    String r = reason.toLowerCase(Locale.ROOT);
    if (r.contains("invalid-tool-arguments")) {
      return TOOL;
    }
    if (TRANSPORT_TAG.matcher(r).find()) {
      return TRANSPORT;
    }
    if (r.contains("time limit") || r.contains("did not answer within") || r.contains("did not finish within")
        || r.contains("timed out")) {
      return TIMEOUT;
    }
    if (r.contains("simulat")) {
      return SIMULATOR;
    }
    if (r.startsWith("environment") || r.startsWith("reset failed")) {
      return ENVIRONMENT;
    }
    if (r.startsWith("scoring failed") || r.contains("shaper") || r.contains("shaping")) {
      return SHAPER;
    }
    if (r.startsWith("agent") || r.contains(": agent ")) {
      return AGENT;
    }
    return UNKNOWN;
  }
}
