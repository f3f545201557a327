package dev.ludus.simulators.persuasion;

import dev.ludus.simulators.text.ContentWords;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a persuader's message the way the rule-based persuadee understands it: sentence by sentence, each matched
 * against lexicons and patterns for PersuasionForGood's ten strategies and the acts the persuadee reacts to, and for
 * the facts the persuader states ({@link Claim}) and the persuadee facts it asks about ({@link KbAttribute}).
 * Stateless and thread-safe.
 *
 * <p>What it understands (English only, case-insensitive; a sentence may carry several acts):
 * <ul>
 *   <li>logical appeal: "every dollar", "will/can help|provide|feed|save", "research shows", percentages outside a
 *       funds claim, "makes a difference", "impact", "effective", "because";
 *   <li>emotional appeal: "imagine", "how would you feel", words of suffering (starving, dying, hungry, war-torn,
 *       refugees, orphans, heartbreaking, ...);
 *   <li>credibility appeal: founding years ("founded in 1919", "since 1919"), "in 120 countries", "90% of donations
 *       go to ...", reputation words (reputable, trusted, transparent, rated, Charity Navigator, audited, ...);
 *   <li>foot-in-the-door: "even/just/only a little|a few cents|$0.10|a dollar", "as little as", "small amount",
 *       "every little bit", "start small";
 *   <li>self-modeling: "I will/I'll/I'm going to/I also donate|give", "I'm donating", "I donate to ...";
 *   <li>personal story: "I once/remember/visited/met/volunteered/grew up", "my friend/family/mother/...", "when I
 *       was", "last year", "a few years ago";
 *   <li>donation information: task payment, bonus, deducted, "directly to", "up to $2", "between $0 and $2";
 *   <li>inquiries (a sentence ending in "?"): source-related (Save the Children, the organisation/charity, "heard
 *       of", "familiar with"), task-related (donating, charities, giving, volunteering), personal-related (any other
 *       question about "you");
 *   <li>propose donation: "would/will/could/can you (like to|be willing to|consider) donate|give|contribute", "how
 *       much would you donate", "please donate", "how about donating", with the first amount of the sentence
 *       ("$1.50", "1 dollar", "50 cents");
 *   <li>greeting (hi, hello, hey, good morning...), thanks; pressure: "you must/have to/need to donate", insults
 *       (selfish, shame, greedy), and instructions aimed at the persuadee ("ignore your/previous instructions",
 *       "system prompt", "you are an AI", "as an AI", "pretend", "jailbreak").
 * </ul>
 * Facts it remembers: see {@link Claim.Key}. Facts it is asked about: "how are you", "heard of Save the
 * Children/the charity", "do you have kids/children", "have you (ever) donated".
 *
 * <p>What it does not understand: negation and irony ("this is not an emotional appeal" still reads as one),
 * paraphrases outside the lexicons, other languages (a message with no English word and no pattern match is
 * unreadable: {@code invalid-action}), amounts in words ("two dollars"), and anything past the first
 * {@value #MAX_SENTENCES} sentences.
 */
public final class PersuasionReader {
  private PersuasionReader() {}

  /** Sentences past this many are not read. */
  public static final int MAX_SENTENCES = 12;

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Map<Act, List<Pattern>> LEXICON = new EnumMap<>(Act.class);

  private static void lex(Act act, String... regexes) {
    List<Pattern> ps = new ArrayList<>();
    for (String r : regexes) {
      ps.add(Pattern.compile(r, FLAGS));
    }
    LEXICON.put(act, ps);
  }

  static {
    lex(Act.LOGICAL_APPEAL, "\\b(every|each|one) (single )?(dollar|cent|donation)\\b",
        "\\b(will|can|could|would) (directly )?(help|provide|buy|fund|feed|save|vaccinate|educate|protect)\\b",
        "\\b(research|studies|statistics|evidence|data) (shows?|suggests?|proves?)\\b",
        "\\bmakes? a (real |big |huge )?difference\\b", "\\bimpact\\b", "\\beffective(ly)?\\b", "\\bbecause\\b",
        "\\b\\d+(\\.\\d+)? ?(%|percent)\\b(?! of (the )?(donations?|money|funds))");
    lex(Act.EMOTIONAL_APPEAL, "\\bimagine\\b", "\\bhow (would|do|did) you feel\\b",
        "\\b(suffer\\w*|starv\\w*|dying|die|hungry|hunger|malnourish\\w*|heartbreak\\w*|heart ?broken|tragic|desperate|"
            + "pain\\w*|scared|afraid|orphan\\w*|war[- ]torn|refugees?|homeless|abuse\\w*|cry\\w*|tears)\\b");
    lex(Act.CREDIBILITY_APPEAL, "\\b(founded|established|started|created) (in )?\\d{4}\\b", "\\bsince \\d{4}\\b",
        "\\bin (over |more than )?\\d+ countries\\b", "\\b\\d+ ?(%|percent) of (the )?(donations?|money|funds)\\b",
        "\\b(reputable|trusted|trustworthy|transparent|accredited|rated|charity navigator|well[- ]known|renowned|"
            + "audited|respected|legitimate|non-?profit)\\b");
    lex(Act.FOOT_IN_THE_DOOR,
        "\\b(even|just|only) (a little|a small|a few|a bit|\\$ ?0?\\.\\d+|\\d+ cents|a dollar|one dollar|\\$ ?1\\b)",
        "\\bas little as\\b", "\\bsmall (amount|donation|step|contribution|gift)\\b", "\\bevery little (bit )?helps\\b",
        "\\bstart (small|with a little)\\b", "\\bany amount\\b");
    lex(Act.SELF_MODELING,
        "\\bi( will|'ll| am going to|'m going to| plan to| also| myself| already| always| am gonna|'m gonna) "
            + "(also )?(donat|giv|contribut)\\w*",
        "\\bi('m| am) (also )?(donating|giving)\\b", "\\bi (donate|give|gave|donated) (to|part|some|my|\\$)");
    lex(Act.PERSONAL_STORY,
        "\\bi (once|remember|visited|met|saw|volunteered|grew up|used to|worked)\\b",
        "\\bmy (friend|family|mother|father|mom|dad|sister|brother|cousin|neighbou?r|child|son|daughter|kids|"
            + "grandmother|grandfather)\\b",
        "\\bwhen i was\\b", "\\blast (year|summer|month|winter)\\b", "\\ba (few|couple of) years ago\\b");
    lex(Act.DONATION_INFORMATION, "\\b(task )?payment\\b", "\\bbonus\\b", "\\bdeducted\\b",
        "\\b(directly|straight) (to|from)\\b", "\\bresearch team\\b", "\\bup to \\$ ?2\\b",
        "\\bbetween \\$ ?0 and \\$ ?2\\b", "\\bhow (it|the donation|donating) works\\b");
    lex(Act.PROPOSE_DONATION,
        "\\b(would|will|could|can|won't|wouldn't) you (like to |be willing to |consider |want to |please )?"
            + "(donat\\w*|give|contribut\\w*|make a donation|chip in)\\b",
        "\\bhow much (would|will|could|can|do) you (like to |want to )?(donate|give|contribute)\\b",
        "\\bplease (donate|give|consider donating|contribute)\\b", "\\bhow about (donating|giving|a donation)\\b",
        "\\b(do|are) you (want to|willing to|interested in) (donate|donating|give|giving)\\b");
    lex(Act.GREETING, "^(hi|hello|hey|good (morning|afternoon|evening)|greetings)\\b");
    lex(Act.THANKS, "\\bthank(s| you)\\b", "\\bi appreciate\\b");
    lex(Act.PRESSURE, "\\byou (must|have to|need to|should) (donate|give|pay)\\b",
        "\\b(selfish|shame|ashamed|greedy|heartless|stingy|cheap|idiot|stupid)\\b",
        "\\bignore (all |your |the |previous |prior |my )*(instructions|rules|prompt|persona)\\b",
        "\\b(system prompt|as an ai|you are an ai|language model|pretend|jailbreak|developer mode)\\b",
        "\\b(donate|give) (everything|it all|all of it) now\\b");
  }

  private static final Pattern QUESTION_SOURCE = Pattern.compile(
      "\\b(save the children|the (organi[sz]ation|charity|org)|heard (of|about)|familiar with|know (of|about))\\b",
      FLAGS);
  private static final Pattern QUESTION_TASK =
      Pattern.compile("\\b(donat\\w*|charit\\w*|giv(e|ing)|volunteer\\w*|contribut\\w*|cause)\\b", FLAGS);
  private static final Pattern QUESTION_YOU = Pattern.compile("\\byou(r)?\\b", FLAGS);
  private static final Pattern ASK_HOW_ARE_YOU = Pattern.compile("\\bhow are you\\b|\\bhow('s| is) your day\\b", FLAGS);
  private static final Pattern ASK_HEARD =
      Pattern.compile("\\b(heard (of|about)|familiar with|know (of|about)) (save the children|the (organi[sz]ation|"
          + "charity|org)|them|it)\\b", FLAGS);
  private static final Pattern ASK_KIDS = Pattern.compile("\\b(do|did) you have (any )?(kids|children|a child)\\b",
      FLAGS);
  private static final Pattern ASK_DONATED =
      Pattern.compile("\\b(have|did) you (ever )?(donat\\w*|give|given|gave) (to|before|money)\\b|\\bhave you ever "
          + "donated\\b|\\bdo you (usually |often |ever )?donate\\b", FLAGS);

  private static final Pattern AMOUNT =
      Pattern.compile("\\$ ?(\\d+(?:\\.\\d{1,2})?)|\\b(\\d+(?:\\.\\d{1,2})?) ?(dollars?|bucks)\\b|\\b(\\d+) ?cents\\b",
          FLAGS);
  private static final Pattern C_FOUNDED =
      Pattern.compile("\\b(?:founded|established|started|created)(?: in)? (\\d{4})\\b|\\bsince (\\d{4})\\b", FLAGS);
  private static final Pattern C_SHARE =
      Pattern.compile("\\b(\\d+) ?(?:%|percent) of (?:the |every |each |your |all )?(?:donations?|money|funds|dollar)",
          FLAGS);
  private static final Pattern C_COUNTRIES = Pattern.compile("\\bin (?:over |more than )?(\\d+) countries\\b", FLAGS);
  private static final Pattern C_I_DONATE = Pattern.compile(
      "\\bi(?: will|'ll| am going to|'m going to| plan to| also| already| am gonna|'m gonna) (?:also )?(?:donate|give)"
          + "[^.?!]*?\\$ ?(\\d+(?:\\.\\d{1,2})?)|\\bi(?:'m| am) donating[^.?!]*?\\$ ?(\\d+(?:\\.\\d{1,2})?)", FLAGS);
  private static final Pattern C_I_DONT_DONATE =
      Pattern.compile("\\bi(?: won't| will not| am not going to|'m not going to| don't| do not| can't| cannot) "
          + "(?:donate|give)\\b", FLAGS);
  private static final Pattern C_KIDS_YES =
      Pattern.compile("\\bi have (?:a |one |two |three |four |\\d+ )?(?:kids?|children|sons?|daughters?|child)\\b|"
          + "\\bmy (?:kids|children|son|daughter)\\b", FLAGS);
  private static final Pattern C_KIDS_NO =
      Pattern.compile("\\bi (?:don't|do not) have (?:any )?(?:kids|children)\\b|\\bi have no (?:kids|children)\\b",
          FLAGS);

  /** Reads {@code text}. Never throws; an unreadable message gives a reading saying why. */
  public static Reading read(String text) {
    String t = text == null ? "" : text.replace('\u2019', '\'').strip();
    if (t.isEmpty()) {
      return Reading.unreadable("the message is empty");
    }
    List<String> sentences = ContentWords.sentences(t);
    if (sentences.size() > MAX_SENTENCES) {
      sentences = sentences.subList(0, MAX_SENTENCES);
    }
    List<List<Act>> acts = new ArrayList<>();
    List<KbAttribute> asked = new ArrayList<>();
    List<Claim> claims = new ArrayList<>();
    Optional<Double> amount = Optional.empty();
    boolean english = false;
    for (String s : sentences) {
      List<Act> here = new ArrayList<>();
      for (Map.Entry<Act, List<Pattern>> e : LEXICON.entrySet()) {
        for (Pattern p : e.getValue()) {
          if (p.matcher(s).find()) {
            here.add(e.getKey());
            break;
          }
        }
      }
      if (s.endsWith("?")) {
        Act inquiry = QUESTION_SOURCE.matcher(s).find() ? Act.SOURCE_RELATED_INQUIRY
            : QUESTION_TASK.matcher(s).find() ? Act.TASK_RELATED_INQUIRY
            : QUESTION_YOU.matcher(s).find() ? Act.PERSONAL_RELATED_INQUIRY : null;
        if (inquiry != null && !here.contains(Act.PROPOSE_DONATION)) {
          here.add(inquiry);
        }
        addAsked(s, asked);
      }
      if (here.contains(Act.PROPOSE_DONATION) && amount.isEmpty()) {
        amount = amount(s);
      }
      claims(s, claims);
      if (!here.isEmpty() || ContentWords.words(s).stream().anyMatch(ContentWords::isStopWord)) {
        english = true;
      }
      acts.add(here);
    }
    if (!english) {
      return Reading.unreadable("no English sentence the persuadee could read");
    }
    return new Reading(true, "", sentences, acts, amount, asked, claims);
  }

  private static void addAsked(String s, List<KbAttribute> asked) {
    if (ASK_HOW_ARE_YOU.matcher(s).find()) {
      asked.add(KbAttribute.HOW_ARE_YOU);
    }
    if (ASK_HEARD.matcher(s).find()) {
      asked.add(KbAttribute.HEARD_OF_THE_ORG);
    }
    if (ASK_KIDS.matcher(s).find()) {
      asked.add(KbAttribute.HAVE_KIDS);
    }
    if (ASK_DONATED.matcher(s).find()) {
      asked.add(KbAttribute.DONATED_BEFORE);
    }
  }

  /** The first amount of {@code s}, in dollars. */
  static Optional<Double> amount(String s) {
    Matcher m = AMOUNT.matcher(s);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      if (m.group(1) != null) {
        return Optional.of(Double.parseDouble(m.group(1)));
      } else if (m.group(2) != null) {
        return Optional.of(Double.parseDouble(m.group(2)));
      }
      return Optional.of(Double.parseDouble(m.group(4)) / 100.0);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void claims(String s, List<Claim> out) {
    Matcher m = C_FOUNDED.matcher(s);
    if (m.find()) {
      out.add(new Claim(Claim.Key.ORG_FOUNDED, m.group(1) != null ? m.group(1) : m.group(2)));
    }
    m = C_SHARE.matcher(s);
    if (m.find()) {
      out.add(new Claim(Claim.Key.FUNDS_SHARE, m.group(1)));
    }
    m = C_COUNTRIES.matcher(s);
    if (m.find()) {
      out.add(new Claim(Claim.Key.COUNTRIES, m.group(1)));
    }
    m = C_I_DONATE.matcher(s);
    if (m.find()) {
      String v = m.group(1) != null ? m.group(1) : m.group(2);
      out.add(new Claim(Claim.Key.PERSUADER_DONATION, money(v)));
    } else if (C_I_DONT_DONATE.matcher(s).find()) {
      out.add(new Claim(Claim.Key.PERSUADER_DONATION, "0.00"));
    }
    if (C_KIDS_NO.matcher(s).find()) {
      out.add(new Claim(Claim.Key.PERSUADER_HAS_KIDS, "no"));
    } else if (C_KIDS_YES.matcher(s).find()) {
      out.add(new Claim(Claim.Key.PERSUADER_HAS_KIDS, "yes"));
    }
  }

  private static String money(String v) {
    try {
      return String.format(Locale.ROOT, "%.2f", Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return v;
    }
  }
}
