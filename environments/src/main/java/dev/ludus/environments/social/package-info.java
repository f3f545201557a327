/**
 * Social games with seats, played by one agent per seat: {@code deal-or-no-deal} (Lewis et al. 2017), two players
 * dividing books, hats and balls that each values privately.
 *
 * <p>Each game is a {@link dev.ludus.api.MultiAgentEnvironment}: every seat sees its own observations and private
 * values, gets its own reward and signals, and the runtime records one episode per seat of every match. Public here
 * are the providers (registered under {@code META-INF/services}), their configuration records and the signal keys;
 * the games and their scripted agents (random, bots, oracle) are package-private.
 */
package dev.ludus.environments.social;
