package dev.ludus.simulators.questions;

import java.util.List;

/**
 * How the twenty-questions user plays. Immutable; validated on construction.
 *
 * @param categories the categories in play (words of {@link Item.Category}); empty for all
 * @param candidates at most this many items are in play, the first ones in {@link Catalogue#playOrder()
 *     play order} (default: the whole catalogue)
 * @param listLimit the {@link dev.ludus.api.StandardSignals#CANDIDATES} signal lists the candidates' names
 *     only when at most this many remain (default 10; 0 never lists them)
 */
public record TwentyQuestionsUserConfig(List<String> categories, int candidates, int listLimit) {
  public TwentyQuestionsUserConfig {
    categories = categories == null ? List.of() : List.copyOf(categories);
    try {
      Catalogue.categories(categories);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("categories: " + e.getMessage(), e);
    }
    if (candidates < 2 || candidates > Catalogue.size()) {
      throw new IllegalArgumentException("candidates must be between 2 and " + Catalogue.size()
          + " (the catalogue's size), was " + candidates);
    }
    if (listLimit < 0) {
      throw new IllegalArgumentException("listLimit must be >= 0, was " + listLimit);
    }
  }

  /** All categories, the whole catalogue, names listed from 10 candidates down. */
  public static TwentyQuestionsUserConfig defaults() {
    return new TwentyQuestionsUserConfig(List.of(), Catalogue.size(), 10);
  }

  /** The items in play. */
  public List<Item> pool() {
    return Catalogue.pool(categories, candidates);
  }
}
