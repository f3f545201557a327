package dev.ludus.examples;

// readme:start
import dev.ludus.api.*;
import dev.ludus.api.batch.Batcher;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.CompletionStage;

/** Scores every agent turn with a model, batching turns across episodes and groups: r_t = model(a_t). */
public final class BatchedJudge implements ShaperProvider<BatchedJudge.Config> {
  public record Config(int maxBatch, long maxWaitMillis) {}

  /** Stands in for a reward model's batched forward pass: one score per reply (here: shorter is better). */
  static List<Double> forward(List<String> replies) {
    return replies.stream().map(r -> 1.0 / (1 + r.length())).toList();
  }

  public String name() { return "batched-judge"; }
  public String description() { return "every agent turn scored by a model, in batches across groups"; }
  public String formula() { return "r_t = model(a_t)"; }
  public Class<Config> configType() { return Config.class; }
  public Config defaultConfig() { return new Config(64, 5); }

  public RewardShaper create(Config c) {
    Batcher<String, Double> model = Batcher.builder("batched-judge", BatchedJudge::forward)
        .maxBatch(c.maxBatch()).maxWait(Duration.ofMillis(c.maxWaitMillis())).build();
    return new GroupShaper() {
      public Scope scope() { return Scope.TURN; }
      public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
        List<String> replies = new ArrayList<>();
        group.forEach(e -> e.turns().forEach(t -> replies.add(t.action().content())));
        return model.submitAll(replies).thenApply(scores -> {
          Iterator<Double> next = scores.iterator();
          List<List<RewardContribution>> out = new ArrayList<>();
          for (Episode e : group) {
            List<RewardContribution> cs = new ArrayList<>();
            e.turns().forEach(t -> cs.add(new RewardContribution(t.index(), "judge", next.next())));
            out.add(cs);
          }
          return out;
        });
      }
    };
  }
}
// readme:end
