package dev.ludus.runner.oni;

import dev.ludus.api.ConfigException;

/**
 * The configuration checks ONI's shapers share: the annotator endpoint's default and the ranges of the online
 * network's settings (hidden units, learning rate, updates per round, scoring batch) and its encoder. Stateless.
 */
final class OniChecks {
  private OniChecks() {}

  /** The endpoint's name, {@code annotator} when blank. */
  static String endpoint(String endpoint) {
    return endpoint == null || endpoint.isBlank() ? "annotator" : endpoint.strip();
  }

  /** {@code value}, or {@code fallback} when it is 0 (left out of the YAML). */
  static int orDefault(int value, int fallback) {
    return value == 0 ? fallback : value;
  }

  /** Fails naming the shaper, the field, its value and the allowed range when {@code value} is outside it. */
  static void range(String shaper, String field, int value, int low, int high) {
    if (value < low || value > high) {
      throw new ConfigException(shaper + ": " + field + " must be in [" + low + ", " + high + "], was " + value);
    }
  }

  /**
   * Checks the online network's settings of {@code shaper}: hidden 1 to 1024, learningRate in (0, 1], updates 1 to
   * 1000, maxBatch 1 to 4096.
   */
  static void network(String shaper, int hidden, double learningRate, int updates, int maxBatch) {
    range(shaper, "hidden", hidden, 1, 1024);
    range(shaper, "updates", updates, 1, 1000);
    range(shaper, "maxBatch", maxBatch, 1, 4096);
    if (!(learningRate > 0 && learningRate <= 1)) {
      throw new ConfigException(shaper + ": learningRate must be in (0, 1], was " + learningRate);
    }
  }

  /** {@code encoder}, {@code ngrams} when left out; fails naming the shaper unless it is ngrams or char-cnn. */
  static String encoder(String shaper, String encoder) {
    String e = encoder == null ? "ngrams" : encoder;
    if (!e.equals("ngrams") && !e.equals("char-cnn")) {
      throw new ConfigException(shaper + ": encoder must be ngrams or char-cnn, was '" + e + "'");
    }
    return e;
  }

  /** The message network an {@link #encoder} names: {@link CharCnn} with {@code hidden} filters, else {@link TextNet}. */
  static MessageNet network(String encoder, int hidden, double learningRate, long seed) {
    return encoder.equals("char-cnn") ? new CharCnn(hidden, learningRate, seed)
        : new TextNet(hidden, learningRate, seed);
  }
}
