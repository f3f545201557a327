/**
 * Persuasion (PersuasionForGood, Refine-and-Imitate): a rule-based persuadee with a persona in P4G's trait schema
 * and a hidden propensity to donate. State ({@link dev.ludus.simulators.persuasion.PersuasionState}), update rules
 * ({@link dev.ludus.simulators.persuasion.PersuasionRules}), reading ({@link
 * dev.ludus.simulators.persuasion.PersuasionReader}) and wording ({@link
 * dev.ludus.simulators.persuasion.PersuadeeReplies}) are separate types, so that a user driven by a language model
 * can keep the state and rules and speak for itself. The user is registered as {@code persuasion-user}.
 */
package dev.ludus.simulators.persuasion;
