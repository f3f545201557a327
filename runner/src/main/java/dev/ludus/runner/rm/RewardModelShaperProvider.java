package dev.ludus.runner.rm;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.Turn;
import dev.ludus.api.batch.Batcher;
import dev.ludus.runner.scoring.ScoringWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code reward-model}: scores episodes with a Bradley–Terry reward model trained by {@code ludus rm train}.
 *
 * <p>{@code mode: episode} (the default) gives the episode one contribution, at its last turn: the model's reward
 * of the conversation up to the agent's last action (the environment's final verdict is not shown to it, as in
 * training). {@code mode: turn} gives every turn the reward of the conversation up to that turn's action, a dense
 * per-turn score in the manner of Sotopia-RL's utterance rewards.
 *
 * <p>Design: the model is loaded once per run (a shared resource of the plugin context, closed with it); the
 * conversations of every group in flight go through one {@link Batcher} on a {@link ScoringWorker} (PyTorch's
 * intra-op threads unless {@code -Dludus.scoring.threads} says otherwise), so a forward pass scores many episodes at
 * once and never runs on an event loop; an episode's turns come from one pass over its conversation
 * ({@link RewardModel#scoreTurns}).
 */
public final class RewardModelShaperProvider implements ShaperProvider<RewardModelShaperProvider.Config> {

  /**
   * @param model the directory {@code ludus rm train --out} wrote; required
   * @param mode {@code episode} (one score at the last turn) or {@code turn} (a score per turn)
   * @param maxBatch the most conversations per forward pass, 1 to 4096; default 64
   * @param device the DJL device ({@code cpu}, {@code gpu}, {@code gpu:N}); default cpu
   */
  public record Config(String model, String mode, int maxBatch, String device) {
    public Config {
      mode = mode == null ? "episode" : mode;
      if (!mode.equals("episode") && !mode.equals("turn")) {
        throw new ConfigException("reward-model: mode must be episode or turn, was '" + mode + "'");
      }
      if (maxBatch < 1 || maxBatch > 4096) {
        throw new ConfigException("reward-model: maxBatch must be in [1, 4096], was " + maxBatch);
      }
      device = device == null ? "cpu" : device;
    }
  }

  @Override
  public String name() {
    return "reward-model";
  }

  @Override
  public String description() {
    return "a Bradley-Terry reward model's score of the episode (or of each turn's conversation so far)";
  }

  @Override
  public String formula() {
    return "r = RM(conversation up to the agent's last action), at the last turn (mode: turn: r_t = RM(conversation "
        + "up to action t)); the RM is trained on pairs by -log sigma(r(chosen) - r(rejected))";
  }

  @Override
  public String reference() {
    return "Bradley & Terry 1952; Ouyang et al. 2022, \"Training language models to follow instructions with human "
        + "feedback\" (reward model)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(null, "episode", 64, "cpu");
  }

  @Override
  public RewardShaper create(Config config, PluginContext context) {
    if (config.model() == null || config.model().isBlank()) {
      throw new ConfigException("reward-model: config.model is required: the directory ludus rm train wrote");
    }
    Path dir = Path.of(config.model());
    if (!Files.isRegularFile(dir.resolve(RewardModel.META))) {
      throw new ConfigException("reward-model: " + dir + " is not a reward model (no " + RewardModel.META
          + "); train one with ludus rm train");
    }
    String key = "reward-model/" + dir.toAbsolutePath().normalize() + "@" + config.device();
    RewardModel model = context.shared(key, RewardModel.class, () -> RewardModel.load(dir, config.device()));
    ScoringWorker worker = context.shared(key + "/worker", ScoringWorker.class,
        () -> new ScoringWorker("ludus-reward-model"));
    // an item is an episode's conversation and its turn ends (one end in mode episode): all its turns in one pass
    @SuppressWarnings("unchecked")
    Batcher<Item, float[]> batcher = context.shared(key + "/batcher", Batcher.class,
        () -> Batcher.<Item, float[]>builder("reward-model", batch -> Arrays.asList(model.scoreTurns(
            batch.stream().map(Item::conversation).toList(), batch.stream().map(Item::ends).toList(), batch.size())))
            .maxBatch(config.maxBatch()).maxWait(Duration.ofMillis(2)).executor(worker).build());
    boolean perTurn = config.mode().equals("turn");
    return new Shaper(batcher, perTurn);
  }

  /** An episode's conversation up to its last action and the message count at each scored turn's end. */
  private record Item(List<Message> conversation, int[] ends) {}

  private record Shaper(Batcher<Item, float[]> batcher, boolean perTurn) implements GroupShaper {
    @Override
    public Scope scope() {
      return perTurn ? Scope.TURN : Scope.EPISODE;
    }

    @Override
    public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
      List<Item> items = new ArrayList<>();
      List<int[]> turnsOf = new ArrayList<>(); // per item: the turn index of each end
      List<Integer> episodeOf = new ArrayList<>();
      for (int e = 0; e < group.size(); e++) {
        Episode ep = group.get(e);
        List<Turn> turns = ep.turns();
        if (turns.isEmpty()) {
          continue;
        }
        List<Message> so = new ArrayList<>(ep.start());
        int[] ends = new int[perTurn ? turns.size() : 1];
        int[] at = new int[ends.length];
        for (int t = 0; t < turns.size(); t++) {
          so.add(turns.get(t).action());
          if (perTurn) {
            ends[t] = so.size();
            at[t] = t;
          }
          if (t < turns.size() - 1) {
            so.addAll(turns.get(t).observation());
          }
        }
        if (!perTurn) {
          ends[0] = so.size();
          at[0] = turns.size() - 1;
        }
        items.add(new Item(List.copyOf(so), ends));
        turnsOf.add(at);
        episodeOf.add(e);
      }
      return batcher.submitAll(items).thenApply(scores -> {
        List<List<RewardContribution>> out = new ArrayList<>();
        for (int e = 0; e < group.size(); e++) {
          out.add(new ArrayList<>());
        }
        for (int i = 0; i < scores.size(); i++) {
          for (int k = 0; k < scores.get(i).length; k++) {
            out.get(episodeOf.get(i)).add(new RewardContribution(turnsOf.get(i)[k], "score", scores.get(i)[k]));
          }
        }
        return out;
      });
    }
  }
}
