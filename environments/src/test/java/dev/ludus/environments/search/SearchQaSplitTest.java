package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Task;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchQaSplitTest {
  static final SearchQaConfig ONE_HOP = SearchQaConfig.defaults().withQuestionTypes(List.of("one-hop"));
  static PluginContext.Owned context;

  @BeforeAll
  static void open() {
    context = PluginContext.standalone();
  }

  @AfterAll
  static void close() {
    context.close();
  }

  /** The entities a task's questions name (their evidence's subjects: the entity a one-hop question asks about). */
  private static Set<String> subjects(BoundEnvironment env, int tasks, long runSeed) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < tasks; i++) {
      QaTask qa = SearchData.parse(env.tasks().task(i, runSeed).fields().get("qa"));
      names.add(qa.turns().get(0).evidences().get(0).subject());
    }
    return names;
  }

  @Test
  void devQuestionsNameEntitiesNoTrainQuestionNames() {
    Set<String> train = subjects(Episodes.bind(ONE_HOP.withSplit("train"), context), 2000, 1);
    Set<String> dev = subjects(Episodes.bind(ONE_HOP.withSplit("dev"), context), 500, 2);
    Set<String> all = subjects(Episodes.bind(ONE_HOP, context), 2000, 1);
    assertTrue(train.size() > 120 && dev.size() > 35, train.size() + " train and " + dev.size() + " dev names");
    for (String name : dev) {
      assertFalse(train.contains(name), name + " is named by a dev question and a train question");
    }
    Set<String> union = new HashSet<>(train);
    union.addAll(dev);
    union.addAll(subjects(Episodes.bind(ONE_HOP.withSplit("validation"), context), 500, 3));
    assertTrue(union.containsAll(all), "the three splits together name every entity that split all names");
  }

  @Test
  void validationQuestionsNameEntitiesNeitherTrainNorDevQuestionsName() {
    Set<String> train = subjects(Episodes.bind(ONE_HOP.withSplit("train"), context), 2000, 1);
    Set<String> validation = subjects(Episodes.bind(ONE_HOP.withSplit("validation"), context), 500, 3);
    Set<String> dev = subjects(Episodes.bind(ONE_HOP.withSplit("dev"), context), 500, 2);
    assertTrue(validation.size() > 35, validation.size() + " validation names");
    for (String name : validation) {
      assertFalse(train.contains(name), name + " is named by a validation question and a train question");
      assertFalse(dev.contains(name), name + " is named by a validation question and a dev question");
    }
  }

  @Test
  void theOracleSolvesEveryTaskOfEachSplitInTheWholeCorpus() {
    for (String split : List.of("train", "validation", "dev")) {
      BoundEnvironment env = Episodes.bind(SearchQaConfig.defaults().withSplit(split), context);
      for (int i = 0; i < 100; i++) {
        Task task = env.tasks().task(i, 7);
        assertTrue(Episodes.play(env, env.oracle().orElseThrow(), task, i).success(), split + " " + task.id());
      }
    }
  }

  @Test
  void heldOutEvaluationOfTheTrainSplitPlaysTheDevSplitAndNoneOtherwise() {
    SearchQaProvider provider = new SearchQaProvider();
    assertEquals("dev", provider.heldOut(ONE_HOP.withSplit("train")).orElseThrow().split());
    assertTrue(provider.heldOut(ONE_HOP).isEmpty(), "split all has no held-out split");
    assertTrue(provider.heldOut(ONE_HOP.withSplit("dev")).isEmpty());
  }

  @Test
  void validationOfTheTrainSplitPlaysTheValidationSplitAndNoneOtherwise() {
    SearchQaProvider provider = new SearchQaProvider();
    assertEquals("validation", provider.validation(ONE_HOP.withSplit("train")).orElseThrow().split());
    assertTrue(provider.validation(ONE_HOP).isEmpty(), "split all has no validation split");
    assertTrue(provider.validation(ONE_HOP.withSplit("dev")).isEmpty());
  }

  @Test
  void anUnknownSplitOrASplitOfAFileIsRefusedNamingWhatIsAllowed() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ONE_HOP.withSplit("test"));
    assertTrue(unknown.getMessage().contains("split must be one of all, train, validation, dev"), unknown.getMessage());
    IllegalArgumentException file = assertThrows(IllegalArgumentException.class,
        () -> ONE_HOP.withData("hotpotqa", "x.json", null).withSplit("train"));
    assertTrue(file.getMessage().contains("split must be all when data is hotpotqa"), file.getMessage());
  }
}
