package dev.ludus.environments.search;

import dev.ludus.environments.search.World.Entity;
import dev.ludus.environments.search.World.Kind;
import dev.ludus.environments.search.World.Relation;
import dev.ludus.environments.search.World.Value;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws a {@link World} from a {@link WorldSpec}: invented names (so that a model cannot know the answers
 * without searching), relations between entities, and passages that state one fact per sentence with a
 * paraphrase chosen per sentence ("was born in", "is a native of"). A {@link WorldSpec#twinShare()} of the
 * entities are near duplicates of an earlier one of their kind, sharing name tokens, so a query for one also
 * finds the other. Deterministic: the same spec gives the same world. Linear in the world's size. Stateless.
 */
final class WorldGenerator {
  private static final String[] ONSETS = {"b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p",
      "r", "s", "st", "t", "tr", "v", "z", "th", "sh", "c", "j"};
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ae", "ei", "ou", "ia"};
  private static final String[] CODAS = {"", "", "", "n", "r", "l", "s", "m", "nd", "v"};
  private static final String[] ADJECTIVES = {"Silent", "Crimson", "Hollow", "Golden", "Broken", "Distant",
      "Bitter", "Quiet", "Wild", "Pale", "Iron", "Velvet", "Burning", "Frozen", "Hidden", "Lonely", "Northern",
      "Scarlet", "Shining", "Falling", "Restless", "Painted", "Endless", "Sleeping", "Winter", "Summer", "Midnight",
      "Paper", "Glass", "Stone"};
  private static final String[] NOUNS = {"Harbor", "Orchard", "River", "Garden", "Mirror", "Lantern", "Tide", "Valley",
      "Crown", "Bridge", "Letter", "Promise", "Station", "Shadow", "Meadow", "Tower", "Horizon", "Echo", "Island",
      "Road", "Winter", "Signal", "Compass", "Voyage", "Kingdom", "Frontier", "Anchor", "Canyon", "Lighthouse",
      "Carnival"};
  private static final String[] FILM_TWIN_SUFFIX = {"Returns", "II", "Rising", "Reborn", "Revisited"};
  private static final String[] ORG_SUFFIX = {"Pictures", "Studios", "Films", "Media", "Group", "Works", "Holdings",
      "Labs"};
  private static final String[] CITY_TWIN = {"New ", "North ", "Port ", "Upper ", " Falls", " Heights", " Bay"};
  private static final String[] OCCUPATIONS = {"writer", "engineer", "painter", "actor", "architect", "physician",
      "composer", "journalist"};

  private final WorldSpec spec;
  private final SplittableRandom random;
  private final Set<String> taken = new HashSet<>();
  private final List<String> countries = new ArrayList<>();

  private WorldGenerator(WorldSpec spec) {
    this.spec = spec;
    this.random = new SplittableRandom(spec.seed() ^ 0x5EA2C4L);
  }

  static World generate(WorldSpec spec) {
    return new WorldGenerator(spec).build();
  }

  /** A mutable entity while the world is drawn. */
  private static final class Draft {
    final int id;
    final Kind kind;
    String name;
    boolean female;
    String noun;
    final Map<Relation, Value> facts = new EnumMap<>(Relation.class);
    int year;
    boolean twin;

    Draft(int id, Kind kind) {
      this.id = id;
      this.kind = kind;
    }
  }

  private World build() {
    int countryCount = Math.max(4, spec.cities() / 8);
    for (int i = 0; i < countryCount; i++) {
      countries.add(unique(() -> word(2, 2)));
    }
    List<Draft> all = new ArrayList<>();
    List<Draft> cities = new ArrayList<>();
    List<Draft> orgs = new ArrayList<>();
    List<Draft> people = new ArrayList<>();
    List<Draft> films = new ArrayList<>();
    for (int i = 0; i < spec.cities(); i++) {
      Draft c = add(all, cities, Kind.CITY);
      c.name = twin(cities) ? cityTwin(pick(cities, c).name) : unique(() -> word(2, 2));
      c.noun = "city";
      c.year = 900 + random.nextInt(900);
      c.facts.put(Relation.COUNTRY, Value.of(countries.get(random.nextInt(countries.size()))));
      c.facts.put(Relation.CITY_FOUNDED, Value.of(Integer.toString(c.year)));
    }
    for (int i = 0; i < spec.people(); i++) {
      Draft p = add(all, people, Kind.PERSON);
      p.female = random.nextBoolean();
      p.name = twin(people) ? personTwin(pick(people, p).name) : unique(() -> word(1, 2) + " " + word(2, 2));
      p.year = 1900 + random.nextInt(96);
      p.noun = OCCUPATIONS[random.nextInt(OCCUPATIONS.length)];
      p.facts.put(Relation.BORN_YEAR, Value.of(Integer.toString(p.year)));
      p.facts.put(Relation.BIRTH_CITY, Value.of(cities.get(random.nextInt(cities.size())).id));
    }
    List<Draft> women = people.stream().filter(p -> p.female).toList();
    for (Draft p : people) {
      for (int tries = 0; tries < 24 && !women.isEmpty(); tries++) {
        Draft m = women.get(random.nextInt(women.size()));
        int gap = p.year - m.year;
        if (gap >= 18 && gap <= 45) {
          p.facts.put(Relation.MOTHER, Value.of(m.id));
          break;
        }
      }
    }
    for (int i = 0; i < spec.organisations(); i++) {
      Draft o = add(all, orgs, Kind.ORGANISATION);
      String suffix = ORG_SUFFIX[random.nextInt(ORG_SUFFIX.length)];
      o.name = twin(orgs) ? orgTwin(pick(orgs, o).name) : unique(() -> word(2, 2) + " " + suffix);
      o.noun = o.name.endsWith("Pictures") || o.name.endsWith("Studios") || o.name.endsWith("Films")
          ? "film studio" : "company";
      o.year = 1850 + random.nextInt(150);
      o.facts.put(Relation.HEADQUARTERS, Value.of(cities.get(random.nextInt(cities.size())).id));
      o.facts.put(Relation.FOUNDED_YEAR, Value.of(Integer.toString(o.year)));
      o.facts.put(Relation.FOUNDER, Value.of(people.get(random.nextInt(people.size())).id));
    }
    for (Draft p : people) {
      p.facts.put(Relation.EMPLOYER, Value.of(orgs.get(random.nextInt(orgs.size())).id));
    }
    for (int i = 0; i < spec.films(); i++) {
      Draft f = add(all, films, Kind.FILM);
      f.name = twin(films) ? filmTwin(pick(films, f).name) : unique(this::filmTitle);
      f.noun = "film";
      Draft director = people.get(random.nextInt(people.size()));
      director.noun = "film director";
      f.year = Math.min(2024, Math.max(1930, director.year + 25 + random.nextInt(40)));
      f.facts.put(Relation.RELEASE_YEAR, Value.of(Integer.toString(f.year)));
      f.facts.put(Relation.DIRECTOR, Value.of(director.id));
      f.facts.put(Relation.STUDIO, Value.of(orgs.get(random.nextInt(orgs.size())).id));
    }
    List<Entity> entities = new ArrayList<>(all.size());
    List<Passage> passages = new ArrayList<>(all.size());
    for (Draft d : all) {
      Map<Relation, Integer> sentenceOf = new EnumMap<>(Relation.class);
      List<String> sentences = sentences(d, all, sentenceOf);
      entities.add(new Entity(d.id, d.kind, d.name, d.female, d.noun, d.facts, sentenceOf));
      passages.add(new Passage(Integer.toString(d.id), d.name, sentences));
    }
    return new World(spec, entities, passages);
  }

  private Draft add(List<Draft> all, List<Draft> kind, Kind k) {
    Draft d = new Draft(all.size(), k);
    all.add(d);
    kind.add(d);
    return d;
  }

  /** Whether the entity just added (the last of {@code sameKind}) is to be a twin of an earlier one. */
  private boolean twin(List<Draft> sameKind) {
    Draft self = sameKind.get(sameKind.size() - 1);
    self.twin = sameKind.size() > 1 && random.nextDouble() < spec.twinShare();
    return self.twin;
  }

  /** An earlier entity of the same kind as {@code self} that is not itself a twin (so no twin of a twin). */
  private Draft pick(List<Draft> sameKind, Draft self) {
    Draft d = sameKind.get(0);
    for (int i = 0; i < 8; i++) {
      d = sameKind.get(random.nextInt(sameKind.size() - 1)); // self is the last one
      if (!d.twin) {
        return d;
      }
    }
    return d == self ? sameKind.get(0) : d;
  }

  // ---- passages: one fact per sentence, a paraphrase drawn for each ----

  private List<String> sentences(Draft d, List<Draft> all, Map<Relation, Integer> sentenceOf) {
    List<String> s = new ArrayList<>();
    String n = d.name;
    switch (d.kind) {
      case CITY -> {
        s.add(n + " is a city in " + lit(d, Relation.COUNTRY) + ".");
        sentenceOf.put(Relation.COUNTRY, 0);
        s.add(one(n + " was founded in " + lit(d, Relation.CITY_FOUNDED) + ".",
            n + " was first settled in " + lit(d, Relation.CITY_FOUNDED) + "."));
        sentenceOf.put(Relation.CITY_FOUNDED, 1);
      }
      case ORGANISATION -> {
        String city = name(all, d, Relation.HEADQUARTERS);
        s.add(one(n + " is a " + d.noun + " headquartered in " + city + ".",
            n + " is a " + d.noun + " based in " + city + ".",
            n + " is a " + d.noun + " with its head office in " + city + "."));
        sentenceOf.put(Relation.HEADQUARTERS, 0);
        s.add(one(n + " was founded in " + lit(d, Relation.FOUNDED_YEAR) + ".",
            n + " was established in " + lit(d, Relation.FOUNDED_YEAR) + "."));
        sentenceOf.put(Relation.FOUNDED_YEAR, 1);
        String founder = name(all, d, Relation.FOUNDER);
        s.add(one(n + " was founded by " + founder + ".", "The founder of " + n + " is " + founder + "."));
        sentenceOf.put(Relation.FOUNDER, 2);
      }
      case PERSON -> {
        s.add(n + " is " + article(d.noun) + " " + d.noun + ".");
        s.add(one(n + " was born in " + lit(d, Relation.BORN_YEAR) + ".",
            n + " was born in the year " + lit(d, Relation.BORN_YEAR) + "."));
        sentenceOf.put(Relation.BORN_YEAR, s.size() - 1);
        String city = name(all, d, Relation.BIRTH_CITY);
        s.add(one(n + " was born in the city of " + city + ".", n + " is a native of " + city + ".",
            "The birthplace of " + n + " is " + city + "."));
        sentenceOf.put(Relation.BIRTH_CITY, s.size() - 1);
        String employer = name(all, d, Relation.EMPLOYER);
        s.add(one(n + " works for " + employer + ".", n + " is employed by " + employer + "."));
        sentenceOf.put(Relation.EMPLOYER, s.size() - 1);
        if (d.facts.containsKey(Relation.MOTHER)) {
          String mother = name(all, d, Relation.MOTHER);
          s.add(one("The mother of " + n + " is " + mother + ".", n + " is the " + (d.female ? "daughter" : "son")
              + " of " + mother + "."));
          sentenceOf.put(Relation.MOTHER, s.size() - 1);
        }
      }
      case FILM -> {
        s.add(one(n + " is a " + lit(d, Relation.RELEASE_YEAR) + " film.",
            n + " is a film released in " + lit(d, Relation.RELEASE_YEAR) + "."));
        sentenceOf.put(Relation.RELEASE_YEAR, 0);
        String director = name(all, d, Relation.DIRECTOR);
        s.add(one(n + " was directed by " + director + ".", "The director of " + n + " is " + director + "."));
        sentenceOf.put(Relation.DIRECTOR, 1);
        String studio = name(all, d, Relation.STUDIO);
        s.add(one(n + " was produced by " + studio + ".", "The production company of " + n + " is " + studio + "."));
        sentenceOf.put(Relation.STUDIO, 2);
      }
      default -> throw new IllegalStateException("unknown kind " + d.kind);
    }
    return s;
  }

  private static String lit(Draft d, Relation r) {
    return d.facts.get(r).literal();
  }

  private static String name(List<Draft> all, Draft d, Relation r) {
    return all.get(d.facts.get(r).entity()).name;
  }

  private static String article(String noun) {
    return "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
  }

  private String one(String... options) {
    return options[random.nextInt(options.length)];
  }

  // ---- names ----

  private String syllable() {
    return ONSETS[random.nextInt(ONSETS.length)] + VOWELS[random.nextInt(VOWELS.length)]
        + CODAS[random.nextInt(CODAS.length)];
  }

  /** An invented word of {@code min} to {@code max} syllables, capitalised. */
  private String word(int min, int max) {
    StringBuilder sb = new StringBuilder();
    int n = min + random.nextInt(max - min + 1);
    for (int i = 0; i < n; i++) {
      sb.append(syllable());
    }
    if (sb.length() < 3) {
      sb.append(VOWELS[random.nextInt(VOWELS.length)]).append('n');
    }
    return Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
  }

  private String filmTitle() {
    return switch (random.nextInt(4)) {
      case 0 -> ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + NOUNS[random.nextInt(NOUNS.length)];
      case 1 -> "The " + ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + NOUNS[random.nextInt(NOUNS.length)];
      case 2 -> "The " + NOUNS[random.nextInt(NOUNS.length)] + " of " + word(2, 2);
      default -> word(2, 2) + " " + NOUNS[random.nextInt(NOUNS.length)];
    };
  }

  private String filmTwin(String base) {
    return unique(() -> random.nextBoolean()
        ? base + " " + FILM_TWIN_SUFFIX[random.nextInt(FILM_TWIN_SUFFIX.length)]
        : "Return to " + base.replaceFirst("^The ", ""), this::filmTitle);
  }

  private String personTwin(String base) {
    int space = base.indexOf(' ');
    String first = base.substring(0, space);
    String last = base.substring(space);
    return unique(() -> mutate(first) + last, () -> word(1, 2) + last);
  }

  private String orgTwin(String base) {
    String head = base.substring(0, base.indexOf(' '));
    return unique(() -> head + " " + ORG_SUFFIX[random.nextInt(ORG_SUFFIX.length)],
        () -> word(2, 2) + " " + ORG_SUFFIX[random.nextInt(ORG_SUFFIX.length)]);
  }

  private String cityTwin(String base) {
    return unique(() -> {
      String a = CITY_TWIN[random.nextInt(CITY_TWIN.length)];
      return a.startsWith(" ") ? base + a : a + base;
    }, () -> word(2, 2));
  }

  /** {@code w} with one vowel changed: "Marla" to "Marlo". */
  private String mutate(String w) {
    List<Integer> vowels = new ArrayList<>();
    for (int i = 1; i < w.length(); i++) {
      if ("aeiou".indexOf(w.charAt(i)) >= 0) {
        vowels.add(i);
      }
    }
    if (vowels.isEmpty()) {
      return w + "a";
    }
    int at = vowels.get(random.nextInt(vowels.size()));
    char c = "aeiou".charAt(random.nextInt(5));
    return w.substring(0, at) + c + w.substring(at + 1);
  }

  private interface Draw {
    String next();
  }

  private String unique(Draw draw) {
    return unique(draw, draw);
  }

  /** A name nobody has yet: {@code first} a few times, then {@code fallback} until one is free. */
  private String unique(Draw first, Draw fallback) {
    for (int i = 0; i < 1000; i++) {
      String s = (i < 4 ? first : fallback).next();
      String key = s.toLowerCase(Locale.ROOT);
      if (!key.contains("true") && !key.contains("false") && taken.add(key)) {
        return s;
      }
    }
    throw new IllegalStateException("could not draw a new name after 1000 tries; the world is too large for its names");
  }
}
