/**
 * The learner's update core. {@link dev.ludus.runner.learn.PolicyLearner} takes one optimization step of a
 * {@code djl-lm} {@link dev.ludus.agents.djl.LanguageModel} on a batch of agent turns
 * ({@link dev.ludus.runner.learn.Sample}: exact token ids, behaviour log-probabilities, per-token
 * advantages), minimizing the PPO-clip surrogate with optional KL-to-reference and entropy terms over the
 * output tokens only, or a supervised step on demonstrations ({@link dev.ludus.runner.learn.Demonstration});
 * its coefficients are a {@link dev.ludus.runner.learn.LearnerConfig}. Checkpoints (weights, AdamW moments,
 * counters) are written atomically and resume exactly ({@link dev.ludus.runner.learn.LearnerCheckpoint}).
 * Advantage estimation lives in the {@code advantage} subpackage.
 */
package dev.ludus.runner.learn;
