/**
 * A scripted simulated user for tool-use tasks: it makes the requests of a script one turn after another,
 * answers questions about the details it holds back (the missing-argument tasks of BFCL and ToolRL), and says
 * goodbye when the script is done. Registered as {@code scripted-user}.
 *
 * <p>The public surface is the script ({@link dev.ludus.simulators.scripted.UserScript}), the signal keys
 * ({@link dev.ludus.simulators.scripted.ScriptedUserSignals}), the configuration and the provider; the user
 * itself is package-private.
 */
package dev.ludus.simulators.scripted;
