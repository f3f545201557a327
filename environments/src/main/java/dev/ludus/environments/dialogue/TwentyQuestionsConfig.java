package dev.ludus.environments.dialogue;

import dev.ludus.api.PluginRef;
import dev.ludus.simulators.questions.Catalogue;
import dev.ludus.simulators.questions.Item;
import dev.ludus.simulators.questions.TwentyQuestionsUserConfig;
import dev.ludus.simulators.questions.TwentyQuestionsUserProvider;
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
 * @param user the simulated user, a registered simulator found through the plugin context: a name, or
 *     {@code {name: ..., config: {...}}}. Default {@code twenty-questions-user}, the rule-based user, which
 *     plays this configuration's {@code categories}, {@code candidates} and {@code candidateListLimit} (so it
 *     takes no config of its own here); another simulator gets exactly the {@code config} given
 */
public record TwentyQuestionsConfig(int maxTurns, List<String> categories, int candidates,
    boolean wrongGuessEndsEpisode, int candidateListLimit, PluginRef user) {
  /** The built-in rule-based user, which plays this configuration's categories, candidates and candidateListLimit. */
  static final BuiltInUser BUILT_IN = new BuiltInUser(TwentyQuestionsUserProvider.NAME,
      "categories, candidates and candidateListLimit", "those fields");
  static final PluginRef DEFAULT_USER = BUILT_IN.ref();

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
    user = BUILT_IN.check(user);
  }

  /** A configuration with the built-in rule-based user. */
  public TwentyQuestionsConfig(
      int maxTurns, List<String> categories, int candidates, boolean wrongGuessEndsEpisode, int candidateListLimit) {
    this(maxTurns, categories, candidates, wrongGuessEndsEpisode, candidateListLimit, DEFAULT_USER);
  }

  /**
   * 20 turns, every category, the whole catalogue, wrong guesses allowed, names listed from 10 down, the
   * rule-based user.
   */
  public static TwentyQuestionsConfig defaults() {
    return new TwentyQuestionsConfig(20, List.of(), Catalogue.size(), false, 10, DEFAULT_USER);
  }

  /** This configuration with another turn limit. */
  public TwentyQuestionsConfig withMaxTurns(int maxTurns) {
    return new TwentyQuestionsConfig(maxTurns, categories, candidates, wrongGuessEndsEpisode, candidateListLimit, user);
  }

  /** This configuration restricted to {@code categories} and at most {@code candidates} items. */
  public TwentyQuestionsConfig withPool(List<String> categories, int candidates) {
    return new TwentyQuestionsConfig(maxTurns, categories, candidates, wrongGuessEndsEpisode, candidateListLimit, user);
  }

  /** This configuration with wrong guesses ending the episode or not. */
  public TwentyQuestionsConfig withWrongGuessEndsEpisode(boolean ends) {
    return new TwentyQuestionsConfig(maxTurns, categories, candidates, ends, candidateListLimit, user);
  }

  /** This configuration with another simulated user. */
  public TwentyQuestionsConfig withUser(PluginRef user) {
    return new TwentyQuestionsConfig(maxTurns, categories, candidates, wrongGuessEndsEpisode, candidateListLimit, user);
  }

  /**
   * The simulated user to ask the plugin context for: the rule-based user configured with this
   * configuration's pool and list limit, or the configured simulator as given.
   */
  PluginRef userRef() {
    return BUILT_IN.resolve(user, () -> new TwentyQuestionsUserConfig(categories, candidates, candidateListLimit));
  }

  /** The items in play. */
  public List<Item> pool() {
    return Catalogue.pool(categories, candidates);
  }
}
