package dev.ludus.environments.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Seeds;
import dev.ludus.api.Task;
import dev.ludus.api.TaskSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A search-QA dataset in memory: the corpus (with its titles), and either a generated {@link World} from which
 * questions are drawn by seed, or the questions a file holds. Immutable and thread-safe.
 *
 * <p>Design note. The runtime asks the provider for its task source for every episode, and task sources and
 * oracles get no {@link dev.ludus.api.PluginContext}, so the dataset cannot live in the run's context like the
 * index does. It is memoized here instead, process-wide, per world spec or per file path (a file is read once;
 * changing it while the process runs is not noticed): at most {@value #KEEP} datasets at once, the least recently
 * used dropped. Building it is pure, so a dropped one is simply built again. The runtime builds it on the command's
 * thread before a run (when it first creates the environment); episodes then only look it up.
 */
final class SearchData {
  static final int KEEP = 4;
  static final ObjectMapper JSON = new ObjectMapper();
  private static final com.fasterxml.jackson.databind.ObjectReader QA = JSON.readerFor(QaTask.class);
  private static final com.fasterxml.jackson.databind.ObjectWriter QA_OUT = JSON.writerFor(QaTask.class);

  private static final Map<Object, SearchData> MEMO = new LinkedHashMap<>(8, 0.75f, true);

  private final List<Passage> corpus;
  private final Map<String, Integer> byTitle;
  private final World world; // null for a file
  private final Map<String, QuestionGenerator> generators; // by split (SearchQaConfig.SPLITS); empty for a file
  private final List<QaTask> tasks; // empty when generated
  private final String key;

  private SearchData(List<Passage> corpus, World world, List<QaTask> tasks, String key) {
    this.corpus = List.copyOf(corpus);
    this.world = world;
    this.tasks = List.copyOf(tasks);
    this.key = key;
    Map<String, QuestionGenerator> bySplit = new HashMap<>();
    if (world != null) {
      for (String split : SearchQaConfig.SPLITS) {
        bySplit.put(split, new QuestionGenerator(world, split));
      }
    }
    this.generators = Map.copyOf(bySplit);
    Map<String, Integer> titles = new HashMap<>();
    for (int i = 0; i < corpus.size(); i++) {
      titles.putIfAbsent(corpus.get(i).title(), i);
    }
    this.byTitle = titles;
    if (world == null && tasks.isEmpty()) {
      throw new ConfigException("the dataset " + key + " holds no question");
    }
    // Jackson builds its record (de)serializers on first use, which can take a second on a loaded machine: do it
    // here, where the dataset is built (the command's thread, before a run), not in the first episode on an event loop
    parse(toTask("warm-up", bySeed(0, QuestionGenerator.TYPES), 0).fields().get("qa"));
  }

  /** The dataset {@code config} names, built or read on first use. */
  static SearchData of(SearchQaConfig config) {
    Object k = memoKey(config);
    synchronized (MEMO) {
      SearchData d = MEMO.get(k);
      if (d != null) {
        return d;
      }
    }
    SearchData built = build(config, k.toString());
    synchronized (MEMO) {
      SearchData d = MEMO.putIfAbsent(k, built);
      while (MEMO.size() > KEEP) {
        MEMO.remove(MEMO.keySet().iterator().next());
      }
      return d != null ? d : built;
    }
  }

  /** A generated world's dataset, not memoized (benchmarks, tests). */
  static SearchData generated(WorldSpec spec) {
    World w = WorldGenerator.generate(spec);
    return new SearchData(w.passages(), w, List.of(), "world " + spec);
  }

  /** A file dataset's memo key: its paths, resolved without touching the file system (no I/O on event loops). */
  private record FileKey(String data, Path path, Path corpus) {}

  private static Object memoKey(SearchQaConfig c) {
    if (c.data().equals("generated")) {
      return c.world();
    }
    return new FileKey(c.data(), Path.of(c.path()).toAbsolutePath().normalize(),
        c.corpus() == null ? null : Path.of(c.corpus()).toAbsolutePath().normalize());
  }

  private static SearchData build(SearchQaConfig c, String key) {
    return switch (c.data()) {
      case "generated" -> generated(c.world());
      case DatasetFormats.HOTPOTQA, DatasetFormats.TWO_WIKI -> {
        DatasetFormats.Loaded l = DatasetFormats.readHotpot(Path.of(c.path()), c.data().equals(DatasetFormats.TWO_WIKI));
        yield new SearchData(l.corpus(), null, l.tasks(), key);
      }
      case DatasetFormats.FLASHRAG -> {
        DatasetFormats.Loaded l = DatasetFormats.readFlashRag(Path.of(c.path()), Path.of(c.corpus()));
        yield new SearchData(l.corpus(), null, l.tasks(), key);
      }
      default -> throw new IllegalStateException("unknown data source " + c.data());
    };
  }

  List<Passage> corpus() {
    return corpus;
  }

  /** The corpus position of the passage titled {@code title}, or -1. */
  int passageIndex(String title) {
    return byTitle.getOrDefault(title, -1);
  }

  /** The generated world, or null when the questions come from a file. */
  World world() {
    return world;
  }

  /** The questions a file holds; empty when they are generated. */
  List<QaTask> fileTasks() {
    return tasks;
  }

  /** A name for the run's shared index of this corpus. */
  String key() {
    return key;
  }

  /**
   * The task determined by {@code seed} alone: drawn from the world, or the file's question at
   * {@code floorMod(seed, n)}.
   */
  QaTask bySeed(long seed, List<String> types) {
    return bySeed(seed, types, "all");
  }

  /** As {@link #bySeed(long, List)}, a generated question naming {@code split}'s entities only. */
  QaTask bySeed(long seed, List<String> types, String split) {
    return world != null ? generator(split).draw(types, seed)
        : tasks.get((int) Math.floorMod(seed, (long) tasks.size()));
  }

  /** The generated world's question generator for {@code split}, built once with the dataset. */
  private QuestionGenerator generator(String split) {
    QuestionGenerator g = generators.get(split);
    if (g == null) {
      throw new IllegalArgumentException("unknown split '" + split + "'; allowed: " + SearchQaConfig.SPLITS);
    }
    return g;
  }

  /**
   * The task source: generated tasks are drawn by the seed {@code mix(runSeed, index)}; a file's row
   * {@code index} comes in file order for run seed 0, and rotated by a seed-dependent offset for other run seeds
   * (so held-out evaluations on other seeds start elsewhere in the file). Each task carries the question in its
   * fields ({@link #toTask}). A generated world's questions name {@code split}'s entities only.
   */
  TaskSource taskSource(String env, List<String> types, String split) {
    if (world != null) {
      QuestionGenerator generator = generator(split);
      return (index, runSeed) -> {
        long seed = Seeds.mix(runSeed, index);
        return toTask(env, generator.draw(types, seed), seed);
      };
    }
    int n = tasks.size();
    return (index, runSeed) -> {
      long offset = runSeed == 0 ? 0 : Math.floorMod(Seeds.mix(runSeed, 0x7A5CL), (long) n);
      int row = (int) Math.floorMod(index + offset, (long) n);
      return toTask(env, tasks.get(row), row);
    };
  }

  /** Task fields: the whole question as JSON ({@code qa}), and the first question and last answers as text. */
  static Task toTask(String env, QaTask qa, long seed) {
    try {
      QaTask.Turn last = qa.turns().get(qa.turns().size() - 1);
      return new Task(env + "/" + qa.id(), seed, Map.of(
          "qa", QA_OUT.writeValueAsString(qa),
          "question", qa.turns().get(0).question(),
          "answer", JSON.writeValueAsString(last.answers()),
          "type", qa.type()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The question a task carries in its {@code qa} field, or else the one its seed determines here. */
  QaTask task(Task task, List<String> types, String split) {
    String json = task.fields().get("qa");
    if (json == null) {
      return bySeed(task.seed(), types, split);
    }
    return parse(json);
  }

  static QaTask parse(String json) {
    try {
      return Objects.requireNonNull(QA.readValue(json), "qa");
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("task field 'qa' does not hold a question: " + e.getMessage(), e);
    }
  }
}
