package dev.ludus.simulators.questions;

import static dev.ludus.simulators.questions.Item.Category.ANIMAL;
import static dev.ludus.simulators.questions.Item.Category.APPLIANCE;
import static dev.ludus.simulators.questions.Item.Category.FRUIT;
import static dev.ludus.simulators.questions.Item.Category.FURNITURE;
import static dev.ludus.simulators.questions.Item.Category.INSTRUMENT;
import static dev.ludus.simulators.questions.Item.Category.TOOL;
import static dev.ludus.simulators.questions.Item.Category.VEGETABLE;
import static dev.ludus.simulators.questions.Item.Category.VEHICLE;
import static dev.ludus.simulators.questions.Item.Color.BLACK;
import static dev.ludus.simulators.questions.Item.Color.BLUE;
import static dev.ludus.simulators.questions.Item.Color.BROWN;
import static dev.ludus.simulators.questions.Item.Color.GREEN;
import static dev.ludus.simulators.questions.Item.Color.GREY;
import static dev.ludus.simulators.questions.Item.Color.ORANGE;
import static dev.ludus.simulators.questions.Item.Color.PINK;
import static dev.ludus.simulators.questions.Item.Color.PURPLE;
import static dev.ludus.simulators.questions.Item.Color.RED;
import static dev.ludus.simulators.questions.Item.Color.WHITE;
import static dev.ludus.simulators.questions.Item.Color.YELLOW;
import static dev.ludus.simulators.questions.Item.Group.AMPHIBIAN;
import static dev.ludus.simulators.questions.Item.Group.ARACHNID;
import static dev.ludus.simulators.questions.Item.Group.BIRD;
import static dev.ludus.simulators.questions.Item.Group.FISH;
import static dev.ludus.simulators.questions.Item.Group.INSECT;
import static dev.ludus.simulators.questions.Item.Group.MAMMAL;
import static dev.ludus.simulators.questions.Item.Group.REPTILE;
import static dev.ludus.simulators.questions.Item.Habitat.FARM;
import static dev.ludus.simulators.questions.Item.Habitat.FOREST;
import static dev.ludus.simulators.questions.Item.Habitat.GARDEN;
import static dev.ludus.simulators.questions.Item.Habitat.HOME;
import static dev.ludus.simulators.questions.Item.Habitat.JUNGLE;
import static dev.ludus.simulators.questions.Item.Habitat.MOUNTAINS;
import static dev.ludus.simulators.questions.Item.Habitat.OCEAN;
import static dev.ludus.simulators.questions.Item.Habitat.ORCHARD;
import static dev.ludus.simulators.questions.Item.Habitat.POLAR;
import static dev.ludus.simulators.questions.Item.Habitat.RAILWAY;
import static dev.ludus.simulators.questions.Item.Habitat.RIVER;
import static dev.ludus.simulators.questions.Item.Habitat.ROAD;
import static dev.ludus.simulators.questions.Item.Habitat.SAVANNA;
import static dev.ludus.simulators.questions.Item.Habitat.SKY;
import static dev.ludus.simulators.questions.Item.Habitat.STAGE;
import static dev.ludus.simulators.questions.Item.Habitat.WORKSHOP;
import static dev.ludus.simulators.questions.Item.Size.LARGE;
import static dev.ludus.simulators.questions.Item.Size.MEDIUM;
import static dev.ludus.simulators.questions.Item.Size.SMALL;
import static dev.ludus.simulators.questions.Item.Size.TINY;

import dev.ludus.simulators.questions.Item.Category;
import dev.ludus.simulators.questions.Item.Color;
import dev.ludus.simulators.questions.Item.Group;
import dev.ludus.simulators.questions.Item.Habitat;
import dev.ludus.simulators.questions.Item.Material;
import dev.ludus.simulators.questions.Item.Shape;
import dev.ludus.simulators.questions.Item.Size;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fixed catalogue of things the twenty-questions user may think of: 71 items in eight categories,
 * every pair of which some attribute question tells apart. Immutable and thread-safe.
 *
 * <p>Design note: the catalogue is code, not a downloaded list, so that an episode replays exactly and
 * the oracle, the simulated user and the shapers read the same truth. A game plays on a <em>pool</em>:
 * the catalogue, optionally restricted to some categories and to its first {@code n} items in
 * <em>play order</em>, which takes the categories in turn (one animal, one fruit, one vegetable, ...,
 * then the second of each), so that a small pool still spans the categories.
 */
public final class Catalogue {
  private Catalogue() {}

  private static final List<Item> ITEMS;
  private static final List<Item> PLAY_ORDER;
  private static final Map<String, Item> BY_NAME;

  static {
    List<Item> items = new ArrayList<>();
    // Animals: name, group, color, size, habitat, shape, flags, legs, aliases.
    // Flags: f = flies, e = people eat it, p = plugs in (electric), m = has an engine (motor).
    items.add(animal("dog", MAMMAL, BROWN, MEDIUM, HOME, "", 4, "puppy"));
    items.add(animal("cat", MAMMAL, BLACK, SMALL, HOME, "", 4, "kitten", "kitty"));
    items.add(animal("cow", MAMMAL, WHITE, LARGE, FARM, "e", 4, "cattle", "bull"));
    items.add(animal("horse", MAMMAL, BROWN, LARGE, FARM, "", 4, "pony"));
    items.add(animal("pig", MAMMAL, PINK, MEDIUM, FARM, "e", 4, "hog", "piglet"));
    items.add(animal("sheep", MAMMAL, WHITE, MEDIUM, FARM, "e", 4, "lamb"));
    items.add(animal("lion", MAMMAL, YELLOW, LARGE, SAVANNA, "", 4, "lioness"));
    items.add(animal("elephant", MAMMAL, GREY, LARGE, SAVANNA, "", 4));
    items.add(animal("giraffe", MAMMAL, BROWN, LARGE, SAVANNA, "", 4));
    items.add(animal("zebra", MAMMAL, WHITE, LARGE, SAVANNA, "", 4));
    items.add(animal("monkey", MAMMAL, BROWN, MEDIUM, JUNGLE, "", 2, "chimpanzee"));
    items.add(animal("bear", MAMMAL, BROWN, LARGE, FOREST, "", 4, "grizzly"));
    items.add(animal("whale", MAMMAL, BLUE, LARGE, OCEAN, "", 0));
    items.add(animal("shark", FISH, GREY, LARGE, OCEAN, "", 0));
    items.add(animal("goldfish", FISH, ORANGE, SMALL, HOME, "", 0));
    items.add(animal("frog", AMPHIBIAN, GREEN, SMALL, RIVER, "", 4, "toad"));
    items.add(animal("snake", REPTILE, GREEN, MEDIUM, JUNGLE, "", 0, "serpent", "python"));
    items.add(animal("crocodile", REPTILE, GREEN, LARGE, RIVER, "", 4, "alligator"));
    items.add(animal("eagle", BIRD, BROWN, MEDIUM, MOUNTAINS, "f", 2, "hawk"));
    items.add(animal("penguin", BIRD, BLACK, MEDIUM, POLAR, "", 2));
    items.add(animal("chicken", BIRD, WHITE, SMALL, FARM, "e", 2, "hen", "rooster"));
    items.add(animal("parrot", BIRD, GREEN, SMALL, JUNGLE, "f", 2));
    items.add(animal("bee", INSECT, YELLOW, TINY, GARDEN, "f", 6, "bumblebee", "honeybee"));
    items.add(animal("spider", ARACHNID, BLACK, TINY, HOME, "", 8, "tarantula"));

    items.add(food(FRUIT, "apple", RED, SMALL, ORCHARD, Shape.ROUND));
    items.add(food(FRUIT, "banana", YELLOW, SMALL, JUNGLE, Shape.LONG));
    items.add(food(FRUIT, "cherry", RED, TINY, ORCHARD, Shape.ROUND, "cherries"));
    items.add(food(FRUIT, "grape", PURPLE, TINY, FARM, Shape.ROUND));
    items.add(food(FRUIT, "lemon", YELLOW, SMALL, ORCHARD, Shape.NONE));
    items.add(food(FRUIT, "pineapple", YELLOW, SMALL, JUNGLE, Shape.NONE));
    items.add(food(FRUIT, "strawberry", RED, TINY, GARDEN, Shape.NONE, "strawberries"));
    items.add(food(FRUIT, "watermelon", GREEN, MEDIUM, FARM, Shape.ROUND, "melon"));

    items.add(food(VEGETABLE, "carrot", ORANGE, SMALL, GARDEN, Shape.LONG));
    items.add(food(VEGETABLE, "potato", BROWN, SMALL, FARM, Shape.NONE, "potatoes", "spud"));
    items.add(food(VEGETABLE, "tomato", RED, SMALL, GARDEN, Shape.ROUND, "tomatoes"));
    items.add(food(VEGETABLE, "onion", WHITE, SMALL, FARM, Shape.ROUND));
    items.add(food(VEGETABLE, "cucumber", GREEN, SMALL, GARDEN, Shape.LONG));
    items.add(food(VEGETABLE, "pumpkin", ORANGE, MEDIUM, FARM, Shape.ROUND));
    items.add(food(VEGETABLE, "broccoli", GREEN, SMALL, GARDEN, Shape.NONE));

    items.add(made(VEHICLE, "car", RED, LARGE, ROAD, Material.METAL, Shape.NONE, "m", 0, 4, "automobile"));
    items.add(made(VEHICLE, "bus", YELLOW, LARGE, ROAD, Material.METAL, Shape.BOXY, "m", 0, 6, "coach"));
    items.add(made(VEHICLE, "truck", WHITE, LARGE, ROAD, Material.METAL, Shape.NONE, "m", 0, 18, "lorry"));
    items.add(made(VEHICLE, "bicycle", BLUE, MEDIUM, ROAD, Material.METAL, Shape.NONE, "", 0, 2, "bike"));
    items.add(made(VEHICLE, "motorcycle", BLACK, MEDIUM, ROAD, Material.METAL, Shape.NONE, "m", 0, 2,
        "motorbike"));
    items.add(made(VEHICLE, "tractor", GREEN, LARGE, FARM, Material.METAL, Shape.NONE, "m", 0, 4));
    items.add(made(VEHICLE, "train", RED, LARGE, RAILWAY, Material.METAL, Shape.LONG, "m", 0, 24,
        "locomotive"));
    items.add(made(VEHICLE, "airplane", WHITE, LARGE, SKY, Material.METAL, Shape.NONE, "fm", 0, 3,
        "aeroplane", "plane", "jet"));
    items.add(made(VEHICLE, "helicopter", YELLOW, LARGE, SKY, Material.METAL, Shape.NONE, "fm", 0, 0,
        "chopper"));
    items.add(made(VEHICLE, "sailboat", WHITE, LARGE, OCEAN, Material.WOOD, Shape.NONE, "", 0, 0,
        "boat", "yacht", "sailing boat"));

    items.add(made(TOOL, "hammer", GREY, SMALL, WORKSHOP, Material.METAL, Shape.NONE, "", 0, 0, "mallet"));
    items.add(made(TOOL, "screwdriver", YELLOW, SMALL, WORKSHOP, Material.METAL, Shape.LONG, "", 0, 0));
    items.add(made(TOOL, "saw", GREY, MEDIUM, WORKSHOP, Material.METAL, Shape.FLAT, "", 0, 0, "handsaw"));
    items.add(made(TOOL, "drill", YELLOW, SMALL, WORKSHOP, Material.PLASTIC, Shape.NONE, "p", 0, 0));
    items.add(made(TOOL, "axe", RED, MEDIUM, FOREST, Material.METAL, Shape.NONE, "", 0, 0, "hatchet"));
    items.add(made(TOOL, "shovel", GREY, MEDIUM, GARDEN, Material.METAL, Shape.LONG, "", 0, 0, "spade"));
    items.add(made(TOOL, "scissors", BLUE, SMALL, HOME, Material.METAL, Shape.NONE, "", 0, 0));

    items.add(made(INSTRUMENT, "piano", BLACK, LARGE, HOME, Material.WOOD, Shape.NONE, "", 3, 0));
    items.add(made(INSTRUMENT, "guitar", BROWN, MEDIUM, STAGE, Material.WOOD, Shape.NONE, "", 0, 0));
    items.add(made(INSTRUMENT, "violin", BROWN, SMALL, STAGE, Material.WOOD, Shape.NONE, "", 0, 0, "fiddle"));
    items.add(made(INSTRUMENT, "drum", RED, MEDIUM, STAGE, Material.WOOD, Shape.ROUND, "", 0, 0, "drums"));
    items.add(made(INSTRUMENT, "trumpet", YELLOW, SMALL, STAGE, Material.METAL, Shape.NONE, "", 0, 0));

    items.add(made(FURNITURE, "chair", BROWN, MEDIUM, HOME, Material.WOOD, Shape.NONE, "", 4, 0));
    items.add(made(FURNITURE, "desk", BROWN, LARGE, HOME, Material.WOOD, Shape.FLAT, "", 4, 0));
    items.add(made(FURNITURE, "bed", WHITE, LARGE, HOME, Material.WOOD, Shape.FLAT, "", 4, 0));
    items.add(made(FURNITURE, "sofa", BLUE, LARGE, HOME, Material.FABRIC, Shape.NONE, "", 4, 0, "couch"));
    items.add(made(FURNITURE, "stool", BROWN, SMALL, HOME, Material.WOOD, Shape.NONE, "", 3, 0));

    items.add(made(APPLIANCE, "fridge", WHITE, LARGE, HOME, Material.METAL, Shape.BOXY, "p", 0, 0,
        "refrigerator"));
    items.add(made(APPLIANCE, "toaster", GREY, SMALL, HOME, Material.METAL, Shape.BOXY, "p", 0, 0));
    items.add(made(APPLIANCE, "television", BLACK, MEDIUM, HOME, Material.PLASTIC, Shape.FLAT, "p", 0, 0,
        "tv", "telly"));
    items.add(made(APPLIANCE, "lamp", WHITE, SMALL, HOME, Material.GLASS, Shape.NONE, "p", 0, 0));
    items.add(made(APPLIANCE, "kettle", GREY, SMALL, HOME, Material.METAL, Shape.NONE, "p", 0, 0));

    ITEMS = List.copyOf(items);

    Map<Category, Integer> seen = new EnumMap<>(Category.class);
    Map<Item, Integer> rank = new HashMap<>();
    for (Item it : ITEMS) {
      int r = seen.merge(it.category(), 1, Integer::sum);
      rank.put(it, r);
    }
    PLAY_ORDER = ITEMS.stream()
        .sorted(Comparator.<Item>comparingInt(rank::get).thenComparing(it -> it.category().ordinal()))
        .collect(Collectors.toUnmodifiableList());

    Map<String, Item> byName = new HashMap<>();
    for (Item it : ITEMS) {
      for (String n : names(it)) {
        Item previous = byName.put(n, it);
        if (previous != null) {
          throw new IllegalStateException("the name '" + n + "' is used by " + previous.name() + " and " + it.name());
        }
      }
    }
    BY_NAME = Map.copyOf(byName);
  }

  private static Set<String> names(Item it) {
    Set<String> names = new LinkedHashSet<>();
    names.add(it.name());
    names.addAll(it.aliases());
    return names;
  }

  private static Item animal(
      String name, Group group, Color color, Size size, Habitat habitat, String flags, int legs, String... aliases) {
    Shape shape = group == REPTILE && legs == 0 ? Shape.LONG : Shape.NONE;
    return new Item(name, Arrays.asList(aliases), ANIMAL, group, color, size, habitat, Material.NONE, shape,
        flags.contains("f"), flags.contains("e"), false, false, legs, 0);
  }

  private static Item food(
      Category category, String name, Color color, Size size, Habitat habitat, Shape shape, String... aliases) {
    return new Item(name, Arrays.asList(aliases), category, Group.NONE, color, size, habitat, Material.NONE, shape,
        false, true, false, false, 0, 0);
  }

  private static Item made(Category category, String name, Color color, Size size, Habitat habitat,
      Material material, Shape shape, String flags, int legs, int wheels, String... aliases) {
    return new Item(name, Arrays.asList(aliases), category, Group.NONE, color, size, habitat, material, shape,
        flags.contains("f"), false, flags.contains("p"), flags.contains("m"), legs, wheels);
  }

  /** Every item, grouped by category, in a fixed order. */
  public static List<Item> items() {
    return ITEMS;
  }

  /** Every item in play order: the categories in turn, so that any prefix spans them. */
  public static List<Item> playOrder() {
    return PLAY_ORDER;
  }

  /** The number of items. */
  public static int size() {
    return ITEMS.size();
  }

  /** The item with this name or alias (case-insensitive), if any. */
  public static Optional<Item> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name.trim().toLowerCase(Locale.ROOT)));
  }

  /** Every name and alias the catalogue knows, mapped to its item. */
  public static Map<String, Item> names() {
    return BY_NAME;
  }

  /**
   * The items of a game: those of {@code categories} (all when empty), at most {@code candidates} of them,
   * taken in {@link #playOrder() play order}.
   *
   * @throws IllegalArgumentException naming the value when a category is unknown or {@code candidates < 1}
   */
  public static List<Item> pool(Collection<String> categories, int candidates) {
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be >= 1, was " + candidates);
    }
    Set<Category> wanted = categories(categories);
    return PLAY_ORDER.stream()
        .filter(it -> wanted.isEmpty() || wanted.contains(it.category()))
        .limit(candidates)
        .collect(Collectors.toUnmodifiableList());
  }

  /** Reads category words; fails naming the bad word and the allowed ones. */
  public static Set<Category> categories(Collection<String> words) {
    Set<Category> out = new LinkedHashSet<>();
    if (words == null) {
      return out;
    }
    for (String w : words) {
      String norm = w == null ? "" : w.trim().toLowerCase(Locale.ROOT);
      Category found = null;
      for (Category c : Category.values()) {
        if (c.word().equals(norm)) {
          found = c;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("unknown category '" + w + "'; allowed: " + Arrays.stream(Category.values())
            .map(Category::word).collect(Collectors.joining(", ")));
      }
      out.add(found);
    }
    return out;
  }
}
