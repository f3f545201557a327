package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.ConversationIds;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.runner.store.EpisodeReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy-derived scorers in a real rollout: their ledger entries are the checkpoint's own log-probabilities. */
class PolicyScorersRolloutTest {
  @TempDir Path tmp;

  private static int ludus(String... args) {
    return Ludus.run(args, null, null, new PrintWriter(new StringWriter(), true),
        new PrintWriter(new StringWriter(), true));
  }

  private static double meanLogProb(LanguageModel m, int[] prompt, int[] output) {
    float[] lp = m.logProbs(List.of(prompt), List.of(output), new double[] {1.0})[0];
    double s = 0;
    for (float v : lp) {
      s += v;
    }
    return s / lp.length;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private List<Episode> rollout(String name, String shaper) throws Exception {
    Path out = tmp.resolve("runs-" + name);
    assertEquals(0, ludus("rollout", "--env", "guess-number", "--env-config", "{low: 1, high: 100, maxTurns: 4}",
        "--agent", "random", "--episodes", "4",
        "--group-size", "2", "--shaping", "shapers: [" + shaper + "]", "--out", out.toString(), "--no-progress"));
    Path run;
    try (Stream<Path> s = Files.list(out)) {
      run = s.findFirst().orElseThrow();
    }
    List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    assertEquals(4, episodes.size());
    return episodes;
  }

  @Test
  void confidenceAndFollowUpLikelihoodEntriesAreTheCheckpointsOwnLogProbabilities() throws Exception {
    Path dir = tmp.resolve("step-1").resolve("policy");
    try (LmTokenizer tok = LmTokenizer.byteLevelBpe(List.of("Let's play a guessing game. guess higher lower correct "
            + "<answer>50</answer>", "Thank you, that is exactly right. That is wrong."), 320);
        LanguageModel m = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 1024, tok.vocabSize()), "cpu", 5)) {
      m.save(dir);
      tok.save(dir.resolve(LmTokenizer.FILE_NAME));
    }
    String model = "'" + tmp.resolve("step-1").toString().replace("'", "''") + "'"; // the step directory works too
    List<Episode> confidence = rollout("confidence", "{name: confidence, config: {model: " + model + "}}");
    List<Episode> followUp = rollout("flr", "{name: follow-up-likelihood, config: {model: " + model
        + ", positive: ['Thank you, that is exactly right.'], negative: ['That is wrong.']}}");
    List<Episode> gain = rollout("gain", "{name: answer-probability, config: {model: " + model + "}}");
    Pattern answer = Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);
    try (LmTokenizer tok = LmTokenizer.read(dir.resolve(LmTokenizer.FILE_NAME));
        LanguageModel m = LanguageModel.load(dir, "cpu")) {
      for (Episode e : confidence) {
        List<LedgerEntry> l = e.ledger().stream().filter(x -> x.source().equals("confidence")).toList();
        assertEquals(1, l.size(), e.ledger().toString());
        int last = e.turns().size() - 1;
        assertEquals(last, l.get(0).turn());
        List<Message> before = new ArrayList<>(e.start());
        for (int t = 0; t < last; t++) {
          before.add(e.turns().get(t).action());
          before.addAll(e.turns().get(t).observation());
        }
        String text = e.turns().get(last).action().content();
        Matcher mt = answer.matcher(text);
        String prefix = "";
        String span = text;
        while (mt.find()) {
          prefix = text.substring(0, mt.start(1));
          span = mt.group(1);
        }
        double expected = Math.exp(meanLogProb(m, concat(ConversationIds.of(tok, before), tok.encode(prefix)),
            tok.encode(span)));
        assertEquals(expected, l.get(0).raw(), 1e-4, e.id());
      }
      int user = tok.roleId(Role.USER).getAsInt();
      for (Episode e : followUp) {
        List<LedgerEntry> l = e.ledger().stream().filter(x -> x.source().equals("follow-up-likelihood")).toList();
        assertEquals(e.turns().size(), l.size(), e.ledger().toString());
        List<Message> h = new ArrayList<>(e.start());
        for (int t = 0; t < e.turns().size(); t++) {
          h.add(e.turns().get(t).action());
          int[] ids = ConversationIds.of(tok, h);
          int[] prompt = concat(Arrays.copyOf(ids, ids.length - 1), new int[] {user});
          double expected = meanLogProb(m, prompt, tok.encode("Thank you, that is exactly right."))
              - meanLogProb(m, prompt, tok.encode("That is wrong."));
          assertEquals(t, l.get(t).turn());
          assertEquals(expected, l.get(t).raw(), 1e-4, "turn " + t + " of " + e.id());
          h.addAll(e.turns().get(t).observation());
        }
      }
    }
    // guess-number's tasks carry no gold answer field: each episode records the scoring failure, the run goes on
    for (Episode e : gain) {
      List<LedgerEntry> l = e.ledger().stream().filter(x -> x.source().equals("answer-probability")).toList();
      assertEquals(1, l.size(), e.ledger().toString());
      assertTrue(l.get(0).failure().contains("'answer'"), l.get(0).failure());
    }
  }
}
