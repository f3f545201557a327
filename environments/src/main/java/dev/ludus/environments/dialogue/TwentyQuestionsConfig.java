package dev.ludus.environments.dialogue;

import dev.ludus.simulators.questions.Catalogue;
import dev.ludus.simulators.questions.Item;
import dev.ludus.simulators.questions.TwentyQuestionsUserConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The configuration of {@code twenty-questions}. Immutable; validated on construction, naming the bad
 * field, its value and what is allowed.
 *
 * @param maxTurns the most agent messages (questions and guesses) per episode before it is truncated;
 *     1 to 1000, default 20
 * @param categories the categories in play, e.g. {@code [animal, vehicle]}; empty (the default) for all of
 *     animal, fruit, vegetable, vehicle, tool, instrument, furniture, appliance. The system prompt names them.
 * @param candidates at most this many catalogue items are in play (the first ones of the chosen categories
 *     in {@link Catalogue#playOrder() play order}); 2 to the catalogue's size, default all of it
 * @param wrongGuessEndsEpisode whether naming a wrong item ends the episode (terminated, no success);
 *     default false: a wrong guess only costs its turn
 * @param candidateListLimit the candidates' names are published as a signal once at most this many remain;
 *     default 10
 */
public record TwentyQuestionsConfig(
    int maxTurns, List<String> categories, int candidates, boolean wrongGuessEndsEpisode, int candidateListLimit) {

  public TwentyQuestionsConfig {
    if (maxTurns < 1 || maxTurns > 1000) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 1000, was " + maxTurns);
    }
    categories = categories == null ? List.of() : List.copyOf(categories);
    for (String c : categories) {
      String norm = c == null ? "" : c.trim().toLowerCase(Locale.ROOT);
      if (Arrays.stream(Item.Category.values()).noneMatch(k -> k.word().equals(norm))) {
        throw new IllegalArgumentException("categories: unknown category '" + c + "'; allowed: "
            + Arrays.stream(Item.Category.values()).map(Item.Category::word).collect(Collectors.joining(", ")));
      }
    }
    if (candidates < 2 || candidates > Catalogue.size()) {
      throw new IllegalArgumentException("candidates must be between 2 and " + Catalogue.size()
          + " (the catalogue's size), was " + candidates);
    }
    if (candidateListLimit < 0) {
      throw new IllegalArgumentException("candidateListLimit must be >= 0, was " + candidateListLimit);
    }
  }

  /** 20 turns, every category, the whole catalogue, wrong guesses allowed, names listed from 10 down. */
  public static TwentyQuestionsConfig defaults() {
    return new TwentyQuestionsConfig(20, List.of(), Catalogue.size(), false, 10);
  }

  /** This configuration with another turn limit. */
  public TwentyQuestionsConfig withMaxTurns(int maxTurns) {
    return new TwentyQuestionsConfig(maxTurns, categories, candidates, wrongGuessEndsEpisode, candidateListLimit);
  }

  /** This configuration restricted to {@code categories} and at most {@code candidates} items. */
  public TwentyQuestionsConfig withPool(List<String> categories, int candidates) {
    return new TwentyQuestionsConfig(maxTurns, categories, candidates, wrongGuessEndsEpisode, candidateListLimit);
  }

  /** This configuration with wrong guesses ending the episode or not. */
  public TwentyQuestionsConfig withWrongGuessEndsEpisode(boolean ends) {
    return new TwentyQuestionsConfig(maxTurns, categories, candidates, ends, candidateListLimit);
  }

  /** The simulated user's configuration. */
  TwentyQuestionsUserConfig userConfig() {
    return new TwentyQuestionsUserConfig(categories, candidates, candidateListLimit);
  }

  /** The items in play. */
  public List<Item> pool() {
    return Catalogue.pool(categories, candidates);
  }
}
