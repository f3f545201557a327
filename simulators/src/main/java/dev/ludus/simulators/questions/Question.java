package dev.ludus.simulators.questions;

import dev.ludus.simulators.questions.Item.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A yes/no question about one attribute: "is the value {@code value}", or for ordered attributes and counts,
 * "is it more (less) than {@code value}". Immutable and thread-safe.
 *
 * <p>{@link #text()} is its canonical English form, which {@link QuestionGrammar#parse} reads back to this
 * same question; {@link #all()} lists the questions that an information-seeking agent needs (every value,
 * and every threshold), in a fixed order.
 *
 * @param attribute what it asks about
 * @param relation how the item's value is compared with {@code value}
 * @param value a value from {@link Attribute#domain()} (any non-negative count for a count)
 */
public record Question(Attribute attribute, Relation relation, String value) {

  /** How the item's value is compared with the question's. */
  public enum Relation {
    /** The value is this one. */
    IS,
    /** The value is above this one (ordinal or count). */
    MORE_THAN,
    /** The value is below this one (ordinal or count). */
    LESS_THAN
  }

  public Question {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(value, "value");
    switch (attribute.kind()) {
      case NOMINAL, FLAG -> {
        if (relation != Relation.IS) {
          throw new IllegalArgumentException("attribute " + attribute.word() + " is not ordered; relation must be IS, was "
              + relation);
        }
        requireInDomain(attribute, value);
      }
      case ORDINAL -> {
        requireInDomain(attribute, value);
        List<String> d = attribute.domain();
        int rank = d.indexOf(value);
        if (relation == Relation.MORE_THAN && rank == d.size() - 1 || relation == Relation.LESS_THAN && rank == 0) {
          throw new IllegalArgumentException(attribute.word() + " " + relation + " " + value
              + " can never be true; allowed: MORE_THAN below " + d.get(d.size() - 1) + ", LESS_THAN above " + d.get(0));
        }
      }
      case COUNT -> {
        int n;
        try {
          n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(attribute.word() + " is a count; value must be a whole number, was '" + value + "'");
        }
        if (n < 0 || !String.valueOf(n).equals(value) || relation == Relation.LESS_THAN && n == 0) {
          throw new IllegalArgumentException(attribute.word() + " " + relation + " '" + value
              + "': the value must be a whole number >= 0 written plainly (>= 1 for LESS_THAN)");
        }
      }
      default -> throw new AssertionError(attribute.kind());
    }
  }

  private static void requireInDomain(Attribute attribute, String value) {
    if (!attribute.domain().contains(value)) {
      throw new IllegalArgumentException("value '" + value + "' is not a value of " + attribute.word() + "; allowed: "
          + String.join(", ", attribute.domain()));
    }
  }

  /** A question whether {@code attribute} has the value {@code value}. */
  public static Question is(Attribute attribute, String value) {
    return new Question(attribute, Relation.IS, value);
  }

  /** Whether the answer about {@code item} is yes. */
  public boolean test(Item item) {
    String actual = attribute.of(item);
    if (relation == Relation.IS) {
      return actual.equals(value);
    }
    int cmp;
    if (attribute.kind() == Attribute.Kind.COUNT) {
      cmp = Integer.compare(Integer.parseInt(actual), Integer.parseInt(value));
    } else {
      List<String> d = attribute.domain();
      cmp = Integer.compare(d.indexOf(actual), d.indexOf(value));
    }
    return relation == Relation.MORE_THAN ? cmp > 0 : cmp < 0;
  }

  /** The canonical English question, e.g. "Is it an animal?", "Is it bigger than a breadbox?". */
  public String text() {
    return switch (attribute) {
      case CATEGORY, GROUP -> "Is it " + article(value) + " " + value + "?";
      case COLOR, SHAPE -> "Is it " + value + "?";
      case SIZE -> switch (relation) {
        case IS -> "Is it " + value + "?";
        case MORE_THAN -> "Is it bigger than " + Size.valueOf(value.toUpperCase(java.util.Locale.ROOT)).upperBound() + "?";
        case LESS_THAN -> "Is it smaller than "
            + Size.values()[Size.valueOf(value.toUpperCase(java.util.Locale.ROOT)).ordinal() - 1].upperBound() + "?";
      };
      case HABITAT -> "Is it found " + where(value) + "?";
      case MATERIAL -> "Is it made of " + value + "?";
      case ALIVE -> "Is it alive?";
      case FLIES -> "Can it fly?";
      case EDIBLE -> "Do people eat it?";
      case ELECTRIC -> "Does it use electricity?";
      case ENGINE -> "Does it have an engine?";
      case LEGS, WHEELS -> {
        String noun = attribute.word();
        yield switch (relation) {
          case IS -> "Does it have " + value + " " + (value.equals("1") ? noun.substring(0, noun.length() - 1) : noun) + "?";
          case MORE_THAN -> value.equals("0") ? "Does it have any " + noun + "?" : "Does it have more than " + value + " " + noun + "?";
          case LESS_THAN -> "Does it have fewer than " + value + " " + noun + "?";
        };
      }
    };
  }

  static String where(String habitat) {
    return switch (habitat) {
      case "home" -> "at home";
      case "farm" -> "on a farm";
      case "road", "railway", "stage" -> "on the " + habitat;
      case "sky", "ocean", "jungle", "savanna", "mountains" -> "in the " + habitat;
      case "polar" -> "in polar regions";
      default -> "in " + article(habitat) + " " + habitat;
    };
  }

  private static String article(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }

  private static final List<Question> ALL;

  static {
    List<Question> all = new ArrayList<>();
    for (Attribute a : Attribute.values()) {
      List<String> d = a.domain();
      for (String v : d) {
        all.add(is(a, v));
      }
      if (a.kind() == Attribute.Kind.ORDINAL || a.kind() == Attribute.Kind.COUNT) {
        for (String v : d.subList(0, d.size() - 1)) {
          all.add(new Question(a, Relation.MORE_THAN, v));
        }
      }
    }
    ALL = List.copyOf(all);
  }

  /**
   * Every question worth asking, in a fixed order: each value of each attribute, and each threshold of the
   * ordered ones ({@code MORE_THAN} every value but the largest; {@code LESS_THAN} questions are their
   * complements and are left out).
   */
  public static List<Question> all() {
    return ALL;
  }

  @Override
  public String toString() {
    return text();
  }
}
