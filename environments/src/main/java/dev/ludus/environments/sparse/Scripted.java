package dev.ludus.environments.sparse;

import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Seeds;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Helpers for the scripted (oracle and random) agents. The agents keep no per-episode state: an oracle
 * rebuilds the game's state by replaying the agent's own earlier messages (the assistant messages of the
 * conversation) through a private instance reset with the request's task and seed, which the episode's
 * environment was reset with too.
 */
final class Scripted {
  private Scripted() {}

  static CompletionStage<AgentResponse> say(String text) {
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(text)));
  }

  /** Resets {@code game} with the request's task and seed and replays the agent's earlier messages. */
  static <G extends TextGame> G replay(G game, AgentRequest request) {
    game.reset(request.task(), request.seed());
    for (Message m : request.conversation()) {
      if (m.role() == Role.ASSISTANT) {
        if (game.done()) {
          break;
        }
        game.step(m);
      }
    }
    return game;
  }

  /** The answer of an oracle asked to act after the episode ended. */
  static CompletionStage<AgentResponse> over() {
    return failure("the episode is already over");
  }

  static CompletionStage<AgentResponse> failure(String reason) {
    return CompletableFuture.completedFuture(AgentResponse.failure(reason));
  }

  /** A random agent's randomness for this turn: a function of the episode seed and the turn only. */
  static SplittableRandom random(AgentRequest request) {
    return new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
  }
}
