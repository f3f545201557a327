package dev.ludus.runner.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One episode as a row of each conversational format (a Jackson tree, written as a JSON line or handed to DuckDB).
 * Messages are in the OpenAI chat format with tool-call arguments as JSON text, as every one of these trainers reads
 * them; tools are OpenAI function specs. Stateless and thread-safe.
 */
final class Rows {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Rows() {}

  /** verl's RL row. */
  static ObjectNode verlRl(Episode e, long index) {
    ObjectNode row = F.objectNode();
    row.put("data_source", e.env());
    row.set("prompt", promptMessages(e.start()));
    row.put("ability", e.env());
    ObjectNode rm = row.putObject("reward_model");
    rm.put("style", "rule");
    rm.put("ground_truth", groundTruth(e));
    row.set("extra_info", extraInfo(e, index));
    return row;
  }

  /** SkyRL's row. */
  static ObjectNode skyrl(Episode e, long index) {
    ObjectNode row = F.objectNode();
    row.put("data_source", e.env());
    row.set("prompt", promptMessages(e.start()));
    row.put("env_class", e.env());
    ObjectNode spec = row.putObject("reward_spec");
    spec.put("method", "rule");
    spec.put("ground_truth", groundTruth(e));
    row.set("extra_info", extraInfo(e, index));
    return row;
  }

  /** verl's multi-turn SFT row: the whole conversation, the tools, and where it came from. */
  static ObjectNode verlSft(Episode e, long index) {
    ObjectNode row = F.objectNode();
    row.set("messages", messages(conversation(e)));
    row.set("tools", tools(e.tools()));
    row.put("data_source", e.env());
    row.set("extra_info", extraInfo(e, index));
    return row;
  }

  /** TRL's conversational language-modelling row ({@code tools} only when the episode offered tools). */
  static ObjectNode trlMessages(Episode e) {
    ObjectNode row = F.objectNode();
    row.set("messages", messages(conversation(e)));
    if (!e.tools().isEmpty()) {
      row.set("tools", tools(e.tools()));
    }
    return row;
  }

  /** OpenRLHF's SFT row: the opening under {@code keys.input()}, the rest under {@code keys.output()}. */
  static ObjectNode openRlhfSft(Episode e, ExportKeys keys) {
    ObjectNode row = F.objectNode();
    row.set(keys.input(), messages(e.start()));
    row.set(keys.output(), messages(continuation(e)));
    return row;
  }

  /** A preference pair: the shared opening, the preferred episode's continuation and the other's. */
  static ObjectNode pair(String promptKey, String chosenKey, String rejectedKey, PreferencePairs.Half chosen,
      PreferencePairs.Half rejected) {
    ObjectNode row = F.objectNode();
    row.set(promptKey, chosen.opening());
    row.set(chosenKey, chosen.continuation());
    row.set(rejectedKey, rejected.continuation());
    row.put("chosen_id", chosen.id());
    row.put("rejected_id", rejected.id());
    return row;
  }

  /** The opening messages as OpenAI messages. */
  static ArrayNode opening(Episode e) {
    return messages(e.start());
  }

  /** What followed the opening: each turn's action then what came back. */
  static ArrayNode continuationMessages(Episode e) {
    return messages(continuation(e));
  }

  static List<Message> conversation(Episode e) {
    List<Message> all = new ArrayList<>(e.start());
    all.addAll(continuation(e));
    return all;
  }

  static List<Message> continuation(Episode e) {
    List<Message> rest = new ArrayList<>();
    for (Turn t : e.turns()) {
      rest.add(t.action());
      rest.addAll(t.observation());
    }
    return rest;
  }

  /**
   * The reward each turn got: the sum of its ledger values when the episode was shaped (what the learner trains
   * on), else the environment's own reward.
   */
  static double[] turnRewards(Episode e) {
    double[] r = new double[e.turns().size()];
    if (e.ledger().isEmpty()) {
      for (int i = 0; i < r.length; i++) {
        r[i] = e.turns().get(i).reward();
      }
    } else {
      for (LedgerEntry l : e.ledger()) {
        if (l.turn() >= 0 && l.turn() < r.length) {
          r[l.turn()] += l.value();
        }
      }
    }
    return r;
  }

  static double shapedReturn(Episode e) {
    double sum = 0;
    for (double r : turnRewards(e)) {
      sum += r;
    }
    return sum;
  }

  /**
   * Where an episode's siblings are: episodes of one rollout batch (the id up to its index) on the same task (and
   * seat). Group-relative estimators compare exactly these.
   */
  static String groupId(Episode e) {
    String batch = e.multiAgent() ? e.match() : e.id();
    int dash = batch.lastIndexOf('-');
    String prefix = dash > 0 ? batch.substring(0, dash) : batch;
    return prefix + "/" + e.task().id() + (e.multiAgent() ? "/" + e.seat() : "");
  }

  private static String groundTruth(Episode e) {
    return json(new TreeMap<>(e.task().fields()));
  }

  private static ObjectNode extraInfo(Episode e, long index) {
    ObjectNode x = F.objectNode();
    x.put("split", "train");
    x.put("index", index);
    x.put("episode_id", e.id());
    x.put("group_id", groupId(e));
    x.put("task_id", e.task().id());
    x.put("task_seed", e.task().seed());
    x.put("seed", e.seed());
    x.put("env", e.env());
    x.put("agent", e.agent());
    EpisodeFilter.iteration(e).ifPresent(i -> x.put("iteration", i));
    x.put("status", e.status().wireName());
    if (e.failure() != null) {
      x.put("failure", e.failure());
    }
    x.put("success", e.success());
    x.put("env_return", e.totalReward());
    x.put("shaped_return", shapedReturn(e));
    x.put("num_turns", e.turns().size());
    ArrayNode rewards = x.putArray("turn_rewards");
    for (double r : turnRewards(e)) {
      rewards.add(r);
    }
    ArrayNode ledger = x.putArray("ledger");
    for (LedgerEntry l : e.ledger()) {
      ObjectNode n = ledger.addObject();
      n.put("turn", l.turn());
      n.put("source", l.source());
      n.put("component", l.component());
      n.put("raw", l.raw());
      n.put("value", l.value());
    }
    ObjectNode interaction = x.putObject("interaction_kwargs");
    interaction.put("name", e.env());
    interaction.put("query", e.start().stream().filter(m -> m.role() == Role.USER).map(Message::content)
        .reduce((a, b) -> b).orElse(""));
    interaction.put("ground_truth", groundTruth(e));
    return x;
  }

  /** verl and SkyRL prompts: role and content only. */
  private static ArrayNode promptMessages(List<Message> ms) {
    ArrayNode a = F.arrayNode();
    for (Message m : ms) {
      ObjectNode n = a.addObject();
      n.put("role", m.role().wireName());
      n.put("content", m.content());
    }
    return a;
  }

  static ArrayNode messages(List<Message> ms) {
    ArrayNode a = F.arrayNode();
    for (Message m : ms) {
      ObjectNode n = a.addObject();
      n.put("role", m.role().wireName());
      n.put("content", m.content());
      if (!m.toolCalls().isEmpty()) {
        ArrayNode calls = n.putArray("tool_calls");
        for (ToolCall c : m.toolCalls()) {
          ObjectNode call = calls.addObject();
          call.put("id", c.id());
          call.put("type", "function");
          ObjectNode fn = call.putObject("function");
          fn.put("name", c.name());
          fn.put("arguments", c.arguments());
        }
      }
      if (m.toolCallId() != null) {
        n.put("tool_call_id", m.toolCallId());
      }
      if (m.name() != null) {
        n.put("name", m.name());
      }
    }
    return a;
  }

  static ArrayNode tools(List<ToolSpec> specs) {
    ArrayNode a = F.arrayNode();
    for (ToolSpec s : specs) {
      ObjectNode t = a.addObject();
      t.put("type", "function");
      ObjectNode fn = t.putObject("function");
      fn.put("name", s.name());
      fn.put("description", s.description());
      fn.set("parameters", parse(s.parameters()));
    }
    return a;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return F.textNode(json);
    }
  }

  private static String json(Map<String, String> m) {
    try {
      return Json.JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
