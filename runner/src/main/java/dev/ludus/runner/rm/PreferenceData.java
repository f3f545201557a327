package dev.ludus.runner.rm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Turn;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.store.EpisodeReader;
import dev.ludus.runner.train.Trainer;
import dev.ludus.shaping.ShapingPipeline;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Preference pairs for a reward model, from the two places they come from.
 *
 * <p><b>Episodes</b> ({@link #fromEpisodes}): a run's {@code episodes.jsonl} (or the run directory). Within each
 * group (the episodes of one task, and of one seat in a multi-agent world) every two episodes whose returns differ
 * make a pair, the higher preferred; ties are skipped, and so are failed episodes. Each pair names its group, so that
 * a held-out split keeps a group's pairs (which share episodes) on one side. The return is the shaped one
 * (the ledger's sum, what the learner maximises), or the environment's when the episode has no ledger. A
 * conversation is the episode's opening messages and each turn's action and observation, except the last turn's
 * observation: that is the environment's verdict, which a reward model must not be able to read off.
 *
 * <p><b>Files</b> ({@link #fromJsonl}): JSON Lines in TRL's preference format or OpenRLHF's, with configurable
 * keys ({@link Keys}): {@code chosen} and {@code rejected} each a string (the response text, or the whole text
 * with its prompt when there is no prompt key) or a list of OpenAI-style messages; an optional {@code prompt}, a
 * string or messages, put before both; an optional category. A line that is not such an object is refused
 * naming its number and what was wrong.
 */
public final class PreferenceData {
  private PreferenceData() {}

  /**
   * The keys of a preference file.
   *
   * @param chosen the preferred response's key (TRL and OpenRLHF: {@code chosen})
   * @param rejected the other response's key ({@code rejected})
   * @param prompt the prompt's key, optional in each line ({@code prompt})
   * @param category the category's key, optional in each line (RewardBench's {@code subset}; default
   *     {@code category})
   */
  public record Keys(String chosen, String rejected, String prompt, String category) {
    /** chosen, rejected, prompt, category. */
    public static Keys defaults() {
      return new Keys("chosen", "rejected", "prompt", "category");
    }
  }

  /** Whether {@code path} names a run's episodes (a run directory, or a file named {@code episodes.jsonl}). */
  public static boolean isEpisodes(Path path) {
    return Files.isDirectory(path) || path.getFileName().toString().equals("episodes.jsonl");
  }

  /** The pairs mined from a run's episodes ({@code path}: the run directory or its {@code episodes.jsonl}). */
  public static List<PreferenceExample> fromEpisodes(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve("episodes.jsonl") : path;
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(path + " has no episodes.jsonl; give a run directory or its episodes file");
    }
    return pairs(EpisodeReader.readAll(file));
  }

  /** The pairs of {@code episodes}: every two of a group whose returns differ, the higher chosen. */
  public static List<PreferenceExample> pairs(List<Episode> episodes) {
    List<PreferenceExample> out = new ArrayList<>();
    for (List<Episode> group : Trainer.groups(episodes)) {
      List<Episode> usable = group.stream().filter(e -> e.status() != EpisodeStatus.FAILED && !e.turns().isEmpty())
          .toList();
      for (int i = 0; i < usable.size(); i++) {
        for (int j = i + 1; j < usable.size(); j++) {
          Episode a = usable.get(i);
          Episode b = usable.get(j);
          double ra = outcome(a);
          double rb = outcome(b);
          if (Math.abs(ra - rb) <= 1e-9) {
            continue;
          }
          Episode better = ra > rb ? a : b;
          Episode worse = ra > rb ? b : a;
          out.add(new PreferenceExample(better.env() == null ? "all" : better.env(), conversation(better),
              conversation(worse), better.task().id() + (better.seat() == null ? "" : "/" + better.seat())));
        }
      }
    }
    return out;
  }

  /**
   * Turn-level pairs mined from the ledger of a run's episodes ({@code path}: the run directory or its
   * {@code episodes.jsonl}); see {@link #turnPairs}.
   */
  public static List<PreferenceExample> turnPairsFromEpisodes(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve("episodes.jsonl") : path;
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(path + " has no episodes.jsonl; give a run directory or its episodes file");
    }
    return turnPairs(EpisodeReader.readAll(file));
  }

  /**
   * Turn-level pairs: within a group, two episodes whose conversations are the same up to the agent's turn t (the
   * same history) and whose ledgers give turn t different rewards make a pair of their turn-t actions after that
   * history, the higher-rewarded one chosen; ties, failed episodes and episodes without a ledger are skipped. Each
   * pair names its group (as {@link #pairs} does) and its category is the environment's, suffixed {@code /turn}.
   */
  public static List<PreferenceExample> turnPairs(List<Episode> episodes) {
    List<PreferenceExample> out = new ArrayList<>();
    for (List<Episode> group : Trainer.groups(episodes)) {
      List<Episode> usable = group.stream().filter(e -> e.status() != EpisodeStatus.FAILED && !e.turns().isEmpty()
          && !e.ledger().isEmpty()).toList();
      if (usable.size() < 2) {
        continue;
      }
      Episode first = usable.get(0);
      String id = first.task().id() + (first.seat() == null ? "" : "/" + first.seat());
      String category = (first.env() == null ? "all" : first.env()) + "/turn";
      List<double[]> rewards = usable.stream().map(ShapingPipeline::turnRewards).toList();
      int longest = usable.stream().mapToInt(e -> e.turns().size()).max().orElse(0);
      for (int t = 0; t < longest; t++) {
        // the episodes that reached turn t, by their history before it
        java.util.Map<List<Message>, List<Integer>> byHistory = new java.util.LinkedHashMap<>();
        for (int i = 0; i < usable.size(); i++) {
          if (usable.get(i).turns().size() > t) {
            byHistory.computeIfAbsent(history(usable.get(i), t), k -> new ArrayList<>()).add(i);
          }
        }
        for (var entry : byHistory.entrySet()) {
          List<Integer> same = entry.getValue();
          for (int x = 0; x < same.size(); x++) {
            for (int y = x + 1; y < same.size(); y++) {
              int i = same.get(x);
              int j = same.get(y);
              double ri = rewards.get(i)[t];
              double rj = rewards.get(j)[t];
              if (Math.abs(ri - rj) <= 1e-9) {
                continue;
              }
              Message better = usable.get(ri > rj ? i : j).turns().get(t).action();
              Message worse = usable.get(ri > rj ? j : i).turns().get(t).action();
              List<Message> chosen = new ArrayList<>(entry.getKey());
              chosen.add(better);
              List<Message> rejected = new ArrayList<>(entry.getKey());
              rejected.add(worse);
              out.add(new PreferenceExample(category, chosen, rejected, id));
            }
          }
        }
      }
    }
    return out;
  }

  /** The opening messages and every turn's action and observation before turn {@code t}. */
  static List<Message> history(Episode e, int t) {
    List<Message> out = new ArrayList<>(e.start());
    for (int k = 0; k < t; k++) {
      out.add(e.turns().get(k).action());
      out.addAll(e.turns().get(k).observation());
    }
    return out;
  }

  /** The episode's return: the ledger's sum when it has one, else the environment's. */
  static double outcome(Episode e) {
    return e.ledger().isEmpty() ? e.totalReward() : ShapingPipeline.shapedReturn(e);
  }

  /** The opening messages, then each turn's action and observation, without the last turn's observation. */
  public static List<Message> conversation(Episode e) {
    List<Message> out = new ArrayList<>(e.start());
    List<Turn> turns = e.turns();
    for (int t = 0; t < turns.size(); t++) {
      out.add(turns.get(t).action());
      if (t + 1 < turns.size()) {
        out.addAll(turns.get(t).observation());
      }
    }
    return out;
  }

  /** The pairs of a preference file in TRL's or OpenRLHF's format, read with {@code keys}. */
  public static List<PreferenceExample> fromJsonl(Path file, Keys keys) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(file + " is not a file; give a JSON Lines file of preference pairs or a run "
          + "directory");
    }
    List<PreferenceExample> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(example(Json.JSON.readTree(line), keys));
        } catch (IOException | RuntimeException e) {
          throw new ConfigException(file + " line " + n + ": " + e.getMessage()
              + " (expected an object with '" + keys.chosen() + "' and '" + keys.rejected()
              + "', each a string or a list of {role, content} messages, and optionally '" + keys.prompt() + "')");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static PreferenceExample example(JsonNode line, Keys keys) throws IOException {
    if (!line.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    List<Message> prompt = line.hasNonNull(keys.prompt()) ? messages(line.get(keys.prompt()), Message::user,
        keys.prompt()) : List.of();
    List<Message> chosen = new ArrayList<>(prompt);
    chosen.addAll(messages(required(line, keys.chosen()), Message::assistant, keys.chosen()));
    List<Message> rejected = new ArrayList<>(prompt);
    rejected.addAll(messages(required(line, keys.rejected()), Message::assistant, keys.rejected()));
    String category = line.hasNonNull(keys.category()) ? line.get(keys.category()).asText() : "all";
    return new PreferenceExample(category, chosen, rejected);
  }

  private static JsonNode required(JsonNode line, String key) {
    JsonNode v = line.get(key);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("no '" + key + "'");
    }
    return v;
  }

  private static List<Message> messages(JsonNode v, java.util.function.Function<String, Message> text, String key)
      throws IOException {
    if (v.isTextual()) {
      return List.of(text.apply(v.asText()));
    }
    if (!v.isArray() || v.isEmpty()) {
      throw new IllegalArgumentException("'" + key + "' is neither a string nor a non-empty list of messages");
    }
    List<Message> out = new ArrayList<>();
    for (JsonNode m : v) {
      out.add(Json.JSON.treeToValue(m, Message.class));
    }
    return out;
  }

  /** Writes {@code examples} as a TRL conversational preference file (chosen, rejected, category). */
  public static void write(Path file, List<PreferenceExample> examples) {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (PreferenceExample e : examples) {
        var node = Json.JSON.createObjectNode();
        node.set("chosen", Json.JSON.valueToTree(e.chosen()));
        node.set("rejected", Json.JSON.valueToTree(e.rejected()));
        node.put("category", e.category());
        out.write(Json.JSON.writeValueAsString(node));
        out.newLine();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
