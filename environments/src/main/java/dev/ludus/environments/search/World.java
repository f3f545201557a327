package dev.ludus.environments.search;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A generated fictional world: typed entities (people, films, organisations, cities) with relations between
 * them, and one passage per entity that states each relation in exactly one sentence. Questions are drawn
 * from its relation paths ({@link QuestionGenerator}). Immutable and thread-safe.
 */
final class World {
  /** The kinds of entity. */
  enum Kind { CITY, ORGANISATION, PERSON, FILM }

  /**
   * A relation: the kind it starts from, whether its value is an entity (of {@code target}) or a literal, how a
   * question asks for it ({@code ask}, with {@code {x}} for the subject), how it names its value as a noun
   * phrase inside a longer question ({@code np}), how a follow-up asks it of "she"/"it" ({@code follow}, with
   * {@code {s}} subject and {@code {p}} possessive pronoun), and its 2WikiMultihopQA relation label.
   */
  enum Relation {
    BORN_YEAR(Kind.PERSON, null, "In which year was {x} born?", null, "In which year was {s} born?", "date of birth"),
    BIRTH_CITY(Kind.PERSON, Kind.CITY, "In which city was {x} born?", "the birthplace of {x}",
        "In which city was {s} born?", "place of birth"),
    MOTHER(Kind.PERSON, Kind.PERSON, "Who is the mother of {x}?", "the mother of {x}", "Who is {p} mother?", "mother"),
    EMPLOYER(Kind.PERSON, Kind.ORGANISATION, "Which organisation does {x} work for?", "the employer of {x}",
        "Which organisation does {s} work for?", "employer"),
    RELEASE_YEAR(Kind.FILM, null, "In which year was {x} released?", null, "In which year was {s} released?",
        "publication date"),
    DIRECTOR(Kind.FILM, Kind.PERSON, "Who directed {x}?", "the director of {x}", "Who directed {s}?", "director"),
    STUDIO(Kind.FILM, Kind.ORGANISATION, "Which organisation produced {x}?", "the studio that produced {x}",
        "Which organisation produced {s}?", "production company"),
    HEADQUARTERS(Kind.ORGANISATION, Kind.CITY, "In which city is {x} headquartered?",
        "the city where {x} is headquartered", "In which city is {s} headquartered?", "headquarters location"),
    FOUNDED_YEAR(Kind.ORGANISATION, null, "In which year was {x} founded?", null, "In which year was {s} founded?",
        "inception"),
    FOUNDER(Kind.ORGANISATION, Kind.PERSON, "Who founded {x}?", "the founder of {x}", "Who founded {s}?", "founded by"),
    COUNTRY(Kind.CITY, null, "In which country is {x}?", null, "In which country is {s}?", "country"),
    CITY_FOUNDED(Kind.CITY, null, "In which year was {x} founded?", null, "In which year was {s} founded?",
        "inception");

    final Kind from;
    final Kind target;
    final String ask;
    final String np;
    final String follow;
    final String label;

    Relation(Kind from, Kind target, String ask, String np, String follow, String label) {
      this.from = from;
      this.target = target;
      this.ask = ask;
      this.np = np;
      this.follow = follow;
      this.label = label;
    }

    boolean toEntity() {
      return target != null;
    }

    /** Whether the value is a year (comparisons use these). */
    boolean year() {
      return this == BORN_YEAR || this == RELEASE_YEAR || this == FOUNDED_YEAR || this == CITY_FOUNDED;
    }
  }

  /** A relation's value: an entity (index into the world) or a literal (a year, a country). */
  record Value(int entity, String literal) {
    static Value of(int entity) {
      return new Value(entity, null);
    }

    static Value of(String literal) {
      return new Value(-1, Objects.requireNonNull(literal));
    }

    boolean isEntity() {
      return literal == null;
    }
  }

  /**
   * An entity and the relations it has, with the sentence of its passage that states each.
   *
   * @param id its index in the world (and its passage's)
   * @param female for people, the pronoun a follow-up uses
   * @param noun what it is, as its passage's first sentence says ("film director", "film studio", "city")
   */
  record Entity(int id, Kind kind, String name, boolean female, String noun, Map<Relation, Value> facts,
      Map<Relation, Integer> sentenceOf) {
    Entity {
      facts = facts.isEmpty() ? Map.of() : new EnumMap<>(facts);
      sentenceOf = sentenceOf.isEmpty() ? Map.of() : new EnumMap<>(sentenceOf);
    }

    Optional<Value> get(Relation r) {
      return Optional.ofNullable(facts.get(r));
    }
  }

  private final WorldSpec spec;
  private final List<Entity> entities;
  private final List<Passage> passages;
  private final List<List<Entity>> byKind;

  World(WorldSpec spec, List<Entity> entities, List<Passage> passages) {
    this.spec = spec;
    this.entities = List.copyOf(entities);
    this.passages = List.copyOf(passages);
    List<List<Entity>> kinds = new ArrayList<>();
    for (int k = 0; k < Kind.values().length; k++) {
      kinds.add(new ArrayList<>());
    }
    for (Entity e : entities) {
      kinds.get(e.kind().ordinal()).add(e);
    }
    this.byKind = kinds.stream().map(List::copyOf).toList();
  }

  WorldSpec spec() {
    return spec;
  }

  List<Entity> entities() {
    return entities;
  }

  Entity entity(int id) {
    return entities.get(id);
  }

  List<Entity> ofKind(Kind kind) {
    return byKind.get(kind.ordinal());
  }

  /** Passage {@code i} belongs to entity {@code i}. */
  List<Passage> passages() {
    return passages;
  }

  Passage passage(Entity e) {
    return passages.get(e.id());
  }

  /** The text of a value: the entity's name or the literal. */
  String text(Value v) {
    return v.isEntity() ? entities.get(v.entity()).name() : v.literal();
  }

  /** How a question names an entity: "the film Harbor Lights", or a name. */
  String reference(Entity e) {
    return e.kind() == Kind.FILM ? "the film " + e.name() : e.name();
  }
}
