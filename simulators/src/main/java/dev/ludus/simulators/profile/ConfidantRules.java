package dev.ludus.simulators.profile;

import dev.ludus.simulators.text.ContentWords;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the personalisation user's hidden state moves, after RLPA's user prompt (a stranger who just added you as a
 * friend; reveals at most 15% of the profile per reply; never opens topics; calls out repetition and flattery; "I
 * don't want to talk about this, change the topic"). A pure function of the state and the agent's answer; no text
 * ({@link ConfidantReplies} words the outcome). Stateless and thread-safe.
 *
 * <ul>
 *   <li>The response raises the topics whose words it contains ({@link ProfileTable#topicsIn}); the user reveals the
 *       unrevealed facts of those topics, in profile order, at most k = max(1, ⌊share·N⌋) of the N facts
 *       (share 0.15 by default). A response that fails the check ({@link ResponseCheck}) reveals nothing.
 *   <li>The response check: repetition (Refine-and-Imitate's Jaccard ≥ 0.5 over content words against every earlier
 *       response sentence), flattery (a lexicon), off topic (no topic raised and no content word shared with the
 *       user's last message), too long.
 *   <li>The inferred profile's F1 against the whole gold profile ({@link ProfileScore}).
 * </ul>
 */
public final class ConfidantRules {
  private ConfidantRules() {}

  /** What one agent answer did. Immutable. */
  /**
   * @param nothingLeft the response raised topics on which the user had already said everything it has
   */
  public record Outcome(ConfidantState next, List<String> topics, List<ProfileFact> revealedNow,
      List<ResponseCheck> issues, double f1, boolean nothingLeft) {
    public Outcome {
      topics = List.copyOf(topics);
      revealedNow = List.copyOf(revealedNow);
      issues = List.copyOf(issues);
    }

    /** Whether the response passed the rule check. */
    public boolean responseOk() {
      return issues.isEmpty();
    }
  }

  /** The state before the agent speaks, after the user's {@code opening}. */
  public static ConfidantState initial(UserProfile profile, String opening) {
    return new ConfidantState(profile, Set.of(), List.of(), opening, 0, 0.0);
  }

  /** At most this many facts per reply: max(1, ⌊share·N⌋). */
  public static int perReply(UserProfile profile, double share) {
    return Math.max(1, (int) Math.floor(share * profile.facts().size() + 1e-9));
  }

  /**
   * The state after the agent's {@code answer}; {@code reply} is what the user then says, which becomes the last user
   * message (the caller words it with {@link ConfidantReplies} and passes it to {@link #said}).
   */
  public static Outcome step(ConfidantState s, ProfileAnswer answer, ProfileTable table, double share) {
    String response = answer.response().length() > 4000 ? answer.response().substring(0, 4000) : answer.response();
    List<ResponseCheck> issues = new ArrayList<>();
    List<Set<String>> earlier = new ArrayList<>(s.earlier());
    boolean repeated = false;
    for (String sentence : ContentWords.sentences(response)) {
      if (ContentWords.repeats(sentence, earlier)) {
        repeated = true;
      }
      Set<String> c = ContentWords.content(ContentWords.words(sentence));
      if (!c.isEmpty() && earlier.size() < 1000) {
        earlier.add(c);
      }
    }
    if (repeated) {
      issues.add(ResponseCheck.REPETITION);
    }
    if (ResponseCheck.FLATTERY_WORDS.matcher(response).find()) {
      issues.add(ResponseCheck.FLATTERY);
    }
    List<String> topics = table.topicsIn(response);
    if (topics.isEmpty()) {
      Set<String> shared = new HashSet<>(ContentWords.content(ContentWords.words(response)));
      shared.retainAll(ContentWords.content(ContentWords.words(s.lastUserMessage())));
      if (shared.isEmpty()) {
        issues.add(ResponseCheck.OFF_TOPIC);
      }
    }
    if (ContentWords.words(response).size() > ResponseCheck.MAX_WORDS) {
      issues.add(ResponseCheck.TOO_LONG);
    }
    TreeSet<Integer> revealed = new TreeSet<>(s.revealed());
    List<ProfileFact> now = new ArrayList<>();
    boolean nothingLeft = false;
    if (issues.isEmpty() && !topics.isEmpty()) {
      int k = perReply(s.profile(), share);
      List<ProfileFact> facts = s.profile().facts();
      for (int i = 0; i < facts.size() && now.size() < k; i++) {
        if (!revealed.contains(i) && topics.contains(facts.get(i).topic())) {
          revealed.add(i);
          now.add(facts.get(i));
        }
      }
      nothingLeft = now.isEmpty() && s.revealed().stream().anyMatch(i -> topics.contains(facts.get(i).topic()));
    }
    double f1 = ProfileScore.f1(answer.lines(), s.profile().facts());
    ConfidantState next = new ConfidantState(s.profile(), revealed, earlier, s.lastUserMessage(), s.turn() + 1, f1);
    return new Outcome(next, topics, now, issues, f1, nothingLeft);
  }

  /** The state after a malformed message: nothing revealed, nothing learned, F1 0. */
  public static ConfidantState malformed(ConfidantState s) {
    return new ConfidantState(s.profile(), s.revealed(), s.earlier(), s.lastUserMessage(), s.turn() + 1, 0.0);
  }

  /** {@code s} with the user's {@code reply} as its last message. */
  public static ConfidantState said(ConfidantState s, String reply) {
    return new ConfidantState(s.profile(), s.revealed(), s.earlier(), reply, s.turn(), s.f1());
  }
}
