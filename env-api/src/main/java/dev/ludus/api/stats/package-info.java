/**
 * Summary statistics over plain arrays of doubles ({@link dev.ludus.api.stats.Statistics}), shared by the shapers,
 * transforms and combiners, the learner's advantage estimators and the experiments, so that one convention gives
 * one number everywhere.
 */
package dev.ludus.api.stats;
