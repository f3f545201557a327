package dev.ludus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ludus.api.chat.ChatUsage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardingPluginContextTest {
  private static ForwardingPluginContext over(PluginContext base) {
    return new ForwardingPluginContext() {
      @Override
      protected PluginContext delegate() {
        return base;
      }
    };
  }

  @Test
  void aForwardingContextReportsTheChatUsageItsDelegateCounted() {
    // check-sim's recording context once dropped this: it fell back to the interface's empty default
    Map<String, ChatUsage> counted = Map.of("user-model", new ChatUsage(3, 4, 0, 1, 120, 30));
    try (PluginContext.Owned standalone = PluginContext.standalone()) {
      PluginContext counting = new ForwardingPluginContext() {
        @Override
        protected PluginContext delegate() {
          return standalone;
        }

        @Override
        public Map<String, ChatUsage> chatUsage() {
          return counted;
        }
      };
      assertEquals(counted, over(counting).chatUsage());
    }
  }

  @Test
  void sharedValuesAndTheRegistryAreTheDelegates() {
    try (PluginContext.Owned standalone = PluginContext.standalone()) {
      PluginContext forwarding = over(standalone);
      Object value = standalone.shared("test/key", Object.class, Object::new);
      assertSame(value, forwarding.shared("test/key", Object.class, Object::new));
      assertSame(standalone.registry(), forwarding.registry());
      assertSame(standalone.vertx(), forwarding.vertx());
    }
  }
}
