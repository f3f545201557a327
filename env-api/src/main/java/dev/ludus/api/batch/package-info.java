/**
 * Batching for model work: {@link dev.ludus.api.batch.Batcher} gathers requests from many episodes and
 * groups into batches run off the callers' threads, for in-process models and model-based reward shapers.
 */
package dev.ludus.api.batch;
