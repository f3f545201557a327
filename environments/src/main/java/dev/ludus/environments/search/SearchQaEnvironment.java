package dev.ludus.environments.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Reset;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.StrictJson;
import dev.ludus.api.tools.Tool;
import dev.ludus.api.tools.ToolDispatch;
import dev.ludus.api.tools.ToolDispatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One search-QA episode: the question (or a conversation of follow-ups), searches over the run's shared index
 * (BM25, dense or hybrid: {@link Retriever}), and the answer, scored by every paper's metric.
 *
 * <p>Design note. Reset shows the prompt of the protocol ({@link Protocol}). Each step reads the agent's
 * message: in the {@code tags} protocol Search-R1's first {@code <search>}/{@code <answer>} block, in the
 * {@code tools} protocol the calls the {@link ToolDispatcher} reads (native {@code tool_calls} or hermes text).
 * A search runs on the context's worker threads and is answered with the top passages as Search-R1 shows them
 * ({@code Doc i(Title: "T") text}, inside {@code <information>} for tags, as the tool message for tools): that
 * text is an observation (a user or tool message), so the learner, which trains on the agent's own output
 * tokens only, never trains on it (Search-R1 masks it with {@code state_masking}). An answer is scored by
 * {@link AnswerScoring} (exact match, F1, Search-R1's table over the question's transcript, IGPO's reward over
 * the agent's text), and either ends the episode or brings the conversation's next question. A message that is
 * neither gets the protocol's invalid-action message and costs its turn. At {@code maxTurns} the episode is
 * truncated and the pending question is scored as unanswered.
 *
 * <p>The tool protocol is scored by Search-R1's format too, by writing each message as that protocol would:
 * its reasoning text as {@code <think>…</think>}, a search call as {@code <search>q</search>} followed by
 * the results as {@code <information>}, an answer call as {@code <answer>a</answer>}, an invalid call as text
 * (which breaks the format) [INFERRED: Search-R1 has no tool protocol].
 *
 * <p>Not thread-safe: one episode at a time. Never blocks the calling thread.
 */
final class SearchQaEnvironment implements AsyncEnvironment {
  private final SearchQaConfig config;
  private final SearchData data;
  private final Retriever retriever;
  private final PluginContext context;
  private final ToolDispatcher tools;
  private final AnswerScoring.SearchR1Scores searchR1;

  private QaTask qa;
  private int question;
  private int turns;
  private boolean running;
  private boolean closed;
  private boolean allExact;
  private final Set<String> found = new HashSet<>();
  private StringBuilder transcript = new StringBuilder();
  private StringBuilder agentText = new StringBuilder();
  /** What this turn's searches returned (the tool protocol's search tool adds to it on a worker). */
  private final List<Integer> turnHits = new ArrayList<>();

  SearchQaEnvironment(SearchQaConfig config, SearchData data, Retriever retriever, PluginContext context) {
    this.config = config;
    this.data = data;
    this.retriever = retriever;
    this.context = context;
    this.searchR1 = new AnswerScoring.SearchR1Scores(config.searchR1().structureFormatScore(),
        config.searchR1().retrievalScore(), config.searchR1().finalFormatScore());
    this.tools = config.protocol().equals("tools") ? ToolDispatcher.of(
        Tool.blocking(new ToolSpec("search", "Searches the corpus; returns the top passages", Protocol.SEARCH_SCHEMA),
            context.blockingExecutor(), args -> docs(search(args.get("query").asText()))),
        Tool.of(new ToolSpec("answer", "Gives the final answer", Protocol.ANSWER_SCHEMA), args -> "Answer recorded."))
        : null;
  }

  @Override
  public CompletionStage<Reset> reset(Task task, long seed) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("reset after close"));
    }
    try {
      qa = data.task(task, config.questionTypes(), config.split());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    question = 0;
    turns = 0;
    allExact = true;
    found.clear();
    newQuestion();
    running = true;
    String q = qa.turns().get(0).question();
    String prompt = tools == null ? Protocol.tagsPrompt(q) : Protocol.toolsPrompt(q);
    return CompletableFuture.completedFuture(new Reset(List.of(Message.user(prompt)),
        tools == null ? List.of() : tools.specs(), progress(Signals.builder()).build()));
  }

  private void newQuestion() {
    transcript = new StringBuilder();
    agentText = new StringBuilder();
  }

  @Override
  public CompletionStage<StepResult> step(Message action) {
    Objects.requireNonNull(action, "action");
    if (!running) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          closed ? "step after close" : qa == null ? "step before reset" : "step after the episode ended"));
    }
    turns++;
    turnHits.clear();
    return tools == null ? stepTags(action) : stepTools(action);
  }

  // ---- the tags protocol ----

  private CompletionStage<StepResult> stepTags(Message action) {
    String content = action.content();
    transcript.append(content);
    agentText.append(content);
    Protocol.Action a = action.toolCalls().isEmpty() ? Protocol.parse(content) : null;
    if (a == null) {
      transcript.append(Protocol.INVALID_TAGS);
      String why = action.toolCalls().isEmpty()
          ? "no <search>...</search> or <answer>...</answer> block" : "tool calls are not read in the tags protocol";
      return CompletableFuture.completedFuture(goOn(List.of(Message.user(Protocol.INVALID_TAGS)),
          Signals.builder().put(StandardSignals.INVALID_ACTION, why)));
    }
    if (a.kind().equals("answer")) {
      return CompletableFuture.completedFuture(answered(a.content(), List.of(), Signals.builder()));
    }
    return context.blocking(() -> search(a.content())).thenApply(hits -> {
      String info = Protocol.information(docs(hits));
      transcript.append(info);
      return goOn(List.of(Message.user(info)), retrieval(Signals.builder()));
    });
  }

  // ---- the tools protocol ----

  private CompletionStage<StepResult> stepTools(Message action) {
    return tools.dispatch(action).thenApply(d -> {
      String reasoning = Protocol.reasoning(action);
      agentText.append(action.content());
      if (!d.called()) {
        transcript.append(reasoning).append(Protocol.INVALID_TOOLS);
        return goOn(List.of(Message.user(Protocol.INVALID_TOOLS)), Signals.builder()
            .put(StandardSignals.INVALID_ACTION, "no call of the search or answer tool"));
      }
      transcript.append("<think>").append(reasoning).append("</think>");
      String answer = null;
      for (ToolDispatch.Outcome o : d.outcomes()) {
        ToolCall call = o.call();
        agentText.append(action.toolCalls().isEmpty() ? "" : "<tool_call>" + call.arguments() + "</tool_call>");
        if (o.error().isPresent()) {
          transcript.append("[invalid call] ");
        } else if (call.name().equals("search")) {
          transcript.append("<search>").append(argument(call, "query")).append("</search>")
              .append(Protocol.information(o.content()));
        } else if (answer == null) {
          answer = argument(call, "text");
          transcript.append("<answer>").append(answer).append("</answer>");
          agentText.append("<answer>").append(answer).append("</answer>");
        }
      }
      Signals.Builder signals = Signals.builder().putAll(d.signals());
      if (d.unreadable().isPresent()) {
        transcript.append("[unreadable call] ");
        signals.put(StandardSignals.INVALID_ACTION, "the tool call could not be read");
      }
      if (d.outcomes().stream().anyMatch(o -> o.call().name().equals("search"))) {
        retrieval(signals);
      }
      return answer != null ? answered(answer, d.messages(), signals) : goOn(d.messages(), signals);
    });
  }

  private static String argument(ToolCall call, String field) {
    return StrictJson.tryParseObject(call.arguments()).map((ObjectNode n) -> n.path(field).asText("")).orElse("");
  }

  // ---- retrieval ----

  /** Runs a search (blocking: call on a worker) and records what it returned for this turn's signals. */
  private List<Integer> search(String query) {
    List<Integer> hits = retriever.search(query, config.topK());
    synchronized (turnHits) {
      turnHits.addAll(hits);
    }
    return hits;
  }

  /** Search-R1's {@code _passages2string}: {@code Doc i(Title: <first line>) <rest>}, one per line. */
  private String docs(List<Integer> hits) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < hits.size(); i++) {
      String contents = data.corpus().get(hits.get(i)).contents();
      int nl = contents.indexOf('\n');
      sb.append("Doc ").append(i + 1).append("(Title: ").append(nl < 0 ? contents : contents.substring(0, nl))
          .append(") ").append(nl < 0 ? "" : contents.substring(nl + 1)).append('\n');
    }
    return sb.toString();
  }

  /** This turn's retrieval signals; remembers the titles found. */
  private Signals.Builder retrieval(Signals.Builder b) {
    List<Integer> hits;
    synchronized (turnHits) {
      hits = List.copyOf(turnHits);
    }
    List<String> titles = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int h : hits) {
      Passage p = data.corpus().get(h);
      titles.add(p.title());
      text.append(p.contents()).append('\n');
    }
    found.addAll(titles);
    QaTask.Turn turn = qa.turns().get(question);
    List<String> gold = turn.goldTitles();
    return b.put(SearchSignals.RETRIEVED, titles)
        .put(SearchSignals.GOLD_RETRIEVED, titles.stream().anyMatch(gold::contains))
        .put(SearchSignals.ANSWER_IN_RETRIEVAL, AnswerScoring.containsGold(text.toString(), turn.answers()));
  }

  /** The current question's index and how many of its supporting facts some search has found. */
  private Signals.Builder progress(Signals.Builder b) {
    QaTask.Turn turn = qa.turns().get(question);
    int facts = turn.supportingFacts().size();
    int foundFacts = (int) turn.supportingFacts().stream().filter(f -> found.contains(f.title())).count();
    b.put(SearchSignals.QUESTION_INDEX, question).put(SearchSignals.SUPPORTING_FACTS_FOUND, foundFacts);
    if (facts > 0) {
      b.put(SearchSignals.SUPPORT_RECALL, (double) foundFacts / facts);
    }
    return b;
  }

  // ---- outcomes ----

  private StepResult goOn(List<Message> observation, Signals.Builder signals) {
    progress(signals);
    if (turns >= config.maxTurns()) {
      double reward = score(null, signals);
      running = false;
      signals.put(StandardSignals.SUCCESS, false);
      return new StepResult(observation, reward, false, true, signals.build());
    }
    return new StepResult(observation, 0.0, false, false, signals.build());
  }

  private StepResult answered(String answer, List<Message> toolMessages, Signals.Builder signals) {
    progress(signals);
    double reward = score(answer, signals);
    if (question + 1 < qa.turns().size()) {
      question++;
      newQuestion();
      List<Message> observation = new ArrayList<>(toolMessages);
      observation.add(Message.user(Protocol.followUp(qa.turns().get(question).question())));
      if (turns >= config.maxTurns()) {
        running = false;
        signals.put(StandardSignals.SUCCESS, false);
        return new StepResult(observation, reward, false, true, signals.build());
      }
      return new StepResult(observation, reward, false, false, signals.build());
    }
    running = false;
    signals.put(StandardSignals.SUCCESS, allExact);
    return new StepResult(toolMessages, reward, true, false, signals.build());
  }

  /** Scores the current question ({@code answer} null: unanswered), publishes every score, returns the reward. */
  private double score(String answer, Signals.Builder signals) {
    List<String> golds = qa.turns().get(question).answers();
    double exact = answer == null ? 0.0 : AnswerScoring.exact(answer, golds);
    double f1 = answer == null ? 0.0 : AnswerScoring.f1(answer, golds);
    double sr1 = AnswerScoring.searchR1(transcript.toString(), answer, golds, searchR1);
    double igpo = AnswerScoring.igpo(agentText.toString(), golds);
    allExact &= exact == 1.0;
    signals.put(SearchSignals.ANSWER_EXACT, exact).put(SearchSignals.ANSWER_F1, f1)
        .put(SearchSignals.SEARCH_R1_REWARD, sr1).put(SearchSignals.IGPO_REWARD, igpo);
    double chosen = switch (config.reward()) {
      case "f1" -> f1;
      case "search-r1" -> sr1;
      case "igpo" -> igpo;
      default -> exact;
    };
    return chosen / qa.turns().size();
  }

  @Override
  public void close() {
    closed = true;
    running = false;
  }
}
