package dev.ludus.simulators.questions;

import dev.ludus.simulators.questions.Question.Relation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rule-based reading of what an agent says in twenty questions: a question about one attribute, a
 * guess naming a catalogue item, or something unclear. Stateless and thread-safe.
 *
 * <h2>The grammar (lenient, case-insensitive)</h2>
 *
 * <p>Only the last sentence that ends in {@code ?} is read (or the whole message when none does), so that
 * an agent may think aloud first. An {@code <answer>name</answer>} tag naming one item is a guess; other
 * tag content is read as a question.
 *
 * <ul>
 *   <li><b>Guess</b>: a catalogue name or alias after "is it", "it is", "it's", "is this", "could it be",
 *       "guess", "answer" or "thinking of" (with an optional article and one optional word between:
 *       "Is it a red apple?"): "Is it a zebra?", "guess: zebra",
 *       "My answer is the zebra". A message that names exactly one item and asks about no attribute is
 *       a guess too ("Zebra?"). Naming two items at once is unclear.
 *   <li><b>Kind</b>: animal/creature, fruit, vegetable/veggie, vehicle/transport, tool, instrument/musical,
 *       furniture, appliance ("Is it an animal?").
 *   <li><b>Animal group</b>: mammal, bird, fish, insect, reptile, amphibian, arachnid.
 *   <li><b>Color</b>: red, orange, yellow, green, blue, purple, pink, brown, black, white, grey/gray.
 *   <li><b>Size</b>, four exclusive classes: tiny, small/little, medium, large/big/huge; and comparisons
 *       "bigger/larger/taller than" or "smaller than" a coin, a breadbox or a person (tiny &lt; coin &lt;
 *       small &le; breadbox &lt; medium &le; person &lt; large).
 *   <li><b>Where it is found</b>, one place per item: home/house, farm/field, forest/woods,
 *       jungle/rainforest/tropical, savanna/grassland, ocean/sea, river/lake/pond, mountains,
 *       polar/arctic/antarctic, garden/backyard, orchard, road/street, railway/railroad, sky/air,
 *       workshop/garage/shed, stage/concert/orchestra.
 *   <li><b>Material</b> of made things: metal/metallic/steel, wood/wooden, plastic, glass, fabric/cloth.
 *   <li><b>Shape</b>: round/spherical, long, flat, boxy/rectangular.
 *   <li><b>Yes/no properties</b>: alive/living; fly/flying; eaten ("Do people eat it?", "Can you eat it?",
 *       "Is it food?", "edible"); electric/electricity/plug; engine.
 *   <li><b>Legs and wheels</b>: "Does it have 4 (four) legs?", "more than / over / fewer than / less than /
 *       at least / at most N wheels", "no legs", "Does it have any wheels?", "four-legged".
 * </ul>
 *
 * <p>Unclear: empty messages, questions about two attributes at once ("a red fruit"), questions with
 * "not" or "or", open questions (how, what, where, ...), and anything else the rules do not recognize.
 * A rule-based user answers only what it can read with certainty, so it never answers an unclear
 * question with a guess.
 */
public final class QuestionGrammar {
  private QuestionGrammar() {}

  /** What an agent's message was read as. */
  public sealed interface Utterance permits Ask, Guess, Unclear {}

  /** A question about one attribute. */
  public record Ask(Question question) implements Utterance {
    public Ask {
      Objects.requireNonNull(question, "question");
    }
  }

  /** A guess naming one catalogue item. */
  public record Guess(Item item) implements Utterance {
    public Guess {
      Objects.requireNonNull(item, "item");
    }
  }

  /**
   * Something the grammar cannot read.
   *
   * @param reason what was wrong, in a sentence the agent can act on
   */
  public record Unclear(String reason) implements Utterance {
    public Unclear {
      Objects.requireNonNull(reason, "reason");
    }
  }

  static final String EMPTY = "The message is empty.";
  static final String NEGATION = "I answer only questions without \"not\".";
  static final String DISJUNCTION = "Ask about one thing at a time, without \"or\".";
  static final String OPEN = "I answer only yes/no questions.";
  static final String TWO_ITEMS = "Name one thing at a time.";
  static final String TWO_ATTRIBUTES = "Ask about one attribute at a time.";
  static final String SIZE_REFERENCE = "I compare sizes only with a coin, a breadbox or a person.";
  static final String UNKNOWN = "I do not know that question.";

  /** Every reason {@link #parse} may give for an {@link Unclear}. */
  public static List<String> reasons() {
    return List.of(EMPTY, NEGATION, DISJUNCTION, OPEN, TWO_ITEMS, TWO_ATTRIBUTES, SIZE_REFERENCE, UNKNOWN);
  }

  private static final Pattern ANSWER_TAG = Pattern.compile("(?is)<answer>(.*?)</answer>");
  private static final Pattern NEGATED = Pattern.compile("\\bnot\\b|\\bcannot\\b|n't\\b|\\bnever\\b|\\bneither\\b|\\bnor\\b");
  private static final Pattern OR = Pattern.compile("\\bor\\b");
  private static final Pattern OPEN_QUESTION =
      Pattern.compile("^\\W*(how|what|which|where|when|why|who|whose|whom)\\b");
  private static final Pattern MARKER = Pattern.compile(
      "(?:\\bis it|\\bit is|\\bit's|\\bits|\\bis this|\\bthis is|\\bbe|\\bguess(?:\\s+is)?|\\banswer(?:\\s+is)?"
          + "|\\bthinking of|\\bthinking about)\\s*:?\\s*(?:(?:a|an|the|some)\\s+)?(?:[a-z]+\\s+)?$");
  private static final Pattern ITEM;

  static {
    String names = Catalogue.names().keySet().stream()
        .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
        .map(Pattern::quote)
        .collect(Collectors.joining("|"));
    ITEM = Pattern.compile("\\b(" + names + ")(?:s|es)?\\b");
  }

  /** One proposition rule: a pattern and what its match means. */
  private record Rule(Pattern pattern, Function<Matcher, Utterance> meaning) {}

  private static final String NUM =
      "(\\d+|zero|no|one|a single|single|an|a|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
          + "|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)";
  private static final String PARTS = "(legs?|wheels?)";
  private static final String REF = "(?:an?\\s+|the\\s+)?(coin|bread\\s*-?\\s*box|person|human|man|woman|adult)\\b";
  private static final List<Rule> RULES = new ArrayList<>();

  private static void rule(String regex, Function<Matcher, Utterance> meaning) {
    RULES.add(new Rule(Pattern.compile(regex), meaning));
  }

  private static void word(String words, Attribute attribute, String value) {
    Question q = Question.is(attribute, value);
    rule("\\b(?:" + words + ")\\b", m -> new Ask(q));
  }

  static {
    // Counts first, so that "no legs" or "four-legged" is read whole.
    rule("\\b(?:more than|over|above)\\s+" + NUM + "\\s+" + PARTS + "\\b",
        m -> count(m.group(2), Relation.MORE_THAN, number(m.group(1)), 0));
    rule("\\b(?:fewer than|less than|under|below)\\s+" + NUM + "\\s+" + PARTS + "\\b",
        m -> count(m.group(2), Relation.LESS_THAN, number(m.group(1)), 0));
    rule("\\bat least\\s+" + NUM + "\\s+" + PARTS + "\\b",
        m -> count(m.group(2), Relation.MORE_THAN, number(m.group(1)), -1));
    rule("\\bat most\\s+" + NUM + "\\s+" + PARTS + "\\b",
        m -> count(m.group(2), Relation.LESS_THAN, number(m.group(1)), +1));
    rule("\\b(?:exactly\\s+)?" + NUM + "\\s*-?\\s*" + PARTS + "\\b",
        m -> count(m.group(2), Relation.IS, number(m.group(1)), 0));
    rule("\\b" + NUM + "\\s*-\\s*(legged|wheeled)\\b",
        m -> count(m.group(2).startsWith("leg") ? "legs" : "wheels", Relation.IS, number(m.group(1)), 0));
    rule("\\b" + PARTS + "\\b", m -> count(m.group(1), Relation.MORE_THAN, 0, 0));
    // Size comparisons before size words, so that "bigger than" is not read as "big".
    rule("\\b(?:bigger|larger|taller|greater)\\s+than\\s+" + REF,
        m -> new Ask(new Question(Attribute.SIZE, Relation.MORE_THAN, bound(m.group(1)).word())));
    rule("\\b(?:smaller|littler|tinier|shorter)\\s+than\\s+" + REF,
        m -> new Ask(new Question(Attribute.SIZE, Relation.LESS_THAN,
            Item.Size.values()[bound(m.group(1)).ordinal() + 1].word())));
    rule("\\b(?:bigger|larger|taller|greater|smaller|littler|tinier|shorter)\\s+than\\b",
        m -> new Unclear(SIZE_REFERENCE));
    word("tiny|minuscule|microscopic", Attribute.SIZE, "tiny");
    word("small|little", Attribute.SIZE, "small");
    word("medium|medium-sized|medium sized|mid-sized", Attribute.SIZE, "medium");
    word("large|big|huge|giant|enormous", Attribute.SIZE, "large");

    word("living (?:creature|being|thing|organism)s?|alive|living(?! room)", Attribute.ALIVE, "yes");
    word("animals?|creatures?", Attribute.CATEGORY, "animal");
    word("fruits?", Attribute.CATEGORY, "fruit");
    word("vegetables?|veggies?|veg", Attribute.CATEGORY, "vegetable");
    word("vehicles?|transport|transportation", Attribute.CATEGORY, "vehicle");
    word("tools?", Attribute.CATEGORY, "tool");
    word("instruments?|musical", Attribute.CATEGORY, "instrument");
    word("furniture", Attribute.CATEGORY, "furniture");
    word("appliances?", Attribute.CATEGORY, "appliance");

    word("mammals?", Attribute.GROUP, "mammal");
    word("birds?", Attribute.GROUP, "bird");
    word("fish|fishes", Attribute.GROUP, "fish");
    word("insects?", Attribute.GROUP, "insect");
    word("reptiles?", Attribute.GROUP, "reptile");
    word("amphibians?", Attribute.GROUP, "amphibian");
    word("arachnids?", Attribute.GROUP, "arachnid");

    for (Item.Color c : Item.Color.values()) {
      word(c == Item.Color.GREY ? "grey|gray" : c.word(), Attribute.COLOR, c.word());
    }

    word("homes?|house|houses|household|indoors", Attribute.HABITAT, "home");
    word("farms?|farmyard|barnyard|fields?", Attribute.HABITAT, "farm");
    word("forests?|woods|woodlands?", Attribute.HABITAT, "forest");
    word("jungles?|rainforests?|tropics|tropical", Attribute.HABITAT, "jungle");
    word("savannah?s?|grasslands?", Attribute.HABITAT, "savanna");
    word("oceans?|seas?|marine", Attribute.HABITAT, "ocean");
    word("rivers?|lakes?|ponds?|streams?|freshwater", Attribute.HABITAT, "river");
    word("mountains?|mountainous", Attribute.HABITAT, "mountains");
    word("polar|arctic|antarctic|antarctica", Attribute.HABITAT, "polar");
    word("gardens?|backyards?", Attribute.HABITAT, "garden");
    word("orchards?", Attribute.HABITAT, "orchard");
    word("roads?|streets?|highways?", Attribute.HABITAT, "road");
    word("railways?|railroads?|rails", Attribute.HABITAT, "railway");
    word("sky|skies|air", Attribute.HABITAT, "sky");
    word("workshops?|garages?|sheds?", Attribute.HABITAT, "workshop");
    word("stages?|concerts?|orchestras?", Attribute.HABITAT, "stage");

    word("metal|metals|metallic|steel|iron|aluminium|aluminum", Attribute.MATERIAL, "metal");
    word("wood|wooden|timber", Attribute.MATERIAL, "wood");
    word("plastic", Attribute.MATERIAL, "plastic");
    word("glass", Attribute.MATERIAL, "glass");
    word("fabric|cloth|textile|cotton", Attribute.MATERIAL, "fabric");

    word("round|spherical|circular|ball-shaped", Attribute.SHAPE, "round");
    word("long|elongated", Attribute.SHAPE, "long");
    word("flat", Attribute.SHAPE, "flat");
    word("boxy|box-shaped|rectangular|square|cube-shaped", Attribute.SHAPE, "boxy");

    word("fly|flies|flying|flight", Attribute.FLIES, "yes");
    word("(?:you|we|people|humans|one|i|someone)(?: can| could| would| usually| normally| commonly)? eat"
        + "|eaten|edible|food", Attribute.EDIBLE, "yes");
    word("electric|electrical|electricity|electronic|plugs?|plugged", Attribute.ELECTRIC, "yes");
    word("engines?", Attribute.ENGINE, "yes");
  }

  private static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("zero", 0), Map.entry("no", 0), Map.entry("one", 1), Map.entry("a single", 1),
      Map.entry("single", 1), Map.entry("a", 1), Map.entry("an", 1), Map.entry("two", 2), Map.entry("three", 3),
      Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8),
      Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12),
      Map.entry("thirteen", 13), Map.entry("fourteen", 14), Map.entry("fifteen", 15), Map.entry("sixteen", 16),
      Map.entry("seventeen", 17), Map.entry("eighteen", 18), Map.entry("nineteen", 19), Map.entry("twenty", 20));

  /** The number {@code s} names, or -1 when it is too large to be a count. */
  private static int number(String s) {
    Integer n = NUMBERS.get(s);
    if (n != null) {
      return n;
    }
    return s.length() > 6 ? -1 : Integer.parseInt(s);
  }

  private static Utterance count(String part, Relation relation, int n, int shift) {
    Attribute a = part.startsWith("leg") ? Attribute.LEGS : Attribute.WHEELS;
    int v = n + shift;
    if (n < 0 || v < 0 || relation == Relation.LESS_THAN && v == 0) {
      return new Unclear(UNKNOWN); // "fewer than 0 legs", "at least 0 wheels": not a real question
    }
    return new Ask(new Question(a, relation, String.valueOf(v)));
  }

  private static Item.Size bound(String reference) {
    return switch (reference.replaceAll("[\\s-]", "")) {
      case "coin" -> Item.Size.TINY;
      case "breadbox" -> Item.Size.SMALL;
      default -> Item.Size.MEDIUM; // a person, human, man, woman, adult
    };
  }

  /** Reads an agent's message. Never throws; what it cannot read is an {@link Unclear} with its reason. */
  public static Utterance parse(String message) {
    String text = message == null ? "" : message;
    Matcher tag = ANSWER_TAG.matcher(text);
    String tagged = null;
    while (tag.find()) {
      tagged = tag.group(1);
    }
    if (tagged != null) {
      Set<Item> items = items(normalize(tagged)).keySet();
      if (items.size() == 1) {
        return new Guess(items.iterator().next());
      }
      if (items.size() > 1) {
        return new Unclear(TWO_ITEMS);
      }
      text = tagged; // a question in the tag is read as a question
    }
    String s = normalize(lastQuestion(text));
    if (s.isBlank()) {
      return new Unclear(EMPTY);
    }
    if (NEGATED.matcher(s).find()) {
      return new Unclear(NEGATION);
    }
    if (OR.matcher(s).find()) {
      return new Unclear(DISJUNCTION);
    }
    if (OPEN_QUESTION.matcher(s).find()) {
      return new Unclear(OPEN);
    }
    Map<Item, Boolean> mentioned = items(s);
    if (mentioned.size() > 1) {
      return new Unclear(TWO_ITEMS);
    }
    if (mentioned.size() == 1 && mentioned.values().iterator().next()) {
      return new Guess(mentioned.keySet().iterator().next());
    }
    Set<Utterance> meanings = new LinkedHashSet<>();
    StringBuilder rest = new StringBuilder(s);
    for (Rule r : RULES) {
      Matcher m = r.pattern().matcher(rest);
      List<int[]> spans = new ArrayList<>();
      while (m.find()) {
        meanings.add(r.meaning().apply(m));
        spans.add(new int[] {m.start(), m.end()});
      }
      for (int[] span : spans) {
        for (int i = span[0]; i < span[1]; i++) {
          rest.setCharAt(i, ' ');
        }
      }
    }
    for (Utterance u : meanings) {
      if (u instanceof Unclear) {
        return u;
      }
    }
    if (meanings.size() > 1) {
      return new Unclear(TWO_ATTRIBUTES);
    }
    if (meanings.size() == 1) {
      return meanings.iterator().next();
    }
    if (mentioned.size() == 1) {
      return new Guess(mentioned.keySet().iterator().next());
    }
    return new Unclear(UNKNOWN);
  }

  /** The last sentence ending in '?' (and not blank), or the whole text when there is none. Linear time. */
  private static String lastQuestion(String text) {
    int end = text.lastIndexOf('?');
    while (end >= 0) {
      int start = end - 1;
      while (start >= 0 && ".!?\n".indexOf(text.charAt(start)) < 0) {
        start--;
      }
      String sentence = text.substring(start + 1, end + 1);
      if (!sentence.replace("?", "").isBlank()) {
        return sentence;
      }
      end = start >= 0 ? text.lastIndexOf('?', start) : -1;
    }
    return text;
  }


  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replaceAll("\\s+", " ").trim();
  }

  /** The items named in {@code s}, each with whether some mention of it follows a guess marker. */
  private static Map<Item, Boolean> items(String s) {
    Map<Item, Boolean> found = new java.util.LinkedHashMap<>();
    Matcher m = ITEM.matcher(s);
    while (m.find()) {
      Item it = Catalogue.names().get(m.group(1));
      boolean marked = MARKER.matcher(s.substring(Math.max(0, m.start() - 40), m.start())).find();
      found.merge(it, marked, Boolean::logicalOr);
    }
    return found;
  }

  /**
   * Reads the simulated user's reply to a question: yes, no, or empty when it is neither (it did not
   * understand). Replies to guesses read the same way ("Yes! ..." for a right guess, "No, ..." otherwise).
   */
  public static Optional<Boolean> readReply(String reply) {
    String s = reply == null ? "" : reply.trim().toLowerCase(Locale.ROOT);
    if (s.matches("^yes\\b.*")) {
      return Optional.of(true);
    }
    if (s.matches("^no\\b.*")) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /**
   * The supported grammar in a few lines, for a system prompt. It names no catalogue item, so that showing
   * it never hints at (or leaks) the hidden target.
   */
  public static String help() {
    return String.join("\n",
        "Ask one yes/no question per turn, about one attribute, without \"not\" or \"or\". I understand:",
        "- kind: Is it an animal? (" + words(Attribute.CATEGORY) + ")",
        "- animal group: Is it a mammal? (" + words(Attribute.GROUP) + ")",
        "- main color: Is it red? (" + words(Attribute.COLOR) + ")",
        "- size, four exclusive classes: tiny (smaller than a coin), small (up to a breadbox), medium (up to a"
            + " person), large (bigger than a person): Is it small? Is it bigger than a breadbox? Is it smaller"
            + " than a person?",
        "- where it is usually found, one place each: Is it found on a farm? (" + words(Attribute.HABITAT) + ")",
        "- material of made objects: Is it made of metal? (" + words(Attribute.MATERIAL) + ")",
        "- shape: Is it round? (" + words(Attribute.SHAPE) + ")",
        "- Is it alive? (only animals are) Can it fly? Do people eat it? Does it use electricity? Does it have"
            + " an engine?",
        "- legs and wheels (furniture legs count): Does it have 4 legs? Does it have more than 2 wheels?"
            + " Does it have fewer than 4 legs? Does it have any wheels?",
        "To guess, ask \"Is it a ...?\" or write <answer>name</answer>.");
  }

  private static String words(Attribute a) {
    return String.join(", ", a.domain());
  }
}
