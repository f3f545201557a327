package dev.ludus.environments.social;

import java.util.List;

/**
 * Configuration of {@code deal-or-no-deal}. Immutable and thread-safe; validated on construction.
 *
 * @param maxTalk messages the two seats may exchange (unreadable ones included) before the talk ends as if one had
 *     written {@code <selection>}, 1 to 100 (default 10)
 * @param data where the contexts come from: {@code generated} (the default: from the task seed, under the original
 *     self-play constraints) or {@code lewis} (a file of the original end-to-end-negotiator data, see
 *     {@link LewisData})
 * @param path for {@code lewis}, the file ({@code data/negotiate/train.txt}, {@code val.txt}, {@code test.txt} or
 *     {@code selfplay.txt}); null otherwise
 */
public record DealOrNoDealConfig(int maxTalk, String data, String path) {
  static final List<String> SOURCES = List.of("generated", "lewis");

  public DealOrNoDealConfig {
    if (maxTalk < 1 || maxTalk > 100) {
      throw new IllegalArgumentException("maxTalk must be between 1 and 100, was " + maxTalk);
    }
    data = data == null ? "generated" : data;
    if (!SOURCES.contains(data)) {
      throw new IllegalArgumentException("data must be one of " + SOURCES + ", was '" + data + "'");
    }
    if (data.equals("lewis") && (path == null || path.isBlank())) {
      throw new IllegalArgumentException("path is required when data is 'lewis': the end-to-end-negotiator file "
          + "(data/negotiate/train.txt, val.txt, test.txt or selfplay.txt)");
    }
    if (data.equals("generated") && path != null) {
      throw new IllegalArgumentException("path is only read when data is 'lewis', but data is 'generated' and path "
          + "is '" + path + "'");
    }
  }

  /** @param maxTalk see above; generated contexts */
  public DealOrNoDealConfig(int maxTalk) {
    this(maxTalk, "generated", null);
  }

  /** Ten messages of talk, generated contexts. */
  public static DealOrNoDealConfig defaults() {
    return new DealOrNoDealConfig(10);
  }
}
