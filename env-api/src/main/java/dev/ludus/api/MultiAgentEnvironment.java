package dev.ludus.api;

import java.util.Map;

/**
 * A synchronous multi-agent environment: plain Java, like {@link Environment}, with named seats (the provider's
 * {@link MultiAgentEnvironmentProvider#seats seats}). Turn-taking (as PettingZoo's AEC) and simultaneous moves
 * (as its parallel API) are one protocol: each answer names the seats to act {@link MatchStep#next next}, one
 * for a turn-based game, several for a simultaneous round, and {@link #step} receives exactly their moves.
 *
 * <p>Each seat sees its own observations, gets its own rewards and signals, and has its own private view of the
 * task ({@link SeatStart#privateInfo}): its goal or values, never another seat's. {@code terminated} and
 * {@code truncated} are kept apart, for the whole match. The runtime records one episode per seat, so shapers,
 * the ledger and the learner treat each seat's episode as any other.
 *
 * <p>Contract (checked by {@link EnvChecker}): {@link #reset} before any {@link #step}; the same task, seed and
 * moves give the same observations, rewards, flags and signals; a malformed move is answered to its seat (with
 * {@link StandardSignals#INVALID_ACTION}), not thrown; no seat's observation shows another seat's secret signals
 * or private information. The order of calls, and that a step gets a move from each seat to act and from no
 * other, are enforced by the wrapper {@link BoundEnvironment#create()} puts around it. Not thread-safe.
 */
public non-sealed interface MultiAgentEnvironment extends AnyMultiAgentEnvironment {
  /** Starts a match on {@code task}; {@code seed} drives any randomness of the dynamics (who moves first). */
  MatchStart reset(Task task, long seed);

  /** Applies the moves of the seats to act, one assistant message per seat, keyed by seat name. */
  MatchStep step(Map<String, Message> moves);
}
