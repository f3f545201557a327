package dev.ludus.runner.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.runner.config.Json;

/**
 * {@code GET /schema}: the JSON Schemas (draft 2020-12, as pydantic writes them) of the action, the observation and
 * the state, for clients such as verifiers' OpenEnv adapter that read them live. The observation's schema declares
 * the signals the environment may show and, when the server shapes rewards, the shaping fields; a multi-agent
 * environment's, the seat fields. Built once per server.
 */
final class Schemas {
  private Schemas() {}

  static ObjectNode of(Served served) {
    ObjectNode root = Json.JSON.createObjectNode();
    root.set("action", action(served));
    root.set("observation", observation(served));
    root.set("state", state(served));
    return root;
  }

  private static ObjectNode action(Served served) {
    ObjectNode s = object("LudusAction", "The agent's assistant message: 'message' (TextArena's field) or "
        + "'content', with optional OpenAI 'tool_calls'.");
    ObjectNode p = (ObjectNode) s.get("properties");
    p.set("message", type("string", "The agent's text (same as content)."));
    p.set("content", type("string", "The agent's text (same as message)."));
    ObjectNode calls = type("array", "OpenAI tool calls: {id, type: 'function', function: {name, arguments}}.");
    ObjectNode call = calls.putObject("items");
    call.put("type", "object");
    ObjectNode cp = call.putObject("properties");
    cp.set("id", type("string", null));
    cp.set("type", type("string", null));
    ObjectNode fn = cp.putObject("function");
    fn.put("type", "object");
    ObjectNode fp = fn.putObject("properties");
    fp.set("name", type("string", null));
    fp.putObject("arguments").put("description", "JSON text, or an object");
    fn.putArray("required").add("name");
    call.putArray("required").add("function");
    p.set("tool_calls", calls);
    if (served.env.multiAgent()) {
      ObjectNode player = type("string", "The seat that moves (optional; must be current_player_id).");
      ArrayNode seats = player.putArray("enum");
      served.env.seats().forEach(seats::add);
      p.set("player_id", player);
    }
    return s;
  }

  private static ObjectNode observation(Served served) {
    ObjectNode s = object("LudusObservation", "What the agent (in a multi-agent environment, the seat to move) is "
        + "shown, with Ludus' signals and, when the server shapes rewards, the turn's shaped reward and ledger.");
    ObjectNode p = (ObjectNode) s.get("properties");
    ObjectNode messages = type("array", "New chat messages (OpenAI format) since the last observation.");
    messages.putObject("items").put("type", "object");
    p.set("messages", messages);
    ObjectNode tools = type("array", "Tools the agent may call (OpenAI function specs).");
    tools.putObject("items").put("type", "object");
    p.set("tools", tools);
    p.set("turn", type("integer", "Environment steps so far."));
    p.set("terminated", type("boolean", "The task reached an end state."));
    p.set("truncated", type("boolean", "The episode was cut (a limit outside the task)."));
    p.set("env_reward", nullable("number", "The environment's own reward for this step (null after a reset)."));
    ObjectNode signals = type("object", "Facts the environment publishes (its secret signals are never shown).");
    ObjectNode sp = signals.putObject("properties");
    served.shownSignals.forEach(name -> sp.putObject(name));
    signals.put("additionalProperties", false);
    p.set("signals", signals);
    if (served.env.multiAgent()) {
      p.set("current_player_id", nullable("string", "The seat to move (null when the match is over)."));
      ObjectNode legal = type("array", "The seats of this round.");
      legal.putObject("items").put("type", "string");
      p.set("legal_players", legal);
      ObjectNode seats = type("array", "Every seat, in order.");
      seats.putObject("items").put("type", "string");
      p.set("seats", seats);
      p.set("seat_rewards", numberMap("Each seat's environment reward from this step."));
      p.set("seat_returns", numberMap("At the end: each seat's environment return."));
    }
    if (served.shaping != null) {
      p.set("shaped_reward", nullable("number", "The turn's shaped reward: the sum of its ledger values (also the "
          + "top-level reward)."));
      ObjectNode comps = type("array", "The turn's ledger: every shaper's contribution.");
      ObjectNode item = comps.putObject("items");
      item.put("type", "object");
      ObjectNode ip = item.putObject("properties");
      ip.set("source", type("string", "The shaper (its alias)."));
      ip.set("component", type("string", "The component within the source."));
      ip.set("raw", type("number", "The value as the shaper computed it."));
      ip.set("value", type("number", "After the weight and the transforms: what is summed into the reward."));
      p.set("reward_components", comps);
      p.set("shaped_return", nullable("number", "At the end: the shaped return of the whole episode."));
      p.set("shaping_error", type("string", "Why shaping failed on this turn (then shaped_reward is null)."));
      if (served.env.multiAgent()) {
        p.set("seat_shaped_rewards", numberMap("Each scored seat's shaped reward for its current turn."));
        p.set("seat_shaped_returns", numberMap("At the end: each seat's shaped return."));
      }
    }
    ArrayNode required = s.putArray("required");
    required.add("messages").add("turn").add("terminated").add("truncated").add("signals");
    return s;
  }

  private static ObjectNode state(Served served) {
    ObjectNode s = object("LudusState", "OpenEnv's State (episode_id, step_count) and Ludus' episode fields.");
    ObjectNode p = (ObjectNode) s.get("properties");
    p.set("episode_id", nullable("string", "The episode's id."));
    p.set("step_count", type("integer", "Environment steps so far."));
    p.set("env", type("string", "The environment's registered name."));
    p.set("task_id", nullable("string", "The task played."));
    p.set("seed", nullable("integer", "The episode's seed."));
    p.set("done", type("boolean", null));
    p.set("terminated", type("boolean", null));
    p.set("truncated", type("boolean", null));
    if (served.env.multiAgent()) {
      p.set("current_player_id", nullable("string", "The seat to move."));
      p.set("seat_returns", numberMap("Each seat's environment return so far."));
    } else {
      p.set("return", type("number", "The environment's return so far."));
    }
    s.put("additionalProperties", true);
    s.putArray("required").add("step_count");
    return s;
  }

  private static ObjectNode object(String title, String description) {
    ObjectNode s = Json.JSON.createObjectNode();
    s.put("title", title);
    s.put("description", description);
    s.put("type", "object");
    s.putObject("properties");
    s.put("additionalProperties", false);
    return s;
  }

  private static ObjectNode type(String type, String description) {
    ObjectNode s = Json.JSON.createObjectNode();
    s.put("type", type);
    if (description != null) {
      s.put("description", description);
    }
    return s;
  }

  private static ObjectNode nullable(String type, String description) {
    ObjectNode s = Json.JSON.createObjectNode();
    ArrayNode any = s.putArray("anyOf");
    any.addObject().put("type", type);
    any.addObject().put("type", "null");
    s.put("description", description);
    return s;
  }

  private static ObjectNode numberMap(String description) {
    ObjectNode s = type("object", description);
    s.putObject("additionalProperties").put("type", "number");
    return s;
  }
}
