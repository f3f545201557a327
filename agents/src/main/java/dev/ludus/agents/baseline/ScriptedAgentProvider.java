package dev.ludus.agents.baseline;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Message;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code scripted}: replays a fixed list of messages, one per turn. When the script runs out it either
 * starts over ({@code cycle: true}) or fails the turn, so a too-short script shows up as a failed episode
 * with a clear reason.
 */
public final class ScriptedAgentProvider implements AgentProvider<ScriptedAgentProvider.Config> {

  /**
   * @param messages the assistant messages to send, in order (at least one)
   * @param cycle start over when the script ends instead of failing
   */
  public record Config(List<String> messages, boolean cycle) {
    public Config {
      if (messages == null || messages.isEmpty()) {
        throw new IllegalArgumentException("messages must list at least one message to replay, was empty");
      }
      messages = List.copyOf(messages);
    }
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public String description() {
    return "replays a fixed list of messages, one per turn";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(List.of("hello"), true);
  }

  @Override
  public Agent create(Config config, BoundEnvironment environment) {
    return request -> {
      int turn = request.turn();
      List<String> script = config.messages();
      if (turn >= script.size() && !config.cycle()) {
        return CompletableFuture.completedFuture(AgentResponse.failure(
            "scripted agent ran out of messages at turn " + turn + " (script has " + script.size() + ")"));
      }
      return CompletableFuture.completedFuture(
          AgentResponse.reply(Message.assistant(script.get(turn % script.size()))));
    };
  }
}
