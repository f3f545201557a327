package dev.ludus.shaping.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.tools.StrictJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ToolRL's tool-call rewards (Qian et al. 2025, {@code rlla.py}): the format check and the correctness
 * score in [−3, 3]. Stateless.
 */
final class ToolRlScore {
  private ToolRlScore() {}

  static final double CORRECT_MAX = 3.0;
  static final double CORRECT_MIN = -3.0;

  /**
   * {@code match_score}: the multiset Jaccard similarity of two lists, |A ∩ B| / (|A| + |B| − |A ∩ B|) with
   * multiplicities; 1 when the lists are equal (also when both are empty), 0 when exactly one is empty.
   */
  static double matchScore(List<String> a, List<String> b) {
    if (a.equals(b)) {
      return 1.0;
    }
    if (a.isEmpty() || b.isEmpty()) {
      return 0.0;
    }
    Map<String, Integer> ca = counts(a);
    Map<String, Integer> cb = counts(b);
    int inter = 0;
    for (Map.Entry<String, Integer> e : ca.entrySet()) {
      inter += Math.min(e.getValue(), cb.getOrDefault(e.getKey(), 0));
    }
    int max = a.size() + b.size() - inter;
    return max > 0 ? (double) inter / max : 0.0;
  }

  /**
   * {@code compute_tool_call_reward}: +3 for an exact match (same calls in the same order); otherwise
   * {@code 6·score/score_max − 3} with score = matchScore(names) + Σ over gold calls of the best still
   * unmatched same-name prediction's [matchScore(argument keys) + number of arguments with the gold value],
   * and score_max = 1 + Σ over gold calls of (1 + number of gold arguments).
   */
  static double correctness(List<ToolCalls.Call> gold, List<ToolCalls.Call> predicted) {
    if (sameCalls(gold, predicted)) {
      return CORRECT_MAX;
    }
    double score = matchScore(gold.stream().map(ToolCalls.Call::name).toList(),
        predicted.stream().map(ToolCalls.Call::name).toList());
    double scoreMax = 1.0;
    Set<Integer> used = new HashSet<>();
    for (ToolCalls.Call g : gold) {
      scoreMax += 1.0 + g.arguments().size();
      double best = 0.0;
      int bestIndex = -1;
      for (int i = 0; i < predicted.size(); i++) {
        ToolCalls.Call p = predicted.get(i);
        if (used.contains(i) || !p.name().equals(g.name())) {
          continue;
        }
        double keys = matchScore(keys(g.arguments()), keys(p.arguments()));
        double values = 0;
        for (Map.Entry<String, JsonNode> e : g.arguments().properties()) {
          if (p.arguments().has(e.getKey()) && StrictJson.equal(p.arguments().get(e.getKey()), e.getValue())) {
            values += 1.0;
          }
        }
        if (keys + values > best) {
          best = keys + values;
          bestIndex = i;
        }
      }
      if (bestIndex >= 0) {
        used.add(bestIndex);
        score += best;
      }
    }
    return (CORRECT_MAX - CORRECT_MIN) * score / scoreMax + CORRECT_MIN;
  }

  /**
   * ToolRL's format check, adapted to chat messages, with a response expected exactly when no call is: the text
   * is exactly the expected blocks in order, separated by whitespace: {@code <think>…</think>} (when {@code thinkTag} is set), then one or more
   * {@code <tool_call>…</tool_call>} blocks when calls are expected (none when the calls came as structured
   * {@code tool_calls}), then {@code <response>…</response>} when a response is expected and {@code responseTag}
   * is set. No block may contain another of these tags.
   */
  static boolean formatOk(String content, boolean structuredCalls, boolean callsExpected, String thinkTag,
      String responseTag) {
    return formatOk(content, structuredCalls, callsExpected, !callsExpected, thinkTag, responseTag);
  }

  /**
   * {@link #formatOk(String, boolean, boolean, String, String)} with the response block expected or not on its own,
   * as a ToolRL output that holds both calls and a response asks for both.
   */
  static boolean formatOk(String content, boolean structuredCalls, boolean callsExpected, boolean responseExpected,
      String thinkTag, String responseTag) {
    if (structuredCalls && !callsExpected) {
      return false;
    }
    List<String> names = new ArrayList<>();
    names.add("tool_call");
    if (!thinkTag.isEmpty()) {
      names.add(thinkTag);
    }
    if (!responseTag.isEmpty()) {
      names.add(responseTag);
    }
    List<Tags.Block> blocks = Tags.flatBlocks(content, names);
    if (blocks == null || !Tags.onlyBlocks(content, blocks)) {
      return false;
    }
    int i = 0;
    if (!thinkTag.isEmpty()) {
      if (blocks.isEmpty() || !blocks.get(0).name().equals(thinkTag)) {
        return false;
      }
      i = 1;
    }
    if (callsExpected) {
      int calls = 0;
      while (i < blocks.size() && blocks.get(i).name().equals("tool_call")) {
        calls++;
        i++;
      }
      if (structuredCalls ? calls != 0 : calls == 0) {
        return false;
      }
    }
    if (responseExpected && !responseTag.isEmpty()) {
      if (i >= blocks.size() || !blocks.get(i).name().equals(responseTag)) {
        return false;
      }
      i++;
    }
    return i == blocks.size();
  }

  private static boolean sameCalls(List<ToolCalls.Call> a, List<ToolCalls.Call> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).sameAs(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> keys(ObjectNode arguments) {
    List<String> out = new ArrayList<>();
    arguments.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static Map<String, Integer> counts(List<String> l) {
    Map<String, Integer> c = new HashMap<>();
    l.forEach(s -> c.merge(s, 1, Integer::sum));
    return c;
  }
}
