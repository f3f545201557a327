package dev.ludus.environments.social;

import dev.ludus.environments.social.SotopiaProfiles.GameMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Sotopia's seven dimensions computed by rules instead of its GPT-4 judge: proxies for training without a judge, not
 * the paper's scores (Sotopia-lite; Zhou et al. 2024). Each reads only the agent's own actions, the structured
 * {@code propose N}/{@code accept} actions and the scenario's {@code game_metadata}:
 *
 * <ul>
 *   <li>goal (0–10): 10 when the agreed value meets the agent's reservation, 2 for an agreement that does not, 0
 *       without an agreement;
 *   <li>financial and material benefits (−5–5): on an agreement, 5·clamp(sign·(v − r) / (|r|/2), −1, 1), how far the
 *       agreed value lies on the agent's side of its reservation; 0 without;
 *   <li>secret (−10–0): −10 when the agent's own words contain a key phrase of its secret (case-insensitive), else 0;
 *   <li>social rules (−10–0): −3 per message with a word of the blocklist (insults, threats), at least −10;
 *   <li>relationship (−5–5): +1 per courteous message (thanks, please, sorry, ...) up to 3, +2 for an agreement, −2 per
 *       blocklisted message, −1 for leaving before any agreement while the partner stayed;
 *   <li>believability (0–10): 10 × the share of the agent's messages that were understood and do not repeat an
 *       earlier argument of its own; 0 for an agent that never moved;
 *   <li>knowledge (0–10): 5 when the partner made a proposal (the agent learned its position) plus 5·min(1, q/2) for
 *       q questions the agent asked.
 * </ul>
 *
 * What it cannot see: paraphrased leaks, politeness or rudeness without the listed words, agreements in free talk
 * without the structured actions, anything in a language other than English. Stateless and thread-safe.
 */
final class RuleProxyEvaluator implements SotopiaEvaluator {
  static final List<String> BLOCKLIST = List.of("idiot", "stupid", "shut up", "moron", "loser", "dumb", "liar",
      "hate you", "or else", "i will hurt", "i'll hurt", "screw you", "damn you", "pathetic");
  private static final Pattern COURTESY = Pattern.compile("(?i)\\b(thanks|thank you|please|appreciate|sorry|glad|"
      + "nice to meet|pleasure)\\b");

  @Override
  public CompletionStage<List<Scores>> evaluate(Episode episode) {
    List<Scores> out = new ArrayList<>();
    for (int agent = 0; agent < 2; agent++) {
      out.add(score(episode, agent));
    }
    return CompletableFuture.completedFuture(out);
  }

  static Scores score(Episode e, int agent) {
    GameMetadata g = e.scenario().gameMetadata();
    Optional<Integer> agreed = e.agreement();
    double goal = agreed.map(v -> g.meets(agent, v) ? 10.0 : 2.0).orElse(0.0);
    double financial = agreed.map(v -> {
      int r = g.reservations().get(agent);
      double x = g.sign(agent) * (v - r) / Math.max(1.0, Math.abs(r) / 2.0);
      return 5 * Math.max(-1, Math.min(1, x));
    }).orElse(0.0);
    int moves = 0;
    int bad = 0;
    int courteous = 0;
    int rude = 0;
    int questions = 0;
    boolean leaked = false;
    boolean partnerProposed = false;
    boolean leftEarly = false;
    boolean partnerLeft = false;
    Set<String> said = new HashSet<>();
    for (int i = 0; i < e.turns().size(); i++) {
      SotopiaEvaluator.Turn t = e.turns().get(i);
      if (t.agent() != agent) {
        partnerProposed |= t.action().proposal().isPresent();
        partnerLeft |= t.action().type().equals("leave");
        continue;
      }
      moves++;
      String text = t.action().argument();
      String lower = text.toLowerCase(Locale.ROOT);
      String normal = lower.replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
      if (!t.understood() || !normal.isEmpty() && !said.add(normal)) {
        bad++;
      }
      if (COURTESY.matcher(text).find()) {
        courteous++;
      }
      if (BLOCKLIST.stream().anyMatch(lower::contains)) {
        rude++;
      }
      if (t.action().type().equals("speak") && text.contains("?")) {
        questions++;
      }
      for (String phrase : g.secretPhrases().get(agent)) {
        leaked |= lower.contains(phrase.toLowerCase(Locale.ROOT));
      }
      if (t.action().type().equals("leave") && !partnerLeft && agreementBefore(e, i).isEmpty()) {
        leftEarly = true;
      }
    }
    double believability = moves == 0 ? 0 : 10.0 * (moves - bad) / moves;
    double knowledge = (partnerProposed ? 5 : 0) + 5 * Math.min(1.0, questions / 2.0);
    double secret = leaked ? -10 : 0;
    double socialRules = Math.max(-10, 0.0 - 3.0 * rude);
    double relationship = Math.max(-5, Math.min(5, Math.min(3, courteous) + (agreed.isPresent() ? 2 : 0) - 2.0 * rude
        - (leftEarly ? 1 : 0)));
    return new Scores(goal, believability, knowledge, secret, relationship, socialRules, financial);
  }

  private static Optional<Integer> agreementBefore(Episode e, int turn) {
    return new Episode(e.scenario(), e.agents(), e.turns().subList(0, turn)).agreement();
  }
}
