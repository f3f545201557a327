/**
 * Policy-derived scores: shapers that read a djl-lm checkpoint's log-probabilities of spans of the episode
 * ({@code confidence}, CRew; {@code follow-up-likelihood}, FLR; {@code answer-probability}, IGPO's information
 * gain). They live in the runner (the reward-shapers module does not depend on DJL) and share one model and one
 * batcher per checkpoint and device for the whole run; see {@code SpanScorer}'s design note.
 */
package dev.ludus.runner.scoring;
