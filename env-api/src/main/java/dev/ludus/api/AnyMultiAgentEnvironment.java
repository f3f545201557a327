package dev.ludus.api;

/**
 * A multi-agent environment instance with named seats, either synchronous ({@link MultiAgentEnvironment}) or
 * asynchronous ({@link AsyncMultiAgentEnvironment}); the runtime adapts both and plays one agent per seat.
 *
 * <p>Life-cycle: created by {@link MultiAgentEnvironmentProvider#create}, reset once per match, stepped with the
 * moves of the seats whose turn it is until a step ends the match, then closed by whoever created it.
 * {@link #close()} is idempotent. An instance serves one match at a time and need not be thread-safe.
 */
public sealed interface AnyMultiAgentEnvironment extends AnyEnvironment
    permits MultiAgentEnvironment, AsyncMultiAgentEnvironment {}
