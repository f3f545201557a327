package dev.ludus.simulators.questions;

import dev.ludus.simulators.questions.Item.Word;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a twenty-questions question can ask about. Each attribute maps an {@link Item} to one canonical
 * value (a lowercase word, {@code yes}/{@code no}, or a count) and lists the values a question may name.
 * Thread-safe.
 */
public enum Attribute {
  /** The broad kind: animal, fruit, vegetable, vehicle, tool, instrument, furniture, appliance. */
  CATEGORY(Kind.NOMINAL, Item::category, Item.Category.values()),
  /** The animal group (mammal, bird, ...); {@code none} for things that are not animals. */
  GROUP(Kind.NOMINAL, Item::group, Item.Group.values()),
  COLOR(Kind.NOMINAL, Item::color, Item.Color.values()),
  /** Ordered: tiny &lt; small &lt; medium &lt; large. */
  SIZE(Kind.ORDINAL, Item::size, Item.Size.values()),
  HABITAT(Kind.NOMINAL, Item::habitat, Item.Habitat.values()),
  /** {@code none} for natural things. */
  MATERIAL(Kind.NOMINAL, Item::material, Item.Material.values()),
  /** {@code none} when the thing has no clear shape. */
  SHAPE(Kind.NOMINAL, Item::shape, Item.Shape.values()),
  ALIVE(Kind.FLAG, Item::alive),
  FLIES(Kind.FLAG, Item::flies),
  EDIBLE(Kind.FLAG, Item::edible),
  ELECTRIC(Kind.FLAG, Item::electric),
  ENGINE(Kind.FLAG, Item::engine),
  LEGS(Kind.COUNT, Item::legs),
  WHEELS(Kind.COUNT, Item::wheels);

  /** How an attribute's values compare. */
  public enum Kind {
    /** Unordered words: questions ask whether the value is one word. */
    NOMINAL,
    /** Ordered words: questions also ask whether the value is above or below one. */
    ORDINAL,
    /** Yes or no: the only value a question names is {@code yes}. */
    FLAG,
    /** A non-negative whole number, compared as numbers. */
    COUNT
  }

  /** The value of items that have none of the askable values (e.g. the group of a fruit). */
  public static final String NONE = "none";

  private final Kind kind;
  private final Function<Item, String> value;
  private final List<String> words;

  Attribute(Kind kind, Function<Item, ? extends Word> value, Word[] words) {
    this.kind = kind;
    this.value = it -> value.apply(it).word();
    this.words = Arrays.stream(words).map(Word::word).filter(w -> !w.equals(NONE)).collect(Collectors.toUnmodifiableList());
  }

  Attribute(Kind kind, Function<Item, ?> value) {
    this.kind = kind;
    if (kind == Kind.FLAG) {
      this.value = it -> (Boolean) value.apply(it) ? "yes" : "no";
      this.words = List.of("yes");
    } else {
      this.value = it -> String.valueOf(value.apply(it));
      this.words = null; // counts: computed from the catalogue on demand
    }
  }

  public Kind kind() {
    return kind;
  }

  /** The item's value: a word, {@code none}, {@code yes}/{@code no}, or a count in decimal. */
  public String of(Item item) {
    return value.apply(item);
  }

  /**
   * The values a question may name, in order: the words (ordered for {@link Kind#ORDINAL}), {@code yes}
   * for a flag, and for a count every count that some catalogue item has, ascending.
   */
  public List<String> domain() {
    if (words != null) {
      return words;
    }
    return Catalogue.items().stream()
        .map(it -> Integer.parseInt(of(it)))
        .collect(Collectors.toCollection(TreeSet::new))
        .stream()
        .map(String::valueOf)
        .collect(Collectors.toUnmodifiableList());
  }

  /** The kebab-case name, e.g. {@code habitat}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
