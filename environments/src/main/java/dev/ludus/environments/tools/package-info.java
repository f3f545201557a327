/**
 * {@code function-calling}: tool use against sandboxes that really run, after BFCL, ToolRL and xLAM.
 *
 * <p>The public surface is the provider ({@link dev.ludus.environments.tools.FunctionCallingProvider}, registered
 * as {@code function-calling}, also the {@link dev.ludus.api.DatasetWriter} of its BFCL, xLAM and ToolRL files),
 * its configuration, its task {@link dev.ludus.environments.tools.Category categories} and its
 * {@link dev.ludus.environments.tools.FunctionCallingSignals signals}. The sandboxes are in
 * {@code dev.ludus.environments.tools.sandbox}; the environment, the generator, the checkers, the loaders and the
 * agents are package-private.
 */
package dev.ludus.environments.tools;
