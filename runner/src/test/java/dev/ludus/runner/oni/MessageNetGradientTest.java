package dev.ludus.runner.oni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ONI networks back-propagate by hand: each parameter's gradient of the binary cross-entropy equals the loss's
 * central finite difference, and the byte-level CNN's max-pool reads each message's own bytes only.
 */
class MessageNetGradientTest {
  static final List<String> TEXTS = List.of("you found the key", "a wall", "the door opens!", "ok",
      "nothing happens here", "you see a fountain");
  static final float[] LABELS = {1, 0, 1, 0, 0, 1};

  /**
   * Checks 12 entries of each parameter against central differences; an entry whose one-sided differences disagree
   * sits on a kink of ReLU or of the max-pool (the nudge moved an argmax) and is skipped, as few are.
   */
  static void checkGradients(MessageNet net) {
    float[][] analytic = net.labelGradients(TEXTS, LABELS);
    Random r = new Random(5);
    float eps = 2e-3f;
    int checked = 0;
    int kinks = 0;
    double base = net.labelLoss(TEXTS, LABELS);
    for (int p = 0; p < analytic.length; p++) {
      for (int trial = 0; trial < 12; trial++) {
        // entries with a gradient first (most one-hot windows are off), else any
        int i = r.nextInt(analytic[p].length);
        for (int tries = 0; tries < 200 && analytic[p][i] == 0; tries++) {
          i = r.nextInt(analytic[p].length);
        }
        net.nudge(p, i, eps);
        double up = net.labelLoss(TEXTS, LABELS);
        net.nudge(p, i, -2 * eps);
        double down = net.labelLoss(TEXTS, LABELS);
        net.nudge(p, i, eps);
        double right = (up - base) / eps;
        double left = (base - down) / eps;
        if (Math.abs(right - left) > 0.1 * Math.max(Math.abs(right), Math.abs(left)) + 1e-3) {
          kinks++;
          continue;
        }
        double numeric = (up - down) / (2 * eps);
        assertEquals(numeric, analytic[p][i], 1e-3 + 0.05 * Math.abs(numeric), "parameter " + p + ", entry " + i);
        checked++;
      }
    }
    assertTrue(checked >= 40, checked + " entries checked, " + kinks + " on kinks");
  }

  @Test
  void theByteLevelCnnsGradientsEqualTheLosssFiniteDifferences() {
    try (CharCnn net = new CharCnn(6, 0.01, 3)) {
      checkGradients(net);
    }
  }

  @Test
  void theHashedNgramNetsGradientsEqualTheLosssFiniteDifferences() {
    try (TextNet net = new TextNet(6, 0.01, 3)) {
      checkGradients(net);
    }
  }

  @Test
  void aMessagesCnnScoreDoesNotDependOnItsBatchMates() {
    try (CharCnn net = new CharCnn(8, 0.01, 4)) {
      float alone = net.scores(List.of("ok"))[0];
      float withLonger = net.scores(List.of("a much longer message that pads the short one", "ok"))[1];
      assertEquals(alone, withLonger, 1e-5);
    }
  }

  @Test
  void adamStepsOnTheLabelsLowerTheLoss() {
    try (CharCnn net = new CharCnn(16, 0.05, 4)) {
      double first = net.labelLoss(TEXTS, LABELS);
      for (int i = 0; i < 30; i++) {
        net.trainLabels(TEXTS, LABELS);
      }
      assertTrue(net.labelLoss(TEXTS, LABELS) < first / 2, "Adam steps lower the loss: " + first + " -> "
          + net.labelLoss(TEXTS, LABELS));
    }
  }
}
