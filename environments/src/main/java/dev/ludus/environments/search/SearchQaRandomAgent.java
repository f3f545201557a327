package dev.ludus.environments.search;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Seeds;
import dev.ludus.api.ToolCall;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Acts at random within the protocol: a third of the time it searches one to three random words of the
 * question, a third of the time it answers with one to three consecutive words of it, and otherwise writes
 * text with no action (which is invalid). In the tool protocol the search and the answer are tool calls.
 * Its randomness comes from the request's seed and turn only: stateless, thread-safe, and it replays.
 */
final class SearchQaRandomAgent implements Agent {
  private final boolean toolsProtocol;

  SearchQaRandomAgent(SearchQaConfig config) {
    this.toolsProtocol = config.protocol().equals("tools");
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    SplittableRandom r = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
    String question = request.last().content();
    for (Message m : request.conversation()) {
      int at = m.role() == Role.USER ? m.content().lastIndexOf("Question:") : -1;
      if (at >= 0) {
        question = m.content().substring(at + "Question:".length()); // the question being asked
      }
    }
    String[] words = question.replaceAll("[^\\p{L}\\p{N} ]", " ").strip().split("\\s+");
    int n = 1 + r.nextInt(3);
    int start = r.nextInt(Math.max(1, words.length - n + 1));
    String span = String.join(" ", List.of(words).subList(start, Math.min(words.length, start + n)));
    Message reply = switch (r.nextInt(3)) {
      case 0 -> toolsProtocol
          ? Message.assistant("", List.of(ToolCall.of("call-" + request.turn(), "search", SearchQaOracle.json("query",
              words[r.nextInt(words.length)] + " " + words[r.nextInt(words.length)]))))
          : Message.assistant("<search> " + words[r.nextInt(words.length)] + " " + words[r.nextInt(words.length)]
              + " </search>");
      case 1 -> toolsProtocol
          ? Message.assistant("", List.of(ToolCall.of("call-" + request.turn(), "answer", SearchQaOracle.json("text",
              span))))
          : Message.assistant("<answer> " + span + " </answer>");
      default -> Message.assistant(span);
    };
    return CompletableFuture.completedFuture(AgentResponse.reply(reply));
  }
}
