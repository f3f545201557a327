/**
 * Twenty questions (intent discovery): a rule-based simulated user who thinks of a thing from a fixed
 * {@link dev.ludus.simulators.questions.Catalogue} and answers yes/no questions about it truthfully.
 *
 * <p>The public surface is the catalogue ({@link dev.ludus.simulators.questions.Item},
 * {@link dev.ludus.simulators.questions.Attribute}), the question grammar
 * ({@link dev.ludus.simulators.questions.Question}, {@link dev.ludus.simulators.questions.QuestionGrammar}),
 * the belief over candidates ({@link dev.ludus.simulators.questions.Candidates}), the signal keys
 * ({@link dev.ludus.simulators.questions.TwentyQuestionsSignals}) and the provider registered as
 * {@code twenty-questions-user}; the user itself is package-private.
 */
package dev.ludus.simulators.questions;
