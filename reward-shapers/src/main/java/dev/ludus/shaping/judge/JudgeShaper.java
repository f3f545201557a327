package dev.ludus.shaping.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import dev.ludus.api.Episode;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.Sampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code judge} shaper's work (see {@link JudgeShaperProvider} for the contract and the modes).
 *
 * <p>Design note: each mode turns a group into judge prompts ({@code single}: one per episode; {@code group}: one
 * for the whole group, RULER-style, after removing the messages every episode shares; {@code pairwise}: one per
 * pair), every prompt quoting the judged text through the {@link Guard} and asking for JSON that a schema made
 * from the rubric validates ({@link JudgeCall}, which retries malformed answers). The answers become one total per
 * episode (or a failure, never a zero), the group's totals pass the {@link LengthBias} control, and each episode
 * gets its contribution on its last turn. Nothing here blocks: requests go through the run's shared chat client
 * and parsing happens on whichever thread answers. Thread-safe (no mutable state).
 */
final class JudgeShaper implements GroupShaper {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JudgeShaperProvider.Config config;
  private final Rubric rubric;
  private final Template template;
  private final Guard guard;
  private final JudgeCall call;
  private final JsonSchema criteriaSchema;
  private final JsonSchema groupSchema;
  private final JsonSchema pairSchema;

  JudgeShaper(JudgeShaperProvider.Config config, Rubric rubric, Template template, ChatClient client) {
    this.config = config;
    this.rubric = rubric;
    this.template = template;
    this.guard = new Guard(config.guard());
    Sampling sampling = Sampling.builder().temperature(config.temperature()).maxTokens(config.maxTokens())
        .seed(config.seed()).build();
    this.call = new JudgeCall(client, sampling, config.maxAttempts());
    ObjectNode criteria = criteriaNode();
    ObjectNode single = JSON.createObjectNode().put("type", "object");
    single.putArray("required").add("criteria");
    single.putObject("properties").set("criteria", criteria);
    this.criteriaSchema = JudgeCall.schema(single);
    ObjectNode group = JSON.createObjectNode().put("type", "object");
    group.putArray("required").add("trajectories");
    ObjectNode item = JSON.createObjectNode().put("type", "object");
    item.putArray("required").add("id").add("criteria");
    ObjectNode itemProps = item.putObject("properties");
    itemProps.putObject("id").put("type", "integer");
    itemProps.set("criteria", criteriaNode());
    group.putObject("properties").putObject("trajectories").put("type", "array").set("items", item);
    this.groupSchema = JudgeCall.schema(group);
    ObjectNode pair = JSON.createObjectNode().put("type", "object");
    pair.putArray("required").add("winner");
    ObjectNode pairProps = pair.putObject("properties");
    pairProps.putObject("reasoning").put("type", "string");
    pairProps.putObject("winner").putArray("enum").add("A").add("B").add("tie");
    this.pairSchema = JudgeCall.schema(pair);
  }

  private ObjectNode criteriaNode() {
    ObjectNode node = JSON.createObjectNode().put("type", "object");
    ArrayNode required = node.putArray("required");
    ObjectNode props = node.putObject("properties");
    for (Rubric.Criterion c : rubric.criteria()) {
      required.add(c.name());
      ObjectNode one = props.putObject(c.name()).put("type", "object");
      one.putArray("required").add("score");
      ObjectNode p = one.putObject("properties");
      p.putObject("reasoning").put("type", "string");
      p.putObject("score").put("type", "number").put("minimum", c.min()).put("maximum", c.max());
    }
    return node;
  }

  @Override
  public Scope scope() {
    return Scope.EPISODE;
  }

  /** One episode's verdict: its criterion scores (null in pairwise mode) and total, or why there is none. */
  private record Verdict(double[] scores, double total, String failure) {
    static Verdict failed(String why) {
      return new Verdict(null, Double.NaN, why);
    }

    boolean ok() {
      return failure == null;
    }
  }

  @Override
  public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
    List<List<String>> messages = new ArrayList<>(group.size());
    group.forEach(e -> messages.add(Transcript.messages(e)));
    CompletionStage<List<Verdict>> verdicts = switch (config.mode()) {
      case "group" -> judgeGroup(messages);
      case "pairwise" -> judgePairs(messages);
      default -> judgeEach(messages);
    };
    return verdicts.thenApply(v -> contributions(group, v));
  }

  // ---- single: one prompt per episode

  private CompletionStage<List<Verdict>> judgeEach(List<List<String>> messages) {
    List<CompletableFuture<Verdict>> each = new ArrayList<>();
    for (List<String> m : messages) {
      Guard.Quoted q = guard.quote(Transcript.join(m, 0, m.size()));
      String nonce = Guard.nonce(q.text());
      String prompt = template.render(Map.of("rubric", rubric.render(), "nonce", nonce, "transcript", q.text(),
          "guard_note", guard.note(q.injections()), "format", criteriaFormat(), "count", "1"));
      each.add(call.ask(prompt, criteriaSchema, j -> null)
          .thenApply(a -> a.ok() ? verdict(a.json().path("criteria")) : Verdict.failed(a.failure()))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(x -> each.stream().map(CompletableFuture::join).toList());
  }

  private Verdict verdict(JsonNode criteria) {
    double[] scores = new double[rubric.criteria().size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = criteria.path(rubric.criteria().get(i).name()).path("score").asDouble();
    }
    return new Verdict(scores, rubric.total(scores), null);
  }

  private String criteriaFormat() {
    StringBuilder b = new StringBuilder("{\"criteria\": {");
    List<Rubric.Criterion> cs = rubric.criteria();
    for (int i = 0; i < cs.size(); i++) {
      Rubric.Criterion c = cs.get(i);
      b.append(i == 0 ? "" : ", ").append('"').append(c.name()).append("\": {\"reasoning\": \"...\", \"score\": <")
          .append(c.scale()).append(">}");
    }
    return b.append("}}").toString();
  }

  // ---- group (RULER): one prompt for the whole group, shared prefix once

  private CompletionStage<List<Verdict>> judgeGroup(List<List<String>> messages) {
    int g = messages.size();
    int shared = Transcript.sharedPrefix(messages);
    Guard.Quoted common = guard.quote(Transcript.join(messages.get(0), 0, shared));
    List<Guard.Quoted> own = new ArrayList<>(g);
    StringBuilder all = new StringBuilder(common.text());
    int injections = common.injections();
    for (List<String> m : messages) {
      Guard.Quoted q = guard.quote(Transcript.join(m, shared, m.size()));
      own.add(q);
      all.append('\u0000').append(q.text());
      injections += q.injections();
    }
    String nonce = Guard.nonce(all.toString());
    StringBuilder trajectories = new StringBuilder();
    for (int i = 0; i < g; i++) {
      trajectories.append("<trajectory-").append(nonce).append(" id=\"").append(i + 1).append("\">\n")
          .append(own.get(i).text()).append("\n</trajectory-").append(nonce).append(">\n");
    }
    String format = "{\"trajectories\": [{\"id\": 1, " + criteriaFormat().substring(1) + ", ...]}";
    Map<String, String> values = new HashMap<>();
    values.put("rubric", rubric.render());
    values.put("nonce", nonce);
    values.put("shared", common.text());
    values.put("trajectories", trajectories.toString().stripTrailing());
    values.put("guard_note", guard.note(injections));
    values.put("format", format);
    values.put("count", String.valueOf(g));
    return call.ask(template.render(values), groupSchema, j -> idsProblem(j, g)).thenApply(a -> {
      List<Verdict> out = new ArrayList<>(g);
      if (!a.ok()) {
        for (int i = 0; i < g; i++) {
          out.add(Verdict.failed(a.failure()));
        }
        return out;
      }
      Map<Integer, JsonNode> byId = new HashMap<>();
      a.json().path("trajectories").forEach(t -> byId.put(t.path("id").asInt(), t.path("criteria")));
      for (int i = 0; i < g; i++) {
        out.add(verdict(byId.get(i + 1)));
      }
      return out;
    });
  }

  private static String idsProblem(JsonNode answer, int g) {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode t : answer.path("trajectories")) {
      int id = t.path("id").asInt();
      if (id < 1 || id > g || !ids.add(id)) {
        return "trajectory id " + id + " is outside 1.." + g + " or given twice";
      }
    }
    return ids.size() == g ? null : "scores " + ids.size() + " trajectories, not all " + g;
  }

  // ---- pairwise: one prompt per pair, the win rate as the score

  private CompletionStage<List<Verdict>> judgePairs(List<List<String>> messages) {
    int g = messages.size();
    if (g < 2) {
      return CompletableFuture.completedFuture(List.of(Verdict.failed(
          "pairwise judging needs a group of at least 2 episodes (run with --group-size 2 or more)")));
    }
    double[] wins = new double[g];
    int[] compared = new int[g];
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int pairIndex = 0;
    for (int i = 0; i < g; i++) {
      for (int j = i + 1; j < g; j++) {
        boolean swap = pairIndex++ % 2 == 1; // alternate positions, so neither episode is always A
        List<int[]> orders = config.bothOrders() ? List.of(new int[] {i, j}, new int[] {j, i})
            : List.of(swap ? new int[] {j, i} : new int[] {i, j});
        for (int[] order : orders) {
          int a = order[0];
          int b = order[1];
          pending.add(askPair(messages, a, b).thenAccept(winner -> {
            synchronized (wins) {
              if (winner == null) {
                failures.add("pair " + a + "/" + b);
                return;
              }
              compared[a]++;
              compared[b]++;
              wins[a] += winner.equals("A") ? 1 : winner.equals("tie") ? 0.5 : 0;
              wins[b] += winner.equals("B") ? 1 : winner.equals("tie") ? 0.5 : 0;
            }
          }).toCompletableFuture());
        }
      }
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(x -> {
      synchronized (wins) {
        List<Verdict> out = new ArrayList<>(g);
        for (int i = 0; i < g; i++) {
          out.add(compared[i] == 0 ? Verdict.failed("every pairwise comparison of this episode failed: " + failures)
              : new Verdict(null, wins[i] / compared[i], null));
        }
        return out;
      }
    });
  }

  /** "A", "B", "tie", or null when the judge failed. */
  private CompletionStage<String> askPair(List<List<String>> messages, int a, int b) {
    List<List<String>> two = List.of(messages.get(a), messages.get(b));
    int shared = Transcript.sharedPrefix(two);
    Guard.Quoted common = guard.quote(Transcript.join(messages.get(a), 0, shared));
    Guard.Quoted qa = guard.quote(Transcript.join(messages.get(a), shared, messages.get(a).size()));
    Guard.Quoted qb = guard.quote(Transcript.join(messages.get(b), shared, messages.get(b).size()));
    String nonce = Guard.nonce(common.text() + '\u0000' + qa.text() + '\u0000' + qb.text());
    String trajectories = "<trajectory-" + nonce + " id=\"A\">\n" + qa.text() + "\n</trajectory-" + nonce + ">\n"
        + "<trajectory-" + nonce + " id=\"B\">\n" + qb.text() + "\n</trajectory-" + nonce + ">";
    Map<String, String> values = new HashMap<>();
    values.put("rubric", rubric.render());
    values.put("nonce", nonce);
    values.put("shared", common.text());
    values.put("trajectories", trajectories);
    values.put("guard_note", guard.note(common.injections() + qa.injections() + qb.injections()));
    values.put("format", "{\"reasoning\": \"...\", \"winner\": \"A\" | \"B\" | \"tie\"}");
    values.put("count", "2");
    return call.ask(template.render(values), pairSchema, j -> null)
        .thenApply(ans -> ans.ok() ? ans.json().path("winner").asText() : null);
  }

  // ---- verdicts to contributions

  private List<List<RewardContribution>> contributions(List<Episode> group, List<Verdict> verdicts) {
    int g = group.size();
    List<Integer> scored = new ArrayList<>();
    for (int i = 0; i < g; i++) {
      if (i < verdicts.size() && verdicts.get(i).ok()) {
        scored.add(i);
      }
    }
    double[] totals = new double[scored.size()];
    double[] lengths = new double[scored.size()];
    for (int k = 0; k < totals.length; k++) {
      totals[k] = verdicts.get(scored.get(k)).total();
      lengths[k] = Transcript.agentChars(group.get(scored.get(k)));
    }
    double[] controlled = config.lengthBias().equals("off") ? totals
        : LengthBias.control(totals, lengths, config.lengthThreshold(), config.lengthMinGroup());
    double[] adjusted = new double[g];
    Arrays.fill(adjusted, Double.NaN);
    for (int k = 0; k < totals.length; k++) {
      adjusted[scored.get(k)] = controlled[k];
    }
    List<List<RewardContribution>> out = new ArrayList<>(g);
    for (int i = 0; i < g; i++) {
      Episode e = group.get(i);
      List<RewardContribution> cs = new ArrayList<>();
      out.add(cs);
      if (e.turns().isEmpty()) {
        continue; // nothing the agent said: nothing to reward
      }
      int last = e.turns().size() - 1;
      Verdict v = i < verdicts.size() ? verdicts.get(i) : Verdict.failed("no verdict");
      boolean perCriterion = config.components().equals("criteria") && v.scores() != null;
      if (!v.ok()) {
        if (config.components().equals("criteria") && !config.mode().equals("pairwise")) {
          rubric.criteria().forEach(c -> cs.add(RewardContribution.failed(last, c.name(), v.failure())));
        } else {
          cs.add(RewardContribution.failed(last, "score", v.failure()));
        }
        continue;
      }
      if (perCriterion) {
        double[] parts = rubric.parts(v.scores());
        for (int c = 0; c < parts.length; c++) {
          cs.add(new RewardContribution(last, rubric.criteria().get(c).name(), parts[c]));
        }
        if (adjusted[i] != v.total()) {
          cs.add(new RewardContribution(last, "length-bias", adjusted[i] - v.total()));
        }
      } else {
        cs.add(new RewardContribution(last, "score", adjusted[i]));
      }
    }
    return out;
  }
}
