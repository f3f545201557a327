/**
 * The Ludus contract: what an environment, a simulated user, an agent and a reward shaper are, and the
 * records that flow between them (messages in OpenAI chat format, tasks, turns, episodes, signals and the
 * reward ledger).
 *
 * <p>Everything here is either an immutable record (thread-safe) or a small interface whose Javadoc states
 * its thread-safety and life-cycle. Jackson's annotations make the records speak the episode file's JSON; its
 * databind reads signal values back as their keys' types ({@link dev.ludus.api.Signals#get}), carries the
 * episode codec ({@link dev.ludus.api.codec}), binds a plugin's configuration ({@link dev.ludus.api.ConfigBinder})
 * and reads tool calls ({@link dev.ludus.api.tools}); Vert.x is only what the {@link dev.ludus.api.PluginContext}
 * lends plugins.
 */
package dev.ludus.api;
