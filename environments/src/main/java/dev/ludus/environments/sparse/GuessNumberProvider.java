package dev.ludus.environments.sparse;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registers {@code guess-number}: find a hidden number by asking higher-or-lower questions (see
 * {@link GuessNumberConfig}). Its oracle plays binary search on the feasible range, so it wins within
 * {@code floor(log2(high - low + 1)) + 1} turns and shows the information-optimal trajectory; its random
 * agent guesses uniformly between {@code low} and {@code high}. Stateless and thread-safe.
 */
public final class GuessNumberProvider implements EnvironmentProvider<GuessNumberConfig> {
  public static final String NAME = "guess-number";

  public GuessNumberProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Guess a hidden number with higher/lower answers; reward 1 only for the correct guess.";
  }

  @Override
  public Class<GuessNumberConfig> configType() {
    return GuessNumberConfig.class;
  }

  @Override
  public GuessNumberConfig defaultConfig() {
    return GuessNumberConfig.defaults();
  }

  @Override
  public AnyEnvironment create(GuessNumberConfig config) {
    return new GuessNumberEnvironment(Objects.requireNonNull(config, "config"));
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION, StandardSignals.CANDIDATE_COUNT,
        StandardSignals.CANDIDATE_ENTROPY, SparseSignals.FEASIBLE_RANGE, SparseSignals.EXPECTED_ENTROPY, SparseSignals.TARGET);
  }

  @Override
  public Optional<Agent> oracle(GuessNumberConfig config) {
    Objects.requireNonNull(config, "config");
    return Optional.of(request -> {
      try (GuessNumberEnvironment game = Scripted.replay(new GuessNumberEnvironment(config), request)) {
        if (game.done()) {
          return Scripted.over();
        }
        FeasibleRange r = game.range();
        return Scripted.say("<answer>" + (r.low() + (r.high() - r.low()) / 2) + "</answer>");
      }
    });
  }

  /** The oracle replays the conversation's guesses, whoever made them: it can act from any state. */
  @Override
  public boolean oracleActsFromAnyState(GuessNumberConfig config) {
    return true;
  }

  @Override
  public Agent randomAgent(GuessNumberConfig config) {
    Objects.requireNonNull(config, "config");
    return request -> Scripted.say(Long.toString(
        Scripted.random(request).nextLong(config.low(), config.high() + 1L)));
  }
}
