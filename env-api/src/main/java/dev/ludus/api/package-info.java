/**
 * The Ludus contract: what an environment, a simulated user, an agent and a reward shaper are, and the
 * records that flow between them (messages in OpenAI chat format, tasks, turns, episodes, signals and the
 * reward ledger).
 *
 * <p>Everything here is either an immutable record (thread-safe) or a small interface whose Javadoc states
 * its thread-safety and life-cycle. The records carry Jackson's annotations so that they serialize to the
 * episode store's JSON; Jackson's databind is used only to bind a plugin's configuration
 * ({@link dev.ludus.api.ConfigBinder}), and Vert.x only as what the {@link dev.ludus.api.PluginContext}
 * lends plugins.
 */
package dev.ludus.api;
