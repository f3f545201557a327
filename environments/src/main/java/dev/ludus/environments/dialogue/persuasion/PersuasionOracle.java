package dev.ludus.environments.dialogue.persuasion;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.simulators.persuasion.Act;
import dev.ludus.simulators.persuasion.PersonaTable;
import dev.ludus.simulators.persuasion.PersuasionReader;
import dev.ludus.simulators.persuasion.PersuasionRules;
import dev.ludus.simulators.persuasion.PersuasionState;
import dev.ludus.simulators.persuasion.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted persuader that plans against the persuadee's rules: it is privileged (it gets the task, so the same
 * persona and start state as the user), replays its own earlier messages through {@link PersuasionRules} to know the
 * hidden state, and each turn says the one or two sentences of {@link PersuasionPhrases} that raise the propensity
 * most (greedily, first sentence then second). It asks for the donation once the persuadee would give $2, or with the best sentence
 * on its last turn. Stateless and thread-safe.
 */
final class PersuasionOracle implements Agent {
  /** Readings of the texts the oracle builds from its phrases (a few hundred), so a turn reads each once. */
  private static final Map<String, Reading> READINGS = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 10_000;

  private static final String ASK = "Would you like to donate some of your payment?";

  private final PersonaTable table;
  private final int maxTurns;

  PersuasionOracle(PersuasionConfig config) {
    this.table = config.table();
    this.maxTurns = config.maxTurns();
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    PersuasionState s = PersuasionRules.initial(table.choose(request.task()), request.task().seed());
    List<String> said = new ArrayList<>();
    for (Message m : request.conversation()) {
      if (m.role() == Role.ASSISTANT) {
        said.add(m.content());
        s = PersuasionRules.step(s, read(m.content())).next();
      }
    }
    boolean last = said.size() + 1 >= maxTurns;
    String text;
    if (s.willingness() >= PersuasionRules.MAX_DONATION) {
      text = ASK;
    } else if (last) {
      String first = best(s, "", said);
      text = first.isEmpty() ? ASK : first + " " + ASK;
    } else {
      String first = best(s, "", said);
      String second = best(s, first, said);
      text = second.isEmpty() ? first : first + " " + second;
      if (text.isEmpty()) {
        text = ASK;
      }
    }
    return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(text)));
  }

  /** The sentence that, after {@code prefix}, leaves the best state; empty when none improves on {@code prefix}. */
  private static String best(PersuasionState s, String prefix, List<String> said) {
    double base = prefix.isEmpty() ? Double.NEGATIVE_INFINITY : score(s, prefix);
    String best = "";
    for (Map.Entry<Act, List<String>> e : PersuasionPhrases.BY_STRATEGY.entrySet()) {
      for (String sentence : e.getValue()) {
        if (prefix.contains(sentence) || said.stream().anyMatch(m -> m.contains(sentence))) {
          continue;
        }
        String text = prefix.isEmpty() ? sentence : prefix + " " + sentence;
        double v = score(s, text);
        if (v > base + 1e-12 || v == base && best.isEmpty() && prefix.isEmpty()) {
          base = v;
          best = sentence;
        }
      }
    }
    return best;
  }

  private static Reading read(String text) {
    Reading r = READINGS.get(text);
    if (r == null) {
      r = PersuasionReader.read(text);
      if (READINGS.size() < MAX_CACHED) {
        READINGS.put(text, r);
      }
    }
    return r;
  }

  private static double score(PersuasionState s, String text) {
    PersuasionRules.Outcome o = PersuasionRules.step(s, read(text));
    PersuasionState n = o.next();
    if (n.ended()) {
      return Double.NEGATIVE_INFINITY;
    }
    // Propensity gained, plus the value of lowered resistance for the turns ahead.
    return n.propensity() - 0.3 * n.resistance();
  }
}
