package dev.ludus.environments.search;

/**
 * How big a generated world is and which seed draws it. Immutable; validated on construction, naming the bad
 * field, its value and what is allowed.
 *
 * @param seed the world's seed: the same spec gives the same entities, passages and questions
 * @param cities cities (each one passage); at least 2
 * @param organisations organisations (studios, companies, ...); at least 2
 * @param people people; at least 4
 * @param films films; at least 2
 * @param twinShare the share of entities whose name is a near duplicate of an earlier one of their kind
 *     ("Marla Venn" and "Marlo Venn", "Harbor Lights" and "Harbor Lights Returns"), in [0, 0.9]; their
 *     passages read alike, so a search must tell them apart
 */
public record WorldSpec(long seed, int cities, int organisations, int people, int films, double twinShare) {
  public WorldSpec {
    atLeast("cities", cities, 2);
    atLeast("organisations", organisations, 2);
    atLeast("people", people, 4);
    atLeast("films", films, 2);
    if (!(twinShare >= 0 && twinShare <= 0.9)) {
      throw new IllegalArgumentException("world.twinShare must be in [0, 0.9], was " + twinShare);
    }
  }

  private static void atLeast(String field, int value, int min) {
    if (value < min || value > 2_000_000) {
      throw new IllegalArgumentException("world." + field + " must be between " + min + " and 2000000, was " + value);
    }
  }

  /** The default world: 20 cities, 24 organisations, 120 people, 80 films (244 passages), a third twins. */
  public static WorldSpec defaults() {
    return new WorldSpec(0, 20, 24, 120, 80, 0.3);
  }

  /** A world of about {@code passages} passages in the default proportions (for benchmarks). */
  public static WorldSpec ofPassages(long seed, int passages) {
    int cities = Math.max(2, passages / 12);
    int organisations = Math.max(2, passages / 10);
    int films = Math.max(2, passages * 3 / 10);
    int people = Math.max(4, passages - cities - organisations - films);
    return new WorldSpec(seed, cities, organisations, people, films, 0.3);
  }

  /** How many passages the world has: one per entity. */
  public int passages() {
    return cities + organisations + people + films;
  }
}
