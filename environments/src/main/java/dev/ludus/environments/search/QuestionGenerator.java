package dev.ludus.environments.search;

import dev.ludus.environments.search.QaTask.Evidence;
import dev.ludus.environments.search.QaTask.Fact;
import dev.ludus.environments.search.QaTask.Turn;
import dev.ludus.environments.search.World.Entity;
import dev.ludus.environments.search.World.Kind;
import dev.ludus.environments.search.World.Relation;
import dev.ludus.environments.search.World.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Draws questions from a {@link World}'s relation paths, each with its gold answer, supporting facts and
 * 2WikiMultihopQA evidence triples. The types follow HotpotQA and 2WikiMultihopQA, plus ChatR1's
 * conversations:
 * <ul>
 *   <li>{@code one-hop}: one relation of one entity (NQ-like): "Who directed the film Harbor Lights?"
 *   <li>{@code compositional}: two relations in a row, through a bridge entity: "In which year was the director
 *       of the film Harbor Lights born?"
 *   <li>{@code comparison}: the same year relation of two entities: "Who was born earlier, A or B?"
 *   <li>{@code bridge-comparison}: a year of each entity's bridge entity: "Which film has the director who was
 *       born earlier, A or B?" (four gold passages)
 *   <li>{@code conversation}: up to three questions asked one after another, the later ones referring back
 *       ("Who directed the film X?", "In which city was she born?", "In which country is it?"), each with its
 *       self-contained rewrite.
 * </ul>
 * A split ({@link SearchQaConfig#split()}) restricts the entities a question names (its subject, or both compared
 * entities) to the split's; the entities a path goes through and the answers may be any. Deterministic: the same
 * world, split, type and seed give the same task. Stateless and thread-safe.
 */
final class QuestionGenerator {
  static final String ONE_HOP = "one-hop";
  static final String COMPOSITIONAL = "compositional";
  static final String COMPARISON = "comparison";
  static final String BRIDGE_COMPARISON = "bridge-comparison";
  static final String CONVERSATION = "conversation";
  /** Every type, in the order a seed picks from. */
  static final List<String> TYPES = List.of(ONE_HOP, COMPOSITIONAL, COMPARISON, BRIDGE_COMPARISON, CONVERSATION);

  /** The bridge-comparison paths: (first relation, year of the bridge entity, question format). */
  private record BridgePath(Kind kind, Relation bridge, Relation year, String format) {}

  private static final List<BridgePath> BRIDGES = List.of(
      new BridgePath(Kind.FILM, Relation.DIRECTOR, Relation.BORN_YEAR,
          "Which film has the director who was born %s, %s or %s?"),
      new BridgePath(Kind.FILM, Relation.STUDIO, Relation.FOUNDED_YEAR,
          "Which film was produced by the organisation founded %s, %s or %s?"),
      new BridgePath(Kind.PERSON, Relation.MOTHER, Relation.BORN_YEAR, "Whose mother was born %s, %s or %s?"),
      new BridgePath(Kind.PERSON, Relation.EMPLOYER, Relation.FOUNDED_YEAR,
          "Who works for the organisation founded %s, %s or %s?"),
      new BridgePath(Kind.ORGANISATION, Relation.FOUNDER, Relation.BORN_YEAR,
          "Which organisation has the founder who was born %s, %s or %s?"));

  private final World world;
  private final List<Entity> named;
  private final List<List<Entity>> namedByKind;

  QuestionGenerator(World world) {
    this(world, "all");
  }

  /** Questions naming {@code split}'s entities only ({@code all}, {@code train}, {@code validation} or {@code dev}). */
  QuestionGenerator(World world, String split) {
    this.world = world;
    this.named = world.entities().stream().filter(e -> inSplit(e, split)).toList();
    List<List<Entity>> byKind = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      byKind.add(world.ofKind(kind).stream().filter(e -> inSplit(e, split)).toList());
    }
    this.namedByKind = List.copyOf(byKind);
  }

  /**
   * Whether a question of {@code split} may name {@code e}: of every {@link SearchQaConfig#DEV_EVERY} entities (by id),
   * the last is dev, the one before it validation, the others train.
   */
  static boolean inSplit(Entity e, String split) {
    int k = e.id() % SearchQaConfig.DEV_EVERY;
    return switch (split) {
      case "all" -> true;
      case "train" -> k < SearchQaConfig.DEV_EVERY - 2;
      case "validation" -> k == SearchQaConfig.DEV_EVERY - 2;
      case "dev" -> k == SearchQaConfig.DEV_EVERY - 1;
      default -> throw new IllegalArgumentException("unknown split '" + split + "'; allowed: "
          + String.join(", ", SearchQaConfig.SPLITS));
    };
  }

  /** A task of a type drawn from {@code types} by {@code seed}. */
  QaTask draw(List<String> types, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return generate(types.get(r.nextInt(types.size())), seed);
  }

  /** A task of {@code type} drawn by {@code seed}. */
  QaTask generate(String type, long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    String id = "g" + Long.toHexString(seed);
    for (int attempt = 0; attempt < 10_000; attempt++) {
      Optional<List<Turn>> turns = switch (type) {
        case ONE_HOP -> oneHop(r);
        case COMPOSITIONAL -> compositional(r);
        case COMPARISON -> comparison(r);
        case BRIDGE_COMPARISON -> bridgeComparison(r);
        case CONVERSATION -> conversation(r);
        default -> throw new IllegalArgumentException("unknown question type '" + type + "'; allowed: " + TYPES);
      };
      if (turns.isPresent()) {
        return new QaTask(id, type, turns.get());
      }
    }
    throw new IllegalStateException("could not draw a " + type + " question from this world in 10000 tries");
  }

  private Entity any(SplittableRandom r) {
    return named.get(r.nextInt(named.size()));
  }

  private Entity any(SplittableRandom r, Kind kind) {
    List<Entity> of = namedByKind.get(kind.ordinal());
    return of.get(r.nextInt(of.size()));
  }

  private static <T> T pick(SplittableRandom r, List<T> xs) {
    return xs.get(r.nextInt(xs.size()));
  }

  private Fact fact(Entity e, Relation rel) {
    return new Fact(world.passage(e).title(), e.sentenceOf().get(rel));
  }

  private Evidence evidence(Entity e, Relation rel) {
    return new Evidence(e.name(), rel.label, world.text(e.facts().get(rel)));
  }

  private Optional<List<Turn>> oneHop(SplittableRandom r) {
    Entity e = any(r);
    Relation rel = pick(r, List.copyOf(e.facts().keySet()));
    String q = rel.ask.replace("{x}", world.reference(e));
    return Optional.of(List.of(new Turn(q, q, List.of(world.text(e.facts().get(rel))), List.of(fact(e, rel)),
        List.of(evidence(e, rel)))));
  }

  private Optional<List<Turn>> compositional(SplittableRandom r) {
    Entity e0 = any(r);
    List<Relation> bridges = e0.facts().keySet().stream().filter(Relation::toEntity).toList();
    if (bridges.isEmpty()) {
      return Optional.empty();
    }
    Relation r1 = pick(r, bridges);
    Entity e1 = world.entity(e0.facts().get(r1).entity());
    Relation r2 = pick(r, List.copyOf(e1.facts().keySet()));
    String answer = world.text(e1.facts().get(r2));
    if (answer.equals(e0.name())) {
      return Optional.empty(); // "the founder of the employer of X" is X: no second hop
    }
    String q = r2.ask.replace("{x}", r1.np.replace("{x}", world.reference(e0)));
    return Optional.of(List.of(new Turn(q, q, List.of(answer), List.of(fact(e0, r1), fact(e1, r2)),
        List.of(evidence(e0, r1), evidence(e1, r2)))));
  }

  private static final Relation[] YEAR_OF = {Relation.CITY_FOUNDED, Relation.FOUNDED_YEAR, Relation.BORN_YEAR,
      Relation.RELEASE_YEAR};
  private static final String[] COMPARE = {"Which city was founded %s, %s or %s?",
      "Which organisation was founded %s, %s or %s?", "Who was born %s, %s or %s?",
      "Which film was released %s, %s or %s?"};

  private Optional<List<Turn>> comparison(SplittableRandom r) {
    Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
    Relation year = YEAR_OF[kind.ordinal()];
    Entity a = any(r, kind);
    Entity b = any(r, kind);
    int ya = year(a, year);
    int yb = year(b, year);
    if (a == b || ya == yb) {
      return Optional.empty();
    }
    boolean earlier = r.nextBoolean();
    Entity winner = (ya < yb) == earlier ? a : b;
    String q = String.format(COMPARE[kind.ordinal()], earlier ? "earlier" : "later", a.name(), b.name());
    return Optional.of(List.of(new Turn(q, q, List.of(winner.name()), List.of(fact(a, year), fact(b, year)),
        List.of(evidence(a, year), evidence(b, year)))));
  }

  private Optional<List<Turn>> bridgeComparison(SplittableRandom r) {
    BridgePath path = pick(r, BRIDGES);
    Entity a = any(r, path.kind());
    Entity b = any(r, path.kind());
    if (a == b || !a.facts().containsKey(path.bridge()) || !b.facts().containsKey(path.bridge())) {
      return Optional.empty();
    }
    Entity ba = world.entity(a.facts().get(path.bridge()).entity());
    Entity bb = world.entity(b.facts().get(path.bridge()).entity());
    int ya = year(ba, path.year());
    int yb = year(bb, path.year());
    if (ba == bb || ya == yb) {
      return Optional.empty();
    }
    boolean earlier = r.nextBoolean();
    Entity winner = (ya < yb) == earlier ? a : b;
    String q = String.format(path.format(), earlier ? "earlier" : "later", a.name(), b.name());
    return Optional.of(List.of(new Turn(q, q, List.of(winner.name()),
        List.of(fact(a, path.bridge()), fact(ba, path.year()), fact(b, path.bridge()), fact(bb, path.year())),
        List.of(evidence(a, path.bridge()), evidence(ba, path.year()), evidence(b, path.bridge()),
            evidence(bb, path.year())))));
  }

  private Optional<List<Turn>> conversation(SplittableRandom r) {
    Entity e0 = any(r);
    List<Relation> bridges = e0.facts().keySet().stream().filter(Relation::toEntity).toList();
    if (bridges.isEmpty()) {
      return Optional.empty();
    }
    List<Turn> turns = new ArrayList<>();
    Relation r1 = pick(r, bridges);
    Entity e1 = world.entity(e0.facts().get(r1).entity());
    String q1 = r1.ask.replace("{x}", world.reference(e0));
    turns.add(new Turn(q1, q1, List.of(e1.name()), List.of(fact(e0, r1)), List.of(evidence(e0, r1))));
    List<Relation> next = e1.facts().keySet().stream().filter(x -> !isBack(e1, x, e0)).toList();
    if (next.isEmpty()) {
      return Optional.empty();
    }
    Relation r2 = pick(r, next);
    turns.add(followUp(e1, r2));
    Value v2 = e1.facts().get(r2);
    if (v2.isEntity()) {
      Entity e2 = world.entity(v2.entity());
      List<Relation> third = e2.facts().keySet().stream().filter(x -> !isBack(e2, x, e1)).toList();
      if (!third.isEmpty()) {
        turns.add(followUp(e2, pick(r, third)));
      }
    } else {
      List<Relation> other = next.stream().filter(x -> x != r2).toList();
      if (!other.isEmpty()) {
        turns.add(followUp(e1, pick(r, other)));
      }
    }
    return Optional.of(turns);
  }

  /** Whether {@code rel} of {@code e} leads straight back to {@code previous}. */
  private static boolean isBack(Entity e, Relation rel, Entity previous) {
    Value v = e.facts().get(rel);
    return v.isEntity() && v.entity() == previous.id();
  }

  /** A question about {@code e}, the previous answer, by pronoun; its rewrite names it. */
  private Turn followUp(Entity e, Relation rel) {
    boolean person = e.kind() == Kind.PERSON;
    String q = rel.follow.replace("{s}", person ? (e.female() ? "she" : "he") : "it")
        .replace("{p}", person ? (e.female() ? "her" : "his") : "its");
    String rewrite = rel.ask.replace("{x}", world.reference(e));
    return new Turn(q, rewrite, List.of(world.text(e.facts().get(rel))), List.of(fact(e, rel)),
        List.of(evidence(e, rel)));
  }

  private static int year(Entity e, Relation year) {
    return Integer.parseInt(e.facts().get(year).literal());
  }
}
