package dev.ludus.agents.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineAgentsTest {
  private static AgentRequest turn(int t) {
    return new AgentRequest("e", Task.generated("x", 1), 1, t, List.of(Message.user("go")), List.of());
  }

  @Test
  void scriptedAgentReplaysItsMessagesInOrder() {
    Agent a = new ScriptedAgentProvider().create(new ScriptedAgentProvider.Config(List.of("a", "b"), false), null);
    assertEquals("a", ((AgentResponse.Reply) a.act(turn(0)).toCompletableFuture().join()).message().content());
    assertEquals("b", ((AgentResponse.Reply) a.act(turn(1)).toCompletableFuture().join()).message().content());
  }

  @Test
  void scriptedAgentFailsWithAReasonWhenTheScriptRunsOut() {
    Agent a = new ScriptedAgentProvider().create(new ScriptedAgentProvider.Config(List.of("a"), false), null);
    AgentResponse r = a.act(turn(1)).toCompletableFuture().join();
    assertInstanceOf(AgentResponse.Failure.class, r);
    assertTrue(((AgentResponse.Failure) r).reason().contains("ran out of messages at turn 1"));
  }

  @Test
  void scriptedAgentCyclesWhenAsked() {
    Agent a = new ScriptedAgentProvider().create(new ScriptedAgentProvider.Config(List.of("a", "b"), true), null);
    assertEquals("a", ((AgentResponse.Reply) a.act(turn(2)).toCompletableFuture().join()).message().content());
  }

  @Test
  void emptyScriptIsRejectedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ScriptedAgentProvider.Config(List.of(), false));
    assertTrue(e.getMessage().startsWith("messages"));
  }

  @Test
  void registryFindsTheBaselineAgentsByName() {
    Registry r = Registry.load();
    assertTrue(r.agents().names().containsAll(List.of("oracle", "random", "scripted", "djl-lm")), r.agents().names().toString());
    ConfigException e = assertThrows(ConfigException.class, () -> r.agents().get("gpt-9"));
    assertTrue(e.getMessage().startsWith("unknown agent 'gpt-9'; known agents: ") && e.getMessage().contains("oracle, random, scripted"), e.getMessage());
  }
}
