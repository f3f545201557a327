package dev.ludus.simulators.questions;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One thing the user of twenty questions may think of, with the value of every {@link Attribute}.
 * Immutable and thread-safe. The catalogue's values are the ground truth the simulated user answers from;
 * where the real world is fuzzy (a pig is food for some, not for others) the catalogue decides, and the
 * definitions in {@link QuestionGrammar#help()} say how.
 *
 * @param name the canonical name, lowercase (what the user says on a right guess, and the secret target)
 * @param aliases other names the user accepts in a guess (lowercase; may be empty)
 * @param category the broad kind of thing
 * @param group the animal group, {@link Group#NONE} for things that are not animals
 * @param color the main color
 * @param size the size class
 * @param habitat where it is usually found (exactly one place)
 * @param material what it is mainly made of, {@link Material#NONE} for natural things
 * @param shape its shape when it has a clear one, else {@link Shape#NONE}
 * @param flies whether it can fly
 * @param edible whether people commonly eat it
 * @param electric whether it runs on mains electricity (plugs in)
 * @param engine whether it has an engine
 * @param legs how many legs it has (furniture counts too)
 * @param wheels how many wheels it has
 */
public record Item(
    String name,
    List<String> aliases,
    Category category,
    Group group,
    Color color,
    Size size,
    Habitat habitat,
    Material material,
    Shape shape,
    boolean flies,
    boolean edible,
    boolean electric,
    boolean engine,
    int legs,
    int wheels) {

  private static final Pattern NAME = Pattern.compile("[a-z]+( [a-z]+)*");

  public Item {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("item name '" + name + "' must be lowercase words");
    }
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    for (String a : aliases) {
      if (!NAME.matcher(a).matches()) {
        throw new IllegalArgumentException("alias '" + a + "' of '" + name + "' must be lowercase words");
      }
    }
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(color, "color");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(habitat, "habitat");
    Objects.requireNonNull(material, "material");
    Objects.requireNonNull(shape, "shape");
    if ((category == Category.ANIMAL) == (group == Group.NONE)) {
      throw new IllegalArgumentException("item '" + name + "': animals and only animals have a group, was "
          + category.word() + " in group " + group.word());
    }
    if (legs < 0 || wheels < 0) {
      throw new IllegalArgumentException("item '" + name + "': legs and wheels must be >= 0, were " + legs
          + " and " + wheels);
    }
  }

  /** Whether it is alive: true for animals (fruit and vegetables, once picked, count as not alive). */
  public boolean alive() {
    return category == Category.ANIMAL;
  }

  /** A value of an attribute whose values are words: {@code word()} is how questions name it. */
  public sealed interface Word permits Category, Group, Color, Size, Habitat, Material, Shape {
    /** The lowercase word questions use. */
    String word();
  }

  /** The broad kind of thing. */
  public enum Category implements Word {
    ANIMAL, FRUIT, VEGETABLE, VEHICLE, TOOL, INSTRUMENT, FURNITURE, APPLIANCE;

    @Override
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The animal group; {@link #NONE} for anything that is not an animal (never asked about). */
  public enum Group implements Word {
    MAMMAL, BIRD, FISH, INSECT, REPTILE, AMPHIBIAN, ARACHNID, NONE;

    @Override
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The main color. */
  public enum Color implements Word {
    RED, ORANGE, YELLOW, GREEN, BLUE, PURPLE, PINK, BROWN, BLACK, WHITE, GREY;

    @Override
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The size class, ordered: tiny (smaller than a coin), small (up to a breadbox), medium (bigger than a
   * breadbox, not bigger than a person), large (bigger than a person).
   */
  public enum Size implements Word {
    TINY("a coin"), SMALL("a breadbox"), MEDIUM("a person"), LARGE(null);

    private final String upperBound;

    Size(String upperBound) {
      this.upperBound = upperBound;
    }

    @Override
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The reference object that bounds this class from above ("a breadbox" for small): everything bigger
     * than it is in a higher class. Null for {@link #LARGE}.
     */
    public String upperBound() {
      return upperBound;
    }
  }

  /** Where it is usually found; every item has exactly one. */
  public enum Habitat implements Word {
    HOME, FARM, FOREST, JUNGLE, SAVANNA, OCEAN, RIVER, MOUNTAINS, POLAR, GARDEN, ORCHARD, ROAD, RAILWAY, SKY,
    WORKSHOP, STAGE;

    @Override
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a made thing is mainly made of; {@link #NONE} for natural things (never asked about). */
  public enum Material implements Word {
    METAL, WOOD, PLASTIC, GLASS, FABRIC, NONE;

    @Override
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A clear overall shape; {@link #NONE} when it has none of these (never asked about). */
  public enum Shape implements Word {
    ROUND, LONG, FLAT, BOXY, NONE;

    @Override
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
