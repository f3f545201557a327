package dev.ludus.runner.train;

import dev.ludus.api.Registry;
import org.junit.jupiter.api.Test;

class ScratchMeasureTest {
  @Test
  void measure() throws Exception {
    Registry reg = Registry.load();
    String[][] envs = {{null, null}, {"frozen-lake", "{maxTurns: 12}"}, {"gridworld", "{width: 5, height: 5, maxTurns: 20}"},
        {"sokoban", "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}"}, {"twenty-questions", "{candidates: 8, maxTurns: 6}"},
        {"search-qa", "{topK: 1, maxTurns: 3, questionTypes: [one-hop]}"}, {"deal-or-no-deal", null}};
    for (String[] e : envs) {
      long t0 = System.nanoTime();
      ResolvedConfig r = Recipe.resolve(reg, new Recipe.Request(e[0], e[1], null, null));
      System.out.printf("==== %s (%.2f s)%n%s%n", e[0], (System.nanoTime() - t0) / 1e9, r.describe(reg));
    }
  }
}
