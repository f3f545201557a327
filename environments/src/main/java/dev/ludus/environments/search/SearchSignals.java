package dev.ludus.environments.search;

import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.tools.ToolDispatcher;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The signals of {@code search-qa}: what retrieval found, turn by turn, and each paper's score of every answer.
 * The agent never sees them; shapers read them by name.
 */
public final class SearchSignals {
  private SearchSignals() {}

  /** The titles of the passages this turn's searches returned, best first (on turns that search). */
  public static final SignalKey<List<String>> RETRIEVED = SignalKey.listOf("retrieved", String.class);
  /** Whether this turn's searches returned a gold passage of the current question (secret; on turns that search). */
  public static final SignalKey<Boolean> GOLD_RETRIEVED = SignalKey.secret("gold-retrieved", Boolean.class);
  /** How many supporting facts of the current question some search has returned so far (every turn). */
  public static final SignalKey<Integer> SUPPORTING_FACTS_FOUND = SignalKey.of("supporting-facts-found", Integer.class);
  /** {@code supporting-facts-found} over the question's supporting facts, in [0, 1] (when it has any). */
  public static final SignalKey<Double> SUPPORT_RECALL = SignalKey.of("support-recall", Double.class);
  /** Whether a gold answer (normalized) appears in the text this turn's searches returned (on turns that search). */
  public static final SignalKey<Boolean> ANSWER_IN_RETRIEVAL = SignalKey.of("answer-in-retrieval", Boolean.class);
  /** The answer's SQuAD exact match, 0 or 1 (on turns that answer, or end the episode unanswered). */
  public static final SignalKey<Double> ANSWER_EXACT = SignalKey.of("answer-exact", Double.class);
  /** The answer's SQuAD/HotpotQA token F1 (on turns that answer, or end unanswered). */
  public static final SignalKey<Double> ANSWER_F1 = SignalKey.of("answer-f1", Double.class);
  /** Search-R1's format-aware reward of the question's transcript (on turns that answer, or end unanswered). */
  public static final SignalKey<Double> SEARCH_R1_REWARD = SignalKey.of("search-r1-reward", Double.class);
  /** IGPO's set-F1 reward, −2 for a bad format (on turns that answer, or end unanswered). */
  public static final SignalKey<Double> IGPO_REWARD = SignalKey.of("igpo-reward", Double.class);
  /** The index of the question being asked, from 0 (every turn; conversations have several). */
  public static final SignalKey<Integer> QUESTION_INDEX = SignalKey.of("question-index", Integer.class);

  /** Every signal the environment may publish, the standard ones included. */
  public static Set<SignalKey<?>> all() {
    Set<SignalKey<?>> s = new LinkedHashSet<>(List.of(RETRIEVED, GOLD_RETRIEVED, SUPPORTING_FACTS_FOUND, SUPPORT_RECALL,
        ANSWER_IN_RETRIEVAL, ANSWER_EXACT, ANSWER_F1, SEARCH_R1_REWARD, IGPO_REWARD, QUESTION_INDEX,
        StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION));
    s.addAll(ToolDispatcher.SIGNALS);
    return Collections.unmodifiableSet(s);
  }
}
