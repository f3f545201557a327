/**
 * Cluster mode: rollout workers in several JVMs join a Vert.x cluster (Hazelcast over TCP), a coordinator leases
 * them a run's matches ({@link dev.ludus.runner.cluster.RolloutCoordinator}, a
 * {@link dev.ludus.runner.runtime.MatchPlayer} of the episode runtime, which keeps grouping, scoring and the store),
 * workers build the run from its {@link dev.ludus.runner.cluster.RolloutDescription} through their own registry
 * ({@link dev.ludus.runner.cluster.RolloutWorker}), and a trainer publishes its policy versions to them
 * ({@link dev.ludus.runner.cluster.PolicyPublisher}). Messages are records with one codec each: identity within a
 * Vert.x instance, Jackson (and the episode codec) on the wire.
 */
package dev.ludus.runner.cluster;
