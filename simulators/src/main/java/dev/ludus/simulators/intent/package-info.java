/**
 * The rule-based intent-discovery user: holds a hidden intent (one value per attribute of an
 * {@link dev.ludus.simulators.intent.IntentSpec}) and answers attribute questions truthfully or "not sure".
 */
package dev.ludus.simulators.intent;
