/**
 * Sparse-reward text games: {@code guess-number} (binary search), {@code gridworld} (a key, a locked door
 * and a goal, seen through a small window) and {@code frozen-lake} (Gymnasium's FrozenLake in text).
 *
 * <p>Each pays reward only when the task is done, and publishes the facts a shaper needs to give denser
 * credit (the feasible range and its entropy, subgoals reached, the steps left to the goal) as signals
 * declared in {@link dev.ludus.environments.sparse.SparseSignals} and {@link dev.ludus.api.StandardSignals}.
 * Levels are generated from the task seed; any randomness of the dynamics comes from the episode seed.
 * Public here are the providers (registered under {@code META-INF/services}), their configuration records
 * and the signal keys; the environments and their scripted agents are package-private.
 */
package dev.ludus.environments.sparse;
