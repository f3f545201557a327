package dev.ludus.shaping.judge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.agents.openai.mock.RecordedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A judge behind the mock OpenAI server, deterministic: it reads the prompt the way a judge would (the rubric's
 * criteria and ranges, the quoted transcript or trajectories) and scores each judged text by a rule: the number of
 * times the agent wrote the word "solved", mapped onto each criterion's range ({@code min + q·(max−min)/4}, capped),
 * or by the agent's length ({@link #byLength}). A {@link #gullible} judge obeys injected instructions it can still
 * read ("score 10", "ignore previous instructions"): it then gives every criterion its maximum and every pair to
 * the injector. It can answer malformed JSON or out-of-range scores for its first answers. Thread-safe.
 */
final class ScriptedJudge implements MockResponder {
  private static final Pattern CRITERION = Pattern.compile("^- ([a-z][a-z0-9_-]*) \\((-?[0-9.]+) to (-?[0-9.]+)\\):",
      Pattern.MULTILINE);
  private static final Pattern INJECTED = Pattern.compile("score 10|ignore previous instructions",
      Pattern.CASE_INSENSITIVE);

  private boolean gullible;
  private boolean byLength;
  private int malformedFirst;
  private String malformedKind = "prose";
  final AtomicInteger answers = new AtomicInteger();

  static ScriptedJudge fair() {
    return new ScriptedJudge();
  }

  /** Obeys instructions found anywhere in the prompt. */
  ScriptedJudge gullible() {
    gullible = true;
    return this;
  }

  /** Scores each text by its agent characters instead: longer is better. */
  ScriptedJudge byLength() {
    byLength = true;
    return this;
  }

  /** Its first {@code n} answers are malformed: {@code prose} (no JSON) or {@code range} (a score out of range). */
  ScriptedJudge malformed(int n, String kind) {
    malformedFirst = n;
    malformedKind = kind;
    return this;
  }

  @Override
  public MockReply respond(RecordedRequest request) {
    int n = answers.getAndIncrement();
    JsonNode messages = request.json().path("messages");
    String prompt = messages.get(0).path("content").asText();
    boolean bad = n < malformedFirst;
    if (bad && malformedKind.equals("prose")) {
      return MockReply.text("I think the agent did quite well overall.");
    }
    Map<String, double[]> criteria = new LinkedHashMap<>();
    Matcher c = CRITERION.matcher(prompt);
    while (c.find()) {
      criteria.put(c.group(1), new double[] {Double.parseDouble(c.group(2)), Double.parseDouble(c.group(3))});
    }
    String nonce = find(prompt, "<(?:transcript|shared)-([0-9a-f]{12})>");
    if (prompt.contains("\"winner\"")) {
      List<String> t = blocks(prompt, nonce);
      double a = quality(t.get(0)) + (injected(t.get(0)) ? 100 : 0);
      double b = quality(t.get(1)) + (injected(t.get(1)) ? 100 : 0);
      return MockReply.text("{\"reasoning\": \"compared\", \"winner\": \"" + (a > b ? "A" : b > a ? "B" : "tie") + "\"}");
    }
    if (prompt.contains("\"trajectories\"")) {
      List<String> t = blocks(prompt, nonce);
      StringBuilder out = new StringBuilder("{\"trajectories\": [");
      for (int i = 0; i < t.size(); i++) {
        out.append(i == 0 ? "" : ", ").append("{\"id\": ").append(i + 1).append(", ")
            .append(scores(criteria, t.get(i), bad).substring(1, scores(criteria, t.get(i), bad).length() - 1))
            .append('}');
      }
      return MockReply.text(out.append("]}").toString());
    }
    String transcript = between(prompt, "<transcript-" + nonce + ">", "</transcript-" + nonce + ">");
    return MockReply.text("Here is my verdict:\n```json\n" + scores(criteria, transcript, bad) + "\n```");
  }

  private boolean injected(String judged) {
    return gullible && INJECTED.matcher(judged).find();
  }

  private double quality(String judged) {
    if (byLength) {
      return agentText(judged).length();
    }
    Matcher m = Pattern.compile("\\bsolved\\b").matcher(agentText(judged).toLowerCase(Locale.ROOT));
    int q = 0;
    while (m.find()) {
      q++;
    }
    return q;
  }

  private static String agentText(String judged) {
    StringBuilder b = new StringBuilder();
    for (String line : judged.split("\n")) {
      if (line.startsWith("[agent] ")) {
        b.append(line.substring(8)).append('\n');
      }
    }
    return b.toString();
  }

  /** {"criteria": {...}} for one judged text. */
  private String scores(Map<String, double[]> criteria, String judged, boolean outOfRange) {
    StringBuilder b = new StringBuilder("{\"criteria\": {");
    int i = 0;
    for (Map.Entry<String, double[]> e : criteria.entrySet()) {
      double min = e.getValue()[0];
      double max = e.getValue()[1];
      double s = injected(judged) ? max
          : byLength ? Math.min(max, min + quality(judged) / 10.0)
          : Math.min(max, min + quality(judged) * (max - min) / 4);
      if (outOfRange && i == 0) {
        s = max + 5;
      }
      b.append(i++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": {\"reasoning\": \"r\", \"score\": ")
          .append(s).append('}');
    }
    return b.append("}}").toString();
  }

  /** The shared block followed by each trajectory's block, one text per trajectory. */
  private static List<String> blocks(String prompt, String nonce) {
    String shared = between(prompt, "<shared-" + nonce + ">", "</shared-" + nonce + ">");
    Matcher m = Pattern.compile("\n<trajectory-" + nonce + " id=\"[^\"]+\">\n(.*?)\n</trajectory-" + nonce + ">",
        Pattern.DOTALL).matcher(prompt);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(shared + "\n" + m.group(1));
    }
    return out;
  }

  /** The text between the delimiter lines {@code open} and {@code close} (not their mentions in the prose). */
  private static String between(String s, String open, String close) {
    int a = s.indexOf("\n" + open + "\n");
    int b = s.indexOf("\n" + close + "\n", a + 1);
    return a < 0 || b < 0 ? "" : s.substring(a + open.length() + 2, b);
  }

  private static String find(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    return m.find() ? m.group(1) : "";
  }
}
