package dev.ludus.shaping.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.NoConfig;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeShaperTest {
  @Test
  void outcomeRepeatsTheEnvironmentRewardOfEveryTurn() {
    List<Turn> turns = List.of(
        new Turn(0, Message.assistant("a"), null, List.of(), 0.0, false, false, Signals.empty(), 0, 0),
        new Turn(1, Message.assistant("b"), null, List.of(), 0.5, false, false, Signals.empty(), 0, 0),
        new Turn(2, Message.assistant("c"), null, List.of(), 1.0, true, false, Signals.empty(), 0, 0));
    Episode e = new Episode(Episode.SCHEMA, "e", "env", "agent", Task.generated("env", 1), 1,
        EpisodeStatus.COMPLETED, null, true, 1.5, List.of(), List.of(), Signals.empty(), turns, List.of(), 0, 0);
    List<RewardContribution> c = new OutcomeShaperProvider().create(NoConfig.INSTANCE).shape(e);
    assertEquals(List.of(new RewardContribution(0, "outcome", 0.0), new RewardContribution(1, "outcome", 0.5),
        new RewardContribution(2, "outcome", 1.0)), c);
  }
}
