/**
 * Emotional support (RLVER, SAGE): a rule-based simulated user who shares a problem, holds a hidden need and an
 * emotion score, and reacts to how well each message meets the need.
 *
 * <p>State ({@link dev.ludus.simulators.support.SupportState}, {@link dev.ludus.simulators.support.SupportProfile}),
 * reading ({@link dev.ludus.simulators.support.SupportClassifier}), update rules
 * ({@link dev.ludus.simulators.support.SupportRules}) and what the user says
 * ({@link dev.ludus.simulators.support.SupportReplies}) are separate types, so that a user driven by a language model
 * can keep the state and rules and replace the reading and the replies. The provider is registered as
 * {@code emotional-support-user}; the user itself is package-private.
 */
package dev.ludus.simulators.support;
