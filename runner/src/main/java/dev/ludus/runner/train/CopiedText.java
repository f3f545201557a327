package dev.ludus.runner.train;

import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How much of the oracle's replies is copied from what the episode showed before: the share of the replies' words
 * that are the task's own (they occur in the replies of at most half the measured episodes, so they are not the
 * reply's template: "look", "up", "SELECT") and occur in an earlier message of the same episode (the question's
 * name, a passage's answer, a value of the question). Search-qa's replies copy the question's entity name and the
 * answer from the retrieved passage; a board world's moves, guess-number's guesses and Mastermind's colours are
 * each in many episodes' replies, so they are not counted. A word is a maximal run of letters, digits, '.' and '-'
 * of at least 2 characters, without a trailing '.'. Stateless.
 */
final class CopiedText {
  private CopiedText() {}

  /** The share of the reply words of {@code episodes} that are copied from the same episode (0 without any). */
  static double share(List<Episode> episodes) {
    Map<String, Integer> episodesReplying = new HashMap<>();
    List<List<List<String>>> replies = new ArrayList<>(); // per episode, per turn, its words
    for (Episode e : episodes) {
      List<List<String>> turns = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Turn t : e.turns() == null ? List.<Turn>of() : e.turns()) {
        List<String> words = words(TokenizerCorpus.text(t.action()));
        turns.add(words);
        seen.addAll(words);
      }
      seen.forEach(w -> episodesReplying.merge(w, 1, Integer::sum));
      replies.add(turns);
    }
    long all = 0;
    long copied = 0;
    for (int i = 0; i < episodes.size(); i++) {
      Episode e = episodes.get(i);
      Set<String> shown = new HashSet<>();
      if (e.start() != null) {
        e.start().forEach(m -> shown.addAll(words(TokenizerCorpus.text(m))));
      }
      List<Turn> turns = e.turns() == null ? List.of() : e.turns();
      for (int t = 0; t < turns.size(); t++) {
        for (String w : replies.get(i).get(t)) {
          all++;
          if (episodesReplying.get(w) * 2 <= episodes.size() && shown.contains(w)) {
            copied++;
          }
        }
        for (Message m : turns.get(t).observation()) {
          shown.addAll(words(TokenizerCorpus.text(m)));
        }
      }
    }
    return all == 0 ? 0 : copied / (double) all;
  }

  /** The words of {@code text} (see the class comment). */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ' ';
      boolean part = Character.isLetterOrDigit(c) || c == '.' || c == '-';
      if (part && start < 0) {
        start = i;
      } else if (!part && start >= 0) {
        String w = text.substring(start, i);
        while (w.endsWith(".")) {
          w = w.substring(0, w.length() - 1);
        }
        if (w.length() >= 2) {
          out.add(w);
        }
        start = -1;
      }
    }
    return out;
  }
}
