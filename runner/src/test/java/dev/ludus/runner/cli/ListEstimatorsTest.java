package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.runner.config.Json;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ludus list estimators}: the registered advantage estimators, with their config fields under --json. */
@MicronautTest
class ListEstimatorsTest {
  @Inject ApplicationContext context;

  private String list(String... args) {
    CommandLine cmd = Ludus.commandLine(context);
    StringWriter out = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(new StringWriter(), true));
    assertEquals(0, cmd.execute(args));
    return out.toString();
  }

  @Test
  void listEstimatorsShowsEveryBuiltInOneWithItsDescription() {
    String out = list("list", "estimators");
    for (String name : new String[] {"grpo", "rloo", "reinforce-plus-plus", "ppo-gae", "igpo"}) {
      assertTrue(out.lines().anyMatch(l -> l.startsWith(name + " ")), name + " in:\n" + out);
    }
    assertTrue(out.contains("GRPO"), out);
  }

  @Test
  void listEstimatorsAsJsonGivesTheConfigFieldsWithTheirDefaults() throws Exception {
    JsonNode all = Json.JSON.readTree(list("list", "estimators", "--json"));
    Map<String, JsonNode> byName = new HashMap<>();
    all.forEach(n -> byName.put(n.get("name").asText(), n));
    JsonNode igpo = byName.get("igpo");
    assertEquals("estimator", igpo.get("kind").asText());
    Map<String, JsonNode> fields = new HashMap<>();
    igpo.get("config").forEach(f -> fields.put(f.get("name").asText(), f.get("default")));
    assertEquals(1.0, fields.get("gamma").asDouble());
    assertEquals("JOINT", fields.get("pooling").asText());
    assertEquals("TURN_INDEX", fields.get("baseline").asText());
    assertTrue(byName.get("igpo").get("needsGroups").asBoolean());
    assertEquals(false, byName.get("ppo-gae").get("needsGroups").asBoolean());
    assertEquals(0, byName.get("rloo").get("config").size(), "rloo has no settings");
    assertTrue(byName.get("grpo").get("formula").asText().contains("std"), byName.get("grpo").toString());
  }
}
