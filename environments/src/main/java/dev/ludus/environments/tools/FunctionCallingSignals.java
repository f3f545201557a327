package dev.ludus.environments.tools;

import dev.ludus.api.SignalKey;
import java.util.List;
import java.util.Objects;

/**
 * The signals of {@code function-calling}, for shapers; never shown to the agent. Beside them the environment
 * publishes the standard {@code success}, {@code invalid-action}, {@code tool-call-valid} (whether every call of
 * the step was readable, named an offered tool and satisfied its JSON Schema) and {@code tool-error} (each failed
 * call's {@code kind: detail}, with the schema violation for invalid arguments), and the scripted user's
 * {@code user-act}, {@code user-turn} and {@code facts-given}.
 *
 * <ul>
 *   <li>{@link #CALL_OUTCOMES} (steps with calls): each call's tool and status, {@code ok}, {@code invalid}
 *       (refused before running), {@code error} (the sandbox refused) or {@code timeout};
 *   <li>{@link #GOLD_CALLS_MATCHED} and {@link #GOLD_CALLS} (every step of a generated task): how many of the
 *       current user turn's gold calls a successful call of the agent has matched so far (BFCL's AST check of
 *       the call against the gold values), out of how many;
 *   <li>{@link #STATE_DISTANCE} (every step of an executable task): how far the sandboxes' public state is from
 *       the current user turn's goal state (0 when equal; see {@code World.distance});
 *   <li>{@link #BFCL_AST}: BFCL's binary AST check, on the step it judges (the first message of a single-turn
 *       task);
 *   <li>{@link #BFCL_STATE} and {@link #BFCL_RESPONSE} (the step that ends a user turn): BFCL multi-turn's state
 *       check (public state equal to the gold's) and response check (the gold calls' results all among the
 *       agent's results so far);
 *   <li>{@link #TURN_PASSED} (the step that ends a user turn): both checks passed (an irrelevance turn: no call
 *       was made).
 * </ul>
 */
public final class FunctionCallingSignals {
  private FunctionCallingSignals() {}

  /** What became of one call. */
  public record CallOutcome(String tool, String status, String detail) {
    public CallOutcome {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(status, "status");
      detail = detail == null ? "" : detail;
    }
  }

  public static final SignalKey<List<CallOutcome>> CALL_OUTCOMES = SignalKey.listOf("call-outcomes", CallOutcome.class);
  public static final SignalKey<Integer> GOLD_CALLS_MATCHED = SignalKey.of("gold-calls-matched", Integer.class);
  public static final SignalKey<Integer> GOLD_CALLS = SignalKey.of("gold-calls", Integer.class);
  public static final SignalKey<Integer> STATE_DISTANCE = SignalKey.of("state-distance", Integer.class);
  public static final SignalKey<Boolean> BFCL_AST = SignalKey.of("bfcl-ast", Boolean.class);
  public static final SignalKey<Boolean> BFCL_STATE = SignalKey.of("bfcl-state", Boolean.class);
  public static final SignalKey<Boolean> BFCL_RESPONSE = SignalKey.of("bfcl-response", Boolean.class);
  public static final SignalKey<Boolean> TURN_PASSED = SignalKey.of("turn-passed", Boolean.class);

  /** Every key of this class. */
  public static List<SignalKey<?>> all() {
    return List.of(CALL_OUTCOMES, GOLD_CALLS_MATCHED, GOLD_CALLS, STATE_DISTANCE, BFCL_AST, BFCL_STATE, BFCL_RESPONSE,
        TURN_PASSED);
  }
}
