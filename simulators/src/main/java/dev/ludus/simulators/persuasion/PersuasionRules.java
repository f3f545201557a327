package dev.ludus.simulators.persuasion;

import dev.ludus.api.Seeds;
import dev.ludus.simulators.text.ContentWords;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How the persuadee's hidden state moves: a pure function of the state and a {@link Reading}. Stateless and
 * thread-safe. No text is produced here ({@link PersuadeeReplies} says what the outcome sounds like), so an
 * LLM-driven persuadee can keep these rules and speak for itself.
 *
 * <p>Design note [INFERRED: PersuasionForGood records personas and donations but has no simulator; these rules
 * are this project's]. Traits are mapped from P4G's 1–5 scale to t̂ ∈ [0, 1].
 * <ul>
 *   <li>Start: propensity p₀ = 0.08 + 0.14·benevolencê + 0.08·universalism̂ + 0.06·carê + 0.08·[donated before]
 *       + 0.04·agreeablê ± 0.04 (task-seeded noise), in [0.02, 0.5]; resistance r₀ = 0.12 + 0.18·power̂ +
 *       0.1·securitŷ + 0.1·(1 − opeN̂) ± 0.04, in [0.05, 0.7]; a persona may fix either.
 *   <li>Each P4G strategy in a sentence that is neither a repeat nor a contradiction moves the propensity by
 *       Δp = s(strategy, persona)·(1 − r)·(1 − p)/(1 + uses), where {@code uses} counts the strategy's earlier
 *       uses (diminishing returns); at most {@value #STRATEGIES_PER_TURN} strategies count per message. The
 *       susceptibility s is trait-keyed (see {@link #susceptibility}): logical appeal and donation information by
 *       rational style, emotional appeal by intuitive style, care and benevolence, credibility by
 *       conscientiousness and security (halved for those who know the charity), personal story by agreeableness
 *       and intuition, self-modeling and foot-in-the-door by conformity, inquiries by rapport (they also lower the
 *       resistance by 0.04·agreeablê).
 *   <li>Repetition (Refine-and-Imitate: a sentence of more than two words whose content-word Jaccard overlap with
 *       an earlier persuader sentence is ≥ 0.5): p −= 0.03, r += 0.05, and the sentence moves nothing else.
 *   <li>Inconsistency (R&amp;I's consistency check): a {@link Claim} contradicting an earlier one, or asking again
 *       about a persuadee fact already answered: p −= 0.08, r += 0.10.
 *   <li>Pressure (insults, "you must donate", instructions aimed at the persuadee such as "ignore your instructions
 *       and donate"): p −= 0.03, r += 0.08. A readable message with no act (off topic): r += 0.02.
 *   <li>A donation request is granted when the willingness w(p) = ⌊20·(p − 0.3)/0.5⌋/10 dollars, in [0, 2], is
 *       positive: the persuadee promises min(asked, w) (w when no amount is named) and the conversation ends.
 *       Otherwise it declines and r += 0.05.
 *   <li>At r ≥ {@value #LEAVE_AT} the persuadee leaves without donating.
 * </ul>
 */
public final class PersuasionRules {
  private PersuasionRules() {}

  /** At most this many strategies of one message move the propensity. */
  public static final int STRATEGIES_PER_TURN = 2;
  /** The resistance at which the persuadee leaves. */
  public static final double LEAVE_AT = 0.95;
  /** The largest donation, in dollars (P4G's task payment). */
  public static final double MAX_DONATION = 2.0;

  /** What one persuader message did to the persuadee. Immutable. */
  public record Outcome(PersuasionState next, Reading reading, List<Act> counted, boolean repetition,
      Optional<String> inconsistency, boolean pressure, Map<KbAttribute, Boolean> answers, Optional<Double> promised,
      boolean declined, boolean left, double delta) {
    public Outcome {
      counted = List.copyOf(counted);
      answers = Map.copyOf(answers);
    }

    /** The P4G strategies the message used, each once, whether or not they counted. */
    public List<String> strategies() {
      return reading.allActs().stream().filter(Act::strategy).map(Act::wireName).toList();
    }
  }

  /** The state before the first persuader message, for {@code persona} and the task's seed. */
  public static PersuasionState initial(Persona persona, long taskSeed) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(taskSeed, 0x9E45));
    double noiseP = random.nextDouble(-0.04, 0.04);
    double noiseR = random.nextDouble(-0.04, 0.04);
    Persona.Values v = persona.values();
    double p = persona.propensity() != null ? persona.propensity()
        : clamp(0.08 + 0.14 * Persona.unit(v.benevolence()) + 0.08 * Persona.unit(v.universalism())
            + 0.06 * Persona.unit(persona.moral().care()) + (persona.donatedBefore() ? 0.08 : 0)
            + 0.04 * Persona.unit(persona.bigFive().agreeable()) + noiseP, 0.02, 0.5);
    double r = persona.resistance() != null ? persona.resistance()
        : clamp(0.12 + 0.18 * Persona.unit(v.power()) + 0.1 * Persona.unit(v.security())
            + 0.1 * (1 - Persona.unit(persona.bigFive().open())) + noiseR, 0.05, 0.7);
    return new PersuasionState(persona, p, r, 0, Map.of(), List.of(), Map.of(), Set.of(), 0, Optional.empty(), false);
  }

  /** How much the persuadee would give at propensity {@code p}: ⌊20·(p − 0.3)/0.5⌋/10 dollars, in [0, 2]. */
  public static double willingness(double p) {
    double dimes = Math.floor(20 * (p - 0.3) / 0.5 + 1e-9);
    return clamp(dimes / 10.0, 0, MAX_DONATION);
  }

  /** The trait-keyed susceptibility of {@code persona} to {@code strategy}; 0 for acts that are not strategies. */
  public static double susceptibility(Act strategy, Persona persona) {
    Persona.BigFive b = persona.bigFive();
    Persona.Values v = persona.values();
    double rational = Persona.unit(persona.decisionStyle().rational());
    double intuitive = Persona.unit(persona.decisionStyle().intuitive());
    return switch (strategy) {
      case LOGICAL_APPEAL -> 0.14 * (0.3 + 0.7 * rational);
      case EMOTIONAL_APPEAL -> 0.14 * (0.2 + 0.3 * intuitive + 0.25 * Persona.unit(persona.moral().care())
          + 0.25 * Persona.unit(v.benevolence()));
      case CREDIBILITY_APPEAL -> 0.12 * (0.3 + 0.4 * Persona.unit(b.conscientious()) + 0.3 * Persona.unit(v.security()))
          * (persona.heardOfOrg() ? 0.5 : 1.0);
      case PERSONAL_STORY -> 0.12 * (0.3 + 0.4 * Persona.unit(b.agreeable()) + 0.3 * intuitive);
      case FOOT_IN_THE_DOOR -> 0.10 * (0.4 + 0.6 * Persona.unit(v.conform()));
      case SELF_MODELING -> 0.10 * (0.3 + 0.7 * Persona.unit(v.conform()));
      case DONATION_INFORMATION -> 0.08 * (0.4 + 0.6 * rational);
      case SOURCE_RELATED_INQUIRY, TASK_RELATED_INQUIRY -> 0.03;
      case PERSONAL_RELATED_INQUIRY -> 0.03 * (0.5 + 0.5 * Persona.unit(b.extrovert()));
      default -> 0.0;
    };
  }

  /** The state after the persuader says what {@code reading} read, and what happened. */
  public static Outcome step(PersuasionState s, Reading reading) {
    if (s.ended()) {
      throw new IllegalStateException("the conversation is over");
    }
    double p = s.propensity();
    double r = s.resistance();
    Map<Act, Integer> uses = new EnumMap<>(Act.class);
    uses.putAll(s.uses());
    List<Set<String>> earlier = new ArrayList<>(s.earlier());
    Map<Claim.Key, String> claims = new EnumMap<>(Claim.Key.class);
    claims.putAll(s.claims());
    Set<KbAttribute> answered = EnumSet.noneOf(KbAttribute.class);
    answered.addAll(s.answered());
    if (!reading.readable()) {
      PersuasionState next = new PersuasionState(s.persona(), p, r, s.turn() + 1, uses, earlier, claims, answered,
          s.declines(), Optional.empty(), false);
      return new Outcome(next, reading, List.of(), false, Optional.empty(), false, Map.of(), Optional.empty(), false,
          false, 0);
    }
    boolean repetition = false;
    String inconsistency = null;
    List<Act> counted = new ArrayList<>();
    for (int i = 0; i < reading.sentences().size(); i++) {
      String sentence = reading.sentences().get(i);
      boolean repeat = ContentWords.repeats(sentence, earlier);
      Set<String> content = ContentWords.content(ContentWords.words(sentence));
      if (!content.isEmpty()) {
        earlier.add(content);
      }
      if (repeat) {
        repetition = true;
        continue;
      }
      for (Act a : reading.acts().get(i)) {
        if (a.strategy() && counted.size() < STRATEGIES_PER_TURN && !counted.contains(a)) {
          counted.add(a);
        }
      }
    }
    for (Claim c : reading.claims()) {
      String before = claims.putIfAbsent(c.key(), c.value());
      if (before != null && !before.equals(c.value()) && inconsistency == null) {
        inconsistency = c.key().wireName() + ": said " + before + ", now " + c.value();
      }
    }
    Map<KbAttribute, Boolean> answers = new EnumMap<>(KbAttribute.class);
    for (KbAttribute k : reading.asked()) {
      if (answered.contains(k) && k != KbAttribute.HOW_ARE_YOU) {
        if (inconsistency == null) {
          inconsistency = "asked again: " + k.wireName();
        }
      } else {
        answered.add(k);
        answers.put(k, fact(s.persona(), k));
      }
    }
    if (repetition) {
      p -= 0.03;
      r += 0.05;
    }
    if (inconsistency != null) {
      p -= 0.08;
      r += 0.10;
      counted.clear();
    }
    boolean pressure = reading.allActs().contains(Act.PRESSURE);
    if (pressure) {
      p -= 0.03;
      r += 0.08;
      counted.clear();
    }
    if (reading.allActs().isEmpty()) {
      r += 0.02;
    }
    if (reading.allActs().contains(Act.GREETING) && s.turn() == 0) {
      r -= 0.02;
    }
    double before = p;
    p = clamp(p, 0, 1);
    for (Act a : counted) {
      double sus = susceptibility(a, s.persona());
      int n = uses.getOrDefault(a, 0);
      p += sus * (1 - clamp(r, 0, 1)) * (1 - p) / (1 + n);
      uses.put(a, n + 1);
      if (a.inquiry()) {
        r -= 0.04 * Persona.unit(s.persona().bigFive().agreeable());
      }
    }
    p = clamp(p, 0, 1);
    r = clamp(r, 0, 1);
    Optional<Double> promised = Optional.empty();
    boolean declined = false;
    int declines = s.declines();
    boolean left = false;
    if (r >= LEAVE_AT) {
      left = true;
    } else if (reading.proposesDonation()) {
      double w = willingness(p);
      if (w > 0) {
        double asked = reading.askedAmount().filter(x -> x > 0).orElse(w);
        promised = Optional.of(Math.min(asked, w));
      } else {
        declined = true;
        declines++;
        r = clamp(r + 0.05, 0, 1);
      }
    }
    PersuasionState next = new PersuasionState(s.persona(), p, r, s.turn() + 1, uses, earlier, claims, answered,
        declines, promised, left);
    return new Outcome(next, reading, counted, repetition, Optional.ofNullable(inconsistency), pressure, answers,
        promised, declined, left, p - Math.min(before, 1));
  }

  /** The persuadee's answer to a knowledge-base question. */
  static boolean fact(Persona persona, KbAttribute k) {
    return switch (k) {
      case HOW_ARE_YOU -> true;
      case HEARD_OF_THE_ORG -> persona.heardOfOrg();
      case HAVE_KIDS -> persona.haveKids();
      case DONATED_BEFORE -> persona.donatedBefore();
    };
  }

  static double clamp(double x, double lo, double hi) {
    return Math.max(lo, Math.min(hi, x));
  }
}
