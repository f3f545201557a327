/**
 * {@code ludus export}: a run's episodes in the data layouts Python trainers read (verl, SkyRL, OpenRLHF, TRL, and
 * token-level rollouts), and its metrics in verl's file-logger layout. {@link dev.ludus.runner.export.Exporter} runs
 * an {@link dev.ludus.runner.export.ExportRequest} (a {@link dev.ludus.runner.export.ExportFormat}, an
 * {@link dev.ludus.runner.export.EpisodeFilter}, the OpenRLHF {@link dev.ludus.runner.export.ExportKeys}) and streams
 * the episodes, read one at a time through the episode codec, to JSON Lines or, through DuckDB, to Parquet.
 */
package dev.ludus.runner.export;
