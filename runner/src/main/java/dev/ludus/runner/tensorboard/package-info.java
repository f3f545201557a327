/**
 * TensorBoard event files written without TensorFlow: TFRecord framing with masked CRC32C around hand-encoded
 * {@code Event}/{@code Summary} protobuf messages ({@link dev.ludus.runner.tensorboard.EventFileWriter}); the
 * trainer's hook ({@link dev.ludus.runner.tensorboard.TrainingScalars}) writes each {@code metrics.jsonl} line's
 * scalars ({@link dev.ludus.runner.tensorboard.MetricScalars}) under the line's own names.
 */
package dev.ludus.runner.tensorboard;
