/**
 * Policy-derived scores: shapers that read a djl-lm checkpoint's log-probabilities of spans of the episode
 * ({@code confidence}, CRew; {@code follow-up-likelihood}, FLR; {@code answer-probability}, IGPO's information
 * gain; {@code implicit-prm}, PRIME's implicit PRM, which also learns online). They live in the runner (the
 * reward-shapers module does not depend on DJL) and share one model and one batcher per checkpoint and device for
 * the whole run; see {@code SpanScorer}'s and {@code ImplicitPrm}'s design notes.
 */
package dev.ludus.runner.scoring;
