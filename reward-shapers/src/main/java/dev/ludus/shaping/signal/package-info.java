/**
 * Shapers that read the environment's signals (facts the agent never sees): potential-based shaping,
 * information gain, subgoal bonuses, count-decayed novelty, emotion deltas and attribution of an episode
 * score to turns. Each provider cites its paper and states its formula; the shapers themselves are
 * package-private, stateless and thread-safe.
 */
package dev.ludus.shaping.signal;
