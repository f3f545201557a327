package dev.ludus.environments.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer metrics and rewards of the search-QA literature, as their code computes them. Stateless.
 *
 * <ul>
 *   <li>{@link #exact} and {@link #f1}: SQuAD v1.1's {@code normalize_answer} (lower-case, drop ASCII
 *       punctuation, drop a/an/the, collapse whitespace), exact match and multiset token F1, max over the gold
 *       answers: HotpotQA's answer metric ({@code hotpot_evaluate_v1.py}) and Search-R1's {@code qa_em.py}.
 *       HotpotQA scores yes/no/noanswer 0 unless identical, which {@link #f1} does too.
 *   <li>{@link #searchR1}: Search-R1's format-aware table ({@code qa_em_format.py}, {@code compute_score_em}):
 *       EM and valid format 1; EM and invalid format {@code 1 − s}; wrong or missing answer with a valid
 *       format {@code s + r} when a gold answer appears inside an {@code <information>} block, else {@code s};
 *       wrong answer and invalid format {@code f}; missing answer and invalid format 0. The format is its
 *       {@code is_valid_sequence} state machine (think, then search or answer; after information, think again;
 *       only whitespace between blocks; it must end after the answer). Deviation: Search-R1 scores the prompt
 *       too, so its {@code extract_solution} needs two {@code <answer>} matches (the prompt's example is one);
 *       here only the agent's text is scored, so one is enough.
 *   <li>{@link #igpo}: IGPO's {@code compute_f1} ({@code info_gain.py}): −2 when the tags code, tool_call,
 *       think or answer are unbalanced or there is no {@code <answer>}; else F1 over the <i>sets</i> of
 *       tokens of the first {@code <answer>} and each gold answer after lower-casing and replacing punctuation
 *       by spaces (no article removal), max over gold answers.
 * </ul>
 *
 * <p>This duplicates the few lines of SQuAD normalization in the {@code answer-match} shaper on purpose:
 * {@code environments} does not depend on {@code reward-shapers}. Both are tested against the same cases.
 */
final class AnswerScoring {
  private AnswerScoring() {}

  /** Python's {@code string.punctuation}. */
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern TAG = Pattern.compile("(</?(?:think|search|information|answer)>)");
  private static final Pattern INFORMATION = Pattern.compile("<information>(.*?)</information>", Pattern.DOTALL);
  private static final Pattern ANSWER = Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);
  private static final List<String> IGPO_TAGS = List.of("code", "tool_call", "think", "answer");

  /** Search-R1's reward coefficients: {@code structure_format_score} s, {@code retrieval_score} r,
   * {@code final_format_score} f. */
  record SearchR1Scores(double structureFormatScore, double retrievalScore, double finalFormatScore) {}

  static String normalize(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (PUNCTUATION.indexOf(c) < 0) {
        sb.append(c);
      }
    }
    return String.join(" ", tokens(ARTICLES.matcher(sb).replaceAll(" ")));
  }

  private static List<String> tokens(String s) {
    String t = s.strip();
    return t.isEmpty() ? List.of() : List.of(WHITESPACE.split(t));
  }

  /** SQuAD exact match, max over {@code golds}: 1 or 0. */
  static double exact(String prediction, List<String> golds) {
    String p = normalize(prediction);
    for (String g : golds) {
      if (normalize(g).equals(p)) {
        return 1.0;
      }
    }
    return 0.0;
  }

  /** SQuAD/HotpotQA token F1, max over {@code golds}. */
  static double f1(String prediction, List<String> golds) {
    double best = 0;
    for (String g : golds) {
      best = Math.max(best, f1(prediction, g));
    }
    return best;
  }

  private static double f1(String prediction, String gold) {
    String np = normalize(prediction);
    String ng = normalize(gold);
    List<String> special = List.of("yes", "no", "noanswer");
    if ((special.contains(np) || special.contains(ng)) && !np.equals(ng)) {
      return 0.0;
    }
    List<String> p = tokens(np);
    Map<String, Integer> left = new HashMap<>();
    tokens(ng).forEach(t -> left.merge(t, 1, Integer::sum));
    int gSize = left.values().stream().mapToInt(Integer::intValue).sum();
    int common = 0;
    for (String t : p) {
      Integer n = left.get(t);
      if (n != null && n > 0) {
        common++;
        left.put(t, n - 1);
      }
    }
    if (common == 0) {
      return 0.0;
    }
    double precision = (double) common / p.size();
    double recall = (double) common / gSize;
    return 2 * precision * recall / (precision + recall);
  }

  /** Search-R1's {@code is_retrieval_correct}: a normalized gold answer inside a normalized information block. */
  static boolean goldInInformation(String transcript, List<String> golds) {
    Matcher m = INFORMATION.matcher(transcript);
    while (m.find()) {
      if (containsGold(m.group(1).strip(), golds)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a normalized gold answer is a substring of normalized {@code text}. */
  static boolean containsGold(String text, List<String> golds) {
    String n = normalize(text);
    for (String g : golds) {
      String ng = normalize(g);
      if (!ng.isEmpty() && n.contains(ng)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Search-R1's {@code is_valid_sequence} over the agent's part of the transcript (its messages with the
   * environment's answers in between): balanced tags, then the state machine start → think → (search →
   * information → think)* → answer → end, with only whitespace between blocks.
   */
  static boolean validSequence(String transcript) {
    for (String tag : List.of("think", "search", "information", "answer")) {
      if (count(transcript, "<" + tag + ">") != count(transcript, "</" + tag + ">")) {
        return false;
      }
    }
    String state = "start";
    Matcher m = TAG.matcher(transcript);
    int last = 0;
    List<String> parts = new ArrayList<>();
    while (m.find()) {
      parts.add(transcript.substring(last, m.start()));
      parts.add(m.group(1));
      last = m.end();
    }
    parts.add(transcript.substring(last));
    for (String part : parts) {
      if (part.isBlank()) {
        continue;
      }
      if (TAG.matcher(part).matches()) {
        String next = switch (part) {
          case "<think>" -> state.equals("start") || state.equals("information") ? "in_think" : null;
          case "</think>" -> state.equals("in_think") ? "after_think" : null;
          case "<search>" -> state.equals("after_think") ? "in_search" : null;
          case "</search>" -> state.equals("in_search") ? "after_search" : null;
          case "<information>" -> state.equals("after_search") ? "in_information" : null;
          case "</information>" -> state.equals("in_information") ? "information" : null;
          case "<answer>" -> state.equals("after_think") ? "in_answer" : null;
          case "</answer>" -> state.equals("in_answer") ? "end" : null;
          default -> null;
        };
        if (next == null) {
          return false;
        }
        state = next;
      } else if (!state.startsWith("in_")) {
        return false; // text between blocks, or after the end
      }
    }
    return state.equals("end");
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  /**
   * Search-R1's format-aware reward.
   *
   * @param transcript the agent's messages and the environment's answers for this question, in order
   * @param answer the extracted answer, or null when the agent gave none
   */
  static double searchR1(String transcript, String answer, List<String> golds, SearchR1Scores c) {
    boolean valid = validSequence(transcript);
    boolean retrieval = valid && goldInInformation(transcript, golds);
    if (answer != null && exact(answer, golds) == 1.0) {
      return valid ? 1.0 : 1.0 - c.structureFormatScore();
    }
    if (valid) {
      return retrieval ? c.structureFormatScore() + c.retrievalScore() : c.structureFormatScore();
    }
    return answer == null ? 0.0 : c.finalFormatScore();
  }

  /** IGPO's final-turn reward over the agent's text for this question: set F1, or −2 for a bad format. */
  static double igpo(String agentText, List<String> golds) {
    String s = agentText.toLowerCase(Locale.ROOT);
    if (!tagsBalanced(s)) {
      return -2.0;
    }
    Matcher m = ANSWER.matcher(s);
    if (!m.find()) {
      return -2.0;
    }
    Set<String> p = new HashSet<>(tokens(igpoPreprocess(m.group(1).strip())));
    double best = 0;
    for (String g : golds) {
      Set<String> gt = new HashSet<>(tokens(igpoPreprocess(g.toLowerCase(Locale.ROOT))));
      if (gt.isEmpty() || p.isEmpty()) {
        continue;
      }
      Set<String> common = new HashSet<>(p);
      common.retainAll(gt);
      if (!common.isEmpty()) {
        double precision = (double) common.size() / p.size();
        double recall = (double) common.size() / gt.size();
        best = Math.max(best, 2 * precision * recall / (precision + recall));
      }
    }
    return best;
  }

  /** IGPO's {@code check_tags_balance}: equal counts, and every opening tag closed after it. */
  static boolean tagsBalanced(String s) {
    for (String tag : IGPO_TAGS) {
      String open = "<" + tag + ">";
      String close = "</" + tag + ">";
      if (count(s, open) != count(s, close)) {
        return false;
      }
      int last = -1;
      while (true) {
        int start = s.indexOf(open, last + 1);
        if (start < 0) {
          break;
        }
        int end = s.indexOf(close, start);
        if (end < 0) {
          return false;
        }
        last = end;
      }
    }
    return true;
  }

  private static String igpoPreprocess(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(PUNCTUATION.indexOf(c) < 0 ? c : ' ');
    }
    return sb.toString();
  }
}
