package dev.ludus.environments.search;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolCall;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Replays the gold: for each question it searches the title of each gold passage in turn, then answers with
 * the first gold answer, in well-formed Search-R1 text ({@code <think>} before every action) or as tool calls.
 * A question without supporting facts (a file that gives none) is searched once by its self-contained
 * rewrite. It is privileged: it reads the question from the task's {@code qa} field (or, for a task without
 * fields, from the dataset by seed). Stateless and thread-safe: where it is in the plan it reads from the
 * conversation (answers given, searches since the last answer).
 */
final class SearchQaOracle implements Agent {
  private final SearchQaConfig config;
  private final boolean toolsProtocol;

  SearchQaOracle(SearchQaConfig config) {
    this.config = config;
    this.toolsProtocol = config.protocol().equals("tools");
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    QaTask qa;
    try {
      qa = request.task().fields().containsKey("qa") ? SearchData.parse(request.task().fields().get("qa"))
          : SearchData.of(config).bySeed(request.task().seed(), config.questionTypes(), config.split());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(AgentResponse.failure("oracle: " + e.getMessage()));
    }
    int answered = 0;
    int searched = 0;
    for (Message m : request.conversation()) {
      if (m.role() != Role.ASSISTANT) {
        continue;
      }
      String kind = kind(m);
      if ("answer".equals(kind)) {
        answered++;
        searched = 0;
      } else if ("search".equals(kind)) {
        searched++;
      }
    }
    if (answered >= qa.turns().size()) {
      return CompletableFuture.completedFuture(AgentResponse.failure("oracle: every question is answered already"));
    }
    QaTask.Turn turn = qa.turns().get(answered);
    List<String> queries = turn.goldTitles().isEmpty() ? List.of(turn.rewrite()) : turn.goldTitles();
    int call = request.turn();
    Message reply;
    if (searched < queries.size()) {
      String q = queries.get(searched);
      reply = toolsProtocol
          ? Message.assistant("I need to look up " + q + ".",
              List.of(ToolCall.of("call-" + call, "search", json("query", q))))
          : Message.assistant("<think>I need to look up " + q + ".</think>\n<search> " + q + " </search>");
    } else {
      String a = turn.answers().get(0);
      reply = toolsProtocol
          ? Message.assistant("I have found the answer.", List.of(ToolCall.of("call-" + call, "answer", json("text", a))))
          : Message.assistant("<think>I have found the answer.</think>\n<answer> " + a + " </answer>");
    }
    return CompletableFuture.completedFuture(AgentResponse.reply(reply));
  }

  /** Which action an assistant message took: search, answer, or null. */
  static String kind(Message m) {
    if (!m.toolCalls().isEmpty()) {
      return m.toolCalls().stream().anyMatch(c -> c.name().equals("answer")) ? "answer" : "search";
    }
    Protocol.Action a = Protocol.parse(m.content());
    return a == null ? null : a.kind();
  }

  static String json(String field, String value) {
    return SearchData.JSON.createObjectNode().put(field, value).toString();
  }
}
