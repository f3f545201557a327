package dev.ludus.runner.train;

import dev.ludus.api.Episode;
import java.util.List;

/**
 * An iteration's episodes: all that were played (for the metrics) and the groups to train on.
 *
 * @param episodes every episode of the iteration, dynamic sampling's further rounds included
 * @param groups the groups the learner trains on
 * @param sampling what dynamic sampling did
 */
record Played(List<Episode> episodes, List<List<Episode>> groups, Trainer.SamplingStats sampling) {}
