package com.example.mastermind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The codes of one game size: every string of {@code pegs} letters from {@code colours}, the black/white
 * feedback between two codes, and Knuth's minimax choice of the next guess. Immutable and thread-safe.
 */
final class Codes {
  private final String colours;
  private final int pegs;
  private final List<String> all;

  Codes(String colours, int pegs) {
    this.colours = colours;
    this.pegs = pegs;
    List<String> codes = new ArrayList<>();
    int n = (int) Math.pow(colours.length(), pegs);
    for (int i = 0; i < n; i++) {
      StringBuilder code = new StringBuilder();
      for (int p = 0, rest = i; p < pegs; p++, rest /= colours.length()) {
        code.insert(0, colours.charAt(rest % colours.length()));
      }
      codes.add(code.toString());
    }
    this.all = List.copyOf(codes);
  }

  /** Every code, in lexicographic order of the colours' order. */
  List<String> all() {
    return all;
  }

  int pegs() {
    return pegs;
  }

  String colours() {
    return colours;
  }

  /**
   * The feedback for {@code guess} against {@code code} as {@code black * (pegs + 1) + white}: black pegs
   * count the right colour in the right place, white pegs the right colour in the wrong place.
   */
  int feedback(String guess, String code) {
    int black = 0;
    int[] inGuess = new int[26];
    int[] inCode = new int[26];
    for (int i = 0; i < pegs; i++) {
      if (guess.charAt(i) == code.charAt(i)) {
        black++;
      } else {
        inGuess[guess.charAt(i) - 'a']++;
        inCode[code.charAt(i) - 'a']++;
      }
    }
    int white = 0;
    for (int c = 0; c < 26; c++) {
      white += Math.min(inGuess[c], inCode[c]);
    }
    return black * (pegs + 1) + white;
  }

  int black(int feedback) {
    return feedback / (pegs + 1);
  }

  int white(int feedback) {
    return feedback % (pegs + 1);
  }

  /** The codes of {@code candidates} that would have given {@code feedback} to {@code guess}. */
  List<String> consistent(List<String> candidates, String guess, int feedback) {
    return candidates.stream().filter(c -> feedback(guess, c) == feedback).toList();
  }

  /**
   * Knuth's minimax guess: the code whose worst-case feedback leaves the fewest candidates, preferring a
   * code that may itself be the answer, then the first in order. With one candidate left, that one.
   */
  String knuthGuess(List<String> candidates) {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    String best = null;
    int bestWorst = Integer.MAX_VALUE;
    boolean bestIsCandidate = false;
    int[] partition = new int[(pegs + 1) * (pegs + 1)];
    for (String guess : all) {
      Arrays.fill(partition, 0);
      int worst = 0;
      for (String c : candidates) {
        worst = Math.max(worst, ++partition[feedback(guess, c)]);
      }
      boolean isCandidate = candidates.contains(guess);
      if (worst < bestWorst || (worst == bestWorst && isCandidate && !bestIsCandidate)) {
        best = guess;
        bestWorst = worst;
        bestIsCandidate = isCandidate;
      }
    }
    return best;
  }
}
