package dev.ludus.simulators.profile;

import dev.ludus.simulators.text.ContentWords;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * RLPA's profile reward made exact: an inferred line matches a gold fact when it contains every one of the fact's
 * keywords (whole words, case-insensitive, a final {@code s} ignored); lines and facts are matched one to one,
 * greedily in line order, each line taking the unmatched fact with the most keywords. With m matches, precision
 * m/lines and recall m/facts, the score is their F1 (0 when m = 0). Stateless and thread-safe.
 */
public final class ProfileScore {
  private ProfileScore() {}

  /** How many of {@code lines} match distinct facts of {@code facts}. */
  public static int matches(List<String> lines, List<ProfileFact> facts) {
    boolean[] used = new boolean[facts.size()];
    int m = 0;
    for (String line : lines) {
      Set<String> words = normalised(ContentWords.words(line));
      int best = -1;
      for (int i = 0; i < facts.size(); i++) {
        if (!used[i] && words.containsAll(normalised(facts.get(i).keywords().stream()
            .flatMap(k -> ContentWords.words(k).stream()).toList()))
            && (best < 0 || facts.get(i).keywords().size() > facts.get(best).keywords().size())) {
          best = i;
        }
      }
      if (best >= 0) {
        used[best] = true;
        m++;
      }
    }
    return m;
  }

  /** The F1 of {@code lines} against the gold {@code facts}. */
  public static double f1(List<String> lines, List<ProfileFact> facts) {
    if (lines.isEmpty() || facts.isEmpty()) {
      return 0.0;
    }
    int m = matches(lines, facts);
    if (m == 0) {
      return 0.0;
    }
    double p = (double) m / lines.size();
    double r = (double) m / facts.size();
    return 2 * p * r / (p + r);
  }

  private static Set<String> normalised(List<String> words) {
    Set<String> out = new HashSet<>();
    for (String w : words) {
      out.add(w.length() > 3 && w.endsWith("s") ? w.substring(0, w.length() - 1) : w);
    }
    return out;
  }
}
