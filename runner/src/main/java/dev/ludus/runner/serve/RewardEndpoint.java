package dev.ludus.runner.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.Environment;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Role;
import dev.ludus.api.Seeds;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Json;
import dev.ludus.shaping.ShapingPipeline;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * OpenRLHF's remote reward model contract ({@code --reward.remote_url http://HOST:PORT/get_reward}):
 * {@code POST {"query": [...], "prompts": [...], "labels": [...]}} answered with
 * {@code {"rewards": [...], "scores": [...], "extra_logs": {name: [...]}}}, one value per query.
 *
 * <p>Each sample is replayed through the environment and its episode scored by the server's shaping pipeline:
 * the label is the episode's reset fields as JSON (e.g. {@code {"seed": 7}}, the same as a WebSocket reset's data),
 * the response is the query with its prompt stripped from the front, and the agent's turns are the assistant
 * messages of the response when it is a JSON array of chat messages, else the whole response as one message. The
 * environment's replies are its own (replayed), so the signals and the ledger are exactly a rollout's. The reward
 * is the shaped return, the score 1 when the episode's last turn says success and 0 otherwise (OpenRLHF filters
 * on it), and the extra logs each ledger component's sum, the environment's return and the turns. Single-agent
 * environments only. The replay runs on a worker thread.
 */
final class RewardEndpoint {
  private RewardEndpoint() {}

  static void handle(HttpServerRequest req, JsonNode body, Served served, ShapingPipeline pipeline, Context context) {
    if (served.env.multiAgent()) {
      EnvServer.json(req, 422, EnvServer.validation(List.of("body"), "get_reward replays single-agent environments; '"
          + served.env.name() + "' has seats " + served.env.seats(), "value_error"));
      return;
    }
    List<String> queries;
    List<String> prompts;
    List<String> labels;
    try {
      queries = strings(body, "query", -1);
      prompts = strings(body, "prompts", queries.size());
      labels = strings(body, "labels", queries.size());
    } catch (WireError e) {
      ObjectNode d = Json.JSON.createObjectNode();
      d.set("detail", Json.JSON.valueToTree(e.errors));
      EnvServer.json(req, 422, d);
      return;
    }
    long timeout = served.options.messageTimeoutMillis();
    context.executeBlocking(() -> score(queries, prompts, labels, served, pipeline, timeout), false)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            EnvServer.json(req, 200, ar.result());
          } else if (ar.cause() instanceof WireError e && e.code == WireError.Code.VALIDATION_ERROR) {
            ObjectNode d = Json.JSON.createObjectNode();
            d.set("detail", Json.JSON.valueToTree(e.errors));
            EnvServer.json(req, 422, d);
          } else {
            EnvServer.json(req, 500, EnvServer.detail(ServedEpisode.describe(ar.cause())));
          }
        });
  }

  private static List<String> strings(JsonNode body, String field, int size) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      if (size >= 0) {
        List<String> empty = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          empty.add("");
        }
        return empty;
      }
      throw WireError.invalid("the body needs '" + field + "': a list of strings", List.of("body", field), "missing");
    }
    if (!n.isArray()) {
      throw WireError.invalid(field + " must be a list of strings", List.of("body", field), "list_type");
    }
    if (size >= 0 && n.size() != size) {
      throw WireError.invalid(field + " has " + n.size() + " items but query has " + size + "; give one per query",
          List.of("body", field), "value_error");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode v = n.get(i);
      out.add(v == null || v.isNull() ? "" : v.isTextual() ? v.asText() : v.toString());
    }
    return out;
  }

  private static ObjectNode score(List<String> queries, List<String> prompts, List<String> labels, Served served,
      ShapingPipeline pipeline, long timeout) throws Exception {
    int n = queries.size();
    double[] rewards = new double[n];
    double[] scores = new double[n];
    Map<String, double[]> logs = new LinkedHashMap<>();
    logs.put("env_return", new double[n]);
    logs.put("turns", new double[n]);
    for (int i = 0; i < n; i++) {
      ResetArgs args = label(labels.get(i), i, served);
      String response = queries.get(i).startsWith(prompts.get(i))
          ? queries.get(i).substring(prompts.get(i).length()) : queries.get(i);
      Episode played = replay(served, args, actions(response), timeout, i);
      Episode scored = pipeline.score(played);
      if (scored.status() == EpisodeStatus.FAILED) {
        throw new IllegalStateException("query " + i + ": " + scored.failure());
      }
      rewards[i] = ShapingPipeline.shapedReturn(scored);
      scores[i] = scored.success() ? 1 : 0;
      logs.get("env_return")[i] = played.totalReward();
      logs.get("turns")[i] = played.turns().size();
      for (LedgerEntry e : scored.ledger()) {
        String key = e.label();
        logs.computeIfAbsent(key, k -> new double[n])[i] += e.value();
      }
    }
    ObjectNode out = Json.JSON.createObjectNode();
    ArrayNode r = out.putArray("rewards");
    ArrayNode s = out.putArray("scores");
    for (int i = 0; i < n; i++) {
      r.add(rewards[i]);
      s.add(scores[i]);
    }
    ObjectNode extra = out.putObject("extra_logs");
    logs.forEach((k, v) -> {
      ArrayNode a = extra.putArray(k);
      for (double x : v) {
        a.add(x);
      }
    });
    return out;
  }

  private static ResetArgs label(String label, int i, Served served) {
    if (label.isBlank()) {
      return new ResetArgs(null, (long) i, null, null);
    }
    try {
      return ResetArgs.parse(Json.JSON.readTree(label), served);
    } catch (java.io.IOException | WireError e) {
      throw WireError.invalid("labels[" + i + "] must be the episode's reset fields as JSON, e.g. {\"seed\": 7} or "
          + "{\"task_index\": 3}: " + e.getMessage(), List.of("body", "labels", i), "value_error");
    }
  }

  /** The agent's messages in a response: a JSON array of chat messages' assistant ones, or the text as one. */
  static List<Message> actions(String response) {
    String t = response.strip();
    if (t.startsWith("[")) {
      try {
        JsonNode arr = Json.JSON.readTree(t);
        List<Message> out = new ArrayList<>();
        for (JsonNode m : arr) {
          if (m.isObject() && "assistant".equals(m.path("role").asText())) {
            ObjectNode action = Json.JSON.createObjectNode();
            action.set("content", m.path("content").isTextual() ? m.get("content")
                : Json.JSON.getNodeFactory().textNode(""));
            if (m.has("tool_calls")) {
              action.set("tool_calls", m.get("tool_calls"));
            }
            out.add(Action.parse(action, null).message());
          }
        }
        if (!out.isEmpty()) {
          return out;
        }
      } catch (java.io.IOException | WireError e) {
        // not a conversation: the whole text is the one message
      }
    }
    return List.of(new Message(Role.ASSISTANT, response, List.of(), null, null));
  }

  private static Episode replay(Served served, ResetArgs args, List<Message> actions, long timeout, int i)
      throws Exception {
    long index = args.taskIndex() != null ? args.taskIndex() : args.seed() != null ? args.seed() : i;
    Task task = args.task() != null ? args.task() : served.env.tasks().task(index, served.options.seed());
    long seed = args.seed() != null ? args.seed() : Seeds.mix(served.options.seed() ^ 0x5DEECE66DL, index);
    long started = System.currentTimeMillis();
    List<Turn> turns = new ArrayList<>();
    try (AnyEnvironment env = served.env.create()) {
      Reset reset = env instanceof Environment sync ? sync.reset(task, seed)
          : join(((AsyncEnvironment) env).reset(task, seed), timeout);
      boolean terminated = false;
      for (Message action : actions) {
        StepResult r = env instanceof Environment sync ? sync.step(action)
            : join(((AsyncEnvironment) env).step(action), timeout);
        turns.add(new Turn(turns.size(), action, null, r.observation(), r.reward(), r.terminated(), r.truncated(),
            r.signals(), 0, 0));
        if (r.done()) {
          terminated = r.terminated();
          break;
        }
      }
      boolean success = !turns.isEmpty()
          && turns.get(turns.size() - 1).signals().get(StandardSignals.SUCCESS).orElse(false);
      double total = turns.stream().mapToDouble(Turn::reward).sum();
      return new Episode(Episode.SCHEMA, "reward-" + i, served.env.name(), "get-reward", task, seed,
          terminated ? EpisodeStatus.COMPLETED : EpisodeStatus.TRUNCATED, null, success, total, reset.observation(),
          reset.tools(), reset.signals(), turns, List.of(), started, System.currentTimeMillis() - started);
    }
  }

  private static <T> T join(CompletionStage<T> stage, long timeout) throws Exception {
    return stage.toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
  }
}
