package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Role;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolCall;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchQaEnvironmentTest {
  static PluginContext.Owned context;
  static final QaTask.Turn FILM = new QaTask.Turn("Who directed the film Harbor Lights?", null, List.of("Ana Venn"),
      List.of(new QaTask.Fact("Harbor Lights", 1)), List.of());
  static final QaTask ONE = new QaTask("t1", "one-hop", List.of(FILM));
  static final QaTask CONVERSATION = new QaTask("c1", "conversation", List.of(FILM,
      new QaTask.Turn("In which year was she born?", "In which year was Ana Venn born?", List.of("1950"),
          List.of(new QaTask.Fact("Ana Venn", 1)), List.of())));

  @BeforeAll
  static void open() {
    context = PluginContext.standalone();
  }

  @AfterAll
  static void close() {
    context.close();
  }

  /** The default world's corpus, with questions of our own about two of its passages' kind of facts. */
  static Task task(QaTask qa) {
    return SearchData.toTask("search-qa", qa, 0);
  }

  static BoundEnvironment env(SearchQaConfig config) throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("search-qa");
    java.nio.file.Path corpus = dir.resolve("corpus.jsonl");
    java.nio.file.Files.writeString(corpus, """
        {"id": "0", "contents": "\\"Harbor Lights\\"\\nHarbor Lights is a 1987 film. Harbor Lights was directed by Ana Venn."}
        {"id": "1", "contents": "\\"Harbor Lights Returns\\"\\nHarbor Lights Returns is a 2001 film. It was directed by Ivo Marr."}
        {"id": "2", "contents": "\\"Ana Venn\\"\\nAna Venn is a film director. Ana Venn was born in 1950."}
        {"id": "3", "contents": "\\"Ivo Marr\\"\\nIvo Marr is a film director. Ivo Marr was born in 1961."}
        """);
    java.nio.file.Path q = dir.resolve("q.jsonl");
    java.nio.file.Files.writeString(q, "{\"id\": \"x\", \"question\": \"q\", \"golden_answers\": [\"a\"]}\n");
    return Episodes.bind(config.withData("flashrag", q.toString(), corpus.toString()), context);
  }

  @Test
  void aTaggedSearchIsAnsweredWithSearchR1sInformationBlockAndRetrievalSignals() throws Exception {
    var p = Episodes.script(env(SearchQaConfig.defaults()), task(ONE),
        Message.assistant("<think>find it</think><search> Harbor Lights film </search>"));
    assertTrue(p.reset().observation().get(0).content().startsWith("Answer the given question. You must conduct"));
    assertTrue(p.reset().observation().get(0).content().endsWith("Question: Who directed the film Harbor Lights?\n"));
    StepResult s = p.steps().get(0);
    Message info = s.observation().get(0);
    assertEquals(Role.USER, info.role());
    assertTrue(info.content().startsWith("\n\n<information>Doc 1(Title: \"Harbor Lights\") Harbor Lights is a 1987 film."),
        info.content());
    assertTrue(info.content().contains("\nDoc 2(Title: \"Harbor Lights Returns\")"));
    assertTrue(info.content().endsWith("</information>\n\n"));
    assertEquals(List.of("Harbor Lights", "Harbor Lights Returns", "Ana Venn"),
        s.signals().get(SearchSignals.RETRIEVED).orElseThrow());
    assertTrue(s.signals().get(SearchSignals.GOLD_RETRIEVED).orElseThrow());
    assertTrue(s.signals().get(SearchSignals.ANSWER_IN_RETRIEVAL).orElseThrow());
    assertEquals(1, s.signals().get(SearchSignals.SUPPORTING_FACTS_FOUND).orElseThrow());
    assertEquals(0.0, s.reward());
    assertFalse(s.done());
  }

  @Test
  void anUnreadableActionGetsSearchR1sInvalidMessageAndTheTurnCounts() throws Exception {
    var p = Episodes.script(env(SearchQaConfig.defaults().withMaxTurns(2)), task(ONE),
        Message.assistant("I think it is Ana Venn"), Message.assistant("<search>unclosed"));
    assertEquals(Protocol.INVALID_TAGS, p.steps().get(0).observation().get(0).content());
    assertTrue(p.steps().get(0).signals().has(StandardSignals.INVALID_ACTION));
    StepResult last = p.steps().get(1);
    assertTrue(last.truncated());
    assertEquals(0.0, last.signals().get(SearchSignals.SEARCH_R1_REWARD).orElseThrow(), "no answer, bad format");
    assertEquals(-2.0, last.signals().get(SearchSignals.IGPO_REWARD).orElseThrow());
    assertFalse(last.signals().get(StandardSignals.SUCCESS).orElseThrow());
  }

  @Test
  void theChosenRewardIsPaidAndEveryScoreIsPublished() throws Exception {
    Message search = Message.assistant("<think>a</think><search> Harbor Lights </search>");
    Message answer = Message.assistant("<think>b</think><answer> Venn </answer>");
    for (String reward : List.of("exact", "f1", "search-r1", "igpo")) {
      StepResult last = Episodes.script(env(SearchQaConfig.defaults().withReward(reward)), task(ONE), search, answer)
          .last();
      double expected = switch (reward) {
        case "exact" -> 0.0;
        case "f1", "igpo" -> 2 * 1.0 * 0.5 / 1.5;
        default -> 0.2; // valid format, wrong answer; retrievalScore is 0 by default
      };
      assertEquals(expected, last.reward(), 1e-9, reward);
      assertTrue(last.terminated());
      assertEquals(2.0 / 3, last.signals().get(SearchSignals.ANSWER_F1).orElseThrow(), 1e-9);
    }
  }

  @Test
  void toolCallsWorkNativelyAndAsHermesText() throws Exception {
    BoundEnvironment env = env(SearchQaConfig.defaults().withProtocol("tools"));
    var p = Episodes.script(env, task(ONE),
        Message.assistant("", List.of(ToolCall.of("c0", "search", "{\"query\": \"Harbor Lights\"}"))),
        Message.assistant("<tool_call>{\"name\": \"answer\", \"arguments\": {\"text\": \"Ana Venn\"}}</tool_call>"));
    assertEquals(List.of("search", "answer"), p.reset().tools().stream().map(t -> t.name()).toList());
    Message result = p.steps().get(0).observation().get(0);
    assertEquals(Role.TOOL, result.role());
    assertEquals("c0", result.toolCallId());
    assertTrue(result.content().startsWith("Doc 1(Title: \"Harbor Lights\")"), result.content());
    assertTrue(p.steps().get(0).signals().get(StandardSignals.TOOL_CALL_VALID).orElseThrow());
    assertTrue(p.steps().get(0).signals().get(SearchSignals.GOLD_RETRIEVED).orElseThrow());
    StepResult last = p.last();
    assertTrue(last.terminated());
    assertEquals(1.0, last.reward());
    assertEquals(1.0, last.signals().get(SearchSignals.IGPO_REWARD).orElseThrow());
    // written as Search-R1 text: <think></think><search>..</search><information>..</information><think></think><answer>
    assertEquals(1.0, last.signals().get(SearchSignals.SEARCH_R1_REWARD).orElseThrow(), 1e-9);
  }

  @Test
  void aMessageWithoutAToolCallIsInvalidInTheToolProtocol() throws Exception {
    var p = Episodes.script(env(SearchQaConfig.defaults().withProtocol("tools")), task(ONE),
        Message.assistant("<answer>Ana Venn</answer>"),
        Message.assistant("", List.of(ToolCall.of("c1", "search", "{\"q\": 1}"))));
    assertEquals(Protocol.INVALID_TOOLS, p.steps().get(0).observation().get(0).content());
    assertTrue(p.steps().get(0).signals().has(StandardSignals.INVALID_ACTION));
    assertFalse(p.steps().get(1).signals().get(StandardSignals.TOOL_CALL_VALID).orElseThrow());
    assertTrue(p.steps().get(1).observation().get(0).content().startsWith("Error:"));
  }

  @Test
  void aConversationAsksTheFollowUpAfterEachAnswerAndPaysEachItsShare() throws Exception {
    var p = Episodes.script(env(SearchQaConfig.defaults()), task(CONVERSATION),
        Message.assistant("<think>a</think><search> Harbor Lights </search>"),
        Message.assistant("<think>b</think><answer> Ana Venn </answer>"),
        Message.assistant("<think>c</think><search> Ana Venn </search>"),
        Message.assistant("<think>d</think><answer> 1950 </answer>"));
    StepResult first = p.steps().get(1);
    assertEquals(0.5, first.reward());
    assertFalse(first.done());
    assertEquals("Question: In which year was she born?\n", first.observation().get(0).content());
    assertEquals(1, p.steps().get(2).signals().get(SearchSignals.QUESTION_INDEX).orElseThrow());
    assertTrue(p.steps().get(2).signals().get(SearchSignals.GOLD_RETRIEVED).orElseThrow());
    assertEquals(1.0, p.last().signals().get(SearchSignals.SEARCH_R1_REWARD).orElseThrow());
    assertTrue(p.last().terminated());
    assertTrue(p.last().signals().get(StandardSignals.SUCCESS).orElseThrow());
    assertEquals(1.0, p.totalReward(), 1e-9);
  }

  @Test
  void retrievedTextIsObservationNeverTheAgentsOwnMessage() throws Exception {
    // the learner trains on the agent's output tokens only; everything a search returns is a user or tool message
    for (String protocol : List.of("tags", "tools")) {
      BoundEnvironment env = env(SearchQaConfig.defaults().withProtocol(protocol));
      var p = Episodes.play(env, env.oracle().orElseThrow(), task(CONVERSATION), 0);
      for (int i = 0; i < p.steps().size(); i++) {
        assertFalse(p.actions().get(i).content().contains("<information>"));
        assertFalse(p.actions().get(i).content().contains("Doc 1(Title:"));
        for (Message m : p.steps().get(i).observation()) {
          assertTrue(m.role() == Role.USER || m.role() == Role.TOOL, m.toString());
        }
      }
      assertTrue(p.success(), protocol);
    }
  }
}
