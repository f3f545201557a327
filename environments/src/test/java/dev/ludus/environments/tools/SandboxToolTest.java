package dev.ludus.environments.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import dev.ludus.api.tools.ToolDispatch;
import dev.ludus.api.tools.ToolDispatcher;
import dev.ludus.api.tools.ToolError;
import dev.ludus.environments.tools.sandbox.Sandboxes;
import dev.ludus.environments.tools.sandbox.World;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SandboxToolTest {
  private static ToolDispatch call(SandboxTool tool, String name, String args) {
    return ToolDispatcher.of(tool).dispatch(Message.assistant("", List.of(ToolCall.of("c", name, args))))
        .toCompletableFuture().join();
  }

  @Test
  void aCallOverItsTimeLimitTimesOutAndLeavesTheWorldAsItWas() {
    World w = World.sample(List.of("memory"), new SplittableRandom(1));
    SandboxTool.Session session = new SandboxTool.Session(w);
    SandboxTool slow = new SandboxTool(Sandboxes.spec("memory_store").orElseThrow(), Duration.ofMillis(30), session,
        (world, tool, args) -> {
          World.Result r = world.call(tool, args);
          try {
            Thread.sleep(120);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return r;
        });
    ToolDispatch d = call(slow, "memory_store", "{\"key\": \"k\", \"value\": \"v\"}");
    assertEquals(ToolError.Kind.TIMEOUT, d.outcomes().get(0).error().orElseThrow().kind());
    assertSame(w, session.world);
  }

  @Test
  void aCallWithinItsLimitChangesTheWorld_aRefusalDoesNot() {
    World w = World.sample(List.of("memory"), new SplittableRandom(1));
    SandboxTool.Session session = new SandboxTool.Session(w);
    SandboxTool tool = new SandboxTool(Sandboxes.spec("memory_store").orElseThrow(), Duration.ofSeconds(5), session);
    ToolDispatch ok = call(tool, "memory_store", "{\"key\": \"k\", \"value\": \"v\"}");
    assertEquals("{\"replaced\":false,\"stored\":\"k\"}", ok.outcomes().get(0).content());
    assertEquals(1, session.world.distance(w));
    SandboxTool delete = new SandboxTool(Sandboxes.spec("memory_delete").orElseThrow(), Duration.ofSeconds(5), session);
    World before = session.world;
    ToolDispatch refused = call(delete, "memory_delete", "{\"key\": \"never\"}");
    assertEquals(ToolError.Kind.TOOL_FAILED, refused.outcomes().get(0).error().orElseThrow().kind());
    assertSame(before, session.world);
  }
}
