package dev.ludus.runner.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Episode;
import dev.ludus.api.TokenTrace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An episode's token-level rows, built only from the ids and log-probs its agent recorded (never re-tokenized).
 *
 * <p>A row is a stretch of turns in which each turn's prompt continues the previous turn's prompt and output token
 * for token (the prefix property the packed learner also relies on): {@code prompt_ids} is the first turn's prompt;
 * {@code response_ids} is every later token: the agent's outputs (mask 1, their behaviour log-probs) and, between
 * them, what the environment, user and chat template added (mask 0, log-prob 0). Each turn's reward (shaped when the
 * episode was shaped) sits on its last output token of {@code token_rewards}. Where the property fails (the prompt
 * was cut from the left to fit the context, or a reply re-encodes to other ids), a new row starts: an episode is
 * one row when it fits, several ({@code segment} 0, 1, ...) otherwise. Stateless and thread-safe.
 */
final class TokenRows {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The rows of an episode, or why it has none. */
  record Result(List<ObjectNode> rows, String skipped) {}

  private TokenRows() {}

  static Result of(Episode e) {
    if (e.turns().isEmpty()) {
      return new Result(List.of(), "no turns");
    }
    for (var t : e.turns()) {
      if (t.tokens() == null || t.tokens().promptIds().length == 0) {
        return new Result(List.of(), "no token ids (the agent's backend recorded none)");
      }
    }
    double[] rewards = Rows.turnRewards(e);
    List<ObjectNode> rows = new ArrayList<>();
    Segment s = null;
    for (int k = 0; k < e.turns().size(); k++) {
      TokenTrace tt = e.turns().get(k).tokens();
      int[] prompt = tt.promptIds();
      if (s == null || !s.continuedBy(prompt)) {
        if (s != null) {
          rows.add(s.row(e, rows.size(), false));
        }
        s = new Segment(prompt, k, tt.policyVersion());
      } else {
        s.context(prompt);
      }
      s.output(tt.outputIds(), tt.logProbs(), rewards[k]);
    }
    rows.add(s.row(e, rows.size(), true));
    return new Result(rows, null);
  }

  /** One row being built. */
  private static final class Segment {
    private final int[] prompt;
    private final int firstTurn;
    private final long policyVersion;
    private int[] ids = new int[64];
    private float[] logProbs = new float[64];
    private float[] tokenRewards = new float[64];
    private byte[] mask = new byte[64];
    private int n;
    private final List<Double> turnRewards = new ArrayList<>();

    Segment(int[] prompt, int firstTurn, long policyVersion) {
      this.prompt = prompt;
      this.firstTurn = firstTurn;
      this.policyVersion = policyVersion;
    }

    /** Whether {@code next} starts with this row's prompt and response so far. */
    boolean continuedBy(int[] next) {
      if (next.length < prompt.length + n) {
        return false;
      }
      return Arrays.equals(next, 0, prompt.length, prompt, 0, prompt.length)
          && Arrays.equals(next, prompt.length, prompt.length + n, ids, 0, n);
    }

    /** The tokens {@code next} adds after this row's so far: context, not trained on. */
    void context(int[] next) {
      for (int i = prompt.length + n; i < next.length; i++) {
        add(next[i], (byte) 0, 0f);
      }
    }

    void output(int[] out, float[] lp, double reward) {
      for (int i = 0; i < out.length; i++) {
        add(out[i], (byte) 1, lp[i]);
      }
      if (n > 0) {
        tokenRewards[n - 1] += (float) reward;
      }
      turnRewards.add(reward);
    }

    private void add(int id, byte m, float lp) {
      if (n == ids.length) {
        ids = Arrays.copyOf(ids, n * 2);
        logProbs = Arrays.copyOf(logProbs, n * 2);
        tokenRewards = Arrays.copyOf(tokenRewards, n * 2);
        mask = Arrays.copyOf(mask, n * 2);
      }
      ids[n] = id;
      mask[n] = m;
      logProbs[n] = lp;
      n++;
    }

    ObjectNode row(Episode e, int segment, boolean last) {
      ObjectNode row = F.objectNode();
      row.put("trajectory_id", e.id());
      row.put("segment", segment);
      row.put("last_segment", last);
      row.put("group_id", Rows.groupId(e));
      row.put("env", e.env());
      row.put("task_id", e.task().id());
      row.put("policy_version", policyVersion);
      ArrayNode p = row.putArray("prompt_ids");
      for (int id : prompt) {
        p.add(id);
      }
      ArrayNode r = row.putArray("response_ids");
      ArrayNode m = row.putArray("response_mask");
      ArrayNode l = row.putArray("response_logprobs");
      ArrayNode t = row.putArray("token_rewards");
      for (int i = 0; i < n; i++) {
        r.add(ids[i]);
        m.add(mask[i]);
        l.add(logProbs[i]);
        t.add(tokenRewards[i]);
      }
      ArrayNode tr = row.putArray("turn_rewards");
      turnRewards.forEach(tr::add);
      row.put("first_turn", firstTurn);
      row.put("num_turns", turnRewards.size());
      row.put("reward", Rows.shapedReturn(e));
      row.put("status", e.status().wireName());
      row.put("success", e.success());
      return row;
    }
  }
}
