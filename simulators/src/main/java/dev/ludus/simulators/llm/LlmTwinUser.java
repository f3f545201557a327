package dev.ludus.simulators.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.api.chat.ChatClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The skeleton every LLM-driven twin of a rule-based user shares: the life-cycle (start once, respond until the user
 * ends, refusals as {@link SimulatorFailure}s), the episode's {@link UserModel}, and the conversation as the user sees
 * it, roles flipped (its own messages as the assistant's, the agent's as the user's). A twin says how it opens (its
 * hidden state and first line, usually the rule-based user's own) and how a turn goes: typically a structured call
 * whose JSON updates the rule-based user's state record, then a free-text reply; it publishes the rule-based user's
 * signals. Not thread-safe: one per episode.
 */
abstract class LlmTwinUser implements UserSimulator {
  static final ObjectMapper JSON = new ObjectMapper();

  final LlmSettings settings;
  final PromptTemplates templates;
  private final ChatClient client;
  UserModel model;
  private final List<Message> flipped = new ArrayList<>();
  private boolean ended;

  LlmTwinUser(LlmSettings settings, ChatClient client) {
    this.settings = settings;
    this.templates = settings.templates();
    this.client = client;
  }

  /** What the user says in one turn: its message, its signals, and whether it ends the conversation. */
  record Step(String reply, Signals signals, boolean ended) {}

  /** Draws the hidden state for {@code task} and says the opening line. */
  abstract CompletionStage<Step> open(Task task, long seed);

  /** Updates the hidden state after the agent's {@code text} and answers it. */
  abstract CompletionStage<Step> turn(String text);

  /** What the user hears of the agent's message {@code text} (all of it unless a twin says otherwise). */
  String heard(String text) {
    return text;
  }

  @Override
  public final CompletionStage<UserTurn> start(Task task, long seed) {
    model = new UserModel(client, settings, seed);
    flipped.clear();
    ended = false;
    CompletionStage<Step> opening;
    try {
      opening = open(task, seed);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return opening.thenApply(this::said);
  }

  @Override
  public final CompletionStage<UserTurn> respond(Message agentMessage) {
    if (model == null || ended) {
      return CompletableFuture.failedFuture(new SimulatorFailure(SimulatorFailure.Kind.LIFE_CYCLE,
          model == null ? "respond before start" : "the user already ended the conversation"));
    }
    String text = agentMessage.content();
    flipped.add(Message.user(heard(text)));
    CompletionStage<Step> step;
    try {
      step = turn(text);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return step.thenApply(this::said);
  }

  private UserTurn said(Step step) {
    flipped.add(Message.assistant(step.reply()));
    ended = step.ended();
    return new UserTurn(Message.user(step.reply()), step.signals(), step.ended());
  }

  /** The conversation so far as the user's model sees it: {@code system} first, roles flipped. */
  List<Message> flipped(String system) {
    List<Message> out = new ArrayList<>(flipped.size() + 1);
    out.add(Message.system(system));
    out.addAll(flipped);
    return out;
  }

  /** The conversation so far as a transcript for an analyser: {@code [{speaker: agent|user, text}]}. */
  List<Map<String, String>> transcript() {
    List<Map<String, String>> out = new ArrayList<>(flipped.size());
    for (Message m : flipped) {
      out.add(Map.of("speaker", m.role() == dev.ludus.api.Role.USER ? "agent" : "user", "text", m.content()));
    }
    return out;
  }

  /** {@code value} as plain maps and lists, for a template. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> plain(Object value) {
    return JSON.convertValue(value, Map.class);
  }
}
