/**
 * Advantage estimators for multi-turn trajectories: from a batch of scored episodes (groups of rollouts on
 * the same task) to one advantage per agent output token.
 *
 * <p>Entry points: {@link dev.ludus.runner.learn.advantage.AdvantageEstimators#of(String, Object)} (an estimator
 * registered by name through {@link dev.ludus.runner.learn.advantage.EstimatorProvider}, a plugin jar's included)
 * and the typed factories beside it; {@link dev.ludus.runner.learn.advantage.AdvantageStats} describes their output. The estimators follow section (E) of the reward catalog: GRPO (E1),
 * RLOO (E2), REINFORCE++ (E3), PPO with GAE (E4) and the IGPO turn-level advantage (E5).
 *
 * <p>Conventions shared by every estimator:
 * <ul>
 *   <li>A turn's reward is {@link dev.ludus.shaping.ShapingPipeline#turnRewards} (the sum of the turn's ledger
 *       values); an episode's outcome R is the undiscounted sum of its turn rewards.
 *   <li>Turn boundaries come from {@link dev.ludus.api.Episode#turns()}; the tokens of turn t are its
 *       {@link dev.ludus.api.TokenTrace#outputIds()} (none when the turn has no trace). The output holds one
 *       advantage per such token and nothing else: prompt, tool and user tokens are never in it.
 *   <li>Failed episodes ({@link dev.ludus.api.EpisodeStatus#FAILED}) are dropped before anything is computed:
 *       they get no output, and they count neither in group statistics nor in batch whitening.
 * </ul>
 */
package dev.ludus.runner.learn.advantage;
