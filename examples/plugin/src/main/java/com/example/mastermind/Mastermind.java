package com.example.mastermind;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Seeds;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Registers {@code mastermind}: crack a secret code of coloured pegs from black/white feedback. Its oracle
 * plays Knuth's minimax strategy; its random agent guesses uniformly. Stateless and thread-safe.
 */
public final class Mastermind implements EnvironmentProvider<Mastermind.Config> {
  /** Black pegs of the last guess: right colour in the right place. */
  public static final SignalKey<Integer> BLACK_PEGS = SignalKey.of("black-pegs", Integer.class);
  /** The secret code, for analysis; the agent never sees it before the game ends. */
  public static final SignalKey<String> CODE = SignalKey.secret("code", String.class);

  /**
   * The game's size.
   *
   * @param pegs pegs in a code, 1 to 6
   * @param colours the colour letters, 2 to 8 distinct lowercase letters
   * @param maxGuesses guesses before the game is cut, at least 1
   */
  public record Config(int pegs, String colours, int maxGuesses) {
    public Config {
      if (pegs < 1 || pegs > 6) {
        throw new IllegalArgumentException("pegs must be 1 to 6, was " + pegs);
      }
      if (colours == null || !colours.matches("[a-z]{2,8}") || colours.chars().distinct().count() != colours.length()) {
        throw new IllegalArgumentException("colours must be 2 to 8 distinct lowercase letters (e.g. rgby), was " + colours);
      }
      if (Math.pow(colours.length(), pegs) > 1296) {
        throw new IllegalArgumentException("colours^pegs must be at most 1296 codes (4 pegs of 6 colours), was "
            + colours.length() + "^" + pegs);
      }
      if (maxGuesses < 1) {
        throw new IllegalArgumentException("maxGuesses must be at least 1, was " + maxGuesses);
      }
    }

    Codes codes() {
      return new Codes(colours, pegs);
    }
  }

  @Override
  public String name() {
    return "mastermind";
  }

  @Override
  public String description() {
    return "crack a secret code of coloured pegs from black/white feedback (an example plugin)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(3, "rgby", 8);
  }

  @Override
  public AnyEnvironment create(Config config) {
    return new MastermindGame(config);
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION, StandardSignals.CANDIDATE_COUNT,
        StandardSignals.CANDIDATE_ENTROPY, BLACK_PEGS, CODE);
  }

  /** Knuth's minimax strategy, replaying its own earlier guesses to know which codes are still possible. */
  @Override
  public Optional<Agent> oracle(Config config) {
    Codes codes = config.codes();
    return Optional.of(request -> {
      MastermindGame game = new MastermindGame(config);
      game.reset(request.task(), request.seed());
      for (Message m : request.conversation()) {
        if (m.role() == Role.ASSISTANT && !game.over()) {
          game.step(m);
        }
      }
      if (game.over()) {
        return CompletableFuture.completedFuture(AgentResponse.failure("the game is already over"));
      }
      return say(codes.knuthGuess(game.candidates()));
    });
  }

  /** The oracle replays the conversation's guesses, whoever made them: it can act from any state. */
  @Override
  public boolean oracleActsFromAnyState(Config config) {
    return true;
  }

  @Override
  public Agent randomAgent(Config config) {
    List<String> all = config.codes().all();
    return request -> say(all.get(random(request).nextInt(all.size())));
  }

  private static SplittableRandom random(AgentRequest request) {
    return new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
  }

  private static CompletionStage<AgentResponse> say(String code) {
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("<answer>" + code + "</answer>")));
  }
}
