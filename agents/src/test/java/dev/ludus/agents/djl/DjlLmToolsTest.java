package dev.ludus.agents.djl;

import static dev.ludus.agents.djl.DjlLmFixtures.act;
import static dev.ludus.agents.djl.DjlLmFixtures.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.ToolCallParser;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The djl-lm agent's tool options: its prompt lists the turn's tools; {@code textToolCalls} reads its text. */
class DjlLmToolsTest {
  private static LanguageModel model;
  private static LmTokenizer tokenizer;

  @BeforeAll
  static void build() {
    tokenizer = DjlLmFixtures.tokenizer();
    // a context long enough for the tools block, so that the prompt is not cut
    model = LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 256, tokenizer.vocabSize()), "cpu", 11);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void thePromptListsTheTurnsToolsInTheTextFormatsInstructions() {
    List<ToolSpec> tools = List.of(new ToolSpec("guess", "Guess a number", "{\"type\":\"object\"}"));
    AgentRequest request = new AgentRequest("e", Task.generated("t", 1), 1, 0,
        List.of(Message.system("play a game ."), Message.user("guess a number")), tools);
    for (String format : List.of("none", "json")) {
      try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config().withTextToolCalls(format, "pass"))) {
        int[] prompt = act(agent, request).tokenTrace().orElseThrow().promptIds();
        ToolCallParser expected = format.equals("none") ? ToolCallParser.hermes() : ToolCallParser.json();
        assertArrayEquals(new ChatTemplate(tokenizer, expected).render(request.conversation(), tools), prompt, format);
        assertTrue(prompt.length > new ChatTemplate(tokenizer).render(request.conversation()).length,
            "the tools block is in the prompt");
      }
    }
  }

  @Test
  void textToolCallsDefaultsToNoneAndPassAndIsCheckedLikeTheOpenaiOption() throws Exception {
    DjlLmAgentProvider.Config d = DjlLmAgentProvider.Config.defaults();
    assertEquals("none", d.textToolCalls());
    assertEquals("pass", d.invalidToolArguments());
    assertEquals("TextToolCalls[none]", d.textCalls().toString());
    assertEquals("TextToolCalls[hermes, fail]", d.withTextToolCalls("Hermes", "FAIL").textCalls().toString());
    assertEquals("textToolCalls must be one of none, hermes, json, was 'xml'",
        assertThrows(IllegalArgumentException.class, () -> d.withTextToolCalls("xml", "pass")).getMessage());
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = json.valueToTree(d);
    tree.put("textToolCalls", "json");
    assertEquals(d.withTextToolCalls("json", "pass"), json.treeToValue(tree, DjlLmAgentProvider.Config.class));
  }
}
