/**
 * The sandboxes behind {@code function-calling}'s tools: deterministic in-memory worlds (a file system,
 * messaging, a bank, a stock market, travel booking, support tickets, math, a key-value memory) whose state is a
 * record and whose methods are pure functions from a state and JSON arguments to the next state and a JSON
 * result, each with a bounded JSON Schema. Nothing here reads a file, opens a socket, starts a process, reads the
 * clock or uses reflection (a test scans these classes for it); the clocks and prices are virtual and seeded.
 *
 * <p>The public surface: {@link dev.ludus.environments.tools.sandbox.World} (the states of an episode's sandboxes,
 * calls, the state check and distance), {@link dev.ludus.environments.tools.sandbox.Sandboxes} (the catalogue of
 * sandboxes and tools), the state records, {@link dev.ludus.environments.tools.sandbox.Intent} (a goal with its
 * gold calls) and {@link dev.ludus.environments.tools.sandbox.SandboxError}.
 */
package dev.ludus.environments.tools.sandbox;
