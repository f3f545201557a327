package dev.ludus.simulators.llm;

import dev.ludus.api.SignalKey;
import java.util.List;

/**
 * The signals of the generic {@code llm-user}. Never shown to the agent.
 *
 * <ul>
 *   <li>{@link #END}: the end token the user wrote ({@link EndToken#wireName()}), on the turn it ended;
 *   <li>{@link #MODEL}: the model the user's endpoint serves, at the start (the pinned model, per episode);
 *   <li>{@link #CALLS}: the user's model calls so far, retries included.
 * </ul>
 */
public final class LlmUserSignals {
  private LlmUserSignals() {}

  public static final SignalKey<String> END = SignalKey.of("user-end", String.class);
  public static final SignalKey<String> MODEL = SignalKey.of("user-model", String.class);
  public static final SignalKey<Integer> CALLS = SignalKey.of("user-model-calls", Integer.class);

  /** Every key the user may publish. */
  public static List<SignalKey<?>> all() {
    return List.of(END, MODEL, CALLS);
  }
}
