/**
 * The Ludus contract: what an environment, a simulated user, an agent and a reward shaper are, and the
 * records that flow between them (messages in OpenAI chat format, tasks, turns, episodes, signals and the
 * reward ledger).
 *
 * <p>Everything here is either an immutable record (thread-safe) or a small interface whose Javadoc states
 * its thread-safety and life-cycle. The only dependency is Jackson's annotations, so that the records
 * serialize to the episode store's JSON without any code in this module knowing about JSON.
 */
package dev.ludus.api;
