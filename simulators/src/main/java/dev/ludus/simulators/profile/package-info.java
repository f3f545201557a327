/**
 * Personalisation (RLPA): a rule-based user with a hidden profile of facts that it reveals a little at a time, and
 * the exact profile F1 and response rule check that replace RLPA's judges. State ({@link
 * dev.ludus.simulators.profile.ConfidantState}), update rules ({@link dev.ludus.simulators.profile.ConfidantRules})
 * and wording ({@link dev.ludus.simulators.profile.ConfidantReplies}) are separate types. The user is registered as
 * {@code personalisation-user}.
 */
package dev.ludus.simulators.profile;
